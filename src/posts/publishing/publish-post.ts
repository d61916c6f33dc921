import type { Logger } from 'pino';
import { CircuitOpenError } from '../../platform/circuit-breaker.ts';
import { errorMessage } from '../../platform/errors.ts';
import type { ThreadsBreakers } from './threads-breakers.ts';
import {
  credentialsFor,
  findAccountByPersona,
  pauseAccount,
  type AccountCredentials,
  type TokenVault,
  refreshAccountToken,
} from '../../accounts/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Metrics } from '../../platform/observability/index.ts';
import { ThreadsApiError, type ThreadsClient } from '../../platform/threads/index.ts';
import { accountWaitReason } from './account-wait-reason.ts';
import { findPublishedMedia } from './find-published-media.ts';
import { recordAttempt, type PublishStep } from './publish-attempt.repository.ts';
import { deferQueue } from './publish-slots.ts';
import { listScheduledPosts, moveScheduledPost } from './schedule.repository.ts';
import { GIVE_UP_RETRY_MS, later, NOT_READY_DELAYS_MS, QUOTA_RETRY_MS, THROTTLE_RETRY_MS } from './publish-delays.ts';
import {
  claimPost,
  forgetContainer,
  markFailed,
  markPublished,
  returnToSchedule,
  saveContainer,
  saveMediaId,
  type PublishTarget,
} from './publish-state.repository.ts';

export interface PublishDeps {
  breakers: ThreadsBreakers;
  db: Database;
  threads: ThreadsClient;
  vault: TokenVault;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
  minGapMinutes: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How a run ended. All but `waiting` and `skipped` (nothing was attempted) are the `outcome` label of
 * posts_published_total, together with `retry` for a passing failure thrown back to pg-boss.
 */
export type PublishOutcome =
  | 'published'
  | 'failed'
  | 'throttled'
  | 'account_paused'
  | 'retry_later'
  | 'waiting'
  | 'skipped';

export interface PublishRun {
  /** The pg-boss job id: a retry of the same job resumes its own claim. */
  claim: string;
  /** After this run pg-boss gives up, so a passing failure sends the post back to the schedule instead. */
  isFinalAttempt: boolean;
}

/** Graph error 100/33: the object does not exist (or cannot be loaded); for our own container, it is gone. */
const isUnknownObject = (error: unknown) =>
  error instanceof ThreadsApiError && error.code === 100 && error.subcode === 33;

/** Another run took the post over (ours was presumed dead): stop without touching it. */
class ClaimLost extends Error {}

const must = (held: boolean) => {
  if (!held) throw new ClaimLost('the post was claimed by another run');
};

async function deferPersonaQueue(db: Database, personaId: string, from: Date, minGapMinutes: number, reason: string) {
  const queue = await listScheduledPosts(db, personaId);
  const times = deferQueue(
    queue.map((p) => p.scheduled_at),
    from,
    minGapMinutes,
  );
  for (const [i, post] of queue.entries()) {
    if (times[i]!.getTime() !== post.scheduled_at.getTime()) await moveScheduledPost(db, post.id, times[i]!, reason);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes one scheduled post exactly once, resumable after a crash at any point:
 * the container id is committed before threads_publish is called, and a run that finds one asks Threads
 * what became of it (PUBLISHED: adopt the post; FINISHED/IN_PROGRESS: publish it; EXPIRED/ERROR: start over)
 * instead of creating a second one. Passing failures throw, so pg-boss retries and the next run resumes here.
 */
export async function publishPost(deps: PublishDeps, postId: string, run: PublishRun): Promise<PublishOutcome> {
  const { db, threads, metrics } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const claimed = await claimPost(db, postId, run.claim, deps.now(), deps.minGapMinutes);
  if (!claimed) return 'skipped';
  if ('heldUntil' in claimed) {
    const reason = `spaced ${deps.minGapMinutes} min after the persona's previous post`;
    await deferPersonaQueue(db, claimed.personaId, claimed.heldUntil, deps.minGapMinutes, reason);
    return 'waiting';
  }
  const { post } = claimed;

  const account = await credentialsFor(db, deps.vault, post.persona_id);
  if (!account) {
    const reason = accountWaitReason(await findAccountByPersona(db, post.persona_id));
    must(await returnToSchedule(db, post.id, run.claim, null, reason));
    return 'waiting';
  }

  const call = async <T>(step: PublishStep, fn: () => Promise<T>): Promise<T> => {
    try {
      const result = await deps.breakers.call(account.accountId, fn);
      await recordAttempt(db, {
        post_id: post.id,
        step,
        outcome: 'ok',
        status_code: 200,
        error_kind: null,
        error_body: null,
      });
      return result;
    } catch (error) {
      const e = error instanceof ThreadsApiError ? error : null;
      await recordAttempt(db, {
        post_id: post.id,
        step,
        outcome: 'error',
        status_code: e?.status ?? null,
        error_kind: e?.kind ?? (error instanceof CircuitOpenError ? 'circuit_open' : null),
        error_body: e ? e.body : { message: errorMessage(error) },
      });
      throw error;
    }
  };
  const auth = { userId: account.threadsUserId, accessToken: account.accessToken };

  const finish = async (mediaId: string, knownPermalink: string | null): Promise<PublishOutcome> => {
    const lookUp = () => threads.getPost({ mediaId, accessToken: auth.accessToken, fields: ['id', 'permalink'] });
    const permalink = knownPermalink ?? (await call('lookup', lookUp)).permalink ?? null;
    must(await markPublished(db, post.id, run.claim, { permalink, publishedAt: deps.now() }));
    return 'published';
  };

  /**
   * Asks the container's status until it is FINISHED, with growing pauses (Meta's order: status, then
   * threads_publish), then publishes; the not-ready error is still waited out for a server that reports
   * FINISHED early. Null when the container is gone and must be made again.
   */
  const publishWhenReady = async (containerId: string, finished: boolean): Promise<{ id: string } | 'adopt' | null> => {
    for (let attempt = 0; !finished; attempt++) {
      const state = await call('status', () =>
        threads.getContainerStatus({ containerId, accessToken: auth.accessToken }),
      );
      if (state.status === 'FINISHED') break;
      if (state.status === 'PUBLISHED') return 'adopt';
      if (state.status === 'EXPIRED' || state.status === 'ERROR') return null;
      if (attempt >= NOT_READY_DELAYS_MS.length) {
        throw new Error(`container ${containerId} is still ${state.status} after ${attempt + 1} checks; trying again`);
      }
      await sleep(NOT_READY_DELAYS_MS[attempt]!);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await call('publish', () => threads.publishContainer({ ...auth, containerId }));
      } catch (error) {
        const notReady = error instanceof ThreadsApiError && error.kind === 'not_ready';
        if (!notReady || attempt >= NOT_READY_DELAYS_MS.length) throw error;
        await sleep(NOT_READY_DELAYS_MS[attempt]!);
      }
    }
  };

  const publish = async (): Promise<PublishOutcome> => {
    // What an earlier run made on an account since replaced can be neither checked nor finished with this
    // one's token, and starting over here could post the text twice: a human has to look.
    if (post.threads_account_id && post.threads_account_id !== account.accountId) {
      const reason =
        'publishing began on a Threads account this persona has since replaced; the post may be live there: ' +
        'check that account, and schedule a copy of this post if it is not';
      must(await markFailed(db, post.id, run.claim, reason));
      return 'failed';
    }
    if (post.threads_media_id) return finish(post.threads_media_id, post.permalink);

    let containerId = post.threads_container_id;
    if (containerId) {
      const state = await call('status', () =>
        threads.getContainerStatus({ containerId: containerId!, accessToken: auth.accessToken }),
      ).catch(async (error: unknown) => {
        if (!isUnknownObject(error)) throw error;
        // Threads no longer knows the container: live (adopt it) or certainly never posted (make it again).
        return (await findLive()) ? ({ status: 'PUBLISHED' } as const) : ({ status: 'EXPIRED' } as const);
      });
      if (state.status === 'PUBLISHED') return adoptPublished();
      if (state.status === 'FINISHED') return createAndPublish(containerId, true);
      if (state.status === 'EXPIRED' || state.status === 'ERROR') {
        must(await forgetContainer(db, post.id, run.claim));
        containerId = null;
      }
    }
    return createAndPublish(containerId, false);
  };

  /** `finished`: the container's status was just read as FINISHED, so it need not be asked again. */
  const createAndPublish = async (existing: string | null, finished: boolean): Promise<PublishOutcome> => {
    let containerId = existing;
    if (!containerId) {
      const limit = await call('quota', () => threads.getPublishingLimit(auth));
      if (limit.quotaUsage >= limit.quotaTotal) {
        const reason = `publishing quota used up (${limit.quotaUsage}/${limit.quotaTotal} posts in 24 h); trying again later`;
        must(await returnToSchedule(db, post.id, run.claim, later(deps.now(), QUOTA_RETRY_MS), reason));
        // The rest of the persona's due posts would each spend a call to learn the same: move them all.
        await deferPersonaQueue(db, post.persona_id, later(deps.now(), QUOTA_RETRY_MS), deps.minGapMinutes, reason);
        return 'throttled';
      }
      const createdAt = deps.now();
      const created = await call('container', () => threads.createContainer({ ...auth, text: post.text }));
      // Committed before threads_publish: a run that dies after this line never creates a second container.
      must(await saveContainer(db, post.id, run.claim, { id: created.id, createdAt, accountId: account.accountId }));
      containerId = created.id;
    }
    const media = await publishWhenReady(containerId, finished);
    if (media === 'adopt') return adoptPublished();
    if (media === null) {
      must(await forgetContainer(db, post.id, run.claim));
      return createAndPublish(null, false);
    }
    must(await saveMediaId(db, post.id, run.claim, media.id));
    return finish(media.id, null);
  };

  const findLive = () =>
    call('lookup', () =>
      findPublishedMedia(
        { db, threads },
        { ...auth, text: post.text, containerCreatedAt: post.threads_container_created_at },
      ),
    );

  // threads_publish went through but its answer was lost: the post is live, find it rather than post again.
  const adoptPublished = async (): Promise<PublishOutcome> => {
    const media = await findLive();
    if (!media) {
      throw new Error(
        `container ${post.threads_container_id} is PUBLISHED but its post is not among the account's threads yet`,
      );
    }
    must(await saveMediaId(db, post.id, run.claim, media.id));
    return finish(media.id, media.permalink);
  };

  try {
    const outcome = await publish().catch((error: unknown) => handleFailure(deps, post, account, run, error));
    metrics.postsPublished.inc({ persona: post.persona_slug, outcome });
    return outcome;
  } catch (error) {
    if (!(error instanceof ClaimLost)) throw error;
    deps.logger.warn({ postId: post.id }, 'publishing run lost its claim to another run; stopping');
    return 'skipped';
  }
}

/** What a failed run leaves behind, by what Threads said; passing failures are rethrown for pg-boss to retry. */
async function handleFailure(
  deps: PublishDeps,
  post: PublishTarget,
  account: AccountCredentials,
  run: PublishRun,
  error: unknown,
): Promise<PublishOutcome> {
  const { db } = deps;
  if (error instanceof ClaimLost) throw error;
  if (error instanceof CircuitOpenError) {
    // No call was made: the post goes out at the breaker's next trial, not after the give-up delay. The
    // breaker waits in real time; the schedule is in the product's time (which a test or TIME_SCALE moves).
    const reason = `${error.message}; trying again then`;
    const at = later(deps.now(), Math.max(0, error.retryAt.getTime() - Date.now()));
    must(await returnToSchedule(db, post.id, run.claim, at, reason));
    return 'retry_later';
  }
  const kind = error instanceof ThreadsApiError ? error.kind : 'unknown';
  const message = errorMessage(error);
  if (kind === 'bad_content') {
    // Meta's own words, so the user sees what to change.
    must(await markFailed(db, post.id, run.claim, message));
    return 'failed';
  }
  if (kind === 'throttled') {
    const reason = `throttled by Threads (${message}); trying again later`;
    must(await returnToSchedule(db, post.id, run.claim, later(deps.now(), THROTTLE_RETRY_MS), reason));
    return 'throttled';
  }
  if (kind === 'auth' && (await refreshAccountToken(deps, account))) {
    // A new token from Threads: the next tick tries again with it.
    must(
      await returnToSchedule(
        db,
        post.id,
        run.claim,
        null,
        `Threads refused the token (${message}); it was refreshed, trying again`,
      ),
    );
    return 'retry_later';
  }
  if (kind === 'auth' || kind === 'permission') {
    const reason = `Threads refused the account's token while publishing (${kind}): ${message}`;
    await pauseAccount(db, account.accountId, reason);
    must(await returnToSchedule(db, post.id, run.claim, null, accountWaitReason({ status_reason: reason })));
    return 'account_paused';
  }
  if (!run.isFinalAttempt) {
    deps.metrics.postsPublished.inc({ persona: post.persona_slug, outcome: 'retry' });
    throw error;
  }
  // The stored container id stays, so the next run still resumes rather than posting twice.
  const reason = `publishing failed repeatedly (${message}); trying again later`;
  must(await returnToSchedule(db, post.id, run.claim, later(deps.now(), GIVE_UP_RETRY_MS), reason));
  return 'retry_later';
}
