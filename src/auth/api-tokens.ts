import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lockForTransaction, type Database, type Queryable } from '../platform/db/index.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return `ta_${randomBytes(24).toString('base64url')}`;
}

/** Stores a new admin token's hash and returns the token: the only time it is seen in clear. */
export async function createApiToken(q: Queryable, name: string): Promise<string> {
  const token = generateToken();
  await q.query('INSERT INTO api_tokens (name, token_hash) VALUES ($1, $2)', [name, hashToken(token)]);
  return token;
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

/** Checks a bearer token against API_ADMIN_TOKEN (if set) and the stored hashes. */
export function createTokenVerifier(deps: { db: Queryable; adminToken?: string }) {
  const adminHash = deps.adminToken ? Buffer.from(hashToken(deps.adminToken)) : null;
  return async function verifyToken(token: string): Promise<boolean> {
    const hash = hashToken(token);
    if (adminHash && timingSafeEqual(adminHash, Buffer.from(hash))) return true;
    const rows = await deps.db.query('SELECT 1 FROM api_tokens WHERE token_hash = $1', [hash]);
    return rows.length > 0;
  };
}
