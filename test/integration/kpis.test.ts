import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../src/app/create-deps.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Queryable } from '../../src/db/database.ts';
import { refreshKpiMetrics } from '../../src/kpis/kpi-metrics.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function publishedPost(db: Queryable, persona: Persona, publishedAgo: number, snapshots: [number, number, number][]) {
  const [post] = await db.query<{ id: string }>(
    `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, published_at, threads_media_id)
     VALUES ($1, 'published', 'question', 'h', 'b', 'h b', $2, $3) RETURNING id`,
    [persona.id, ago(publishedAgo), String(Math.floor(Math.random() * 1e15))],
  );
  for (const [capturedAgo, views, interactions] of snapshots) {
    await db.query(
      `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
       VALUES ($1, $2, $3, $4, $5, 0, 0, 0)`,
      [post!.id, ago(capturedAgo), views, interactions - Math.floor(interactions / 5), Math.floor(interactions / 5)],
    );
  }
}

async function account(db: Queryable, persona: Persona, counts: [number, number][]) {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO threads_accounts (persona_id, threads_user_id, access_token_encrypted) VALUES ($1, $2, 'x') RETURNING id`,
    [persona.id, String(Math.floor(Math.random() * 1e15))],
  );
  for (const [capturedAgo, followers] of counts) {
    const at = ago(capturedAgo);
    await db.query(
      `INSERT INTO follower_snapshots (account_id, persona_id, captured_on, captured_at, followers_count)
       VALUES ($1, $2, ($3::timestamptz AT TIME ZONE 'UTC')::date, $3, $4)`,
      [row!.id, persona.id, at, followers],
    );
  }
}

const spend = (db: Queryable, persona: Persona, usd: number, when: number) =>
  db.query(
    `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome, created_at)
     VALUES ('openai-compatible', 'gpt-4o', 'hook', $1, $2, 1, 'ok', $3)`,
    [persona.id, usd, ago(when)],
  );

function gauge(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe.each(DATABASE_KINDS)('business KPIs on %s', (kind) => {
  let t: TestApp;
  let a: Persona;
  let b: Persona;
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false });
  });
  afterAll(() => t?.close());

  it('reports zeros and absences, not errors, while nothing is published', async () => {
    await t.createPersona();
    const res = await t.api('/v1/kpis');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kpis: Record<string, any>; revenue_projection_monthly: Record<string, number> };
    expect(body.kpis.engagement).toMatchObject({ rate: null, views: 0, posts: 0 });
    expect(body.kpis.cost_per_follow.dollars).toBeNull();
    expect(body.kpis.followers_total).toBeNull();
    expect(body.revenue_projection_monthly.total).toBe(0);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).not.toMatch(/^posts_engagement_rate\{/m);
    expect(metrics).not.toMatch(/^cost_per_follow_dollars\{/m);
    expect(gauge(metrics, 'revenue_projection_monthly', 'stream="total"')).toBe(0);
  });

  it('computes each KPI from the stored data, the same in the API and the gauges', async () => {
    await t.deps.db.query('UPDATE personas SET deleted_at = now()');
    a = await t.createPersona();
    b = await t.createPersona();
    const db = t.deps.db;
    await publishedPost(db, a, 2 * DAY, [[DAY, 500, 25], [HOUR, 1000, 70]]);
    await publishedPost(db, a, 3 * DAY, [[2 * DAY, 200, 30]]);
    await publishedPost(db, a, 10 * DAY, [[9 * DAY, 5000, 1000]]);
    await publishedPost(db, b, DAY, [[HOUR, 0, 0]]);
    await account(db, a, [[40 * DAY, 1000], [20 * DAY, 1100], [HOUR, 1300]]);
    await account(db, b, [[5 * DAY, 50], [HOUR, 50]]);
    await spend(db, a, 1.5, 10 * DAY);
    await spend(db, a, 0.3, 40 * DAY);
    await spend(db, b, 0.2, DAY);

    const post = (body: unknown) => t.api('/v1/revenue/events', { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ external_id: 'sub-1', stream: 'subscription', amount: 29, currency: 'USD', recurring: true, subscription_id: 's1' })).status).toBe(201);
    expect((await post({ external_id: 'aff-1', stream: 'affiliate', amount: 40, currency: 'USD', persona_id: a.id })).status).toBe(201);
    expect((await post({ external_id: 'aff-1-refund', stream: 'affiliate', type: 'refund', amount: 10, currency: 'USD' })).status).toBe(201);
    const lead = { external_id: 'lead-1', stream: 'lead', amount: 100, currency: 'USD', persona_id: a.id };
    expect((await post(lead)).status).toBe(201);
    const replay = await post(lead);
    expect(replay.status).toBe(200);

    const overall = (await (await t.api('/v1/kpis')).json()) as { kpis: any; revenue_projection_monthly: any };
    // A: (70 + 30) / (1000 + 200) over the last 7 days; B's post has no views yet.
    expect(overall.kpis.engagement).toMatchObject({ posts: 3, views: 1200, interactions: 100 });
    expect(overall.kpis.engagement.rate).toBeCloseTo(100 / 1200, 10);
    // Net new followers: A 1300 − 1000 (last count before the window), B 50 − 50.
    expect(overall.kpis.cost_per_follow).toMatchObject({ net_new_followers: 300, followers_end: 1350 });
    expect(overall.kpis.cost_per_follow.spend_usd).toBeCloseTo(1.7, 10);
    expect(overall.kpis.cost_per_follow.dollars).toBeCloseTo(1.7 / 300, 10);
    expect(overall.kpis.followers_total).toBe(1350);
    expect(overall.kpis.viral_posts_total).toBe(2);
    expect(overall.revenue_projection_monthly).toEqual({ subscriptions: 29, affiliate: 30, leads: 100, total: 159 });

    const ofA = (await (await t.api(`/v1/kpis?persona=${a.slug}`)).json()) as { kpis: any };
    expect(ofA.kpis.cost_per_follow.dollars).toBeCloseTo(1.5 / 300, 10);
    const ofB = (await (await t.api(`/v1/kpis?persona=${b.id}`)).json()) as { kpis: any };
    expect(ofB.kpis.engagement.rate).toBeNull();
    expect(ofB.kpis.cost_per_follow.dollars).toBeNull();
    const wide = (await (await t.api(`/v1/kpis?persona=${a.slug}&window=14d`)).json()) as { kpis: any };
    expect(wide.kpis.engagement).toMatchObject({ window_days: 14, posts: 3, views: 6200, interactions: 1100 });

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(gauge(metrics, 'posts_engagement_rate', 'persona="all"')).toBeCloseTo(100 / 1200, 10);
    expect(gauge(metrics, 'posts_engagement_rate', `persona="${b.slug}"`)).toBeUndefined();
    expect(gauge(metrics, 'cost_per_follow_dollars', `persona="${a.slug}"`)).toBeCloseTo(0.005, 10);
    expect(gauge(metrics, 'cost_per_follow_dollars', `persona="${b.slug}"`)).toBeUndefined();
    expect(gauge(metrics, 'followers_total', `persona="${b.slug}"`)).toBe(50);
    expect(gauge(metrics, 'viral_posts_total', `persona="${a.slug}"`)).toBe(2);
    expect(gauge(metrics, 'revenue_projection_monthly', 'stream="total"')).toBe(159);
    expect(gauge(metrics, 'revenue_projection_monthly', 'stream="subscriptions"')).toBe(29);

    // A fresh process over the same database reports the same numbers.
    const again = await createDeps(loadConfig({ LOG_LEVEL: 'silent' }), { db: t.deps.db, logger: pino({ level: 'silent' }) });
    await refreshKpiMetrics(again);
    await again.queue.stop(1000);
    const fresh = await again.metrics.registry.metrics();
    for (const [name, labels] of [
      ['posts_engagement_rate', 'persona="all"'],
      ['cost_per_follow_dollars', `persona="${a.slug}"`],
      ['viral_posts_total', `persona="${a.slug}"`],
      ['revenue_projection_monthly', 'stream="total"'],
    ] as const) {
      expect(gauge(fresh, name, labels)).toBe(gauge(metrics, name, labels));
    }
  });

  it('refuses bad revenue events and KPI queries with clear messages', async () => {
    const post = (body: unknown) => t.api('/v1/revenue/events', { method: 'POST', body: JSON.stringify(body) });
    const euro = await post({ external_id: 'eur-1', stream: 'lead', amount: 5, currency: 'EUR' });
    expect(euro.status).toBe(422);
    expect(((await euro.json()) as any).error.message).toMatch(/only USD/);
    const noSub = await post({ external_id: 's-x', stream: 'subscription', amount: 5, currency: 'USD', recurring: true });
    expect(noSub.status).toBe(400);
    expect(((await noSub.json()) as any).error.message).toMatch(/subscription_id/);
    expect((await post({ external_id: 'neg', stream: 'lead', amount: -5, currency: 'USD' })).status).toBe(400);
    expect((await post({ external_id: 'p', stream: 'lead', amount: 5, currency: 'USD', persona_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(422);
    expect((await t.api('/v1/kpis?window=week')).status).toBe(400);
    expect((await t.api('/v1/kpis?persona=nobody')).status).toBe(404);
  });
});
