import * as z from 'zod/mini';
import { connectionFields, secretString } from '../connection-fields.js';
import { defineProvider } from '../descriptor.js';

/** Vaultoro: the dashboard user's main bearer token. */
export const vaultoroConnection = z.object({
  provider: z.literal('vaultoro'),
  ...connectionFields,
  credentials: z.optional(z.object({ bearerToken: secretString })),
  /**
   * How the main bearer token is sent: `Authorization: Bearer <token>` or the raw token (the docs show
   * neither). A 401 names this setting. @default "bearer"
   */
  authScheme: z.optional(z.enum(['bearer', 'raw'])),
});

const DASHBOARD = 'in the Vaultoro dashboard (it needs a captcha)';

/** Vaultoro: everything but the HTTP client (see ./adapter.ts). */
export const descriptor = defineProvider({
  type: 'vaultoro',
  label: 'Vaultoro',
  connection: vaultoroConnection,
  /** What the Vaultoro API can do: list and delete only; everything else happens in the dashboard. */
  capabilities: {
    list: { mode: 'native' },
    get: { mode: 'emulated', how: 'by listing' },
    create: { mode: 'unsupported', where: DASHBOARD },
    revoke: { mode: 'native' },
    rotate: {
      mode: 'unsupported',
      where: 'by hand: create a new token in the Vaultoro dashboard (it needs a captcha), then revoke the old one here',
    },
    activate: {
      mode: 'unsupported',
      where: 'nowhere: Vaultoro tokens have no inactive state; create a new one in the Vaultoro dashboard instead',
    },
    deactivate: {
      mode: 'unsupported',
      where: 'nowhere: Vaultoro tokens have no inactive state; revoke the token instead',
    },
  },
  // Vaultoro's VTOKEN limit is per day.
  rateRules: [{ name: 'all', scope: 'all', limit: 100_000, windowMs: 86_400_000 }],
  createForm: { creatable: false },
  // The provider requests one revoke makes (the kill), for a bulk revocation's time estimate.
  revokeRequests: ['DELETE'],
  revokedHow: 'deleted',
  revokeDeactivates: false,
  listsExposeValues: false,
});
