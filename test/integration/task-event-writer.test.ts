import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTaskEvents, type TaskEvent } from '../../src/generation/tasks/task-event.repository.ts';
import { createTaskEvents } from '../../src/generation/tasks/task-events.ts';
import { insertTask } from '../../src/generation/tasks/task.repository.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { personaFields, taskFields } from '../support/factories.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.ts';

describe.each(DATABASE_KINDS)('queued task events on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = testDb.db;
    await migrate(db);
  });
  afterAll(() => testDb?.drop());

  const newTask = async () => {
    const persona = await insertPersona(db, personaFields(), 'user');
    return (await insertTask(db, taskFields(persona.id))).id;
  };

  /** A writer over the test database that counts its INSERTs into task_events. */
  const countingInserts = () => {
    let count = 0;
    const events = createTaskEvents({
      query: (sql, params) => {
        if (sql.includes('INSERT INTO task_events')) count += 1;
        return db.query(sql, params);
      },
      exec: (sql) => db.exec(sql),
    });
    return { events, inserts: () => count };
  };

  it('stores them in order, in few statements, announcing each without waiting for a flush', async () => {
    const { events, inserts } = countingInserts();
    const [a, b] = [await newTask(), await newTask()];
    const heard: TaskEvent[] = [];
    events.subscribe(a, (event) => heard.push(event));
    for (let i = 0; i < 30; i++) {
      await events.enqueue({ task_id: i % 2 ? a : b, type: 'node_started', node: `n${i}`, variant: 0, attempt: 1 });
    }
    // Announced once stored, with no flush asked for: a stream sees progress live.
    const began = performance.now();
    while (heard.length < 15 && performance.now() - began < 5000) await new Promise((r) => setTimeout(r, 5));
    expect(heard.map((e) => e.node)).toEqual(Array.from({ length: 15 }, (_, i) => `n${2 * i + 1}`));
    await events.flush(a);
    await events.flush(b);
    expect((await listTaskEvents(db, a)).map((e) => e.node)).toEqual(heard.map((e) => e.node));
    expect((await listTaskEvents(db, b)).map((e) => e.node)).toEqual(Array.from({ length: 15 }, (_, i) => `n${2 * i}`));
    // The first event goes alone (the writer was idle); the rest wait for it and go together.
    expect(inserts()).toBeLessThanOrEqual(3);
  });

  it('sends what one turn of the event loop queues in one INSERT, and what a later turn queues in the next', async () => {
    const { events, inserts } = countingInserts();
    const task = await newTask();
    // A node's end and the next node's start are queued in the same turn, a microtask apart.
    await events.enqueue({ task_id: task, type: 'node_finished', node: 'write_hook', variant: 0, attempt: 1 });
    await events.enqueue({ task_id: task, type: 'node_started', node: 'write_body', variant: 0, attempt: 1 });
    await events.flush(task);
    expect(inserts()).toBe(1);
    await events.enqueue({ task_id: task, type: 'node_finished', node: 'write_body', variant: 0, attempt: 1 });
    await events.flush(task);
    expect(inserts()).toBe(2);
    expect((await listTaskEvents(db, task)).map((e) => `${e.type} ${e.node}`)).toEqual([
      'node_finished write_hook',
      'node_started write_body',
      'node_finished write_body',
    ]);
  });

  it('a failed write makes that task flush throw, and only that task', async () => {
    const events = createTaskEvents(db);
    const good = await newTask();
    const missing = '00000000-0000-4000-8000-000000000000';
    await events.enqueue({ task_id: good, type: 'task_started' });
    await events.flush(good);
    await events.enqueue({ task_id: missing, type: 'node_started', node: 'persist' });
    await expect(events.flush(missing)).rejects.toThrow();
    await events.flush(missing);
    await events.enqueue({ task_id: good, type: 'node_started', node: 'persist' });
    await events.flush(good);
    expect((await listTaskEvents(db, good)).map((e) => e.type)).toEqual(['task_started', 'node_started']);
  });
});
