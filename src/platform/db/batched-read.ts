import DataLoader from 'dataloader';

/** Enough keys that a burst of readers shares a few statements; few enough that one stays short. */
const MAX_BATCH = 500;

/**
 * Concurrent reads of one kind share statements: the first goes at once, and those asked while a
 * statement is on its way go together in the next one, each distinct key once. Nothing is cached:
 * a read asked while a statement is on its way waits for the next rather than joining it, so every
 * read runs after it was asked and sees every write committed before. `load` answers the keys it
 * was given, by `keyOf`; a key it leaves out reads as undefined; if it fails, every read in its batch
 * fails with it.
 */
export function batchedRead<K, V>(
  load: (keys: K[]) => Promise<Map<string, V>>,
  keyOf: (key: K) => string = String,
): (key: K) => Promise<V | undefined> {
  let previous: Promise<unknown> = Promise.resolve();
  const loader = new DataLoader<K, V | undefined>(
    (keys) => {
      const distinct = [...new Map(keys.map((key) => [keyOf(key), key])).values()];
      const run = load(distinct).then((found) => keys.map((key) => found.get(keyOf(key))));
      previous = run.catch(() => {});
      return run;
    },
    {
      cache: false,
      maxBatchSize: MAX_BATCH,
      // After the event loop's turn, so requests read from the sockets together batch together even
      // when the database answers within the turn (PGlite runs in this thread).
      batchScheduleFn: (dispatch) => void previous.then(() => setImmediate(dispatch)),
    },
  );
  return (key) => loader.load(key);
}
