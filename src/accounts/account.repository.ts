import { type Database, type Queryable, toIso, toIsoOrNull } from '../platform/db/index.ts';
import type { TokenVault } from './token-vault.ts';

/** A linked Threads account as the API shows it: never the token. */
export interface ThreadsAccount {
  id: string;
  persona_id: string;
  threads_user_id: string;
  username: string | null;
  token_expires_at: string | null;
  token_refreshed_at: string | null;
  scopes: string[];
  status: 'active' | 'paused';
  status_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** What publishing and insights need to call the API as the account. */
export interface AccountCredentials {
  accountId: string;
  personaId: string;
  threadsUserId: string;
  accessToken: string;
}

export interface AccountLink {
  personaId: string;
  threadsUserId: string;
  username: string | null;
  accessToken: string;
  tokenExpiresAt: Date | null;
  scopes: readonly string[];
  /** When the token was handed to us: one of unknown expiry is refreshed a day later. */
  obtainedAt: Date;
}

const COLUMNS = `id, persona_id, threads_user_id, username, token_expires_at, token_refreshed_at, scopes, status,
  status_reason, created_at, updated_at`;

type Row = Omit<ThreadsAccount, 'token_expires_at' | 'token_refreshed_at' | 'created_at' | 'updated_at'> &
  Record<'token_expires_at' | 'token_refreshed_at' | 'created_at' | 'updated_at', unknown>;

function toAccount(row: Row): ThreadsAccount {
  return {
    ...row,
    token_expires_at: toIsoOrNull(row.token_expires_at),
    token_refreshed_at: toIsoOrNull(row.token_refreshed_at),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

/** Only the linked account counts for a persona: unlinked rows are kept for their follower history. */
const LINKED = `status <> 'unlinked'`;

const UNLINK = `UPDATE threads_accounts SET status = 'unlinked', status_reason = NULL, access_token_encrypted = NULL,
  unlinked_at = now(), updated_at = now()`;

/**
 * Links the persona's account, active with the new token. The same Threads user linked before, even if
 * unlinked since, gets its row (and its follower history) back; another user's linked row is unlinked.
 */
export async function linkAccount(db: Database, vault: TokenVault, link: AccountLink): Promise<ThreadsAccount> {
  const values = [
    link.personaId,
    link.threadsUserId,
    link.username,
    vault.encrypt(link.accessToken),
    link.tokenExpiresAt,
    JSON.stringify(link.scopes),
    link.obtainedAt,
  ];
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM personas WHERE id = $1 FOR UPDATE', [link.personaId]);
    await tx.query(`${UNLINK} WHERE persona_id = $1 AND ${LINKED} AND threads_user_id <> $2`, [
      link.personaId,
      link.threadsUserId,
    ]);
    const [relinked] = await tx.query<Row>(
      `UPDATE threads_accounts SET username = $3, access_token_encrypted = $4, token_expires_at = $5, scopes = $6::jsonb,
         token_obtained_at = $7, token_refreshed_at = NULL, status = 'active', status_reason = NULL, unlinked_at = NULL,
         updated_at = now()
        WHERE id = (SELECT id FROM threads_accounts WHERE persona_id = $1 AND threads_user_id = $2 ORDER BY created_at DESC LIMIT 1)
        RETURNING ${COLUMNS}`,
      values,
    );
    if (relinked) return toAccount(relinked);
    const [inserted] = await tx.query<Row>(
      `INSERT INTO threads_accounts (persona_id, threads_user_id, username, access_token_encrypted, token_expires_at, scopes,
         token_obtained_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING ${COLUMNS}`,
      values,
    );
    return toAccount(inserted!);
  });
}

/** Wipes the token and stops all work for the account; its row and follower history stay. */
export async function unlinkAccountOfPersona(db: Queryable, personaId: string): Promise<boolean> {
  const rows = await db.query(`${UNLINK} WHERE persona_id = $1 AND ${LINKED} RETURNING id`, [personaId]);
  return rows.length > 0;
}

export async function findAccountByPersona(db: Queryable, personaId: string): Promise<ThreadsAccount | null> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM threads_accounts WHERE persona_id = $1 AND ${LINKED}`, [
    personaId,
  ]);
  return row ? toAccount(row) : null;
}

/** The active account's token, decrypted; null when the persona has no account or it is paused. */
export async function credentialsFor(
  db: Queryable,
  vault: TokenVault,
  personaId: string,
): Promise<AccountCredentials | null> {
  const [row] = await db.query<{ id: string; threads_user_id: string; access_token_encrypted: string }>(
    `SELECT id, threads_user_id, access_token_encrypted FROM threads_accounts WHERE persona_id = $1 AND status = 'active'`,
    [personaId],
  );
  if (!row) return null;
  return {
    accountId: row.id,
    personaId,
    threadsUserId: row.threads_user_id,
    accessToken: vault.decrypt(row.access_token_encrypted),
  };
}

/** Every active account, with its token: for the collectors that walk all accounts. */
export async function listActiveCredentials(db: Queryable, vault: TokenVault): Promise<AccountCredentials[]> {
  const rows = await db.query<{
    id: string;
    persona_id: string;
    threads_user_id: string;
    access_token_encrypted: string;
  }>(
    `SELECT id, persona_id, threads_user_id, access_token_encrypted FROM threads_accounts WHERE status = 'active' ORDER BY id`,
  );
  return rows.map((r) => ({
    accountId: r.id,
    personaId: r.persona_id,
    threadsUserId: r.threads_user_id,
    accessToken: vault.decrypt(r.access_token_encrypted),
  }));
}

export async function replaceToken(
  db: Queryable,
  vault: TokenVault,
  accountId: string,
  token: { accessToken: string; expiresAt: Date | null; refreshedAt: Date },
): Promise<void> {
  await db.query(
    `UPDATE threads_accounts SET access_token_encrypted = $2, token_expires_at = $3, token_refreshed_at = $4,
       token_obtained_at = $4, updated_at = now()
      WHERE id = $1 AND ${LINKED}`,
    [accountId, vault.encrypt(token.accessToken), token.expiresAt, token.refreshedAt],
  );
}

/** Stops publishing and collection for the account until it is relinked; the reason is shown in the API. */
export async function pauseAccount(db: Queryable, accountId: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE threads_accounts SET status = 'paused', status_reason = $2, updated_at = now() WHERE id = $1 AND ${LINKED}`,
    [accountId, reason],
  );
}

export async function findAccountByThreadsUser(db: Queryable, threadsUserId: string): Promise<ThreadsAccount | null> {
  const [row] = await db.query<Row>(
    `SELECT ${COLUMNS} FROM threads_accounts WHERE threads_user_id = $1 AND ${LINKED}`,
    [threadsUserId],
  );
  return row ? toAccount(row) : null;
}

export interface ExpiringCredentials extends AccountCredentials {
  /** Null when Threads never told us (a pasted token, without the app credentials debug_token needs). */
  tokenExpiresAt: Date | null;
}

/**
 * Active accounts not refreshed after `refreshedBefore` whose token expires before `expiringBefore`
 * (expired ones included, so they can be paused), or whose expiry is unknown and which got their
 * token before `refreshedBefore`: refreshing it is how its expiry becomes known.
 */
export async function listAccountsDueForRefresh(
  db: Queryable,
  vault: TokenVault,
  window: { expiringBefore: Date; refreshedBefore: Date },
): Promise<ExpiringCredentials[]> {
  const rows = await db.query<{
    id: string;
    persona_id: string;
    threads_user_id: string;
    access_token_encrypted: string;
    token_expires_at: unknown;
  }>(
    `SELECT id, persona_id, threads_user_id, access_token_encrypted, token_expires_at FROM threads_accounts
      WHERE status = 'active' AND (token_refreshed_at IS NULL OR token_refreshed_at <= $2)
        AND (token_expires_at <= $1 OR (token_expires_at IS NULL AND token_obtained_at <= $2))
      ORDER BY token_expires_at NULLS LAST, id`,
    [window.expiringBefore, window.refreshedBefore],
  );
  return rows.map((r) => ({
    accountId: r.id,
    personaId: r.persona_id,
    threadsUserId: r.threads_user_id,
    accessToken: vault.decrypt(r.access_token_encrypted),
    tokenExpiresAt: r.token_expires_at === null ? null : new Date(toIso(r.token_expires_at)),
  }));
}

export interface NeverLinkedPersona {
  id: string;
  slug: string;
  name: string;
  niche: string;
  topics: string[];
  vocabulary: string[];
}

/** Personas (not deleted) that never had a Threads account: one a user unlinked stays unlinked. */
export async function listPersonasNeverLinked(db: Queryable): Promise<NeverLinkedPersona[]> {
  return db.query<NeverLinkedPersona>(
    `SELECT p.id, p.slug, p.name, p.niche, p.topics, p.vocabulary FROM personas p
      WHERE p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM threads_accounts a WHERE a.persona_id = p.id)
      ORDER BY p.slug`,
  );
}
