import type { Queryable } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import { engagementRate, interactionsOf } from './engagement.ts';
import { nextDueAt } from './cadence.ts';
import { findCollectionState, findLatestSnapshot, listSnapshots, type InsightSnapshot } from './insight.repository.ts';

/** A snapshot with its engagement rate, computed as the KPI computes it (null without views). */
export interface InsightView extends InsightSnapshot {
  interactions: number;
  engagement_rate: number | null;
}

export function toInsightView(s: InsightSnapshot): InsightView {
  const interactions = interactionsOf(s);
  return { ...s, interactions, engagement_rate: engagementRate(s.views, interactions) ?? null };
}

export function createPostInsightsService(deps: { db: Queryable }) {
  const { db } = deps;

  async function latestFor(postId: string): Promise<InsightView | null> {
    const latest = await findLatestSnapshot(db, postId);
    return latest ? toInsightView(latest) : null;
  }

  /** The post's snapshot series, oldest first, and where its collection stands. */
  async function seriesFor(postId: string) {
    const state = await findCollectionState(db, postId);
    if (!state) throw new AppError('not_found', `post ${postId} does not exist`);
    const data = (await listSnapshots(db, postId)).map(toInsightView);
    const collecting = state.published_at !== null && state.stopped_at === null;
    // Before the first capture the column is empty: the first slot is the one due.
    const due =
      state.next_due_at ?? (collecting ? nextDueAt(new Date(state.published_at!), null)!.toISOString() : null);
    return {
      post_id: postId,
      collection: {
        next_due_at: collecting ? due : null,
        stopped_at: state.stopped_at,
        stop_reason: state.stop_reason,
      },
      data,
    };
  }

  return { latestFor, seriesFor };
}

export type PostInsightsService = ReturnType<typeof createPostInsightsService>;
