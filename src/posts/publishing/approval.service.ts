import type { Database } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { Post } from '../post-lifecycle.ts';
import type { PostsService } from '../posts.service.ts';
import { statusConflict } from '../post-lifecycle.ts';
import { approveDraft, findLatestSlot, rejectByUser, schedulePost } from './approval.repository.ts';
import { listAttempts } from './publish-attempt.repository.ts';
import { nextFreeSlot } from './publish-slots.ts';

const PAST_TENSE = { approve: 'approved', reject: 'rejected', schedule: 'scheduled' } as const;

// A time given as "now" by a client whose clock is a little behind ours is still accepted.
const PAST_TOLERANCE_MS = 60_000;

export interface ApprovalDeps {
  db: Database;
  getPost: PostsService['getPost'];
  now: () => Date;
  minGapMinutes: number;
}

/** The user's side of publishing: approve, reject, or schedule a post; each checks the post's status. */
export function createApprovalService(deps: ApprovalDeps) {
  const { db, getPost } = deps;

  /** The update found the post in another status (perhaps changed meanwhile): say which, and what is allowed. */
  async function wrongStatus(id: string, action: keyof typeof PAST_TENSE): Promise<never> {
    throw statusConflict(await getPost(id), action, PAST_TENSE[action]);
  }

  async function approve(id: string): Promise<Post> {
    return (await approveDraft(db, id, deps.now())) ?? wrongStatus(id, 'approve');
  }

  async function reject(id: string, reason?: string): Promise<Post> {
    return (await rejectByUser(db, id, reason ?? null)) ?? wrongStatus(id, 'reject');
  }

  /** At `at`, or at the persona's next free slot (minGap after its latest post, never in the past). */
  async function schedule(id: string, at?: string): Promise<Post> {
    const post = await getPost(id);
    const now = deps.now();
    let when: Date;
    if (at === undefined) {
      when = nextFreeSlot({
        latest: await findLatestSlot(db, post.persona_id),
        now,
        minGapMinutes: deps.minGapMinutes,
      });
    } else {
      when = new Date(at);
      if (when.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
        throw new AppError(
          'bad_request',
          `at (${at}) is in the past; give a time after ${now.toISOString()} or leave it out for the next free slot`,
        );
      }
    }
    return (await schedulePost(db, id, when, now)) ?? wrongStatus(id, 'schedule');
  }

  async function publishAttempts(id: string) {
    await getPost(id);
    return { data: await listAttempts(db, id) };
  }

  return { approve, reject, schedule, publishAttempts };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
