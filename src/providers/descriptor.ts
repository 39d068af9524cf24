import type * as z from 'zod/mini';
import type { RateRule } from '../core/rate-limit.js';
import type { Capabilities } from '../core/token.js';

/** How a provider's REF id differs from its token id, where it does (its token id is a secret). */
export interface RefIdRule {
  /** True when the id is already a REF id; anything else is a pasted token id, i.e. a secret. */
  isRefId(id: string): boolean;
  /** The REF id of a token id. */
  refId(tokenId: string, fingerprintKey: string): string;
}

/** What the `/token create` form offers for a provider (documented values only). */
export interface CreateForm {
  creatable: boolean;
  tiers?: string[];
  scopes?: { value: string; label: string }[];
  expires?: boolean;
  hosts?: boolean;
}

/** The connection config schema of one provider: an object whose `provider` is its type. */
export type ConnectionSchema<T extends string> = z.ZodMiniObject<
  { provider: z.ZodMiniLiteral<T> } & z.core.$ZodLooseShape
>;

/**
 * Everything tokenops knows about one provider that is not its HTTP client: light enough for the
 * ingress bundle (no adapter, no undici). The adapter lives next to it in `providers/<type>/adapter.ts`
 * and is loaded only where provider calls are made (see `providers/adapters.ts`).
 */
export interface ProviderDescriptor<T extends string = string, S extends ConnectionSchema<T> = ConnectionSchema<T>> {
  /** The type as users type it (`triton`), also the folder name under `src/providers/`. */
  readonly type: T;
  /** Human name for replies (`Triton One`). */
  readonly label: string;
  /** The connection config schema (validated by the config loader and the ingress). */
  readonly connection: S;
  /** What the adapter can do, per action; shown by `/token providers` and checked before a call. */
  readonly capabilities: Capabilities;
  /** Set when the provider's token id is a secret: REFs carry a keyed hash of it instead. */
  readonly refId?: RefIdRule | undefined;
  /** The documented rate limits per credential (providers.md §6.5); empty when none is documented. */
  readonly rateRules: readonly RateRule[];
  /** What the create form offers. */
  readonly createForm: CreateForm;
  /** The HTTP methods of the requests one revoke makes, for a bulk revocation's time estimate. */
  readonly revokeRequests: readonly string[];
  /** What revoking did to a token, in words for a bulk preview (`deleted`, `deactivated`). */
  readonly revokedHow: string;
  /**
   * True when revoke deactivates rather than deletes: an inactive token is then already dead, and the
   * UI offers no Revoke button for it.
   */
  readonly revokeDeactivates: boolean;
  /** True when list answers carry the secret itself (a listing can then match a leaked value). */
  readonly listsExposeValues: boolean;
  /** Connections `npm start` configures against this provider's simulator. @default ['default'] */
  readonly localConnections?: readonly string[];
}

/** Declares a provider descriptor, keeping its literal type and schema type. */
export function defineProvider<const T extends string, S extends ConnectionSchema<T>>(
  d: ProviderDescriptor<T, S>,
): ProviderDescriptor<T, S> {
  return d;
}
