import type { CreateInput, ProviderAdapter, ProviderType } from '../../src/core/token.js';
import type { ProviderSimulator } from '../../src/local/simulators/base.js';

/** A started adapter + simulator pair. */
export interface ContractPair {
  adapter: ProviderAdapter;
  /** Undefined in live mode (a real provider account). */
  sim: ProviderSimulator | undefined;
  /** Makes an adapter with deliberately wrong credentials, for the `auth` case. */
  adapterWithBadCredentials(): ProviderAdapter;
  /** The same adapter with a short per-request timeout (for the timeout case); absent in live mode. */
  adapterWithTimeout?(ms: number): ProviderAdapter;
  stop(): Promise<void>;
}

/** One provider in the contract suite. */
export interface ContractTarget {
  provider: ProviderType;
  /** Starts the simulator (or connects live) and an adapter pointed at it. Retries are made fast. */
  start(): Promise<ContractPair>;
  /** A valid create request for this provider. */
  createInput: CreateInput;
  /** The page size the simulator uses, so the suite can seed more than one page (0 = no paging). */
  pageSize: number;
  /** What the old secret does after rotate: 'dies' now, or 'lives' for a grace period. */
  oldSecretAfterRotate: 'dies' | 'lives' | 'n/a';
}

/** Adapter options every contract target uses: a fixed key and fast retries. */
export const CONTRACT_DEPS = {
  fingerprintKey: 'contract-test-fingerprint-key',
  retry: { maxRetries: 2, retryBaseMs: 5, maxRetryAfterMs: 2_000 },
} as const;
