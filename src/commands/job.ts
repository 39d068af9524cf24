import type { AuditRecord } from '../core/audit.js';
import type { JobOrigin, JobQueue as QueuePort } from '../core/ports.js';
import type { Command } from './command.js';

export type { JobOrigin } from '../core/ports.js';

/** A unit of work for the worker. Serialised into SQS: it never carries a secret. */
export type Job = {
  /** Idempotency key: Slack's trigger_id, or a content hash. */
  id: string;
  correlationId: string;
  createdAt: string;
  origin: JobOrigin;
} & (
  | { kind: 'command'; command: Command; approvedBy?: string | undefined }
  /** Posts an audit notice that could not be posted before (Slack down). Carries the record: no secret in it. */
  | { kind: 'audit_post'; record: AuditRecord; attempt: number }
  | { kind: 'approval'; approvalId: string; decision: 'approved' | 'denied' }
  | { kind: 'schedule'; task: 'expiry_reminders' | 'stale_report' }
);

/** The port both queues implement (core/ports.ts), for tokenops' jobs. */
export type JobQueue = QueuePort<Job>;
