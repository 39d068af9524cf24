import * as z from 'zod/mini';

/** A Portal API token record. Its `id` IS the bearer secret (providers.md §2.7). */
export const vcToken = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.nullable(z.string())),
  /** The docs' examples disagree: an integer in list, a UUID string in create. */
  userId: z.optional(z.nullable(z.union([z.number(), z.string()]))),
  userEmail: z.optional(z.nullable(z.string())),
  /** Unix milliseconds. */
  createdAt: z.optional(z.nullable(z.number())),
  /** Unix milliseconds; null when never used. */
  lastUsedAt: z.optional(z.nullable(z.number())),
  /** null means unrestricted. */
  restrictions: z.optional(z.nullable(z.looseObject({ hosts: z.optional(z.nullable(z.array(z.string()))) }))),
});
/** A Vector Charts token record (holds the secret: never log or show it). */
export type VcToken = z.infer<typeof vcToken>;

/** `GET /v1/apiTokens`: a plain array, no envelope, no pages. */
export const vcTokenList = z.array(vcToken);

/** `POST /v1/auth/login`: the session's bearer string is `token.id`. */
export const vcLogin = z.looseObject({ token: z.looseObject({ id: z.string().check(z.minLength(1)) }) });

/** Pulls a message out of a Portal error body; the shapes are undocumented, so several are tried. */
export function vcErrorMessage(body: unknown): string | undefined {
  return rawMessage(body);
}

/** The message as the provider wrote it (may hold an echoed secret). */
function rawMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { error?: unknown; message?: unknown; errors?: unknown };
  for (const v of [b.error, b.message, b.errors]) {
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string')
      return (v as { message: string }).message;
  }
  return undefined;
}
