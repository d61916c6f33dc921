import { type Database, lockForTransaction } from '../../platform/db/index.ts';
import { groupBy } from '../../platform/group-by.ts';
import type { Queue } from '../../platform/queue/index.ts';
import { accountWaitReason } from './account-wait-reason.ts';
import { findLatestSlot } from './approval.repository.ts';
import { ABANDONED_CLAIM_MS } from './publish-delays.ts';
import { spreadSlots } from './publish-slots.ts';
import {
  assignSlot,
  freeAbandonedPosts,
  listApprovedPosts,
  listDuePosts,
  setWaitReason,
} from './schedule.repository.ts';

// Per tick; whatever is left is taken on the next minute.
const BATCH = 500;

export interface ScheduleDeps {
  db: Database;
  queue: Pick<Queue, 'sendOnce'>;
  now: () => Date;
  minGapMinutes: number;
  /** TIME_SCALE: a run's claim lasts wall time, so it is abandoned only this many times later in product time. */
  timeScale?: number;
}

/**
 * The one-minute tick: gives approved posts their slots, frees posts a dead run left `publishing`, and
 * queues a publish-post job for each due post whose account is active (one waiting job per post at most).
 * Due posts without an active account stay scheduled, with the reason on the post.
 */
export async function schedulePosts(deps: ScheduleDeps) {
  const { db } = deps;
  const now = deps.now();

  const slotted = await db.transaction(async (tx) => {
    await lockForTransaction(tx, 'postSlots');
    let assigned = 0;
    for (const [personaId, posts] of groupBy(await listApprovedPosts(tx, BATCH), (post) => post.persona_id)) {
      const slots = spreadSlots({
        latest: await findLatestSlot(tx, personaId),
        now,
        minGapMinutes: deps.minGapMinutes,
        count: posts.length,
      });
      for (const [i, post] of posts.entries()) if (await assignSlot(tx, post.id, slots[i]!)) assigned++;
    }
    return assigned;
  });

  const resumable = await freeAbandonedPosts(db, new Date(now.getTime() - ABANDONED_CLAIM_MS * (deps.timeScale ?? 1)));
  const due = await listDuePosts(db, now, BATCH);
  const ready = [...resumable];
  let waiting = 0;
  for (const post of due) {
    if (post.account_status === 'active') {
      ready.push(post.id);
      continue;
    }
    waiting++;
    await setWaitReason(
      db,
      post.id,
      accountWaitReason(post.account_status ? { status_reason: post.account_reason } : null),
    );
  }
  let queued = 0;
  for (const postId of ready) if (await deps.queue.sendOnce('publish-post', { postId }, postId)) queued++;
  return { slotted, queued, waiting };
}
