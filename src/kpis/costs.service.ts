import type { Queryable } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';

export const COST_GROUPS = ['model', 'service', 'persona'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

export interface CostRow {
  key: string;
  calls: number;
  cache_hits: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}

/** The column each grouping reads (persona: its id, named by slug once summed). */
const GROUP_COLUMN: Record<CostGroup, string> = { model: 'model', service: 'service', persona: 'persona_id' };

const DAY_MS = 86_400_000;
const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const ceilDay = (ms: number) => Math.ceil(ms / DAY_MS) * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** Calls read one by one from llm_calls, added (1) or taken off (-1) the whole days summed. */
interface CallRange {
  from: number;
  to: number;
  sign: 1 | -1;
}

/**
 * Which of [from, to) comes from llm_costs_daily (whole UTC days) and which from llm_calls: each
 * partial day at an end is read as its calls within the window, or as its whole day less its
 * calls outside, whichever is the shorter half. Open-ended (`to` not given), today's row counts
 * whole: no call is recorded after now.
 */
export function planCostWindow(from: number, to: number, openEnded: boolean) {
  const end = openEnded ? floorDay(to) + DAY_MS : to;
  if (end - from <= DAY_MS) return { days: { from: 0, to: 0 }, calls: [{ from, to: end, sign: 1 }] as CallRange[] };
  const days = { from: ceilDay(from), to: floorDay(end) };
  const calls: CallRange[] = [];
  if (days.from - from > DAY_MS / 2) {
    days.from -= DAY_MS;
    calls.push({ from: days.from, to: from, sign: -1 });
  } else if (days.from > from) calls.push({ from, to: days.from, sign: 1 });
  if (end - days.to > DAY_MS / 2) {
    calls.push({ from: end, to: days.to + DAY_MS, sign: -1 });
    days.to += DAY_MS;
  } else if (end > days.to) calls.push({ from: days.to, to: end, sign: 1 });
  return { days, calls };
}

const NO_CALLS: CallRange = { from: 0, to: 0, sign: 1 };

/**
 * Model spend and tokens, grouped by model, service or persona: whole UTC days from the roll-up
 * llm_calls' triggers keep (migration 015), the partial days at the window's ends from llm_calls.
 */
export function createCostsService(deps: { db: Queryable; now: () => Date }) {
  return async function reportCosts(query: { from?: string; to?: string; group_by: CostGroup }) {
    const now = deps.now();
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from > to) throw new AppError('bad_request', '`from` must be before `to`');
    const plan = planCostWindow(from.getTime(), to.getTime(), query.to === undefined);
    const [first = NO_CALLS, second = NO_CALLS] = plan.calls;
    const column = GROUP_COLUMN[query.group_by];
    const calls = (n: number) =>
      `SELECT ${column} AS g, $${n + 2}::int AS calls, $${n + 2}::int * cache_hit::int AS cache_hits,
              $${n + 2}::int * prompt_tokens AS prompt_tokens, $${n + 2}::int * completion_tokens AS completion_tokens,
              $${n + 2}::int * cost_usd AS cost_usd
         FROM llm_calls WHERE created_at >= $${n} AND created_at < $${n + 1}`;
    const rows = await deps.db.query<CostRow>(
      `WITH grouped AS (
         SELECT g, sum(calls) AS calls, sum(cache_hits) AS cache_hits, sum(prompt_tokens) AS prompt_tokens,
                sum(completion_tokens) AS completion_tokens, sum(cost_usd) AS cost_usd
           FROM (SELECT ${column} AS g, calls, cache_hits, prompt_tokens, completion_tokens, cost_usd
                   FROM llm_costs_daily WHERE day >= $1::date AND day < $2::date
                 UNION ALL ${calls(3)}
                 UNION ALL ${calls(6)}) parts
          GROUP BY g)
       SELECT ${query.group_by === 'persona' ? "coalesce(p.slug, 'unattributed')" : 'g'} AS key,
              sum(calls)::int AS calls, sum(cache_hits)::int AS cache_hits,
              sum(prompt_tokens)::int AS prompt_tokens, sum(completion_tokens)::int AS completion_tokens,
              sum(cost_usd)::float8 AS cost_usd
         FROM grouped ${query.group_by === 'persona' ? 'LEFT JOIN personas p ON p.id = grouped.g' : ''}
        GROUP BY 1 HAVING sum(calls) > 0 ORDER BY cost_usd DESC, key`,
      [
        iso(plan.days.from).slice(0, 10),
        iso(plan.days.to).slice(0, 10),
        iso(first.from),
        iso(first.to),
        first.sign,
        iso(second.from),
        iso(second.to),
        second.sign,
      ],
    );
    const total = rows.reduce(
      (sum, r) => ({
        calls: sum.calls + r.calls,
        cache_hits: sum.cache_hits + r.cache_hits,
        prompt_tokens: sum.prompt_tokens + r.prompt_tokens,
        completion_tokens: sum.completion_tokens + r.completion_tokens,
        cost_usd: sum.cost_usd + r.cost_usd,
      }),
      { calls: 0, cache_hits: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 },
    );
    return { from: from.toISOString(), to: to.toISOString(), group_by: query.group_by, rows, total };
  };
}

export type ReportCosts = ReturnType<typeof createCostsService>;
