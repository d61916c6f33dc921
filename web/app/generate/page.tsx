'use client';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Field } from '../../components/Field.tsx';
import { PostCard } from '../../components/PostCard.tsx';
import { Status } from '../../components/Status.tsx';
import { ApiError, listAll } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { type StreamedEvent, streamEvents } from '../../lib/sse.ts';
import type { Persona, Post } from '../../lib/types.ts';
import { useLoad } from '../../lib/use-load.ts';

function describe(e: StreamedEvent): string {
  const d = e.data;
  const where = [
    d.node,
    d.variant !== null && d.variant !== undefined ? `variant ${d.variant}` : null,
    d.attempt ? `attempt ${d.attempt}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  if (e.event === 'node_started') return `▶ ${where}`;
  if (e.event === 'node_finished')
    return `✓ ${where}${typeof d.duration_ms === 'number' ? ` (${d.duration_ms} ms)` : ''}${typeof d.error === 'string' ? ` — ${d.error}` : ''}`;
  if (e.event === 'done') return '■ done';
  if (e.event === 'error') return `✗ failed: ${String(d.message ?? '')}`;
  return `${e.event}`;
}

export default function Generate() {
  const { api, token } = useSession();
  const personas = useLoad(() => listAll<Persona>(api, '/v1/personas'), []);
  const [personaId, setPersonaId] = useState('');
  const [topic, setTopic] = useState('');
  const [variants, setVariants] = useState('3');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [events, setEvents] = useState<StreamedEvent[]>([]);
  const [running, setRunning] = useState(false);
  const [drafts, setDrafts] = useState<Post[] | null>(null);
  const stop = useRef<AbortController | null>(null);
  useEffect(() => () => stop.current?.abort(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(variants);
    const found: Record<string, string> = {};
    if (!personaId) found.persona_id = 'pick a persona';
    if (!Number.isInteger(n) || n < 1 || n > 10) found.variants = 'a whole number from 1 to 10';
    if (topic.trim().length > 280) found.topic = 'at most 280 characters';
    setErrors(found);
    if (Object.keys(found).length) return;
    setEvents([]);
    setDrafts(null);
    setRunning(true);
    stop.current?.abort();
    const controller = new AbortController();
    stop.current = controller;
    try {
      const task = await api<{ id: string }>('/v1/tasks', {
        method: 'POST',
        body: { persona_id: personaId, topic: topic.trim() || undefined, variants: n },
      });
      let postIds: string[] = [];
      await streamEvents(
        `/v1/tasks/${task.id}/events`,
        token,
        (e) => {
          setEvents((list) => [...list, e]);
          if (e.event === 'done' && Array.isArray(e.data.post_ids)) postIds = e.data.post_ids as string[];
        },
        controller.signal,
      );
      setDrafts(await Promise.all(postIds.map((id) => api<Post>(`/v1/posts/${id}`))));
    } catch (error) {
      if ((error as Error).name !== 'AbortError') {
        setErrors(
          error instanceof ApiError ? { ...error.fieldErrors(), _: error.message } : { _: (error as Error).message },
        );
      }
    } finally {
      setRunning(false);
    }
  }

  return (
    <>
      <h1>Generate</h1>
      <Status loaded={personas}>
        {(list) => (
          <form onSubmit={submit} noValidate aria-label="Generate posts">
            {errors._ && (
              <p className="error" role="alert">
                {errors._}
              </p>
            )}
            <Field id="gen-persona" label="Persona" error={errors.persona_id}>
              {(a) => (
                <select {...a} value={personaId} onChange={(e) => setPersonaId(e.target.value)}>
                  <option value="">choose…</option>
                  {list.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.slug} — {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="gen-topic" label="Topic (optional)" error={errors.topic}>
              {(a) => <input {...a} value={topic} onChange={(e) => setTopic(e.target.value)} />}
            </Field>
            <Field id="gen-variants" label="Variants" error={errors.variants}>
              {(a) => (
                <input
                  {...a}
                  type="number"
                  min={1}
                  max={10}
                  value={variants}
                  onChange={(e) => setVariants(e.target.value)}
                />
              )}
            </Field>
            <button type="submit" disabled={running}>
              {running ? 'Running…' : 'Generate'}
            </button>
          </form>
        )}
      </Status>
      {(events.length > 0 || running) && (
        <section aria-labelledby="progress-title">
          <h2 id="progress-title">Progress</h2>
          <ol className="events" aria-live="polite" data-testid="events">
            {events.map((e, i) => (
              <li key={e.id ?? i} data-event={e.event}>
                {describe(e)}
              </li>
            ))}
          </ol>
        </section>
      )}
      {drafts && (
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title">Drafts</h2>
          {drafts.length === 0 ? (
            <p className="empty">No draft passed the checks.</p>
          ) : (
            drafts.map((p) => <PostCard key={p.id} post={p} />)
          )}
        </section>
      )}
    </>
  );
}
