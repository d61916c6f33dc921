-- Calls, tokens and dollars per UTC week (starting Monday), model, service and persona, beside the
-- days: GET /v1/costs sums a 30-day window over 500 personas from ~4 weeks and a few signed days
-- (~3,500 rows) instead of 30 days (15,000 rows), and a year from 52 weeks instead of 365 days.
CREATE TABLE llm_costs_weekly (
  week date NOT NULL,
  model text NOT NULL,
  service text NOT NULL,
  persona_id uuid,
  calls bigint NOT NULL,
  cache_hits bigint NOT NULL,
  prompt_tokens bigint NOT NULL,
  completion_tokens bigint NOT NULL,
  cost_usd numeric(20, 8) NOT NULL,
  UNIQUE NULLS NOT DISTINCT (week, model, service, persona_id)
);

INSERT INTO llm_costs_weekly
SELECT date_trunc('week', day)::date, model, service, persona_id, sum(calls), sum(cache_hits), sum(prompt_tokens),
       sum(completion_tokens), sum(cost_usd)
  FROM llm_costs_daily GROUP BY 1, 2, 3, 4;

-- As in 015, with the weeks kept in the same statement as the days.
CREATE OR REPLACE FUNCTION llm_calls_add(changes llm_call_change[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO llm_costs_daily AS r
  SELECT day, model, service, persona_id, sum(calls), sum(cache_hits), sum(prompt_tokens), sum(completion_tokens),
         sum(cost_usd)
    FROM unnest(changes) GROUP BY 1, 2, 3, 4
  HAVING sum(calls) <> 0 OR sum(cache_hits) <> 0 OR sum(prompt_tokens) <> 0 OR sum(completion_tokens) <> 0
      OR sum(cost_usd) <> 0
  ON CONFLICT (day, model, service, persona_id) DO UPDATE
     SET calls = r.calls + excluded.calls, cache_hits = r.cache_hits + excluded.cache_hits,
         prompt_tokens = r.prompt_tokens + excluded.prompt_tokens,
         completion_tokens = r.completion_tokens + excluded.completion_tokens, cost_usd = r.cost_usd + excluded.cost_usd;
  INSERT INTO llm_costs_weekly AS r
  SELECT date_trunc('week', day)::date, model, service, persona_id, sum(calls), sum(cache_hits), sum(prompt_tokens),
         sum(completion_tokens), sum(cost_usd)
    FROM unnest(changes) GROUP BY 1, 2, 3, 4
  HAVING sum(calls) <> 0 OR sum(cache_hits) <> 0 OR sum(prompt_tokens) <> 0 OR sum(completion_tokens) <> 0
      OR sum(cost_usd) <> 0
  ON CONFLICT (week, model, service, persona_id) DO UPDATE
     SET calls = r.calls + excluded.calls, cache_hits = r.cache_hits + excluded.cache_hits,
         prompt_tokens = r.prompt_tokens + excluded.prompt_tokens,
         completion_tokens = r.completion_tokens + excluded.completion_tokens, cost_usd = r.cost_usd + excluded.cost_usd;
  INSERT INTO llm_budget_days AS b (day, persona_id, spent)
  SELECT day, persona_id, sum(cost_usd) FROM unnest(changes) WHERE persona_id IS NOT NULL
   GROUP BY 1, 2 HAVING sum(cost_usd) <> 0
  ON CONFLICT (day, persona_id) DO UPDATE SET spent = b.spent + excluded.spent;
  INSERT INTO llm_budget_days AS b (day, persona_id, spent)
  SELECT day, NULL, sum(cost_usd) FROM unnest(changes) GROUP BY 1 HAVING sum(cost_usd) <> 0
  ON CONFLICT (day, persona_id) DO UPDATE SET spent = b.spent + excluded.spent;
$$;
