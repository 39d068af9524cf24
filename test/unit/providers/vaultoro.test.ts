import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/core/errors.js';
import type { ProviderAdapter } from '../../../src/core/token.js';
import { vaultoroConnection } from '../../../src/providers/vaultoro/descriptor.js';
import { createVaultoroAdapter } from '../../../src/providers/vaultoro/adapter.js';
import { startVaultoroSimulator, type VaultoroSimulator } from '../../../src/providers/vaultoro/simulator.js';
import { caught, errorText } from '../../support/errors.js';

const DEPS = { fingerprintKey: 'unit-key', retry: { maxRetries: 0 } };

describe('Vaultoro adapter against its simulator', () => {
  let sim: VaultoroSimulator;
  let adapter: ProviderAdapter;
  const conn = (extra: Record<string, unknown> = {}) =>
    vaultoroConnection.parse({
      provider: 'vaultoro',
      name: 'main',
      baseUrl: sim.url,
      ...sim.connectionConfig(),
      ...extra,
    });

  beforeEach(async () => {
    sim = await startVaultoroSimulator();
    adapter = createVaultoroAdapter(conn(), DEPS);
  });
  afterEach(async () => sim.close());

  it('treats the 404 with an empty data list as an account without tokens', async () => {
    expect(await adapter.list()).toEqual([]);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/tokens' });
  });

  it('treats a 404 without the empty-list body as an error', async () => {
    sim.inject({ fault: { kind: 'status', status: 404, body: { errors: [{ message: 'No route' }] } }, path: /tokens/ });
    const err = await caught(adapter.list());
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('baseUrl');
  });

  it('lists unnamed tokens with unix-second dates, scopes and expiry-based activity', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const live = sim.seedToken('x', { scopes: ['api', 'read'], expires: nowS + 3600 });
    const dead = sim.seedToken('y', { expires: nowS - 60 });
    const listed = await adapter.list();
    const a = listed.find((t) => t.id === live.id);
    expect(a).toMatchObject({
      name: '',
      ref: `vaultoro:main/${live.id}`,
      active: true,
      extras: { scopes: 'api,read' },
    });
    expect(a?.expiresAt).toBe(new Date((nowS + 3600) * 1000).toISOString());
    expect(Math.abs(Date.parse(a?.createdAt ?? '') - Date.now())).toBeLessThan(120_000);
    expect(listed.find((t) => t.id === dead.id)?.active).toBe(false);
    expect(JSON.stringify(listed)).not.toContain(live.secret);
  });

  it('sends the bearer token with exactly one Bearer prefix, and JSON content type', async () => {
    const raw = (sim.connectionConfig()['credentials'] as { bearerToken: string }).bearerToken;
    const prefixed = createVaultoroAdapter(conn({ credentials: { bearerToken: `Bearer ${raw}` } }), DEPS);
    await prefixed.list();
    await adapter.list();
    for (const r of sim.requests.slice(-2)) {
      expect(r.headers['authorization']).toBe(`Bearer ${raw}`);
      expect(r.headers['content-type']).toBe('application/json');
    }
  });

  it('sends the raw token when authScheme is raw; a 401 names the setting to try', async () => {
    const bearer = (sim.connectionConfig()['credentials'] as { bearerToken: string }).bearerToken;
    const rawSim = await startVaultoroSimulator({ authScheme: 'raw' });
    try {
      const base = { provider: 'vaultoro', name: 'main', baseUrl: rawSim.url, credentials: { bearerToken: bearer } };
      const wrongScheme = createVaultoroAdapter(vaultoroConnection.parse(base), DEPS);
      const err = await caught(wrongScheme.list());
      expect(err.code).toBe('auth');
      expect(err.message).toContain('authScheme: bearer');
      expect(err.message).toContain('set authScheme: raw');
      expect(errorText(err)).not.toContain(bearer);
      const rawConn = vaultoroConnection.parse({ ...base, ...rawSim.connectionConfig() });
      expect(await createVaultoroAdapter(rawConn, DEPS).list()).toEqual([]);
      expect(rawSim.requests.at(-1)?.headers['authorization']).toBe(rawConn.credentials?.bearerToken);
    } finally {
      await rawSim.close();
    }
  });

  it('simulator takes only its configured scheme, and any case of "Bearer"', async () => {
    const bearer = (sim.connectionConfig()['credentials'] as { bearerToken: string }).bearerToken;
    const status = async (authorization: string) =>
      (await fetch(`${sim.url}/v1/tokens`, { headers: { authorization } })).status;
    expect(await status(`bearer ${bearer}`)).toBe(404); // the empty list
    expect(await status(`BEARER ${bearer}`)).toBe(404);
    expect(await status(bearer)).toBe(401);
  });

  it('accepts a base URL that ends in /v1, as documented', async () => {
    const withV1 = createVaultoroAdapter(conn({ baseUrl: `${sim.url}/v1` }), DEPS);
    sim.seedToken('x');
    expect(await withV1.list()).toHaveLength(1);
    expect(sim.requests.at(-1)?.path).toBe('/v1/tokens');
  });

  it('gets a token by listing, and says not_found for an unknown id', async () => {
    const t = sim.seedToken('x');
    expect((await adapter.get(t.id)).id).toBe(t.id);
    expect((await caught(adapter.get('3f0c2a7e-0000-4c2d-9e8f-000000000000'))).code).toBe('not_found');
  });

  it('revokes with DELETE so the VTOKEN stops working, and revokes again without error', async () => {
    const t = sim.seedToken('x');
    expect(await sim.useSecret(t.secret)).toBe(200);
    const before = sim.requests.length;
    expect(await adapter.revoke(t.id)).toEqual({ method: 'deleted' });
    expect(sim.requests.slice(before).map((r) => r.method)).toEqual(['DELETE']); // kill first, no listing
    expect(await sim.useSecret(t.secret)).toBe(401);
    expect((await caught(adapter.revoke(t.id))).code).toBe('not_found');
  });

  it('reports a DELETE 404 as not_found, never as revoked', async () => {
    const t = sim.seedToken('x');
    sim.inject({
      fault: { kind: 'status', status: 404, body: { errors: [{ message: 'Token not found' }] } },
      method: 'DELETE',
    });
    expect((await caught(adapter.revoke(t.id))).code).toBe('not_found');
  });

  it('says create, rotate, activate and deactivate happen elsewhere', async () => {
    const t = sim.seedToken('x');
    const create = await caught(adapter.create({ name: 'ci' }));
    expect(create).toBeInstanceOf(UnsupportedError);
    expect((create as UnsupportedError).where).toContain('dashboard');
    expect(create.message).toContain('captcha');
    for (const p of [adapter.rotate(t.id), adapter.activate(t.id), adapter.deactivate(t.id)])
      expect((await caught(p)).code).toBe('unsupported');
    expect(adapter.capabilities.get).toEqual({ mode: 'emulated', how: 'by listing' });
  });

  it('simulates the dashboard-only create: no captcha is 403, the dashboard captcha works once shown', async () => {
    const headers = {
      authorization: `Bearer ${(sim.connectionConfig()['credentials'] as { bearerToken: string }).bearerToken}`,
      'content-type': 'application/json',
    };
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const no = await fetch(`${sim.url}/v1/tokens`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ expires, scope: 'read' }),
    });
    expect(no.status).toBe(403);
    expect(await no.json()).toHaveProperty('errors');
    const ok = await fetch(`${sim.url}/v1/tokens`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ expires, scope: 'read', captcha: sim.captcha }),
    });
    const body = (await ok.json()) as { data: { token: string } };
    expect(body.data.token).toMatch(/^eyJhbGciOi/);
    expect(await sim.useSecret(body.data.token)).toBe(200);
  });

  it('reads Vaultoro error bodies in both list and string forms, and never echoes the bearer', async () => {
    const bad = createVaultoroAdapter(conn({ credentials: { bearerToken: 'eyJcanary-main-bearer-0123456789' } }), DEPS);
    const err = await caught(bad.list());
    expect(err.code).toBe('auth');
    expect(err.message).toContain('Unauthorized');
    expect(errorText(err)).not.toContain('canary-main-bearer');
    sim.inject({ fault: { kind: 'status', status: 400, body: { errors: 'Invalid request' } } });
    expect((await caught(adapter.list())).message).toContain('Invalid request');
  });

  it('refuses a connection without credentials with a config error', () => {
    const c = { ...conn(), credentials: undefined };
    expect(() => createVaultoroAdapter(c, DEPS)).toThrow(/has no credentials/);
  });
});
