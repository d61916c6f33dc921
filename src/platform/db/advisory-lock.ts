import type { Queryable } from './database.ts';

/** Every advisory lock the product takes, in one place so that no two uses share a key. */
const LOCK_KEYS = {
  migrations: 7314159265,
  /** One for every budget check on every replica: the global cap makes all personas' calls compete. */
  budgets: 7314159266,
  firstApiToken: 7314159267,
  /** Slot assignment: two scheduling ticks running at once would give two posts of a persona one slot. */
  postSlots: 7314159268,
} as const;

/** Holds the lock until the transaction ends; another transaction asking for it waits until then. */
export async function lockForTransaction(tx: Queryable, lock: keyof typeof LOCK_KEYS): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEYS[lock]]);
}
