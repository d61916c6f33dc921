-- Model spend per UTC day, kept by statement triggers on llm_calls in the calls' own transaction:
-- the budget check holds and checks one row per cap in one statement, and GET /v1/costs sums days
-- instead of every call of the last 30 (measured by bench/at-scale.ts).

-- Per UTC day: a row per persona and one for everyone (persona_id NULL; calls made for no persona
-- count there only). spent is what llm_calls recorded; held is the most that calls in flight may
-- still cost, added by the check before a call and taken off once the call is recorded. A hold left
-- by a worker that died mid-call still counts for its day (the provider may have billed the call)
-- and for no other.
CREATE TABLE llm_budget_days (
  day date NOT NULL,
  persona_id uuid,
  spent numeric(20, 8) NOT NULL DEFAULT 0,
  held numeric(20, 8) NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (day, persona_id)
);

-- Calls, tokens and dollars per UTC day, model, service and persona: what GET /v1/costs groups.
CREATE TABLE llm_costs_daily (
  day date NOT NULL,
  model text NOT NULL,
  service text NOT NULL,
  persona_id uuid,
  calls bigint NOT NULL,
  cache_hits bigint NOT NULL,
  prompt_tokens bigint NOT NULL,
  completion_tokens bigint NOT NULL,
  cost_usd numeric(20, 8) NOT NULL,
  UNIQUE NULLS NOT DISTINCT (day, model, service, persona_id)
);

INSERT INTO llm_budget_days (day, persona_id, spent)
SELECT (created_at AT TIME ZONE 'UTC')::date, persona_id, sum(cost_usd) FROM llm_calls
 WHERE persona_id IS NOT NULL GROUP BY 1, 2
UNION ALL
SELECT (created_at AT TIME ZONE 'UTC')::date, NULL, sum(cost_usd) FROM llm_calls GROUP BY 1;

INSERT INTO llm_budget_days AS b (day, persona_id, held)
SELECT (created_at AT TIME ZONE 'UTC')::date, persona_id, sum(usd) FROM llm_budget_reservations GROUP BY 1, 2
UNION ALL
SELECT (created_at AT TIME ZONE 'UTC')::date, NULL, sum(usd) FROM llm_budget_reservations GROUP BY 1
ON CONFLICT (day, persona_id) DO UPDATE SET held = b.held + excluded.held;

INSERT INTO llm_costs_daily
SELECT (created_at AT TIME ZONE 'UTC')::date, model, service, persona_id, count(*), count(*) FILTER (WHERE cache_hit),
       sum(prompt_tokens), sum(completion_tokens), sum(cost_usd)
  FROM llm_calls GROUP BY 1, 2, 3, 4;

-- Replaced by llm_budget_days.
DROP TRIGGER llm_calls_spend_insert ON llm_calls;
DROP TRIGGER llm_calls_spend_update ON llm_calls;
DROP TRIGGER llm_calls_spend_delete ON llm_calls;
DROP FUNCTION llm_spend_daily_add();
DROP TABLE llm_spend_daily;
DROP TABLE llm_budget_reservations;

-- A statement's change to llm_calls: its new rows, less its old ones.
CREATE TYPE llm_call_change AS (
  day date, model text, service text, persona_id uuid, calls bigint, cache_hits bigint, prompt_tokens bigint,
  completion_tokens bigint, cost_usd numeric
);

-- Adds a change to both roll-ups. Persona rows are locked before everyone's row, the order the budget
-- check locks them in. Groups a change leaves as they were (attributing calls to their post) are not
-- written, so they take no lock.
CREATE FUNCTION llm_calls_add(changes llm_call_change[]) RETURNS void LANGUAGE sql AS $$
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
  INSERT INTO llm_budget_days AS b (day, persona_id, spent)
  SELECT day, persona_id, sum(cost_usd) FROM unnest(changes) WHERE persona_id IS NOT NULL
   GROUP BY 1, 2 HAVING sum(cost_usd) <> 0
  ON CONFLICT (day, persona_id) DO UPDATE SET spent = b.spent + excluded.spent;
  INSERT INTO llm_budget_days AS b (day, persona_id, spent)
  SELECT day, NULL, sum(cost_usd) FROM unnest(changes) GROUP BY 1 HAVING sum(cost_usd) <> 0
  ON CONFLICT (day, persona_id) DO UPDATE SET spent = b.spent + excluded.spent;
$$;

-- Each side of a statement's change is summed per group before it is passed on: a bulk insert of
-- millions of calls hands over a few thousand groups.
CREATE FUNCTION llm_calls_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added llm_call_change[] := '{}';
  removed llm_call_change[] := '{}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    added := array(
      SELECT row((created_at AT TIME ZONE 'UTC')::date, model, service, persona_id, count(*),
                 count(*) FILTER (WHERE cache_hit), sum(prompt_tokens), sum(completion_tokens), sum(cost_usd))::llm_call_change
        FROM new_calls GROUP BY (created_at AT TIME ZONE 'UTC')::date, model, service, persona_id);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    removed := array(
      SELECT row((created_at AT TIME ZONE 'UTC')::date, model, service, persona_id, -count(*),
                 -count(*) FILTER (WHERE cache_hit), -sum(prompt_tokens), -sum(completion_tokens), -sum(cost_usd))::llm_call_change
        FROM old_calls GROUP BY (created_at AT TIME ZONE 'UTC')::date, model, service, persona_id);
  END IF;
  PERFORM llm_calls_add(added || removed);
  RETURN NULL;
END
$$;
CREATE TRIGGER llm_calls_roll_up_insert AFTER INSERT ON llm_calls REFERENCING NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION llm_calls_roll_up();
CREATE TRIGGER llm_calls_roll_up_update AFTER UPDATE ON llm_calls REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION llm_calls_roll_up();
CREATE TRIGGER llm_calls_roll_up_delete AFTER DELETE ON llm_calls REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION llm_calls_roll_up();

-- The check and hold before a model call, as one statement: the persona's row and then everyone's
-- are each raised by the call's most only if it stays within that cap (NULL: no cap), the row lock
-- making concurrent checks from any number of workers wait their turn; if the second refuses, the
-- first is given back in the same transaction. Refused: which cap, and what it has spent and held.
CREATE FUNCTION llm_budget_hold(p_day date, p_persona uuid, p_usd numeric, p_persona_cap numeric, p_global_cap numeric)
RETURNS TABLE (refused text, spent_usd float8) LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO llm_budget_days (day, persona_id) VALUES (p_day, p_persona), (p_day, NULL) ON CONFLICT DO NOTHING;
  UPDATE llm_budget_days SET held = held + p_usd
   WHERE day = p_day AND persona_id = p_persona AND (p_persona_cap IS NULL OR spent + held + p_usd <= p_persona_cap);
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'persona', (b.spent + b.held)::float8 FROM llm_budget_days b
      WHERE b.day = p_day AND b.persona_id = p_persona;
    RETURN;
  END IF;
  UPDATE llm_budget_days SET held = held + p_usd
   WHERE day = p_day AND persona_id IS NULL AND (p_global_cap IS NULL OR spent + held + p_usd <= p_global_cap);
  IF NOT FOUND THEN
    UPDATE llm_budget_days SET held = held - p_usd WHERE day = p_day AND persona_id = p_persona;
    RETURN QUERY SELECT 'global', (b.spent + b.held)::float8 FROM llm_budget_days b
      WHERE b.day = p_day AND b.persona_id IS NULL;
    RETURN;
  END IF;
  RETURN QUERY SELECT NULL::text, NULL::float8;
END
$$;

-- Gives back a hold once its call is recorded (or failed): the persona's row, then everyone's.
CREATE FUNCTION llm_budget_release(p_day date, p_persona uuid, p_usd numeric) RETURNS void LANGUAGE sql AS $$
  UPDATE llm_budget_days SET held = held - p_usd WHERE day = p_day AND persona_id = p_persona;
  UPDATE llm_budget_days SET held = held - p_usd WHERE day = p_day AND persona_id IS NULL;
$$;
