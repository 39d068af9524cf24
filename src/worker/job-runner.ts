import { withDeadline } from '../core/deadline.js';
import { TokenOpsError } from '../core/errors.js';
import { dropped } from '../core/dropped.js';
import type { Log, Notifier } from '../core/ports.js';
import { noTelemetry, type Telemetry } from '../core/telemetry.js';
import { COMMAND_TRAITS } from '../commands/access.js';
import { BULK_KINDS, type Job, type JobOf, type JobQueue } from '../commands/job.js';
import { BulkRunner, type BulkDeps } from './bulk-runner.js';
import type { Reply } from '../commands/reply.js';
import { errorReply, runCommand } from '../commands/run.js';
import { decideApproval, requestApproval } from '../commands/use-cases/approval.js';
import { UseCaseContext, type UseCaseDeps } from '../commands/use-cases/context.js';
import { renderReply } from '../slack/render.js';
import { approvalDecidedView, approvalOutcomeView, approvalRequestView, type View } from '../slack/views.js';
import { publishHome } from './home.js';
import { AuditNotices } from './audit-notices.js';
import { runScheduledTask } from './schedule.js';
import { deliverSecretTo } from './secret-delivery.js';
import { jobLabel, reportCommand } from './job-metrics.js';
import { runIncidentJob, type IncidentPolicy } from './incident-jobs.js';
import { reconcileOrphans } from './orphans.js';
import {
  DECISION_NOT_RECORDED,
  INTERRUPTED,
  INTERRUPTED_SETTLED,
  approvalSubject,
  runsWithoutClaim,
  safeToRepeat,
} from './job-rules.js';

export type { Log } from '../core/ports.js';

/** What the runner needs beyond the use cases' own dependencies. */
export interface JobRunnerDeps
  extends UseCaseDeps, Partial<Pick<BulkDeps, 'bulkLeaseMs' | 'progressGapMs' | 'auditChannel'>> {
  output: Notifier<View>;
  queue: JobQueue;
  /** How long a claimed job is ours before a redelivery may take it over. @default 5 min */
  leaseMs?: number;
  /** Expiry reminders go out this many days ahead. @default 14 */
  reminderDays?: number;
  /** Operational metrics (EMF on AWS). @default none */
  telemetry?: Telemetry;
  /** Leak policy and offboarding policy. @default propose, ask */
  incident?: IncidentPolicy;
}

const DEFAULT_INCIDENT: IncidentPolicy = { leakPolicy: () => 'propose', onDeactivation: 'ask' };

/** Thrown to make the queue deliver the job again later. */
export class RetryLater extends Error {}

/**
 * How long a claimed job is its worker's. It must outlast any run (the worker Lambda's timeout, 60 s):
 * then a live run always holds its claim, and a redelivered message (SQS visibility timeout, 6 min)
 * finds the job done, or its lease lapsed with the run dead — never a run still going.
 */
export const DEFAULT_LEASE_MS = 300_000;

/** Runs jobs from the queue: each acts once, answers the requester and posts its audit notices. */
export class JobRunner {
  readonly #notices: AuditNotices;

  readonly #telemetry: Telemetry;

  readonly #bulk: BulkRunner;

  constructor(private readonly deps: JobRunnerDeps) {
    this.#notices = new AuditNotices(deps);
    this.#bulk = new BulkRunner(deps);
    this.#telemetry = deps.telemetry ?? noTelemetry;
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

  /**
   * Runs one job, by its deadline when one is given (the provider client fits its retry waits into it).
   * `previousRunDied`: a restarted local queue redelivers a job its crashed process had started; its
   * claim is then judged at once (run again if safe, else "interrupted"), not after its lease.
   * Throws RetryLater only when the job should come back.
   */
  async run(job: Job, deadline?: number, options: { previousRunDied?: boolean } = {}): Promise<void> {
    const run = (): Promise<void> => this.#run(job, options.previousRunDied ?? false);
    return deadline === undefined ? run() : withDeadline(deadline, run);
  }

  async #run(job: Job, previousRunDied: boolean): Promise<void> {
    // A bulk job's messages are made idempotent by the job's own conditional writes (item leases).
    if (BULK_KINDS.includes(job.kind)) {
      await this.#bulk.run(job as JobOf<'bulk_item'>);
      return;
    }
    const log = this.#log(job);
    const claims = this.deps.stores.claims;
    const claim = await claims
      .claim(job.id, this.deps.leaseMs ?? DEFAULT_LEASE_MS, { takeover: safeToRepeat(job), ownerDied: previousRunDied })
      .catch((err: unknown) => {
        log.error('job claim failed', { error: (err as Error).name });
        return 'unavailable' as const;
      });
    if (claim === 'done') return log.info('duplicate job skipped');
    if (claim === 'busy') throw new RetryLater(`job ${job.id} is running elsewhere`);
    if (claim === 'interrupted') return this.#interrupted(job);
    if (claim === 'unavailable' && !runsWithoutClaim(job)) {
      // No claim store, no at-most-once guarantee: a change must not run blind. Say so, in its words.
      if (job.kind === 'approval') return this.#reply(job, this.#notRecorded());
      if (job.kind !== 'command') throw new RetryLater('the job store is unavailable');
      const mints = COMMAND_TRAITS[job.command.name].mints;
      return this.#reply(job, errorReply(new TokenOpsError('audit_unavailable', ''), job.correlationId, mints));
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
      this.#telemetry.job(jobLabel(job), 'failed');
      summary = 'failed';
      // A click is answered even when its job fails (the approvals store went away mid-way).
      if (job.kind === 'approval') await this.#reply(job, this.#notRecorded());
    }
    if (!completed) await complete(summary);
  }

  #notRecorded(): Reply {
    return { kind: 'error', code: 'audit_unavailable', message: DECISION_NOT_RECORDED };
  }

  /**
   * Settles interrupted mints (all of them, or one job's) and tells each requester and the audit
   * channel. Never throws: a failed sweep is retried by the next lease lapse or schedule.
   */
  async #sweep(job: Job, correlationId?: string): Promise<number> {
    const log = this.#log(job);
    const leaseMs = this.deps.leaseMs ?? DEFAULT_LEASE_MS;
    return reconcileOrphans(this.deps, this.#notices, { job, leaseMs, correlationId, log }).catch((err: unknown) => {
      log.error('orphan sweep failed', { error: (err as Error).name });
      return 0;
    });
  }

  /**
   * An earlier run of a job that mints died mid-way: never run it again (no second token). Its orphan,
   * if the provider call got through, is found and revoked now, and the requester hears how it ended.
   */
  async #interrupted(job: Job): Promise<void> {
    const log = this.#log(job);
    log.warn('interrupted job not repeated');
    const settled = job.kind === 'command' ? await this.#sweep(job, job.correlationId) : 0;
    const message = settled > 0 ? INTERRUPTED_SETTLED : INTERRUPTED;
    if (job.kind === 'command' || job.kind === 'approval')
      await this.#reply(job, { kind: 'error', code: 'conflict', message });
    await this.deps.stores.claims.complete(job.id, 'interrupted').catch(dropped(log, 'job claim completion'));
  }

  async #dispatch(job: Job, complete: (summary: string) => Promise<void>): Promise<string> {
    switch (job.kind) {
      case 'command':
        return this.#command(job, complete);
      case 'audit_post':
        // A refused change arrives from the ingress as its audit notice: the refusal happened there.
        if (job.attempt === 0 && job.record.outcome === 'refused') this.#telemetry.refusal('ingress');
        await this.#notices.post(job.record, job.attempt, job, this.#log(job));
        return 'posted';
      case 'approval': {
        const outcome = await this.#approval(job);
        this.#telemetry.job('approval', outcome === 'refused' ? 'refused' : 'ok');
        return outcome;
      }
      case 'schedule': {
        if (job.task === 'orphan_sweep') return `settled ${await this.#sweep(job)}`;
        const deps = { ...this.deps, reminderDays: this.deps.reminderDays ?? 14 };
        const done = await runScheduledTask(deps, job.task, this.#log(job), this.deps.now?.());
        this.#telemetry.job(job.task, 'ok');
        return done;
      }
      case 'bulk_start':
      case 'bulk_item':
      case 'bulk_stop':
        return this.#bulk.run(job);
      case 'home':
        return publishHome(this.deps, this.#context(job), job);
      case 'leak_report':
      case 'offboard':
      case 'offboard_decision': {
        const log = this.#log(job);
        const notices = (ctx: UseCaseContext) => this.#notices.postAll(ctx.audit, ctx.stored, job, log);
        return runIncidentJob(this.deps, this.deps.incident ?? DEFAULT_INCIDENT, job, notices, log);
      }
    }
  }

  /** The use case context of a job: its actor, and secrets delivered to the requester only. */
  #context(job: Job): UseCaseContext {
    const { userId, teamId, channelId } = job.origin;
    const actor = { userId, teamId, channelId, correlationId: job.correlationId };
    if (job.kind !== 'command')
      return new UseCaseContext(this.deps, actor, async () => {
        throw new TokenOpsError('internal', `${job.kind} jobs deliver no secrets`);
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
      const subject = {
        ...approvalSubject(filed.request.requester, job.command, filed.request.target),
        tokenName: filed.request.tokenName,
        detail: filed.request.detail,
      };
      const card = await this.deps.output.postApproval(
        approvalRequestView({ ...subject, approvalId: filed.request.approvalId }),
      );
      if (card) {
        await this.deps.stores.approvals
          .setCard(filed.request.approvalId, card)
          .catch(dropped(this.#log(job), 'approval card location', job.correlationId));
      }
      return filed.reply.kind === 'pending_approval'
        ? { ...filed.reply, approvalsChannel: card?.channel }
        : filed.reply;
    });
    this.#log(job).info('command done', {
      command: job.command.name,
      reply: reply.kind,
      ...(reply.kind === 'error' ? { code: reply.code } : {}),
    });
    reportCommand(this.#telemetry, job, reply);
    await Promise.all([
      this.#reply(job, reply),
      this.#notices.postAll(ctx.audit, ctx.stored, job, this.#log(job)),
      complete?.(reply.kind),
    ]);
    // A change made from the Home tab (or approved later) shows there at once.
    if (job.origin.inDm) {
      await publishHome(this.deps, this.#context({ ...job, kind: 'home' } as Job), job).catch(
        dropped(this.#log(job), 'home refresh', job.correlationId),
      );
    }
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
    const card = approvalDecidedView({
      ...approvalSubject(outcome.subject.requester, outcome.command, outcome.subject.target),
      tokenName: outcome.subject.tokenName,
      approver,
      decision: outcome.decision,
      note: job.note,
    });
    // The card updates in place: by its channel and ts when known, else through the click's response_url.
    const where =
      outcome.card ?? (job.origin.messageTs ? { channel: job.origin.channelId, ts: job.origin.messageTs } : undefined);
    await (
      where
        ? this.deps.output.updateMessage(where.channel, where.ts, card)
        : this.deps.output.respond({ ...job.origin, replaceOriginal: true }, card)
    ).catch(dropped(log, 'approval message update', job.correlationId));
    // The requester hears the outcome in their DM, where the pending reply said they would.
    const told = approvalOutcomeView({
      decision: outcome.decision,
      approver,
      summary: outcome.summary,
      note: job.note,
    });
    await this.deps.output
      .notifyUser(outcome.subject.requester, told)
      .catch(dropped(log, 'decision notice', job.correlationId));
    if (!outcome.approved) return 'denied';
    const origin = { ...outcome.approved.origin, responseUrl: undefined, replaceOriginal: false, inDm: true };
    await this.#command({ ...outcome.approved, origin });
    return 'approved';
  }

  async #reply(job: Job, reply: Reply): Promise<void> {
    const view = renderReply(reply, job.correlationId);
    // No channel to answer in (the Home tab, or a request approved later): the DM with the bot.
    const sent = job.origin.inDm
      ? this.deps.output.notifyUser(job.origin.userId, view)
      : this.deps.output.respond(job.origin, view);
    await sent.catch((err: unknown) => {
      this.#log(job).warn('reply not delivered', { error: (err as Error).name });
    });
  }
}
