import os from 'node:os';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../platform/db/index.ts';
import { cosineSimilarity } from '../platform/embeddings/index.ts';

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

/** pgvector when the extension can be enabled (always on PGlite), otherwise plain SQL and arithmetic here. */
export async function detectVectorMode(db: Database): Promise<VectorStoreMode> {
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
    return 'pgvector';
  } catch {
    return 'portable';
  }
}

const recent = (column: string) => `SELECT post_id, persona_id, ${column} FROM post_embeddings
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

export function createVectorStore(deps: { db: Database; mode: VectorStoreMode; logger?: Logger }) {
  const { db, mode } = deps;
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
        `SELECT post_id, persona_id, (1 - (embedding::vector <=> $5::vector))::float8 AS score
           FROM (${recent('embedding')}) recent ORDER BY score DESC LIMIT $6`,
        [...params, `[${query.vector.join(',')}]`, query.limit],
      );
    }
    const rows = await db.query<{ post_id: string; persona_id: string; embedding_bytes: Uint8Array }>(
      recent('embedding_bytes'),
      params,
    );
    return rows
      .map((row) => ({
        post_id: row.post_id,
        persona_id: row.persona_id,
        score: cosineSimilarity(query.vector, decodeFloat4s(row.embedding_bytes)),
      }))
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
