'use client';
import { useState } from 'react';
import { Status } from '../components/Status.tsx';
import { Trend } from '../components/Trend.tsx';
import { count, dollars, percent, when } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import type { KpiPoint, Kpis, OpsSummary } from '../lib/types.ts';
import { useLoad } from '../lib/use-load.ts';

const WINDOWS = ['7d', '14d', '30d'];

interface CardProps {
  id: string;
  title: string;
  value: number | null;
  format: (x: number) => string;
  target?: { value: number; text: string; higherIsBetter: boolean };
  inputs: string[];
  trend?: { at: string; value: number | null }[];
}

function KpiCard({ id, title, value, format, target, inputs, trend }: CardProps) {
  const met = value === null || !target ? null : target.higherIsBetter ? value >= target.value : value <= target.value;
  return (
    <section
      className="card"
      data-kpi={id}
      data-value={value === null ? 'null' : String(value)}
      aria-labelledby={`kpi-${id}`}
    >
      <h3 id={`kpi-${id}`}>{title}</h3>
      <div className={`value ${met === null ? '' : met ? 'good' : 'bad'}`} data-testid="kpi-value">
        {value === null ? <span className="muted">no data yet</span> : format(value)}
      </div>
      {target && (
        <div className="target">
          target {target.text}
          {met !== null && (met ? ' · met' : ' · not met')}
        </div>
      )}
      {trend && <Trend points={trend} label={title} format={format} />}
      <ul className="inputs">
        {inputs.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

function Health({ ops }: { ops: OpsSummary }) {
  const waiting = ops.queues.reduce((sum, q) => sum + q.waiting, 0);
  const dead = ops.queues.reduce((sum, q) => sum + q.dead_letter, 0);
  const budget = ops.spend_today.budget_usd;
  return (
    <div className="grid">
      <section className="card" aria-labelledby="h-queue">
        <h3 id="h-queue">Queue</h3>
        <div className="value" data-testid="queue-waiting">
          {count(waiting)} waiting
        </div>
        <div className={dead > 0 ? 'bad' : 'target'}>{count(dead)} dead letters</div>
        <ul className="inputs">
          {ops.queues
            .filter((q) => q.waiting + q.active + q.failed + q.dead_letter > 0)
            .map((q) => (
              <li key={q.queue}>
                {q.queue}: {q.waiting} waiting, {q.active} active, {q.dead_letter} dead
              </li>
            ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="h-spend">
        <h3 id="h-spend">Model spend today</h3>
        <div className="value">{dollars(ops.spend_today.usd, 4)}</div>
        <div className="target">
          {budget === null
            ? 'no global daily budget set (LLM_DAILY_BUDGET_USD)'
            : `of ${dollars(budget)} budget (${percent(ops.spend_today.usd / budget)})`}
        </div>
      </section>
      <section className="card" aria-labelledby="h-breaker">
        <h3 id="h-breaker">Circuit breakers</h3>
        {ops.breakers.length === 0 ? (
          <div className="target">none in this process: the workers run apart (see their /metrics)</div>
        ) : (
          ops.breakers.map((b) => (
            <div key={b.dependency}>
              <span className={b.state === 'closed' ? 'value good' : 'value bad'}>{b.state.replace('_', '-')}</span>
              <div className="target">{b.dependency}</div>
            </div>
          ))
        )}
      </section>
      <section className="card" aria-labelledby="h-latency">
        <h3 id="h-latency">API latency p95</h3>
        <div className="value">
          {ops.http.p95_seconds === null ? (
            <span className="muted">no data yet</span>
          ) : (
            `${Math.round(ops.http.p95_seconds * 1000)} ms`
          )}
        </div>
        <div className="target">over {count(ops.http.requests)} requests since start</div>
      </section>
    </div>
  );
}

export default function Overview() {
  const { api } = useSession();
  const [window, setWindow] = useState('7d');
  const kpis = useLoad((signal) => api<Kpis>(`/v1/kpis?window=${window}`, { signal }), [window]);
  const history = useLoad(
    (signal) => api<{ points: KpiPoint[] }>(`/v1/kpis/history?window=${window}&points=8`, { signal }),
    [window],
  );
  const ops = useLoad((signal) => api<OpsSummary>('/v1/ops/summary', { signal }), []);
  const points = history.state === 'ready' ? history.data.points : [];
  const trend = (pick: (p: KpiPoint) => number | null) => points.map((p) => ({ at: p.as_of, value: pick(p) }));

  return (
    <>
      <h1>Overview</h1>
      <div className="toolbar">
        <div>
          <label htmlFor="window">Window</label>
          <select id="window" value={window} onChange={(e) => setWindow(e.target.value)}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                last {w.replace('d', ' days')}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            kpis.reload();
            history.reload();
            ops.reload();
          }}
        >
          Refresh
        </button>
      </div>
      <Status loaded={kpis}>
        {({ as_of, kpis: k, revenue_projection_monthly: mrr, revenue_inputs: rev }) => (
          <>
            <p className="muted" data-testid="as-of">
              Computed {when(as_of)}
            </p>
            <div className="grid">
              <KpiCard
                id="engagement"
                title="Engagement rate"
                value={k.engagement.rate}
                format={percent}
                target={{ value: 0.06, text: '≥ 6%', higherIsBetter: true }}
                trend={trend((p) => p.engagement_rate)}
                inputs={[
                  `${count(k.engagement.interactions)} interactions / ${count(k.engagement.views)} views`,
                  `${count(k.engagement.posts)} posts in ${k.engagement.window_days} days`,
                ]}
              />
              <KpiCard
                id="cost_per_follow"
                title="Cost per follow"
                value={k.cost_per_follow.dollars}
                format={(x) => dollars(x, 4)}
                target={{ value: 0.01, text: '≤ $0.01', higherIsBetter: false }}
                trend={trend((p) => p.cost_per_follow)}
                inputs={[
                  `${dollars(k.cost_per_follow.spend_usd, 4)} model spend`,
                  `${k.cost_per_follow.net_new_followers === null ? 'no' : count(k.cost_per_follow.net_new_followers)} net new followers in ${k.cost_per_follow.window_days} days`,
                ]}
              />
              <KpiCard
                id="mrr"
                title="Monthly recurring revenue"
                value={mrr.total}
                format={(x) => dollars(x)}
                target={{ value: 20_000, text: '≥ $20,000', higherIsBetter: true }}
                trend={trend((p) => p.mrr)}
                inputs={[
                  `subscriptions ${dollars(mrr.subscriptions)} (${rev.active_subscriptions} active)`,
                  `affiliate ${dollars(mrr.affiliate)}, leads ${dollars(mrr.leads)} (last ${rev.window_days} days)`,
                ]}
              />
              <KpiCard
                id="followers"
                title="Followers"
                value={k.followers_total}
                format={count}
                trend={trend((p) => p.followers_total)}
                inputs={['latest count of every linked account']}
              />
              <KpiCard
                id="viral_posts"
                title="Viral posts"
                value={k.viral_posts_total}
                format={count}
                trend={trend((p) => p.viral_posts_total)}
                inputs={['published posts past the viral threshold']}
              />
            </div>
          </>
        )}
      </Status>
      <h2>Technical health</h2>
      <Status loaded={ops}>{(data) => <Health ops={data} />}</Status>
    </>
  );
}
