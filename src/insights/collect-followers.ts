import { credentialsFor, listActiveCredentials, pauseAccount } from '../accounts/index.ts';
import { ThreadsApiError } from '../platform/threads/index.ts';
import { pauseReason, type CollectorDeps } from './collect-insights.ts';
import { forEachLimited } from './for-each-limited.ts';
import { upsertFollowerSnapshot } from './insight.repository.ts';

const ACCOUNT_CONCURRENCY = 4;

export interface FollowersRunSummary {
  accounts: number;
  stored: number;
  failed: number;
  paused_accounts: number;
}

/**
 * Stores each active account's follower count (or only the persona's, when given) in its row for the UTC
 * day, so hourly runs leave one row a day holding the day's last count. An account that fails is retried
 * by the next run; a refused token pauses it.
 */
export async function collectFollowers(deps: CollectorDeps, personaId?: string): Promise<FollowersRunSummary> {
  const { db, logger } = deps;
  const accounts = personaId
    ? [await credentialsFor(db, deps.vault, personaId)].filter((a) => a !== null)
    : await listActiveCredentials(db, deps.vault);
  const summary: FollowersRunSummary = { accounts: accounts.length, stored: 0, failed: 0, paused_accounts: 0 };
  await forEachLimited(accounts, ACCOUNT_CONCURRENCY, async (account) => {
    try {
      const { followers_count } = await deps.threads.getUserInsights({
        userId: account.threadsUserId,
        accessToken: account.accessToken,
        metrics: ['followers_count'],
      });
      await upsertFollowerSnapshot(db, {
        accountId: account.accountId,
        personaId: account.personaId,
        capturedAt: deps.now(),
        followersCount: followers_count,
      });
      summary.stored += 1;
    } catch (error) {
      summary.failed += 1;
      if (error instanceof ThreadsApiError && error.kind === 'auth') {
        await pauseAccount(db, account.accountId, pauseReason('follower counts', error));
        summary.paused_accounts += 1;
        logger.warn({ err: error, accountId: account.accountId }, 'Threads refused the token: account paused');
        return;
      }
      logger.warn({ err: error, accountId: account.accountId }, 'follower count not collected; trying again next run');
    }
  });
  logger.info(summary, 'follower counts collected');
  return summary;
}
