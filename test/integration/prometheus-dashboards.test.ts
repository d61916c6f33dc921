import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/child-process.ts';
import {
  alertNames,
  generateObservedWork,
  readDashboards,
  requireTool,
  startObservedApp,
  startPrometheus,
  type PromRule,
  type RunningPrometheus,
} from '../support/prometheus.ts';

/** What Grafana substitutes before it sends a query (a 1 s scrape keeps every window full). */
function grafanaExpr(expr: string): string {
  const out = expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '10m')
    .replaceAll('$__interval', '15s')
    .replaceAll('${persona:regex}', '.*')
    .replaceAll('$persona', '.*');
  if (out.includes('$')) throw new Error(`a Grafana variable is left in: ${out}`);
  return out;
}

interface PanelQuery {
  where: string;
  panel: string;
  expr: string;
}

function panelQueries(): PanelQuery[] {
  return readDashboards().flatMap((d) =>
    d.panels.flatMap((p) =>
      p.targets.map((t) => ({ where: `${d.title} › ${p.title} › ${t.refId}`, panel: p.title, expr: t.expr })),
    ),
  );
}

describe('dashboards and alert rules against a real Prometheus scraping the product', () => {
  let observed: Awaited<ReturnType<typeof startObservedApp>>;
  let prometheus: RunningPrometheus;
  let historic: { slug: string };

  beforeAll(async () => {
    requireTool('prometheus');
    const [app, prom] = await Promise.allSettled([startObservedApp(), startPrometheus()]);
    if (app.status === 'fulfilled') observed = app.value;
    if (prom.status === 'fulfilled') prometheus = prom.value;
    for (const started of [app, prom]) if (started.status === 'rejected') throw started.reason;
    prometheus.scrape(new URL(observed.t.url).host);
    // Scraped before the work, so counters are seen moving, not only appearing.
    await waitFor(async () => {
      const up = await prometheus.query('up{job="threads-agent"} == 1');
      return up.data.result.length === 1 ? true : undefined;
    }, 15_000);
    ({ historic } = await generateObservedWork(observed.t, observed.sim.url, { pauseMs: 1500 }));
    // A scrape that saw the last of the work, and at least 3 scrapes in all.
    await waitFor(async () => {
      const seen = await Promise.all([
        prometheus.query('max(viral_posts_total{persona="all"}) > 0'),
        prometheus.query('max(queue_jobs{state="dead_letter"}) > 0'),
        prometheus.query('count_over_time(up{job="threads-agent"}[5m]) >= 3'),
        prometheus.query('max(revenue_projection_monthly{stream="total"}) > 0'),
        prometheus.query('sum(posts_published_total{outcome="published"}) > 0'),
      ]);
      return seen.every((r) => r.data.result.length > 0) ? true : undefined;
    }, 15_000);
    // A few more scrapes, so rates over the last steps are there too.
    await new Promise((r) => setTimeout(r, 2500));
  }, 58_000);

  afterAll(async () => {
    await prometheus?.close();
    await observed?.close();
  });

  it('loads every alert rule, and each evaluates without error', async () => {
    const expected = alertNames();
    expect(expected.length).toBeGreaterThanOrEqual(9);
    const rules = await waitFor(async () => {
      const all = (await prometheus.rules()).data.groups.flatMap((g) => g.rules);
      // Every rule evaluated at least once.
      return all.length === expected.length && all.every((r) => r.health !== 'unknown') ? all : undefined;
    }, 10_000);
    expect(rules.map((r) => r.name).sort()).toEqual([...expected].sort());
    for (const rule of rules)
      expect({ rule: rule.name, health: rule.health, error: rule.lastError ?? '' }).toEqual({
        rule: rule.name,
        health: 'ok',
        error: '',
      });
  });

  it('parses every alert expression through the query API', async () => {
    const rules: PromRule[] = (await prometheus.rules()).data.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual(alertNames().sort());
    for (const rule of rules) {
      const res = await prometheus.query(rule.query);
      expect({ alert: rule.name, status: res.status, error: res.error }).toEqual({
        alert: rule.name,
        status: 'success',
        error: undefined,
      });
    }
  });

  it('the work fired the alert it should: DeadLetters is pending or firing', async () => {
    const alerts = await prometheus.query('ALERTS{alertname="DeadLetters"}');
    expect(alerts.data.result.map((r) => r.metric.alertstate)).toEqual(
      expect.arrayContaining([expect.stringMatching(/pending|firing/)]),
    );
  });

  it('returns data for every dashboard panel query', async () => {
    const queries = panelQueries();
    expect(queries.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const q of queries) {
      const res = await prometheus.query(grafanaExpr(q.expr));
      if (res.status !== 'success') {
        problems.push(`${q.where}: does not parse: ${res.error}\n    ${q.expr}`);
        continue;
      }
      if (res.data.result.length === 0) problems.push(`${q.where}: no data\n    ${q.expr}`);
      // A quantile of rates that did not move is NaN: data in name only.
      else if (res.data.result.every((r) => !Number.isFinite(Number(r.value[1]))))
        problems.push(`${q.where}: only NaN/Inf\n    ${q.expr}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('sees, through Prometheus, the KPI values the product computed', async () => {
    const value = async (expr: string) => Number((await prometheus.query(expr)).data.result[0]?.value[1]);
    // (150 + 30 + 10 + 5 + 5) / 2000 on the one seeded post; 250 net new followers.
    const persona = `persona="${historic.slug}"`;
    expect(await value(`max(posts_engagement_rate{${persona}})`)).toBeCloseTo(0.1, 5);
    expect(await value(`max(followers_total{${persona}})`)).toBe(1250);
    expect(await value(`max(viral_posts_total{${persona}})`)).toBe(1);
    expect(await value('max(viral_posts_total{persona="all"})')).toBe(1);
    expect(await value('max(cost_per_follow_dollars{persona="all"})')).toBeGreaterThan(0);
    expect(await value('max(revenue_projection_monthly{stream="total"})')).toBe(49);
    expect(await value('sum(posts_published_total{outcome="published"})')).toBe(1);
    expect(await value('sum(threads_api_requests_total{endpoint="threads_publish",status_code="200"})')).toBe(1);
    expect(await value('sum(llm_cache_requests_total{result="hit"})')).toBeGreaterThan(0);
    expect(await value('max(queue_jobs{state="dead_letter"})')).toBe(1);
  });
});
