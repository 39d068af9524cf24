import { inspect } from 'node:util';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitedError, TokenOpsError, UnsupportedError } from '../../../src/core/errors.js';
import type { ProviderAdapter } from '../../../src/core/token.js';
import { createCobaltAdapter } from '../../../src/providers/cobalt/adapter.js';
import type { ConnectionOf } from '../../../src/providers/config.js';
import { header } from '../../../src/local/simulators/base.js';
import {
  startCobaltSimulator,
  type CobaltSimulator,
  type CobaltSimulatorOptions,
} from '../../../src/providers/cobalt/simulator.js';
import { caught } from '../../support/errors.js';

const DEPS = { fingerprintKey: 'unit-key', retry: { maxRetries: 1, retryBaseMs: 1, maxRetryAfterMs: 100 } };
const V2 = 'application/vnd.cobalt.v2+json';
let sim: CobaltSimulator | undefined;
afterEach(async () => sim?.close());

async function setup(options: CobaltSimulatorOptions = {}): Promise<{ s: CobaltSimulator; adapter: ProviderAdapter }> {
  const s = await startCobaltSimulator(options);
  sim = s;
  const conn = { provider: 'cobalt', name: 'unit', baseUrl: s.url, ...s.connectionConfig() } as ConnectionOf<'cobalt'>;
  return { s, adapter: createCobaltAdapter(conn, DEPS) };
}

/** A raw call to the simulator with the management token, as a non-tokenops client would make it. */
async function raw(s: CobaltSimulator, method: 'GET' | 'POST', path: string, headers: Record<string, string>) {
  const res = await request(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${s.managementToken}`, ...headers },
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('Cobalt adapter and simulator', () => {
  it('sends Bearer auth and the vendor Accept, plus Content-Type and an Idempotency-Key on v2 refresh', async () => {
    const { s, adapter } = await setup();
    const t = s.seedToken('jira-sync');
    await adapter.rotate(t.id);
    const [get, post] = [s.requests.find((r) => r.method === 'GET'), s.requests.find((r) => r.method === 'POST')];
    expect(get && header(get, 'authorization')).toBe(`Bearer ${s.managementToken}`);
    expect(get && header(get, 'accept')).toBe(V2);
    expect(post && header(post, 'content-type')).toBe(V2);
    expect(post && header(post, 'idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('simulator answers 406 without the vendor Accept, and on a v2 POST without the vendor Content-Type', async () => {
    const { s } = await setup();
    const t = s.seedToken('x');
    expect((await raw(s, 'GET', '/tokens', {})).status).toBe(406);
    expect((await raw(s, 'GET', '/tokens', { accept: 'application/json' })).status).toBe(406);
    expect((await raw(s, 'GET', '/tokens', { accept: V2 })).status).toBe(200);
    expect((await raw(s, 'POST', `/tokens/${t.id}/refresh`, { accept: V2 })).status).toBe(406);
    const v1 = await raw(s, 'POST', `/tokens/${t.id}/refresh`, { accept: 'application/vnd.cobalt.v1+json' });
    expect(v1.status).toBe(200);
  });

  it('reads the flat v1 and the wrapped v2 refresh envelopes', async () => {
    for (const version of ['v1', 'v2'] as const) {
      const { s, adapter } = await setup({ version });
      const t = s.seedToken(`token-${version}`);
      const result = await adapter.rotate(t.id);
      const accept = s.requests.find((r) => r.method === 'POST');
      expect(accept && header(accept, 'accept')).toBe(`application/vnd.cobalt.${version}+json`);
      expect(result.issued.secret.reveal()).toBe(s.tokens.get(result.issued.summary.id)?.secret);
      expect(result.issued.summary.name).toBe(`token-${version}`);
      await s.close();
    }
    const { s } = await setup();
    const t = s.seedToken('shape');
    const v2 = await raw(s, 'POST', `/tokens/${t.id}/refresh`, { accept: V2, 'content-type': V2 });
    expect(Object.keys(v2.body as object)).toEqual(['resource']);
  });

  it('follows the cursor across pages, with "redacted" last characters giving no last4', async () => {
    const { s, adapter } = await setup({ demo: true });
    const listed = await adapter.list();
    expect(listed.length).toBe(13); // the 12 demo tokens and the caller's own
    const gets = s.requests.filter((r) => r.path === '/tokens');
    expect(gets.length).toBe(3);
    expect(gets.every((r) => r.query.get('limit') === '5')).toBe(true);
    expect(gets[0]?.query.has('cursor')).toBe(false);
    expect(gets[1]?.query.get('cursor')).toMatch(/^\w+$/);
    expect(listed.every((t) => t.last4 === undefined && t.expiresAt === null && t.active)).toBe(true);
  });

  it('simulator lists the caller\'s own token like any other, with last_characters "redacted" (as documented)', async () => {
    const { s } = await setup();
    const self = [...s.tokens.values()].find((t) => t.secret === s.managementToken);
    const res = await raw(s, 'GET', '/tokens', { accept: V2 });
    const rows = (res.body as { data: { resource: Record<string, unknown> }[] }).data.map((d) => d.resource);
    expect(rows).toContainEqual({ id: self?.id, last_characters: 'redacted', name: self?.name, expire_at: null });
  });

  it('sends no limit unless configured, so a server that caps limit below ours cannot break paging', async () => {
    const { s } = await setup({ demo: true, maxLimit: { limit: 10, over: 'reject' } });
    expect((await raw(s, 'GET', '/tokens?limit=25', { accept: V2 })).status).toBe(400);
    const conn = { provider: 'cobalt', name: 'unit', baseUrl: s.url, credentials: { token: s.managementToken } };
    const listed = await createCobaltAdapter(conn as ConnectionOf<'cobalt'>, DEPS).list();
    expect(listed).toHaveLength(13);
    const gets = s.requests.filter((r) => r.path === '/tokens' && r.query.get('limit') !== '25');
    expect(gets.map((r) => r.query.get('limit'))).toEqual([null, null]);
  });

  it('simulator takes a list of media types and any case of the Bearer scheme, as HTTP allows', async () => {
    const { s } = await setup();
    const lower = { authorization: `bearer ${s.managementToken}` };
    expect((await raw(s, 'GET', '/tokens', { accept: `${V2}, */*` })).status).toBe(200);
    expect((await raw(s, 'GET', '/tokens', { accept: `application/json;q=0.5, ${V2}`, ...lower })).status).toBe(200);
    expect((await raw(s, 'GET', '/tokens', { accept: 'application/json, */*' })).status).toBe(406);
  });

  it('uses real last characters from older responses', async () => {
    const { s, adapter } = await setup({ lastCharacters: 'real' });
    const t = s.seedToken('legacy');
    expect((await adapter.get(t.id)).last4).toBe(t.secret.slice(-4));
  });

  it('cuts over at once on refresh: the old secret dies, the new one works, whether or not the id changes', async () => {
    for (const refreshKeepsId of [true, false]) {
      const { s, adapter } = await setup({ refreshKeepsId });
      const t = s.seedToken('slack-notifier');
      const result = await adapter.rotate(t.id);
      expect(result.old).toEqual({ fate: 'dead_immediately' });
      expect(await s.useSecret(t.secret)).toBe(401);
      expect(await s.useSecret(result.issued.secret.reveal())).toBe(200);
      expect(result.issued.summary.id === t.id).toBe(refreshKeepsId);
      const ids = (await adapter.list()).map((x) => x.id);
      expect(ids).toContain(result.issued.summary.id);
      await s.close();
    }
  });

  it('revokes by refreshing and discarding, never keeping the new secret', async () => {
    const { s, adapter } = await setup();
    const t = s.seedToken('vuln-triage');
    const before = s.requests.length;
    const result = await adapter.revoke(t.id);
    expect(result).toEqual({ method: 'refreshed_and_discarded', summary: { name: 'vuln-triage' } });
    // Kill first: the refresh is the only call (no listing before it, whatever the number of pages).
    expect(s.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /tokens/${t.id}/refresh`]);
    expect(await s.useSecret(t.secret)).toBe(401);
    const text = JSON.stringify(result) + inspect(result, { depth: 9 });
    for (const x of s.tokens.values()) expect(text).not.toContain(x.secret);
    expect(adapter.capabilities.revoke).toMatchObject({ mode: 'emulated' });
  });

  it('refreshes the new token again when delivery fails, so its secret dies too', async () => {
    const { s, adapter } = await setup({ refreshKeepsId: false });
    const t = s.seedToken('asset-inventory');
    let fresh = '';
    const boom = new Error('slack down');
    const deliver = async (issued: { secret: { reveal(): string } }): Promise<void> => {
      fresh = issued.secret.reveal();
      throw boom;
    };
    await expect(adapter.rotate(t.id, { deliver })).rejects.toBe(boom);
    expect(await s.useSecret(fresh)).toBe(401);
  });

  it('says where to create, activate and deactivate instead', async () => {
    const { adapter } = await setup();
    const err = await caught(adapter.create({ name: 'x' }));
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as UnsupportedError).where).toBe('in the Cobalt web app (Settings → API tokens → Generate New Token)');
    expect((await caught(adapter.activate('api_x'))).code).toBe('unsupported');
    expect((await caught(adapter.deactivate('api_x'))).code).toBe('unsupported');
  });

  it('rate limits per user with 509 by default; with no Retry-After the client waits out the 60 s window', async () => {
    const { s, adapter } = await setup({ rateLimits: { get: 2, mutate: 1 } });
    const t = s.seedToken('weekly-metrics');
    await adapter.list();
    // A managed token of the same user spends the same budget.
    expect(await s.useSecret(t.secret)).toBe(200);
    const err = await caught(adapter.list());
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.status).toBe(509);
    // Cobalt documents no Retry-After: the documented window is the wait, not three GETs in a second.
    expect((err as RateLimitedError).retryAfterMs).toBe(60_000);
    expect(err.message).toMatch(/Try again in 60 s/);
    expect(s.requests.filter((r) => r.path === '/tokens')).toHaveLength(2);
    const last = await raw(s, 'GET', '/tokens', { accept: V2 });
    expect(last.headers['x-rate-limit-get-limit']).toBe('2');
    expect(last.headers['x-rate-limit-remaining']).toBe('0');
    expect(last.headers['retry-after']).toBeUndefined();
    s.advanceTime(60_000);
    await expect(adapter.list()).resolves.toHaveLength(2);
    const mutate = await raw(s, 'POST', `/tokens/${t.id}/refresh`, { accept: V2, 'content-type': V2 });
    expect(mutate.headers['x-rate-limit-mutate-limit']).toBe('1');
  });

  it('answers 429 instead when configured so', async () => {
    const { adapter } = await setup({ rateLimits: { get: 1, mutate: 20 }, rateLimitStatus: 429 });
    await adapter.list();
    const err = await caught(adapter.list());
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limited');
    expect((err as RateLimitedError).retryAfterMs).toBe(60_000);
  });

  it('simulator answers 409 to an Idempotency-Key replayed within 5 minutes', async () => {
    const { s } = await setup();
    const t = s.seedToken('replay');
    const headers = { accept: V2, 'content-type': V2, 'idempotency-key': 'f1d6c7b0-8c7e-4f59-9a55-3b0a4f8f2c11' };
    expect((await raw(s, 'POST', `/tokens/${t.id}/refresh`, headers)).status).toBe(200);
    expect((await raw(s, 'POST', `/tokens/${t.id}/refresh`, headers)).status).toBe(409);
    s.advanceTime(5 * 60_000 + 1);
    expect((await raw(s, 'POST', `/tokens/${t.id}/refresh`, headers)).status).toBe(200);
  });

  it('never puts a secret into an error, even when the provider echoes it', async () => {
    const { s, adapter } = await setup();
    const canary = s.seedToken('canary');
    const errors: TokenOpsError[] = [];
    for (const body of [{ message: `bad ${canary.secret}` }, { errors: [{ message: canary.secret }] }]) {
      s.clearFaults();
      s.inject({ fault: { kind: 'status', status: 422, body }, method: 'POST' });
      errors.push(await caught(adapter.revoke(canary.id)), await caught(adapter.rotate(canary.id)));
    }
    const bad = createCobaltAdapter(
      {
        provider: 'cobalt',
        name: 'unit',
        baseUrl: s.url,
        ownTokenId: 'api_Unit',
        credentials: { token: canary.secret.slice(0, 39) },
      },
      DEPS,
    );
    errors.push(await caught(bad.list()));
    for (const e of errors)
      expect(`${e.message} ${JSON.stringify(e)} ${inspect(e, { depth: 9 })}`).not.toContain(canary.secret);
    expect(errors[0]?.message).toContain('[redacted]');
  });

  it('refuses to refresh its own credential (the configured ownTokenId), though its last characters are redacted', async () => {
    const { s, adapter } = await setup({ listManagementToken: true });
    const self = [...s.tokens.values()].find((t) => t.secret === s.managementToken);
    expect((await adapter.list()).find((t) => t.id === self?.id)?.last4).toBeUndefined(); // "redacted"
    expect(await adapter.ownCredential()).toEqual({ ids: [self?.id] });
    const before = s.requests.length;
    for (const err of [await caught(adapter.rotate(self?.id ?? '')), await caught(adapter.revoke(self?.id ?? ''))]) {
      expect(err.code).toBe('forbidden');
      expect(err.message).toMatch(/tokenops' own credential.*README/);
    }
    expect(s.requests.length).toBe(before); // refused before any call
    expect(await s.useSecret(s.managementToken)).toBe(200);
  });

  it('says a mistyped id is not found at this connection, after one refresh attempt and nothing else', async () => {
    const { s, adapter } = await setup();
    const err = await caught(adapter.revoke('api_NoSuchToken000000000'));
    expect(err.code).toBe('not_found');
    expect(err.message).toMatch(/no token with id api_NoSuchToken000000000 at connection cobalt:unit/);
    expect(s.requests.filter((r) => r.method === 'GET')).toEqual([]);
  });
});

describe('Cobalt revoke at scale', () => {
  it('revokes one token among 10,000 at the documented limits (100 GETs, 20 mutations a minute) with one request and no listing', async () => {
    const { s, adapter } = await setup({ rateLimits: { get: 100, mutate: 20 } });
    for (let i = 0; i < 10_000; i++) s.seedToken(`scale-${i}`);
    const target = s.seedToken('scale-target');
    const before = s.requests.length;
    const result = await adapter.revoke(target.id);
    expect(result.method).toBe('refreshed_and_discarded');
    expect(s.requests.slice(before).map((r) => r.method)).toEqual(['POST']);
    expect(await s.useSecret(target.secret)).toBe(401);
  });
});
