import os from 'node:os';
import type { Logger } from 'pino';
import { type Database, lockForTransaction, type Queryable } from '../platform/db/index.ts';
import { type CachedVector, createVectorCache } from './vector-cache.ts';

export type VectorStoreMode = 'pgvector' | 'portable';

export interface Neighbour {
  post_id: string;
  persona_id: string;
  score: number;
}

export interface NearestQuery {
  vector: number[];
  model: string;
  /** Only this persona's posts; all personas' when absent. */
  personaId?: string;
  excludePostId?: string;
  limit: number;
  /** How many of the most recent vectors are compared: the bound that keeps a search cheap without an index. */
  scanLimit: number;
}

/**
 * pgvector when the extension can be enabled (always on PGlite), otherwise plain SQL and arithmetic here.
 * Under the migrations' lock: two replicas creating it at once would have one fail on a duplicate key and
 * run the portable mode on a server that has pgvector.
 */
export async function detectVectorMode(db: Database): Promise<VectorStoreMode> {
  return db.transaction(async (tx) => {
    await lockForTransaction(tx, 'migrations');
    await tx.query('SAVEPOINT create_vector');
    try {
      await tx.query('CREATE EXTENSION IF NOT EXISTS vector');
      return 'pgvector';
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT create_vector');
      return 'portable';
    }
  });
}

const recent = (column: string) => `SELECT post_id, persona_id, ${column} AS v FROM post_embeddings
  WHERE model = $1 AND ($2::uuid IS NULL OR persona_id = $2) AND ($3::uuid IS NULL OR post_id <> $3)
  ORDER BY created_at DESC LIMIT $4`;

/**
 * A vector from its stored float4s in network byte order (post_embeddings.embedding_bytes): copied
 * into an aligned Float32Array and byte-swapped in place, two native steps instead of parsing text.
 */
export function decodeFloat4s(bytes: Uint8Array): Float32Array {
  const vector = new Float32Array(bytes.length / 4);
  const view = Buffer.from(vector.buffer);
  view.set(bytes);
  if (os.endianness() === 'LE') view.swap32();
  return vector;
}

/**
 * Vectors the portable mode keeps in memory (400 bytes each at 100 dimensions: 20 MB): the 5,000
 * latest that every duplicate check compares, and many personas' 500 latest besides.
 */
const CACHED_VECTORS = 50_000;

const UUID_CHARS = 36;
/** A cache key is the post id followed by its row version. */
const postIdOf = (key: string): string => key.slice(0, UUID_CHARS);

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function createVectorStore(deps: { db: Database; mode: VectorStoreMode; logger?: Logger }) {
  const { db, mode } = deps;
  const cache = createVectorCache(mode === 'portable' ? CACHED_VECTORS : 0);
  deps.logger?.info(
    { mode },
    mode === 'pgvector' ? 'vector store: pgvector' : 'vector store: portable (no pgvector on this server)',
  );

  async function upsert(q: Queryable, entry: { postId: string; personaId: string; model: string; vector: number[] }) {
    await q.query(
      `INSERT INTO post_embeddings (post_id, persona_id, model, embedding) VALUES ($1, $2, $3, $4::real[])
       ON CONFLICT (post_id) DO UPDATE SET model = excluded.model, embedding = excluded.embedding`,
      [entry.postId, entry.personaId, entry.model, entry.vector],
    );
  }

  async function nearest(query: NearestQuery): Promise<Neighbour[]> {
    const params = [query.model, query.personaId ?? null, query.excludePostId ?? null, query.scanLimit];
    if (mode === 'pgvector') {
      return db.query<Neighbour>(
        // A text with no word the local embedder knows is a zero vector: pgvector's cosine is NaN
        // then (sorted above every number), the portable mode's 0; both answer 0.
        `SELECT post_id, persona_id, COALESCE(NULLIF((1 - (v::vector <=> $5::vector))::float8, 'NaN'), 0) AS score
           FROM (${recent('embedding')}) recent ORDER BY score DESC LIMIT $6`,
        [...params, `[${query.vector.join(',')}]`, query.limit],
      );
    }
    // Which posts are the latest comes from the database every time, as one text (thousands of rows
    // cost more to parse than to find; PGlite parses a bytea slowly); only their vectors are cached.
    // Each is keyed by its id and row version (xmin): a vector another process rewrote, after a draft
    // edit, is a new key, never a stale hit.
    const [latest] = await db.query<{ keys: string | null }>(
      `SELECT string_agg(post_id::text || v, ',') AS keys FROM (${recent('xmin::text')}) recent`,
      params,
    );
    const keys = latest?.keys ? latest.keys.split(',') : [];
    const found = keys.map((key) => cache.get(query.model, key));
    const missing = keys.filter((_, i) => !found[i]).map(postIdOf);
    if (missing.length > 0) {
      const read = await db.query<{ key: string; persona_id: string; embedding_bytes: Uint8Array }>(
        `SELECT post_id::text || xmin::text AS key, persona_id, embedding_bytes FROM post_embeddings
          WHERE post_id = ANY($1::uuid[]) AND model = $2`,
        [missing, query.model],
      );
      const current = new Map<string, CachedVector>();
      for (const row of read) {
        const entry = cache.set(query.model, row.key, row.persona_id, decodeFloat4s(row.embedding_bytes));
        current.set(postIdOf(row.key), entry);
      }
      // A vector rewritten between the two reads is compared as it is now.
      keys.forEach((key, i) => {
        found[i] ??= current.get(postIdOf(key));
      });
    }
    const probe = Float32Array.from(query.vector);
    const probeNorm = Math.sqrt(dot(probe, probe));
    const best: Neighbour[] = [];
    found.forEach((entry, i) => {
      // A post deleted between the two reads has no vector any more: it is simply not a neighbour.
      if (!entry) return;
      const score = probeNorm === 0 || entry.norm === 0 ? 0 : dot(probe, entry.vector) / (probeNorm * entry.norm);
      const worst = best[query.limit - 1];
      if (worst && score <= worst.score) return;
      const at = best.findIndex((n) => n.score < score);
      best.splice(at === -1 ? best.length : at, 0, {
        post_id: postIdOf(keys[i]!),
        persona_id: entry.personaId,
        score,
      });
      if (best.length > query.limit) best.pop();
    });
    return best;
  }

  async function vectorOf(postId: string): Promise<{ model: string; vector: number[] } | null> {
    const [row] = await db.query<{ model: string; embedding: number[] }>(
      'SELECT model, embedding FROM post_embeddings WHERE post_id = $1',
      [postId],
    );
    return row ? { model: row.model, vector: row.embedding } : null;
  }

  return { mode, upsert, nearest, vectorOf };
}

export type VectorStore = ReturnType<typeof createVectorStore>;
