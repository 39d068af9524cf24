import type { Dispatcher } from 'undici';
import type { RateGateFactory } from '../core/rate-limit.js';

/** What every adapter needs besides its connection config. */
export interface AdapterDeps {
  /** Server-side HMAC key for fingerprints and Vector Charts REF ids. */
  fingerprintKey: string;
  /** Connection pool override (tests, benchmarks). */
  dispatcher?: Dispatcher;
  /** Retry tuning override (tests make backoff fast). */
  retry?: { maxRetries?: number; retryBaseMs?: number; maxRetryAfterMs?: number };
  /** Shared rate limits per credential (DynamoDB token buckets). @default none: no throttling */
  rateGates?: RateGateFactory | undefined;
  /** Clock. @default () => new Date() */
  now?: () => Date;
}
