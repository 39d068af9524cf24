import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../core/audit.js';
import { TokenOpsError } from '../core/errors.js';
import type { Log, Notifier } from '../core/ports.js';
import { PROVIDER_LABELS } from '../core/token.js';
import { COMMAND_TRAITS } from '../commands/access.js';
import type { Job, JobQueue } from '../commands/job.js';
import type { DeliverSecret, Reply } from '../commands/reply.js';
import { errorReply, runCommand } from '../commands/run.js';
import { UseCaseContext, type Actor, type UseCaseDeps } from '../commands/use-cases/context.js';
import { dueReminders, staleTokens } from '../commands/use-cases/schedule.js';
import { renderReply } from '../slack/render.js';
import { approvalDecidedView, approvalRequestView, auditNoticeView, secretDmView, type View } from '../slack/views.js';
import { message, section } from '../slack/views/blocks.js';
import { code, mention, safe } from '../slack/mrkdwn.js';

export type { Log } from '../core/ports.js';

/** What the runner needs beyond the use cases' own dependencies. */
export interface JobRunnerDeps extends UseCaseDeps {
  output: Notifier<View>;
  queue: JobQueue;
  log: Log;
  /** How long a claimed job is ours before a redelivery may take it over. @default 5 min */
  leaseMs?: number;
}

/** True when running a job again after a crash cannot mint a second token. */
function safeToRepeat(job: Job): boolean {
  if (job.kind === 'approval') return false;
  return !(job.kind === 'command' && COMMAND_TRAITS[job.command.name].mints);
}

/** Jobs that must run even when the claim store is down: revocation and audit notices are never blocked. */
function runsWithoutClaim(job: Job): boolean {
  return job.kind === 'audit_post' || (job.kind === 'command' && COMMAND_TRAITS[job.command.name].neverBlocked);
}

/** Thrown to make the queue deliver the job again later. */
export class RetryLater extends Error {}

// Lambda stops a worker that re-queues to its own queue after about 16 hops; stay below that.
// Delays grow to 15 min, so the notice keeps trying for well over an hour; the record itself is in DynamoDB.
const MAX_AUDIT_POST_ATTEMPTS = 12;

/** Runs jobs from the queue: each acts once, answers the requester and posts its audit notices. */
export class JobRunner {
  constructor(private readonly deps: JobRunnerDeps) {}

  /** The log with the job's correlation id (the one the user sees on a failure) and id on every line. */
  #log(job: Job): Log {
    const keys = { correlationId: job.correlationId, jobId: job.id };
    const { log } = this.deps;
    return {
      info: (m, e) => log.info(m, { ...keys, ...e }),
      warn: (m, e) => log.warn(m, { ...keys, ...e }),
      error: (m, e) => log.error(m, { ...keys, ...e }),
    };
  }

  /** Runs one job. Throws RetryLater only when the job should come back. */
  async run(job: Job): Promise<void> {
    const claim = await this.deps.stores.claims
      .claim(job.id, this.deps.leaseMs ?? 300_000, { takeover: safeToRepeat(job) })
      .catch((err: unknown) => {
        this.#log(job).error('job claim failed', { error: (err as Error).name });
        return 'unavailable' as const;
      });
    if (claim === 'done') return this.#log(job).info('duplicate job skipped');
    if (claim === 'busy') throw new RetryLater(`job ${job.id} is running elsewhere`);
    if (claim === 'interrupted') return this.#interrupted(job);
    if (claim === 'unavailable' && !runsWithoutClaim(job)) {
      // No claim store, no at-most-once guarantee: minting must not run blind.
      if (job.kind !== 'command') throw new RetryLater('the job store is unavailable');
      return this.#reply(job, errorReply(new TokenOpsError('audit_unavailable', ''), job.correlationId));
    }
    let completed = false;
    const complete = (summary: string): Promise<void> => {
      completed = true;
      return this.deps.stores.claims.complete(job.id, summary).then(
        () => undefined,
        () => undefined,
      );
    };
    let summary = 'ok';
    try {
      summary = await this.#dispatch(job, complete);
    } catch (err) {
      if (err instanceof RetryLater) {
        await this.deps.stores.claims.release(job.id).catch(() => undefined);
        throw err;
      }
      this.#log(job).error('job failed', { kind: job.kind, error: (err as Error).name });
      summary = 'failed';
    }
    if (!completed) await complete(summary);
  }

  /** An earlier run of a job that mints died mid-way: say so rather than risk a second token. */
  async #interrupted(job: Job): Promise<void> {
    this.#log(job).warn('interrupted job not repeated');
    if (job.kind === 'command' || job.kind === 'approval') {
      const message =
        'An earlier attempt at this request was interrupted before it finished, so tokenops will not repeat it: it may have taken effect. Check `/token list` (and your DM with the bot) before trying again.';
      await this.#reply(job, { kind: 'error', code: 'conflict', message });
    }
    await this.deps.stores.claims.complete(job.id, 'interrupted').catch(() => undefined);
  }

  async #dispatch(job: Job, complete: (summary: string) => Promise<void>): Promise<string> {
    switch (job.kind) {
      case 'command':
        return this.#command(job, complete);
      case 'audit_post':
        await this.#postAudit(job.record, job.attempt, job);
        return 'posted';
      case 'approval':
        return this.#approval(job);
      case 'schedule':
        return this.#schedule(job.task);
    }
  }

  /**
   * Runs a command job. Its tail — the reply, the audit notices and (given `complete`) the claim's
   * completion — does not depend on itself, so it goes out at once: one round trip, not three.
   */
  async #command(
    job: Extract<Job, { kind: 'command' }>,
    complete?: (summary: string) => Promise<void>,
  ): Promise<string> {
    const actor: Actor = {
      userId: job.origin.userId,
      teamId: job.origin.teamId,
      correlationId: job.correlationId,
      approvedBy: job.approvedBy,
    };
    // A job that mints opens the DM while it authorizes, audits and calls the provider.
    if (COMMAND_TRAITS[job.command.name].mints) this.deps.output.prepareDelivery?.(job.origin.userId);
    const ctx = new UseCaseContext(this.deps, actor, this.#deliverTo(job.origin.userId));
    const reply = await runCommand(ctx, job.command, (summary) => this.#requestApproval(ctx, job, summary));
    this.#log(job).info('command done', {
      command: job.command.name,
      reply: reply.kind,
      ...(reply.kind === 'error' ? { code: reply.code } : {}),
    });
    const notices = async () => {
      // One after another, so the audit channel shows them in the order they happened.
      for (const record of ctx.audit) await this.#postAudit(record, 0, job, ctx.stored.has(record.id));
    };
    await Promise.all([this.#reply(job, reply), notices(), complete?.(reply.kind)]);
    return reply.kind;
  }

  /** Delivers a secret to one user's DM, ephemerally. The only place `reveal()` is called. */
  #deliverTo(userId: string): DeliverSecret {
    return async (issued, context) => {
      const s = issued.summary;
      const view = secretDmView({
        ref: s.ref,
        tokenName: s.name,
        providerLabel: PROVIDER_LABELS[s.provider],
        secret: issued.secret.reveal(),
        expiresAt: s.expiresAt ?? null,
        ...(context.action === 'rotated' ? { note: 'This replaces the rotated token.' } : {}),
      });
      await this.deps.output.deliverSecret(userId, view);
    };
  }

  async #reply(job: Job, reply: Reply): Promise<void> {
    await this.deps.output.respond(job.origin, renderReply(reply, job.correlationId)).catch((err: unknown) => {
      this.#log(job).warn('reply not delivered', { error: (err as Error).name });
    });
  }

  /** Posts an audit notice; when Slack is down, re-queues it with a growing delay until it lands. */
  async #postAudit(record: AuditRecord, attempt: number, job: Job, stored = false): Promise<void> {
    try {
      // A record the use case could not store (store down, or a refusal from the ingress) is stored now.
      if (!stored) await this.deps.stores.audit.putIfAbsent(record).catch(() => undefined);
      await this.deps.output.postAudit(auditNoticeView(record));
    } catch {
      if (attempt >= MAX_AUDIT_POST_ATTEMPTS)
        return this.#log(job).error('audit notice dropped', { auditId: record.id });
      this.#log(job).warn('audit notice not posted, re-queued', { auditId: record.id, attempt });
      const retry: Job = {
        id: `audit-${record.id}-${attempt + 1}`,
        correlationId: job.correlationId,
        createdAt: new Date().toISOString(),
        origin: job.origin,
        kind: 'audit_post',
        record,
        attempt: attempt + 1,
      };
      await this.deps.queue.send(retry, { delaySeconds: Math.min(900, 5 * 2 ** Math.min(attempt, 8)) });
    }
  }

  async #requestApproval(ctx: UseCaseContext, job: Extract<Job, { kind: 'command' }>, summary: string): Promise<Reply> {
    const id = randomUUID();
    const cmd = job.command;
    if (cmd.name !== 'create') throw new TokenOpsError('internal', 'Only create needs approval.');
    await this.deps.stores.approvals.create({
      id,
      requester: job.origin.userId,
      job: JSON.stringify(job),
      summary,
      status: 'pending',
      createdAt: new Date().toISOString(),
    });
    const connection = this.deps.registry.resolveConnection(cmd.target.provider, cmd.target.connection);
    const record = await ctx.beginAudit({
      action: 'create',
      provider: cmd.target.provider,
      connection,
      tokenName: cmd.tokenName,
      reason: cmd.reason,
    });
    await ctx.finishAudit(record, 'pending_approval', { detail: `approval ${id}` });
    await this.deps.output.postApproval(
      approvalRequestView({
        approvalId: id,
        requester: job.origin.userId,
        action: 'create',
        target: `${cmd.target.provider}:${connection}`,
        tokenName: cmd.tokenName,
        detail: cmd.tier ? `tier ${cmd.tier}` : undefined,
        reason: cmd.reason,
      }),
    );
    return { kind: 'pending_approval', approvalId: id, summary };
  }

  async #approval(job: Extract<Job, { kind: 'approval' }>): Promise<string> {
    const approver = job.origin.userId;
    const actor: Actor = { userId: approver, teamId: job.origin.teamId, correlationId: job.correlationId };
    const ctx = new UseCaseContext(this.deps, actor, async () => {
      throw new TokenOpsError('internal', 'approvals deliver no secrets');
    });
    const request = await this.deps.stores.approvals.get(job.approvalId);
    const refuse = async (text: string): Promise<string> => {
      await this.#reply(job, { kind: 'refused', message: text });
      return 'refused';
    };
    if (!request || request.status !== 'pending') return refuse('That request was already decided or has expired.');
    const original = JSON.parse(request.job) as Extract<Job, { kind: 'command' }>;
    const cmd = original.command;
    if (cmd.name !== 'create') return refuse('That request is malformed.');
    const connection = this.deps.registry.resolveConnection(cmd.target.provider, cmd.target.connection);
    /** Audits this decision (or the refusal of it) and posts the notice. */
    const audit = async (outcome: 'succeeded' | 'refused', detail: string): Promise<void> => {
      const { record } = await ctx.beginAuditSoft({
        action: job.decision === 'approved' ? 'approve' : 'deny',
        provider: cmd.target.provider,
        connection,
        tokenName: cmd.tokenName,
        detail,
      });
      await ctx.finishAudit(record, outcome, outcome === 'refused' ? { errorCode: 'denied' } : {});
      for (const r of ctx.audit.splice(0)) await this.#postAudit(r, 0, job, ctx.stored.has(r.id));
    };
    const refuseAudited = async (text: string): Promise<string> => {
      await audit('refused', `request ${request.id} by ${request.requester}: ${text}`);
      return refuse(text);
    };
    if (request.requester === approver) return refuseAudited('You cannot approve or deny your own request.');
    try {
      await ctx.authorize('approve', cmd.target.provider);
    } catch (err) {
      return refuseAudited(
        errorReply(err, job.correlationId).kind === 'refused' ? (err as Error).message : 'Not allowed.',
      );
    }
    const decided = await this.deps.stores.approvals.decide(job.approvalId, job.decision, approver);
    if (!decided) return refuse('Someone else decided that request first.');
    await audit('succeeded', `request ${request.id} by ${request.requester}`);
    const subject = {
      requester: request.requester,
      action: 'create',
      target: `${cmd.target.provider}:${connection}`,
      tokenName: cmd.tokenName,
    };
    await this.deps.output
      .respond(
        { ...job.origin, replaceOriginal: true },
        approvalDecidedView({ ...subject, approver, decision: job.decision }),
      )
      .catch(() => undefined);
    if (job.decision === 'denied') {
      await this.deps.output
        .notifyUser(
          request.requester,
          message('Request denied', [section(`:no_entry: Your request to ${safe(request.summary, 500)} was denied.`)]),
        )
        .catch(() => undefined);
      return 'denied';
    }
    await this.#command({ ...original, id: `${original.id}-approved`, approvedBy: approver });
    return 'approved';
  }

  async #schedule(task: 'expiry_reminders' | 'stale_report'): Promise<string> {
    const now = new Date();
    if (task === 'expiry_reminders') {
      const due = await dueReminders(this.deps.stores.tokens, now, 14);
      for (const t of due) {
        const text = `:alarm_clock: Your token ${code(t.ref, 300)} (${safe(t.name, 200)}) expires ${safe(t.expiresAt ?? '', 40)}. Rotate it with ${code(`/token rotate ${t.ref}`, 400)}.`;
        await this.deps.output
          .notifyUser(t.owner, message(`Token ${safe(t.name, 200)} expires soon`, [section(text)]))
          .catch(() => undefined);
      }
      return `reminded ${due.length}`;
    }
    const stale = await staleTokens(this.deps.stores.tokens, now, 90);
    if (stale.length > 0) {
      const lines = stale
        .slice(0, 40)
        .map(
          (t) =>
            `• ${code(t.ref, 300)} ${safe(t.name, 100)} (minted ${t.createdAt.slice(0, 10)} for ${mention(t.owner)})`,
        );
      await this.deps.output.postAudit(
        message(`${stale.length} tokens are older than 90 days`, [
          section(
            `:broom: *${stale.length} tokens minted by tokenops are older than 90 days* and were never rotated:\n${lines.join('\n')}`,
          ),
        ]),
      );
    }
    return `stale ${stale.length}`;
  }
}
