export interface CachedVector {
  model: string;
  personaId: string;
  vector: Float32Array;
  /** Its L2 norm, so a comparison is one dot product. */
  norm: number;
  used: number;
}

/**
 * Vectors already read from post_embeddings, keyed by post id and row version, least recently used
 * out. A rewritten vector has a new version, so an entry never goes stale (the old one ages out);
 * re-embedding under another model is a different entry's model and is not served; the database
 * still says which posts are the latest at every search, so posts written by other processes are
 * always seen. A hit only stamps the entry: a search touches thousands, and moving
 * each to the end of a Map's order cost more than the comparisons; beyond the bound, the tenth
 * least recently used go at once.
 */
export function createVectorCache(maxEntries: number) {
  const entries = new Map<string, CachedVector>();
  let clock = 0;

  function evict() {
    const overflow = entries.size - maxEntries;
    if (overflow <= 0) return;
    const drop = overflow + Math.floor(maxEntries / 10);
    const oldest = [...entries].sort((a, b) => a[1].used - b[1].used).slice(0, drop);
    for (const [key] of oldest) entries.delete(key);
  }

  return {
    get(model: string, key: string): CachedVector | undefined {
      const entry = entries.get(key);
      if (!entry || entry.model !== model) return undefined;
      entry.used = ++clock;
      return entry;
    },
    set(model: string, key: string, personaId: string, vector: Float32Array): CachedVector {
      let sum = 0;
      for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
      const entry = { model, personaId, vector, norm: Math.sqrt(sum), used: ++clock };
      entries.set(key, entry);
      evict();
      return entry;
    },
    get size() {
      return entries.size;
    },
  };
}

export type VectorCache = ReturnType<typeof createVectorCache>;
