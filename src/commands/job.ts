import type { AuditRecord } from '../core/audit.js';
import type { Command } from './command.js';

/** Who started a job, and where to answer. */
export interface JobOrigin {
  userId: string;
  teamId: string;
  channelId: string;
  /** Slack's response_url (valid 30 minutes, 5 uses). Absent for scheduled jobs. */
  responseUrl?: string | undefined;
  /** True when the answer should replace the message with the button that started it. */
  replaceOriginal?: boolean | undefined;
}

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

/** The port both queues implement: the in-process one (tests, local) and SQS (AWS). */
export interface JobQueue {
  send(job: Job, options?: { delaySeconds?: number }): Promise<void>;
}
