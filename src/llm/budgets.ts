import type { Queryable } from '../db/database.ts';
import { PermanentError } from '../errors.ts';

export class BudgetExceededError extends PermanentError {
  override name = 'BudgetExceededError';
}

function dollars(n: number): string {
  return `$${n.toFixed(4)}`;
}

/**
 * Daily spending caps (UTC days), checked before each model call against what llm_calls
 * already recorded today plus the most the next call can cost.
 */
export function createBudgets(deps: { db: Queryable; globalDailyUsd?: number; personaDailyUsd?: number }) {
  async function spentToday(personaId: string): Promise<{ persona: number; all: number }> {
    const [row] = await deps.db.query<{ persona: number; all: number }>(
      `SELECT coalesce(sum(cost_usd) FILTER (WHERE persona_id = $1), 0)::float8 AS persona,
              coalesce(sum(cost_usd), 0)::float8 AS all
         FROM llm_calls WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [personaId],
    );
    return row ?? { persona: 0, all: 0 };
  }

  return async function assertWithinBudget(persona: { id: string; slug: string; daily_budget_usd?: number | null }, nextCallUsd: number) {
    const personaCap = persona.daily_budget_usd ?? deps.personaDailyUsd;
    const globalCap = deps.globalDailyUsd;
    if (personaCap === undefined && globalCap === undefined) return;
    const spent = await spentToday(persona.id);
    if (personaCap !== undefined && spent.persona + nextCallUsd > personaCap) {
      throw new BudgetExceededError(
        `daily budget of persona ${persona.slug} reached: spent ${dollars(spent.persona)} today, the next call may cost up to ${dollars(nextCallUsd)}, cap ${dollars(personaCap)}`,
      );
    }
    if (globalCap !== undefined && spent.all + nextCallUsd > globalCap) {
      throw new BudgetExceededError(
        `global daily budget reached (LLM_DAILY_BUDGET_USD): spent ${dollars(spent.all)} today, the next call may cost up to ${dollars(nextCallUsd)}, cap ${dollars(globalCap)}`,
      );
    }
  };
}

export type AssertWithinBudget = ReturnType<typeof createBudgets>;
