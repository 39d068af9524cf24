import { inspect } from 'node:util';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../../../src/core/token.js';
import type { ConnectionOf } from '../../../src/providers/config.js';
import { createTritonAdapter } from '../../../src/providers/triton/adapter.js';
import { header } from '../../../src/local/simulators/base.js';
import {
  startTritonSimulator,
  type TritonSimulator,
  type TritonSimulatorOptions,
} from '../../../src/providers/triton/simulator.js';
import { caught } from '../../support/errors.js';

const DEPS = { fingerprintKey: 'unit-key', retry: { maxRetries: 1, retryBaseMs: 1, maxRetryAfterMs: 100 } };
let sim: TritonSimulator | undefined;
afterEach(async () => sim?.close());

async function setup(
  simOptions: TritonSimulatorOptions = {},
  conn: Partial<ConnectionOf<'triton'>> = {},
): Promise<{ s: TritonSimulator; adapter: ProviderAdapter; config: ConnectionOf<'triton'> }> {
  const s = await startTritonSimulator(simOptions);
  sim = s;
  const config = { provider: 'triton', name: 'unit', baseUrl: s.url, ...s.connectionConfig(), ...conn };
  return {
    s,
    adapter: createTritonAdapter(config as ConnectionOf<'triton'>, DEPS),
    config: config as ConnectionOf<'triton'>,
  };
}

/** A raw call to the simulator, as a non-tokenops client would make it. */
async function raw(s: TritonSimulator, method: 'GET' | 'POST', path: string, auth: string, body?: unknown) {
  const res = await request(`${s.url}${path}`, {
    method,
    headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('Triton adapter and simulator', () => {
  it('sends the management token raw, without Bearer, with JSON Accept and Content-Type', async () => {
    const { s, adapter, config } = await setup();
    await adapter.list();
    const req = s.requests.at(-1);
    expect(req && header(req, 'authorization')).toBe(config.credentials?.token);
    expect(req && header(req, 'accept')).toBe('application/json');
    expect(req && header(req, 'content-type')).toBe('application/json');
    expect(req?.query.get('account_uuid')).toBe(s.accountUuid);
  });

  it('refuses a Bearer-prefixed management token with a Rails-style 401', async () => {
    const { s, adapter } = await setup();
    const res = await raw(
      s,
      'GET',
      `/api/v1/tokens?account_uuid=${s.accountUuid}`,
      `Bearer ${s.managementToken('reseller')}`,
    );
    expect(res).toEqual({ status: 401, body: { errors: { base: ['Unauthorized'] } } });
    const bad = createTritonAdapter({ ...(await configOf(s)), credentials: { token: 'Bearer nope' } }, DEPS);
    expect((await caught(bad.list())).code).toBe('auth');
    expect(adapter.capabilities.revoke).toEqual({
      mode: 'emulated',
      how: 'deactivates the token; Triton has no delete',
    });
  });

  it('creates with the nested body and the default tier, and keeps the value only in the Secret', async () => {
    const { s, adapter } = await setup({}, { defaultTier: 'tier2' });
    const issued = await adapter.create({ name: 'ci-bot' });
    const post = s.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe(`/api/v1/subscriptions/${s.subscriptionUuids[0]}/tokens`);
    expect(post?.body).toEqual({ token: { name: 'ci-bot', rate_tier: 'tier2' } });
    const stored = s.tokens.get(issued.summary.id);
    expect(issued.secret.reveal()).toBe(stored?.value);
    expect(issued.summary.extras['rateTier']).toBe('tier2');
    const text = JSON.stringify(issued) + inspect(issued, { depth: 9 });
    expect(text).not.toContain(stored?.value);
    expect(text).not.toContain(stored?.auth_username);
  });

  it('simulator accepts flat bodies and the documented developer tier, and rejects unknown tiers', async () => {
    const { s } = await setup();
    const path = `/api/v1/subscriptions/${s.subscriptionUuids[1]}/tokens`;
    const auth = s.managementToken('operator');
    const flat = await raw(s, 'POST', path, auth, { name: 'flat', rate_tier: 'developer' });
    expect(flat.status).toBe(201);
    expect(Object.keys((flat.body?.['token'] ?? {}) as object).sort()).toEqual(
      ['auth_username', 'deactivation_reasons', 'is_active', 'name', 'rate_tier', 'uuid', 'value'].sort(),
    );
    const gold = await raw(s, 'POST', path, auth, { token: { name: 'x', rate_tier: 'gold' } });
    expect(gold).toEqual({ status: 422, body: { errors: { rate_tier: ['is not included in the list'] } } });
    expect((await raw(s, 'GET', '/api/v1/tokens', auth)).status).toBe(422);
    expect((await raw(s, 'GET', '/api/v1/rate_tiers', auth)).status).toBe(403);
    expect((await raw(s, 'GET', '/api/v1/rate_tiers', s.managementToken('reseller'))).status).toBe(200);
    expect((await raw(s, 'GET', '/api/v1/accounts', s.managementToken('readonly'))).status).toBe(200);
  });

  it('turns a 403 on activate into an error that names the reseller and operator roles', async () => {
    const { s } = await setup();
    const t = s.seedToken('idle', { is_active: false });
    const readonly = createTritonAdapter(
      { ...(await configOf(s)), credentials: { token: s.managementToken('readonly') } },
      DEPS,
    );
    const err = await caught(readonly.activate(t.id));
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/reseller or operator role/);
    const operator = createTritonAdapter(
      { ...(await configOf(s)), credentials: { token: s.managementToken('operator') } },
      DEPS,
    );
    expect((await operator.activate(t.id)).active).toBe(true);
    expect((await caught(operator.deactivate('00000000-0000-0000-0000-000000000000'))).code).toBe('not_found');
  });

  it('walks several pages, fetching the rest once the first page tells the total', async () => {
    const { s, adapter } = await setup({ demo: true, pageSize: 10 });
    const listed = await adapter.list();
    expect(listed.length).toBe(s.tokens.size);
    const gets = s.requests.filter((r) => r.path === '/api/v1/tokens');
    expect(gets.map((r) => r.query.get('page')).sort()).toEqual(['1', '2', '3', '4']);
    expect(gets.every((r) => r.query.get('per') === '10')).toBe(true);
    const text = JSON.stringify(listed);
    for (const t of s.tokens.values()) {
      expect(text).not.toContain(t.value);
      expect(text).not.toContain(t.auth_username);
    }
    const held = listed.find((t) => t.extras['deactivationReasons'] === 'billing hold');
    expect(held?.active).toBe(false);
  });

  it('filters by subscription when only the subscription is configured', async () => {
    const { s, adapter } = await setup({ demo: true }, { accountUuid: undefined });
    const listed = await adapter.list();
    expect(s.requests.at(-1)?.query.get('subscription_uuid')).toBe(s.subscriptionUuids[0]);
    expect(listed.length).toBe(
      [...s.tokens.values()].filter((t) => t.subscription_uuid === s.subscriptionUuids[0]).length,
    );
  });

  it('reports missing credentials, list filters and subscription as config errors', async () => {
    const { s } = await setup();
    const base = await configOf(s);
    expect(() => createTritonAdapter({ ...base, credentials: undefined }, DEPS)).toThrow(
      'connection triton:unit has no credentials (set credentials or credentialsSecret)',
    );
    const noIds = createTritonAdapter({ ...base, accountUuid: undefined, subscriptionUuid: undefined }, DEPS);
    expect((await caught(noIds.list())).code).toBe('config');
    expect((await caught(noIds.create({ name: 'x' }))).code).toBe('config');
  });

  it('simulator creates tokens inactive by default, as the documented example shows', async () => {
    const { s, config } = await setup();
    const res = await raw(
      s,
      'POST',
      `/api/v1/subscriptions/${config.subscriptionUuid}/tokens`,
      config.credentials?.token ?? '',
      {
        token: { name: 'raw-create', rate_tier: 'tier1' },
      },
    );
    expect([res.status, (res.body?.['token'] as { is_active?: boolean }).is_active]).toEqual([201, false]);
  });

  it('simulator refuses a request whose Accept admits no JSON (406) and takes */* lists', async () => {
    const { s, config } = await setup();
    const get = async (accept?: string) => {
      const headers: Record<string, string> = { authorization: config.credentials?.token ?? '' };
      if (accept !== undefined) headers['accept'] = accept;
      const res = await request(`${s.url}/api/v1/accounts`, { headers });
      await res.body.dump();
      return res.statusCode;
    };
    expect([await get(), await get('text/html'), await get('application/json;q=0')]).toEqual([406, 406, 406]);
    expect([await get('application/json'), await get('text/html, */*;q=0.1')]).toEqual([200, 200]);
  });

  it('activates a token that comes back inactive from create', async () => {
    const { s, adapter } = await setup({ newTokensActive: false });
    const issued = await adapter.create({ name: 'born-inactive' });
    expect(issued.summary.active).toBe(true);
    expect(s.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/activate'))).toBe(true);
    expect(await s.useSecret(issued.secret.reveal())).toBe(200);
  });

  it('returns a new token as inactive, with a note, when activation is forbidden', async () => {
    const { s, adapter } = await setup({ newTokensActive: false });
    s.inject({ fault: { kind: 'status', status: 403, body: { errors: { base: ['Forbidden'] } } }, method: 'PUT' });
    const issued = await adapter.create({ name: 'born-inactive' });
    expect(issued.summary.active).toBe(false);
    expect(String(issued.summary.extras['inactiveNote'])).toMatch(/reseller or operator role/);
    expect(await s.useSecret(issued.secret.reveal())).toBe(401);
  });

  it('refuses to rotate onto a new token it cannot activate, leaving the old one working', async () => {
    const { s, adapter } = await setup({ newTokensActive: false });
    const old = s.seedToken('prod-indexer');
    s.inject({ fault: { kind: 'status', status: 403 }, method: 'PUT' });
    let delivered = false;
    const err = await caught(adapter.rotate(old.id, { deliver: async () => void (delivered = true) }));
    expect(err.code).toBe('forbidden');
    expect(delivered).toBe(false);
    expect(await s.useSecret(old.secret)).toBe(200);
  });

  it('rotates by creating with the same name and tier, then deactivating the old token', async () => {
    const { s, adapter } = await setup();
    const old = s.seedToken('wallet-api', { rate_tier: 'tier3' });
    const result = await adapter.rotate(old.id, { reason: 'leaked' });
    expect(result.old).toEqual({ fate: 'deactivated' });
    expect(s.tokens.get(result.issued.summary.id)).toMatchObject({ name: 'wallet-api', rate_tier: 'tier3' });
    expect(s.tokens.get(old.id)?.deactivation_reasons).toEqual(['leaked']);
    expect(await s.useSecret(old.secret)).toBe(401);
  });

  it('revokes by deactivating as its first and only call, safely again; an unknown uuid is not_found', async () => {
    const { s, adapter } = await setup();
    const t = s.seedToken('staging-bot');
    const before = s.requests.length;
    expect(await adapter.revoke(t.id, { reason: 'offboarding' })).toEqual({ method: 'deactivated' });
    expect(s.requests.slice(before).map((r) => r.method)).toEqual(['PUT']); // no 7-page listing first
    expect(await s.useSecret(t.secret)).toBe(401);
    expect(await adapter.revoke(t.id)).toEqual({ method: 'deactivated' });
    expect((await adapter.get(t.id)).extras['deactivationReasons']).toMatch(/offboarding/);
    const typo = await caught(adapter.revoke('00000000-0000-4000-8000-0000000000ff'));
    expect(typo.code).toBe('not_found');
    expect(typo.message).toMatch(/at connection triton:/);
  });

  it('says its management token is never among the listed tokens', async () => {
    const { adapter } = await setup();
    expect(await adapter.ownCredential()).toEqual({ ids: [], note: expect.stringMatching(/not an RPC token/) });
  });

  it('simulator RPC accepts basic auth with the right user, or the value in the path', async () => {
    const { s } = await setup();
    const t = s.seedToken('rpc');
    expect(await s.useSecret(t.secret)).toBe(200);
    expect(await s.useSecretInPath(t.secret)).toBe(200);
    expect(await s.useSecretInPath('not-a-token')).toBe(401);
  });

  it('never puts a token value into an error, even when the provider echoes it', async () => {
    const { s, adapter } = await setup();
    const canary = s.seedToken('canary');
    s.inject({ fault: { kind: 'status', status: 500, body: { error: `boom ${canary.secret}` } }, method: 'PUT' });
    s.inject({ fault: { kind: 'status', status: 422, body: { errors: { name: [canary.secret] } } }, method: 'POST' });
    const errors = [await caught(adapter.revoke(canary.id)), await caught(adapter.rotate(canary.id))];
    for (const e of errors) {
      const text = `${e.message} ${JSON.stringify(e)} ${inspect(e, { depth: 9 })}`;
      expect(text).not.toContain(canary.secret);
    }
    expect(errors[0]?.message).toContain('[redacted]');
  });
});

async function configOf(s: TritonSimulator): Promise<ConnectionOf<'triton'>> {
  return { provider: 'triton', name: 'unit', baseUrl: s.url, ...s.connectionConfig() } as ConnectionOf<'triton'>;
}
