import { lockForTransaction, type Database, type Queryable } from '../db/index.ts';
import { PermanentError } from '../errors.ts';

export class BudgetExceededError extends PermanentError {
  override name = 'BudgetExceededError';
}

/** Gives back what a reservation held, once the call's real cost is recorded (or it failed). */
export type ReleaseBudget = () => Promise<void>;

const TODAY_UTC = `date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

function dollars(n: number): string {
  return `$${n.toFixed(4)}`;
}

/** Today's recorded spend comes from the daily roll-up llm_calls' triggers keep (migration 011): a few hundred rows. */
async function spentToday(q: Queryable, personaId: string): Promise<{ persona: number; all: number }> {
  const [row] = await q.query<{ persona: number; all: number }>(
    `SELECT coalesce(sum(usd) FILTER (WHERE persona_id = $1), 0)::float8 AS persona, coalesce(sum(usd), 0)::float8 AS all
       FROM (SELECT persona_id, usd FROM llm_spend_daily WHERE day = (now() AT TIME ZONE 'UTC')::date
             UNION ALL
             SELECT persona_id, usd FROM llm_budget_reservations WHERE created_at >= ${TODAY_UTC}) spent`,
    [personaId],
  );
  return row ?? { persona: 0, all: 0 };
}

const nothingHeld: ReleaseBudget = async () => {};

/**
 * Daily spending caps (UTC days). Before each model call, what llm_calls recorded today, plus what
 * calls in flight hold, plus the most the next call can cost must stay within the persona's and the
 * global cap; the next call's most is then held until it is recorded. The check and the hold are one
 * step under an advisory lock, so no number of workers can overspend a cap together.
 */
export function createBudgets(deps: { db: Database; globalDailyUsd?: number; personaDailyUsd?: number }) {
  return async function reserveBudget(
    persona: { id: string; slug: string; daily_budget_usd?: number | null },
    nextCallUsd: number,
  ): Promise<ReleaseBudget> {
    const personaCap = persona.daily_budget_usd ?? deps.personaDailyUsd;
    const globalCap = deps.globalDailyUsd;
    if (personaCap === undefined && globalCap === undefined) return nothingHeld;
    const id = await deps.db.transaction(async (tx) => {
      await lockForTransaction(tx, 'budgets');
      const spent = await spentToday(tx, persona.id);
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
      const [row] = await tx.query<{ id: string }>(
        'INSERT INTO llm_budget_reservations (persona_id, usd) VALUES ($1, $2) RETURNING id',
        [persona.id, nextCallUsd],
      );
      return row!.id;
    });
    return async () => {
      // Yesterday's holds, left by workers that died mid-call, no longer count: they go with this one.
      await deps.db.query(`DELETE FROM llm_budget_reservations WHERE id = $1 OR created_at < ${TODAY_UTC}`, [id]);
    };
  };
}

export type ReserveBudget = ReturnType<typeof createBudgets>;
