/** The engagement rate of a post, the same formula the KPIs use. */

export interface InsightCounts {
  likes: number;
  replies: number;
  reposts: number;
  quotes: number;
  shares: number;
}

export function interactionsOf(s: InsightCounts): number {
  return s.likes + s.replies + s.reposts + s.quotes + s.shares;
}

/** Interactions / views; undefined with no views (not 0, which would read as a flop, and not NaN). */
export function engagementRate(views: number, interactions: number): number | undefined {
  return views > 0 ? interactions / views : undefined;
}
