import type { Action, ProviderType } from './token.js';

/** Actions a policy decides on: adapter actions plus the commands that only read or audit. */
export type PolicyAction = Action | 'find' | 'audit' | 'approve';

/** The shape of the validated policy (see src/config/schema.ts). */
export interface PolicyDoc {
  roles: Record<string, { description?: string | undefined; grants: Partial<Record<ProviderType | '*', string[]>> }>;
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

/** An authorization decision, with the reason shown to a refused user. */
export type Decision = { allowed: true; roles: string[] } | { allowed: false; reason: string };

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

/**
 * Decides whether a principal may do an action (on a provider, or on every provider when none is
 * named). Deny by default: other workspaces, guests, strangers and users without a granting role.
 */
export function authorize(
  policy: PolicyDoc,
  allowedTeams: readonly string[],
  principal: Principal,
  action: PolicyAction,
  provider?: ProviderType,
): Decision {
  if (!allowedTeams.includes(principal.teamId))
    return { allowed: false, reason: 'tokenops only answers people of its own workspace.' };
  if (principal.isStranger)
    return { allowed: false, reason: 'tokenops does not answer people from other organisations (Slack Connect).' };
  if (principal.isRestricted || principal.isUltraRestricted)
    return { allowed: false, reason: 'guests cannot use tokenops.' };
  if (principal.deleted) return { allowed: false, reason: 'this account is deactivated.' };
  const roles = rolesOf(policy, principal);
  const granting = roles.filter((r) => grants(policy, r, action, provider));
  if (granting.length > 0) return { allowed: true, roles: granting };
  const where = provider ? ` on ${provider}` : '';
  const held = roles.length > 0 ? `your roles (${roles.join(', ')}) do not` : 'you have no tokenops role that does';
  return { allowed: false, reason: `${held} allow \`${action}\`${where}. Ask your tokenops admin for access.` };
}

function grants(policy: PolicyDoc, role: string, action: PolicyAction, provider?: ProviderType): boolean {
  const g = policy.roles[role]?.grants;
  if (!g) return false;
  const lists = provider ? [g['*'], g[provider]] : [g['*']];
  return lists.some((list) => list !== undefined && (list.includes('*') || list.includes(action)));
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
