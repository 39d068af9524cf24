// The page cursor of a token list lives in the Previous/Next button value: what was asked (target,
// name filter, --mine) and the page. It holds nothing secret, and it is parsed back strictly, because a
// button value comes back from Slack as user-controlled input.
import { type ProviderType } from '../../core/token.js';
import { isProviderType } from '../../providers/descriptors.js';

/** What a person asked a list for. */
export interface ListQuery {
  target?: { provider: ProviderType; connection?: string | undefined } | undefined;
  nameFilter?: string | undefined;
  mine: boolean;
}

/** A list query and the page to show. */
export interface ListCursor extends ListQuery {
  page: number;
}

const CONNECTION = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MAX_PAGE = 10_000;

/** The button value for a page of a list. */
export function encodeListCursor(c: ListCursor): string {
  const v: Record<string, unknown> = { p: c.page };
  if (c.target) v.t = c.target.connection ? `${c.target.provider}:${c.target.connection}` : c.target.provider;
  if (c.nameFilter) v.n = c.nameFilter;
  if (c.mine) v.m = 1;
  return JSON.stringify(v);
}

/** Reads a cursor back from a button value; undefined when it is not one we wrote. */
export function decodeListCursor(value: string | undefined): ListCursor | undefined {
  let v: unknown;
  try {
    v = JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.p !== 'number' || !Number.isInteger(o.p) || o.p < 1 || o.p > MAX_PAGE) return undefined;
  const out: ListCursor = { page: o.p, mine: o.m === 1 };
  if (o.t !== undefined) {
    if (typeof o.t !== 'string') return undefined;
    const [provider = '', connection] = o.t.split(':');
    if (!isProviderType(provider) || (connection !== undefined && !CONNECTION.test(connection))) return undefined;
    out.target = connection ? { provider, connection } : { provider };
  }
  if (o.n !== undefined) {
    if (typeof o.n !== 'string' || o.n.length > 200) return undefined;
    out.nameFilter = o.n;
  }
  return out;
}
