import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPostgresDatabase } from '../../src/platform/db/postgres-database.ts';
import { BudgetExceededError, createBudgets } from '../../src/platform/llm/budgets.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { personaFields } from '../support/factories.ts';
import { chatCompletion, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const PRICES = JSON.stringify({
  'premium-1': { prompt: 3, completion: 15 },
  'cheap-1': { prompt: 0.2, completion: 0.8 },
});

/** Spend recorded as an earlier call would have: `when` is SQL. */
function spend(db: Queryable, personaId: string, usd: number, when = 'now()') {
  return db.query(
    `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome, created_at)
     VALUES ('openai-compatible', 'premium-1', 'hook', $1, $2, 1, 'ok', ${when})`,
    [personaId, usd],
  );
}

describe.each(DATABASE_KINDS)('daily budgets on %s', (kind) => {
  let testDb: TestDatabase;
  let spender: Persona;
  let other: Persona;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await migrate(testDb.db);
    spender = await insertPersona(testDb.db, personaFields({ daily_budget_usd: 0.5 }), 'user');
    other = await insertPersona(testDb.db, personaFields(), 'user');
    await spend(testDb.db, spender.id, 0.4);
    await spend(testDb.db, other.id, 0.3);
    // Yesterday (UTC) does not count today.
    await spend(
      testDb.db,
      spender.id,
      5,
      "date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 minute'",
    );
  });
  afterAll(() => testDb?.drop());

  it('lets a call through while the persona and global caps hold', async () => {
    const reserve = createBudgets({ db: testDb.db, globalDailyUsd: 1, personaDailyUsd: 10 });
    const release = await reserve(spender, 0.09);
    // What the call may cost is held until it is recorded.
    await expect(reserve(spender, 0.02)).rejects.toThrow(/spent \$0\.4900 today/);
    await release();
    await (await reserve(spender, 0.02))();
  });

  it("uses the persona's own cap before the default and names it", async () => {
    const reserve = createBudgets({ db: testDb.db, personaDailyUsd: 10 });
    await expect(reserve(spender, 0.11)).rejects.toThrow(BudgetExceededError);
    await expect(reserve(spender, 0.11)).rejects.toThrow(/persona .* spent \$0\.4000 today.*cap \$0\.5000/);
    await (await reserve(other, 0.11))();
  });

  it('stops every persona once the global cap would be passed', async () => {
    const reserve = createBudgets({ db: testDb.db, globalDailyUsd: 0.75 });
    await expect(reserve(other, 0.06)).rejects.toThrow(/global daily budget reached .* spent \$0\.7000/);
  });

  it('lets no more concurrent calls through than the cap pays for, from any number of workers', async () => {
    const persona = await insertPersona(testDb.db, personaFields({ daily_budget_usd: 0.5 }), 'user');
    // On the server, a second pool stands for a second worker process.
    const secondWorker = testDb.url ? createPostgresDatabase({ url: testDb.url, poolMax: 10 }) : testDb.db;
    try {
      const workers = [createBudgets({ db: testDb.db }), createBudgets({ db: secondWorker })];
      const attempts = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => workers[i % 2]!(persona, 0.1)));
      const held = attempts.filter((a) => a.status === 'fulfilled').map((a) => a.value);
      expect(held).toHaveLength(5);
      for (const refused of attempts.filter((a) => a.status === 'rejected')) {
        expect(refused.reason).toBeInstanceOf(BudgetExceededError);
      }
      // A call recorded at less than its most frees the difference.
      await spend(testDb.db, persona.id, 0.05);
      await held[0]!();
      await expect(workers[1]!(persona, 0.1)).rejects.toThrow(/spent \$0\.4500 today/);
      await (await workers[1]!(persona, 0.05))();
      await Promise.all(held.slice(1).map((release) => release()));
    } finally {
      if (secondWorker !== testDb.db) await secondWorker.close();
    }
  });
});

describe.each(DATABASE_KINDS)('a task that would pass a daily budget, on %s', (kind) => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server.requests.length = 0;
    // A hook and a body the writing gate accepts: these tests are about budgets, not wording.
    server.respondWith((body) =>
      chatCompletion(
        body.model === 'cheap-1'
          ? 'I moved the annual plan to the left and explained the monthly price in one line. Which plan do you show first?'
          : 'What would you change about your pricing page?',
        { model: body.model },
      ),
    );
  });

  async function startApp(budgets: Record<string, string>) {
    return startTestApp(kind, {
      env: {
        OPENAI_BASE_URL: server.url,
        LLM_HOOK_MODEL: 'premium-1',
        LLM_BODY_MODEL: 'cheap-1',
        LLM_PRICES: PRICES,
        LLM_MAX_RETRIES: '0',
        JOB_RETRY_LIMIT: '2',
        ...budgets,
      },
    });
  }

  async function runTask(t: TestApp, personaId: string) {
    const res = await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: personaId }) });
    const { id } = (await res.json()) as { id: string };
    const events = await readSse(await t.api(`/v1/tasks/${id}/events`));
    const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as { status: string; runs: number; error: string };
    return { events, task };
  }

  describe('per persona', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ LLM_PERSONA_DAILY_BUDGET_USD: '1' });
    });
    afterAll(() => t?.close());

    it('fails at once, with no call and no retry, when the next call could pass the default cap', async () => {
      const persona = await t.createPersona();
      await spend(t.deps.db, persona.id, 0.9999);
      const { events, task } = await runTask(t, persona.id);
      expect(server.requests).toHaveLength(0);
      expect(events.at(-1)!.event).toBe('error');
      expect(String(events.at(-1)!.data.message)).toMatch(
        new RegExp(`daily budget of persona ${persona.slug} reached: spent \\$0\\.9999 today.*cap \\$1\\.0000`),
      );
      expect(events.filter((e) => e.event === 'task_started')).toHaveLength(1);
      expect(task).toMatchObject({ status: 'failed', runs: 1 });
      expect(task.error).toMatch(/daily budget of persona/);
    });

    it("holds a persona to its own cap, and lets another persona's tasks run", async () => {
      const frugal = await t.createPersona({ daily_budget_usd: 0.0001 });
      const { task } = await runTask(t, frugal.id);
      expect(task).toMatchObject({ status: 'failed', runs: 1 });
      expect(task.error).toMatch(/cap \$0\.0001/);
      expect(server.requests).toHaveLength(0);

      const { task: fine } = await runTask(t, (await t.createPersona()).id);
      expect(fine.status).toBe('succeeded');
      expect(server.requests.length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('for all personas (LLM_DAILY_BUDGET_USD)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ LLM_DAILY_BUDGET_USD: '2' });
    });
    afterAll(() => t?.close());

    it("stops a persona that spent nothing once everyone's spend reaches the global cap", async () => {
      const bigSpender = await t.createPersona();
      await spend(t.deps.db, bigSpender.id, 1.9999);
      const { events, task } = await runTask(t, (await t.createPersona()).id);
      expect(server.requests).toHaveLength(0);
      expect(String(events.at(-1)!.data.message)).toMatch(
        /global daily budget reached \(LLM_DAILY_BUDGET_USD\): spent \$1\.9999 today.*cap \$2\.0000/,
      );
      expect(task).toMatchObject({ status: 'failed', runs: 1 });
    });
  });
});
