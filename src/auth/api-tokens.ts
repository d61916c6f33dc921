import { createHash, randomBytes } from 'node:crypto';
import { lockForTransaction, type Database, type Queryable } from '../platform/db/index.ts';
import type { Role } from './roles.ts';
import { isUuid } from '../platform/uuid.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return `ta_${randomBytes(24).toString('base64url')}`;
}

export interface TokenSpec {
  name: string;
  role: Role;
  personaIds?: readonly string[] | null;
  expiresAt?: Date | null;
}

/** What may be shown about a token: never its value or hash. */
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  persona_ids: string[] | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const RECORD_COLUMNS = 'id, name, role, persona_ids, created_at, expires_at, last_used_at, revoked_at';

/** Stores a new token's hash and returns the token: the only time it is seen in clear. */
export async function issueApiToken(q: Queryable, spec: TokenSpec): Promise<{ token: string; record: TokenRecord }> {
  const token = generateToken();
  const [record] = await q.query<TokenRecord>(
    `INSERT INTO api_tokens (name, token_hash, role, persona_ids, expires_at) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${RECORD_COLUMNS}`,
    [spec.name, hashToken(token), spec.role, spec.personaIds ?? null, spec.expiresAt ?? null],
  );
  return { token, record: record! };
}

/** An admin token, as the first start and `token create` without options make. */
export async function createApiToken(q: Queryable, name: string): Promise<string> {
  return (await issueApiToken(q, { name, role: 'admin' })).token;
}

/**
 * Creates a token only when none is stored; returns it, or null when one already existed. The lock
 * keeps API replicas that start together from each minting (and printing) one.
 */
export async function createFirstApiToken(db: Database, name: string): Promise<string | null> {
  return db.transaction(async (tx) => {
    await lockForTransaction(tx, 'firstApiToken');
    const [existing] = await tx.query('SELECT 1 FROM api_tokens LIMIT 1');
    return existing ? null : createApiToken(tx, name);
  });
}

export async function listApiTokens(q: Queryable): Promise<TokenRecord[]> {
  return q.query<TokenRecord>(`SELECT ${RECORD_COLUMNS} FROM api_tokens ORDER BY created_at, id`);
}

/**
 * Revokes by id, or by name when exactly one live token has it. Returns the revoked tokens (empty:
 * nothing matched); the row is kept, so the audit log's token ids still resolve.
 */
export async function revokeApiToken(q: Queryable, idOrName: string, now: Date): Promise<TokenRecord[]> {
  const where = isUuid(idOrName) ? 'id = $1::uuid' : 'name = $1';
  const live = await q.query<{ id: string }>(`SELECT id FROM api_tokens WHERE ${where} AND revoked_at IS NULL`, [
    idOrName,
  ]);
  if (live.length !== 1) return live.length === 0 ? [] : Promise.reject(new AmbiguousTokenName(idOrName, live.length));
  return q.query<TokenRecord>(`UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 RETURNING ${RECORD_COLUMNS}`, [
    live[0]!.id,
    now,
  ]);
}

export class AmbiguousTokenName extends Error {
  constructor(name: string, count: number) {
    super(`${count} live tokens are named "${name}"; revoke by id (see \`token list\`)`);
  }
}
