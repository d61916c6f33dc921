-- Calls, tokens and dollars per UTC week (starting Monday), model, service and persona, beside the
-- days: GET /v1/costs sums a 30-day window over 500 personas from ~4 weeks and a few signed days
-- (~3,000 roll-up rows) instead of 30 days (15,000 rows), and a year from 52 weeks instead of 365 days.
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

-- Adds a change (dated by day, as llm_calls_add gets it) to the weeks.
CREATE FUNCTION llm_costs_add_weeks(changes llm_call_change[]) RETURNS void LANGUAGE sql AS $$
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
$$;

SELECT llm_costs_add_weeks(array(
  SELECT row(day, model, service, persona_id, calls, cache_hits, prompt_tokens, completion_tokens, cost_usd)::llm_call_change
    FROM llm_costs_daily));

-- 015's function keeps the days and the budget; the weeks follow in the same statement.
ALTER FUNCTION llm_calls_add(llm_call_change[]) RENAME TO llm_calls_add_days;
CREATE FUNCTION llm_calls_add(changes llm_call_change[]) RETURNS void LANGUAGE sql AS $$
  SELECT llm_calls_add_days(changes);
  SELECT llm_costs_add_weeks(changes);
$$;
