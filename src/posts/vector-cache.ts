/**
 * Vectors already read from post_embeddings, by post, least recently used first out. A post has one
 * stored vector per model (re-embedding under another model is a different entry's model and is not
 * served), so an entry never goes stale; the database still says which posts are the latest at every
 * search, so posts written by other processes are always seen.
 */
export function createVectorCache(maxEntries: number) {
  const entries = new Map<string, { model: string; vector: Float32Array }>();

  return {
    get(model: string, postId: string): Float32Array | undefined {
      const entry = entries.get(postId);
      if (!entry || entry.model !== model) return undefined;
      // Re-inserted so the Map's order stays least recently used first.
      entries.delete(postId);
      entries.set(postId, entry);
      return entry.vector;
    },
    set(model: string, postId: string, vector: Float32Array): void {
      entries.delete(postId);
      entries.set(postId, { model, vector });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    forget(postId: string): void {
      entries.delete(postId);
    },
    get size() {
      return entries.size;
    },
  };
}
