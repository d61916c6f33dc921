-- Reads that stay cheap at a million posts (measured by bench/at-scale.ts).

-- Post lists filtered by persona alone or by status alone walk an index in the order they return:
-- posts_persona_list (persona, status, created_at) serves both filters together only.
CREATE INDEX posts_persona_created ON posts (persona_id, created_at DESC, id DESC);
CREATE INDEX posts_status_created ON posts (status, created_at DESC, id DESC);

-- Each vector also as float4s in network byte order, so a server without pgvector sends the
-- scanned vectors as bytes that Node reads through a Float32Array instead of parsing real[] text.
-- Generated, so every writer (and the rows already there) gets it without knowing.
CREATE FUNCTION float4_array_bytes(v real[]) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_agg(float4send(x), ''::bytea ORDER BY i) FROM unnest(v) WITH ORDINALITY AS u(x, i)
$$;
ALTER TABLE post_embeddings ADD COLUMN embedding_bytes bytea GENERATED ALWAYS AS (float4_array_bytes(embedding)) STORED;
-- Which posts are the latest is read from the index alone (an index-only scan once autovacuum has
-- marked the pages visible): 5,000 rows in ~1 ms instead of ~20 ms of heap fetches.
DROP INDEX post_embeddings_persona_recent;
DROP INDEX post_embeddings_recent;
CREATE INDEX post_embeddings_persona_recent ON post_embeddings (model, persona_id, created_at DESC) INCLUDE (post_id);
CREATE INDEX post_embeddings_recent ON post_embeddings (model, created_at DESC) INCLUDE (post_id, persona_id);

-- Model dollars per UTC day and persona (NULL: calls made for no persona), kept by statement
-- triggers on llm_calls in the same transaction as the calls, so the budget check before each
-- model call reads a few hundred rows however many calls the day has had.
CREATE TABLE llm_spend_daily (
  day date NOT NULL,
  persona_id uuid,
  usd numeric(20, 8) NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (day, persona_id)
);

-- Only non-zero changes are written: attributing calls to their post (an UPDATE of post_id) and
-- free calls (cache hits) take no lock on the day's row.
CREATE FUNCTION llm_spend_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO llm_spend_daily (day, persona_id, usd)
    SELECT (created_at AT TIME ZONE 'UTC')::date, persona_id, sum(cost_usd) FROM new_calls
     GROUP BY 1, 2 HAVING sum(cost_usd) <> 0
    ON CONFLICT (day, persona_id) DO UPDATE SET usd = llm_spend_daily.usd + excluded.usd;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO llm_spend_daily (day, persona_id, usd)
    SELECT (created_at AT TIME ZONE 'UTC')::date, persona_id, -sum(cost_usd) FROM old_calls
     GROUP BY 1, 2 HAVING sum(cost_usd) <> 0
    ON CONFLICT (day, persona_id) DO UPDATE SET usd = llm_spend_daily.usd + excluded.usd;
  ELSE
    INSERT INTO llm_spend_daily (day, persona_id, usd)
    SELECT day, persona_id, sum(usd) FROM (
      SELECT (created_at AT TIME ZONE 'UTC')::date AS day, persona_id, cost_usd AS usd FROM new_calls
      UNION ALL
      SELECT (created_at AT TIME ZONE 'UTC')::date, persona_id, -cost_usd FROM old_calls) change
     GROUP BY 1, 2 HAVING sum(usd) <> 0
    ON CONFLICT (day, persona_id) DO UPDATE SET usd = llm_spend_daily.usd + excluded.usd;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER llm_calls_spend_insert AFTER INSERT ON llm_calls REFERENCING NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION llm_spend_daily_add();
CREATE TRIGGER llm_calls_spend_update AFTER UPDATE ON llm_calls REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls
  FOR EACH STATEMENT EXECUTE FUNCTION llm_spend_daily_add();
CREATE TRIGGER llm_calls_spend_delete AFTER DELETE ON llm_calls REFERENCING OLD TABLE AS old_calls
  FOR EACH STATEMENT EXECUTE FUNCTION llm_spend_daily_add();

INSERT INTO llm_spend_daily (day, persona_id, usd)
SELECT (created_at AT TIME ZONE 'UTC')::date, persona_id, sum(cost_usd) FROM llm_calls GROUP BY 1, 2;

-- The business gauges as the worker's refresh-kpis job last computed them (src/kpis/kpi-rollup.ts).
CREATE TABLE kpi_rollups (
  name text PRIMARY KEY,
  as_of timestamptz NOT NULL,
  body jsonb NOT NULL
);
