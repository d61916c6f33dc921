import { groupBy } from '../platform/group-by.ts';
import { isInWindow, windowEnding } from '../platform/time-window.ts';

/** Monthly run-rate arithmetic over plain event rows, pinned by unit tests without a database. */

export type RevenueStream = 'subscription' | 'affiliate' | 'lead';
export type RevenueEventType = 'payment' | 'refund' | 'cancellation';
export type BillingPeriod = 'month' | 'year';

export interface RevenueEventRow {
  stream: RevenueStream;
  type: RevenueEventType;
  /** Dollars, positive for payments and refunds alike. */
  amount: number;
  persona_id: string | null;
  subscription_id: string | null;
  billing_period: BillingPeriod | null;
  occurred_at: Date;
}

export interface RevenueProjection {
  subscriptions: number;
  affiliate: number;
  leads: number;
  total: number;
}

export interface RevenueInputs {
  window_days: number;
  active_subscriptions: number;
  affiliate: { payments: number; refunds: number };
  leads: { payments: number; refunds: number };
}

const DAY_MS = 86_400_000;
export const REVENUE_WINDOW_DAYS = 30;
/** Longest a billing period can be, so a payment made on the 31st still covers the next month. */
const PERIOD_DAYS: Record<BillingPeriod, number> = { month: 31, year: 366 };
/** Renewals are retried for days after a failed charge; MRR should not flicker meanwhile. */
const RENEWAL_GRACE_DAYS = 7;
/** No subscription event older than this can keep a subscription active. */
export const SUBSCRIPTION_HORIZON_DAYS = PERIOD_DAYS.year + RENEWAL_GRACE_DAYS;

const cents = (dollars: number) => Math.round(dollars * 100);

/** The later event wins; at the same instant a cancellation beats a payment, then the larger payment. */
function supersedes(a: RevenueEventRow, b: RevenueEventRow): boolean {
  const at = a.occurred_at.getTime() - b.occurred_at.getTime();
  if (at !== 0) return at > 0;
  if (a.type !== b.type) return a.type === 'cancellation';
  return a.amount > b.amount;
}

/**
 * A subscription is active while its latest event (refunds aside: money back is not a status
 * change) is a payment whose billing period, plus the renewal grace, has not run out. A
 * cancellation ends it from its `occurred_at`, so a cancellation at period end is sent dated then.
 */
function activeSubscriptions(events: RevenueEventRow[], now: Date): RevenueEventRow[] {
  const latest = new Map<string, RevenueEventRow>();
  for (const e of events) {
    if (e.stream !== 'subscription' || e.type === 'refund' || !e.subscription_id || e.occurred_at > now) continue;
    const seen = latest.get(e.subscription_id);
    if (!seen || supersedes(e, seen)) latest.set(e.subscription_id, e);
  }
  return [...latest.values()].filter((e) => {
    if (e.type !== 'payment') return false;
    const coveredDays = PERIOD_DAYS[e.billing_period ?? 'month'] + RENEWAL_GRACE_DAYS;
    return now.getTime() - e.occurred_at.getTime() < coveredDays * DAY_MS;
  });
}

type Projected = { projection: RevenueProjection; inputs: RevenueInputs };

/**
 * The run-rate of some active subscriptions and some in-window sales. Money is added in cents; each
 * stream is rounded to cents and the total is the sum of the rounded streams, so the gauges add up.
 */
function summarise(active: RevenueEventRow[], recent: RevenueEventRow[]): Projected {
  const mrrCents = Math.round(
    active.reduce((sum, e) => sum + (e.billing_period === 'year' ? cents(e.amount) / 12 : cents(e.amount)), 0),
  );
  const flows = (stream: RevenueStream) => {
    const sum = (type: RevenueEventType) =>
      recent.filter((e) => e.stream === stream && e.type === type).reduce((total, e) => total + cents(e.amount), 0);
    return { payments: sum('payment'), refunds: sum('refund') };
  };
  const affiliate = flows('affiliate');
  const leads = flows('lead');
  const affiliateNet = affiliate.payments - affiliate.refunds;
  const leadsNet = leads.payments - leads.refunds;
  const dollars = (c: number) => c / 100;
  return {
    projection: {
      subscriptions: dollars(mrrCents),
      affiliate: dollars(affiliateNet),
      leads: dollars(leadsNet),
      total: dollars(mrrCents + affiliateNet + leadsNet),
    },
    inputs: {
      window_days: REVENUE_WINDOW_DAYS,
      active_subscriptions: active.length,
      affiliate: { payments: dollars(affiliate.payments), refunds: dollars(affiliate.refunds) },
      leads: { payments: dollars(leads.payments), refunds: dollars(leads.refunds) },
    },
  };
}

const inWindow = (events: RevenueEventRow[], now: Date) => {
  const window = windowEnding(now, REVENUE_WINDOW_DAYS);
  return events.filter((e) => isInWindow(e.occurred_at, window));
};

/**
 * revenue_projection_monthly: MRR of the active subscriptions (a yearly price ÷ 12) plus the last
 * 30 days' affiliate and lead payments net of refunds (cash basis: a refund counts when it
 * happens, so the net can be negative). With `personaId`, only revenue attributed to that persona
 * (a subscription by its latest payment).
 */
export function projectMonthlyRevenue(
  events: RevenueEventRow[],
  now: Date,
  options: { personaId?: string } = {},
): Projected {
  const mine = (e: RevenueEventRow) => options.personaId === undefined || e.persona_id === options.personaId;
  return summarise(activeSubscriptions(events, now).filter(mine), inWindow(events, now).filter(mine));
}

/**
 * The same projection for each of `personaIds` (null: revenue attributed to none) from one pass over
 * the events: each persona's figures are what `projectMonthlyRevenue` gives for it.
 */
export function projectMonthlyRevenueByPersona(
  events: RevenueEventRow[],
  now: Date,
  personaIds: readonly (string | null)[],
): Map<string | null, Projected> {
  const active = groupBy(activeSubscriptions(events, now), (e) => e.persona_id);
  const recent = groupBy(inWindow(events, now), (e) => e.persona_id);
  return new Map(personaIds.map((id) => [id, summarise(active.get(id) ?? [], recent.get(id) ?? [])]));
}
