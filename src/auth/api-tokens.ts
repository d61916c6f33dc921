import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/database.ts';

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

export async function countApiTokens(q: Queryable): Promise<number> {
  const [row] = await q.query<{ count: number }>('SELECT count(*)::int AS count FROM api_tokens');
  return row?.count ?? 0;
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
