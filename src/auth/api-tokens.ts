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

/** How long a verified token is trusted without asking the database again. */
export const VERIFIED_TOKEN_TTL_MS = 10_000;
const MAX_CACHED_TOKENS = 10_000;

/**
 * Checks a bearer token against API_ADMIN_TOKEN (if set) and the stored hashes. A token found in
 * the database is remembered by its hash for `cacheTtlMs`, so a client's steady stream of requests
 * costs one hash each instead of a hash and a query. Only successes are remembered: a token just
 * created works at once, and guessing cannot fill the cache. Revoking a stored token therefore
 * takes effect within `cacheTtlMs` on every replica; `forget(token)` drops it from this process's
 * cache at once (for the replica that revokes).
 */
export function createTokenVerifier(deps: {
  db: Queryable;
  adminToken?: string;
  cacheTtlMs?: number;
  now?: () => number;
}) {
  const adminHash = deps.adminToken ? Buffer.from(hashToken(deps.adminToken)) : null;
  const ttl = deps.cacheTtlMs ?? VERIFIED_TOKEN_TTL_MS;
  const now = deps.now ?? Date.now;
  const verified = new Map<string, number>();

  async function verifyToken(token: string): Promise<boolean> {
    const hash = hashToken(token);
    if (adminHash && timingSafeEqual(adminHash, Buffer.from(hash))) return true;
    const until = verified.get(hash);
    if (until !== undefined && until > now()) return true;
    const rows = await deps.db.query('SELECT 1 FROM api_tokens WHERE token_hash = $1', [hash]);
    if (rows.length === 0) {
      verified.delete(hash);
      return false;
    }
    // Oldest entries first out: a Map iterates in insertion order.
    if (verified.size >= MAX_CACHED_TOKENS) verified.delete(verified.keys().next().value!);
    verified.delete(hash);
    verified.set(hash, now() + ttl);
    return true;
  }

  return Object.assign(verifyToken, {
    forget: (token: string) => void verified.delete(hashToken(token)),
  });
}
