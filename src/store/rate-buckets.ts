import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RateLimitedError } from '../core/errors.js';
import {
  bucketFor,
  ruleApplies,
  type BucketShape,
  type RateGateFactory,
  type RateRule,
  type RequestGate,
} from '../core/rate-limit.js';
import { PROVIDER_RATE_RULES } from '../providers/descriptors.js';
import { type ProviderType } from '../core/token.js';
import { providerLabel } from '../providers/descriptors.js';
import { isConditionFailure } from './dynamo-util.js';
import { ttlIn } from './table.js';

/** A bucket as stored: `tokens` as of `at` (ms; may be negative: slots reserved ahead), a pause, a version. */
interface BucketState {
  tokens: number;
  at: number;
  pausedUntil: number;
  v: number;
}

/** Clock and sleep, injectable so tests can drive time. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
    }),
};

/** Options of the shared limiter. */
export interface RateLimiterOptions {
  /**
   * A request that would wait longer than this fails as rate limited instead (a bulk job puts its token
   * back on the queue with that delay; a person is told when to try again). @default 20000
   */
  maxWaitMs?: number;
  /** Rules per provider. @default PROVIDER_RATE_RULES */
  rules?: Record<ProviderType, readonly RateRule[]>;
  /** Slack per window for clock skew between workers and network jitter, ms. @default 250 */
  marginMs?: number;
  clock?: LimiterClock;
}

/**
 * Token buckets in DynamoDB, one per provider credential and documented rule, shared by every worker.
 * A request reserves a slot with a conditional write on the bucket's version (optimistic concurrency:
 * a lost race re-reads and tries again), then sleeps until its slot. A 429/509 pauses the bucket for
 * everyone. A store failure lets the request through: the limiter must never block a revocation.
 */
export class DynamoRateLimiter {
  readonly #cache = new Map<string, BucketState>();
  readonly #locks = new Map<string, Promise<void>>();
  readonly #o: Required<RateLimiterOptions>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    options: RateLimiterOptions = {},
  ) {
    this.#o = { maxWaitMs: 20_000, rules: PROVIDER_RATE_RULES, marginMs: 250, clock: realClock, ...options };
  }

  /** The gate factory adapters use: undefined for providers with no documented limit. */
  readonly gates: RateGateFactory = (provider, connection) => {
    const rules = this.#o.rules[provider] ?? [];
    if (rules.length === 0) return undefined;
    return this.gate(provider, connection, rules);
  };

  /** The gate of one credential under the given rules. */
  gate(provider: ProviderType, connection: string, rules: readonly RateRule[]): RequestGate {
    const keyOf = (r: RateRule): string => `RATE#${provider}:${connection}#${r.name}`;
    return {
      acquire: async (method, signal) => {
        for (const rule of rules.filter((r) => ruleApplies(r, method))) {
          const wait = await this.reserve(keyOf(rule), bucketFor(rule, this.#o.marginMs));
          if (wait > this.#o.maxWaitMs)
            throw new RateLimitedError(
              `${providerLabel(provider)} is rate limiting tokenops (documented limit ${rule.limit} per ${rule.windowMs / 1000} s). Try again in ${Math.ceil(wait / 1000)} s.`,
              wait,
              { provider },
            );
          if (wait > 0) await this.#o.clock.sleep(wait, signal);
        }
      },
      slowDown: async (method, retryAfterMs) => {
        for (const rule of rules.filter((r) => ruleApplies(r, method)))
          await this.pause(keyOf(rule), retryAfterMs ?? rule.windowMs);
      },
    };
  }

  /**
   * Takes one token from the bucket and returns how long to wait for it (0 when it is there now).
   * Beyond `maxWaitMs` nothing is taken and the wait is returned, so the caller can give up.
   */
  async reserve(key: string, shape: BucketShape): Promise<number> {
    // One reservation at a time per bucket in this process: concurrent ones would all write the same
    // version and all but one re-read and retry (a round trip each). Other workers still race, safely.
    const run = (this.#locks.get(key) ?? Promise.resolve()).then(() => this.#reserve(key, shape));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(key, tail);
    void tail.then(() => {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    });
    return run;
  }

  async #reserve(key: string, shape: BucketShape): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const now = this.#o.clock.now();
      const state = this.#cache.get(key) ?? (await this.#read(key, shape, now));
      if (!state) return 0; // store unavailable: fail open
      if (state.pausedUntil > now) {
        const pause = state.pausedUntil - now;
        if (pause > this.#o.maxWaitMs) return pause;
        await this.#o.clock.sleep(pause);
        this.#cache.delete(key);
        continue;
      }
      const available = Math.min(shape.capacity, state.tokens + Math.max(0, now - state.at) * shape.perMs);
      const after = available - 1;
      const wait = after >= 0 ? 0 : Math.ceil(-after / shape.perMs);
      if (wait > this.#o.maxWaitMs) return wait;
      const next: BucketState = { tokens: after, at: Math.max(now, state.at), pausedUntil: 0, v: state.v + 1 };
      const written = await this.#write(key, next, state.v);
      if (written === 'ok') return wait;
      if (written === 'error') return 0;
      this.#cache.delete(key); // another worker moved the bucket: read it again
    }
    return 0; // extreme contention: let the provider's own limit answer
  }

  /** Pauses a bucket (never shortening a longer pause) and empties it, so it refills from the pause's end. */
  async pause(key: string, ms: number): Promise<void> {
    const until = this.#o.clock.now() + ms;
    this.#cache.delete(key);
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key, sk: 'B' },
          UpdateExpression: 'SET pausedUntil = :u, tokens = :z, #at = :u, #ttl = :ttl ADD v :one',
          ConditionExpression: 'attribute_not_exists(pausedUntil) OR pausedUntil < :u',
          ExpressionAttributeNames: { '#at': 'at', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':u': until, ':z': 0, ':one': 1, ':ttl': ttlIn(86_400) },
        }),
      )
      .catch(() => undefined); // a longer pause is already set, or the store is down: nothing to add
  }

  async #read(key: string, shape: BucketShape, now: number): Promise<BucketState | undefined> {
    try {
      const res = await this.db.send(
        new GetCommand({ TableName: this.table, Key: { pk: key, sk: 'B' }, ConsistentRead: true }),
      );
      const i = res.Item;
      if (!i) return { tokens: shape.capacity, at: now, pausedUntil: 0, v: 0 };
      return {
        tokens: Number(i['tokens']),
        at: Number(i['at']),
        pausedUntil: Number(i['pausedUntil'] ?? 0),
        v: Number(i['v']),
      };
    } catch {
      return undefined;
    }
  }

  async #write(key: string, next: BucketState, expected: number): Promise<'ok' | 'raced' | 'error'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: key, sk: 'B', ...next, ttl: ttlIn(86_400) },
          ConditionExpression: 'attribute_not_exists(pk) OR v = :v',
          ExpressionAttributeValues: { ':v': expected },
        }),
      );
      this.#cache.set(key, next);
      return 'ok';
    } catch (err) {
      return isConditionFailure(err) ? 'raced' : 'error';
    }
  }
}
