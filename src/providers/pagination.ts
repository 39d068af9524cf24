import { TokenOpsError } from '../core/errors.js';

/** Runs `fn` over items with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One page of a page-numbered list. */
export interface NumberedPage<T> {
  items: T[];
  totalPages: number | null;
  nextPage: number | null;
}

/**
 * Walks a page-numbered list. When the first page tells the total, the rest are fetched in parallel
 * (bounded), so the wall time is about two round trips instead of one per page.
 */
export async function walkNumberedPages<T>(
  fetchPage: (page: number) => Promise<NumberedPage<T>>,
  concurrency = 4,
): Promise<T[]> {
  const first = await fetchPage(1);
  if (first.totalPages !== null && first.totalPages > 1) {
    const rest = Array.from({ length: first.totalPages - 1 }, (_, i) => i + 2);
    const pages = await mapLimit(rest, concurrency, fetchPage);
    return [first, ...pages].flatMap((p) => p.items);
  }
  const items = [...first.items];
  let next = first.nextPage;
  for (let guard = 0; next !== null && guard < 10_000; guard++) {
    const page = await fetchPage(next);
    items.push(...page.items);
    next = page.nextPage;
  }
  return items;
}

/** Walks a cursor-paged list (sequential by nature). `next` is null on the last page. */
export async function walkCursorPages<T>(
  fetchPage: (cursor: string | null) => Promise<{ items: T[]; next: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next;
    if (cursor !== null) {
      if (seen.has(cursor))
        throw new TokenOpsError('unexpected_response', 'The provider returned the same page cursor twice.');
      seen.add(cursor);
    }
  } while (cursor !== null);
  return items;
}
