import { newAuditId, type AuditAction, type AuditOutcome, type AuditRecord } from '../../core/audit.js';
import { TokenOpsError } from '../../core/errors.js';
import { dropped } from '../../core/dropped.js';
import type { Directory, Log, Stores } from '../../core/ports.js';
import type { PolicyAction, PolicyDoc, Requested } from '../../core/policy.js';
import type { ProviderType } from '../../core/token.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { Access } from '../access.js';
import type { DeliverSecret } from '../reply.js';

/** Everything a use case may touch. */
export interface UseCaseDeps {
  registry: ProviderRegistry;
  stores: Stores;
  directory: Directory;
  policy: PolicyDoc;
  allowedTeams: readonly string[];
  fingerprintKey: string;
  /** Where dropped best-effort failures are logged (by error name and correlation id only). */
  log: Log;
  now?: () => Date;
  /** Bulk revocations of more tokens than this are confirmed by typing their number. @default 10 */
  bulkConfirmThreshold?: number | undefined;
}

/** Who runs this use case and how to reach them. */
export interface Actor {
  userId: string;
  teamId: string;
  correlationId: string;
  /** The channel the request came from (a bulk job's progress message goes there). */
  channelId?: string | undefined;
  /** Set when a second person approved the request. */
  approvedBy?: string | undefined;
}

/** The per-job context a use case runs in. */
export class UseCaseContext {
  /** Audit records written during this use case, in order. */
  readonly audit: AuditRecord[] = [];
  /** Ids of those records the store accepted (the others are stored when their notice is posted). */
  readonly stored = new Set<string>();

  constructor(
    readonly deps: UseCaseDeps,
    readonly actor: Actor,
    readonly deliver: DeliverSecret,
  ) {}

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Authorizes the actor with fresh facts from Slack (guest, stranger, groups); throws `denied`. */
  async authorize(action: PolicyAction, provider?: ProviderType): Promise<void> {
    const decision = await new Access(this.deps).decide(this.actor.userId, this.actor.teamId, action, provider);
    if (!decision.allowed) throw new TokenOpsError('denied', `Not allowed: ${decision.reason}`);
  }

  /**
   * Authorizes an owner-scoped action on one token: `:own` grants reach the actor's own tokens only,
   * and a token the index does not know (no owner) needs `:any`. Throws `denied` with the reason.
   */
  async authorizeOn(
    action: 'revoke' | 'rotate' | 'activate' | 'deactivate',
    target: { provider: ProviderType; connection: string; ref: string; reason?: string | undefined },
    owner: string | undefined,
  ): Promise<void> {
    const { userId, teamId } = this.actor;
    const decision = await new Access(this.deps).decide(userId, teamId, action, target.provider, { owner });
    if (decision.allowed) return;
    // A refusal in the worker is an attempted change too: it leaves a record and a notice.
    const { record } = await this.beginAuditSoft({ action, ...target });
    await this.finishAudit(record, 'refused', { errorCode: 'denied', detail: decision.reason });
    throw new TokenOpsError('denied', `Not allowed: ${decision.reason}`);
  }

  /** Checks the tier and scopes asked for against the actor's roles' limits; throws `denied`. */
  async withinLimits(action: PolicyAction, provider: ProviderType, requested: Requested): Promise<void> {
    const { userId, teamId } = this.actor;
    const decision = await new Access(this.deps).withinLimits(userId, teamId, action, provider, requested);
    if (!decision.allowed) throw new TokenOpsError('denied', `Not allowed: ${decision.reason}`);
  }

  /** Starts an audit record (outcome in_progress). Throws `audit_unavailable` when it cannot be written. */
  async beginAudit(
    fields: { action: AuditAction; provider: ProviderType; connection: string } & Partial<AuditRecord>,
  ): Promise<AuditRecord> {
    const at = this.now().toISOString();
    const record: AuditRecord = {
      id: newAuditId(at),
      at,
      actor: this.actor.userId,
      correlationId: this.actor.correlationId,
      outcome: 'in_progress',
      ...fields,
    };
    if (this.actor.approvedBy && !record.detail) record.detail = `approved by ${this.actor.approvedBy}`;
    this.audit.push(record);
    await this.deps.stores.audit.put(record);
    this.stored.add(record.id);
    return record;
  }

  /** Like beginAudit, but never throws: for actions that must not be blocked (revoke). */
  async beginAuditSoft(
    fields: Parameters<UseCaseContext['beginAudit']>[0],
  ): Promise<{ record: AuditRecord; stored: boolean }> {
    try {
      return { record: await this.beginAudit(fields), stored: true };
    } catch {
      return { record: this.audit[this.audit.length - 1] as AuditRecord, stored: false };
    }
  }

  /** Finishes an audit record; best effort (the record is also posted to the audit channel). */
  async finishAudit(record: AuditRecord, outcome: AuditOutcome, extra: Partial<AuditRecord> = {}): Promise<void> {
    Object.assign(record, { outcome }, extra);
    const { errorCode, detail, ref, last4, tokenName } = record;
    await this.deps.stores.audit
      .finish(record.id, outcome, { errorCode, detail, ref, last4, tokenName })
      .catch(this.dropped('audit record update'));
  }

  /** A catch handler for a best-effort step: logs the drop under this job's correlation id. */
  dropped(what: string): (err: unknown) => undefined {
    return dropped(this.deps.log, what, this.actor.correlationId);
  }
}
