import type { ThreadsAccount } from '../../accounts/index.ts';

/** Shown on a due post that cannot go out: its persona has no Threads account, or a paused one. */
export function accountWaitReason(paused: Pick<ThreadsAccount, 'status_reason'> | null): string {
  if (!paused) return 'waiting for a Threads account: link one with POST /v1/personas/:id/threads-account/connect';
  return `waiting: the persona's Threads account is paused (${paused.status_reason ?? 'no reason given'})`;
}
