import * as z from 'zod/mini';

/** A personal API token as `GET /tokens` lists it: never a secret (`last_characters` is "redacted" since 2024). */
export const cobaltTokenResource = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.nullish(z.string()),
  last_characters: z.nullish(z.string()),
  expire_at: z.nullish(z.string()),
});
/** One listed token. */
export type CobaltTokenResource = z.infer<typeof cobaltTokenResource>;

/** `GET /tokens`: `{data: [{resource}], pagination: {next_page, prev_page}}` with relative page links. */
export const cobaltListResponse = z.looseObject({
  data: z.array(z.looseObject({ resource: cobaltTokenResource })),
  pagination: z.nullish(
    z.looseObject({
      next_page: z.nullish(z.string()),
      prev_page: z.nullish(z.string()),
    }),
  ),
});

/** The fields of a refreshed token; `secret` is the new personal token, shown once. */
const refreshed = z.looseObject({
  id: z.string().check(z.minLength(1)),
  secret: z.string().check(z.minLength(1)),
  name: z.nullish(z.string()),
  expire_at: z.nullish(z.string()),
});

/** `POST /tokens/{id}/refresh`: v2 wraps the fields in `resource`, v1 sends them flat; either is accepted. */
export const cobaltRefreshResponse = z.union([z.looseObject({ resource: refreshed }), refreshed]);
/** A refreshed token, unwrapped. */
export type CobaltRefreshed = z.infer<typeof refreshed>;

/** The refresh answer as a revoke reads it: the name only; the new secret beside it is never kept. */
const refreshedName = z.object({ name: z.nullish(z.string()) });
/** `POST /tokens/{id}/refresh` for a revoke: either envelope, the name and nothing else. */
export const cobaltRefreshName = z.union([z.object({ resource: refreshedName }), refreshedName]);

/** Unwraps either refresh envelope. */
export function unwrapRefresh(body: z.infer<typeof cobaltRefreshResponse>): CobaltRefreshed {
  return 'resource' in body ? (body.resource as CobaltRefreshed) : body;
}

/**
 * Pulls a readable message out of a Cobalt error body. No error schema is documented, so any of
 * `message`, `error` or `errors` (a string, a list of strings or `{message}` objects) is used.
 */
export function cobaltErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(add);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      add(o['message'] ?? o['detail'] ?? o['title']);
    }
  };
  add(b['message']);
  add(b['error']);
  add(b['errors']);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
