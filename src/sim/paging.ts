import { graphErrors } from './graph-error.ts';
import type { Params } from './sim-auth.ts';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

const encodeCursor = (id: string) => Buffer.from(`sim:${id}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('sim:')) throw graphErrors.badParam(`Invalid cursor: ${cursor}`);
  return decoded.slice(4);
}

export interface PagingJson {
  cursors: { before: string; after: string };
  next?: string;
  previous?: string;
}

/**
 * Cursor paging as Meta does it: `before`/`after` are exclusive, `limit` defaults to 25 (at most 100),
 * `paging.cursors` accompanies every non-empty page and `next`/`previous` only when more exist.
 */
export function paginate<T extends { id: string }>(
  items: readonly T[],
  params: Params,
  pageUrl: (cursor: { after: string } | { before: string }) => string,
): { items: T[]; paging?: PagingJson } {
  const rawLimit = params.limit ?? String(DEFAULT_LIMIT);
  const limit = Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1)
    throw graphErrors.badParam(`Param limit must be a positive integer, got ${rawLimit}`);
  const size = Math.min(limit, MAX_LIMIT);
  const indexOf = (cursor: string) => {
    const id = decodeCursor(cursor);
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw graphErrors.badParam(`Invalid cursor: ${cursor}`);
    return index;
  };

  let start = 0;
  let end = Math.min(items.length, size);
  if (params.after) {
    start = indexOf(params.after) + 1;
    end = Math.min(items.length, start + size);
  } else if (params.before) {
    end = indexOf(params.before);
    start = Math.max(0, end - size);
  }
  const page = items.slice(start, end);
  const first = page[0];
  const last = page.at(-1);
  if (!first || !last) return { items: [] };
  const paging: PagingJson = { cursors: { before: encodeCursor(first.id), after: encodeCursor(last.id) } };
  if (end < items.length) paging.next = pageUrl({ after: paging.cursors.after });
  if (start > 0) paging.previous = pageUrl({ before: paging.cursors.before });
  return { items: page, paging };
}

/** The same request with another cursor; Meta's paging URLs carry the access token too. */
export function pageUrlFor(origin: string, path: string, params: Params) {
  return (cursor: { after: string } | { before: string }) => {
    const q = new URLSearchParams(params);
    q.delete('after');
    q.delete('before');
    for (const [key, value] of Object.entries(cursor)) q.set(key, value);
    return `${origin}${path}?${q.toString()}`;
  };
}
