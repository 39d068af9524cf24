import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { RateLimitedError, TokenOpsError } from '../../../src/core/errors.js';
import {
  HttpClient,
  codeForStatus,
  parseRetryAfter,
  scrubCredentials,
  type HttpClientOptions,
} from '../../../src/providers/http.js';
import { mapLimit, walkCursorPages, walkNumberedPages } from '../../../src/providers/pagination.js';
import { SimServer } from '../../../src/local/simulators/base.js';
import { caught, errorText } from '../../support/errors.js';

const list = z.object({ items: z.array(z.string()) });

describe('HttpClient', () => {
  const server = new SimServer();
  let calls = 0;
  const slept: number[] = [];
  const client = (over: Partial<HttpClientOptions> = {}): HttpClient =>
    new HttpClient({
      provider: 'mailtrap',
      baseUrl: `${server.url}/api`,
      headers: { authorization: 'Bearer management-secret-value' },
      retryBaseMs: 1,
      sleep: async (ms) => {
        slept.push(ms);
      },
      errorMessage: (b) => (b as { error?: string }).error,
      ...over,
    });

  beforeAll(async () => {
    server.route('GET', /^\/api\/items$/, () => ({ status: 200, body: { items: ['a', 'b'] } }));
    server.route('POST', /^\/api\/items$/, () => {
      calls++;
      return { status: 200, body: { items: ['c'] } };
    });
    server.route('GET', /^\/api\/echo-query$/, (r) => ({
      status: 200,
      body: { items: [...r.query.entries()].map(([k, v]) => `${k}=${v}`) },
    }));
    server.route('GET', /^\/api\/slow$/, async () => {
      await new Promise((r) => setTimeout(r, 500));
      return { status: 200, body: { items: [] } };
    });
    server.route('DELETE', /^\/api\/items\/(\w+)$/, () => ({ status: 204 }));
    await server.listen();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.clearFaults();
    calls = 0;
    slept.length = 0;
  });

  it('parses a JSON body with the schema', async () => {
    const res = await client().send({ op: 'list items', method: 'GET', path: '/items', schema: list });
    expect(res.body.items).toEqual(['a', 'b']);
  });

  it('keeps the base path and encodes the query', async () => {
    const res = await client().send({
      op: 'echo',
      method: 'GET',
      path: 'echo-query',
      query: { q: 'a b&c', skip: undefined },
      schema: list,
    });
    expect(res.body.items).toEqual(['q=a b&c']);
  });

  it('returns an empty body for 204 when no schema is given', async () => {
    const res = await client().send({ op: 'delete', method: 'DELETE', path: '/items/x1' });
    expect(res.status).toBe(204);
  });

  it('retries an idempotent GET after a 503 with jittered backoff', async () => {
    server.inject({ fault: { kind: 'status', status: 503 }, times: 2 });
    const res = await client().send({ op: 'list', method: 'GET', path: '/items', schema: list });
    expect(res.body.items).toHaveLength(2);
    expect(slept).toHaveLength(2);
    expect(slept[1]).toBeGreaterThanOrEqual(1);
  });

  it('never retries a POST, even after a 503', async () => {
    server.inject({ fault: { kind: 'status', status: 503 }, method: 'POST', times: 1 });
    const before = server.requests.length;
    await expect(
      client().send({ op: 'create', method: 'POST', path: '/items', json: {}, schema: list }),
    ).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect(server.requests.length - before).toBe(1);
    expect(calls).toBe(0);
  });

  it('never retries a POST after a reset connection either', async () => {
    server.inject({ fault: { kind: 'reset' }, method: 'POST', times: 1 });
    const before = server.requests.length;
    await expect(
      client().send({ op: 'create', method: 'POST', path: '/items', json: {}, schema: list }),
    ).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect(server.requests.length - before).toBe(1);
  });

  it('waits exactly the Retry-After of a 429 before retrying', async () => {
    server.inject({ fault: { kind: 'rate_limit', retryAfter: '2' }, times: 1 });
    await client().send({ op: 'list', method: 'GET', path: '/items', schema: list });
    expect(slept).toEqual([2000]);
  });

  it('treats 509 like 429', async () => {
    server.inject({ fault: { kind: 'rate_limit', status: 509, retryAfter: '1' }, times: 1 });
    await client().send({ op: 'list', method: 'GET', path: '/items', schema: list });
    expect(slept).toEqual([1000]);
  });

  it('without Retry-After waits the documented window, not a blind second', async () => {
    server.inject({ fault: { kind: 'rate_limit', status: 429 }, times: 1 });
    await client({ rateLimitWindowMs: 3_000, maxRetryAfterMs: 5_000 }).send({
      op: 'list',
      method: 'GET',
      path: '/items',
      schema: list,
    });
    expect(slept).toEqual([3000]);
    server.inject({ fault: { kind: 'rate_limit', status: 509 } });
    const before = server.requests.length;
    const err = await caught(
      client({ rateLimitWindowMs: 60_000 }).send({ op: 'list', method: 'GET', path: '/items', schema: list }),
    );
    expect([(err as RateLimitedError).retryAfterMs, server.requests.length - before]).toEqual([60_000, 1]);
    expect(err.message).toMatch(/Try again in 60 s/);
  });

  it('does not wait for a Retry-After beyond the cap and reports it', async () => {
    server.inject({ fault: { kind: 'rate_limit', retryAfter: '3600' } });
    const err = await client()
      .send({ op: 'list', method: 'GET', path: '/items', schema: list })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(3_600_000);
    expect((err as Error).message).toMatch(/Try again in 3600 s/);
    expect(slept).toEqual([]);
  });

  it('stops after maxRetries + 1 attempts', async () => {
    server.inject({ fault: { kind: 'status', status: 500 } });
    const before = server.requests.length;
    await expect(
      client({ maxRetries: 3 }).send({ op: 'list', method: 'GET', path: '/items', schema: list }),
    ).rejects.toMatchObject({ code: 'provider_unavailable', status: 500 });
    expect(server.requests.length - before).toBe(4);
  });

  it('does not retry a 401, 403, 404 or 422', async () => {
    for (const status of [401, 403, 404, 422]) {
      server.clearFaults();
      server.inject({ fault: { kind: 'status', status } });
      const before = server.requests.length;
      const err = await client()
        .send({ op: 'list', method: 'GET', path: '/items', schema: list })
        .catch((e: unknown) => e);
      expect((err as TokenOpsError).code).toBe(codeForStatus(status));
      expect(server.requests.length - before).toBe(1);
    }
  });

  it('times out a slow attempt', async () => {
    const err = await client({ timeoutMs: 50, maxRetries: 0 })
      .send({ op: 'slow', method: 'GET', path: '/slow', schema: list })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_unavailable' });
    expect((err as Error).message).toMatch(/did not answer within 50 ms/);
  });

  it('reports malformed JSON, an HTML page and a wrong shape without quoting them', async () => {
    server.inject({ fault: { kind: 'bad_json' }, times: 1 });
    await expect(client().send({ op: 'list', method: 'GET', path: '/items', schema: list })).rejects.toMatchObject({
      code: 'unexpected_response',
    });
    server.inject({ fault: { kind: 'html', status: 502 } });
    const html = (await client()
      .send({ op: 'list', method: 'GET', path: '/items', schema: list })
      .catch((e: unknown) => e)) as Error;
    expect(html).toMatchObject({ code: 'provider_unavailable' });
    expect(html.message).not.toContain('<html');
    server.clearFaults();
    server.inject({ fault: { kind: 'wrong_schema' }, times: 1 });
    const shape = (await client()
      .send({ op: 'list', method: 'GET', path: '/items', schema: list })
      .catch((e: unknown) => e)) as Error;
    expect(shape.message).toMatch(/unexpected shape \(at items\)/);
  });

  it('keeps no part of an unparsable body in the error or its cause (it may hold a secret)', async () => {
    const secret = '8d43f8dc-8aa3-4fa2-b09e-361f6af8d972';
    // JSON.parse's own message quotes this body; none of it may travel with our error.
    server.inject({ fault: { kind: 'bad_json', text: `<${secret}` }, times: 1 });
    const err = await client()
      .send({ op: 'list', method: 'GET', path: '/items', schema: list })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unexpected_response' });
    expect(errorText(err)).not.toContain(secret.slice(0, 8));
  });

  it('names the operation, never the URL or the credentials, in errors', async () => {
    server.inject({ fault: { kind: 'status', status: 404, body: { error: 'No token secret-in-path-123456' } } });
    const err = await client()
      .send({
        op: 'delete token',
        method: 'DELETE',
        path: '/items/secret-in-path-123456',
        secrets: ['secret-in-path-123456'],
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain('delete token');
    expect((err as Error).message).not.toContain('secret-in-path-123456');
    expect((err as Error).message).not.toContain(server.url);
    expect(JSON.stringify(err)).not.toContain('management-secret-value');
  });

  it('refuses a path that would leave the provider origin (a hostile next-page link)', () => {
    for (const path of ['///evil.example/t', 'https://evil.example/t', 'http://127.0.0.2/x']) {
      expect(() => client().url(path), path).toThrow(/another host/);
    }
    expect(client().url('/tokens?cursor=abc').pathname).toBe('/api/tokens');
  });

  it('passes listed statuses through to the caller', async () => {
    server.inject({ fault: { kind: 'status', status: 404, body: { items: [] } }, times: 1 });
    const res = await client().send({ op: 'list', method: 'GET', path: '/items', schema: list, passStatuses: [404] });
    expect(res).toMatchObject({ status: 404, body: { items: [] } });
  });
});

describe('scrubCredentials', () => {
  it('masks credential-shaped words in provider text and keeps ordinary ones', () => {
    expect(scrubCredentials('token 8d43f8dc-8aa3-4fa2-b09e-361f6af8d972 is invalid')).toBe(
      'token [redacted] is invalid',
    );
    expect(scrubCredentials('Account access forbidden for authentication')).toBe(
      'Account access forbidden for authentication',
    );
  });

  it('masks a letters-only credential echoed in a 422, and keeps constants and long words', () => {
    expect(scrubCredentials('key sk_live_ABCDEFGHIJKLMNOPQRSTUVWXyz is not allowed')).toBe(
      'key [redacted] is not allowed',
    );
    expect(scrubCredentials('qwertyuiopasdfghjklzxcvbnm leaked')).toBe('[redacted] leaked');
    const plain =
      'BANDWIDTH_LIMIT_EXCEEDED: account_uuid_or_subscription_uuid internationalization InvalidParameterValue';
    expect(scrubCredentials(plain)).toBe(plain);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('pagination', () => {
  it('fetches the remaining numbered pages in parallel once the total is known', async () => {
    let inFlight = 0;
    let peak = 0;
    const items = await walkNumberedPages(async (page) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { items: [page * 10, page * 10 + 1], totalPages: 7, nextPage: page < 7 ? page + 1 : null };
    }, 3);
    expect(items).toEqual([10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61, 70, 71]);
    expect(peak).toBe(3);
  });

  it('follows next_page when there is no total', async () => {
    const items = await walkNumberedPages(async (page) => ({
      items: [page],
      totalPages: null,
      nextPage: page < 3 ? page + 1 : null,
    }));
    expect(items).toEqual([1, 2, 3]);
  });

  it('handles an empty first page', async () => {
    expect(await walkNumberedPages(async () => ({ items: [], totalPages: 0, nextPage: null }))).toEqual([]);
  });

  it('follows cursors to the end and refuses a cursor loop', async () => {
    const pages: Record<string, { items: number[]; next: string | null }> = {
      start: { items: [1], next: 'b' },
      b: { items: [2], next: 'c' },
      c: { items: [3], next: null },
    };
    expect(await walkCursorPages(async (c) => pages[c ?? 'start'] as { items: number[]; next: string | null })).toEqual(
      [1, 2, 3],
    );
    await expect(walkCursorPages(async () => ({ items: [1], next: 'same' }))).rejects.toMatchObject({
      code: 'unexpected_response',
    });
  });

  it('mapLimit keeps order and bounds concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 3, 2], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([10, 2, 6, 4]);
    expect(peak).toBe(2);
  });
});
