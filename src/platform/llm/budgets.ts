import type { Database } from '../db/index.ts';
import { PermanentError } from '../errors.ts';

export class BudgetExceededError extends PermanentError {
  override name = 'BudgetExceededError';
}

/** Gives back what a reservation held, once the call's real cost is recorded (or it failed). */
export type ReleaseBudget = () => Promise<void>;

function dollars(n: number): string {
  return `$${n.toFixed(4)}`;
}

const nothingHeld: ReleaseBudget = async () => {};

/**
 * Daily spending caps (UTC days). Before each model call, what llm_calls recorded today, plus what
 * calls in flight hold, plus the most the next call can cost must stay within the persona's and the
 * global cap; the next call's most is then held until it is recorded. The check and the hold are one
 * statement on the day's rows in llm_budget_days (migration 015): each row's lock makes concurrent
 * checks from any number of workers take turns, so they cannot overspend a cap together.
 */
export function createBudgets(deps: { db: Database; globalDailyUsd?: number; personaDailyUsd?: number }) {
  return async function reserveBudget(
    persona: { id: string; slug: string; daily_budget_usd?: number | null },
    nextCallUsd: number,
  ): Promise<ReleaseBudget> {
    const personaCap = persona.daily_budget_usd ?? deps.personaDailyUsd;
    const globalCap = deps.globalDailyUsd;
    if (personaCap === undefined && globalCap === undefined) return nothingHeld;
    // The day is the server's, as the triggers that record spend see it.
    const [held] = await deps.db.query<{ day: string; refused: 'persona' | 'global' | null; spent: number | null }>(
      `SELECT (now() AT TIME ZONE 'UTC')::date::text AS day, h.refused, h.spent_usd AS spent
         FROM llm_budget_hold((now() AT TIME ZONE 'UTC')::date, $1, $2, $3, $4) h`,
      [persona.id, nextCallUsd, personaCap ?? null, globalCap ?? null],
    );
    if (held?.refused === 'persona') {
      throw new BudgetExceededError(
        `daily budget of persona ${persona.slug} reached: spent ${dollars(held.spent ?? 0)} today, the next call may cost up to ${dollars(nextCallUsd)}, cap ${dollars(personaCap!)}`,
      );
    }
    if (held?.refused === 'global') {
      throw new BudgetExceededError(
        `global daily budget reached (LLM_DAILY_BUDGET_USD): spent ${dollars(held.spent ?? 0)} today, the next call may cost up to ${dollars(nextCallUsd)}, cap ${dollars(globalCap!)}`,
      );
    }
    return async () => {
      await deps.db.query('SELECT llm_budget_release($1::date, $2, $3)', [held!.day, persona.id, nextCallUsd]);
    };
  };
}

export type ReserveBudget = ReturnType<typeof createBudgets>;
