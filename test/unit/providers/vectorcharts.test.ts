import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenOpsError } from '../../../src/core/errors.js';
import { fingerprint } from '../../../src/core/secret.js';
import type { ProviderAdapter } from '../../../src/core/token.js';
import { vectorchartsConnection } from '../../../src/providers/vectorcharts/descriptor.js';
import { createVectorchartsAdapter } from '../../../src/providers/vectorcharts/adapter.js';
import {
  startVectorchartsSimulator,
  type VectorchartsSimulator,
} from '../../../src/providers/vectorcharts/simulator.js';
import { caught, errorText } from '../../support/errors.js';

const KEY = 'unit-key';
const DEPS = { fingerprintKey: KEY, retry: { maxRetries: 0 } };

describe('Vector Charts adapter against its simulator', () => {
  let sim: VectorchartsSimulator;
  let adapter: ProviderAdapter;
  const conn = (extra: Record<string, unknown> = {}) =>
    vectorchartsConnection.parse({
      provider: 'vectorcharts',
      name: 'oem',
      baseUrl: sim.url,
      ...sim.connectionConfig(),
      ...extra,
    });

  beforeEach(async () => {
    sim = await startVectorchartsSimulator({ fingerprintKey: KEY, demo: true });
    adapter = createVectorchartsAdapter(conn(), DEPS);
  });
  afterEach(async () => sim.close());

  it('uses a keyed hash of the secret id as the REF id, never the secret', async () => {
    const t = sim.seedToken('ci-deploy-2', { hosts: ['a.example.com', 'b.example.com'] });
    expect(t.id).toBe(fingerprint(t.secret, KEY).slice(0, 16));
    const listed = await adapter.list();
    const found = listed.find((x) => x.id === t.id);
    expect(found).toMatchObject({
      ref: `vectorcharts:oem/${t.id}`,
      name: 'ci-deploy-2',
      last4: t.secret.slice(-4),
      fingerprint: fingerprint(t.secret, KEY),
      active: true,
      lastUsedAt: null,
      extras: { userEmail: 'admin@charts.example.com', hosts: 'a.example.com,b.example.com' },
    });
    expect(found?.createdAt).toBe(new Date(sim.record(t.secret)?.createdAt ?? 0).toISOString());
    expect(JSON.stringify(listed)).not.toContain(t.secret);
  });

  it('resolves a REF id to its token by listing, and says not_found for an unknown one', async () => {
    const t = sim.seedToken('grafana-2');
    expect((await adapter.get(t.id)).name).toBe('grafana-2');
    expect((await caught(adapter.get('00112233aabbccdd'))).code).toBe('not_found');
  });

  it('reads user ids that are integers and user ids that are UUID strings', async () => {
    sim.seedToken('by-ops', { user: 'ops' });
    const emails = (await adapter.list()).map((t) => t.extras['userEmail']);
    expect(emails).toContain('ops@charts.example.com');
    expect(emails).toContain('admin@charts.example.com');
  });

  it('logs in once and reuses the session for every call', async () => {
    await Promise.all([adapter.list(), adapter.list(), adapter.list()]);
    await adapter.list();
    expect(sim.loginCount()).toBe(1);
    const login = sim.requests.find((r) => r.path === '/api/portal/v1/auth/login');
    expect(login?.method).toBe('POST');
  });

  it('logs in again once when the session has ended', async () => {
    await adapter.list();
    sim.endSessions();
    const t = sim.seedToken('after-logout');
    expect((await adapter.get(t.id)).name).toBe('after-logout');
    expect(sim.loginCount()).toBe(2);
  });

  it('gives up with an auth error on wrong credentials, without a retry loop', async () => {
    const bad = createVectorchartsAdapter(conn({ credentials: { username: 'admin', password: 'nope' } }), DEPS);
    expect((await caught(bad.list())).code).toBe('auth');
    expect(sim.requests.filter((r) => r.path.endsWith('/auth/login'))).toHaveLength(1);
  });

  it('authenticates with an API token too, which updates its lastUsedAt', async () => {
    const own = sim.seedToken('tokenops');
    const viaToken = createVectorchartsAdapter(conn({ credentials: { apiToken: own.secret } }), DEPS);
    const got = await viaToken.get(own.id);
    expect(got.lastUsedAt).not.toBeNull();
    expect(sim.loginCount()).toBe(0);
    expect(
      (await caught(createVectorchartsAdapter(conn({ credentials: { apiToken: 'f'.repeat(32) } }), DEPS).list())).code,
    ).toBe('auth');
  });

  it('creates host-restricted tokens whose secret is the id, honoured against Origin', async () => {
    const issued = await adapter.create({ name: 'chartplotter', hosts: ['maps.example.com'] });
    expect(issued.secret.reveal()).toMatch(/^[0-9a-f]{32}$/);
    expect(issued.summary.id).toBe(fingerprint(issued.secret, KEY).slice(0, 16));
    expect(issued.summary.extras['hosts']).toBe('maps.example.com');
    expect(await sim.useSecret(issued.secret.reveal(), 'https://maps.example.com')).toBe(200);
    expect(await sim.useSecret(issued.secret.reveal(), 'https://evil.example.net')).toBe(403);
    const create = sim.requests.find((r) => r.method === 'POST' && r.path === '/api/portal/v1/apiTokens');
    expect(create?.body).toEqual({ name: 'chartplotter', restrictions: { hosts: ['maps.example.com'] } });
  });

  it('leaves restrictions out of a create without hosts (an optional object, never null)', async () => {
    const issued = await adapter.create({ name: 'open-token' });
    const create = sim.requests.find((r) => r.method === 'POST' && r.path === '/api/portal/v1/apiTokens');
    expect(create?.body).toEqual({ name: 'open-token' });
    expect(issued.summary.extras['hosts']).toBeNull();
    const session = String(create?.headers['authorization']).replace(/^Bearer /, '');
    const withNull = await fetch(`${sim.url}/v1/apiTokens`, {
      method: 'POST',
      headers: { authorization: `bearer ${session}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', restrictions: null }),
    });
    expect(withNull.status).toBe(400); // the lower-case scheme is accepted; the null is not
  });

  it('refuses an expiry or scopes, which Vector Charts tokens cannot have', async () => {
    expect((await caught(adapter.create({ name: 'x', expiresAt: '2030-01-01T00:00:00Z' }))).code).toBe(
      'invalid_request',
    );
    expect((await caught(adapter.create({ name: 'x', scopes: ['read'] }))).code).toBe('invalid_request');
  });

  it('revokes by deleting the secret id, and a second revoke is already done', async () => {
    const t = sim.seedToken('to-revoke');
    expect(await sim.useSecret(t.secret)).toBe(200);
    const before = sim.requests.length;
    expect(await adapter.revoke(t.id)).toEqual({
      method: 'deleted',
      summary: { name: 'to-revoke', last4: t.secret.slice(-4) },
    });
    // The REF holds a hash of the secret id: one listing resolves it, then the DELETE (after a cold login).
    const calls = sim.requests.slice(before).filter((r) => !r.path.endsWith('/auth/login'));
    expect(calls.map((r) => r.method)).toEqual(['GET', 'DELETE']);
    expect(await sim.useSecret(t.secret)).toBe(401);
    expect((await caught(adapter.revoke(t.id))).code).toBe('not_found');
    // A pasted secret with one character wrong hashes to nothing listed: not found, never "revoked".
    const typo = `${t.secret.slice(0, -1)}${t.secret.endsWith('0') ? '1' : '0'}`;
    expect((await caught(adapter.revoke(typo))).code).toBe('not_found');
  });

  it('rotates by creating a new token and deleting the old one', async () => {
    const old = sim.seedToken('rotating', { hosts: ['a.example.com'] });
    const r = await adapter.rotate(old.id);
    expect(r.old).toEqual({ fate: 'deleted' });
    expect(r.issued.summary).toMatchObject({ name: 'rotating', extras: { hosts: 'a.example.com' } });
    expect(await sim.useSecret(old.secret, 'https://a.example.com')).toBe(401);
    expect(await sim.useSecret(r.issued.secret.reveal(), 'https://a.example.com')).toBe(200);
    expect(adapter.capabilities.rotate).toEqual({
      mode: 'emulated',
      how: 'creates a new token, then deletes the old one',
    });
  });

  it('keeps the old token and deletes the new one when delivery fails', async () => {
    const old = sim.seedToken('keep-me');
    let fresh = '';
    const deliver = async (issued: { secret: { reveal(): string } }) => {
      fresh = issued.secret.reveal();
      throw new TokenOpsError('delivery_failed', 'Slack is down');
    };
    expect((await caught(adapter.rotate(old.id, { deliver }))).code).toBe('delivery_failed');
    expect(await sim.useSecret(old.secret)).toBe(200);
    expect(await sim.useSecret(fresh)).toBe(401);
  });

  it('never lets a secret reach an error, even when the provider echoes it', async () => {
    const t = sim.seedToken('canary');
    sim.inject({
      fault: { kind: 'status', status: 400, body: { error: `token ${t.secret} is locked` } },
      method: 'DELETE',
    });
    const del = await caught(adapter.revoke(t.id));
    expect(del.message).toContain('locked');
    sim.inject({ fault: { kind: 'status', status: 200, body: [{ id: t.secret, name: 7 }] }, method: 'GET' });
    const shape = await caught(adapter.list());
    expect(shape.code).toBe('unexpected_response');
    for (const err of [del, shape]) {
      expect(errorText(err)).not.toContain(t.secret);
      expect(err.message).not.toContain('/apiTokens');
    }
  });

  it('never echoes a pasted secret used as an id, even when no token matches it', async () => {
    const pasted = 'f'.repeat(32);
    const errors = await Promise.all([
      adapter.get(pasted).catch((e: unknown) => e),
      adapter.rotate(pasted).catch((e: unknown) => e),
    ]);
    for (const err of errors) {
      expect(err).toMatchObject({ code: 'not_found' });
      expect(errorText(err)).not.toContain(pasted);
    }
  });
});
