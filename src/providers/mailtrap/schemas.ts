import * as z from 'zod/mini';

/** One permission of a token. `access_level` 10 = viewer, 100 = admin. */
export const mtResource = z.looseObject({
  resource_type: z.string(),
  resource_id: z.union([z.number(), z.string()]),
  access_level: z.number(),
});
/** A Mailtrap permission entry. */
export type MtResource = z.infer<typeof mtResource>;

/** A token as list and get return it: no secret, only `last_4_digits`. */
export const mtToken = z.looseObject({
  id: z.number().check(z.int()),
  name: z.string(),
  last_4_digits: z.optional(z.nullable(z.string())),
  created_by: z.optional(z.nullable(z.string())),
  /** ISO 8601; null = never expires. */
  expires_at: z.optional(z.nullable(z.string())),
  resources: z.optional(z.nullable(z.array(mtResource))),
});
/** A Mailtrap token (no secret). */
export type MtToken = z.infer<typeof mtToken>;

/** `GET P`: a plain array. */
export const mtTokenList = z.array(mtToken);

/** Create and reset responses: the token object plus the secret, shown once. */
export const mtIssued = z.extend(mtToken, { token: z.string().check(z.minLength(1)) });

/** `GET /api/accounts`: the accounts the token can reach. */
export const mtAccounts = z.array(z.looseObject({ id: z.number().check(z.int()), name: z.optional(z.string()) }));

/** Text of one `error`/`errors` value: a string, a list, or `{attribute: [messages]}`. */
function describe(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const parts = value.map(describe).filter((x): x is string => !!x);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const parts = Object.entries(value).map(([field, msgs]) => {
    const text = describe(msgs);
    // `base` errors are whole sentences; others read as "<field> <message>", as Rails renders them.
    return text && field !== 'base' && field !== 'message' ? `${field} ${text}` : text;
  });
  const texts = parts.filter((x): x is string => !!x);
  return texts.length > 0 ? texts.join('; ') : undefined;
}

/** Pulls the message out of a Mailtrap error body: `error` or `errors`, string or object. */
export function mtErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { error?: unknown; errors?: unknown };
  return describe(b.errors) ?? describe(b.error);
}
