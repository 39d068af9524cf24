import { describe, expect, it } from 'vitest';
import { Access, COMMAND_TRAITS, commandProvider, permissionFor, refusalRecord } from '../../../src/commands/access.js';
import type { Command } from '../../../src/commands/command.js';
import type { Directory, UserFacts } from '../../../src/core/ports.js';
import type { PolicyDoc } from '../../../src/core/policy.js';
import { parseRef } from '../../../src/providers/ref.js';

const policy: PolicyDoc = {
  roles: {
    engineer: { grants: { '*': ['list', 'get', 'find', 'create'], triton: ['rotate'] } },
    security: { grants: { '*': ['*'] } },
  },
  members: [
    { user: 'U1', roles: ['engineer'] },
    { group: 'S1', roles: ['security'] },
  ],
  approvals: [],
};

/** A directory over fixed facts that counts its lookups. */
function directory(users: Record<string, Partial<UserFacts>>): Directory & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    async user(userId) {
      lookups.push(userId);
      const base: UserFacts = {
        teamId: 'T1',
        isRestricted: false,
        isUltraRestricted: false,
        isStranger: false,
        deleted: false,
        groups: [],
      };
      return { ...base, ...users[userId] };
    },
  };
}

const access = (users: Record<string, Partial<UserFacts>> = {}) => {
  const dir = directory(users);
  return { dir, access: new Access({ directory: dir, policy, allowedTeams: ['T1'] }) };
};

const revoke: Command = { name: 'revoke', ref: parseRef('triton:prod/abc'), reason: 'leaked' };
const create: Command = { name: 'create', target: { provider: 'mailtrap' }, tokenName: 'ci' };

describe('command traits', () => {
  it('checks every command as its own action, never as a read by default', () => {
    expect(permissionFor(revoke)).toEqual({ action: 'revoke', provider: 'triton' });
    expect(permissionFor(create)).toEqual({ action: 'create', provider: 'mailtrap' });
    expect(permissionFor({ name: 'show', ref: parseRef('cobalt/x1') })).toEqual({ action: 'get', provider: 'cobalt' });
    expect(permissionFor({ name: 'list', mine: false })).toEqual({ action: 'list', provider: undefined });
    expect(permissionFor({ name: 'audit', provider: 'vaultoro', sinceDays: 7 })).toEqual({
      action: 'audit',
      provider: 'vaultoro',
    });
    expect(permissionFor({ name: 'find', query: 'abcd' })).toEqual({ action: 'find', provider: undefined });
    expect(permissionFor({ name: 'help' })).toBeUndefined();
  });

  it('marks minting commands as never repeated, and revoke as never blocked', () => {
    const minting = Object.entries(COMMAND_TRAITS).filter(([, t]) => t.mints);
    expect(minting.map(([n]) => n).sort()).toEqual(['create', 'rotate']);
    const unblocked = Object.entries(COMMAND_TRAITS).filter(([, t]) => t.neverBlocked);
    expect(unblocked.map(([n]) => n)).toEqual(['revoke']);
  });

  it('names the provider of a REF, a target or an audit filter', () => {
    expect(commandProvider(revoke)).toBe('triton');
    expect(commandProvider({ name: 'list', target: { provider: 'cobalt' }, mine: true })).toBe('cobalt');
    expect(commandProvider({ name: 'providers' })).toBeUndefined();
  });
});

describe('Access', () => {
  it('allows by role and says why it refuses', async () => {
    const { access: a } = access();
    expect(await a.refusal('U1', 'T1', 'create', 'mailtrap')).toBeUndefined();
    expect(await a.refusal('U1', 'T1', 'revoke', 'triton')).toMatch(/your roles \(engineer\) do not allow `revoke`/);
    expect(await a.refusal('U9', 'T1', 'list')).toMatch(/no tokenops role/);
  });

  it('refuses another workspace before asking Slack anything', async () => {
    const { access: a, dir } = access({ U1: { groups: ['S1'] } });
    expect(await a.refusal('U1', 'T2', 'list')).toBe('tokenops only answers people of its own workspace.');
    expect(dir.lookups).toEqual([]);
  });

  it('treats a user whose home workspace differs as a stranger, whatever their roles', async () => {
    const { access: a } = access({ U2: { teamId: 'T9', groups: ['S1'] } });
    const p = await a.principal('U2', 'T1');
    expect(p).toMatchObject({ userId: 'U2', teamId: 'T1', isStranger: true });
    expect(await a.refusal('U2', 'T1', 'list')).toMatch(/other organisations/);
  });

  it('refuses guests and deactivated accounts even with a granting group', async () => {
    const { access: a } = access({ G1: { isRestricted: true, groups: ['S1'] }, D1: { deleted: true, groups: ['S1'] } });
    expect(await a.refusal('G1', 'T1', 'list')).toMatch(/guests/);
    expect(await a.refusal('D1', 'T1', 'list')).toMatch(/deactivated/);
  });

  it('lists the providers a user may act on, once each', async () => {
    const { access: a } = access();
    const ok = await a.allowedProviders('U1', 'T1', 'rotate', ['triton', 'mailtrap', 'triton']);
    expect([...ok]).toEqual(['triton']);
  });
});

describe('refusalRecord', () => {
  const at = new Date('2026-01-02T03:04:05.000Z');

  it('records a refused change with who, what, why and the correlation id', () => {
    const r = refusalRecord({ userId: 'U1' }, 'corr-1', revoke, 'no role', at);
    expect(r).toMatchObject({
      at: at.toISOString(),
      actor: 'U1',
      action: 'revoke',
      provider: 'triton',
      connection: 'prod',
      ref: 'triton:prod/abc',
      reason: 'leaked',
      outcome: 'refused',
      errorCode: 'denied',
      detail: 'no role',
      correlationId: 'corr-1',
    });
    expect(r?.id).toMatch(/^20260102030405000-[0-9a-f]{8}$/);
  });

  it('names the token of a refused create, and the default connection when none was typed', () => {
    const r = refusalRecord({ userId: 'U1' }, 'c', create, 'no', at);
    expect(r).toMatchObject({ action: 'create', provider: 'mailtrap', connection: '(default)', tokenName: 'ci' });
    expect(r?.ref).toBeUndefined();
  });

  it('records nothing for a refused read', () => {
    expect(refusalRecord({ userId: 'U1' }, 'c', { name: 'list', mine: false }, 'no', at)).toBeUndefined();
    expect(refusalRecord({ userId: 'U1' }, 'c', { name: 'find', query: 'abcd' }, 'no', at)).toBeUndefined();
    expect(refusalRecord({ userId: 'U1' }, 'c', { name: 'create_modal' }, 'no', at)).toBeUndefined();
  });
});
