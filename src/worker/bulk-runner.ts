import { BULK_MAX_ATTEMPTS, retryDelayS, settledOf, type BulkJob, type BulkSelection } from '../core/bulk.js';
import { dropped } from '../core/dropped.js';
import { newAuditId, type AuditRecord } from '../core/audit.js';
import type { Log, Notifier } from '../core/ports.js';
import type { ProviderType } from '../core/token.js';
import type { JobOf, JobQueue } from '../commands/job.js';
import type { Reply } from '../commands/reply.js';
import {
  confirmRefusal,
  planBulk,
  planRefs,
  revokeBulkItem,
  saveBulkJob,
  stopRefusal,
  type BulkPlan,
} from '../commands/use-cases/bulk.js';
import { UseCaseContext, type UseCaseDeps } from '../commands/use-cases/context.js';
import { renderReply } from '../slack/render.js';
import { auditNoticeView, type View } from '../slack/views.js';
import { bulkProgressView, bulkSummaryView } from '../slack/views/bulk.js';
import { selectionText } from '../core/bulk.js';

/** What the bulk runner needs. */
export interface BulkDeps extends UseCaseDeps {
  output: Notifier<View>;
  queue: JobQueue;
  log: Log;
  /** How long a worker holds a token before another may take it over (a crash). @default 60 s */
  bulkLeaseMs?: number | undefined;
  /** The least time between two refreshes of the progress message. @default 1.5 s (Slack's chat.update) */
  progressGapMs?: number | undefined;
  /** The audit channel (automatic jobs post their progress there). */
  auditChannel?: string | undefined;
}

type BulkJobMsg = JobOf<'bulk_start'> | JobOf<'bulk_item'> | JobOf<'bulk_stop'>;

/**
 * Runs bulk jobs: the start (fan out one queue message per token, once), each token (claimed under a
 * lease, revoked kill-first, retried with backoff when the provider is busy), and the stop. The job's
 * own conditional writes make every message safe to deliver twice. The job's audit record and summary
 * go out once, from whichever worker settles the last token.
 */
export class BulkRunner {
  readonly #jobs = new Map<string, BulkJob>();

  constructor(private readonly deps: BulkDeps) {}

  async run(job: BulkJobMsg): Promise<string> {
    switch (job.kind) {
      case 'bulk_start':
        return this.#start(job);
      case 'bulk_item':
        return this.#item(job);
      case 'bulk_stop':
        return this.#stop(job);
    }
  }

  #ctx(job: BulkJobMsg, actor: { userId: string; teamId: string }): UseCaseContext {
    return new UseCaseContext(this.deps, { ...actor, correlationId: job.correlationId }, async () => {
      throw new Error('a bulk job never delivers a secret');
    });
  }

  async #start(msg: JobOf<'bulk_start'>): Promise<string> {
    const store = this.deps.stores.bulk;
    const job = await store.get(msg.bulkId);
    if (!job) return this.#say(msg, { kind: 'refused', message: 'That preview has expired: run the command again.' });
    if (job.status === 'previewed') {
      const refused = confirmRefusal(job, msg.origin.userId, msg.typed);
      if (refused) return this.#say(msg, { kind: 'refused', message: `Not started: ${refused}` });
      const startedAt = new Date().toISOString();
      if (!(await store.transition(job.id, ['previewed'], 'running', { startedAt }))) return 'duplicate';
      job.status = 'running';
      job.startedAt = startedAt;
    }
    if (job.status !== 'running' || job.fannedOut) return 'duplicate';
    await this.#postProgress(job, msg);
    await this.#fanOut(job, msg);
    if (job.total === 0) await this.#finalize(job.id, msg);
    return 'started';
  }

  /** Posts the progress message where the command was typed, else in the person's DM. */
  async #postProgress(job: BulkJob, msg: BulkJobMsg): Promise<void> {
    if (job.messageTs) return;
    const view = bulkProgressView(job, Date.now());
    const channel = job.channelId || this.deps.auditChannel || '';
    const out = this.deps.output;
    const where =
      (channel ? await out.postMessage({ channel }, view).catch(() => undefined) : undefined) ??
      (job.actor !== 'tokenops' ? await out.postMessage({ user: job.actor }, view).catch(() => undefined) : undefined);
    if (!where) return this.#log(msg).warn('bulk progress message not posted', { bulkId: job.id });
    job.messageTs = where.ts;
    job.channelId = where.channel;
    await this.deps.stores.bulk.annotate(job.id, { messageTs: where.ts, channelId: where.channel });
  }

  /** One message per token, providers interleaved so every provider starts at once. */
  async #fanOut(job: BulkJob, msg: BulkJobMsg): Promise<void> {
    const items = await this.deps.stores.bulk.items(job.id);
    const byConn = new Map<string, string[]>();
    for (const i of items.filter((i) => i.state === 'pending' || i.state === 'running'))
      byConn.set(`${i.provider}:${i.connection}`, [...(byConn.get(`${i.provider}:${i.connection}`) ?? []), i.ref]);
    const lanes = [...byConn.values()];
    const order: string[] = [];
    for (let k = 0; lanes.some((l) => k < l.length); k++)
      for (const l of lanes) if (k < l.length) order.push(l[k] as string);
    const head = { correlationId: msg.correlationId, origin: { ...msg.origin, responseUrl: undefined } };
    const createdAt = new Date().toISOString();
    for (let i = 0; i < order.length; i += 10)
      await Promise.all(
        order.slice(i, i + 10).map((ref) =>
          this.deps.queue.send({
            ...head,
            id: `bulk-${job.id}-${ref}`,
            createdAt,
            kind: 'bulk_item',
            bulkId: job.id,
            ref,
          }),
        ),
      );
    await this.deps.stores.bulk.annotate(job.id, { fannedOut: true });
  }

  async #item(msg: JobOf<'bulk_item'>): Promise<string> {
    const store = this.deps.stores.bulk;
    const lease = this.deps.bulkLeaseMs ?? 60_000;
    const { claim, attempt } = await store.claimItem(msg.bulkId, msg.ref, lease, BULK_MAX_ATTEMPTS);
    if (claim === 'finished') return 'duplicate';
    if (claim === 'busy') {
      // Another worker holds it; if that worker died, its lease lapses and this message takes over.
      await this.deps.queue.send(msg, { delaySeconds: Math.ceil(lease / 1000) + 1 });
      return 'busy';
    }
    if (claim === 'cancelled' || claim === 'exhausted') {
      await this.#settled(msg, claim === 'cancelled' ? 'cancelled' : 'failed');
      return claim;
    }
    const job = await this.#fixed(msg.bulkId);
    if (!job) return 'gone';
    const ctx = this.#ctx(msg, { userId: job.actor, teamId: job.teamId });
    const reason = (job.reason ?? `bulk revoke (${job.source}): ${job.selection}`).slice(0, 300);
    const out = await revokeBulkItem(ctx, msg.ref, reason, attempt >= BULK_MAX_ATTEMPTS);
    if (out.state === 'retry') {
      if (await store.releaseItem(msg.bulkId, msg.ref, attempt, out.detail))
        await this.deps.queue.send(msg, { delaySeconds: retryDelayS(attempt, out.retryAfterMs) });
      return 'retry';
    }
    const fields = out.state === 'failed' ? { detail: out.detail, errorCode: out.errorCode } : { detail: out.detail };
    if (await store.finishItem(msg.bulkId, msg.ref, attempt, out.state, fields)) await this.#settled(msg, out.state);
    return out.state;
  }

  /** A job's fields that never change (actor, reason, selection), read once per job per worker. */
  async #fixed(id: string): Promise<BulkJob | undefined> {
    const known = this.#jobs.get(id);
    if (known) return known;
    const job = await this.deps.stores.bulk.get(id);
    if (this.#jobs.size > 100) this.#jobs.clear();
    if (job) this.#jobs.set(id, job);
    return job;
  }

  /** Counts a settled token; refreshes the progress message now and then, and ends the job after the last. */
  async #settled(msg: BulkJobMsg, state: 'revoked' | 'not_found' | 'failed' | 'cancelled', n = 1): Promise<void> {
    const job = await this.deps.stores.bulk.tally(msg.bulkId, state, n);
    if (!job) return;
    if (settledOf(job.counts ?? {}) >= job.total) return this.#finalize(job.id, msg);
    if (await this.deps.stores.bulk.progressTick(job.id, this.deps.progressGapMs ?? 1500))
      await this.#refresh(job, msg);
  }

  async #refresh(job: BulkJob, msg: BulkJobMsg): Promise<void> {
    if (!job.messageTs) return;
    await this.deps.output
      .updateMessage(job.channelId, job.messageTs, bulkProgressView(job, Date.now()))
      .catch(dropped(this.#log(msg), 'bulk progress update', msg.correlationId));
  }

  /** Ends the job once (a conditional transition): the final message, the thread summary, the audit. */
  async #finalize(id: string, msg: BulkJobMsg): Promise<void> {
    const store = this.deps.stores.bulk;
    const job = await store.get(id);
    if (!job) return;
    const to = job.status === 'stopping' ? 'stopped' : 'done';
    const finishedAt = new Date().toISOString();
    if (!(await store.transition(id, [job.status === 'stopping' ? 'stopping' : 'running'], to, { finishedAt }))) return;
    const ended = { ...job, status: to, finishedAt } as BulkJob;
    const items = await store.items(id);
    const failed = items.filter((i) => i.state === 'failed');
    await this.#refresh(ended, msg);
    const summary = bulkSummaryView(ended, failed);
    const log = this.#log(msg);
    if (ended.messageTs)
      await this.deps.output
        .postMessage({ channel: ended.channelId }, summary, ended.messageTs)
        .catch(dropped(log, 'bulk summary', msg.correlationId));
    // A job that selected no token names no provider: '*' (as in the policy), not a made-up one.
    const record = this.#jobRecord(ended, msg, items[0]?.provider ?? '*');
    await this.deps.stores.audit.put(record).catch(dropped(log, 'bulk audit record', msg.correlationId));
    await this.deps.output
      .postAudit(auditNoticeView(record))
      .catch(dropped(log, 'bulk audit notice', msg.correlationId));
  }

  /** The one audit record of the job itself (each token has its own). */
  #jobRecord(job: BulkJob, msg: BulkJobMsg, provider: ProviderType): AuditRecord {
    const c = job.counts ?? {};
    const at = new Date().toISOString();
    return {
      id: newAuditId(at),
      at,
      actor: job.actor,
      action: 'revoke',
      provider,
      connection: '(bulk)',
      reason: job.reason,
      outcome: (c.failed ?? 0) > 0 ? 'failed' : 'succeeded',
      detail: `bulk job ${job.id} (${job.source}) ${job.status}: ${job.selection} — ${c.revoked ?? 0} revoked, ${c.not_found ?? 0} already gone, ${c.failed ?? 0} failed, ${c.cancelled ?? 0} cancelled of ${job.total}`,
      correlationId: msg.correlationId,
    };
  }

  async #stop(msg: JobOf<'bulk_stop'>): Promise<string> {
    const store = this.deps.stores.bulk;
    const job = await store.get(msg.bulkId);
    if (!job) return 'gone';
    const refused = await stopRefusal(this.#ctx(msg, msg.origin), job);
    if (refused) return this.#say(msg, { kind: 'refused', message: `Not stopped: ${refused}` });
    if (job.status === 'previewed') {
      await store.transition(job.id, ['previewed'], 'stopped', { stoppedBy: msg.origin.userId });
      return this.#say(msg, { kind: 'refused', message: 'Cancelled: nothing was revoked.' });
    }
    if (!(await store.transition(job.id, ['running'], 'stopping', { stoppedBy: msg.origin.userId })))
      return 'duplicate';
    const n = await store.cancelPending(job.id);
    if (n > 0) await this.#settled(msg, 'cancelled', n);
    else {
      const now = await store.get(job.id);
      if (now && settledOf(now.counts ?? {}) >= now.total) await this.#finalize(job.id, msg);
      else if (now) await this.#refresh(now, msg);
    }
    return 'stopped';
  }

  async #say(msg: BulkJobMsg, reply: Reply): Promise<string> {
    const view = renderReply(reply, msg.correlationId);
    await this.deps.output.respond(msg.origin, view).catch(dropped(this.#log(msg), 'bulk reply', msg.correlationId));
    return reply.kind;
  }

  #log(msg: BulkJobMsg): Log {
    const keys = { correlationId: msg.correlationId, jobId: msg.id };
    const { log } = this.deps;
    return {
      info: (m, e) => log.info(m, { ...keys, ...e }),
      warn: (m, e) => log.warn(m, { ...keys, ...e }),
      error: (m, e) => log.error(m, { ...keys, ...e }),
    };
  }
}

/** What another part of tokenops asks for: a selection or a list of REFs, revoked as one bulk job. */
export interface StartBulkRequest {
  source: 'leak' | 'offboarding' | 'command';
  /** Slack user id on whose authority it runs (`tokenops` for automatic jobs). */
  actor: string;
  teamId: string;
  refs?: readonly string[] | undefined;
  selection?: BulkSelection | undefined;
  reason?: string | undefined;
  /** Where the progress message goes. @default the audit channel */
  channelId?: string | undefined;
  correlationId: string;
}

/**
 * The entry point for automatic bulk revocations (offboarding, leak reports): plans the tokens, saves
 * the job and starts it at once (no preview: the caller's policy already decided). Returns the job, or
 * undefined when nothing matched. Its own credential and unsupported tokens are skipped, as always.
 */
export async function startBulkRevocation(
  deps: BulkDeps,
  req: StartBulkRequest,
): Promise<{ job: BulkJob; plan: BulkPlan } | undefined> {
  const ctx = new UseCaseContext(
    deps,
    { userId: req.actor, teamId: req.teamId, correlationId: req.correlationId },
    async () => {
      throw new Error('a bulk job never delivers a secret');
    },
  );
  const plan = req.refs ? await planRefs(ctx, req.refs) : await planBulk(ctx, req.selection ?? {});
  if (plan.items.length === 0) return undefined;
  const selection = req.refs ? `${req.refs.length} tokens (${req.source})` : selectionText(req.selection ?? {});
  const channelId = req.channelId ?? deps.auditChannel ?? '';
  const job = await saveBulkJob(ctx, plan, { source: req.source, selection, channelId, reason: req.reason });
  const origin = { userId: req.actor, teamId: req.teamId, channelId };
  await deps.queue.send({
    id: `bulk-start-${job.id}`,
    correlationId: req.correlationId,
    createdAt: new Date().toISOString(),
    origin,
    kind: 'bulk_start',
    bulkId: job.id,
  });
  return { job, plan };
}
