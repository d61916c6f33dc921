import type { Logger } from 'pino';
import { listActiveCredentials, pauseAccount, type AccountCredentials, type TokenVault } from '../accounts/index.ts';
import type { Database } from '../platform/db/index.ts';
import { groupBy } from '../platform/group-by.ts';
import { ThreadsApiError, type ThreadsClient } from '../platform/threads/index.ts';
import { COLLECTION_WINDOW_MS, FIRST_SLOT_MS, nextDueAt } from './cadence.ts';
import { forEachLimited } from './for-each-limited.ts';
import {
  claimDuePosts,
  expireClosedWindows,
  recordSnapshot,
  releaseClaim,
  stopCollection,
  type ClaimedPost,
} from './insight.repository.ts';

export interface CollectorDeps {
  db: Database;
  threads: Pick<ThreadsClient, 'getMediaInsights' | 'getUserInsights'>;
  vault: TokenVault;
  now: () => Date;
  logger: Logger;
  /** TIME_SCALE: a run lasts wall time, so its lease is this many times longer in product time. */
  timeScale?: number;
}

/** Posts per run: with 10-minute runs, 3,000 captures an hour, far above what the cadence asks of a few hundred accounts. */
export const MAX_POSTS_PER_RUN = 500;
/** Accounts fetched at once; one account's posts go one after another, as Threads limits calls per user. */
const ACCOUNT_CONCURRENCY = 4;
/** Longer than a run can last, so an overlapping run never takes a post this one still holds. */
const LEASE_MS = 30 * 60_000;

export interface InsightsRunSummary {
  claimed: number;
  captured: number;
  skipped: number;
  media_gone: number;
  expired: number;
  paused_accounts: number;
}

/** Meta's "object does not exist" (deleted post, or not this account's): asking again will not help. */
const isMediaGone = (error: unknown) => error instanceof ThreadsApiError && error.code === 100 && error.subcode === 33;

export const pauseReason = (what: string, error: ThreadsApiError) =>
  `Threads refused the account's token while collecting ${what}: ${error.message}`;

/**
 * One run of the insights collector: captures every due post (up to `limit`, most overdue first) and
 * schedules its next capture. A failing post never stops the run: a passing error leaves it for the
 * next run, a token Threads refuses pauses the account, a deleted post is not asked for again.
 */
export async function collectInsights(deps: CollectorDeps, limit = MAX_POSTS_PER_RUN): Promise<InsightsRunSummary> {
  const { db, logger } = deps;
  const started = Date.now();
  const now = deps.now();
  const windowStart = new Date(now.getTime() - COLLECTION_WINDOW_MS);
  const leaseUntil = new Date(now.getTime() + LEASE_MS * (deps.timeScale ?? 1));
  const summary: InsightsRunSummary = {
    claimed: 0,
    captured: 0,
    skipped: 0,
    media_gone: 0,
    expired: 0,
    paused_accounts: 0,
  };

  summary.expired = await expireClosedWindows(db, now, windowStart);
  const claimed = await claimDuePosts(db, { now, firstSlotMs: FIRST_SLOT_MS, windowStart, leaseUntil, limit });
  summary.claimed = claimed.length;
  if (claimed.length > 0) {
    const credentials = new Map((await listActiveCredentials(db, deps.vault)).map((c) => [c.accountId, c]));
    const byAccount = groupBy(claimed, (post) => post.account_id);
    await forEachLimited([...byAccount.values()], ACCOUNT_CONCURRENCY, (posts) =>
      collectAccount(deps, credentials.get(posts[0]!.account_id), posts, leaseUntil, summary),
    );
  }
  logger.info({ ...summary, duration_ms: Date.now() - started }, 'insights collected');
  return summary;
}

async function collectAccount(
  deps: CollectorDeps,
  account: AccountCredentials | undefined,
  posts: ClaimedPost[],
  leaseUntil: Date,
  summary: InsightsRunSummary,
): Promise<void> {
  const { db, logger } = deps;
  const giveBack = async (rest: ClaimedPost[]) => {
    for (const post of rest) await releaseClaim(db, post, leaseUntil);
    summary.skipped += rest.length;
  };
  // Paused since the posts were claimed.
  if (!account) return giveBack(posts);

  for (const [index, post] of posts.entries()) {
    try {
      const insights = await deps.threads.getMediaInsights({
        mediaId: post.threads_media_id,
        accessToken: account.accessToken,
      });
      const capturedAt = deps.now();
      const held = await recordSnapshot(db, {
        post,
        leaseUntil,
        capturedAt,
        insights,
        nextDueAt: nextDueAt(post.published_at, capturedAt),
      });
      if (held) summary.captured += 1;
      else summary.skipped += 1;
    } catch (error) {
      const log = { err: error, postId: post.post_id, accountId: account.accountId };
      if (isMediaGone(error)) {
        await stopCollection(db, post.post_id, 'media_gone', deps.now());
        summary.media_gone += 1;
        logger.info(log, 'post no longer on Threads; its insights are not collected any more');
        continue;
      }
      if (error instanceof ThreadsApiError && error.kind === 'auth') {
        await pauseAccount(db, account.accountId, pauseReason('insights', error));
        summary.paused_accounts += 1;
        logger.warn(log, 'Threads refused the token: account paused');
        return giveBack(posts.slice(index));
      }
      if (error instanceof ThreadsApiError && (error.kind === 'throttled' || error.kind === 'permission')) {
        // Every other call for this account would get the same answer this run.
        logger.warn(log, `insights ${error.kind}: the account's posts wait for the next run`);
        return giveBack(posts.slice(index));
      }
      logger.warn(log, 'insights not collected; trying again next run');
      await giveBack([post]);
    }
  }
}
