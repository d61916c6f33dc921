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

const GROUP_KEY: Record<CostGroup, string> = {
  model: 'c.model',
  service: 'c.service',
  persona: "coalesce(p.slug, 'unattributed')",
};

const DAY_MS = 86_400_000;

/** Model spend and tokens from llm_calls, grouped by model, service or persona. */
export function createCostsService(deps: { db: Queryable; now: () => Date }) {
  return async function reportCosts(query: { from?: string; to?: string; group_by: CostGroup }) {
    const now = deps.now();
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from > to) throw new AppError('bad_request', '`from` must be before `to`');
    const rows = await deps.db.query<CostRow>(
      `SELECT ${GROUP_KEY[query.group_by]} AS key, count(*)::int AS calls,
              count(*) FILTER (WHERE c.cache_hit)::int AS cache_hits,
              coalesce(sum(c.prompt_tokens), 0)::int AS prompt_tokens,
              coalesce(sum(c.completion_tokens), 0)::int AS completion_tokens,
              coalesce(sum(c.cost_usd), 0)::float8 AS cost_usd
         FROM llm_calls c LEFT JOIN personas p ON p.id = c.persona_id
        WHERE c.created_at >= $1 AND c.created_at < $2
        GROUP BY 1 ORDER BY cost_usd DESC, key`,
      [from.toISOString(), to.toISOString()],
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
