import { describe, expect, it } from 'vitest';
import { authorize, needsApproval, rolesOf, type PolicyDoc, type Principal } from '../../../src/core/policy.js';

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
