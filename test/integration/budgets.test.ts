import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { BudgetExceededError, createBudgets } from '../../src/llm/budgets.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { personaFields } from '../support/factories.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

describe('daily budgets', () => {
  let testDb: TestDatabase;
  let spender: Persona;
  let other: Persona;
  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    await migrate(testDb.db);
    spender = await insertPersona(testDb.db, personaFields({ daily_budget_usd: 0.5 }), 'user');
    other = await insertPersona(testDb.db, personaFields(), 'user');
    const spend = (personaId: string, usd: number, when: string) =>
      testDb.db.query(
        `INSERT INTO llm_calls (provider, model, service, persona_id, cost_usd, latency_ms, outcome, created_at)
         VALUES ('openai-compatible', 'm', 'hook', $1, $2, 1, 'ok', ${when})`,
        [personaId, usd],
      );
    await spend(spender.id, 0.4, 'now()');
    await spend(other.id, 0.3, 'now()');
    // Yesterday (UTC) does not count today.
    await spend(spender.id, 5, "date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 minute'");
  });
  afterAll(() => testDb?.drop());

  it('lets a call through while the persona and global caps hold', async () => {
    const check = createBudgets({ db: testDb.db, globalDailyUsd: 1, personaDailyUsd: 10 });
    await expect(check(spender, 0.09)).resolves.toBeUndefined();
  });

  it('uses the persona\'s own cap before the default and names it', async () => {
    const check = createBudgets({ db: testDb.db, personaDailyUsd: 10 });
    await expect(check(spender, 0.11)).rejects.toThrow(BudgetExceededError);
    await expect(check(spender, 0.11)).rejects.toThrow(/persona .* spent \$0\.4000 today.*cap \$0\.5000/);
    await expect(check(other, 0.11)).resolves.toBeUndefined();
  });

  it('stops every persona once the global cap would be passed', async () => {
    const check = createBudgets({ db: testDb.db, globalDailyUsd: 0.75 });
    await expect(check(other, 0.06)).rejects.toThrow(/global daily budget reached .* spent \$0\.7000/);
  });
});
