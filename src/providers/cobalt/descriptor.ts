import * as z from 'zod/mini';
import { connectionFields, secretString } from '../connection-fields.js';
import { defineProvider } from '../descriptor.js';

/** Cobalt: a personal API token; the API version chooses the Accept header and envelopes. */
export const cobaltConnection = z.object({
  provider: z.literal('cobalt'),
  ...connectionFields,
  credentials: z.optional(z.object({ token: secretString })),
  /**
   * Id (`api_…`) of the personal token in `credentials`: Cobalt lists it among the others and redacts
   * every token's last characters, so only this tells tokenops which token is its own. Required.
   */
  ownTokenId: z
    .string()
    .check(z.regex(/^api_[A-Za-z0-9]{4,64}$/, 'must be the Cobalt token id (api_…) of the credential')),
  /** @default "v2" */
  apiVersion: z.optional(z.enum(['v1', 'v2'])),
  /** Page size (`limit`) for list; unset sends none, so Cobalt's documented default of 10 applies. */
  pageSize: z.optional(z.number().check(z.int(), z.positive())),
});

const WEB_APP = 'in the Cobalt web app (Settings → API tokens';

/** Cobalt: everything but the HTTP client (see ./adapter.ts). */
export const descriptor = defineProvider({
  type: 'cobalt',
  label: 'Cobalt',
  connection: cobaltConnection,
  /** What the Cobalt adapter can do: list and refresh are the whole token API. */
  capabilities: {
    list: { mode: 'native' },
    get: { mode: 'emulated', how: 'lists the tokens and picks the one asked for; Cobalt has no get' },
    create: { mode: 'unsupported', where: `${WEB_APP} → Generate New Token)` },
    revoke: { mode: 'emulated', how: 'refreshes the token and discards the new secret; Cobalt has no revoke API' },
    rotate: { mode: 'native' },
    activate: { mode: 'unsupported', where: `${WEB_APP} → Generate New Token); Cobalt tokens have no inactive state` },
    deactivate: { mode: 'unsupported', where: `${WEB_APP} → Revoke Token); Cobalt tokens have no inactive state` },
  },
  rateRules: [
    { name: 'get', scope: 'read', limit: 100, windowMs: 60_000 },
    { name: 'mutate', scope: 'mutate', limit: 20, windowMs: 60_000 },
  ],
  createForm: { creatable: false },
  // The provider requests one revoke makes (the kill), for a bulk revocation's time estimate.
  revokeRequests: ['POST'],
  revokedHow: 'refreshed and the new secret discarded',
  revokeDeactivates: false,
  listsExposeValues: false,
});
