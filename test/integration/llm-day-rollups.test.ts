import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCostsService, type CostGroup } from '../../src/kpis/costs.service.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import { personaFields } from '../support/factories.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DATABASE_KINDS)("llm_calls' day roll-ups on %s", (kind) => {
  let testDb: TestDatabase;
  // Noon UTC, five days from the newest call: windows can end before, inside or after any day.
  const now = new Date(Math.floor(Date.now() / DAY) * DAY - 5 * DAY + 12 * HOUR);

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    await migrate(testDb.db);
    const personas = [
      (await insertPersona(testDb.db, personaFields(), 'user')).id,
      (await insertPersona(testDb.db, personaFields(), 'user')).id,
      null,
    ];
    // One call every 5 hours over the 4 days before `now`, one every 31 hours in the 5 weeks before
    // those, then one multi-row statement of a few more.
    const calls = Array.from({ length: 48 }, (_, i) => ({
      at: new Date(now.getTime() - 4 * DAY + (i < 20 ? i * 5 : (i - 48) * 31) * HOUR + 7 * 60_000).toISOString(),
      persona: personas[i % 3],
      model: i % 2 ? 'm-a' : 'm-b',
      service: i % 4 < 2 ? 'hook' : 'body',
      cost: (i + 1) / 1000,
      cacheHit: i % 5 === 0,
    }));
    for (const c of calls.slice(0, 15).concat(calls.slice(20))) {
      await testDb.db.query(
        `INSERT INTO llm_calls (provider, model, service, persona_id, prompt_tokens, completion_tokens, cost_usd,
                                cache_hit, latency_ms, outcome, created_at)
         VALUES ('p', $1, $2, $3, 100, 10, $4, $5, 1, 'ok', $6)`,
        [c.model, c.service, c.persona, c.cost, c.cacheHit, c.at],
      );
    }
    await testDb.db.query(
      `INSERT INTO llm_calls (provider, model, service, persona_id, prompt_tokens, completion_tokens, cost_usd,
                              cache_hit, latency_ms, outcome, created_at)
       SELECT 'p', c->>'model', c->>'service', (c->>'persona')::uuid, 7, 3, (c->>'cost')::numeric,
              (c->>'cacheHit')::boolean, 1, 'ok', (c->>'at')::timestamptz
         FROM jsonb_array_elements($1::jsonb) c`,
      [JSON.stringify(calls.slice(15, 20))],
    );
    // Rewritten and deleted calls leave the roll-ups as if they had been written that way.
    await testDb.db.query(`UPDATE llm_calls SET cost_usd = cost_usd * 2, prompt_tokens = 5 WHERE id % 3 = 0`);
    await testDb.db.query(`UPDATE llm_calls SET created_at = created_at - interval '1 day' WHERE id = 4`);
    await testDb.db.query('DELETE FROM llm_calls WHERE id IN (2, 17)');
  });
  afterAll(() => testDb?.drop());

  it('keeps spend per UTC day, per persona and for everyone, equal to what llm_calls holds', async () => {
    const rows = await testDb.db.query<{ day: string; persona_id: string | null; spent: number; calls: number }>(
      `SELECT day::text, persona_id, spent::float8 AS spent FROM llm_budget_days ORDER BY 1, 2`,
    );
    const expected = await testDb.db.query(
      `SELECT (created_at AT TIME ZONE 'UTC')::date::text AS day, persona_id, sum(cost_usd)::float8 AS spent
         FROM llm_calls WHERE persona_id IS NOT NULL GROUP BY 1, 2
       UNION ALL
       SELECT (created_at AT TIME ZONE 'UTC')::date::text, NULL, sum(cost_usd)::float8 FROM llm_calls GROUP BY 1
       ORDER BY 1, 2`,
    );
    expect(rows.filter((r) => r.spent !== 0)).toEqual(expected);
  });

  it('keeps calls, tokens and dollars per UTC week equal to the days of each week', async () => {
    const sums = `sum(calls)::int AS calls, sum(cache_hits)::int AS cache_hits, sum(prompt_tokens)::int AS prompt_tokens,
                  sum(completion_tokens)::int AS completion_tokens, sum(cost_usd)::float8 AS cost_usd`;
    const weeks = await testDb.db.query<{ week: string }>(
      `SELECT week::text, model, service, persona_id, ${sums} FROM llm_costs_weekly
        GROUP BY 1, 2, 3, 4 HAVING sum(calls) <> 0 ORDER BY 1, 2, 3, 4`,
    );
    const days = await testDb.db.query(
      `SELECT date_trunc('week', day)::date::text AS week, model, service, persona_id, ${sums} FROM llm_costs_daily
        GROUP BY 1, 2, 3, 4 HAVING sum(calls) <> 0 ORDER BY 1, 2, 3, 4`,
    );
    expect(new Set(weeks.map((w) => w.week)).size).toBeGreaterThanOrEqual(5);
    expect(weeks).toEqual(days);
  });

  it('reports costs for any window, from whole days and partial ends, exactly as summing llm_calls would', async () => {
    const report = createCostsService({ db: testDb.db, now: () => now });
    const at = (hoursBeforeNow: number) => new Date(now.getTime() - hoursBeforeNow * HOUR).toISOString();
    const windows: { from?: string; to?: string }[] = [
      {},
      { from: at(100) },
      { from: at(90) },
      { from: at(72 + 12) },
      { from: at(60), to: at(2) },
      { from: at(80), to: at(30) },
      { from: at(80), to: at(43) },
      { from: at(50), to: at(40) },
      { from: at(36), to: at(12) },
      { from: at(24 * 10 + 5) },
      { from: at(24 * 17 + 13), to: at(24 * 3 + 1) },
      { from: at(24 * 34), to: at(24 * 9 + 20) },
      { from: at(24 * 40), to: at(24 * 36 + 2) },
    ];
    for (const window of windows) {
      for (const group_by of ['model', 'service', 'persona'] as CostGroup[]) {
        const got = await report({ ...window, group_by });
        const key = { model: 'c.model', service: 'c.service', persona: "coalesce(p.slug, 'unattributed')" }[group_by];
        const expected = await testDb.db.query(
          `SELECT ${key} AS key, count(*)::int AS calls, count(*) FILTER (WHERE c.cache_hit)::int AS cache_hits,
                  sum(c.prompt_tokens)::int AS prompt_tokens, sum(c.completion_tokens)::int AS completion_tokens,
                  sum(c.cost_usd)::float8 AS cost_usd
             FROM llm_calls c LEFT JOIN personas p ON p.id = c.persona_id
            WHERE c.created_at >= $1 AND c.created_at < $2 GROUP BY 1 ORDER BY cost_usd DESC, key`,
          [got.from, got.to],
        );
        expect({ window, group_by, rows: got.rows }).toEqual({ window, group_by, rows: expected });
      }
    }
  });
});
