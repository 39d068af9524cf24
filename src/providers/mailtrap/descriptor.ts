import * as z from 'zod/mini';
import { connectionFields, secretString } from '../connection-fields.js';
import { defineProvider } from '../descriptor.js';

/** Mailtrap: an API token with admin rights on the account. */
export const mailtrapConnection = z.object({
  provider: z.literal('mailtrap'),
  ...connectionFields,
  credentials: z.optional(z.object({ token: secretString })),
  /** Account id for `/api/accounts/{id}/api_tokens`; without it the first account the token reaches is used. */
  accountId: z.optional(z.number().check(z.int(), z.positive())),
  /**
   * Id of the token in `credentials` (tokenops' own), so it is never revoked or rotated from Slack.
   * @default found by listing: the token whose last 4 digits are the credential's
   */
  ownTokenId: z.optional(z.number().check(z.int(), z.positive())),
  /** Access level of new tokens on the account when no --scope is given: viewer or admin. @default "viewer" */
  defaultAccess: z.optional(z.enum(['viewer', 'admin'])),
});

const NO_PAUSE = 'nowhere: Mailtrap tokens have no inactive state; revoke the token instead';

/** Mailtrap: everything but the HTTP client (see ./adapter.ts). */
export const descriptor = defineProvider({
  type: 'mailtrap',
  label: 'Mailtrap',
  connection: mailtrapConnection,
  /** What the Mailtrap API can do with tokens. */
  capabilities: {
    list: { mode: 'native' },
    get: { mode: 'native' },
    create: { mode: 'native' },
    revoke: { mode: 'native' },
    rotate: { mode: 'native' },
    activate: { mode: 'unsupported', where: NO_PAUSE },
    deactivate: { mode: 'unsupported', where: NO_PAUSE },
  },
  rateRules: [{ name: 'all', scope: 'all', limit: 150, windowMs: 10_000 }],
  createForm: {
    creatable: true,
    expires: true,
    scopes: [
      { value: 'account:viewer', label: 'Account: viewer (read only)' },
      { value: 'account:admin', label: 'Account: admin' },
    ],
  },
  // The provider requests one revoke makes (the kill), for a bulk revocation's time estimate.
  revokeRequests: ['DELETE'],
  revokedHow: 'deleted',
  revokeDeactivates: false,
  listsExposeValues: false,
});
