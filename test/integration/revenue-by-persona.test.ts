import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const id = (prefix: string) => `${prefix}-${randomUUID()}`;

interface Row {
  persona_id: string | null;
  slug: string | null;
  deleted: boolean;
  events: { subscription: number; affiliate: number; lead: number; total: number };
  last_occurred_at: string;
  mrr: { subscriptions: number; affiliate: number; leads: number; total: number };
  active_subscriptions: number;
}

describe.each(DATABASE_KINDS)('GET /v1/revenue/by-persona on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false });
  });
  afterAll(() => t?.close());

  const record = async (body: Record<string, unknown>) => {
    const res = await t.api('/v1/revenue/events', {
      method: 'POST',
      body: JSON.stringify({ currency: 'USD', external_id: id('ev'), ...body }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  const byPersona = async () =>
    (await (await t.api('/v1/revenue/by-persona')).json()) as { as_of: string; currency: string; data: Row[] };
  const kpisOf = async (personaId?: string) =>
    (await (await t.api(`/v1/kpis${personaId ? `?persona=${personaId}` : ''}`)).json()) as {
      revenue_projection_monthly: Row['mrr'];
      revenue_inputs: { active_subscriptions: number };
    };

  it("gives each persona's events by stream and the MRR GET /v1/kpis?persona= gives it, highest MRR first", async () => {
    const [rich, modest, gone, silent] = await Promise.all([
      t.createPersona(),
      t.createPersona(),
      t.createPersona(),
      t.createPersona(),
    ]);
    const sub = id('sub');
    // rich: a monthly and a yearly subscription, an affiliate sale and a refund of part of it.
    await record({
      stream: 'subscription',
      amount: 30,
      subscription_id: sub,
      persona_id: rich.id,
      occurred_at: ago(DAY),
    });
    await record({
      stream: 'subscription',
      amount: 120,
      subscription_id: id('sub'),
      billing_period: 'year',
      persona_id: rich.id,
      occurred_at: ago(2 * DAY),
    });
    await record({ stream: 'affiliate', amount: 50, persona_id: rich.id, occurred_at: ago(3 * DAY) });
    await record({ stream: 'affiliate', type: 'refund', amount: 20, persona_id: rich.id, occurred_at: ago(DAY) });
    // modest: a lead this month and one too old to count in the 30-day window.
    await record({ stream: 'lead', amount: 15, persona_id: modest.id, occurred_at: ago(2 * DAY) });
    await record({ stream: 'lead', amount: 500, persona_id: modest.id, occurred_at: ago(40 * DAY) });
    // gone: a subscription that was cancelled, and the persona deleted since.
    const goneSub = id('sub');
    await record({
      stream: 'subscription',
      amount: 9,
      subscription_id: goneSub,
      persona_id: gone.id,
      occurred_at: ago(5 * DAY),
    });
    await record({
      stream: 'subscription',
      type: 'cancellation',
      amount: 0,
      subscription_id: goneSub,
      persona_id: gone.id,
      occurred_at: ago(DAY),
    });
    expect((await t.api(`/v1/personas/${gone.id}`, { method: 'DELETE' })).status).toBe(204);
    // Revenue attributed to no persona.
    await record({ stream: 'affiliate', amount: 7, occurred_at: ago(DAY) });

    const body = await byPersona();
    expect(body.currency).toBe('USD');
    const rowOf = (personaId: string | null) => body.data.find((r) => r.persona_id === personaId);
    expect(rowOf(silent.id)).toBeUndefined();

    const expected = {
      [rich.id]: { slug: rich.slug, deleted: false, events: { subscription: 2, affiliate: 2, lead: 0, total: 4 } },
      [modest.id]: { slug: modest.slug, deleted: false, events: { subscription: 0, affiliate: 0, lead: 2, total: 2 } },
      [gone.id]: { slug: gone.slug, deleted: true, events: { subscription: 2, affiliate: 0, lead: 0, total: 2 } },
    };
    for (const [personaId, want] of Object.entries(expected)) {
      const row = rowOf(personaId)!;
      expect(row).toMatchObject(want);
      if (!want.deleted) {
        const kpis = await kpisOf(personaId);
        expect(row.mrr).toEqual(kpis.revenue_projection_monthly);
        expect(row.active_subscriptions).toBe(kpis.revenue_inputs.active_subscriptions);
      }
    }
    expect(rowOf(rich.id)!.mrr).toEqual({ subscriptions: 40, affiliate: 30, leads: 0, total: 70 });
    expect(rowOf(modest.id)!.mrr.total).toBe(15);
    expect(rowOf(gone.id)!.mrr).toEqual({ subscriptions: 0, affiliate: 0, leads: 0, total: 0 });
    expect(rowOf(gone.id)!.active_subscriptions).toBe(0);
    expect(rowOf(null)!.events.affiliate).toBeGreaterThanOrEqual(1);
    expect(rowOf(null)!.slug).toBeNull();

    // Every persona's rows add up to the product's MRR; highest first.
    const all = await kpisOf();
    const sum = body.data.reduce((s, r) => s + Math.round(r.mrr.total * 100), 0) / 100;
    expect(sum).toBe(all.revenue_projection_monthly.total);
    const totals = body.data.map((r) => r.mrr.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });
});
