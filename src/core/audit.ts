import { randomUUID } from 'node:crypto';
import type { ProviderType } from './token.js';

/** Every action that changes a token or a request, and therefore leaves an audit record. */
export type AuditAction =
  | 'create'
  | 'revoke'
  | 'rotate'
  | 'activate'
  | 'deactivate'
  | 'approve'
  | 'deny'
  /** A deactivated person's token given to someone else (offboarding). */
  | 'reassign'
  /** A deactivated person's token deliberately left as it is (offboarding). */
  | 'keep'
  /** The summary of revoking every token of a deactivated person. */
  | 'offboard';

/**
 * How an attempted change ended. `not_found`: the provider has no such token (never a success).
 * `interrupted`: the worker died mid-way and the sweep closed the record after its lease.
 * `orphan_revoked`: an interrupted mint left a token nobody received; the sweep revoked it.
 */
export type AuditOutcome =
  | 'in_progress'
  | 'succeeded'
  | 'failed'
  | 'refused'
  | 'pending_approval'
  | 'undone'
  | 'not_found'
  | 'interrupted'
  | 'orphan_revoked';

/** One audit record: who tried what on which token, why, and how it ended. Never holds a secret. */
export interface AuditRecord {
  /** Unique id (time-ordered). */
  id: string;
  /** ISO 8601. */
  at: string;
  /** Slack user id of the actor. */
  actor: string;
  action: AuditAction;
  provider: ProviderType;
  connection: string;
  /** REF of the token acted on (or created). */
  ref?: string | undefined;
  tokenName?: string | undefined;
  last4?: string | undefined;
  reason?: string | undefined;
  outcome: AuditOutcome;
  /** Error code when the outcome is failed or refused. */
  errorCode?: string | undefined;
  /** Short human detail: how a revoke was done, the fate of a rotated secret, why it was refused. */
  detail?: string | undefined;
  /** Correlation id of the Slack request / job. */
  correlationId?: string | undefined;
}

/** A new audit record id: sortable by time, unique by a random suffix. */
export function newAuditId(at: string): string {
  return `${at.replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`;
}
