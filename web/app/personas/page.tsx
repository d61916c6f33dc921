'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LearningPanel } from '../../components/LearningPanel.tsx';
import { PersonaForm } from '../../components/PersonaForm.tsx';
import { Empty, Status } from '../../components/Status.tsx';
import { ApiError } from '../../lib/api.ts';
import { count, dollars, percent, when } from '../../lib/format.ts';
import { useSession } from '../../lib/session.tsx';
import type { Kpis, Page, Persona, Post } from '../../lib/types.ts';
import { useLoad } from '../../lib/use-load.ts';

const PAGE = 25;

/** The columns the API sorts by (GET /v1/personas?sort=), each with the order a first click asks for. */
const SORTS = [
  { key: 'slug', label: 'Slug', first: 'asc' },
  { key: 'name', label: 'Name', first: 'asc' },
  { key: 'niche', label: 'Niche', first: 'asc', narrow: true },
  { key: 'created_at', label: 'Created', first: 'desc', narrow: true },
  { key: 'updated_at', label: 'Updated', first: 'desc', narrow: true },
] as const;
type SortKey = (typeof SORTS)[number]['key'];
type Order = 'asc' | 'desc';

/** One page after another of GET /v1/personas for the given query, the next following the last's cursor. */
function usePersonaPages(query: string, reload: number) {
  const { api } = useSession();
  const [rows, setRows] = useState<Persona[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | { error: string }>('loading');
  // Answers for a query the user has already changed are dropped.
  const latest = useRef(query);
  latest.current = query;
  const load = useCallback(
    async (after: string | null) => {
      setState('loading');
      try {
        const page = await api<Page<Persona>>(
          `/v1/personas?${query}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
        );
        if (latest.current !== query) return;
        setRows((list) => (after ? [...list, ...page.data] : page.data));
        setCursor(page.next_cursor);
        setState('ready');
      } catch (error) {
        if (latest.current === query) setState({ error: (error as Error).message });
      }
    },
    [api, query],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: a reload asks for the first page again
  useEffect(() => void load(null), [load, reload]);
  return { rows, cursor, state, more: () => void load(cursor) };
}

function SortHeader({
  column,
  sort,
  order,
  onSort,
}: {
  column: (typeof SORTS)[number];
  sort: SortKey;
  order: Order;
  onSort: (key: SortKey) => void;
}) {
  const active = sort === column.key;
  return (
    <th
      className={'narrow' in column ? 'hide-narrow' : undefined}
      aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <button type="button" className="sort" data-sort={column.key} onClick={() => onSort(column.key)}>
        {column.label}
        <span aria-hidden="true">{active ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
      </button>
    </th>
  );
}

interface Account {
  status: string;
  status_reason: string | null;
  username: string | null;
  token_expires_at: string | null;
}

function PersonaDetail({
  persona,
  onChanged,
  onDeleted,
}: {
  persona: Persona;
  onChanged: (p: Persona) => void;
  onDeleted: () => void;
}) {
  const { api } = useSession();
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const account = useLoad(
    (signal) =>
      api<Account>(`/v1/personas/${persona.id}/threads-account`, { signal }).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [persona.id],
  );
  const kpis = useLoad((signal) => api<Kpis>(`/v1/kpis?persona=${persona.id}`, { signal }), [persona.id]);
  const posts = useLoad(
    (signal) => api<Page<Post>>(`/v1/posts?persona_id=${persona.id}&limit=5`, { signal }),
    [persona.id],
  );

  async function remove() {
    if (!window.confirm(`Delete persona ${persona.slug}? Its posts are kept; its Threads account is unlinked.`)) return;
    try {
      await api(`/v1/personas/${persona.id}`, { method: 'DELETE' });
      onDeleted();
    } catch (error) {
      setMessage((error as Error).message);
    }
  }

  return (
    <section className="card" aria-labelledby="detail-title">
      <h2 id="detail-title">
        {persona.name} <span className="muted">({persona.slug})</span>
      </h2>
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {editing ? (
        <PersonaForm
          persona={persona}
          onCancel={() => setEditing(false)}
          onSave={async (body) => {
            const saved = await api<Persona>(`/v1/personas/${persona.id}`, { method: 'PATCH', body });
            setEditing(false);
            setMessage('Saved.');
            onChanged(saved);
          }}
        />
      ) : (
        <>
          <p>
            {persona.niche} · for {persona.audience}
          </p>
          <p>
            <strong>Voice:</strong> {persona.voice} · <strong>tone:</strong> {persona.tone}
          </p>
          <p>
            <strong>Topics:</strong> {persona.topics.join(', ')}
          </p>
          <p>
            <strong>Banned words:</strong> {persona.banned_words.join(', ') || 'none'}
          </p>
          <p data-testid="approval-mode">
            <strong>Approval:</strong> {persona.approval_mode} · <strong>models:</strong>{' '}
            {persona.hook_model ?? 'default'} / {persona.body_model ?? 'default'} · <strong>budget:</strong>{' '}
            {persona.daily_budget_usd === null ? 'default' : dollars(persona.daily_budget_usd)}/day
          </p>
          <p data-testid="loop-settings">
            <strong>Learning:</strong> {persona.learning_mode} · <strong>autopilot:</strong>{' '}
            {persona.autopilot
              ? `${persona.autopilot.posts_per_day} posts a day on ${persona.autopilot.topics?.join(', ') ?? 'its topics'}`
              : 'off'}
          </p>
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" className="danger" onClick={remove}>
            Delete
          </button>
        </>
      )}
      <h3>Threads account</h3>
      <Status loaded={account}>
        {(a) =>
          a === null ? (
            <Empty>Not linked.</Empty>
          ) : (
            <p data-testid="account-state">
              @{a.username ?? '?'} · {a.status}
              {a.status_reason ? ` — ${a.status_reason}` : ''}
              {a.token_expires_at ? ` · token until ${when(a.token_expires_at)}` : ''}
            </p>
          )
        }
      </Status>
      <h3>KPIs</h3>
      <Status loaded={kpis}>
        {({ kpis: k }) => (
          <p>
            Engagement {k.engagement.rate === null ? 'no data yet' : percent(k.engagement.rate)} · cost per follow{' '}
            {k.cost_per_follow.dollars === null ? 'no data yet' : dollars(k.cost_per_follow.dollars, 4)} · followers{' '}
            {k.followers_total === null ? 'no data yet' : count(k.followers_total)} · viral posts {k.viral_posts_total}
          </p>
        )}
      </Status>
      <h3>Recent posts</h3>
      <Status loaded={posts}>
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No posts yet.</Empty>
          ) : (
            <ul>
              {data.map((p) => (
                <li key={p.id}>
                  [{p.status}] {p.text.slice(0, 90)}
                </li>
              ))}
            </ul>
          )
        }
      </Status>
      <h3>What it has learned</h3>
      <LearningPanel personaId={persona.id} version={persona.updated_at} />
    </section>
  );
}

export default function Personas() {
  const { api } = useSession();
  const [reload, setReload] = useState(0);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [mode, setMode] = useState('');
  const [source, setSource] = useState('');
  const [learning, setLearning] = useState('');
  const [sort, setSort] = useState<SortKey>('slug');
  const [order, setOrder] = useState<Order>('asc');
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [current, setCurrent] = useState<Persona | null>(null);

  // The search is sent once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const query = new URLSearchParams({
    sort,
    order,
    limit: String(PAGE),
    ...(search ? { q: search } : {}),
    ...(mode ? { approval_mode: mode } : {}),
    ...(source ? { source } : {}),
    ...(learning ? { learning_mode: learning } : {}),
  }).toString();
  const list = usePersonaPages(query, reload);

  useEffect(() => setSelected(new URLSearchParams(window.location.search).get('id')), []);
  useEffect(() => {
    if (!selected) return setCurrent(null);
    const controller = new AbortController();
    api<Persona>(`/v1/personas/${selected}`, { signal: controller.signal }).then(setCurrent, () => setCurrent(null));
    return () => controller.abort();
  }, [api, selected]);
  const select = (id: string | null) => {
    setSelected(id);
    setCreating(false);
    window.history.replaceState(null, '', id ? `?id=${id}` : window.location.pathname);
  };
  const onSort = (key: SortKey) => {
    if (key === sort) return setOrder((o) => (o === 'asc' ? 'desc' : 'asc'));
    setSort(key);
    setOrder(SORTS.find((c) => c.key === key)!.first);
  };
  const filter = (id: string, label: string, value: string, set: (v: string) => void, options: string[]) => (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(e.target.value)}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <>
      <h1>Personas</h1>
      <search className="toolbar">
        <div>
          <label htmlFor="persona-search">Search</label>
          <input
            id="persona-search"
            type="search"
            value={typed}
            placeholder="slug, name, niche or topic"
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
        {filter('persona-mode', 'Approval', mode, setMode, ['manual', 'auto'])}
        {filter('persona-source', 'Source', source, setSource, ['library', 'user'])}
        {filter('persona-learning', 'Learning', learning, setLearning, ['on', 'off'])}
        <button
          type="button"
          onClick={() => {
            setCreating(true);
            select(null);
          }}
        >
          New persona
        </button>
      </search>
      {creating && (
        <section className="card" aria-labelledby="new-title">
          <h2 id="new-title">New persona</h2>
          <PersonaForm
            onCancel={() => setCreating(false)}
            onSave={async (body) => {
              const created = await api<Persona>('/v1/personas', { method: 'POST', body });
              setReload((r) => r + 1);
              select(created.id);
            }}
          />
        </section>
      )}
      {current && (
        <PersonaDetail
          key={current.id}
          persona={current}
          onChanged={(p) => {
            setCurrent(p);
            setReload((r) => r + 1);
          }}
          onDeleted={() => {
            select(null);
            setReload((r) => r + 1);
          }}
        />
      )}
      {typeof list.state === 'object' && (
        <p className="error" role="alert">
          Could not load: {list.state.error}
        </p>
      )}
      {list.state === 'ready' && list.rows.length === 0 && <Empty>No persona matches.</Empty>}
      {list.rows.length > 0 && (
        <>
          <p className="muted" role="status">
            {list.rows.length} personas shown{list.cursor ? ', more to load' : ''}
          </p>
          <div className="table-wrap">
            <table data-testid="persona-table">
              <caption className="muted">
                Personas by {SORTS.find((c) => c.key === sort)!.label.toLowerCase()},{' '}
                {order === 'asc' ? 'ascending' : 'descending'} (sorted by the server)
              </caption>
              <thead>
                <tr>
                  {SORTS.slice(0, 3).map((column) => (
                    <SortHeader key={column.key} column={column} sort={sort} order={order} onSort={onSort} />
                  ))}
                  <th>Approval</th>
                  <th>Learning</th>
                  <th className="hide-narrow">Autopilot</th>
                  {SORTS.slice(3).map((column) => (
                    <SortHeader key={column.key} column={column} sort={sort} order={order} onSort={onSort} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.rows.map((p) => (
                  <tr key={p.id} data-persona-row={p.slug}>
                    <td>
                      <button type="button" className="row-button" onClick={() => select(p.id)}>
                        {p.slug}
                      </button>
                    </td>
                    <td>{p.name}</td>
                    <td className="hide-narrow">{p.niche}</td>
                    <td>{p.approval_mode}</td>
                    <td>{p.learning_mode}</td>
                    <td className="hide-narrow">{p.autopilot ? `${p.autopilot.posts_per_day}/day` : 'off'}</td>
                    <td className="hide-narrow">{p.created_at.slice(0, 10)}</td>
                    <td className="hide-narrow">{p.updated_at.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {list.state === 'loading' && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {list.cursor && list.state === 'ready' && (
        <button type="button" className="secondary" onClick={list.more}>
          Load more
        </button>
      )}
    </>
  );
}
