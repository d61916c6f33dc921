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
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, a Monday: UTC weeks start there, as PostgreSQL's date_trunc('week') does. */
const FIRST_MONDAY_MS = 4 * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** Where a part of the window is summed from: the roll-ups llm_calls' triggers keep, or the calls. */
export type CostSource = 'llm_costs_weekly' | 'llm_costs_daily' | 'llm_calls';
export interface CostSpan {
  source: CostSource;
  from: number;
  to: number;
  /** Added (1), or taken off (-1) a coarser span that covers more than the window. */
  sign: 1 | -1;
}

const WEEK = { source: 'llm_costs_weekly', ms: WEEK_MS, origin: FIRST_MONDAY_MS } as const;
const UNITS = [WEEK, { source: 'llm_costs_daily', ms: DAY_MS, origin: 0 }] as const;
const floorTo = (ms: number, unit: { ms: number; origin: number }) =>
  unit.origin + Math.floor((ms - unit.origin) / unit.ms) * unit.ms;

/**
 * Spans of whole weeks, whole days and single calls that add up to [from, to). A part of the
 * window inside one unit is read from finer spans, or, when it is more than half the unit, as the
 * whole unit less the finer spans outside the window.
 */
export function planCostWindow(from: number, to: number, level = 0, sign: 1 | -1 = 1): CostSpan[] {
  if (from >= to) return [];
  const unit = UNITS[level];
  if (!unit) return [{ source: 'llm_calls', from, to, sign }];
  const first = floorTo(from, unit);
  if (to <= first + unit.ms) {
    if (to - from <= unit.ms / 2) return planCostWindow(from, to, level + 1, sign);
    const less = -sign as 1 | -1;
    return [
      { source: unit.source, from: first, to: first + unit.ms, sign },
      ...planCostWindow(first, from, level + 1, less),
      ...planCostWindow(to, first + unit.ms, level + 1, less),
    ];
  }
  const start = first === from ? from : first + unit.ms;
  const end = floorTo(to, unit);
  return [
    ...(start < end ? [{ source: unit.source, from: start, to: end, sign }] : []),
    ...planCostWindow(from, start, level, sign),
    ...planCostWindow(end, to, level, sign),
  ];
}

/** One span's rows as (group, calls, cache hits, tokens, dollars), negated when it is taken off. */
function spanSql(span: CostSpan, column: string, fromParam: number): string {
  const neg = span.sign < 0 ? '-' : '';
  const where = (key: string, cast: string) => `${key} >= $${fromParam}${cast} AND ${key} < $${fromParam + 1}${cast}`;
  if (span.source === 'llm_calls') {
    return `SELECT ${column} AS g, ${span.sign} AS calls, ${neg}cache_hit::int AS cache_hits, ${neg}prompt_tokens AS prompt_tokens,
                   ${neg}completion_tokens AS completion_tokens, ${neg}cost_usd AS cost_usd
              FROM llm_calls WHERE ${where('created_at', '::timestamptz')}`;
  }
  return `SELECT ${column} AS g, ${neg}calls AS calls, ${neg}cache_hits AS cache_hits, ${neg}prompt_tokens AS prompt_tokens,
                 ${neg}completion_tokens AS completion_tokens, ${neg}cost_usd AS cost_usd
            FROM ${span.source} WHERE ${where(span.source === 'llm_costs_weekly' ? 'week' : 'day', '::date')}`;
}

/**
 * Model spend and tokens, grouped by model, service or persona: whole UTC weeks and days from the
 * roll-ups llm_calls' triggers keep (migrations 015 and 019), what is left at the window's ends
 * from llm_calls.
 */
export function createCostsService(deps: { db: Queryable; now: () => Date }) {
  return async function reportCosts(query: { from?: string; to?: string; group_by: CostGroup }) {
    const now = deps.now();
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from > to) throw new AppError('bad_request', '`from` must be before `to`');
    // Open-ended, the window may run to the end of this week: no call is recorded after now.
    const end = query.to === undefined ? floorTo(to.getTime(), WEEK) + WEEK_MS : to.getTime();
    const spans = planCostWindow(from.getTime(), end);
    const column = GROUP_COLUMN[query.group_by];
    const params = spans.flatMap((span) =>
      span.source === 'llm_calls'
        ? [iso(span.from), iso(span.to)]
        : [iso(span.from).slice(0, 10), iso(span.to).slice(0, 10)],
    );
    const rows =
      spans.length === 0
        ? []
        : await deps.db.query<CostRow>(
            `WITH grouped AS (
               SELECT g, sum(calls) AS calls, sum(cache_hits) AS cache_hits, sum(prompt_tokens) AS prompt_tokens,
                      sum(completion_tokens) AS completion_tokens, sum(cost_usd) AS cost_usd
                 FROM (${spans.map((span, i) => spanSql(span, column, 2 * i + 1)).join(' UNION ALL ')}) parts
                GROUP BY g)
             SELECT ${query.group_by === 'persona' ? "coalesce(p.slug, 'unattributed')" : 'g'} AS key,
                    sum(calls)::int AS calls, sum(cache_hits)::int AS cache_hits,
                    sum(prompt_tokens)::int AS prompt_tokens, sum(completion_tokens)::int AS completion_tokens,
                    sum(cost_usd)::float8 AS cost_usd
               FROM grouped ${query.group_by === 'persona' ? 'LEFT JOIN personas p ON p.id = grouped.g' : ''}
              GROUP BY 1 HAVING sum(calls) > 0 ORDER BY cost_usd DESC, key`,
            params,
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
