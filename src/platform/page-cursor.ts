import { z } from 'zod';
import { AppError } from './errors.ts';

/** Where a newest-first page by (created_at, id) ends: the next page starts strictly after it. */
export interface PageCursor {
  ts: string;
  id: string;
}

const cursorSchema = z.object({ ts: z.string().min(1), id: z.uuid() });

/** What a client sends back as `cursor`: opaque to it, so the keyset can change without breaking it. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string): PageCursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('bad_request', 'cursor is not valid: pass the next_cursor value of a previous page');
  }
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
