'use client';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Empty, Status } from '../../components/Status.tsx';
import { count, dollars, percent } from '../../lib/format.ts';
import { listAll } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import type { OpsSummary, Persona } from '../../lib/types.ts';
import { useLoad } from '../../lib/use-load.ts';

interface Totals {
  calls: number;
  cache_hits: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}
interface Costs {
  from: string;
  to: string;
  rows: (Totals & { key: string })[];
  total: Totals;
}
const DAY = 86_400_000;

export default function CostsPage() {
  const { api } = useSession();
  const [group, setGroup] = useState('model');
  const [days, setDays] = useState(30);
  const costs = useLoad(
    (signal) => {
      const to = new Date();
      return api<Costs>(
        `/v1/costs?group_by=${group}&from=${new Date(to.getTime() - days * DAY).toISOString()}&to=${to.toISOString()}`,
        { signal },
      );
    },
    [group, days],
  );
  // Spend per day: one request per day of the last week, as the cost report sums a range.
  const daily = useLoad(async (signal) => {
    const today = new Date(new Date().toISOString().slice(0, 10));
    return Promise.all(
      Array.from({ length: 7 }, (_, i) => {
        const from = new Date(today.getTime() - (6 - i) * DAY);
        const to = new Date(Math.min(from.getTime() + DAY, Date.now()));
        return api<Costs>(`/v1/costs?from=${from.toISOString()}&to=${to.toISOString()}`, { signal }).then((c) => ({
          day: from.toISOString().slice(5, 10),
          cost: c.total.cost_usd,
        }));
      }),
    );
  }, []);
  const ops = useLoad((signal) => api<OpsSummary>('/v1/ops/summary', { signal }), []);
  const budgeted = useLoad(
    async () => (await listAll<Persona>(api, '/v1/personas')).filter((p) => p.daily_budget_usd !== null),
    [],
  );

  return (
    <>
      <h1>Costs</h1>
      <div className="toolbar">
        <div>
          <label htmlFor="cost-group">Group by</label>
          <select id="cost-group" value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="model">model</option>
            <option value="service">service (hook, body)</option>
            <option value="persona">persona</option>
          </select>
        </div>
        <div>
          <label htmlFor="cost-days">Range</label>
          <select id="cost-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={1}>last day</option>
            <option value={7}>last 7 days</option>
            <option value={30}>last 30 days</option>
            <option value={90}>last 90 days</option>
          </select>
        </div>
      </div>
      <Status loaded={costs}>
        {(c) =>
          c.rows.length === 0 ? (
            <Empty>No model calls in this range.</Empty>
          ) : (
            <>
              <p data-testid="cost-total">
                Total {dollars(c.total.cost_usd, 4)} over {count(c.total.calls)} calls; {count(c.total.cache_hits)}{' '}
                cache hits ({percent(c.total.calls ? c.total.cache_hits / c.total.calls : 0)}).
              </p>
              <figure className="chart" role="img" aria-label={`Spend by ${group}`}>
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={c.rows.slice(0, 15)}>
                    <CartesianGrid stroke="#e3e6ea" />
                    <XAxis dataKey="key" hide={c.rows.length > 6} />
                    <YAxis tickFormatter={(v) => `$${v}`} />
                    <Tooltip formatter={(v) => dollars(Number(v), 4)} />
                    <Bar dataKey="cost_usd" name="cost" fill="#0b5cad" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </figure>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{group}</th>
                      <th className="num">Calls</th>
                      <th className="num">Cache hits</th>
                      <th className="num">Saved by cache (est.)</th>
                      <th className="num">Tokens</th>
                      <th className="num">Cost</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.rows.map((r) => {
                      const paid = r.calls - r.cache_hits;
                      return (
                        <tr key={r.key}>
                          <td>{r.key}</td>
                          <td className="num">{count(r.calls)}</td>
                          <td className="num">{count(r.cache_hits)}</td>
                          <td className="num">{paid > 0 ? dollars((r.cost_usd / paid) * r.cache_hits, 4) : '—'}</td>
                          <td className="num">{count(r.prompt_tokens + r.completion_tokens)}</td>
                          <td className="num">{dollars(r.cost_usd, 4)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Status>
      <h2>Spend per day (UTC)</h2>
      <Status loaded={daily}>
        {(rows) => (
          <figure className="chart" role="img" aria-label="Model spend per day over the last 7 days">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={rows}>
                <CartesianGrid stroke="#e3e6ea" />
                <XAxis dataKey="day" />
                <YAxis tickFormatter={(v) => `$${v}`} />
                <Tooltip formatter={(v) => dollars(Number(v), 4)} />
                <Bar dataKey="cost" fill="#17663a" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        )}
      </Status>
      <h2>Budgets</h2>
      <Status loaded={ops}>
        {(o) => (
          <p>
            Today {dollars(o.spend_today.usd, 4)}
            {o.spend_today.budget_usd === null
              ? ' — no global daily budget (LLM_DAILY_BUDGET_USD).'
              : ` of ${dollars(o.spend_today.budget_usd)} (${percent(o.spend_today.usd / o.spend_today.budget_usd)}).`}
          </p>
        )}
      </Status>
      <Status loaded={budgeted}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No persona has its own daily budget.</Empty>
          ) : (
            <ul>
              {list.map((p) => (
                <li key={p.id}>
                  {p.slug}: {dollars(p.daily_budget_usd ?? 0)}/day
                </li>
              ))}
            </ul>
          )
        }
      </Status>
    </>
  );
}
