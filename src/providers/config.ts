import * as z from 'zod/mini';
import '../core/validation.js';

const name = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be lowercase letters, digits, - or _ (max 32)'));
const url = z.string().check(z.url());
const secretString = z.string().check(z.minLength(1));

const common = {
  /** Connection name, e.g. `prod`. */
  name,
  /** Base URL of the provider API (or of a simulator). */
  baseUrl: url,
  /** Per-attempt HTTP timeout in ms. @default 10000 */
  timeoutMs: z.optional(z.number().check(z.int(), z.positive())),
  /** The name of a secret (Secrets Manager on AWS) holding the credentials as JSON, instead of `credentials`. */
  credentialsSecret: z.optional(z.string()),
};

/** Vaultoro: the dashboard user's main bearer token. */
export const vaultoroConnection = z.object({
  provider: z.literal('vaultoro'),
  ...common,
  credentials: z.optional(z.object({ bearerToken: secretString })),
  /**
   * How the main bearer token is sent: `Authorization: Bearer <token>` or the raw token (the docs show
   * neither). A 401 names this setting. @default "bearer"
   */
  authScheme: z.optional(z.enum(['bearer', 'raw'])),
});

/** Vector Charts OEM portal: an API token, or a portal user to log in as. */
export const vectorchartsConnection = z.object({
  provider: z.literal('vectorcharts'),
  ...common,
  credentials: z.optional(
    z.union([z.object({ apiToken: secretString }), z.object({ username: secretString, password: secretString })]),
  ),
});

/** Triton One customers API: a management token; list filter and the subscription new tokens go to. */
export const tritonConnection = z.object({
  provider: z.literal('triton'),
  ...common,
  credentials: z.optional(z.object({ token: secretString })),
  accountUuid: z.optional(z.string()),
  subscriptionUuid: z.optional(z.string()),
  /** Rate tier for new tokens when none is given. @default "tier1" */
  defaultTier: z.optional(z.string()),
  /** Page size for list. @default 50 */
  pageSize: z.optional(z.number().check(z.int(), z.positive())),
});

/** Mailtrap: an API token with admin rights on the account. */
export const mailtrapConnection = z.object({
  provider: z.literal('mailtrap'),
  ...common,
  credentials: z.optional(z.object({ token: secretString })),
  /** Account id for `/api/accounts/{id}/api_tokens`; without it the first account the token reaches is used. */
  accountId: z.optional(z.number().check(z.int(), z.positive())),
  /** Access level of new tokens on the account when no --scope is given: viewer or admin. @default "viewer" */
  defaultAccess: z.optional(z.enum(['viewer', 'admin'])),
});

/** Cobalt: a personal API token; the API version chooses the Accept header and envelopes. */
export const cobaltConnection = z.object({
  provider: z.literal('cobalt'),
  ...common,
  credentials: z.optional(z.object({ token: secretString })),
  /** @default "v2" */
  apiVersion: z.optional(z.enum(['v1', 'v2'])),
  /** Page size (`limit`) for list; unset sends none, so Cobalt's documented default of 10 applies. */
  pageSize: z.optional(z.number().check(z.int(), z.positive())),
});

/** One provider connection, as written in the config file. */
export const connectionSchema = z.discriminatedUnion('provider', [
  vaultoroConnection,
  vectorchartsConnection,
  tritonConnection,
  mailtrapConnection,
  cobaltConnection,
]);

/** A provider connection's config. */
export type ConnectionConfig = z.infer<typeof connectionSchema>;
/** The config of one provider type's connection. */
export type ConnectionOf<P extends ConnectionConfig['provider']> = Extract<ConnectionConfig, { provider: P }>;
