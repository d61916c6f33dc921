'use client';
import { type FormEvent, useState } from 'react';
import { revenueEventInput } from '../../../src/revenue/revenue-event.schema.ts';
import { Field } from '../../components/Field.tsx';
import { Empty, Status } from '../../components/Status.tsx';
import { ApiError, errorsByPath, listAll } from '../../lib/api.ts';
import { dollars, when } from '../../lib/format.ts';
import { useSession } from '../../lib/session.tsx';
import type { Kpis, Page, Persona, PersonaRevenue } from '../../lib/types.ts';
import { useLoad } from '../../lib/use-load.ts';

interface RevenueEvent {
  id: string;
  external_id: string;
  stream: string;
  type: string;
  amount: number;
  currency: string;
  persona_id: string | null;
  occurred_at: string;
}

const EMPTY = {
  external_id: '',
  stream: 'subscription',
  type: 'payment',
  amount: '',
  persona_id: '',
  subscription_id: '',
  billing_period: 'month',
};

export default function Revenue() {
  const { api } = useSession();
  const [reload, setReload] = useState(0);
  const [scope, setScope] = useState('');
  const kpis = useLoad(
    (signal) => api<Kpis>(`/v1/kpis${scope ? `?persona=${scope}` : ''}`, { signal }),
    [reload, scope],
  );
  const events = useLoad((signal) => api<Page<RevenueEvent>>('/v1/revenue/events?limit=25', { signal }), [reload]);
  const personas = useLoad(() => listAll<Persona>(api, '/v1/personas'), []);
  const perPersona = useLoad(
    (signal) => api<{ as_of: string; data: PersonaRevenue[] }>('/v1/revenue/by-persona', { signal }),
    [reload],
  );
  const [draft, setDraft] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const set = (k: keyof typeof EMPTY, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const slugOf = (id: string | null) =>
    (id && personas.state === 'ready' ? personas.data.find((p) => p.id === id)?.slug : undefined) ?? '—';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const subscription = draft.stream === 'subscription';
    const body = {
      external_id: draft.external_id.trim(),
      stream: draft.stream,
      type: draft.type,
      amount: draft.amount.trim() === '' ? Number.NaN : Number(draft.amount),
      currency: 'USD',
      ...(draft.persona_id ? { persona_id: draft.persona_id } : {}),
      ...(subscription
        ? { subscription_id: draft.subscription_id.trim() || undefined, billing_period: draft.billing_period }
        : {}),
    };
    const checked = revenueEventInput.safeParse(body);
    if (!checked.success) {
      setSaved(null);
      return setErrors(errorsByPath(checked.error.issues));
    }
    try {
      const stored = await api<RevenueEvent>('/v1/revenue/events', { method: 'POST', body });
      setErrors({});
      setSaved(`Recorded ${stored.stream} ${stored.type} of ${dollars(stored.amount)} (${stored.external_id}).`);
      setDraft(EMPTY);
      setReload((r) => r + 1);
    } catch (error) {
      setErrors(
        error instanceof ApiError ? { ...error.fieldErrors(), _: error.message } : { _: (error as Error).message },
      );
    }
  }

  return (
    <>
      <h1>Revenue</h1>
      <div className="toolbar">
        <div>
          <label htmlFor="rev-scope">Revenue of</label>
          <select id="rev-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">all personas</option>
            {personas.state === 'ready' &&
              personas.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.slug}
                </option>
              ))}
          </select>
        </div>
      </div>
      <Status loaded={kpis}>
        {({ revenue_projection_monthly: m, revenue_inputs: r }) => (
          <div className="grid">
            <section className="card" aria-labelledby="mrr-total">
              <h3 id="mrr-total">MRR (projected)</h3>
              <div className="value" data-testid="mrr">
                {dollars(m.total)}
              </div>
              <div className="target">target $20,000</div>
            </section>
            <section className="card" aria-labelledby="mrr-subs">
              <h3 id="mrr-subs">Subscriptions</h3>
              <div className="value">{dollars(m.subscriptions)}</div>
              <div className="target">{r.active_subscriptions} active</div>
            </section>
            <section className="card" aria-labelledby="mrr-aff">
              <h3 id="mrr-aff">Affiliate</h3>
              <div className="value">{dollars(m.affiliate)}</div>
              <div className="target">
                last {r.window_days} days: {dollars(r.affiliate.payments)} in, {dollars(r.affiliate.refunds)} refunded
              </div>
            </section>
            <section className="card" aria-labelledby="mrr-leads">
              <h3 id="mrr-leads">Leads</h3>
              <div className="value">{dollars(m.leads)}</div>
              <div className="target">
                last {r.window_days} days: {dollars(r.leads.payments)} in, {dollars(r.leads.refunds)} refunded
              </div>
            </section>
          </div>
        )}
      </Status>
      <h2>By persona</h2>
      <Status loaded={perPersona}>
        {({ data, as_of }) =>
          data.length === 0 ? (
            <Empty>No revenue recorded yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table data-testid="revenue-by-persona">
                <caption className="muted">
                  Events recorded (all time) and projected MRR by stream, highest MRR first, as of {when(as_of)}
                </caption>
                <thead>
                  <tr>
                    <th>Persona</th>
                    <th className="num">Events: subscription / affiliate / lead</th>
                    <th className="num hide-narrow">Active subscriptions</th>
                    <th className="num hide-narrow">MRR subscriptions</th>
                    <th className="num hide-narrow">Affiliate</th>
                    <th className="num hide-narrow">Leads</th>
                    <th className="num">MRR total</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((r) => (
                    <tr key={r.persona_id ?? 'none'} data-revenue-row={r.persona_id ?? 'none'}>
                      <td>{r.slug === null ? 'no persona' : `${r.slug}${r.deleted ? ' (deleted)' : ''}`}</td>
                      <td className="num" data-field="events">
                        {r.events.subscription} / {r.events.affiliate} / {r.events.lead}
                      </td>
                      <td className="num hide-narrow">{r.active_subscriptions}</td>
                      <td className="num hide-narrow" data-field="subscriptions">
                        {dollars(r.mrr.subscriptions)}
                      </td>
                      <td className="num hide-narrow" data-field="affiliate">
                        {dollars(r.mrr.affiliate)}
                      </td>
                      <td className="num hide-narrow" data-field="leads">
                        {dollars(r.mrr.leads)}
                      </td>
                      <td className="num" data-field="total">
                        {dollars(r.mrr.total)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Status>
      <h2>Record an event</h2>
      <form onSubmit={submit} noValidate aria-label="Record a revenue event">
        {errors._ && (
          <p className="error" role="alert">
            {errors._}
          </p>
        )}
        {saved && (
          <p className="notice" role="status">
            {saved}
          </p>
        )}
        <div className="two">
          <div>
            <Field
              id="rev-external"
              label="External id"
              error={errors.external_id}
              hint="your payment provider's id; a replay is counted once"
            >
              {(a) => <input {...a} value={draft.external_id} onChange={(e) => set('external_id', e.target.value)} />}
            </Field>
            <Field id="rev-stream" label="Stream" error={errors.stream}>
              {(a) => (
                <select {...a} value={draft.stream} onChange={(e) => set('stream', e.target.value)}>
                  <option value="subscription">subscription</option>
                  <option value="affiliate">affiliate</option>
                  <option value="lead">lead</option>
                </select>
              )}
            </Field>
            <Field id="rev-type" label="Type" error={errors.type}>
              {(a) => (
                <select {...a} value={draft.type} onChange={(e) => set('type', e.target.value)}>
                  <option value="payment">payment</option>
                  <option value="refund">refund</option>
                  <option value="cancellation">cancellation</option>
                </select>
              )}
            </Field>
            <Field id="rev-amount" label="Amount (USD)" error={errors.amount}>
              {(a) => (
                <input
                  {...a}
                  inputMode="decimal"
                  value={draft.amount}
                  onChange={(e) => set('amount', e.target.value)}
                />
              )}
            </Field>
          </div>
          <div>
            <Field id="rev-persona" label="Persona (optional)" error={errors.persona_id}>
              {(a) => (
                <select {...a} value={draft.persona_id} onChange={(e) => set('persona_id', e.target.value)}>
                  <option value="">none</option>
                  {personas.state === 'ready' &&
                    personas.data.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.slug}
                      </option>
                    ))}
                </select>
              )}
            </Field>
            {draft.stream === 'subscription' && (
              <>
                <Field id="rev-sub" label="Subscription id" error={errors.subscription_id}>
                  {(a) => (
                    <input
                      {...a}
                      value={draft.subscription_id}
                      onChange={(e) => set('subscription_id', e.target.value)}
                    />
                  )}
                </Field>
                <Field id="rev-period" label="Billing period" error={errors.billing_period}>
                  {(a) => (
                    <select {...a} value={draft.billing_period} onChange={(e) => set('billing_period', e.target.value)}>
                      <option value="month">month</option>
                      <option value="year">year</option>
                    </select>
                  )}
                </Field>
              </>
            )}
          </div>
        </div>
        <button type="submit">Record event</button>
      </form>
      <h2>Recent events</h2>
      <Status loaded={events}>
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No revenue recorded yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Stream</th>
                    <th>Type</th>
                    <th className="num">Amount</th>
                    <th>Persona</th>
                    <th className="hide-narrow">External id</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((e) => (
                    <tr key={e.id}>
                      <td>{when(e.occurred_at)}</td>
                      <td>{e.stream}</td>
                      <td>{e.type}</td>
                      <td className="num">{dollars(e.amount)}</td>
                      <td>{slugOf(e.persona_id)}</td>
                      <td className="hide-narrow">{e.external_id}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Status>
    </>
  );
}
