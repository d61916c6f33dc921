import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

describe.each(DATABASE_KINDS)('Idempotency-Key on POST /v1/tasks on %s', (kind) => {
  let t: TestApp;
  // No worker: jobs stay in the queue, so they can be counted.
  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false });
  });
  afterAll(() => t?.close());

  const post = (body: unknown, key?: string) =>
    t.api('/v1/tasks', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: key ? { 'idempotency-key': key } : {},
    });

  async function counts(personaId: string) {
    const [tasks] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE persona_id = $1', [
      personaId,
    ]);
    const [jobs] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job j JOIN tasks t ON t.id::text = j.data->>'taskId'
        WHERE j.name = 'generate-posts' AND t.persona_id = $1`,
      [personaId],
    );
    return { tasks: tasks!.n, jobs: jobs!.n };
  }

  it('returns the same task for a repeated key, with one task and one job', async () => {
    const persona = await t.createPersona();
    const body = { persona_id: persona.id, topic: 'retention', variants: 2 };
    const first = await post(body, 'key-repeat-1');
    const second = await post(body, 'key-repeat-1');
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const a = (await first.json()) as { id: string };
    const b = (await second.json()) as { id: string };
    expect(b.id).toBe(a.id);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await counts(persona.id)).toEqual({ tasks: 1, jobs: 1 });
  });

  it('refuses the same key with a different body', async () => {
    const persona = await t.createPersona();
    expect((await post({ persona_id: persona.id, topic: 'a' }, 'key-different-body')).status).toBe(202);
    const res = await post({ persona_id: persona.id, topic: 'b' }, 'key-different-body');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/Idempotency-Key/);
    expect(await counts(persona.id)).toEqual({ tasks: 1, jobs: 1 });
  });

  it('makes exactly one task when ten requests race with one key', async () => {
    const persona = await t.createPersona();
    const body = { persona_id: persona.id };
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(body, 'key-race')));
    const ids = new Set<string>();
    for (const res of responses) {
      expect(res.status).toBe(202);
      ids.add(((await res.json()) as { id: string }).id);
    }
    expect(ids.size).toBe(1);
    expect(await counts(persona.id)).toEqual({ tasks: 1, jobs: 1 });
  });

  it('makes a new task for each request without a key', async () => {
    const persona = await t.createPersona();
    const a = (await (await post({ persona_id: persona.id })).json()) as { id: string };
    const b = (await (await post({ persona_id: persona.id })).json()) as { id: string };
    expect(a.id).not.toBe(b.id);
    expect(await counts(persona.id)).toEqual({ tasks: 2, jobs: 2 });
  });
});
