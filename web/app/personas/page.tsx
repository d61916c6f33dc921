'use client';
import { useEffect, useMemo, useState } from 'react';
import { PersonaForm } from '../../components/PersonaForm.tsx';
import { Empty, Status } from '../../components/Status.tsx';
import { ApiError, listAll } from '../../lib/api.ts';
import { count, dollars, percent, when } from '../../lib/format.ts';
import { useSession } from '../../lib/session.tsx';
import type { Kpis, Page, Persona, Post } from '../../lib/types.ts';
import { useLoad } from '../../lib/use-load.ts';

const PAGE = 25;

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
      <Empty>The learning loop has not shipped yet.</Empty>
    </section>
  );
}

export default function Personas() {
  const { api } = useSession();
  const [reload, setReload] = useState(0);
  const all = useLoad(() => listAll<Persona>(api, '/v1/personas'), [reload]);
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState('');
  const [source, setSource] = useState('');
  const [shown, setShown] = useState(PAGE);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  // The saved persona as the API returned it, shown until the reloaded list catches up.
  const [saved, setSaved] = useState<Persona | null>(null);

  useEffect(() => setSelected(new URLSearchParams(window.location.search).get('id')), []);
  const select = (id: string | null) => {
    setSelected(id);
    setCreating(false);
    window.history.replaceState(null, '', id ? `?id=${id}` : window.location.pathname);
  };

  const filtered = useMemo(() => {
    if (all.state !== 'ready') return [];
    const q = query.trim().toLowerCase();
    return all.data.filter(
      (p) =>
        (!q || `${p.slug} ${p.name} ${p.niche} ${p.topics.join(' ')}`.toLowerCase().includes(q)) &&
        (!mode || p.approval_mode === mode) &&
        (!source || p.source === source),
    );
  }, [all, query, mode, source]);
  const listed = all.state === 'ready' ? all.data.find((p) => p.id === selected) : undefined;
  const current = saved && saved.id === selected && (!listed || listed.updated_at <= saved.updated_at) ? saved : listed;

  return (
    <>
      <h1>Personas</h1>
      <search className="toolbar">
        <div>
          <label htmlFor="persona-search">Search</label>
          <input
            id="persona-search"
            type="search"
            value={query}
            placeholder="slug, name, niche or topic"
            onChange={(e) => {
              setQuery(e.target.value);
              setShown(PAGE);
            }}
          />
        </div>
        <div>
          <label htmlFor="persona-mode">Approval</label>
          <select id="persona-mode" value={mode} onChange={(e) => setMode(e.target.value)}>
            <option value="">any</option>
            <option value="manual">manual</option>
            <option value="auto">auto</option>
          </select>
        </div>
        <div>
          <label htmlFor="persona-source">Source</label>
          <select id="persona-source" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">any</option>
            <option value="library">library</option>
            <option value="user">user</option>
          </select>
        </div>
        <button
          type="button"
          onClick={() => {
            setCreating(true);
            setSelected(null);
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
            setSaved(p);
            setReload((r) => r + 1);
          }}
          onDeleted={() => {
            select(null);
            setReload((r) => r + 1);
          }}
        />
      )}
      <Status loaded={all}>
        {() =>
          filtered.length === 0 ? (
            <Empty>No persona matches.</Empty>
          ) : (
            <>
              <p className="muted" role="status">
                {filtered.length} personas
              </p>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>Slug</th>
                      <th>Name</th>
                      <th className="hide-narrow">Niche</th>
                      <th>Approval</th>
                    </tr>
                  </thead>
                  <tbody>
                    {filtered.slice(0, shown).map((p) => (
                      <tr key={p.id}>
                        <td>
                          <button type="button" className="row-button" onClick={() => select(p.id)}>
                            {p.slug}
                          </button>
                        </td>
                        <td>{p.name}</td>
                        <td className="hide-narrow">{p.niche}</td>
                        <td>{p.approval_mode}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {shown < filtered.length && (
                <button type="button" className="secondary" onClick={() => setShown((s) => s + PAGE)}>
                  Show more
                </button>
              )}
            </>
          )
        }
      </Status>
    </>
  );
}
