import type { Queryable } from '../../platform/db/index.ts';
import type { ThreadsClient } from '../../platform/threads/index.ts';
import { listKnownMediaIds } from './publish-state.repository.ts';

// Tolerates a difference between our clock and Meta's when comparing with the container's creation time.
const CLOCK_SLACK_MS = 5 * 60_000;
const MAX_PAGES = 10;

/**
 * The post a PUBLISHED container became, when the worker died before storing the media id: the
 * account's oldest thread created after the container with exactly this text that no other post owns.
 */
export async function findPublishedMedia(
  deps: { db: Queryable; threads: ThreadsClient },
  input: { userId: string; accessToken: string; text: string; containerCreatedAt: Date | null },
): Promise<{ id: string; permalink: string | null } | null> {
  const since = input.containerCreatedAt ? new Date(input.containerCreatedAt.getTime() - CLOCK_SLACK_MS) : undefined;
  const matches: { id: string; permalink: string | null }[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const threads = await deps.threads.listUserThreads({
      userId: input.userId,
      accessToken: input.accessToken,
      fields: ['id', 'text', 'permalink', 'timestamp'],
      since,
      limit: 100,
      after,
    });
    for (const media of threads.data)
      if (media.text === input.text) matches.push({ id: media.id, permalink: media.permalink ?? null });
    if (!threads.hasNext || !threads.cursors.after) break;
    after = threads.cursors.after;
  }
  const owned = await listKnownMediaIds(
    deps.db,
    matches.map((m) => m.id),
  );
  // Listed newest first: the last free match is the oldest.
  return matches.filter((m) => !owned.has(m.id)).at(-1) ?? null;
}
