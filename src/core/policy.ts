import type { Action, ProviderType } from './token.js';

/** Actions a policy decides on: adapter actions plus the commands that only read or audit. */
export type PolicyAction = Action | 'find' | 'audit' | 'approve';

/**
 * Actions that change one existing token. A grant names its reach: `rotate:own` (tokens the index
 * records as the person's own) or `rotate:any` (every token, including those tokenops did not mint).
 * A plain `rotate` means `rotate:own`: deny by default; `*` grants every action on any token.
 */
export const OWNER_SCOPED: readonly PolicyAction[] = ['revoke', 'rotate', 'activate', 'deactivate'];

/** How far an owner-scoped grant reaches. */
export type Reach = 'own' | 'any';

/** The shape of the validated policy (see src/config/schema.ts). */
export interface PolicyDoc {
  roles: Record<
    string,
    {
      description?: string | undefined;
      /** Per provider (or `*`): `list`, `create`, `rotate:own`, `revoke:any`, `*` … */
      grants: Partial<Record<ProviderType | '*', string[]>>;
      /** Rate tiers this role may create or rotate into; absent = any tier. */
      tiers?: string[] | undefined;
      /** Scopes this role may ask for (`*` matches one segment, e.g. `project:*:viewer`); absent = any. */
      scopes?: string[] | undefined;
    }
  >;
  members: { user?: string | undefined; group?: string | undefined; roles: string[] }[];
  approvals: { action: Action; provider: ProviderType | '*'; tiers?: string[] | undefined }[];
}

/** Who is asking, as far as authorization needs to know. */
export interface Principal {
  userId: string;
  teamId: string;
  /** User group ids the user belongs to. */
  groups: readonly string[];
  /** From users.info, when known: guests and Slack Connect strangers are refused. */
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  isStranger?: boolean;
  deleted?: boolean;
}

/** The token an owner-scoped action touches: its owner as the token index knows it (none if unknown). */
export interface Subject {
  owner: string | undefined;
}

/**
 * An authorization decision, with the reason shown to a refused user. `reach` is the widest reach the
 * granting roles have (always `any` for actions that are not owner-scoped).
 */
export type Decision = { allowed: true; roles: string[]; reach: Reach } | { allowed: false; reason: string };

/** The roles a principal holds: direct user grants plus user group grants. */
export function rolesOf(policy: PolicyDoc, principal: Principal): string[] {
  const roles = new Set<string>();
  for (const m of policy.members) {
    const match =
      (m.user !== undefined && m.user === principal.userId) ||
      (m.group !== undefined && principal.groups.includes(m.group));
    if (match) for (const r of m.roles) roles.add(r);
  }
  return [...roles];
}

/** The user group ids the policy names (the only groups whose members are looked up). */
export function policyGroups(policy: PolicyDoc): string[] {
  return [...new Set(policy.members.flatMap((m) => (m.group ? [m.group] : [])))];
}

/** Why the workspace rules refuse this principal whatever their roles, if they do. */
function workspaceRefusal(allowedTeams: readonly string[], principal: Principal): string | undefined {
  if (!allowedTeams.includes(principal.teamId)) return 'tokenops only answers people of its own workspace.';
  if (principal.isStranger) return 'tokenops does not answer people from other organisations (Slack Connect).';
  if (principal.isRestricted || principal.isUltraRestricted) return 'guests cannot use tokenops.';
  if (principal.deleted) return 'this account is deactivated.';
  return undefined;
}

/**
 * Why a principal may not report a leak, if not: any member may (a report can only kill a token whose
 * secret the reporter already holds); other workspaces, strangers, guests and deactivated accounts may not.
 */
export function reportRefusal(allowedTeams: readonly string[], principal: Principal): string | undefined {
  return workspaceRefusal(allowedTeams, principal);
}

/**
 * Decides whether a principal may do an action (on a provider, or on every provider when none is
 * named). Deny by default: other workspaces, guests, strangers and users without a granting role.
 * With a `subject`, an owner-scoped action is decided for that token: `:own` grants reach only
 * tokens the index records as the principal's; a token without an owner needs `:any`.
 */
export function authorize(
  policy: PolicyDoc,
  allowedTeams: readonly string[],
  principal: Principal,
  action: PolicyAction,
  provider?: ProviderType,
  subject?: Subject,
): Decision {
  const refusal = workspaceRefusal(allowedTeams, principal);
  if (refusal) return { allowed: false, reason: refusal };
  const roles = rolesOf(policy, principal);
  const reaches = roles.map((r) => ({ role: r, reach: reachOf(policy, r, action, provider) }));
  const granting = reaches.filter((g) => g.reach !== undefined);
  if (granting.length === 0) {
    const where = provider ? ` on ${provider}` : '';
    const held = roles.length > 0 ? `your roles (${roles.join(', ')}) do not` : 'you have no tokenops role that does';
    return { allowed: false, reason: `${held} allow \`${action}\`${where}. Ask your tokenops admin for access.` };
  }
  const reach: Reach = granting.some((g) => g.reach === 'any') ? 'any' : 'own';
  const allowed = { allowed: true as const, roles: granting.map((g) => g.role), reach };
  if (!subject || reach === 'any' || subject.owner === principal.userId) return allowed;
  const grant = `\`${action}:any\``;
  if (subject.owner === undefined)
    return {
      allowed: false,
      reason: `tokenops did not mint this token, so it has no owner on record; only roles granted ${grant} may ${action} it. Your roles allow \`${action}\` only on tokens you own.`,
    };
  return {
    allowed: false,
    reason: `this token belongs to someone else (${ownerPhrase(subject.owner)}); your roles allow \`${action}\` only on tokens you own. Ask them, or someone granted ${grant}.`,
  };
}

/**
 * Names a token's owner in a refusal. A Slack user id is written as Slack's own `<@U…>` mention, which
 * the Slack layer keeps as a mention (`withOwnerMention`) while escaping everything else.
 */
export function ownerPhrase(owner: string): string {
  return /^[UW][A-Z0-9]{1,20}$/.test(owner) ? `${OWNER_MARK}<@${owner}>` : `${OWNER_MARK}${owner}`;
}

/** The words before an owner's mention in a refusal: the only place a refusal carries a mention. */
export const OWNER_MARK = 'minted for ';

/** The reach one role grants for an action on a provider, or undefined when it grants none. */
function reachOf(policy: PolicyDoc, role: string, action: PolicyAction, provider?: ProviderType): Reach | undefined {
  const g = policy.roles[role]?.grants;
  if (!g) return undefined;
  const words = [...(g['*'] ?? []), ...(provider ? (g[provider] ?? []) : [])];
  if (words.includes('*') || words.includes(`${action}:any`)) return 'any';
  if (!OWNER_SCOPED.includes(action)) return words.includes(action) ? 'any' : undefined;
  return words.includes(action) || words.includes(`${action}:own`) ? 'own' : undefined;
}

/** What a create or rotate asks for, as far as per-role limits go. */
export interface Requested {
  tier?: string | undefined;
  scopes?: readonly string[] | undefined;
}

/**
 * Checks the tier and scopes a create or rotate asks for against the limits of the roles that grant
 * it: allowed when one granting role allows the tier and every scope. Roles without limits allow all.
 */
export function withinLimits(
  policy: PolicyDoc,
  principal: Principal,
  action: PolicyAction,
  provider: ProviderType,
  requested: Requested,
): Decision {
  const roles = rolesOf(policy, principal).filter((r) => reachOf(policy, r, action, provider) !== undefined);
  const ok = roles.filter((r) => {
    const role = policy.roles[r];
    const tierOk = !role?.tiers || requested.tier === undefined || role.tiers.includes(requested.tier);
    const scopesOk =
      !role?.scopes || (requested.scopes ?? []).every((s) => role.scopes?.some((p) => scopeMatches(p, s)));
    return tierOk && scopesOk;
  });
  if (ok.length > 0) return { allowed: true, roles: ok, reach: 'any' };
  const limits = roles.map((r) => policy.roles[r]).filter((x) => x !== undefined);
  const tiers = [...new Set(limits.flatMap((l) => l.tiers ?? []))];
  const scopes = [...new Set(limits.flatMap((l) => l.scopes ?? []))];
  const parts: string[] = [];
  if (requested.tier !== undefined && tiers.length > 0 && !tiers.includes(requested.tier))
    parts.push(`tier \`${requested.tier}\` (your roles allow ${tiers.map((t) => `\`${t}\``).join(', ')})`);
  const bad = (requested.scopes ?? []).filter((s) => !scopes.some((p) => scopeMatches(p, s)));
  if (bad.length > 0 && scopes.length > 0)
    parts.push(
      `scope ${bad.map((s) => `\`${s}\``).join(', ')} (your roles allow ${scopes.map((p) => `\`${p}\``).join(', ')})`,
    );
  const what = parts.length > 0 ? parts.join(' and ') : 'that combination of tier and scopes';
  return { allowed: false, reason: `your roles may not ${action} with ${what}. Ask your tokenops admin.` };
}

/** True when a scope pattern (`*` = one `:`-separated segment, or a lone `*` = anything) matches a scope. */
export function scopeMatches(pattern: string, scope: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.split(':');
  const s = scope.split(':');
  return p.length === s.length && p.every((seg, i) => seg === '*' || seg === s[i]);
}

/** True when policy requires a second person's approval for this action (and tier). */
export function needsApproval(policy: PolicyDoc, action: Action, provider: ProviderType, tier?: string): boolean {
  return policy.approvals.some(
    (a) =>
      a.action === action &&
      (a.provider === '*' || a.provider === provider) &&
      (a.tiers === undefined || (tier !== undefined && a.tiers.includes(tier))),
  );
}

/** True when some approval rule for this action and provider depends on the tier (so the tier must be known). */
export function approvalDependsOnTier(policy: PolicyDoc, action: Action, provider: ProviderType): boolean {
  return policy.approvals.some(
    (a) => a.action === action && (a.provider === '*' || a.provider === provider) && a.tiers !== undefined,
  );
}
