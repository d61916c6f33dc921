import type { Queryable } from '../platform/db/index.ts';

export async function insertOAuthState(
  db: Queryable,
  state: { stateHash: string; personaId: string; expiresAt: Date },
): Promise<void> {
  await db.query(`INSERT INTO threads_oauth_states (state_hash, persona_id, expires_at) VALUES ($1, $2, $3)`, [
    state.stateHash,
    state.personaId,
    state.expiresAt,
  ]);
}

/** States expired before `before` can no longer be used; kept a while only to explain a late callback. */
export async function deleteOAuthStatesExpiredBefore(db: Queryable, before: Date): Promise<void> {
  await db.query(`DELETE FROM threads_oauth_states WHERE expires_at < $1`, [before]);
}

export type ConsumedState = { ok: true; personaId: string } | { ok: false; problem: 'unknown' | 'used' | 'expired' };

/** Marks the state used, in one statement so two callbacks racing with the same state cannot both win. */
export async function consumeOAuthState(db: Queryable, stateHash: string, now: Date): Promise<ConsumedState> {
  const [won] = await db.query<{ persona_id: string }>(
    `UPDATE threads_oauth_states SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2
     RETURNING persona_id`,
    [stateHash, now],
  );
  if (won) return { ok: true, personaId: won.persona_id };
  const [row] = await db.query<{ used_at: unknown }>(`SELECT used_at FROM threads_oauth_states WHERE state_hash = $1`, [
    stateHash,
  ]);
  if (!row) return { ok: false, problem: 'unknown' };
  return { ok: false, problem: row.used_at === null ? 'expired' : 'used' };
}
