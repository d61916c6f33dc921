import os from 'node:os';
import type { Logger } from 'pino';
import { type Database, lockForTransaction, type Queryable } from '../platform/db/index.ts';
import { cosineSimilarity } from '../platform/embeddings/index.ts';
import { createVectorCache } from './vector-cache.ts';

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
    cache.forget(entry.postId);
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
    // Which posts are the latest comes from the database every time; only their vectors are cached.
    const rows = await db.query<{ post_id: string; persona_id: string }>(recent('1'), params);
    const missing = rows.filter((row) => !cache.get(query.model, row.post_id)).map((row) => row.post_id);
    if (missing.length > 0) {
      const read = await db.query<{ post_id: string; embedding_bytes: Uint8Array }>(
        'SELECT post_id, embedding_bytes FROM post_embeddings WHERE post_id = ANY($1::uuid[]) AND model = $2',
        [missing, query.model],
      );
      for (const row of read) cache.set(query.model, row.post_id, decodeFloat4s(row.embedding_bytes));
    }
    return rows
      .flatMap((row) => {
        // A post deleted between the two reads has no vector any more: it is simply not a neighbour.
        const vector = cache.get(query.model, row.post_id);
        return vector
          ? [{ post_id: row.post_id, persona_id: row.persona_id, score: cosineSimilarity(query.vector, vector) }]
          : [];
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, query.limit);
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
