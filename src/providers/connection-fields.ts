import * as z from 'zod/mini';
import '../core/validation.js';

const name = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be lowercase letters, digits, - or _ (max 32)'));
const url = z.string().check(z.url());

/** A non-empty secret string in a connection's credentials. */
export const secretString = z.string().check(z.minLength(1));

/** The fields every provider connection has, spread into each provider's connection schema. */
export const connectionFields = {
  /** Connection name, e.g. `prod`. */
  name,
  /** Base URL of the provider API (or of a simulator). */
  baseUrl: url,
  /** Per-attempt HTTP timeout in ms. @default 10000 */
  timeoutMs: z.optional(z.number().check(z.int(), z.positive())),
  /** The name of a secret (Secrets Manager on AWS) holding the credentials as JSON, instead of `credentials`. */
  credentialsSecret: z.optional(z.string()),
};
