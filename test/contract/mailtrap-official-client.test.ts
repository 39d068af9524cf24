import { MailtrapClient } from 'mailtrap';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMailtrapSimulator, type MailtrapSimulator } from '../../src/providers/mailtrap/simulator.js';

/**
 * Mailtrap's official Node client (`mailtrap`, a dev dependency only) run against our simulator over
 * loopback HTTP. The simulator and our adapter were written by the same hands, so they can agree with
 * each other and both be wrong; an independent client written by Mailtrap catches that.
 */

const HOUR = 3_600_000;
const GENERAL_ENDPOINT = 'https://mailtrap.io';

/** The part of the client's private axios config this test touches. */
interface AxiosLikeConfig {
  url?: string;
  proxy?: unknown;
  transformResponse?: unknown;
}
interface AxiosLike {
  interceptors: { request: { use(fn: (c: AxiosLikeConfig) => AxiosLikeConfig): number } };
}
/** What the client throws on an HTTP error: MailtrapError, with the axios error as `cause`. */
interface ClientError extends Error {
  cause?: { response?: { status: number; headers: Record<string, unknown>; data: unknown } };
}

/**
 * The client has no base-URL option: point its axios instance (private in the types) at the
 * simulator, never through a proxy, and record each response status (the client itself returns only
 * the body, so a 204 would otherwise be invisible).
 */
function clientFor(sim: MailtrapSimulator, token: string, statuses: number[] = [], accountId = sim.accountId) {
  const client = new MailtrapClient({ token, accountId });
  (client as unknown as { axios: AxiosLike }).axios.interceptors.request.use((config) => {
    const url = config.url ?? '';
    if (!url.startsWith(GENERAL_ENDPOINT)) throw new Error(`unexpected host in ${url}`);
    const existing = config.transformResponse;
    const transforms: unknown[] = Array.isArray(existing) ? existing : existing ? [existing] : [];
    return {
      ...config,
      url: sim.url + url.slice(GENERAL_ENDPOINT.length),
      proxy: false,
      transformResponse: [
        ...transforms,
        (data: unknown, _headers: unknown, status?: number) => {
          if (status !== undefined) statuses.push(status);
          return data;
        },
      ],
    };
  });
  return client;
}

/** The error bodies of providers.md §4.5 (422's messages vary, its shape does not). */
const DOCUMENTED_BODY: Record<number, unknown> = {
  401: { error: 'Incorrect API token' },
  403: { errors: 'Account access forbidden' },
  404: { error: 'Not Found' },
  422: { errors: expect.any(Object) },
  429: { errors: 'Rate limit exceeded' },
};

const adminToken = (sim: MailtrapSimulator) => (sim.connectionConfig()['credentials'] as { token: string }).token;

/** The client's error class: it is not exported, so take it from an error only the client can raise. */
function mailtrapErrorClass(): abstract new (...args: never[]) => Error {
  try {
    void new MailtrapClient({ token: 'x', sandbox: true }).testing;
  } catch (err) {
    return (err as Error).constructor as abstract new (...args: never[]) => Error;
  }
  throw new Error('the client did not refuse testing without an accountId');
}

/** What a client call rejects with; fails unless it is the client's MailtrapError. */
async function rejection(p: Promise<unknown>): Promise<ClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(mailtrapErrorClass());
  expect((err as Error).constructor.name).toBe('MailtrapError');
  return err as ClientError;
}

describe('the official Mailtrap Node client against the Mailtrap simulator', () => {
  let sim: MailtrapSimulator;
  let statuses: number[];
  let client: MailtrapClient;
  const viewer = [{ resource_type: 'account' as const, resource_id: 0, access_level: 10 as const }];
  const viewerOf = (s: MailtrapSimulator) => viewer.map((r) => ({ ...r, resource_id: s.accountId }));

  beforeEach(async () => {
    sim = await startMailtrapSimulator();
    statuses = [];
    client = clientFor(sim, adminToken(sim), statuses);
  });
  afterEach(async () => sim.close());

  it('needs an accountId for token calls and uses the account-scoped path', async () => {
    expect(() => new MailtrapClient({ token: adminToken(sim) }).general.apiTokens).toThrow(/accountId is missing/);
    await client.general.apiTokens.getList();
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/accounts/${sim.accountId}/api_tokens`]);
    expect(sim.requests[0]?.headers['authorization']).toBe(`Bearer ${adminToken(sim)}`);
  });

  it('create returns the secret once (200); list and get show only its last 4 digits', async () => {
    const created = await client.general.apiTokens.create({ name: 'ci-deploy', resources: viewerOf(sim) });
    expect(statuses).toEqual([200]);
    expect(created.token).toMatch(/^[0-9a-f]{32}$/);
    expect(created).toMatchObject({ name: 'ci-deploy', last_4_digits: created.token.slice(-4) });
    expect(created.resources).toEqual(viewerOf(sim));
    expect(Date.parse(created.expires_at ?? '')).toBeGreaterThan(sim.now() + 364 * 24 * HOUR);
    const listed = (await client.general.apiTokens.getList()).find((t) => t.id === created.id);
    const got = await client.general.apiTokens.get(created.id);
    for (const seen of [listed, got]) {
      expect(seen).toMatchObject({ id: created.id, name: 'ci-deploy', last_4_digits: created.token.slice(-4) });
      expect(seen).not.toHaveProperty('token');
      expect(JSON.stringify(seen)).not.toContain(created.token);
    }
    expect(await sim.useSecret(created.token)).toBe(200);
  });

  it('reset gives a new id named "<name> <new id>" with the same permissions; the old secret lives 12 hours', async () => {
    const old = await client.general.apiTokens.create({ name: 'My Token', resources: viewerOf(sim), expires_at: null });
    const fresh = await client.general.apiTokens.reset(old.id);
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.name).toBe(`My Token ${fresh.id}`);
    expect(fresh.resources).toEqual(old.resources);
    expect(fresh.token).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.token).not.toBe(old.token);
    const retired = await client.general.apiTokens.get(old.id);
    expect(Date.parse(retired.expires_at ?? '')).toBeCloseTo(sim.now() + 12 * HOUR, -4);
    expect(await sim.useSecret(old.token)).toBe(200);
    expect(await sim.useSecret(fresh.token)).toBe(200);
    sim.advanceTime(12 * HOUR - 60_000);
    expect(await sim.useSecret(old.token)).toBe(200);
    sim.advanceTime(120_000);
    expect(await sim.useSecret(old.token)).toBe(401);
    expect(await sim.useSecret(fresh.token)).toBe(200);
  });

  it('reset of a token already reset is a 422 MailtrapError', async () => {
    const old = await client.general.apiTokens.create({ name: 'twice', resources: viewerOf(sim), expires_at: null });
    await client.general.apiTokens.reset(old.id);
    const err = await rejection(client.general.apiTokens.reset(old.id));
    expect(err.cause?.response?.status).toBe(422);
    expect(err.message).toMatch(/already been reset/);
  });

  it('delete answers 204 with no body, the token is gone at once and its secret stops working', async () => {
    const t = await client.general.apiTokens.create({ name: 'short-lived', resources: viewerOf(sim) });
    statuses.length = 0;
    expect(await client.general.apiTokens.delete(t.id)).toBeFalsy();
    expect(statuses).toEqual([204]);
    expect((await client.general.apiTokens.getList()).map((x) => x.id)).not.toContain(t.id);
    const err = await rejection(client.general.apiTokens.get(t.id));
    expect(err.cause?.response?.status).toBe(404);
    expect(err.message).toBe('Not Found');
    expect(await sim.useSecret(t.token)).toBe(401);
  });

  it('a viewer token may list (filtered to what it can see) but not create', async () => {
    const seeded = sim.seedToken('grafana-readonly');
    const asViewer = clientFor(sim, seeded.secret);
    expect((await asViewer.general.apiTokens.getList()).map((t) => t.id)).toContain(Number(seeded.id));
    const err = await rejection(asViewer.general.apiTokens.create({ name: 'nope', resources: viewerOf(sim) }));
    expect(err.cause?.response?.status).toBe(403);
    expect(err.message).toBe('Account access forbidden');
  });

  it('a new token scoped to one inbox lists only the tokens within its permissions, not a 403', async () => {
    const inbox = [{ resource_type: 'inbox' as const, resource_id: 88123, access_level: 10 as const }];
    const narrow = await client.general.apiTokens.create({ name: 'inbox-reader', resources: inbox });
    const sibling = await client.general.apiTokens.create({ name: 'inbox-twin', resources: inbox });
    await client.general.apiTokens.create({ name: 'account-wide', resources: viewerOf(sim) });
    const seen = await clientFor(sim, narrow.token).general.apiTokens.getList();
    expect(seen.map((t) => t.name).sort()).toEqual(['inbox-reader', 'inbox-twin']);
    expect(seen.map((t) => t.id)).toContain(sibling.id);
  });

  it('the documented 401, 403, 404 and 422 errors come back as MailtrapError with status and message', async () => {
    const bad = clientFor(sim, '0'.repeat(32));
    const cases: [() => Promise<unknown>, number, string | RegExp][] = [
      [() => bad.general.apiTokens.getList(), 401, 'Incorrect API token'],
      [
        () => clientFor(sim, adminToken(sim), [], sim.foreignAccountId).general.apiTokens.getList(),
        403,
        'Account access forbidden',
      ],
      [() => client.general.apiTokens.get(1), 404, 'Not Found'],
      [() => client.general.apiTokens.delete(1), 404, 'Not Found'],
      [() => client.general.apiTokens.reset(1), 404, 'Not Found'],
      [() => client.general.apiTokens.create({ name: 'empty', resources: [] }), 422, /No permissions selected/],
      [() => client.general.apiTokens.create({ name: '', resources: viewerOf(sim) }), 422, /can't be blank/],
    ];
    for (const [call, status, message] of cases) {
      const err = await rejection(call());
      expect(err.cause?.response?.status).toBe(status);
      expect(err.message).toMatch(message);
      expect(err.cause?.response?.data).toEqual(DOCUMENTED_BODY[status]);
    }
  });

  it('the 151st call in 10 seconds is a 429 MailtrapError with the documented rate-limit headers', async () => {
    for (let i = 0; i < 150; i++) await client.general.apiTokens.getList();
    const err = await rejection(client.general.apiTokens.getList());
    expect(err.cause?.response?.status).toBe(429);
    expect(err.message).toBe('Rate limit exceeded');
    expect(err.cause?.response?.data).toEqual(DOCUMENTED_BODY[429]);
    expect(err.cause?.response?.headers).toMatchObject({ 'x-ratelimit-limit': '150', 'x-ratelimit-remaining': '0' });
    sim.advanceTime(10_000);
    await expect(client.general.apiTokens.getList()).resolves.toBeInstanceOf(Array);
  });

  it('under the literal reset rule, reset of a token with an expiry is a 422 MailtrapError', async () => {
    const literal = await startMailtrapSimulator({ resetRule: 'literal' });
    try {
      const c = clientFor(literal, adminToken(literal));
      const t = await c.general.apiTokens.create({ name: 'expiring', resources: viewerOf(literal) });
      const err = await rejection(c.general.apiTokens.reset(t.id));
      expect(err.cause?.response?.status).toBe(422);
      expect(err.message).toMatch(/without an expiration/);
      const never = await c.general.apiTokens.create({ name: 'never', resources: viewerOf(literal), expires_at: null });
      expect((await c.general.apiTokens.reset(never.id)).name).toMatch(/^never \d+$/);
    } finally {
      await literal.close();
    }
  });
});
