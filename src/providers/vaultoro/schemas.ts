import * as z from 'zod/mini';

/** One API token as `GET /v1/tokens` lists it: no name and no secret. */
export const vaultoroToken = z.looseObject({
  referenceId: z.string().check(z.minLength(1)),
  /** Unix seconds. */
  expires: z.optional(z.nullable(z.number())),
  scopes: z.optional(z.nullable(z.array(z.string()))),
  /** Unix seconds. */
  createdAt: z.optional(z.nullable(z.number())),
});
/** A Vaultoro token record. */
export type VaultoroToken = z.infer<typeof vaultoroToken>;

/** `GET /v1/tokens`: `{data: [...]}`, also on the 404 that means "no tokens". */
export const vaultoroList = z.looseObject({ data: z.array(vaultoroToken) });

/** `DELETE /v1/tokens/:referenceId`: `{data: {success: true}}`. */
export const vaultoroDelete = z.looseObject({
  data: z.optional(z.looseObject({ success: z.optional(z.boolean()) })),
});

/**
 * Pulls the message out of a Vaultoro error body. The shape is undocumented; clients treat a top-level
 * `errors` key as the failure signal, seen as a string or as a list of `{message}`.
 */
export function vaultoroErrorMessage(body: unknown): string | undefined {
  return rawMessage(body);
}

/** The message as the provider wrote it (may hold an echoed secret). */
function rawMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { errors?: unknown; error?: unknown; message?: unknown };
  const e = b.errors ?? b.error ?? b.message;
  if (typeof e === 'string') return e;
  if (Array.isArray(e)) {
    const parts = e.map((x) => (typeof x === 'string' ? x : (x as { message?: unknown })?.message));
    const texts = parts.filter((x): x is string => typeof x === 'string');
    return texts.length > 0 ? texts.join('; ') : undefined;
  }
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
    return (e as { message: string }).message;
  return undefined;
}
