import type { AuditRecord } from '../core/audit.js';
import type { LeakItem } from '../core/leak-door.js';
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
  | {
      kind: 'approval';
      approvalId: string;
      decision: 'approved' | 'denied';
      /** The denier's reason (from the small modal), shown on the card and to the requester. */
      note?: string | undefined;
    }
  /** Publishes a person's App Home tab (opened, refreshed, or after an action taken from it). */
  | { kind: 'home' }
  | { kind: 'schedule'; task: 'expiry_reminders' | 'stale_report' | 'orphan_sweep' }
  /** Starts a previewed bulk job (the confirmation, with the number typed when one was asked for). */
  | { kind: 'bulk_start'; bulkId: string; typed?: number | undefined }
  /** Revokes one token of a running bulk job. */
  | { kind: 'bulk_item'; bulkId: string; ref: string }
  /** Stops a bulk job: what has not started is cancelled (or drops a preview). */
  | { kind: 'bulk_stop'; bulkId: string }
  /** A leak reported in Slack (`/token leaked`): fingerprints only, taken at the ingress. */
  | { kind: 'leak_report'; items: LeakItem[] }
  /** A Slack user was deactivated (`user_change`, `deleted: true`): their tokens, by policy. */
  | { kind: 'offboard'; subject: string }
  /** Security's choice on an offboarding card. */
  | { kind: 'offboard_decision'; subject: string; decision: OffboardDecision; newOwner?: string | undefined }
);

/** What security chose for a deactivated person's tokens. */
export type OffboardDecision = 'revoke' | 'keep' | 'reassign';

/** The kinds of a bulk job's messages: idempotent through the job's own conditional writes. */
export const BULK_KINDS: readonly Job['kind'][] = ['bulk_start', 'bulk_item', 'bulk_stop'];

/** The port both queues implement (core/ports.ts), for tokenops' jobs. */
export type JobQueue = QueuePort<Job>;

/** A job of one kind. */
export type JobOf<K extends Job['kind']> = Extract<Job, { kind: K }>;

/** The fields every job has. */
type JobHead = Pick<Job, 'id' | 'correlationId' | 'origin'>;

/** The job for a command someone asked for (no secret in it: the ingress hashes pasted ones). */
export function commandJob(head: JobHead, command: Command, now: Date = new Date()): JobOf<'command'> {
  return { ...head, createdAt: now.toISOString(), kind: 'command', command };
}

/** The job that posts an audit record's notice (and stores the record if it is not stored yet). */
export function auditPostJob(
  head: JobHead,
  record: AuditRecord,
  attempt: number,
  now: Date = new Date(),
): JobOf<'audit_post'> {
  return { ...head, createdAt: now.toISOString(), kind: 'audit_post', record, attempt };
}

/** The job for an approver's click on Approve or Deny. */
export function approvalJob(
  head: JobHead,
  approvalId: string,
  decision: 'approved' | 'denied',
  now: Date = new Date(),
): JobOf<'approval'> {
  return { ...head, createdAt: now.toISOString(), kind: 'approval', approvalId, decision };
}
