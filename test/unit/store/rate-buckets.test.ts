import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../src/core/errors.js';
import { bucketFor, type RateRule } from '../../../src/core/rate-limit.js';
import { PROVIDER_RATE_RULES } from '../../../src/providers/descriptors.js';
import { HttpClient } from '../../../src/providers/http.js';
import { DynamoRateLimiter, type LimiterClock } from '../../../src/store/rate-buckets.js';
import { documentClient, ensureTable } from '../../../src/store/table.js';
import { MailtrapSimulator } from '../../../src/providers/mailtrap/simulator.js';
import { useDynamo } from '../../support/dynamo.js';
import { maxInWindow } from '../../support/windows.js';

/** A clock that only moves when someone sleeps: the limiter's arithmetic without real waiting. */
function fakeClock(): LimiterClock & { slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe('shared DynamoDB rate limiter', () => {
  const dynamo = useDynamo();
  let n = 0;
  async function table(): Promise<{ db: ReturnType<typeof documentClient>; name: string }> {
    const name = `rates-${++n}`;
    await ensureTable({ tableName: name, endpoint: dynamo.endpoint() });
    return { db: documentClient({ tableName: name, endpoint: dynamo.endpoint() }), name };
  }

  it('keeps a burst of a fiftieth of the limit and spaces the rest evenly over the window', async () => {
    const { db, name } = await table();
    const clock = fakeClock();
    const rule: RateRule = { name: 'all', scope: 'all', limit: 100, windowMs: 10_000 };
    const gate = new DynamoRateLimiter(db, name, { clock }).gate('mailtrap', 'default', [rule]);
    const granted: number[] = [];
    for (let i = 0; i < 150; i++) {
      await gate.acquire('GET');
      granted.push(clock.now());
    }
    expect(granted.slice(0, 2).every((t) => t === granted[0])).toBe(true);
    expect(granted[2]).toBeGreaterThan(granted[0] as number);
    expect(maxInWindow(granted, rule.windowMs)).toBeLessThanOrEqual(rule.limit);
    const span = (granted[149] as number) - (granted[0] as number);
    const { perMs } = bucketFor(rule);
    expect(span).toBeGreaterThanOrEqual(Math.floor(148 / perMs) - 1);
    expect(span).toBeLessThanOrEqual(Math.ceil(148 / perMs) + 148);
  });

  it('counts Cobalt reads and mutations in separate buckets', async () => {
    const { db, name } = await table();
    const clock = fakeClock();
    const gate = new DynamoRateLimiter(db, name, { clock }).gate('cobalt', 'default', PROVIDER_RATE_RULES.cobalt);
    for (let i = 0; i < 2; i++) await gate.acquire('GET');
    expect(clock.slept).toEqual([]); // 2 of 100 per minute: the burst
    await gate.acquire('POST');
    expect(clock.slept).toEqual([]); // the mutation bucket's own burst of 1
    await gate.acquire('DELETE');
    expect(clock.slept.length).toBe(1);
    expect(clock.slept[0]).toBeGreaterThan(3000); // 19 per 60 s: ~3.2 s apart
  });

  it('pauses every worker sharing the credential after a 429, for Retry-After or the documented window', async () => {
    const { db, name } = await table();
    const clock = fakeClock();
    const a = new DynamoRateLimiter(db, name, { clock }).gate('mailtrap', 'default', PROVIDER_RATE_RULES.mailtrap);
    const b = new DynamoRateLimiter(db, name, { clock }).gate('mailtrap', 'default', PROVIDER_RATE_RULES.mailtrap);
    await a.acquire('GET');
    await a.slowDown('GET', undefined);
    const before = clock.now();
    await b.acquire('GET');
    expect(clock.now() - before).toBeGreaterThanOrEqual(10_000);
    await b.slowDown('GET', 2_000);
    const again = clock.now();
    await a.acquire('GET');
    expect(clock.now() - again).toBeGreaterThanOrEqual(2_000);
  });

  it('fails a request that would wait longer than allowed instead of hanging, and takes nothing for it', async () => {
    const { db, name } = await table();
    const clock = { now: () => 1_000_000, sleep: async () => undefined }; // time stands still: slots pile up
    const rule: RateRule = { name: 'all', scope: 'all', limit: 20, windowMs: 60_000 };
    const limiter = new DynamoRateLimiter(db, name, { clock, maxWaitMs: 5_000 });
    const gate = limiter.gate('cobalt', 'x', [rule]);
    for (let i = 0; i < 2; i++) await gate.acquire('GET'); // a burst of 1, then one slot 3.2 s ahead
    const err = await gate.acquire('GET').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as Error).message).toMatch(/20 per 60 s/);
    // Nothing was taken for the refused request: the next slot is still the one after the second.
    expect(await limiter.reserve('RATE#cobalt:x#all', bucketFor(rule))).toBe(Math.ceil(2 / bucketFor(rule).perMs));
  });

  it('lets requests through when the store is unreachable: a limiter never blocks a revocation', async () => {
    const db = documentClient({ tableName: 'none', endpoint: 'http://127.0.0.1:9' });
    const gate = new DynamoRateLimiter(db, 'none').gate('mailtrap', 'default', PROVIDER_RATE_RULES.mailtrap);
    await expect(gate.acquire('DELETE')).resolves.toBeUndefined();
    await expect(gate.slowDown('DELETE', 1000)).resolves.toBeUndefined();
  });

  it('keeps two concurrent workers together under a rule, in every sliding window', async () => {
    const { db, name } = await table();
    const rule: RateRule = { name: 'all', scope: 'all', limit: 20, windowMs: 500 };
    const workers = [0, 1].map(() =>
      new DynamoRateLimiter(documentClient({ tableName: name, endpoint: dynamo.endpoint() }), name).gate(
        'mailtrap',
        'shared',
        [rule],
      ),
    );
    const granted: number[] = [];
    await Promise.all(
      workers.map(async (gate) => {
        for (let i = 0; i < 30; i++) {
          await gate.acquire('DELETE');
          granted.push(Date.now());
        }
      }),
    );
    void db;
    expect(granted).toHaveLength(60);
    expect(maxInWindow(granted, rule.windowMs)).toBeLessThanOrEqual(rule.limit);
  });

  it("keeps two workers' requests to the Mailtrap simulator within 150 per 10 s, with no 429", async () => {
    const { name } = await table();
    const sim = await new MailtrapSimulator().listen();
    try {
      const token = (sim.connectionConfig()['credentials'] as { token: string }).token;
      const clients = [0, 1].map(
        () =>
          new HttpClient({
            provider: 'mailtrap',
            baseUrl: sim.url,
            headers: { authorization: `Bearer ${token}` },
            maxRetries: 0,
            gate: new DynamoRateLimiter(documentClient({ tableName: name, endpoint: dynamo.endpoint() }), name).gates(
              'mailtrap',
              'default',
            ),
          }),
      );
      const statuses: number[] = [];
      await Promise.all(
        clients.map(async (http) => {
          for (let i = 0; i < 85; i++)
            statuses.push((await http.send({ op: 'ping', method: 'GET', path: '/api/accounts' })).status);
        }),
      );
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(sim.requests).toHaveLength(170);
      expect(
        maxInWindow(
          sim.requests.map((r) => r.at),
          10_000,
        ),
      ).toBeLessThanOrEqual(150);
    } finally {
      await sim.close();
    }
  }, 40_000);

  it('makes the HTTP client ask the gate before every attempt and slow it down on a 429', async () => {
    const sim = await new MailtrapSimulator().listen();
    try {
      const calls: string[] = [];
      const gate = {
        acquire: async (method: string) => void calls.push(`acquire ${method}`),
        slowDown: async (method: string, ms: number | undefined) => void calls.push(`slow ${method} ${ms}`),
      };
      const token = (sim.connectionConfig()['credentials'] as { token: string }).token;
      const http = new HttpClient({
        provider: 'mailtrap',
        baseUrl: sim.url,
        headers: { authorization: `Bearer ${token}` },
        retryBaseMs: 1,
        gate,
      });
      sim.inject({ fault: { kind: 'rate_limit', status: 429, retryAfter: '0' }, times: 1 });
      await http.send({ op: 'ping', method: 'GET', path: '/api/accounts' });
      expect(calls).toEqual(['acquire GET', 'slow GET 0', 'acquire GET']);
    } finally {
      await sim.close();
    }
  });
});
