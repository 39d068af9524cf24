import type { ProviderType } from './token.js';

/** Where a bulk revocation came from. */
export type BulkSource = 'command' | 'leak' | 'offboarding';

/**
 * A bulk job's life: `previewed` (nothing changed yet) → `running` (confirmed) → `done`; or
 * `running` → `stopping` (Stop pressed: what has not started is cancelled) → `stopped`.
 */
export type BulkStatus = 'previewed' | 'running' | 'stopping' | 'done' | 'stopped';

/** One token's state inside a bulk job. */
export type BulkItemState = 'pending' | 'running' | 'revoked' | 'not_found' | 'failed' | 'cancelled';

/** States an item ends in. */
export const FINAL_ITEM_STATES: readonly BulkItemState[] = ['revoked', 'not_found', 'failed', 'cancelled'];

/** A durable bulk revocation. Holds no secret: tokens are named by REF. */
export interface BulkJob {
  id: string;
  status: BulkStatus;
  source: BulkSource;
  /** Slack user id of the person who asked (or confirmed); `tokenops` for automatic jobs. */
  actor: string;
  teamId: string;
  /** Where the progress message lives. */
  channelId: string;
  /** The selection in words, e.g. `--owner @sam --provider mailtrap`. */
  selection: string;
  reason?: string | undefined;
  total: number;
  createdAt: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  stoppedBy?: string | undefined;
  /** The progress message (`chat.update` target) once posted. */
  messageTs?: string | undefined;
  /** Set once every token's queue message was sent (a redelivered start does not send them again). */
  fannedOut?: boolean | undefined;
}

/** One token of a bulk job. */
export interface BulkItem {
  ref: string;
  provider: ProviderType;
  connection: string;
  name: string;
  owner?: string | undefined;
  state: BulkItemState;
  attempts: number;
  /** How it was revoked, or why it failed (never a secret). */
  detail?: string | undefined;
  errorCode?: string | undefined;
  leaseUntil?: number | undefined;
}

/** Counts of a job's items by state. */
export type BulkCounts = Record<BulkItemState, number>;

/** Counts items by state. */
export function countItems(items: readonly Pick<BulkItem, 'state'>[]): BulkCounts {
  const counts: BulkCounts = { pending: 0, running: 0, revoked: 0, not_found: 0, failed: 0, cancelled: 0 };
  for (const i of items) counts[i.state]++;
  return counts;
}

/** True when no item is waiting or running. */
export function allSettled(counts: BulkCounts): boolean {
  return counts.pending === 0 && counts.running === 0;
}
