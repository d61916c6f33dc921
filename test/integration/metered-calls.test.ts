import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContentModel, ModelOutput, WriteHookInput } from '../../src/generation/model/content-model.ts';
import type { Draft } from '../../src/generation/workflow/draft-state.ts';
import { meteredCalls } from '../../src/generation/workflow/metered-call.ts';
import { insertTask } from '../../src/generation/tasks/task.repository.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createMetrics } from '../../src/platform/observability/metrics.ts';
import { personaFields, taskFields } from '../support/factories.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.ts';

/** Answers each input with the model named by its seed, after a delay that makes the first input finish last. */
const model: ContentModel = {
  provider: 'offline',
  planCall: () => ({ model: 'planned', maxUsd: 0.01 }),
  writeHook: async (input) => {
    await new Promise((resolve) => setTimeout(resolve, 30 - input.seed * 10));
    if (input.topic === 'fails') throw new Error(`call ${input.seed} failed`);
    return output(`m${input.seed}`);
  },
  writeBody: () => Promise.reject(new Error('not used')),
};

function output(name: string): ModelOutput {
  return {
    text: name,
    usage: { promptTokens: 1, completionTokens: 2 },
    model: name,
    provider: 'offline',
    costUsd: 0,
    cacheHit: false,
    priced: true,
  };
}

describe.each(DATABASE_KINDS)('metered calls on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = testDb.db;
    await migrate(db);
  });
  afterAll(() => testDb?.drop());

  const newDraft = async () => {
    const persona = await insertPersona(db, personaFields(), 'user');
    const task = await insertTask(db, taskFields(persona.id));
    return { persona, taskId: task.id } as Draft;
  };

  const rowsOf = (taskId: string) =>
    db.query<{ id: number; model: string; outcome: string; error: string | null }>(
      'SELECT id::int AS id, model, outcome, error FROM llm_calls WHERE task_id = $1 ORDER BY id',
      [taskId],
    );

  /** Counts llm_calls inserts, and the rows stored when each hold is released; the `refused`-th hold is refused. */
  const harness = (draft: Draft, refused?: number) => {
    let inserts = 0;
    const rowsAtRelease: number[] = [];
    const counting: Database = {
      ...db,
      query: (sql, params) => {
        if (sql.includes('INSERT INTO llm_calls')) inserts += 1;
        return db.query(sql, params);
      },
    };
    // Holds are asked for in input order, each before its call.
    let asked = 0;
    const deps = {
      db: counting,
      model,
      metrics: createMetrics(),
      reserveBudget: async () => {
        if (asked++ === refused) throw new Error('over budget');
        return async () => {
          rowsAtRelease.push((await rowsOf(draft.taskId)).length);
        };
      },
    };
    return { deps, inserts: () => inserts, rowsAtRelease };
  };

  const inputs = (draft: Draft, topic = 'pricing') =>
    [0, 1, 2].map((seed): WriteHookInput => ({ persona: draft.persona, topic, hookPattern: 'question', seed }));

  it('stores every call in one statement, gives each its own row id in input order, then releases the holds', async () => {
    const draft = await newDraft();
    const h = harness(draft);
    const calls = await meteredCalls(h.deps, draft, 'hook', inputs(draft), (input) => model.writeHook(input));
    expect(h.inserts()).toBe(1);
    expect(calls.map((c) => c.output.model)).toEqual(['m0', 'm1', 'm2']);
    const rows = await rowsOf(draft.taskId);
    const modelOfRow = new Map(rows.map((row) => [row.id, row.model]));
    expect(calls.map((c) => modelOfRow.get(c.update.llmCallIds[0]!))).toEqual(['m0', 'm1', 'm2']);
    expect(calls.map((c) => c.update.promptTokens + c.update.completionTokens)).toEqual([3, 3, 3]);
    expect(h.rowsAtRelease).toEqual([3, 3, 3]);
  });

  it('stores failed calls as errors, releases every hold, and throws the first failure in input order', async () => {
    const draft = await newDraft();
    const h = harness(draft);
    const run = meteredCalls(h.deps, draft, 'hook', inputs(draft, 'fails'), (input) => model.writeHook(input));
    await expect(run).rejects.toThrow('call 0 failed');
    const rows = await rowsOf(draft.taskId);
    expect(rows.map((row) => [row.model, row.outcome])).toEqual([
      ['planned', 'error'],
      ['planned', 'error'],
      ['planned', 'error'],
    ]);
    expect(h.rowsAtRelease).toEqual([3, 3, 3]);
  });

  it('makes no call and stores no row for an input the budget refuses, and still records the others', async () => {
    const draft = await newDraft();
    const h = harness(draft, 1);
    const run = meteredCalls(h.deps, draft, 'hook', inputs(draft), (input) => model.writeHook(input));
    await expect(run).rejects.toThrow('over budget');
    expect((await rowsOf(draft.taskId)).map((row) => row.model).sort()).toEqual(['m0', 'm2']);
    expect(h.rowsAtRelease).toEqual([2, 2]);
  });
});
