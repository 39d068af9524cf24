import * as z from 'zod/mini';
import { connectionFields, secretString } from '../connection-fields.js';
import { defineProvider } from '../descriptor.js';

/** Triton One customers API: a management token; list filter and the subscription new tokens go to. */
export const tritonConnection = z.object({
  provider: z.literal('triton'),
  ...connectionFields,
  credentials: z.optional(z.object({ token: secretString })),
  accountUuid: z.optional(z.string()),
  subscriptionUuid: z.optional(z.string()),
  /** Rate tier for new tokens when none is given. @default "tier1" */
  defaultTier: z.optional(z.string()),
  /** Page size for list. @default 50 */
  pageSize: z.optional(z.number().check(z.int(), z.positive())),
});

/** Triton One: everything but the HTTP client (see ./adapter.ts). */
export const descriptor = defineProvider({
  type: 'triton',
  label: 'Triton One',
  connection: tritonConnection,
  /** What the Triton One adapter can do: no get, delete or rotate calls exist, so those are composed. */
  capabilities: {
    list: { mode: 'native' },
    get: { mode: 'emulated', how: 'lists the tokens and picks the one asked for; Triton has no get' },
    create: { mode: 'native' },
    revoke: { mode: 'emulated', how: 'deactivates the token; Triton has no delete' },
    rotate: {
      mode: 'emulated',
      how: 'creates a new token with the same name and rate tier, delivers it, then deactivates the old one; Triton has no rotate',
    },
    activate: { mode: 'native' },
    deactivate: { mode: 'native' },
  },
  localConnections: ['prod', 'staging'],
  // No documented limit for token management: not throttled.
  rateRules: [],
  createForm: { creatable: true, tiers: ['free', 'tier1', 'tier2', 'tier3', 'dedi'] },
  // The provider requests one revoke makes (the kill), for a bulk revocation's time estimate.
  revokeRequests: ['PUT'],
  revokedHow: 'deactivated',
  revokeDeactivates: true,
  listsExposeValues: true,
});
