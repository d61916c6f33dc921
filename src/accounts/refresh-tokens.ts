import type { Logger } from 'pino';
import type { Database } from '../platform/db/index.ts';
import { ThreadsApiError, type ThreadsClient } from '../platform/threads/index.ts';
import { listAccountsDueForRefresh, pauseAccount, replaceToken } from './account.repository.ts';
import type { TokenVault } from './token-vault.ts';

const HOUR_MS = 3_600_000;
// Hourly runs get a week of chances (outages, throttling) before a 60-day token lapses.
const REFRESH_WINDOW_MS = 7 * 24 * HOUR_MS;
// Meta refuses to refresh a token younger than 24 h. A token within a week of its 60-day expiry is far
// older than that, unless we refreshed it ourselves lately: that is the case this guards against.
const MIN_TOKEN_AGE_MS = 24 * HOUR_MS;

export interface RefreshSummary {
  refreshed: number;
  paused: number;
  /** Left for the next run after a passing failure. */
  deferred: number;
}

const reconnectHint = (personaId: string) =>
  `Publishing and insights are stopped for this account until it is reconnected ` +
  `(POST /v1/personas/${personaId}/threads-account/connect, or PUT a new token).`;

type RefreshDeps = { db: Database; threads: ThreadsClient; vault: TokenVault; now: () => Date };

/** Swaps the account's token for a new 60-day one and stores it; Threads' refusal is thrown. */
async function swapToken(deps: RefreshDeps, account: { accountId: string; accessToken: string }): Promise<void> {
  const now = deps.now();
  const token = await deps.threads.refreshLongLivedToken({ accessToken: account.accessToken });
  await replaceToken(deps.db, deps.vault, account.accountId, {
    accessToken: token.accessToken,
    expiresAt: new Date(now.getTime() + token.expiresIn * 1000),
    refreshedAt: now,
  });
}

/**
 * Swaps the account's token for a new 60-day one now; false when Threads refuses (revoked, expired,
 * or younger than 24 h). Publishing tries this once on an auth error before pausing the account.
 */
export async function refreshAccountToken(
  deps: RefreshDeps,
  account: { accountId: string; accessToken: string },
): Promise<boolean> {
  try {
    await swapToken(deps, account);
    return true;
  } catch (error) {
    // A passing failure says nothing about the token: let the caller's retry ask again.
    if (error instanceof ThreadsApiError && error.kind !== 'transient' && error.kind !== 'throttled') return false;
    throw error;
  }
}

/**
 * Swaps each long-lived token close to expiry (or of unknown expiry, once a day old) for a new 60-day
 * one; an account Threads refuses is paused.
 */
export async function refreshExpiringTokens(deps: RefreshDeps & { logger: Logger }): Promise<RefreshSummary> {
  const { db, vault, logger } = deps;
  const now = deps.now();
  const due = await listAccountsDueForRefresh(db, vault, {
    expiringBefore: new Date(now.getTime() + REFRESH_WINDOW_MS),
    refreshedBefore: new Date(now.getTime() - MIN_TOKEN_AGE_MS),
  });
  const summary: RefreshSummary = { refreshed: 0, paused: 0, deferred: 0 };
  for (const account of due) {
    const context = { accountId: account.accountId, personaId: account.personaId };
    if (account.tokenExpiresAt && account.tokenExpiresAt <= now) {
      const expired = account.tokenExpiresAt.toISOString();
      const reason = `The Threads access token expired on ${expired} before it could be refreshed. ${reconnectHint(account.personaId)}`;
      await pauseAccount(db, account.accountId, reason);
      logger.warn(context, 'threads token expired; account paused');
      summary.paused++;
      continue;
    }
    try {
      await swapToken(deps, account);
      summary.refreshed++;
    } catch (error) {
      if (!(error instanceof ThreadsApiError)) throw error;
      if (error.kind === 'auth') {
        const reason =
          `Threads refused to refresh the access token on ${now.toISOString()} ("${error.message}"): ` +
          `it was revoked or the app lost access. ${reconnectHint(account.personaId)}`;
        await pauseAccount(db, account.accountId, reason);
        logger.warn({ ...context, err: error }, 'threads token refresh refused; account paused');
        summary.paused++;
      } else {
        logger.warn(
          { ...context, err: error, kind: error.kind },
          'threads token refresh failed; the next run tries again',
        );
        summary.deferred++;
      }
    }
  }
  if (due.length > 0) logger.info({ ...summary }, 'threads token refresh done');
  return summary;
}
