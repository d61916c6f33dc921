import type { Queryable } from '../db/index.ts';

export interface CachedCompletion {
  text: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number };
}

export async function findCachedCompletion(q: Queryable, key: string): Promise<CachedCompletion | null> {
  const [row] = await q.query<{ response: CachedCompletion }>(
    'SELECT response FROM llm_cache WHERE key = $1 AND expires_at > now()',
    [key],
  );
  return row?.response ?? null;
}

export async function storeCachedCompletion(
  q: Queryable,
  key: string,
  response: CachedCompletion,
  ttlSeconds: number,
): Promise<void> {
  await q.query(
    `INSERT INTO llm_cache (key, model, response, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     ON CONFLICT (key) DO UPDATE SET response = excluded.response, created_at = now(), expires_at = excluded.expires_at`,
    [key, response.model, JSON.stringify(response), ttlSeconds],
  );
}

export async function deleteExpiredCompletions(q: Queryable): Promise<void> {
  await q.query('DELETE FROM llm_cache WHERE expires_at <= now()');
}
