import { timingSafeEqual } from 'node:crypto';
import type { Database, Listener } from '../platform/db/index.ts';
import { hashToken } from './api-tokens.ts';
import type { Principal, Role } from './roles.ts';

/** last_used_at is written at most this often per token, so a busy token costs no write per request. */
const LAST_USE_WRITE_EVERY_MS = 60_000;
const REMEMBERED_MAX = 10_000;
/**
 * How long a verified token is believed without asking the table again. Revocation does not wait
 * for it (see TOKEN_CHANGES_CHANNEL); it bounds what a change notification lost on a connection
 * that looks alive can leave stale.
 */
export const TOKEN_CACHE_TTL_MS = 5_000;
/** Migration 018's trigger notifies the id of every token whose verdict may have changed. */
const TOKEN_CHANGES_CHANNEL = 'api_token_changes';

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  persona_ids: string[] | null;
  expires_at: Date | null;
}

interface Verified {
  principal: Principal & { tokenId: string };
  /** Product time (deps.now) at which the token expires; checked on every request. */
  expiresAt: number | null;
  /** Monotonic time after which the table is asked again. */
  freshUntil: number;
}

/**
 * Checks a bearer token against API_ADMIN_TOKEN (if set) and the stored hashes that are neither
 * revoked nor expired. A verified token is kept for TOKEN_CACHE_TTL_MS while this process LISTENs
 * to token changes: a revocation in this process drops it at once (`forget`), one elsewhere (another
 * replica, the CLI, SQL) as soon as its notification arrives. While the subscription is down, and
 * until it is up, every request asks the table; when it comes back, everything cached is dropped.
 */
export function createTokenVerifier(deps: {
  db: Pick<Database, 'query' | 'listen'>;
  adminToken?: string;
  now?: () => Date;
  monotonicMs?: () => number;
}) {
  const now = () => (deps.now ? deps.now() : new Date());
  const monotonicMs = deps.monotonicMs ?? (() => performance.now());
  const adminHash = deps.adminToken ? Buffer.from(hashToken(deps.adminToken)) : null;
  const adminPrincipal: Principal = { tokenId: null, name: 'API_ADMIN_TOKEN', role: 'admin', personaIds: null };
  const lastUseWritten = new Map<string, number>();
  const verified = new Map<string, Verified>();
  const lookups = new Map<string, Promise<Verified | null>>();
  // Bumped by every drop, so a look-up that started before a revocation does not cache what it read.
  let generation = 0;
  let listener: Listener | null = null;
  let closed = false;

  function forget(tokenId: string | null) {
    generation++;
    if (tokenId === null) verified.clear();
    else for (const [hash, entry] of verified) if (entry.principal.tokenId === tokenId) verified.delete(hash);
  }

  const listening = deps.db
    .listen(TOKEN_CHANGES_CHANNEL, (payload) => forget(payload))
    .then(async (l) => {
      if (closed) await l.close();
      else listener = l;
    })
    // Without the subscription nothing is cached: every request asks the table, as before.
    .catch(() => {});

  function recordUse(id: string, at: Date) {
    if (at.getTime() - (lastUseWritten.get(id) ?? 0) < LAST_USE_WRITE_EVERY_MS) return;
    if (lastUseWritten.size >= REMEMBERED_MAX) lastUseWritten.clear();
    lastUseWritten.set(id, at.getTime());
    // Off the request's path: a lost write only makes last use a minute staler.
    void deps.db
      .query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, at])
      .catch(() => lastUseWritten.delete(id));
  }

  async function lookUp(hash: string, at: Date): Promise<Verified | null> {
    const startedAt = generation;
    const [row] = await deps.db.query<TokenRow>(
      `SELECT id, name, role, persona_ids, expires_at FROM api_tokens
       WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
      [hash, at],
      { prepared: true },
    );
    if (!row) return null;
    const entry: Verified = {
      principal: { tokenId: row.id, name: row.name, role: row.role, personaIds: row.persona_ids ?? null },
      expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
      freshUntil: monotonicMs() + TOKEN_CACHE_TTL_MS,
    };
    if (listener?.connected() && generation === startedAt) {
      if (verified.size >= REMEMBERED_MAX) verified.clear();
      verified.set(hash, entry);
    }
    return entry;
  }

  /** One look-up per token at a time: requests arriving while it runs share its answer. */
  function sharedLookUp(hash: string, at: Date): Promise<Verified | null> {
    const running = lookups.get(hash);
    if (running) return running;
    const lookup = lookUp(hash, at).finally(() => lookups.delete(hash));
    lookups.set(hash, lookup);
    return lookup;
  }

  async function verify(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    if (adminHash && timingSafeEqual(adminHash, Buffer.from(hash))) return adminPrincipal;
    const at = now();
    let entry = verified.get(hash);
    if (!entry || entry.freshUntil <= monotonicMs() || !listener?.connected())
      entry = (await sharedLookUp(hash, at)) ?? undefined;
    if (!entry || (entry.expiresAt !== null && entry.expiresAt <= at.getTime())) return null;
    recordUse(entry.principal.tokenId, at);
    return entry.principal;
  }

  return {
    /** Settles once the subscription is taken (or has failed: then nothing is cached). */
    ready: listening,
    verify,
    /** Drops a token this process revoked, before the revocation is answered. */
    forget: (tokenId: string) => forget(tokenId),
    async close() {
      closed = true;
      await listening;
      // The database may be closed already (the app closed after it): nothing is left to unsubscribe.
      await listener?.close().catch(() => {});
      listener = null;
      verified.clear();
    },
  };
}

export type TokenVerifier = (token: string) => Promise<Principal | null>;
