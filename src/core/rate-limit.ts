import type { ProviderType } from './token.js';

/** Which requests a documented limit counts. */
export type RateScope = 'all' | 'read' | 'mutate';

/** One documented rate limit of a provider credential: `limit` requests per `windowMs`. */
export interface RateRule {
  /** Bucket name, unique per provider (e.g. `get`, `mutate`). */
  name: string;
  scope: RateScope;
  limit: number;
  windowMs: number;
}

/** True when a rule counts a request with this HTTP method. */
export function ruleApplies(rule: RateRule, method: string): boolean {
  if (rule.scope === 'all') return true;
  const read = method === 'GET' || method === 'HEAD';
  return rule.scope === 'read' ? read : !read;
}

/** A token bucket: at most `capacity` at once, refilled at `perMs` tokens per millisecond. */
export interface BucketShape {
  capacity: number;
  perMs: number;
}

/**
 * The bucket that keeps a documented limit in every sliding window, not only in the provider's own
 * fixed windows: a bucket allows `capacity + perMs·W` requests in any window W, so the burst is a fiftieth of
 * the limit and the refill takes the rest, spread over the window plus a margin for clock skew between
 * workers and network jitter.
 */
export function bucketFor(rule: RateRule, marginMs = 250): BucketShape {
  // A small burst: every request of the burst is taken from the steady rate, so a long job (a bulk
  // revoke of hundreds) runs close to the documented rate; a burst of a tenth cost it ~8 %.
  const capacity = Math.max(1, Math.floor(rule.limit / 50));
  return { capacity, perMs: (rule.limit - capacity) / (rule.windowMs + marginMs) };
}

/** The least time `count` requests need under one rule at its documented rate (the benchmark's floor). */
export function minimumMs(rule: RateRule, count: number): number {
  return (count / rule.limit) * rule.windowMs;
}

/**
 * Waits before a provider request until the shared budget of its credential allows it. One gate per
 * provider connection; every worker sharing the credential shares its buckets.
 */
export interface RequestGate {
  /** Resolves when a request with this method may be sent. */
  acquire(method: string, signal?: AbortSignal): Promise<void>;
  /** The provider answered 429/509: every worker holds back for `retryAfterMs` (or the window). */
  slowDown(method: string, retryAfterMs: number | undefined): Promise<void>;
}

/** Builds the gate of one connection, or undefined when its provider documents no limit. */
export type RateGateFactory = (provider: ProviderType, connection: string) => RequestGate | undefined;
