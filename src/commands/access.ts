import { newAuditId, type AuditAction, type AuditRecord } from '../core/audit.js';
import type { Directory, JobOrigin } from '../core/ports.js';
import {
  authorize,
  reportRefusal,
  withinLimits,
  type Decision,
  type PolicyAction,
  type PolicyDoc,
  type Principal,
  type Requested,
  type Subject,
} from '../core/policy.js';
import { printRef } from '../core/ref.js';
import type { ProviderType } from '../core/token.js';
import type { Command } from './command.js';

/** What tokenops must know about a command to check, audit and run it: one row per command. */
export interface CommandTraits {
  /** The policy action it needs, checked at the ingress and again in the worker; none for `help`. */
  action: PolicyAction | undefined;
  /** The audit action of a change: every attempt, refusals included, leaves an audit record. */
  audits: AuditAction | undefined;
  /** It may mint a token: a job of it that died mid-way is never run again (no second token). */
  mints: boolean;
  /** It runs even when the job-claim store is down: revocation is never blocked. */
  neverBlocked: boolean;
}

/**
 * Every command's traits. A `Record` over every command name with no default: a new command does not
 * compile until it has a row here, so it can never be checked silently as some other action.
 */
export const COMMAND_TRAITS: Readonly<Record<Command['name'], CommandTraits>> = {
  help: { action: undefined, audits: undefined, mints: false, neverBlocked: false },
  providers: { action: 'list', audits: undefined, mints: false, neverBlocked: false },
  list: { action: 'list', audits: undefined, mints: false, neverBlocked: false },
  show: { action: 'get', audits: undefined, mints: false, neverBlocked: false },
  find: { action: 'find', audits: undefined, mints: false, neverBlocked: false },
  audit: { action: 'audit', audits: undefined, mints: false, neverBlocked: false },
  create: { action: 'create', audits: 'create', mints: true, neverBlocked: false },
  // The modal is checked against every provider (it offers those the user may create on).
  create_modal: { action: 'create', audits: undefined, mints: false, neverBlocked: false },
  rotate: { action: 'rotate', audits: 'rotate', mints: true, neverBlocked: false },
  revoke: { action: 'revoke', audits: 'revoke', mints: false, neverBlocked: true },
  // The preview changes nothing; each token's revoke is audited when the confirmed job runs.
  revoke_bulk: { action: 'revoke', audits: undefined, mints: false, neverBlocked: false },
  activate: { action: 'activate', audits: 'activate', mints: false, neverBlocked: false },
  deactivate: { action: 'deactivate', audits: 'deactivate', mints: false, neverBlocked: false },
  // Any member may report a leak (guests and strangers may not): see Access.reportRefusal.
  leaked: { action: undefined, audits: undefined, mints: false, neverBlocked: false },
};

/** The provider a command acts on, when it names one. */
export function commandProvider(c: Command): ProviderType | undefined {
  if ('ref' in c) return c.ref.provider;
  if ('target' in c) return c.target?.provider;
  if ('provider' in c) return c.provider;
  if (c.name === 'revoke_bulk') return c.selection.provider;
  return undefined;
}

/** The permission a command needs (action and provider); undefined when anyone may run it. */
export function permissionFor(c: Command): { action: PolicyAction; provider?: ProviderType | undefined } | undefined {
  const { action } = COMMAND_TRAITS[c.name];
  return action === undefined ? undefined : { action, provider: commandProvider(c) };
}

/** What access decisions read: the policy, the allowed workspaces and Slack's facts about users. */
export interface AccessDeps {
  directory: Directory;
  policy: PolicyDoc;
  allowedTeams: readonly string[];
}

const OTHER_WORKSPACE = 'tokenops only answers people of its own workspace.';

/** Deny-by-default access decisions, for the ingress and the worker alike. */
export class Access {
  constructor(private readonly deps: AccessDeps) {}

  /** The principal, from fresh Slack facts: someone whose home workspace is another one is a stranger. */
  async principal(userId: string, teamId: string): Promise<Principal> {
    const facts = await this.deps.directory.user(userId);
    return { userId, ...facts, isStranger: facts.isStranger || facts.teamId !== teamId, teamId };
  }

  /**
   * Decides one action (on one provider, or on all when none is named). Another workspace needs no
   * lookup. With a `subject`, an owner-scoped action is decided for that token (`:own` vs `:any`).
   */
  async decide(
    userId: string,
    teamId: string,
    action: PolicyAction,
    provider?: ProviderType,
    subject?: Subject,
  ): Promise<Decision> {
    if (!this.deps.allowedTeams.includes(teamId)) return { allowed: false, reason: OTHER_WORKSPACE };
    const principal = await this.principal(userId, teamId);
    return authorize(this.deps.policy, this.deps.allowedTeams, principal, action, provider, subject);
  }

  /**
   * May this viewer do `action` on this token? For buttons and hints (offer only what is allowed) and
   * for the checks themselves. `owner` is the token index's owner: undefined for tokens tokenops did
   * not mint, which only `:any` grants reach. Never offers to change tokenops' own credential.
   */
  async mayChange(
    userId: string,
    teamId: string,
    action: PolicyAction,
    token: { provider: ProviderType; owner: string | undefined; ownCredential?: boolean | undefined },
  ): Promise<boolean> {
    if (token.ownCredential && action !== 'get' && action !== 'list') return false;
    return (await this.decide(userId, teamId, action, token.provider, { owner: token.owner })).allowed;
  }

  /** Checks a create's or rotate's tier and scopes against the limits of the roles that grant it. */
  async withinLimits(
    userId: string,
    teamId: string,
    action: PolicyAction,
    provider: ProviderType,
    requested: Requested,
  ): Promise<Decision> {
    if (!this.deps.allowedTeams.includes(teamId)) return { allowed: false, reason: OTHER_WORKSPACE };
    return withinLimits(this.deps.policy, await this.principal(userId, teamId), action, provider, requested);
  }

  /** Why this person may not report a leak (any member may), or undefined. */
  async reportRefusal(userId: string, teamId: string): Promise<string | undefined> {
    if (!this.deps.allowedTeams.includes(teamId)) return OTHER_WORKSPACE;
    return reportRefusal(this.deps.allowedTeams, await this.principal(userId, teamId));
  }

  /** Why the action is refused, or undefined when it is allowed. */
  async refusal(
    userId: string,
    teamId: string,
    action: PolicyAction,
    provider?: ProviderType,
  ): Promise<string | undefined> {
    const decision = await this.decide(userId, teamId, action, provider);
    return decision.allowed ? undefined : decision.reason;
  }

  /** The providers among `providers` on which the user may do `action`. */
  async allowedProviders(
    userId: string,
    teamId: string,
    action: PolicyAction,
    providers: readonly ProviderType[],
  ): Promise<Set<ProviderType>> {
    const unique = [...new Set(providers)];
    const ok = await Promise.all(
      unique.map(async (p) => (await this.refusal(userId, teamId, action, p)) === undefined),
    );
    return new Set(unique.filter((_, i) => ok[i]));
  }
}

/**
 * The audit record of a refused change (undefined for a command that changes nothing). The REF is
 * printed as given: the ingress hashes a pasted Vector Charts secret before it gets here.
 */
export function refusalRecord(
  origin: Pick<JobOrigin, 'userId'>,
  correlationId: string,
  c: Command,
  reason: string,
  now: Date = new Date(),
): AuditRecord | undefined {
  const action = COMMAND_TRAITS[c.name].audits;
  if (action === undefined) return undefined;
  const target =
    'ref' in c
      ? { provider: c.ref.provider, connection: c.ref.connection ?? '(default)', ref: printRef(c.ref) }
      : c.name === 'create'
        ? { provider: c.target.provider, connection: c.target.connection ?? '(default)' }
        : undefined;
  if (!target) return undefined;
  const at = now.toISOString();
  return {
    id: newAuditId(at),
    at,
    actor: origin.userId,
    action,
    ...target,
    tokenName: c.name === 'create' ? c.tokenName : undefined,
    reason: 'reason' in c ? c.reason : undefined,
    outcome: 'refused',
    errorCode: 'denied',
    detail: reason,
    correlationId,
  };
}

/** Where the README tells operators how to rotate tokenops' own credential by hand. */
export const OWN_CREDENTIAL_HELP =
  'An operator rotates it by hand: README → "Rotating tokenops\' own credentials" (new secret into the connection\'s secret first, then retire the old one).';

/** A connection's own credential as the config names it (no lookup needed: Cobalt and Mailtrap `ownTokenId`). */
export interface OwnCredentialRef {
  provider: ProviderType;
  connection: string;
  id: string;
}

/** The own-credential token ids a config names, for refusals before any confirmation. */
export function configuredOwnCredentials(
  connections: readonly { provider: ProviderType; name: string; ownTokenId?: string | number | undefined }[],
): OwnCredentialRef[] {
  return connections.flatMap((c) =>
    c.ownTokenId === undefined ? [] : [{ provider: c.provider, connection: c.name, id: String(c.ownTokenId) }],
  );
}

/**
 * Why a revoke, rotate or deactivate of tokenops' own credential is refused, or undefined. Checked in
 * the ingress before any confirmation for the ids the config names; the worker checks every adapter's
 * own credential again (Vector Charts' API token, Mailtrap's looked-up id) before any provider call.
 */
export function ownCredentialRefusal(c: Command, owns: readonly OwnCredentialRef[]): string | undefined {
  if (c.name !== 'revoke' && c.name !== 'rotate' && c.name !== 'deactivate') return undefined;
  const own = owns.find(
    (o) =>
      o.provider === c.ref.provider &&
      o.id === c.ref.id &&
      (c.ref.connection === undefined || c.ref.connection === o.connection),
  );
  if (!own) return undefined;
  return `that is tokenops' own credential for ${own.provider}:${own.connection}; tokenops will not ${c.name} it, or every later command there would fail. ${OWN_CREDENTIAL_HELP}`;
}
