import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const id = (prefix: string) => `${prefix}-${randomUUID()}`;

describe.each(DATABASE_KINDS)('revenue events on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false });
  });
  afterAll(() => t?.close());

  const post = (body: unknown) => t.api('/v1/revenue/events', { method: 'POST', body: JSON.stringify(body) });
  /** Revenue attributed to one persona, so tests sharing the database do not see each other's events. */
  const projectionOf = async (personaId: string) =>
    (
      (await (await t.api(`/v1/kpis?persona=${personaId}`)).json()) as {
        revenue_projection_monthly: Record<string, number>;
      }
    ).revenue_projection_monthly;

  it('stores an event with its defaults and answers 201', async () => {
    const persona = await t.createPersona();
    const body = {
      external_id: id('sub'),
      stream: 'subscription',
      amount: 19.99,
      currency: 'USD',
      subscription_id: id('s'),
      persona_id: persona.id,
    };
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      ...body,
      type: 'payment',
      recurring: true,
      billing_period: 'month',
      id: expect.any(String),
      occurred_at: expect.stringMatching(/Z$/),
    });
  });

  it('counts a replayed event once and answers 200 with the stored event, also when replays race', async () => {
    const persona = await t.createPersona();
    const lead = {
      external_id: id('lead'),
      stream: 'lead',
      amount: 100,
      currency: 'USD',
      persona_id: persona.id,
      occurred_at: ago(DAY),
    };
    const first = await post(lead);
    expect(first.status).toBe(201);
    const stored = (await first.json()) as { id: string };
    const replay = await post(lead);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(stored);
    // A replay that leaves occurred_at out ("now") agrees with the stored instant.
    const { occurred_at: _omitted, ...withoutTime } = lead;
    expect((await post(withoutTime)).status).toBe(200);

    const racing = {
      external_id: id('aff'),
      stream: 'affiliate',
      amount: 7.5,
      currency: 'USD',
      persona_id: persona.id,
    };
    const statuses = await Promise.all(Array.from({ length: 6 }, () => post(racing).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const [{ count }] = (await t.deps.db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM revenue_events WHERE external_id = $1',
      [racing.external_id],
    )) as [{ count: number }];
    expect(count).toBe(1);
    expect(await projectionOf(persona.id)).toEqual({ subscriptions: 0, affiliate: 7.5, leads: 100, total: 107.5 });
  });

  it('refuses an external_id replayed with different values, naming the field', async () => {
    const event = { external_id: id('aff'), stream: 'affiliate', amount: 40, currency: 'USD' };
    expect((await post(event)).status).toBe(201);
    const res = await post({ ...event, amount: 45 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).error.message).toMatch(
      new RegExp(`${event.external_id} was already recorded with a different amount`),
    );
    expect((await post({ ...event, type: 'refund' })).status).toBe(422);
  });

  it('follows a subscription through renewal, a yearly plan and cancellation, and nets refunds', async () => {
    const persona = await t.createPersona();
    const base = { currency: 'USD', persona_id: persona.id };
    const monthly = id('s');
    const yearly = id('s');
    for (const body of [
      {
        ...base,
        external_id: id('e'),
        stream: 'subscription',
        subscription_id: monthly,
        amount: 20,
        occurred_at: ago(40 * DAY),
      },
      {
        ...base,
        external_id: id('e'),
        stream: 'subscription',
        subscription_id: monthly,
        amount: 25,
        occurred_at: ago(10 * DAY),
      },
      {
        ...base,
        external_id: id('e'),
        stream: 'subscription',
        subscription_id: yearly,
        amount: 120,
        billing_period: 'year',
        occurred_at: ago(100 * DAY),
      },
      { ...base, external_id: id('e'), stream: 'affiliate', amount: 60, occurred_at: ago(3 * DAY) },
      { ...base, external_id: id('e'), stream: 'affiliate', type: 'refund', amount: 15.25, occurred_at: ago(DAY) },
      { ...base, external_id: id('e'), stream: 'lead', amount: 500, occurred_at: ago(31 * DAY) },
    ]) {
      expect((await post(body)).status).toBe(201);
    }
    expect(await projectionOf(persona.id)).toEqual({ subscriptions: 35, affiliate: 44.75, leads: 0, total: 79.75 });
    const cancel = {
      ...base,
      external_id: id('e'),
      stream: 'subscription',
      type: 'cancellation',
      subscription_id: monthly,
      amount: 0,
      occurred_at: ago(DAY),
    };
    expect((await post(cancel)).status).toBe(201);
    expect(await projectionOf(persona.id)).toEqual({ subscriptions: 10, affiliate: 44.75, leads: 0, total: 54.75 });
  });

  it('refuses invalid events with a message that says what to fix', async () => {
    const ok = { external_id: id('x'), stream: 'lead', amount: 5, currency: 'USD' };
    const cases: [unknown, number, RegExp][] = [
      [{ ...ok, external_id: undefined }, 400, /external_id/],
      [{ ...ok, stream: 'donation' }, 400, /stream/],
      [{ ...ok, amount: -5 }, 400, /refund is type "refund" with a positive amount/],
      [{ ...ok, amount: 1.005 }, 400, /at most 2 decimals/],
      [{ ...ok, amount: '5' }, 400, /amount/],
      [{ ...ok, currency: 'usd' }, 400, /ISO 4217/],
      [{ ...ok, currency: 'EUR' }, 422, /only USD is supported/],
      [{ ...ok, stream: 'subscription' }, 400, /subscription events need a subscription_id/],
      [{ ...ok, stream: 'subscription', subscription_id: 's', recurring: false }, 400, /a subscription recurs/],
      [{ ...ok, billing_period: 'year' }, 400, /only subscription events have a billing_period/],
      [{ ...ok, subscription_id: 's' }, 400, /only subscription events have a subscription_id/],
      [{ ...ok, type: 'cancellation', amount: 0 }, 400, /only a subscription can be cancelled/],
      [
        { ...ok, stream: 'subscription', subscription_id: 's', type: 'cancellation' },
        400,
        /cancellation moves no money/,
      ],
      [{ ...ok, occurred_at: '2026-11-28T10:00:00' }, 400, /with a Z or an offset/],
      [{ ...ok, persona_id: 'ada' }, 400, /persona_id/],
      [{ ...ok, persona_id: randomUUID() }, 422, /persona .* does not exist/],
      [{ ...ok, note: 'hi' }, 400, /note|unrecognized/i],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      const text = await res.text();
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(JSON.parse(text).error.message).toMatch(message);
    }
    expect(
      (await t.deps.db.query('SELECT 1 FROM revenue_events WHERE external_id = $1', [ok.external_id])).length,
    ).toBe(0);
  });
});
