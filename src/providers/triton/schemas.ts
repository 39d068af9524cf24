import * as z from 'zod/mini';

/** One deactivation reason: a string per the third-party schema, but objects are tolerated. */
const reason = z.union([z.string(), z.looseObject({})]);

/** A Triton RPC token as the Customers API returns it. `value` is the SECRET; `auth_username` is sensitive. */
export const tritonToken = z.looseObject({
  uuid: z.string().check(z.minLength(1)),
  name: z.string(),
  value: z.string().check(z.minLength(1)),
  rate_tier: z.nullish(z.string()),
  auth_username: z.nullish(z.string()),
  is_active: z.boolean(),
  deactivation_reasons: z.nullish(z.array(reason)),
});
/** A Triton token record. */
export type TritonToken = z.infer<typeof tritonToken>;

/** Rails-style pagination meta of `GET /api/v1/tokens`. */
export const tritonMeta = z.looseObject({
  current_page: z.nullish(z.number()),
  next_page: z.nullish(z.number()),
  prev_page: z.nullish(z.number()),
  per_page: z.nullish(z.number()),
  total_pages: z.nullish(z.number()),
  total_count: z.nullish(z.number()),
});

/** `GET /api/v1/tokens` response. */
export const tritonListResponse = z.looseObject({
  tokens: z.array(tritonToken),
  meta: z.optional(tritonMeta),
});

/** `POST /api/v1/subscriptions/:uuid/tokens` response: the new token under a `token` key. */
export const tritonCreateResponse = z.looseObject({ token: tritonToken });

/**
 * Pulls a readable message out of a Triton error body. Errors are undocumented; Rails-style
 * `{"errors": {"field": ["msg"]}}`, `{"errors": ["msg"]}` and `{"error": "msg"}` are all understood.
 */
export function tritonErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  const add = (field: string, v: unknown): void => {
    if (typeof v === 'string') parts.push(field === 'base' || field === '' ? v : `${field} ${v}`);
    else if (Array.isArray(v)) v.forEach((x) => add(field, x));
  };
  if (typeof b['errors'] === 'object' && b['errors'] !== null && !Array.isArray(b['errors'])) {
    for (const [field, v] of Object.entries(b['errors'] as Record<string, unknown>)) add(field, v);
  } else add('', b['errors']);
  add('', b['error']);
  add('', b['message']);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
