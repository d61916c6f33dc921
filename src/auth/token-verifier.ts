import { timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../platform/db/index.ts';
import { hashToken } from './api-tokens.ts';
import type { Principal, Role } from './roles.ts';

/** last_used_at is written at most this often per token, so a busy token costs no write per request. */
const LAST_USE_WRITE_EVERY_MS = 60_000;
const REMEMBERED_MAX = 10_000;

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  persona_ids: string[] | null;
}

/**
 * Checks a bearer token against API_ADMIN_TOKEN (if set) and the stored hashes that are neither
 * revoked nor expired. Every call asks the database, so a revocation takes effect at once on every replica.
 */
export function createTokenVerifier(deps: { db: Queryable; adminToken?: string; now?: () => Date }) {
  const now = () => (deps.now ? deps.now() : new Date());
  const adminHash = deps.adminToken ? Buffer.from(hashToken(deps.adminToken)) : null;
  const adminPrincipal: Principal = { tokenId: null, name: 'API_ADMIN_TOKEN', role: 'admin', personaIds: null };
  const lastUseWritten = new Map<string, number>();

  function recordUse(id: string, at: Date) {
    if (at.getTime() - (lastUseWritten.get(id) ?? 0) < LAST_USE_WRITE_EVERY_MS) return;
    if (lastUseWritten.size >= REMEMBERED_MAX) lastUseWritten.clear();
    lastUseWritten.set(id, at.getTime());
    // Off the request's path: a lost write only makes last use a minute staler.
    void deps.db
      .query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, at])
      .catch(() => lastUseWritten.delete(id));
  }

  return async function verifyToken(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    if (adminHash && timingSafeEqual(adminHash, Buffer.from(hash))) return adminPrincipal;
    const at = now();
    const [row] = await deps.db.query<TokenRow>(
      `SELECT id, name, role, persona_ids FROM api_tokens
       WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
      [hash, at],
    );
    if (!row) return null;
    recordUse(row.id, at);
    return { tokenId: row.id, name: row.name, role: row.role, personaIds: row.persona_ids ?? null };
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
