import { describe, expect, it } from 'vitest';
import {
  costPerFollow,
  engagementRate,
  interactionsOf,
  isViral,
  projectMonthlyRevenue,
  type RevenueEventRow,
} from '../../src/kpis/kpi-formulas.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

function event(overrides: Partial<RevenueEventRow>): RevenueEventRow {
  return {
    stream: 'affiliate',
    type: 'payment',
    amount: 0,
    recurring: false,
    subscription_id: null,
    billing_period: null,
    occurred_at: daysAgo(1),
    ...overrides,
  };
}

describe('engagement', () => {
  it('is interactions over views', () => {
    const s = { likes: 40, replies: 6, reposts: 3, quotes: 1, shares: 2 };
    expect(interactionsOf(s)).toBe(52);
    expect(engagementRate(1000, 52)).toBeCloseTo(0.052, 12);
  });

  it('is undefined without views, never NaN or Infinity', () => {
    expect(engagementRate(0, 0)).toBeUndefined();
    expect(engagementRate(0, 5)).toBeUndefined();
  });

  it('marks a post viral at a 10% rate with at least 100 views', () => {
    expect(isViral(100, 10)).toBe(true);
    expect(isViral(99, 50)).toBe(false);
    expect(isViral(1000, 99)).toBe(false);
    expect(isViral(0, 0)).toBe(false);
  });
});

describe('cost per follow', () => {
  it('divides spend by net new followers', () => {
    expect(costPerFollow(2.5, 500)).toBeCloseTo(0.005, 12);
  });

  it('is undefined with no new followers or a net loss', () => {
    expect(costPerFollow(2.5, 0)).toBeUndefined();
    expect(costPerFollow(2.5, -10)).toBeUndefined();
    expect(costPerFollow(0, 10)).toBe(0);
  });
});

describe('monthly revenue projection', () => {
  it('adds active subscription MRR to the last 30 days of affiliate and lead revenue', () => {
    const projection = projectMonthlyRevenue(
      [
        event({ stream: 'subscription', subscription_id: 's1', recurring: true, amount: 20, billing_period: 'month' }),
        event({ stream: 'subscription', subscription_id: 's2', recurring: true, amount: 120, billing_period: 'year' }),
        event({ stream: 'affiliate', amount: 35.5, occurred_at: daysAgo(29) }),
        event({ stream: 'affiliate', amount: 1000, occurred_at: daysAgo(31) }),
        event({ stream: 'lead', amount: 50 }),
      ],
      NOW,
    );
    // 20 + 120 / 12 = 30 MRR; 35.50 affiliate inside the window; 50 from a lead.
    expect(projection).toEqual({ subscriptions: 30, affiliate: 35.5, leads: 50, total: 115.5 });
  });

  it('stops counting a cancelled subscription and counts a renewal at its latest price', () => {
    const projection = projectMonthlyRevenue(
      [
        event({ stream: 'subscription', subscription_id: 's1', recurring: true, amount: 20, occurred_at: daysAgo(40) }),
        event({ stream: 'subscription', subscription_id: 's1', type: 'cancellation', occurred_at: daysAgo(3) }),
        event({ stream: 'subscription', subscription_id: 's2', recurring: true, amount: 10, occurred_at: daysAgo(40) }),
        event({ stream: 'subscription', subscription_id: 's2', recurring: true, amount: 15, occurred_at: daysAgo(10) }),
      ],
      NOW,
    );
    expect(projection.subscriptions).toBe(15);
  });

  it('subtracts refunds and ignores events after now', () => {
    const projection = projectMonthlyRevenue(
      [
        event({ stream: 'affiliate', amount: 100 }),
        event({ stream: 'affiliate', type: 'refund', amount: 30 }),
        event({ stream: 'lead', amount: 80, occurred_at: new Date(NOW.getTime() + 60_000) }),
      ],
      NOW,
    );
    expect(projection).toEqual({ subscriptions: 0, affiliate: 70, leads: 0, total: 70 });
  });

  it('windows in UTC: an event counts by its instant, not by its local clock time', () => {
    // The window opens at 2026-10-29T12:00Z. Local times look alike; the instants differ.
    const before = event({ stream: 'lead', amount: 100, occurred_at: new Date('2026-10-29T13:00:00+02:00') }); // 11:00Z
    const after = event({ stream: 'lead', amount: 1, occurred_at: new Date('2026-10-29T11:00:00-02:00') }); // 13:00Z
    const alsoAfter = event({ stream: 'lead', amount: 10, occurred_at: new Date('2026-10-29T15:00:00+02:00') }); // 13:00Z
    expect(projectMonthlyRevenue([before, after, alsoAfter], NOW).leads).toBe(11);
  });

  it('is all zeros with no events', () => {
    expect(projectMonthlyRevenue([], NOW)).toEqual({ subscriptions: 0, affiliate: 0, leads: 0, total: 0 });
  });
});
