import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitedError, TokenOpsError } from '../../../src/core/errors.js';
import type { ProviderAdapter } from '../../../src/core/token.js';
import { mailtrapConnection } from '../../../src/providers/mailtrap/descriptor.js';
import { createMailtrapAdapter } from '../../../src/providers/mailtrap/adapter.js';
import { startMailtrapSimulator, type MailtrapSimulator } from '../../../src/providers/mailtrap/simulator.js';
import { caught, errorText } from '../../support/errors.js';

const HOUR = 3_600_000;

describe('Mailtrap adapter against its simulator', () => {
  let sim: MailtrapSimulator;
  let adapter: ProviderAdapter;
  const deps = () => ({ fingerprintKey: 'unit-key', retry: { maxRetries: 0 }, now: () => new Date(sim.now()) });
  const conn = (extra: Record<string, unknown> = {}) =>
    mailtrapConnection.parse({
      provider: 'mailtrap',
      name: 'mt',
      baseUrl: sim.url,
      ...sim.connectionConfig(),
      ...extra,
    });
  const adminHeaders = () => ({
    authorization: `Bearer ${(sim.connectionConfig()['credentials'] as { token: string }).token}`,
  });

  beforeEach(async () => {
    sim = await startMailtrapSimulator();
    adapter = createMailtrapAdapter(conn(), deps());
  });
  afterEach(async () => sim.close());

  it('uses the account-scoped path when accountId is configured', async () => {
    const issued = await adapter.create({ name: 'ci-deploy' });
    await adapter.get(issued.summary.id);
    const paths = sim.requests.map((r) => r.path);
    expect(paths).toEqual([
      `/api/accounts/${sim.accountId}/api_tokens`,
      `/api/accounts/${sim.accountId}/api_tokens/${issued.summary.id}`,
    ]);
  });

  it('without accountId looks the account up once and still uses the proven account-scoped path', async () => {
    const unscoped = createMailtrapAdapter(conn({ accountId: undefined }), deps());
    const issued = await unscoped.create({ name: 'grafana-readonly' });
    const scoped = `/api/accounts/${sim.accountId}/api_tokens`;
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/accounts', `POST ${scoped}`]);
    expect(sim.requests[1]?.body).toEqual({
      name: 'grafana-readonly',
      resources: [{ resource_type: 'account', resource_id: sim.accountId, access_level: 10 }],
    });
    expect((await unscoped.list()).map((t) => t.id)).toContain(issued.summary.id);
    expect(sim.requests.slice(2).map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${scoped}`]);
  });

  it('sends Authorization: Bearer, and the simulator accepts Api-Token as well', async () => {
    await adapter.list();
    expect(sim.requests[0]?.headers['authorization']).toMatch(/^Bearer [0-9a-f]{32}$/);
    const token = (sim.connectionConfig()['credentials'] as { token: string }).token;
    const viaApiToken = await fetch(`${sim.url}/api/api_tokens`, { headers: { 'Api-Token': token } });
    expect(viaApiToken.status).toBe(200);
    expect(viaApiToken.headers.get('x-mailtrap-version')).toBe('v2');
  });

  it('builds permissions from scopes, in either resource vocabulary', async () => {
    const scopes = [
      'account:admin',
      'project:123:viewer',
      'inbox:456:admin',
      'sending_domain:7:admin',
      'sandbox:8:viewer',
    ];
    const issued = await adapter.create({ name: 'billing-export', scopes });
    expect(sim.requests.at(-1)?.body).toMatchObject({
      resources: [
        { resource_type: 'account', resource_id: sim.accountId, access_level: 100 },
        { resource_type: 'project', resource_id: 123, access_level: 10 },
        { resource_type: 'inbox', resource_id: 456, access_level: 100 },
        { resource_type: 'sending_domain', resource_id: 7, access_level: 100 },
        { resource_type: 'sandbox', resource_id: 8, access_level: 10 },
      ],
    });
    expect(issued.summary.extras['access']).toContain(`account:${sim.accountId}:admin`);
    expect(issued.summary.extras['createdBy']).toBe('tokenops');
    expect(issued.summary.last4).toBe(issued.secret.reveal().slice(-4));
    expect(issued.secret.reveal()).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uses the default access of the connection when no scope is given', async () => {
    const admin = createMailtrapAdapter(conn({ defaultAccess: 'admin' }), deps());
    await admin.create({ name: 'ops' });
    expect(sim.requests.at(-1)?.body).toMatchObject({ resources: [{ access_level: 100 }] });
  });

  it('refuses scope text it cannot read, showing the right form, before calling Mailtrap', async () => {
    const err = await caught(adapter.create({ name: 'x', scopes: ['inbox:admin'] }));
    expect(err.code).toBe('invalid_request');
    expect(err.message).toContain('project:123:viewer');
    expect(sim.requests).toHaveLength(0);
  });

  it('reads `error` and `errors` bodies in string and object forms', async () => {
    const bad = createMailtrapAdapter(conn({ credentials: { token: 'f'.repeat(32) } }), deps());
    expect(await caught(bad.list())).toMatchObject({
      code: 'auth',
      message: expect.stringContaining('Incorrect API token'),
    });
    const foreign = createMailtrapAdapter(conn({ accountId: sim.foreignAccountId }), deps());
    expect(await caught(foreign.list())).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('Account access forbidden'),
    });
    sim.inject({
      fault: {
        kind: 'status',
        status: 422,
        body: { errors: { base: ['No permissions selected. Please choose at least one.'] } },
      },
      times: 1,
    });
    expect((await caught(adapter.create({ name: 'x' }))).message).toContain('No permissions selected');
    const past = await caught(adapter.create({ name: 'x', expiresAt: '2001-01-01T00:00:00Z' }));
    expect(past).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('expires_at must be in the future'),
    });
    const far = await caught(
      adapter.create({ name: 'x', expiresAt: new Date(Date.now() + 6 * 365 * 24 * HOUR).toISOString() }),
    );
    expect(far.message).toContain('5 years');
    expect(await caught(adapter.get('999999999'))).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('Not Found'),
    });
  });

  it('simulates the 422 for a create without permissions', async () => {
    const res = await fetch(`${sim.url}/api/api_tokens`, {
      method: 'POST',
      headers: { ...adminHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', resources: [] }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ errors: { base: ['No permissions selected. Please choose at least one.'] } });
  });

  it('rotates with reset: a new id and secret, the old secret alive for 12 hours', async () => {
    const old = sim.seedToken('ci-deploy');
    const r = await adapter.rotate(old.id);
    expect(r.issued.summary.id).not.toBe(old.id);
    expect(r.issued.summary.name).toBe(`ci-deploy ${r.issued.summary.id}`);
    expect(r.old.fate).toBe('expires_later');
    const at = r.old.fate === 'expires_later' ? Date.parse(r.old.at) : 0;
    expect(Math.abs(at - (sim.now() + 12 * HOUR))).toBeLessThan(60_000);
    expect(await sim.useSecret(old.secret)).toBe(200);
    expect(await sim.useSecret(r.issued.secret.reveal())).toBe(200);
    sim.advanceTime(12 * HOUR + 1_000);
    expect(await sim.useSecret(old.secret)).toBe(401);
    expect(await sim.useSecret(r.issued.secret.reveal())).toBe(200);
    const listedOld = (await adapter.list()).find((t) => t.id === old.id);
    expect(listedOld?.active).toBe(false); // expired tokens stay listed
  });

  it('falls back to create + deliver + delete when Mailtrap refuses a reset (422), and says so', async () => {
    const once = sim.seedToken('once', { access: 'admin' });
    await adapter.rotate(once.id);
    const delivered: string[] = [];
    const r = await adapter.rotate(once.id, { deliver: async (i) => void delivered.push(i.secret.reveal()) });
    expect(r.fallback).toMatch(/refused to reset.*created a new token with the same permissions/);
    expect(r.old).toEqual({ fate: 'deleted' });
    expect(delivered).toEqual([r.issued.secret.reveal()]);
    expect(await sim.useSecret(once.secret)).toBe(401); // deleted: the grace of the first reset ends now
    expect(await sim.useSecret(r.issued.secret.reveal())).toBe(200);
    const fresh = await adapter.get(r.issued.summary.id);
    expect([fresh.name, fresh.extras['access']]).toEqual(['once', `account:${sim.accountId}:admin`]);
    const posts = sim.requests.filter((q) => q.method === 'POST').map((q) => q.path.replace(/\d+/g, 'N'));
    expect(posts.slice(-2)).toEqual(['/api/accounts/N/api_tokens/N/reset', '/api/accounts/N/api_tokens']);
  });

  it('under the literal reset rule, resets a never-expiring token natively and rotates an expiring one by create', async () => {
    await sim.close();
    sim = await startMailtrapSimulator({ resetRule: 'literal' });
    adapter = createMailtrapAdapter(conn(), deps());
    const forever = sim.seedToken('forever', { expires_at: null });
    const native = await adapter.rotate(forever.id);
    expect([native.fallback, native.old.fate]).toEqual([undefined, 'expires_later']);
    const expiring = sim.seedToken('expiring');
    const raw = await fetch(`${sim.url}/api/accounts/${sim.accountId}/api_tokens/${expiring.id}/reset`, {
      method: 'POST',
      headers: adminHeaders(),
    });
    expect(raw.status).toBe(422);
    const emulated = await adapter.rotate(expiring.id);
    expect([typeof emulated.fallback, emulated.old.fate]).toEqual(['string', 'deleted']);
    expect(await sim.useSecret(expiring.secret)).toBe(401);
  });

  it('lets a viewer token list what it may see instead of refusing it (403 is for changes)', async () => {
    const viewer = sim.seedToken('viewer');
    const headers = { authorization: `Bearer ${viewer.secret}` };
    const listed = await fetch(`${sim.url}/api/accounts/${sim.accountId}/api_tokens`, { headers });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { id: number }[]).map((t) => String(t.id))).toContain(viewer.id);
    const del = await fetch(`${sim.url}/api/accounts/${sim.accountId}/api_tokens/${viewer.id}`, {
      method: 'DELETE',
      headers,
    });
    expect([del.status, await del.json()]).toEqual([403, { errors: 'Account access forbidden' }]);
  });

  it('deletes the new token when delivery fails after a reset', async () => {
    const old = sim.seedToken('deliver-fails');
    let fresh = '';
    const deliver = async (issued: { secret: { reveal(): string } }) => {
      fresh = issued.secret.reveal();
      throw new TokenOpsError('delivery_failed', 'Slack is down');
    };
    expect((await caught(adapter.rotate(old.id, { deliver }))).code).toBe('delivery_failed');
    expect(await sim.useSecret(fresh)).toBe(401);
    expect(await sim.useSecret(old.secret)).toBe(200); // inside its grace period
  });

  it('revokes by DELETE as its first and only call; a second revoke or a typo is not_found, never a success', async () => {
    const t = sim.seedToken('revoke-me');
    const before = sim.requests.length;
    expect(await adapter.revoke(t.id)).toEqual({ method: 'deleted' });
    expect(sim.requests.slice(before).map((r) => r.method)).toEqual(['DELETE']);
    expect(await sim.useSecret(t.secret)).toBe(401);
    expect((await caught(adapter.revoke(t.id))).code).toBe('not_found');
    const typo = await caught(adapter.revoke('2999999'));
    expect(typo.code).toBe('not_found');
    expect(typo.message).toMatch(/Mailtrap has no token with id 2999999 at connection mailtrap:/);
    expect((await caught(adapter.revoke('not-a-number'))).code).toBe('not_found');
  });

  it("knows its own credential: the configured ownTokenId, else the listed token with the credential's last 4", async () => {
    const own = await adapter.ownCredential();
    expect(own.ids).toHaveLength(1);
    const listed = await adapter.list();
    const self = listed.find((t) => t.id === own.ids[0]);
    expect(self?.name).toBe('tokenops');
    const pinned = createMailtrapAdapter(conn({ ownTokenId: 42 }), deps());
    expect(await pinned.ownCredential()).toEqual({ ids: ['42'] });
  });

  it('enforces 150 requests per 10 s per token, with X-Ratelimit headers', async () => {
    const headers = adminHeaders();
    let last: Response | undefined;
    for (let i = 0; i < 150; i++) {
      last = await fetch(`${sim.url}/api/api_tokens`, { headers });
      await last.body?.cancel();
    }
    expect(last?.status).toBe(200);
    expect(last?.headers.get('x-ratelimit-limit')).toBe('150');
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    const before = sim.requests.length;
    const err = await caught(adapter.list());
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.message).toContain('Rate limit exceeded');
    // No Retry-After is documented: the 10 s window is the wait, and the spent budget is not hammered.
    expect((err as RateLimitedError).retryAfterMs).toBe(10_000);
    expect(sim.requests.length - before).toBe(1);
    sim.advanceTime(10_000);
    expect(await adapter.list()).not.toHaveLength(0);
  });

  it('never lets a secret reach an error or a list', async () => {
    const t = sim.seedToken('canary');
    const listed = await adapter.list();
    expect(JSON.stringify(listed)).not.toContain(t.secret);
    sim.inject({
      fault: { kind: 'status', status: 200, body: { id: 'x', name: 'n', token: t.secret } },
      method: 'POST',
    });
    const shape = await caught(adapter.create({ name: 'x' }));
    expect(shape.code).toBe('unexpected_response');
    sim.inject({ fault: { kind: 'status', status: 500, body: { error: `boom ${t.secret}` } }, method: 'GET' });
    const echoed = await caught(adapter.list());
    expect(echoed.message).toContain('boom [redacted]');
    const admin = (sim.connectionConfig()['credentials'] as { token: string }).token;
    // The connection's own token is redacted exactly, even in a shape no pattern would catch.
    const plain = 'qwertyuiopasdfgh';
    sim.clearFaults();
    sim.inject({ fault: { kind: 'status', status: 422, body: { errors: `bad ${plain}` } }, method: 'GET', times: 1 });
    const own = await caught(createMailtrapAdapter(conn({ credentials: { token: plain } }), deps()).list());
    expect(own.message).toContain('bad [secret]');
    const errors = [
      shape,
      echoed,
      await caught(adapter.rotate('123')),
      await caught(adapter.create({ name: 'x', scopes: ['bad'] })),
    ];
    expect(errorText(own)).not.toContain(plain);
    for (const err of errors) {
      expect(errorText(err)).not.toContain(t.secret);
      expect(errorText(err)).not.toContain(admin);
    }
  });
});
