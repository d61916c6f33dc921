import pg from 'pg';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeps } from '../../src/app/create-deps.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Queryable } from '../../src/platform/db/database.ts';
import { refreshKpiMetrics } from '../../src/kpis/kpi-metrics.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind } from '../support/test-database.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const unique = () => String(Math.floor(Math.random() * 1e15));

/** The instant written as a local time `offsetMinutes` from UTC, e.g. 2026-11-21T17:30:00+05:30. */
function localIso(at: Date, offsetMinutes: number): string {
  const clock = new Date(at.getTime() + offsetMinutes * MINUTE).toISOString().slice(0, 23);
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${clock}${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

async function publishedPost(db: Queryable, persona: Persona, publishedAt: Date | string) {
  const [post] = await db.query<{ id: string }>(
    `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, published_at, threads_media_id)
     VALUES ($1, 'published', 'question', 'h', 'b', 'h b', $2, $3) RETURNING id`,
    [persona.id, publishedAt instanceof Date ? publishedAt.toISOString() : publishedAt, unique()],
  );
  return post!.id;
}

/** Lifetime totals at `capturedAt`; the interactions are spread over likes and replies. */
async function snapshot(db: Queryable, postId: string, capturedAt: Date | string, views: number, interactions: number) {
  await db.query(
    `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
     VALUES ($1, $2, $3, $4, $5, 0, 0, 0)`,
    [
      postId,
      capturedAt instanceof Date ? capturedAt.toISOString() : capturedAt,
      views,
      interactions - Math.floor(interactions / 5),
      Math.floor(interactions / 5),
    ],
  );
}

async function account(db: Queryable, persona: Persona, counts: [Date | string, number][]) {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO threads_accounts (persona_id, threads_user_id, access_token_encrypted) VALUES ($1, $2, 'x') RETURNING id`,
    [persona.id, unique()],
  );
  for (const [at, followers] of counts) {
    await db.query(
      `INSERT INTO follower_snapshots (account_id, persona_id, captured_on, captured_at, followers_count,
                                       first_captured_at, first_followers_count)
       VALUES ($1, $2, ($3::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $3, $4)`,
      [row!.id, persona.id, at instanceof Date ? at.toISOString() : at, followers],
    );
  }
}

const spend = (db: Queryable, persona: Persona | null, usd: number, at: Date | string) =>
  db.query(
    `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome, created_at)
     VALUES ('openai-compatible', 'gpt-4o', 'hook', $1, $2, 1, 'ok', $3)`,
    [persona?.id ?? null, usd, at instanceof Date ? at.toISOString() : at],
  );

const KPI_METRICS = [
  'posts_engagement_rate',
  'cost_per_follow_dollars',
  'followers_total',
  'viral_posts_total',
  'revenue_projection_monthly',
];

const scrape = async (t: TestApp) => (await fetch(`${t.url}/metrics`)).text();
const kpiLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => KPI_METRICS.some((m) => l.startsWith(`${m}{`)))
    .sort();

function gauge(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function kpis(t: TestApp, query = ''): Promise<any> {
  const res = await t.api(`/v1/kpis${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** The gauges of `persona` (a slug or "all") must show what /v1/kpis answers for it, absent where it says null. */
async function expectGaugesToMatchApi(t: TestApp, metrics: string, persona: string) {
  const { kpis: k } = await kpis(t, `?persona=${persona}`);
  const labels = `persona="${persona}"`;
  expect(gauge(metrics, 'posts_engagement_rate', labels)).toBe(k.engagement.rate ?? undefined);
  expect(gauge(metrics, 'cost_per_follow_dollars', labels)).toBe(k.cost_per_follow.dollars ?? undefined);
  expect(gauge(metrics, 'followers_total', labels)).toBe(k.followers_total ?? undefined);
  expect(gauge(metrics, 'viral_posts_total', labels)).toBe(k.viral_posts_total);
}

const postRevenue = (t: TestApp, body: unknown) =>
  t.api('/v1/revenue/events', { method: 'POST', body: JSON.stringify(body) });

describe.each(DATABASE_KINDS)('business KPIs on %s', (kind: DatabaseKind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('reports zeros and absences, not errors, while the Threads and revenue tables are empty', async () => {
    t = await startTestApp(kind, { worker: false });
    const persona = await t.createPersona();
    for (const query of ['', `?persona=${persona.slug}`, '?window=30d']) {
      const body = await kpis(t, query);
      expect(body.kpis.engagement).toMatchObject({ rate: null, posts: 0, views: 0, interactions: 0 });
      expect(body.kpis.cost_per_follow).toMatchObject({
        dollars: null,
        spend_usd: 0,
        followers_start: null,
        net_new_followers: null,
      });
      expect(body.kpis).toMatchObject({ followers_total: null, viral_posts_total: 0 });
      expect(body.revenue_projection_monthly).toEqual({ subscriptions: 0, affiliate: 0, leads: 0, total: 0 });
    }
    const metrics = await scrape(t);
    expect(metrics).not.toMatch(/^(posts_engagement_rate|cost_per_follow_dollars|followers_total)\{/m);
    expect(gauge(metrics, 'viral_posts_total', 'persona="all"')).toBe(0);
    expect(gauge(metrics, 'viral_posts_total', `persona="${persona.slug}"`)).toBe(0);
    for (const stream of ['subscriptions', 'affiliate', 'leads', 'total']) {
      expect(gauge(metrics, 'revenue_projection_monthly', `stream="${stream}"`)).toBe(0);
    }
  });

  it('computes each KPI from stored rows, shows the same numbers as the gauges, and after a restart', async () => {
    t = await startTestApp(kind, { worker: false });
    const db = t.deps.db;
    const [a, b, idle] = [await t.createPersona(), await t.createPersona(), await t.createPersona()];
    const a1 = await publishedPost(db, a, ago(2 * DAY));
    await snapshot(db, a1, ago(DAY), 500, 25);
    await snapshot(db, a1, ago(HOUR), 1000, 70); // latest: 7 %
    const a2 = await publishedPost(db, a, ago(3 * DAY));
    await snapshot(db, a2, ago(2 * DAY), 200, 30); // 15 % with 200 views: viral
    const a3 = await publishedPost(db, a, ago(10 * DAY));
    await snapshot(db, a3, ago(9 * DAY), 5000, 1000); // viral, but outside the 7-day window
    await db.query(
      `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text) VALUES ($1, 'draft', 'question', 'h', 'b', 'h b')`,
      [a.id],
    );
    const b1 = await publishedPost(db, b, ago(DAY));
    await snapshot(db, b1, ago(HOUR), 0, 0);
    await account(db, a, [
      [ago(40 * DAY), 1000],
      [ago(20 * DAY), 1100],
      [ago(HOUR), 1300],
    ]);
    await account(db, b, [
      [ago(5 * DAY), 50],
      [ago(HOUR), 50],
    ]);
    await spend(db, a, 1.5, ago(10 * DAY));
    await spend(db, a, 0.3, ago(40 * DAY));
    await spend(db, b, 0.2, ago(DAY));
    await spend(db, null, 5, ago(DAY)); // not attributed to a persona

    expect(
      (
        await postRevenue(t, {
          external_id: 'sub-1',
          stream: 'subscription',
          amount: 29,
          currency: 'USD',
          subscription_id: 's1',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await postRevenue(t, {
          external_id: 'aff-1',
          stream: 'affiliate',
          amount: 40,
          currency: 'USD',
          persona_id: a.id,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await postRevenue(t, {
          external_id: 'aff-1-refund',
          stream: 'affiliate',
          type: 'refund',
          amount: 10,
          currency: 'USD',
        })
      ).status,
    ).toBe(201);
    const lead = { external_id: 'lead-1', stream: 'lead', amount: 100, currency: 'USD', persona_id: a.id };
    expect((await postRevenue(t, lead)).status).toBe(201);
    expect((await postRevenue(t, lead)).status).toBe(200);

    const overall = await kpis(t);
    // A: (70 + 30) / (1000 + 200) over the last 7 days; B's post has no views yet; the draft never went out.
    expect(overall.kpis.engagement).toMatchObject({ window_days: 7, posts: 3, views: 1200, interactions: 100 });
    expect(overall.kpis.engagement.rate).toBeCloseTo(100 / 1200, 12);
    // A: 1300 − 1000 (its last count before the window); B: 50 − 50 (its first count, 5 days ago).
    expect(overall.kpis.cost_per_follow).toMatchObject({
      window_days: 30,
      followers_start: 1050,
      followers_end: 1350,
      net_new_followers: 300,
    });
    expect(overall.kpis.cost_per_follow.spend_usd).toBeCloseTo(1.7, 12);
    expect(overall.kpis.cost_per_follow.dollars).toBeCloseTo(1.7 / 300, 12);
    expect(overall.kpis).toMatchObject({ followers_total: 1350, viral_posts_total: 2 });
    expect(overall.revenue_projection_monthly).toEqual({ subscriptions: 29, affiliate: 30, leads: 100, total: 159 });
    expect(overall.revenue_inputs).toMatchObject({
      currency: 'USD',
      active_subscriptions: 1,
      affiliate: { payments: 40, refunds: 10 },
    });

    const ofA = await kpis(t, `?persona=${a.slug}`);
    expect(ofA.kpis.cost_per_follow.dollars).toBeCloseTo(1.5 / 300, 12);
    expect(ofA.revenue_projection_monthly).toEqual({ subscriptions: 0, affiliate: 40, leads: 100, total: 140 });
    const ofB = await kpis(t, `?persona=${b.id}`);
    expect(ofB.kpis).toMatchObject({
      engagement: { rate: null, posts: 1, views: 0 },
      cost_per_follow: { dollars: null, net_new_followers: 0 },
    });
    const wide = await kpis(t, `?persona=${a.slug}&window=14d`);
    expect(wide.kpis.engagement).toMatchObject({ window_days: 14, posts: 3, views: 6200, interactions: 1100 });
    // Over 14 days the baseline is the count of 20 days ago: 1300 − 1100.
    expect(wide.kpis.cost_per_follow).toMatchObject({ window_days: 14, spend_usd: 1.5, net_new_followers: 200 });
    expect(wide.kpis.cost_per_follow.dollars).toBeCloseTo(1.5 / 200, 12);

    const metrics = await scrape(t);
    for (const persona of ['all', a.slug, b.slug, idle.slug]) await expectGaugesToMatchApi(t, metrics, persona);
    expect(gauge(metrics, 'cost_per_follow_dollars', `persona="${a.slug}"`)).toBeCloseTo(0.005, 12);
    expect(gauge(metrics, 'posts_engagement_rate', `persona="${b.slug}"`)).toBeUndefined();
    expect(gauge(metrics, 'followers_total', `persona="${b.slug}"`)).toBe(50);
    for (const [stream, value] of Object.entries(overall.revenue_projection_monthly)) {
      expect(gauge(metrics, 'revenue_projection_monthly', `stream="${stream}"`)).toBe(value);
    }

    // A new process over the same database (nothing carried in memory) reports the same series.
    const again = await createDeps(loadConfig({ LOG_LEVEL: 'silent' }), {
      db: t.deps.db,
      logger: pino({ level: 'silent' }),
    });
    try {
      await refreshKpiMetrics(again);
      expect(kpiLines(await again.metrics.registry.metrics())).toEqual(kpiLines(metrics));
    } finally {
      await again.queue.stop(1000);
    }
  });

  it('counts a post viral once, at its first crossing of 10 % with at least 100 views', async () => {
    t = await startTestApp(kind, { worker: false });
    const db = t.deps.db;
    const [v, gone] = [await t.createPersona(), await t.createPersona()];
    const once = await publishedPost(db, v, ago(DAY));
    await snapshot(db, once, ago(5 * HOUR), 50, 40); // 80 % but under 100 views
    const crossing = ago(4 * HOUR);
    await snapshot(db, once, crossing, 100, 10); // exactly 10 % with exactly 100 views: the crossing
    await snapshot(db, once, ago(3 * HOUR), 1000, 50); // falls back under
    await snapshot(db, once, ago(2 * HOUR), 2000, 400); // and crosses again: still one viral post
    const never = await publishedPost(db, v, ago(DAY));
    await snapshot(db, never, ago(3 * HOUR), 99, 50);
    await snapshot(db, never, ago(2 * HOUR), 1000, 99);
    const late = await publishedPost(db, v, ago(DAY));
    await snapshot(db, late, ago(HOUR), 500, 100);
    const earlier = ago(6 * HOUR);
    await snapshot(db, late, earlier, 300, 30); // stored late, captured earlier: the first crossing
    const updated = await publishedPost(db, v, ago(DAY));
    await snapshot(db, updated, ago(HOUR), 1000, 10);
    await db.query('UPDATE post_insight_snapshots SET likes = 200 WHERE post_id = $1', [updated]);
    const huge = await publishedPost(db, v, ago(DAY));
    await db.query(
      `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
       VALUES ($1, $2, 2000000000, 1000000000, 0, 0, 0, 0)`,
      [huge, ago(HOUR).toISOString()],
    );
    const deleted = await publishedPost(db, gone, ago(DAY));
    await snapshot(db, deleted, ago(HOUR), 100, 50);
    expect((await t.api(`/v1/personas/${gone.id}`, { method: 'DELETE' })).status).toBe(204);

    const crossings = await db.query<{ post_id: string; crossed_at: Date | string }>(
      'SELECT post_id, crossed_at FROM viral_crossings',
    );
    const crossedAt = (id: string) => crossings.find((c) => c.post_id === id)?.crossed_at;
    expect(crossings).toHaveLength(5);
    expect(new Date(crossedAt(once)!).getTime()).toBe(crossing.getTime());
    expect(new Date(crossedAt(late)!).getTime()).toBe(earlier.getTime());
    expect(crossedAt(never)).toBeUndefined();

    const metrics = await scrape(t);
    expect(gauge(metrics, 'viral_posts_total', `persona="${v.slug}"`)).toBe(4);
    // A deleted persona's series goes away, but the overall counter never goes back.
    expect(gauge(metrics, 'viral_posts_total', `persona="${gone.slug}"`)).toBeUndefined();
    expect(gauge(metrics, 'viral_posts_total', 'persona="all"')).toBe(5);
    expect(metrics).toMatch(/^# TYPE viral_posts_total counter$/m);
    expect((await kpis(t)).kpis.viral_posts_total).toBe(5);
    expect((await kpis(t, `?persona=${v.slug}`)).kpis.viral_posts_total).toBe(4);
  });

  it("windows by UTC instant, whatever the offset of a timestamp or the database session's time zone", async () => {
    // A session zone far from UTC: day and hour arithmetic done in it instead of UTC would shift the windows.
    // PGlite is one session; a server's pool opens new ones, so its database gets the zone before the first.
    const own = kind === 'postgres' ? await createTestDatabase(kind) : undefined;
    if (own) {
      const admin = new pg.Client({ connectionString: own.url });
      await admin.connect();
      await admin.query(
        `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'Pacific/Kiritimati'); END $$`,
      );
      await admin.end();
    }
    try {
      t = await startTestApp(kind, { worker: false, overrides: own && { db: own.db } });
      const db = t.deps.db;
      if (!own) await db.exec(`SET TIME ZONE 'Pacific/Kiritimati'`);
      expect((await db.query<{ TimeZone: string }>('SHOW TIME ZONE'))[0]).toEqual({ TimeZone: 'Pacific/Kiritimati' });
      const persona = await t.createPersona();
      const weekStart = ago(7 * DAY);
      const inside = await publishedPost(db, persona, localIso(new Date(weekStart.getTime() + 10 * MINUTE), -8 * 60));
      await snapshot(db, inside, ago(HOUR), 100, 5);
      const outside = await publishedPost(
        db,
        persona,
        localIso(new Date(weekStart.getTime() - 10 * MINUTE), 5 * 60 + 45),
      );
      await snapshot(db, outside, ago(HOUR), 1000, 900);
      const monthStart = ago(30 * DAY);
      const shifted = (ms: number, offsetMinutes: number) =>
        localIso(new Date(monthStart.getTime() + ms), offsetMinutes);
      // One capture per UTC day: each account has one capture near the start, on either side of it.
      await account(db, persona, [
        [shifted(-2 * DAY, 0), 80],
        [shifted(-10 * MINUTE, 14 * 60), 100], // before the start (its local clock reads later): the baseline
        [ago(HOUR), 200],
      ]);
      const late = await t.createPersona();
      await account(db, late, [
        [shifted(-2 * DAY, 0), 120], // the baseline
        [shifted(10 * MINUTE, -11 * 60), 150], // inside (its local clock reads earlier)
        [ago(HOUR), 200],
      ]);
      await spend(db, persona, 4, shifted(-10 * MINUTE, -11 * 60));
      await spend(db, persona, 1, shifted(10 * MINUTE, 14 * 60));

      const { kpis: k } = await kpis(t, `?persona=${persona.slug}`);
      expect(k.engagement).toMatchObject({ posts: 1, views: 100, interactions: 5, rate: 0.05 });
      expect(k.cost_per_follow).toMatchObject({
        followers_start: 100,
        followers_end: 200,
        net_new_followers: 100,
        spend_usd: 1,
        dollars: 0.01,
      });
      expect(Date.parse(k.engagement.to) - Date.parse(k.engagement.from)).toBe(7 * DAY);
      expect(k.engagement.from).toMatch(/Z$/);
      expect((await kpis(t, `?persona=${late.slug}`)).kpis.cost_per_follow).toMatchObject({
        followers_start: 120,
        net_new_followers: 80,
      });
      await expectGaugesToMatchApi(t, await scrape(t), persona.slug);
    } finally {
      await own?.drop();
    }
  });

  it('refuses bad KPI queries with clear messages', async () => {
    t = await startTestApp(kind, { worker: false });
    const bad = async (query: string, status: number, message: RegExp) => {
      const res = await t!.api(`/v1/kpis${query}`);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    };
    await bad('?window=week', 400, /number of days such as 7d/);
    await bad('?window=0d', 400, /number of days/);
    await bad('?window=1000d', 400, /number of days/);
    await bad('?persona=nobody', 404, /persona nobody does not exist/);
    await bad('?from=yesterday', 400, /querystring/);
    const persona = await t.createPersona();
    await t.api(`/v1/personas/${persona.id}`, { method: 'DELETE' });
    await bad(`?persona=${persona.slug}`, 404, /does not exist/);
    expect((await kpis(t, '?persona=all')).kpis.persona).toBe('all');
  });
});
