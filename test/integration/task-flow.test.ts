import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_NODES } from '../../src/generation/workflow/persona-graph.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

describe.each(DATABASE_KINDS)('task flow over HTTP on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('creates a task, streams node events in order, succeeds and stores readable posts', async () => {
    const persona = await t.createPersona();
    const created = await t.api('/v1/tasks', {
      method: 'POST',
      body: JSON.stringify({ persona_id: persona.id, topic: 'pricing page experiments', variants: 2 }),
    });
    expect(created.status).toBe(202);
    const accepted = (await created.json()) as { id: string; status: string; links: { events: string } };
    expect(accepted.status).toBe('queued');
    expect(created.headers.get('location')).toBe(`/v1/tasks/${accepted.id}`);

    const stream = await t.api(accepted.links.events);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(stream);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('task_started');
    expect(names.at(-1)).toBe('done');

    // Each variant passes every node at least once, each start followed by its end.
    for (const variant of [0, 1]) {
      const nodeEvents = events.filter((e) => e.data.variant === variant && e.event.startsWith('node_'));
      const finished = nodeEvents.filter((e) => e.event === 'node_finished').map((e) => e.data.node);
      for (const node of ['choose_hook_pattern', 'write_hook', 'write_body', 'score_quality', 'persist']) {
        expect(finished).toContain(node);
      }
      for (let i = 0; i < nodeEvents.length; i += 2) {
        expect(nodeEvents[i]!.event).toBe('node_started');
        expect(nodeEvents[i + 1]!.event).toBe('node_finished');
        expect(nodeEvents[i + 1]!.data.node).toBe(nodeEvents[i]!.data.node);
        expect(typeof nodeEvents[i + 1]!.data.duration_ms).toBe('number');
      }
      expect(finished.at(-1)).toBe('persist');
    }
    const ids = events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    const task = (await (await t.api(`/v1/tasks/${accepted.id}`)).json()) as {
      status: string;
      post_ids: string[];
      steps: { node: string; duration_ms: number; status: string }[];
      runs: number;
    };
    expect(task.status).toBe('succeeded');
    expect(task.runs).toBe(1);
    expect(task.post_ids).toHaveLength(2);
    expect(task.steps.length).toBeGreaterThanOrEqual(2 * GRAPH_NODES.length - 2);
    expect(task.steps.every((s) => s.status === 'ok' && s.duration_ms >= 0)).toBe(true);

    const doneEvent = events.at(-1)!;
    expect(doneEvent.data.post_ids).toEqual(task.post_ids);

    for (const postId of task.post_ids) {
      const post = (await (await t.api(`/v1/posts/${postId}`)).json()) as Record<string, unknown>;
      expect(post.persona_id).toBe(persona.id);
      expect(post.topic).toBe('pricing page experiments');
      expect(String(post.text).startsWith(String(post.hook))).toBe(true);
      expect(String(post.text)).toContain(String(post.body));
      expect(typeof post.quality_score).toBe('number');
      expect(Object.keys(post.score_breakdown as object).length).toBeGreaterThan(3);
      expect((post.models as Record<string, string>).provider).toBe('offline');
      expect(post.prompt_tokens as number).toBeGreaterThan(0);
      expect(post.cost_usd).toBe(0);
    }

    const list = (await (await t.api(`/v1/posts?persona_id=${persona.id}`)).json()) as { data: { id: string }[] };
    expect(list.data.map((p) => p.id).sort()).toEqual([...task.post_ids].sort());
  });

  it('replays the whole stream to a client that connects after the task finished', async () => {
    const persona = await t.createPersona();
    const created = (await (
      await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) })
    ).json()) as { id: string };
    const live = await readSse(await t.api(`/v1/tasks/${created.id}/events`));
    const late = await readSse(await t.api(`/v1/tasks/${created.id}/events`));
    expect(late.map((e) => e.id)).toEqual(live.map((e) => e.id));
    const resumed = await readSse(
      await t.api(`/v1/tasks/${created.id}/events`, { headers: { 'last-event-id': live[2]!.id! } }),
    );
    expect(resumed.map((e) => e.id)).toEqual(live.slice(3).map((e) => e.id));
  });
});
