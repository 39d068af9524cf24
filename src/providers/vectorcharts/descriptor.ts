import * as z from 'zod/mini';
import { connectionFields, secretString } from '../connection-fields.js';
import { defineProvider } from '../descriptor.js';
import { isVectorchartsRefId, vectorchartsRefId } from './ref-id.js';

/** Vector Charts OEM portal: an API token, or a portal user to log in as. */
export const vectorchartsConnection = z.object({
  provider: z.literal('vectorcharts'),
  ...connectionFields,
  credentials: z.optional(
    z.union([z.object({ apiToken: secretString }), z.object({ username: secretString, password: secretString })]),
  ),
});

const NO_PAUSE = 'nowhere: Vector Charts tokens have no inactive state; revoke the token instead';

/** Vector Charts: everything but the HTTP client (see ./adapter.ts). */
export const descriptor = defineProvider({
  type: 'vectorcharts',
  label: 'Vector Charts',
  connection: vectorchartsConnection,
  /** What the OEM Portal API can do with tokens. */
  capabilities: {
    list: { mode: 'native' },
    get: { mode: 'emulated', how: 'by listing' },
    create: { mode: 'native' },
    revoke: { mode: 'native' },
    rotate: { mode: 'emulated', how: 'creates a new token, then deletes the old one' },
    activate: { mode: 'unsupported', where: NO_PAUSE },
    deactivate: { mode: 'unsupported', where: NO_PAUSE },
  },
  // A token's id IS its secret: REFs carry a keyed hash of it instead.
  refId: { isRefId: isVectorchartsRefId, refId: vectorchartsRefId },
  // No documented limit for token management: not throttled.
  rateRules: [],
  createForm: { creatable: true, hosts: true },
  // The provider requests one revoke makes (the kill), for a bulk revocation's time estimate.
  revokeRequests: ['GET', 'DELETE'],
  revokedHow: 'deleted',
  revokeDeactivates: false,
  listsExposeValues: true,
});
