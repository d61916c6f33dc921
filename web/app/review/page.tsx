'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { DraftTextEditor } from '../../components/DraftTextEditor.tsx';
import { PostCard } from '../../components/PostCard.tsx';
import { Empty } from '../../components/Status.tsx';
import { listAll } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import type { Page, Persona, Post } from '../../lib/types.ts';
import { useLoad } from '../../lib/use-load.ts';

function Nearest({ post }: { post: Post }) {
  const { api } = useSession();
  const [text, setText] = useState<string | null>(null);
  if (!post.nearest_post_id || post.nearest_similarity === null)
    return <p className="target">No similar post found.</p>;
  return (
    <details
      onToggle={(e) =>
        e.currentTarget.open && text === null
          ? api<Post>(`/v1/posts/${post.nearest_post_id}`).then(
              (p) => setText(p.text),
              (err: Error) => setText(err.message),
            )
          : undefined
      }
    >
      <summary>Nearest similar post: similarity {post.nearest_similarity.toFixed(2)}</summary>
      <p className="post-text">{text ?? 'Loading…'}</p>
    </details>
  );
}

function Actions({
  post,
  onDone,
  onEdited,
}: {
  post: Post;
  onDone: (id: string, message: string) => void;
  onEdited: (post: Post) => void;
}) {
  const { api } = useSession();
  const [reason, setReason] = useState('');
  const [at, setAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const approveButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  // The button to focus once the editor has closed. In an effect, because the toolbar exists only once
  // React has committed `editing = false`: a frame callback could run first and find no button.
  const [refocus, setRefocus] = useState<'approve' | 'edit' | null>(null);
  useEffect(() => {
    if (editing || refocus === null) return;
    (refocus === 'approve' ? approveButton : editButton).current?.focus();
    setRefocus(null);
  }, [editing, refocus]);
  const id = post.id.slice(0, 8);
  const act = async (path: string, body: unknown, message: string) => {
    try {
      await api(`/v1/posts/${post.id}/${path}`, { method: 'POST', body });
      onDone(post.id, message);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const closeEditor = () => {
    setEditing(false);
    setRefocus('edit');
  };
  const edited = (next: Post) => {
    const was = post.quality_score === null ? '—' : post.quality_score.toFixed(2);
    const now = next.quality_score === null ? '—' : next.quality_score.toFixed(2);
    setSaved(next.text === post.text ? 'The text is unchanged.' : `Text saved: score ${now} (was ${was}).`);
    setEditing(false);
    onEdited(next);
    // What usually comes next: approving the text just saved.
    setRefocus('approve');
  };
  if (editing) return <DraftTextEditor post={post} onSaved={edited} onClose={closeEditor} />;
  return (
    <div className="toolbar">
      {saved && (
        <p role="status" className="notice" data-testid="edit-saved">
          {saved}
        </p>
      )}
      <button type="button" ref={approveButton} onClick={() => act('approve', undefined, 'approved')}>
        Approve
      </button>
      <button
        type="button"
        className="secondary"
        ref={editButton}
        onClick={() => {
          setSaved(null);
          setEditing(true);
        }}
      >
        Edit
      </button>
      <div>
        <label htmlFor={`reason-${id}`}>Reject reason</label>
        <input id={`reason-${id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button
        type="button"
        className="danger"
        onClick={() => act('reject', reason.trim() ? { reason: reason.trim() } : {}, 'rejected')}
      >
        Reject
      </button>
      <div>
        <label htmlFor={`at-${id}`}>Schedule at (your time)</label>
        <input id={`at-${id}`} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
      </div>
      <button
        type="button"
        className="secondary"
        onClick={() =>
          act(
            'schedule',
            at ? { at: new Date(at).toISOString() } : {},
            at ? 'scheduled' : 'scheduled at the next free slot',
          )
        }
      >
        Schedule
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export default function Review() {
  const { api } = useSession();
  const personas = useLoad(() => listAll<Persona>(api, '/v1/personas'), []);
  const [posts, setPosts] = useState<Post[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkReason, setBulkReason] = useState('');
  const [log, setLog] = useState<{ id: number; text: string }[]>([]);
  const note = (text: string) => setLog((l) => [{ id: (l[0]?.id ?? 0) + 1, text }, ...l].slice(0, 20));

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const page = await api<Page<Post>>(
          `/v1/posts?status=draft&limit=20${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
        );
        setPosts((list) => (after ? [...list, ...page.data] : page.data));
        setCursor(page.next_cursor);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [api],
  );
  useEffect(() => void load(null), [load]);

  const done = (id: string, message: string) => {
    setPosts((list) => list.filter((p) => p.id !== id));
    setSelected((s) => {
      const n = new Set(s);
      n.delete(id);
      return n;
    });
    note(`${id.slice(0, 8)}: ${message}`);
  };
  const bulk = async (action: 'approve' | 'reject') => {
    for (const id of selected) {
      try {
        await api(`/v1/posts/${id}/${action}`, {
          method: 'POST',
          body: action === 'reject' && bulkReason.trim() ? { reason: bulkReason.trim() } : undefined,
        });
        done(id, action === 'approve' ? 'approved' : 'rejected');
      } catch (e) {
        note(`${id.slice(0, 8)}: ${(e as Error).message}`);
      }
    }
  };
  const slugOf = (id: string) =>
    (personas.state === 'ready' ? personas.data.find((p) => p.id === id)?.slug : undefined) ?? id.slice(0, 8);

  return (
    <>
      <h1>Review queue</h1>
      <fieldset className="toolbar plain" aria-label="Bulk actions">
        <span>{selected.size} selected</span>
        <button type="button" disabled={selected.size === 0} onClick={() => bulk('approve')}>
          Approve selected
        </button>
        <div>
          <label htmlFor="bulk-reason">Reason for rejecting the selected</label>
          <input id="bulk-reason" value={bulkReason} onChange={(e) => setBulkReason(e.target.value)} />
        </div>
        <button type="button" className="danger" disabled={selected.size === 0} onClick={() => bulk('reject')}>
          Reject selected
        </button>
        <button type="button" className="secondary" onClick={() => void load(null)}>
          Refresh
        </button>
      </fieldset>
      {log.length > 0 && (
        <ul role="status" className="target">
          {log.map((entry) => (
            <li key={entry.id}>{entry.text}</li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          Could not load: {error}
        </p>
      )}
      {!loading && !error && posts.length === 0 && <Empty>No drafts are waiting for review.</Empty>}
      {posts.map((post) => (
        <PostCard key={post.id} post={post}>
          <label className="inline">
            <input
              type="checkbox"
              checked={selected.has(post.id)}
              onChange={() =>
                setSelected((s) => {
                  const n = new Set(s);
                  n.has(post.id) ? n.delete(post.id) : n.add(post.id);
                  return n;
                })
              }
            />
            select ({slugOf(post.persona_id)}
            {post.topic ? `, ${post.topic}` : ''})
          </label>
          <Nearest post={post} />
          <Actions
            post={post}
            onDone={done}
            onEdited={(next) => setPosts((list) => list.map((p) => (p.id === next.id ? next : p)))}
          />
        </PostCard>
      ))}
      {loading && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {cursor && !loading && (
        <button type="button" className="secondary" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}
