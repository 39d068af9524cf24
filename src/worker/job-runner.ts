import { TokenOpsError } from '../core/errors.js';
import { dropped } from '../core/dropped.js';
import type { Log, Notifier } from '../core/ports.js';
import { COMMAND_TRAITS } from '../commands/access.js';
import type { Job, JobOf, JobQueue } from '../commands/job.js';
import type { Reply } from '../commands/reply.js';
import { errorReply, runCommand } from '../commands/run.js';
import { decideApproval, requestApproval } from '../commands/use-cases/approval.js';
import { UseCaseContext, type UseCaseDeps } from '../commands/use-cases/context.js';
import { renderReply } from '../slack/render.js';
import { approvalDecidedView, approvalRequestView, requestDeniedView, type View } from '../slack/views.js';
import { AuditNotices } from './audit-notices.js';
import { runScheduledTask } from './schedule.js';
import { deliverSecretTo } from './secret-delivery.js';

export type { Log } from '../core/ports.js';

/** What the runner needs beyond the use cases' own dependencies. */
export interface JobRunnerDeps extends UseCaseDeps {
  output: Notifier<View>;
  queue: JobQueue;
  /** How long a claimed job is ours before a redelivery may take it over. @default 5 min */
  leaseMs?: number;
  /** Expiry reminders go out this many days ahead. @default 14 */
  reminderDays?: number;
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

const INTERRUPTED =
  'An earlier attempt at this request was interrupted before it finished, so tokenops will not repeat it: it may have taken effect. Check `/token list` (and your DM with the bot) before trying again.';

/** Runs jobs from the queue: each acts once, answers the requester and posts its audit notices. */
export class JobRunner {
  readonly #notices: AuditNotices;

  constructor(private readonly deps: JobRunnerDeps) {
    this.#notices = new AuditNotices(deps);
  }

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
    const log = this.#log(job);
    const claims = this.deps.stores.claims;
    const claim = await claims
      .claim(job.id, this.deps.leaseMs ?? 300_000, { takeover: safeToRepeat(job) })
      .catch((err: unknown) => {
        log.error('job claim failed', { error: (err as Error).name });
        return 'unavailable' as const;
      });
    if (claim === 'done') return log.info('duplicate job skipped');
    if (claim === 'busy') throw new RetryLater(`job ${job.id} is running elsewhere`);
    if (claim === 'interrupted') return this.#interrupted(job);
    if (claim === 'unavailable' && !runsWithoutClaim(job)) {
      // No claim store, no at-most-once guarantee: minting must not run blind.
      if (job.kind !== 'command') throw new RetryLater('the job store is unavailable');
      return this.#reply(job, errorReply(new TokenOpsError('audit_unavailable', ''), job.correlationId));
    }
    let completed = false;
    const complete = async (summary: string): Promise<void> => {
      completed = true;
      await claims.complete(job.id, summary).catch(dropped(log, 'job claim completion'));
    };
    let summary = 'ok';
    try {
      summary = await this.#dispatch(job, complete);
    } catch (err) {
      if (err instanceof RetryLater) {
        await claims.release(job.id).catch(dropped(log, 'job claim release'));
        throw err;
      }
      log.error('job failed', { kind: job.kind, error: (err as Error).name });
      summary = 'failed';
    }
    if (!completed) await complete(summary);
  }

  /** An earlier run of a job that mints died mid-way: say so rather than risk a second token. */
  async #interrupted(job: Job): Promise<void> {
    const log = this.#log(job);
    log.warn('interrupted job not repeated');
    if (job.kind === 'command' || job.kind === 'approval')
      await this.#reply(job, { kind: 'error', code: 'conflict', message: INTERRUPTED });
    await this.deps.stores.claims.complete(job.id, 'interrupted').catch(dropped(log, 'job claim completion'));
  }

  async #dispatch(job: Job, complete: (summary: string) => Promise<void>): Promise<string> {
    switch (job.kind) {
      case 'command':
        return this.#command(job, complete);
      case 'audit_post':
        await this.#notices.post(job.record, job.attempt, job, this.#log(job));
        return 'posted';
      case 'approval':
        return this.#approval(job);
      case 'schedule': {
        const deps = { ...this.deps, reminderDays: this.deps.reminderDays ?? 14 };
        return runScheduledTask(deps, job.task, this.#log(job), this.deps.now?.());
      }
    }
  }

  /** The use case context of a job: its actor, and secrets delivered to the requester only. */
  #context(job: JobOf<'command'> | JobOf<'approval'>): UseCaseContext {
    const { userId, teamId } = job.origin;
    const actor = { userId, teamId, correlationId: job.correlationId };
    if (job.kind === 'approval')
      return new UseCaseContext(this.deps, actor, async () => {
        throw new TokenOpsError('internal', 'approvals deliver no secrets');
      });
    const deliver = deliverSecretTo(this.deps.output, userId);
    return new UseCaseContext(this.deps, { ...actor, approvedBy: job.approvedBy }, deliver);
  }

  /**
   * Runs a command job. Its tail — the reply, the audit notices and (given `complete`) the claim's
   * completion — does not depend on itself, so it goes out at once: one round trip, not three.
   */
  async #command(job: JobOf<'command'>, complete?: (summary: string) => Promise<void>): Promise<string> {
    // A job that mints opens the DM while it authorizes, audits and calls the provider.
    if (COMMAND_TRAITS[job.command.name].mints) this.deps.output.prepareDelivery?.(job.origin.userId);
    const ctx = this.#context(job);
    const reply = await runCommand(ctx, job.command, async (summary) => {
      const filed = await requestApproval(ctx, job, summary);
      await this.deps.output.postApproval(approvalRequestView(filed.request));
      return filed.reply;
    });
    this.#log(job).info('command done', {
      command: job.command.name,
      reply: reply.kind,
      ...(reply.kind === 'error' ? { code: reply.code } : {}),
    });
    await Promise.all([
      this.#reply(job, reply),
      this.#notices.postAll(ctx.audit, ctx.stored, job, this.#log(job)),
      complete?.(reply.kind),
    ]);
    return reply.kind;
  }

  async #approval(job: JobOf<'approval'>): Promise<string> {
    const ctx = this.#context(job);
    const log = this.#log(job);
    const outcome = await decideApproval(ctx, job);
    await this.#notices.postAll(ctx.audit, ctx.stored, job, log);
    if (outcome.kind === 'refused') {
      await this.#reply(job, { kind: 'refused', message: outcome.message });
      return 'refused';
    }
    const approver = job.origin.userId;
    const decided = approvalDecidedView({ ...outcome.subject, approver, decision: outcome.decision });
    await this.deps.output
      .respond({ ...job.origin, replaceOriginal: true }, decided)
      .catch(dropped(log, 'approval message update', job.correlationId));
    if (!outcome.approved) {
      await this.deps.output
        .notifyUser(outcome.subject.requester, requestDeniedView(outcome.summary))
        .catch(dropped(log, 'denial notice', job.correlationId));
      return 'denied';
    }
    await this.#command(outcome.approved);
    return 'approved';
  }

  async #reply(job: Job, reply: Reply): Promise<void> {
    await this.deps.output.respond(job.origin, renderReply(reply, job.correlationId)).catch((err: unknown) => {
      this.#log(job).warn('reply not delivered', { error: (err as Error).name });
    });
  }
}
