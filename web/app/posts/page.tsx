'use client';
import { useCallback, useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { PostCard } from '../../components/PostCard.tsx';
import { Empty, Status } from '../../components/Status.tsx';
import { count, percent, when } from '../../lib/format.ts';
import { useSession } from '../../lib/session.tsx';
import type { Insight, Page, Post } from '../../lib/types.ts';
import { useLoad } from '../../lib/use-load.ts';

const STATUSES = ['published', 'scheduled', 'approved', 'publishing', 'failed', 'rejected', 'draft'];

interface Attempt {
  id: string;
  step: string;
  outcome: string;
  status_code: number | null;
  error_kind: string | null;
  error_body: unknown;
  created_at: string;
}
interface Series {
  collection: { next_due_at: string | null; stopped_at: string | null; stop_reason: string | null };
  data: Insight[];
}

function InsightsChart({ post, data }: { post: Post; data: Insight[] }) {
  const start = new Date(post.published_at ?? post.created_at).getTime();
  const rows = data.map((d) => ({
    age: Math.round(((new Date(d.captured_at).getTime() - start) / 3_600_000) * 10) / 10,
    views: d.views,
    interactions: d.interactions,
    engagement: d.engagement_rate === null ? null : Math.round(d.engagement_rate * 10_000) / 100,
  }));
  return (
    <figure
      className="chart"
      role="img"
      aria-label="Views, interactions and engagement rate by the post's age in hours"
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" />
          <XAxis dataKey="age" unit="h" />
          <YAxis yAxisId="n" />
          <YAxis yAxisId="pct" orientation="right" unit="%" />
          <Tooltip />
          <Legend />
          <Line yAxisId="n" dataKey="views" stroke="#0b5cad" isAnimationActive={false} />
          <Line yAxisId="n" dataKey="interactions" stroke="#17663a" isAnimationActive={false} />
          <Line yAxisId="pct" dataKey="engagement" name="engagement %" stroke="#a4161a" isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function PostDetail({ post }: { post: Post }) {
  const { api } = useSession();
  const series = useLoad((signal) => api<Series>(`/v1/posts/${post.id}/insights`, { signal }), [post.id]);
  const attempts = useLoad(
    (signal) => api<{ data: Attempt[] }>(`/v1/posts/${post.id}/publish-attempts`, { signal }),
    [post.id],
  );
  return (
    <section aria-labelledby="post-detail-title">
      <h2 id="post-detail-title">Post detail</h2>
      <PostCard post={post}>
        {post.permalink && (
          <p>
            <a href={post.permalink} data-testid="permalink" rel="noreferrer" target="_blank">
              Open on Threads
            </a>
          </p>
        )}
        {post.publish_error && <p className="error">Publish error: {post.publish_error}</p>}
      </PostCard>
      <h3>Insights over time</h3>
      <Status loaded={series}>
        {(s) =>
          s.data.length === 0 ? (
            <Empty>
              No insights captured yet
              {s.collection.next_due_at ? `; the next capture is due ${when(s.collection.next_due_at)}` : ''}.
            </Empty>
          ) : (
            <InsightsChart post={post} data={s.data} />
          )
        }
      </Status>
      <h3>Publish history</h3>
      <Status loaded={attempts}>
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No publish attempts.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Step</th>
                    <th>Outcome</th>
                    <th>Meta&apos;s answer</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((a) => (
                    <tr key={a.id}>
                      <td>{when(a.created_at)}</td>
                      <td>{a.step}</td>
                      <td className={a.outcome === 'ok' ? 'good' : 'bad'}>
                        {a.outcome}
                        {a.status_code ? ` (${a.status_code})` : ''}
                        {a.error_kind ? ` ${a.error_kind}` : ''}
                      </td>
                      <td>
                        {a.error_body === null || a.error_body === undefined ? (
                          '—'
                        ) : (
                          <pre>{JSON.stringify(a.error_body, null, 2)}</pre>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Status>
    </section>
  );
}

export default function Posts() {
  const { api } = useSession();
  const [status, setStatus] = useState('published');
  const [posts, setPosts] = useState<Post[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');
  const [selected, setSelected] = useState<Post | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setState('loading');
      try {
        const page = await api<Page<Post>>(
          `/v1/posts?status=${status}&limit=25${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
        );
        setPosts((list) => (after ? [...list, ...page.data] : page.data));
        setCursor(page.next_cursor);
        setState('ready');
      } catch (e) {
        setState((e as Error).message);
      }
    },
    [api, status],
  );
  useEffect(() => void load(null), [load]);
  useEffect(() => {
    const id = new URLSearchParams(window.location.search).get('id');
    if (id) api<Post>(`/v1/posts/${id}`).then(setSelected, () => undefined);
  }, [api]);
  const open = (post: Post) => {
    setSelected(post);
    window.history.replaceState(null, '', `?id=${post.id}`);
  };

  return (
    <>
      <h1>Posts</h1>
      <div className="toolbar">
        <div>
          <label htmlFor="post-status">Status</label>
          <select id="post-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={() => void load(null)}>
          Refresh
        </button>
      </div>
      {selected && <PostDetail key={selected.id} post={selected} />}
      {state !== 'loading' && state !== 'ready' && (
        <p className="error" role="alert">
          Could not load: {state}
        </p>
      )}
      {state === 'ready' && posts.length === 0 && <Empty>No {status} posts yet.</Empty>}
      {posts.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="muted">{status} posts, newest first</caption>
            <thead>
              <tr>
                <th>Post</th>
                <th className="hide-narrow">Published</th>
                <th className="num">Views</th>
                <th className="num">Engagement</th>
                <th>Link</th>
              </tr>
            </thead>
            <tbody>
              {posts.map((p) => (
                <tr key={p.id} data-post-row={p.id}>
                  <td>
                    <button type="button" className="row-button" onClick={() => open(p)}>
                      {p.text.slice(0, 70)}…
                    </button>
                  </td>
                  <td className="hide-narrow">{when(p.published_at)}</td>
                  <td className="num">{p.insights ? count(p.insights.views) : '—'}</td>
                  <td className="num">
                    {p.insights?.engagement_rate === null || !p.insights ? '—' : percent(p.insights.engagement_rate)}
                  </td>
                  <td>
                    {p.permalink ? (
                      <a href={p.permalink} rel="noreferrer" target="_blank">
                        permalink
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {state === 'loading' && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {cursor && state === 'ready' && (
        <button type="button" className="secondary" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}
