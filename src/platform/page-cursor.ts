import { z } from 'zod';
import { AppError } from './errors.ts';

/** Where a newest-first page by (created_at, id) ends: the next page starts strictly after it. */
export interface PageCursor {
  ts: string;
  id: string;
}

const cursorSchema = z.object({ ts: z.string().min(1), id: z.uuid() });

/** What a client sends back as `cursor`: opaque to it, so the keyset can change without breaking it. */
export function encodeCursor(cursor: PageCursor | KeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function parseCursor<T>(raw: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('bad_request', 'cursor is not valid: pass the next_cursor value of a previous page');
  }
}

export function decodeCursor(raw: string): PageCursor {
  return parseCursor(raw, cursorSchema);
}

/**
 * The page of `limit` rows out of `limit + 1` fetched (each with its `cursor_ts`, the created_at text),
 * and the cursor after it when more rows follow.
 */
export function splitPage<T extends { id: unknown; cursor_ts: unknown }>(
  rows: T[],
  limit: number,
): { page: Omit<T, 'cursor_ts'>[]; next: PageCursor | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? { ts: String(last.cursor_ts), id: String(last.id) } : null;
  return { page: page.map(({ cursor_ts: _ts, ...row }) => row), next };
}

/**
 * Where a page of a list sorted by some key ends (the key as text, then the id that breaks ties),
 * and which listing it belongs to: `view` names the sort, order and filters, so a cursor is never
 * applied to another ordering, where "after this row" would skip or repeat rows.
 */
export interface KeysetCursor {
  view: string;
  key: string;
  id: string;
}

const keysetSchema = z.object({ view: z.string(), key: z.string(), id: z.uuid() }).strict();

/** The position in `view` the cursor holds; a cursor of another view is refused with both named. */
export function decodeKeysetCursor(raw: string, view: string): { key: string; id: string } {
  const cursor = parseCursor(raw, keysetSchema);
  if (cursor.view !== view) {
    throw new AppError(
      'bad_request',
      `cursor belongs to the listing "${cursor.view}", not "${view}": repeat the sort, order and filters of the page it came from, or start again without a cursor`,
    );
  }
  return { key: cursor.key, id: cursor.id };
}

/** The page of `limit` rows out of `limit + 1` fetched (each with its `cursor_key`), and the cursor after it. */
export function splitKeysetPage<T extends { id: unknown; cursor_key: unknown }>(
  rows: T[],
  limit: number,
  view: string,
): { page: Omit<T, 'cursor_key'>[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next_cursor =
    rows.length > limit && last ? encodeCursor({ view, key: String(last.cursor_key), id: String(last.id) }) : null;
  return { page: page.map(({ cursor_key: _key, ...row }) => row), next_cursor };
}
