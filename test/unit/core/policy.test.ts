import { describe, expect, it } from 'vitest';
import {
  approvalDependsOnTier,
  authorize,
  needsApproval,
  rolesOf,
  scopeMatches,
  withinLimits,
  type PolicyDoc,
  type Principal,
} from '../../../src/core/policy.js';

const policy: PolicyDoc = {
  roles: {
    engineer: { grants: { '*': ['list', 'create'], triton: ['rotate'] } },
    security: { grants: { '*': ['*'] } },
  },
  members: [
    { user: 'U1', roles: ['engineer'] },
    { group: 'S1', roles: ['security'] },
  ],
  approvals: [{ action: 'create', provider: 'triton', tiers: ['tier3'] }],
};
const teams = ['T1'];
const who = (over: Partial<Principal> = {}): Principal => ({ userId: 'U1', teamId: 'T1', groups: [], ...over });

describe('policy', () => {
  it('grants by user and by user group, per provider', () => {
    expect(authorize(policy, teams, who(), 'list', 'mailtrap').allowed).toBe(true);
    expect(authorize(policy, teams, who(), 'rotate', 'triton').allowed).toBe(true);
    expect(authorize(policy, teams, who(), 'rotate', 'mailtrap').allowed).toBe(false);
    expect(authorize(policy, teams, who({ userId: 'U9', groups: ['S1'] }), 'revoke', 'cobalt').allowed).toBe(true);
    expect(rolesOf(policy, who({ groups: ['S1'] })).sort()).toEqual(['engineer', 'security']);
  });

  it('denies by default and says why', () => {
    const d = authorize(policy, teams, who({ userId: 'U9' }), 'list');
    expect(d).toEqual({ allowed: false, reason: expect.stringMatching(/no tokenops role/) });
    const e = authorize(policy, teams, who(), 'revoke', 'triton');
    expect(e.allowed === false && e.reason).toMatch(/your roles \(engineer\) do not allow `revoke` on triton/);
  });

  it('refuses other workspaces, guests, strangers and deactivated accounts whatever their roles', () => {
    const sec = { groups: ['S1'] };
    expect(authorize(policy, teams, who({ ...sec, teamId: 'T2' }), 'list').allowed).toBe(false);
    expect(authorize(policy, teams, who({ ...sec, isRestricted: true }), 'list').allowed).toBe(false);
    expect(authorize(policy, teams, who({ ...sec, isUltraRestricted: true }), 'list').allowed).toBe(false);
    expect(authorize(policy, teams, who({ ...sec, isStranger: true }), 'list').allowed).toBe(false);
    expect(authorize(policy, teams, who({ ...sec, deleted: true }), 'list').allowed).toBe(false);
  });

  it('requires approval only for the listed action, provider and tiers', () => {
    expect(needsApproval(policy, 'create', 'triton', 'tier3')).toBe(true);
    expect(needsApproval(policy, 'create', 'triton', 'tier1')).toBe(false);
    expect(needsApproval(policy, 'create', 'triton', undefined)).toBe(false);
    expect(needsApproval(policy, 'create', 'mailtrap', 'tier3')).toBe(false);
  });
});

describe('owner-scoped grants, limits and approvals', () => {
  const scoped: PolicyDoc = {
    roles: {
      engineer: {
        grants: { '*': ['list', 'create', 'rotate', 'revoke:own'], triton: ['deactivate:own'] },
        tiers: ['free', 'tier1', 'tier2'],
        scopes: ['account:viewer', 'project:*:viewer'],
      },
      lead: { grants: { mailtrap: ['rotate:any'] }, tiers: ['tier3'] },
      security: { grants: { '*': ['revoke:any', 'rotate:any'] } },
    },
    members: [
      { user: 'U1', roles: ['engineer'] },
      { user: 'U2', roles: ['engineer', 'lead'] },
      { user: 'U3', roles: ['security'] },
    ],
    approvals: [{ action: 'rotate', provider: 'triton', tiers: ['tier3'] }],
  };

  it('lets a plain or :own grant change only the tokens the index records as yours', () => {
    const mine = { owner: 'U1' };
    expect(authorize(scoped, teams, who(), 'rotate', 'mailtrap', mine)).toMatchObject({ allowed: true, reach: 'own' });
    expect(authorize(scoped, teams, who(), 'revoke', 'cobalt', mine).allowed).toBe(true);
    const theirs = authorize(scoped, teams, who(), 'rotate', 'mailtrap', { owner: 'U7' });
    expect(theirs.allowed === false && theirs.reason).toMatch(/belongs to someone else.*`rotate:any`/);
  });

  it('gives a token the index does not know no owner: only :any may change it', () => {
    const unknown = authorize(scoped, teams, who(), 'revoke', 'triton', { owner: undefined });
    expect(unknown.allowed === false && unknown.reason).toMatch(/no owner on record.*`revoke:any`/);
    expect(authorize(scoped, teams, who({ userId: 'U3' }), 'revoke', 'triton', { owner: undefined }).allowed).toBe(
      true,
    );
    expect(authorize(scoped, teams, who({ userId: 'U2' }), 'rotate', 'mailtrap', { owner: 'U7' }).allowed).toBe(true);
    expect(authorize(scoped, teams, who({ userId: 'U2' }), 'rotate', 'triton', { owner: 'U7' }).allowed).toBe(false);
  });

  it('treats `*` as any reach, and actions that touch no token as unscoped', () => {
    expect(authorize(policy, teams, who({ groups: ['S1'] }), 'rotate', 'triton', { owner: 'U9' }).allowed).toBe(true);
    expect(authorize(scoped, teams, who(), 'list', 'triton')).toMatchObject({ allowed: true, reach: 'any' });
    expect(authorize(scoped, teams, who(), 'deactivate', 'mailtrap', { owner: 'U1' }).allowed).toBe(false);
  });

  it('limits tiers and scopes per role, and says what the roles allow', () => {
    expect(withinLimits(scoped, who(), 'create', 'triton', { tier: 'tier1' }).allowed).toBe(true);
    const t3 = withinLimits(scoped, who(), 'create', 'triton', { tier: 'tier3' });
    expect(t3.allowed === false && t3.reason).toMatch(/tier `tier3` \(your roles allow `free`, `tier1`, `tier2`\)/);
    const admin = withinLimits(scoped, who(), 'create', 'mailtrap', { scopes: ['account:admin'] });
    expect(admin.allowed === false && admin.reason).toMatch(/scope `account:admin`/);
    expect(withinLimits(scoped, who(), 'create', 'mailtrap', { scopes: ['project:42:viewer'] }).allowed).toBe(true);
    expect(withinLimits(scoped, who(), 'create', 'mailtrap', { scopes: ['project:42:admin'] }).allowed).toBe(false);
    // The lead role grants rotate on Mailtrap only: its tier3 does not widen the engineer's Triton creates.
    expect(withinLimits(scoped, who({ userId: 'U2' }), 'create', 'triton', { tier: 'tier3' }).allowed).toBe(false);
    expect(withinLimits(policy, who({ groups: ['S1'] }), 'create', 'triton', { tier: 'dedi' }).allowed).toBe(true);
  });

  it('matches scope patterns segment by segment', () => {
    expect(scopeMatches('project:*:viewer', 'project:1:viewer')).toBe(true);
    expect(scopeMatches('project:*:viewer', 'project:1:2:viewer')).toBe(false);
    expect(scopeMatches('*', 'account:admin')).toBe(true);
  });

  it('applies approval rules to rotate as to create, by tier', () => {
    expect(needsApproval(scoped, 'rotate', 'triton', 'tier3')).toBe(true);
    expect(needsApproval(scoped, 'rotate', 'triton', 'tier1')).toBe(false);
    expect(approvalDependsOnTier(scoped, 'rotate', 'triton')).toBe(true);
    expect(approvalDependsOnTier(scoped, 'rotate', 'mailtrap')).toBe(false);
  });
});
