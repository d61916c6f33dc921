import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/api-tokens.ts';
import { createTaskEventHub } from '../../src/generation/tasks/follow-task-events.ts';
import { finishTask } from '../../src/generation/tasks/task.repository.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const CAP = 3;

describe.each(DATABASE_KINDS)('task list and event streams on %s', (kind) => {
  let t: TestApp;
  let personaId: string;
  beforeAll(async () => {
    // No worker: tasks stay queued unless a test moves them on by hand.
    t = await startTestApp(kind, { worker: false, env: { SSE_MAX_STREAMS_PER_TOKEN: String(CAP) } });
    personaId = (await t.createPersona()).id;
  });
  afterAll(() => t?.close());

  const newTask = async () => (await t.deps.tasks.createTask({ persona_id: personaId })).task.id;

  it('lists tasks newest first by persona and status, a cursor walking every one once', async () => {
    const mine = (await t.createPersona()).id;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await t.deps.tasks.createTask({ persona_id: mine })).task.id);
    await finishTask(t.deps.db, created[1]!, { status: 'failed', error: 'x' });
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.api(`/v1/tasks?persona_id=${mine}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: { id: string; persona_id: string }[]; next_cursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      for (const task of page.data) expect(task.persona_id).toBe(mine);
      walked.push(...page.data.map((task) => task.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(walked).toEqual([...created].reverse());
    const failed = (await (await t.api(`/v1/tasks?persona_id=${mine}&status=failed`)).json()) as {
      data: { id: string; status: string }[];
    };
    expect(failed.data.map((task) => [task.id, task.status])).toEqual([[created[1], 'failed']]);
    expect((await t.api('/v1/tasks?status=done')).status).toBe(400);
    expect((await t.api('/v1/tasks?cursor=nope')).status).toBe(400);
  });

  it('caps open streams per token with a 429, and frees a slot when a stream closes', async () => {
    const taskId = await newTask();
    const open: Response[] = [];
    for (let i = 0; i < CAP; i++) {
      const res = await t.api(`/v1/tasks/${taskId}/events`);
      expect(res.status).toBe(200);
      open.push(res);
    }
    const refused = await t.api(`/v1/tasks/${taskId}/events`);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/3 open event streams/);

    // Another token has its own allowance.
    const other = await createApiToken(t.deps.db, 'other');
    const otherRes = await fetch(`${t.url}/v1/tasks/${taskId}/events`, {
      headers: { authorization: `Bearer ${other}` },
    });
    expect(otherRes.status).toBe(200);
    await otherRes.body?.cancel();

    await open.pop()!.body?.cancel();
    let again: Response | undefined;
    for (let i = 0; i < 50; i++) {
      again = await t.api(`/v1/tasks/${taskId}/events`);
      if (again.status === 200) break;
      await again.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(again!.status).toBe(200);
    open.push(again!);
    for (const res of open) await res.body?.cancel();
  });

  it('ends a stream at once when the task is finished and replayed, even resumed past its end', async () => {
    const taskId = await newTask();
    const started = await t.deps.events.record({ task_id: taskId, type: 'task_started', data: {} });
    await finishTask(t.deps.db, taskId, { status: 'succeeded' });
    const done = await t.deps.events.record({ task_id: taskId, type: 'done', data: { post_ids: [] } });

    // A token of its own: the streams of the test before may still be closing on the server.
    const token = await createApiToken(t.deps.db, 'finished');
    const read = async (lastEventId?: string) => {
      const began = performance.now();
      const res = await fetch(`${t.url}/v1/tasks/${taskId}/events`, {
        headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      });
      expect(res.status).toBe(200);
      const events = await readSse(res);
      return { names: events.map((e) => e.event), ms: performance.now() - began };
    };
    expect((await read()).names).toEqual(['task_started', 'done']);
    expect((await read(String(started.id))).names).toEqual(['done']);
    for (const beyond of [String(done.id), '1000000000']) {
      const { names, ms } = await read(beyond);
      expect(names).toEqual([]);
      // Ended by the stream itself, long before the 15 s keep-alive or any client timeout.
      expect(ms).toBeLessThan(5000);
    }
  });

  it('a stream resumed past the end of a running task ends when the task ends', async () => {
    const taskId = await newTask();
    await t.deps.events.record({ task_id: taskId, type: 'task_started', data: {} });
    const token = await createApiToken(t.deps.db, 'resumed');
    const res = await fetch(`${t.url}/v1/tasks/${taskId}/events`, {
      headers: { authorization: `Bearer ${token}`, 'last-event-id': '1000000000' },
    });
    expect(res.status).toBe(200);
    const reading = readSse(res);
    let ended = false;
    void reading.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(ended).toBe(false);
    await finishTask(t.deps.db, taskId, { status: 'succeeded' });
    await t.deps.events.record({ task_id: taskId, type: 'done', data: { post_ids: [] } });
    expect(await reading).toEqual([]);
  });

  it('one query a tick serves every follower, and each still gets its own events at once', async () => {
    let reads = 0;
    const counted = {
      query: <T>(sql: string, params?: unknown[]) => {
        if (sql.includes('FROM task_events')) reads += 1;
        return t.deps.db.query<T>(sql, params);
      },
      exec: (sql: string) => t.deps.db.exec(sql),
    };
    const hub = createTaskEventHub({ db: counted, events: t.deps.events, pollMs: 200 });
    const taskIds = await Promise.all(Array.from({ length: 40 }, () => newTask()));
    const seen = new Map<string, string[]>();
    const followers = taskIds.map((id) =>
      hub.follow(id, 0, (event) => seen.set(id, [...(seen.get(id) ?? []), event.type])),
    );
    expect(hub.size()).toBe(40);
    reads = 0;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // About one read per 200 ms tick for all 40 followers; one poll each would make 40 a tick.
    expect(reads).toBeLessThanOrEqual(8);

    const target = taskIds[7]!;
    await t.deps.events.record({ task_id: target, type: 'task_started', data: {} });
    const began = performance.now();
    while (!seen.get(target)?.length && performance.now() - began < 2000) await new Promise((r) => setTimeout(r, 5));
    expect(seen.get(target)).toEqual(['task_started']);
    expect([...seen.keys()]).toEqual([target]);

    await t.deps.events.record({ task_id: target, type: 'done', data: {} });
    expect((await followers[7]!.finished)?.type).toBe('done');
    expect(hub.size()).toBe(39);
    hub.close();
    expect(hub.size()).toBe(0);
    expect(await followers[0]!.finished).toBeNull();
  });
});
