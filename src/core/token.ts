import type { Secret } from './secret.js';

/**
 * A provider type as users type it, e.g. `triton`. Core never names a provider: the one list of them
 * is providers/descriptors.ts, whose `ProviderType` is the exact union and whose `isProviderType`
 * checks user input.
 */
export type ProviderType = string;

/** Every action an adapter may offer. */
export const ACTIONS = ['list', 'get', 'create', 'revoke', 'rotate', 'activate', 'deactivate'] as const;
/** One adapter action. */
export type Action = (typeof ACTIONS)[number];

/** How an adapter supports one action. */
export type Support =
  | { mode: 'native' }
  /** The provider has no such call; the adapter composes it, and `how` says so to the user. */
  | { mode: 'emulated'; how: string }
  /** Impossible over the API; `where` tells the user where it can be done. */
  | { mode: 'unsupported'; where: string };

/** What an adapter can do, per action. */
export type Capabilities = Record<Action, Support>;

/** Provider-specific facts about a token that fit in a reply (never secret). */
export type TokenExtras = Record<string, string | number | boolean | null>;

/** A token as tokenops shows it: never holds a secret, only its fingerprint and last 4. */
export interface TokenSummary {
  /** `provider:connection/id`: never secret. */
  ref: string;
  provider: ProviderType;
  connection: string;
  /** The non-secret id used in the REF (for Vector Charts, a keyed hash of the secret id). */
  id: string;
  name: string;
  /** Last 4 characters of the secret, when the provider tells (or the bot saw it at creation). */
  last4?: string | undefined;
  /** Full HMAC-SHA-256 fingerprint of the secret, when the secret was ever seen. */
  fingerprint?: string | undefined;
  /** ISO 8601 times. */
  createdAt?: string | undefined;
  expiresAt?: string | null | undefined;
  lastUsedAt?: string | null | undefined;
  active: boolean;
  /** True for the connection's own credential: shown as such, never revoked, rotated or deactivated. */
  ownCredential?: boolean | undefined;
  /** Set when tokenops revoked it (a deactivated Triton token is "revoked", not "inactive"). */
  revoked?: { by: string; at: string } | undefined;
  /** Provider-specific extras, such as Triton's rate tier or Mailtrap's creator. */
  extras: TokenExtras;
}

/** What a user asks for when creating a token; adapters use the fields their provider knows. */
export interface CreateInput {
  name: string;
  /** Triton rate tier. */
  tier?: string | undefined;
  /** ISO 8601 expiry (Mailtrap, Vaultoro). */
  expiresAt?: string | undefined;
  /** Scopes/permissions, provider-specific words (Mailtrap `account:admin`, Vaultoro `read`). */
  scopes?: string[] | undefined;
  /** Allowed hosts (Vector Charts restrictions). */
  hosts?: string[] | undefined;
}

/** A freshly minted token: the summary to show and the secret to deliver once. */
export interface IssuedToken {
  summary: TokenSummary;
  secret: Secret;
}

/** How a revoke made the old secret stop working. */
export type RevokeMethod = 'deleted' | 'deactivated' | 'refreshed_and_discarded';

/**
 * The outcome of a revoke that killed a token. A token the provider does not know is never a success:
 * revoke throws `not_found` for it (a typo, or a token already gone), so repeats are safe and honest.
 */
export interface RevokeResult {
  method: RevokeMethod;
  /** What the adapter learnt of the token on the way (a listing it needed, or the kill's answer). */
  summary?: Partial<Pick<TokenSummary, 'name' | 'last4'>> | undefined;
}

/**
 * Which provider tokens are the connection's own credential, as exactly as the API allows. `ids` are
 * REF ids; `note` says what the provider cannot tell (e.g. Triton's management token is never listed).
 */
export interface OwnCredential {
  ids: readonly string[];
  note?: string | undefined;
}

/** What happens to the old secret after a rotate. */
export type OldSecretFate =
  | { fate: 'deleted' }
  | { fate: 'deactivated' }
  | { fate: 'dead_immediately' }
  | { fate: 'expires_later'; at: string }
  /** The new token was delivered but retiring the old one failed: it still works until revoked. */
  | { fate: 'retire_failed'; reason: string };

/** The outcome of a rotate: the new token and the fate of the old one. */
export interface RotateResult {
  issued: IssuedToken;
  old: OldSecretFate;
  /** The old token's summary. */
  previous?: TokenSummary | undefined;
  /** Set when a native rotate fell back to an emulated one this time: how it was done instead. */
  fallback?: string;
}

/** Called by rotate after the new token exists and before the old one is retired. */
export type DeliverHook = (issued: IssuedToken) => Promise<void>;

/** Options for a rotate. */
export interface RotateOptions {
  /**
   * Delivers the new secret. When it throws, the adapter revokes the new token where it can, leaves
   * the old one as it was where it can, and rethrows.
   */
  deliver?: DeliverHook;
  reason?: string;
  /** The token as the caller has just read it (spares the adapter a second listing). */
  previous?: TokenSummary | undefined;
}

/** Options for calls that can be cancelled. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** The port every provider adapter implements. */
export interface ProviderAdapter {
  readonly provider: ProviderType;
  readonly connection: string;
  readonly capabilities: Capabilities;
  /** Every token the credentials can see, every page walked. No secrets. */
  list(options?: CallOptions): Promise<TokenSummary[]>;
  /** One token by its REF id; emulated by listing where the provider has no get. */
  get(id: string, options?: CallOptions): Promise<TokenSummary>;
  create(input: CreateInput, options?: CallOptions): Promise<IssuedToken>;
  /**
   * Makes the token's secret stop working now. The first provider call is the kill (except where the
   * REF id must be resolved by one listing); throws `not_found` when the provider has no such token.
   */
  revoke(id: string, options?: CallOptions & { reason?: string }): Promise<RevokeResult>;
  rotate(id: string, options?: CallOptions & RotateOptions): Promise<RotateResult>;
  activate(id: string, options?: CallOptions): Promise<TokenSummary>;
  deactivate(id: string, options?: CallOptions & { reason?: string }): Promise<TokenSummary>;
  /** The connection's own credential among the provider's tokens (looked up once, then cached). */
  ownCredential(options?: CallOptions): Promise<OwnCredential>;
}
