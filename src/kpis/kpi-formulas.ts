/** Pure KPI arithmetic over plain numbers, so every formula is pinned by unit tests. */

export const VIRAL_RATE = 0.1;
export const VIRAL_MIN_VIEWS = 100;

export interface Interactions {
  likes: number;
  replies: number;
  reposts: number;
  quotes: number;
  shares: number;
}

export function interactionsOf(s: Interactions): number {
  return s.likes + s.replies + s.reposts + s.quotes + s.shares;
}

/** (likes + replies + reposts + quotes + shares) / views; undefined with no views (not 0, not NaN). */
export function engagementRate(views: number, interactions: number): number | undefined {
  return views > 0 ? interactions / views : undefined;
}

export function isViral(views: number, interactions: number): boolean {
  const rate = engagementRate(views, interactions);
  return rate !== undefined && views >= VIRAL_MIN_VIEWS && rate >= VIRAL_RATE;
}

/**
 * Dollars per net new follower; undefined while there are none (or followers were lost),
 * so the gauge is absent rather than 0 or Infinity.
 */
export function costPerFollow(spendUsd: number, netNewFollowers: number): number | undefined {
  return netNewFollowers > 0 ? spendUsd / netNewFollowers : undefined;
}

export interface RevenueEventRow {
  stream: 'subscription' | 'affiliate' | 'lead';
  type: 'payment' | 'refund' | 'cancellation';
  amount: number;
  recurring: boolean;
  subscription_id: string | null;
  billing_period: 'month' | 'year' | null;
  occurred_at: Date;
}

export interface RevenueProjection {
  subscriptions: number;
  affiliate: number;
  leads: number;
  total: number;
}

const DAY_MS = 86_400_000;

/**
 * Monthly run-rate: MRR of the subscriptions active at `now` (a subscription's latest event is
 * a recurring payment: its amount per month, a yearly one divided by 12; a cancellation ends
 * it), plus the last 30 days' affiliate and lead revenue net of refunds. Events after `now`
 * are ignored.
 */
export function projectMonthlyRevenue(events: RevenueEventRow[], now: Date): RevenueProjection {
  const past = events.filter((e) => e.occurred_at <= now);
  const latestBySubscription = new Map<string, RevenueEventRow>();
  for (const e of past) {
    if (e.stream !== 'subscription' || !e.subscription_id || e.type === 'refund') continue;
    const seen = latestBySubscription.get(e.subscription_id);
    if (!seen || e.occurred_at >= seen.occurred_at) latestBySubscription.set(e.subscription_id, e);
  }
  let subscriptions = 0;
  for (const e of latestBySubscription.values()) {
    if (e.type === 'payment' && e.recurring) subscriptions += e.billing_period === 'year' ? e.amount / 12 : e.amount;
  }
  const since = new Date(now.getTime() - 30 * DAY_MS);
  const recent = (stream: RevenueEventRow['stream']) =>
    past
      .filter((e) => e.stream === stream && e.occurred_at > since)
      .reduce((sum, e) => sum + (e.type === 'payment' ? e.amount : e.type === 'refund' ? -e.amount : 0), 0);
  const affiliate = recent('affiliate');
  const leads = recent('lead');
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    subscriptions: round(subscriptions),
    affiliate: round(affiliate),
    leads: round(leads),
    total: round(subscriptions + affiliate + leads),
  };
}
