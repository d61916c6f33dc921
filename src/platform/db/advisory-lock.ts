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

/**
 * Locks held per item (the two-int form of the advisory lock, a key space apart from the ones above):
 * the class is fixed here, the item's name hashed by the server.
 */
const ITEM_LOCK_CLASSES = {
  /** A persona's publishing: two runs claiming two of its posts at once would both see the gap free. */
  personaPublishing: 7314,
} as const;

export async function lockItemForTransaction(
  tx: Queryable,
  lock: keyof typeof ITEM_LOCK_CLASSES,
  item: string,
): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [ITEM_LOCK_CLASSES[lock], item]);
}
