import type { AuditRecord } from '../core/audit.js';
import { dropped } from '../core/dropped.js';
import {
  LEAK_HEADERS,
  LEAK_LIMITS,
  checkLeakSignature,
  parseLeakReport,
  type PartnerLabel,
} from '../core/leak-door.js';
import type { Log, Notifier } from '../core/ports.js';
import type { ProviderType } from '../core/token.js';
import type { JobQueue } from '../commands/job.js';
import { UseCaseContext, type UseCaseDeps } from '../commands/use-cases/context.js';
import { actOnLeaks, type LeakOutcome, type LeakPolicy } from '../commands/use-cases/leak.js';
import { auditNoticeView, type View } from '../slack/views.js';
import { leakCardView, leakOwnerView } from '../slack/views/leaks.js';

/** An HTTP request as the Lambda (or the local bridge) hands it over: lower-cased headers, raw body. */
export interface LeakRequest {
  headers: Record<string, string | undefined>;
  body: string;
}

/** The answer: a status and a JSON body. */
export interface LeakResponse {
  status: number;
  body: string;
}

/** What the intake needs beyond the use cases' own dependencies. */
export interface LeakIntakeDeps extends UseCaseDeps {
  output: Notifier<View>;
  queue: JobQueue;
  log: Log;
  /** The shared signing secret (Secrets Manager on AWS, cached). */
  signingSecret: () => Promise<string>;
  /** True the first time a signature is seen. */
  replay: { first(signature: string, keepS: number): Promise<boolean> };
  policyFor: (provider: ProviderType) => LeakPolicy;
  /** The workspace automatic actions are recorded in. */
  teamId: string;
}

const json = (status: number, body: unknown): LeakResponse => ({ status, body: JSON.stringify(body) });

/**
 * `POST /leaks`: the signed door for scanner reports. Order matters: size, signature and window,
 * replay, then parse — and the values are fingerprinted in the parse, so nothing after it sees one.
 * Matches are killed (policy `autoRevoke`) before any Slack call; then security and owners are told.
 */
export class LeakIntake {
  constructor(private readonly deps: LeakIntakeDeps) {}

  async handle(req: LeakRequest, correlationId: string): Promise<LeakResponse> {
    if (Buffer.byteLength(req.body, 'utf8') > LEAK_LIMITS.maxBody)
      return json(413, { message: `The report is larger than ${LEAK_LIMITS.maxBody / 1024} KiB: split it.` });
    const nowS = Math.floor((this.deps.now?.() ?? new Date()).getTime() / 1000);
    const refused = checkLeakSignature(req.headers, req.body, await this.deps.signingSecret(), nowS);
    if (refused) return json(refused.status, { message: refused.message });
    const signature = req.headers[LEAK_HEADERS.signature] as string;
    if (!(await this.deps.replay.first(signature, LEAK_LIMITS.windowS * 2)))
      return json(401, { message: 'This signed request was already received: replays are refused.' });
    const items = parseLeakReport(req.body, this.deps.fingerprintKey);
    if (!Array.isArray(items)) return json(items.status, { message: items.message });
    const actor = { userId: 'tokenops', teamId: this.deps.teamId, correlationId };
    const ctx = new UseCaseContext(this.deps, actor, async () => {
      throw new Error('a leak report never delivers a secret');
    });
    const outcomes = await actOnLeaks(ctx, items, this.deps.policyFor);
    await this.#tell(outcomes, ctx.audit, ctx.stored, correlationId);
    this.deps.log.info('leak report handled', {
      correlationId,
      count: items.length,
      results: outcomes.map((o) => o.result).join(','),
    });
    return json(200, outcomes.map(label));
  }

  /** Audit notices, the security card and the owner's DM, each best effort: the kill already happened. */
  async #tell(outcomes: LeakOutcome[], records: AuditRecord[], stored: Set<string>, correlationId: string) {
    const { output } = this.deps;
    const posts: Promise<unknown>[] = records.map((r) => this.#postAudit(r, stored.has(r.id), correlationId));
    for (const o of outcomes) {
      if (o.result === 'unknown') continue;
      posts.push(output.postAudit(leakCardView(o)));
      if (o.token?.owner) posts.push(output.notifyUser(o.token.owner, leakOwnerView(o)));
    }
    const settled = await Promise.allSettled(posts);
    const failed = settled.filter((s) => s.status === 'rejected').length;
    if (failed > 0) this.deps.log.warn('leak notices not all posted', { correlationId, failed });
  }

  async #postAudit(record: AuditRecord, stored: boolean, correlationId: string): Promise<void> {
    try {
      if (!stored)
        await this.deps.stores.audit
          .putIfAbsent(record)
          .catch(dropped(this.deps.log, 'audit record write', correlationId));
      await this.deps.output.postAudit(auditNoticeView(record));
    } catch {
      // Slack is down: the worker posts it later, as it does for its own notices.
      await this.deps.queue.send(
        {
          id: `audit-${record.id}-1`,
          correlationId,
          createdAt: new Date().toISOString(),
          origin: { userId: 'tokenops', teamId: this.deps.teamId, channelId: '' },
          kind: 'audit_post',
          record,
          attempt: 1,
        },
        { delaySeconds: 5 },
      );
    }
  }
}

/** GitHub's partner response for one value: a match (revoked or not) is a true positive. */
function label(o: LeakOutcome): PartnerLabel {
  return {
    token_hash: o.item.tokenHash,
    token_type: o.item.type,
    label: o.result === 'unknown' ? 'false_positive' : 'true_positive',
  };
}
