import { describe, expect, it } from 'vitest';
import {
  projectMonthlyRevenue,
  projectMonthlyRevenueByPersona,
  type RevenueEventRow,
} from '../../src/revenue/revenue-projection.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

function event(overrides: Partial<RevenueEventRow>): RevenueEventRow {
  return {
    stream: 'affiliate',
    type: 'payment',
    amount: 0,
    persona_id: null,
    subscription_id: null,
    billing_period: null,
    occurred_at: daysAgo(1),
    ...overrides,
  };
}
const sub = (id: string, overrides: Partial<RevenueEventRow>) =>
  event({ stream: 'subscription', subscription_id: id, billing_period: 'month', ...overrides });
const project = (events: RevenueEventRow[], options?: { personaId?: string }) =>
  projectMonthlyRevenue(events, NOW, options).projection;

describe('monthly revenue projection', () => {
  it('adds active subscription MRR to the last 30 days of affiliate and lead revenue', () => {
    const { projection, inputs } = projectMonthlyRevenue(
      [
        sub('s1', { amount: 20 }),
        sub('s2', { amount: 120, billing_period: 'year', occurred_at: daysAgo(200) }),
        event({ stream: 'affiliate', amount: 35.5, occurred_at: daysAgo(29) }),
        event({ stream: 'affiliate', amount: 1000, occurred_at: daysAgo(31) }),
        event({ stream: 'lead', amount: 50 }),
      ],
      NOW,
    );
    // 20 + 120 / 12 = 30 MRR; 35.50 of affiliate revenue inside the window; 50 from a lead.
    expect(projection).toEqual({ subscriptions: 30, affiliate: 35.5, leads: 50, total: 115.5 });
    expect(inputs).toEqual({
      window_days: 30,
      active_subscriptions: 2,
      affiliate: { payments: 35.5, refunds: 0 },
      leads: { payments: 50, refunds: 0 },
    });
  });

  it('stops counting a cancelled subscription, and counts it again when it restarts', () => {
    expect(
      project([
        sub('s1', { amount: 20, occurred_at: daysAgo(10) }),
        sub('s1', { type: 'cancellation', occurred_at: daysAgo(3) }),
      ]).subscriptions,
    ).toBe(0);
    expect(
      project([
        sub('s1', { amount: 20, occurred_at: daysAgo(40) }),
        sub('s1', { type: 'cancellation', occurred_at: daysAgo(20) }),
        sub('s1', { amount: 25, occurred_at: daysAgo(2) }),
      ]).subscriptions,
    ).toBe(25);
  });

  it('keeps a subscription cancelled at period end until that instant', () => {
    const events = [
      sub('s1', { amount: 20, occurred_at: daysAgo(20) }),
      sub('s1', { type: 'cancellation', occurred_at: daysAgo(-10) }),
    ];
    expect(project(events).subscriptions).toBe(20);
    expect(projectMonthlyRevenue(events, new Date(NOW.getTime() + 11 * DAY)).projection.subscriptions).toBe(0);
  });

  it('counts a renewed subscription once, at its latest price', () => {
    const { projection, inputs } = projectMonthlyRevenue(
      [sub('s2', { amount: 10, occurred_at: daysAgo(40) }), sub('s2', { amount: 15, occurred_at: daysAgo(10) })],
      NOW,
    );
    expect(projection.subscriptions).toBe(15);
    expect(inputs.active_subscriptions).toBe(1);
  });

  it('lets a cancellation win over a payment recorded at the same instant, whatever the order', () => {
    const pay = sub('s1', { amount: 20, occurred_at: daysAgo(5) });
    const cancel = sub('s1', { type: 'cancellation', occurred_at: daysAgo(5) });
    expect(project([pay, cancel]).subscriptions).toBe(0);
    expect(project([cancel, pay]).subscriptions).toBe(0);
  });

  it('drops a subscription whose renewal is more than 7 days overdue', () => {
    // A monthly payment covers 31 days, a yearly one 366, each plus 7 days of grace for retried charges.
    expect(project([sub('s1', { amount: 20, occurred_at: daysAgo(37) })]).subscriptions).toBe(20);
    expect(project([sub('s1', { amount: 20, occurred_at: daysAgo(38) })]).subscriptions).toBe(0);
    expect(project([sub('s2', { amount: 240, billing_period: 'year', occurred_at: daysAgo(372) })]).subscriptions).toBe(
      20,
    );
    expect(project([sub('s2', { amount: 240, billing_period: 'year', occurred_at: daysAgo(373) })]).subscriptions).toBe(
      0,
    );
  });

  it('leaves MRR alone on a subscription refund: money back is not a cancellation', () => {
    expect(
      project([
        sub('s1', { amount: 20, occurred_at: daysAgo(5) }),
        sub('s1', { type: 'refund', amount: 20, occurred_at: daysAgo(1) }),
      ]).subscriptions,
    ).toBe(20);
  });

  it('subtracts refunds when they happen, so a month can net negative', () => {
    const { projection, inputs } = projectMonthlyRevenue(
      [
        event({ stream: 'affiliate', amount: 100 }),
        event({ stream: 'affiliate', type: 'refund', amount: 30 }),
        event({ stream: 'lead', amount: 80, occurred_at: daysAgo(45) }),
        event({ stream: 'lead', type: 'refund', amount: 80, occurred_at: daysAgo(2) }),
      ],
      NOW,
    );
    expect(projection).toEqual({ subscriptions: 0, affiliate: 70, leads: -80, total: -10 });
    expect(inputs.affiliate).toEqual({ payments: 100, refunds: 30 });
  });

  it('counts two distinct events with the same values twice: only external_id makes a duplicate', () => {
    // The same sale replayed is refused at the door (one row per external_id); two real sales of $10 are $20.
    expect(project([event({ stream: 'lead', amount: 10 }), event({ stream: 'lead', amount: 10 })]).leads).toBe(20);
  });

  it('ignores events after now', () => {
    expect(project([event({ stream: 'lead', amount: 80, occurred_at: new Date(NOW.getTime() + 60_000) })]).total).toBe(
      0,
    );
    expect(project([sub('s1', { amount: 20, occurred_at: new Date(NOW.getTime() + 60_000) })]).subscriptions).toBe(0);
  });

  it('windows in UTC: an event counts by its instant, not by its local clock time', () => {
    // The 30-day window opens at 2026-10-29T12:00Z (exclusive).
    const atStart = event({ stream: 'lead', amount: 1000, occurred_at: new Date('2026-10-29T12:00:00Z') });
    const before = event({ stream: 'lead', amount: 100, occurred_at: new Date('2026-10-29T13:00:00+02:00') }); // 11:00Z
    const after = event({ stream: 'lead', amount: 1, occurred_at: new Date('2026-10-29T11:00:00-02:00') }); // 13:00Z
    const alsoAfter = event({ stream: 'lead', amount: 10, occurred_at: new Date('2026-10-29T15:00:00+02:00') }); // 13:00Z
    expect(project([atStart, before, after, alsoAfter]).leads).toBe(11);
  });

  it('adds money in cents, and the total is the sum of the rounded streams', () => {
    const projection = project([
      ...[1, 2, 3].map(() => event({ stream: 'lead', amount: 0.1 })),
      sub('y1', { amount: 100, billing_period: 'year' }), // 8.333… a month
      sub('y2', { amount: 100, billing_period: 'year' }),
    ]);
    expect(projection).toEqual({ subscriptions: 16.67, affiliate: 0, leads: 0.3, total: 16.97 });
  });

  it('narrows to one persona, a subscription by its latest event even when the cancellation names no persona', () => {
    const events = [
      sub('s1', { amount: 20, persona_id: 'a', occurred_at: daysAgo(10) }),
      sub('s1', { type: 'cancellation', occurred_at: daysAgo(2) }),
      sub('s2', { amount: 9, persona_id: 'a' }),
      sub('s3', { amount: 50, persona_id: 'b' }),
      event({ stream: 'affiliate', amount: 5, persona_id: 'a' }),
      event({ stream: 'lead', amount: 70 }),
    ];
    expect(project(events, { personaId: 'a' })).toEqual({ subscriptions: 9, affiliate: 5, leads: 0, total: 14 });
    expect(project(events)).toEqual({ subscriptions: 59, affiliate: 5, leads: 70, total: 134 });
  });

  it('is all zeros with no events', () => {
    expect(projectMonthlyRevenue([], NOW)).toEqual({
      projection: { subscriptions: 0, affiliate: 0, leads: 0, total: 0 },
      inputs: {
        window_days: 30,
        active_subscriptions: 0,
        affiliate: { payments: 0, refunds: 0 },
        leads: { payments: 0, refunds: 0 },
      },
    });
  });

  it('gives per persona, in one pass, what the projection for that persona gives', () => {
    const events = [
      // s1 moved from persona a to b: it counts for b, its latest payment's persona.
      sub('s1', { amount: 20, persona_id: 'a', occurred_at: daysAgo(40) }),
      sub('s1', { amount: 25, persona_id: 'b', occurred_at: daysAgo(10) }),
      sub('s2', { amount: 120, billing_period: 'year', persona_id: 'a', occurred_at: daysAgo(100) }),
      sub('s3', { amount: 30, persona_id: 'c', occurred_at: daysAgo(20) }),
      sub('s3', { type: 'cancellation', persona_id: 'c', occurred_at: daysAgo(2) }),
      event({ stream: 'affiliate', amount: 5, persona_id: 'a' }),
      event({ stream: 'affiliate', type: 'refund', amount: 2, persona_id: 'b' }),
      event({ stream: 'lead', amount: 70 }),
      event({ stream: 'lead', amount: 900, persona_id: 'c', occurred_at: daysAgo(31) }),
    ];
    const ids = ['a', 'b', 'c', null, 'nobody'];
    const grouped = projectMonthlyRevenueByPersona(events, NOW, ids);
    expect([...grouped.keys()]).toEqual(ids);
    for (const id of ids) {
      const alone = projectMonthlyRevenue(
        events.map((e) => ({ ...e, persona_id: e.persona_id === id ? 'me' : (e.persona_id ?? 'none') })),
        NOW,
        { personaId: 'me' },
      );
      expect(grouped.get(id), String(id)).toEqual(alone);
    }
    expect(grouped.get('b')!.projection).toEqual({ subscriptions: 25, affiliate: -2, leads: 0, total: 23 });
    expect(grouped.get('a')!.projection).toEqual({ subscriptions: 10, affiliate: 5, leads: 0, total: 15 });
    expect(grouped.get('c')!.projection.total).toBe(0);
    expect(grouped.get(null)!.projection.leads).toBe(70);
  });
});
