import type { ThreadsAccount } from '../accounts/account.repository.ts';

/** Shown on a due post that cannot go out until its persona has an active Threads account. */
export function accountWaitReason(account: Pick<ThreadsAccount, 'status' | 'status_reason'> | null): string {
  if (!account) return 'waiting for a Threads account: link one with POST /v1/personas/:id/threads-account/connect';
  return `waiting: the persona's Threads account is paused (${account.status_reason ?? 'no reason given'})`;
}
