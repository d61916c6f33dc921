import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/platform/db/index.ts';
import { histogramP95 } from '../../src/app/http/routes/ops-summary.routes.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const HOUR = 3_600_000;
const unique = () => String(Math.floor(Math.random() * 1e15));

async function publishedPost(db: Queryable, personaId: string, publishedAt: Date) {
  const [post] = await db.query<{ id: string }>(
    `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, published_at, threads_media_id)
     VALUES ($1, 'published', 'question', 'h', 'b', 'h b', $2, $3) RETURNING id`,
    [personaId, publishedAt.toISOString(), unique()],
  );
  return post!.id;
}

const snapshot = (db: Queryable, postId: string, capturedAt: Date, views: number, likes: number) =>
  db.query(
    `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
     VALUES ($1, $2, $3, $4, 0, 0, 0, 0)`,
    [postId, capturedAt.toISOString(), views, likes],
  );

describe('the p95 of a latency histogram', () => {
  it('interpolates inside the bucket that holds the 95th percentile, as histogram_quantile does', () => {
    // 100 requests: 90 under 10 ms, 10 between 10 and 50 ms: rank 95 is half-way into the second bucket.
    expect(
      histogramP95([
        { le: 0.01, count: 90 },
        { le: 0.05, count: 100 },
        { le: Infinity, count: 100 },
      ]),
    ).toBeCloseTo(0.03, 10);
    expect(
      histogramP95([
        { le: 0.01, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNull();
    // Beyond the last finite bucket the best answer is that bucket's bound.
    expect(
      histogramP95([
        { le: 0.5, count: 1 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(0.5);
  });
});

describe.each(DATABASE_KINDS)('what the dashboard reads, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false, env: { LLM_DAILY_BUDGET_USD: '12.5' } });
  });
  afterAll(() => t?.close());

  it('lists published posts with their latest insights, as GET /v1/posts/:id shows them', async () => {
    const persona = await t.createPersona();
    const post = await publishedPost(t.deps.db, persona.id, new Date(Date.now() - 3 * HOUR));
    const unmeasured = await publishedPost(t.deps.db, persona.id, new Date(Date.now() - HOUR));
    await snapshot(t.deps.db, post, new Date(Date.now() - 2 * HOUR), 100, 4);
    await snapshot(t.deps.db, post, new Date(Date.now() - HOUR), 400, 30);

    const page = (await (await t.api(`/v1/posts?persona_id=${persona.id}`)).json()) as {
      data: { id: string; insights: unknown }[];
    };
    const listed = Object.fromEntries(page.data.map((p) => [p.id, p.insights]));
    const single = (await (await t.api(`/v1/posts/${post}`)).json()) as { insights: unknown };
    expect(listed[post]).toEqual(single.insights);
    expect(listed[post]).toMatchObject({ views: 400, likes: 30, interactions: 30, engagement_rate: 0.075 });
    expect(listed[unmeasured]).toBeNull();
  });

  it('gives KPI history at evenly spaced instants, the last one equal to GET /v1/kpis', async () => {
    const persona = await t.createPersona();
    const post = await publishedPost(t.deps.db, persona.id, new Date(Date.now() - 30 * HOUR));
    await snapshot(t.deps.db, post, new Date(Date.now() - 2 * HOUR), 1000, 80);

    const history = (await (await t.api(`/v1/kpis/history?persona=${persona.slug}&window=2d&points=5`)).json()) as {
      window_days: number;
      points: { as_of: string; engagement_rate: number | null; viral_posts_total: number }[];
    };
    expect(history.window_days).toBe(2);
    expect(history.points).toHaveLength(5);
    const times = history.points.map((p) => Date.parse(p.as_of));
    expect(times[4]! - times[0]!).toBe(2 * 24 * HOUR);
    expect(times[1]! - times[0]!).toBe(12 * HOUR);
    // Before the snapshot the persona had no views, so no engagement rate; at the end it has one.
    expect(history.points[0]!.engagement_rate).toBeNull();
    const now = (await (await t.api(`/v1/kpis?persona=${persona.slug}&window=2d`)).json()) as {
      kpis: { engagement: { rate: number } };
    };
    expect(history.points[4]!.engagement_rate).toBe(now.kpis.engagement.rate);
    expect(now.kpis.engagement.rate).toBe(0.08);

    const bad = await t.api('/v1/kpis/history?window=2w&points=1');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/window|points/);
  });

  it('sums up technical health: queue depth, dead letters, spend today against the budget, breakers, p95', async () => {
    const persona = await t.createPersona();
    await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) });
    await t.deps.db.query(
      `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome, created_at)
       VALUES ('openai-compatible', 'gpt-4o', 'hook', $1, 0.25, 1, 'ok', now())`,
      [persona.id],
    );
    // The gauge every breaker reports to: 1 is half-open.
    t.deps.metrics.circuitBreakerState.set({ dependency: 'test-dependency' }, 1);
    const summary = (await (await t.api('/v1/ops/summary')).json()) as {
      queues: { queue: string; waiting: number; dead_letter: number }[];
      breakers: unknown[];
      spend_today: { usd: number; budget_usd: number | null };
      http: { p95_seconds: number | null; requests: number };
    };
    // No worker runs here, so the task's job waits.
    expect(summary.queues.find((q) => q.queue === 'generate-posts')?.waiting).toBeGreaterThanOrEqual(1);
    expect(summary.queues.every((q) => q.dead_letter === 0)).toBe(true);
    const today = new Date(new Date().toISOString().slice(0, 10)).toISOString();
    const costs = (await (await t.api(`/v1/costs?from=${today}`)).json()) as { total: { cost_usd: number } };
    expect(summary.spend_today).toEqual({ usd: costs.total.cost_usd, budget_usd: 12.5 });
    expect(summary.spend_today.usd).toBeGreaterThanOrEqual(0.25);
    expect(summary.breakers).toEqual(expect.arrayContaining([{ dependency: 'test-dependency', state: 'half_open' }]));
    expect(summary.http.requests).toBeGreaterThan(0);
    expect(summary.http.p95_seconds).toBeGreaterThan(0);
    expect((await fetch(`${t.url}/v1/ops/summary`)).status).toBe(401);
  });

  it('lists revenue events newest first, page by page', async () => {
    const ids = [`rev-${unique()}`, `rev-${unique()}`, `rev-${unique()}`];
    for (const external_id of ids) {
      const r = await t.api('/v1/revenue/events', {
        method: 'POST',
        body: JSON.stringify({ external_id, stream: 'affiliate', amount: 5, currency: 'USD' }),
      });
      expect(r.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/revenue/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await t.api(url)).json()) as { data: { external_id: string }[]; next_cursor: string | null };
      seen.push(...page.data.map((e) => e.external_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    const bad = await t.api('/v1/revenue/events?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('cursor is not valid');
  });

  it('serves the built dashboard at / beside the API, which keeps its own answers', async () => {
    const index = await fetch(`${t.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    const html = await index.text();
    expect(html).toContain('threads-agent');
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)![0];
    const js = await fetch(`${t.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');

    const bare = await fetch(`${t.url}/personas?id=x`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/personas/?id=x');
    expect((await fetch(`${t.url}/personas/`)).headers.get('content-type')).toContain('text/html');

    const unknownPage = await fetch(`${t.url}/no-such-page`);
    expect(unknownPage.status).toBe(404);
    expect(await unknownPage.text()).toContain('Page not found');
    const unknownApi = await fetch(`${t.url}/v1/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toEqual({
      error: { code: 'not_found', message: 'no route GET /v1/no-such-route' },
    });
    expect((await fetch(`${t.url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/%2e%2e/package.json`)).status).toBe(404);

    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect((await fetch(`${t.url}/docs/json`)).status).toBe(200);
    expect((await fetch(`${t.url}/metrics`)).headers.get('content-type')).toContain('text/plain');
    expect((await fetch(`${t.url}/v1/personas`)).status).toBe(401);
  });
});
