import type { CreateInput, ProviderAdapter, ProviderType } from '../../src/core/token.js';
import type { ProviderSimulator } from '../../src/local/simulators/base.js';

/** A token to act on that the suite did not create (Vaultoro and Cobalt cannot create over their API). */
export type Disposable = () => Promise<{ id: string; secret: string } | undefined>;

/** A started adapter + simulator pair. */
export interface ContractPair {
  adapter: ProviderAdapter;
  /** Undefined in live mode (a real provider account, or a simulator on loopback used as one). */
  sim: ProviderSimulator | undefined;
  /** Proves a secret works the way its owner would use it; undefined in live mode without a probe setting. */
  useSecret: ((secret: string) => Promise<number>) | undefined;
  /** Live mode where the provider cannot create: the next hand-made token to act on, if any is left. */
  disposable?: Disposable;
  /** Makes an adapter with deliberately wrong credentials, for the `auth` case. */
  adapterWithBadCredentials(): ProviderAdapter;
  /** The same adapter with a short per-request timeout (for the timeout case); absent in live mode. */
  adapterWithTimeout?(ms: number): ProviderAdapter;
  stop(): Promise<void>;
}

/** One provider in the contract suite. */
export interface ContractTarget {
  provider: ProviderType;
  /** Label in test names, for a second reading of ambiguous docs (e.g. "vaultoro (raw auth)"). */
  label?: string;
  /** Starts the simulator (or connects live) and an adapter pointed at it. Retries are made fast. */
  start(): Promise<ContractPair>;
  /** A well-formed token id the provider does not know (a typo), for the not-found case. */
  unknownId: string;
  /** A valid create request for this provider. */
  createInput: CreateInput;
  /** The page size the adapter uses, so the suite can make more than one page (0 = no paging). */
  pageSize: number;
  /** What the old secret does after rotate: 'dies' now, or 'lives' for a grace period. */
  oldSecretAfterRotate: 'dies' | 'lives' | 'n/a';
}

/** Adapter options every contract target uses: a fixed key and fast retries. */
export const CONTRACT_DEPS = {
  fingerprintKey: 'contract-test-fingerprint-key',
  retry: { maxRetries: 2, retryBaseMs: 5, maxRetryAfterMs: 2_000 },
} as const;

/** Page size of the contract adapters: small, so paging needs few tokens (live runs too). */
export const CONTRACT_PAGE_SIZE = 2;
