import type { AuditRecord } from '../core/audit.js';
import { dropped } from '../core/dropped.js';
import type { Log, Notifier, Stores } from '../core/ports.js';
import { auditPostJob, type Job, type JobQueue } from '../commands/job.js';
import { auditNoticeView, type View } from '../slack/views.js';

// Lambda stops a worker that re-queues to its own queue after about 16 hops; stay below that.
// Delays grow to 15 min, so the notice keeps trying for well over an hour; the record itself is in DynamoDB.
const MAX_AUDIT_POST_ATTEMPTS = 12;

/** The delay before re-posting attempt `attempt + 1`: 5 s doubling, at most SQS's 15 min. */
export function auditRetryDelaySeconds(attempt: number): number {
  return Math.min(900, 5 * 2 ** Math.min(attempt, 8));
}

/**
 * Posts audit notices to the audit channel. Revocation is never blocked on Slack: a notice that does
 * not land is re-queued with a growing delay until it does (or is dropped, logged, after 12 tries).
 */
export class AuditNotices {
  constructor(private readonly deps: { stores: Stores; output: Notifier<View>; queue: JobQueue }) {}

  /** Posts one record's notice; `stored` says the use case already wrote the record. */
  async post(record: AuditRecord, attempt: number, job: Job, log: Log, stored = false): Promise<void> {
    try {
      // A record the use case could not store (store down, or a refusal from the ingress) is stored now.
      if (!stored)
        await this.deps.stores.audit.putIfAbsent(record).catch(dropped(log, 'audit record write', job.correlationId));
      await this.deps.output.postAudit(auditNoticeView(record));
    } catch {
      if (attempt >= MAX_AUDIT_POST_ATTEMPTS) return log.error('audit notice dropped', { auditId: record.id });
      log.warn('audit notice not posted, re-queued', { auditId: record.id, attempt });
      const head = { id: `audit-${record.id}-${attempt + 1}`, correlationId: job.correlationId, origin: job.origin };
      await this.deps.queue.send(auditPostJob(head, record, attempt + 1), {
        delaySeconds: auditRetryDelaySeconds(attempt),
      });
    }
  }

  /** Posts every record a use case wrote, in order. */
  async postAll(records: readonly AuditRecord[], stored: ReadonlySet<string>, job: Job, log: Log): Promise<void> {
    for (const record of records) await this.post(record, 0, job, log, stored.has(record.id));
  }
}
