-- Identical model requests are answered from here until they expire.
CREATE TABLE llm_cache (
  key text PRIMARY KEY,
  model text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX llm_cache_expires ON llm_cache (expires_at);

ALTER TABLE llm_calls
  ADD COLUMN cache_hit boolean NOT NULL DEFAULT false,
  -- False when the model is missing from the price table: its dollars are 0 and should not be trusted.
  ADD COLUMN priced boolean NOT NULL DEFAULT true;
CREATE INDEX llm_calls_created ON llm_calls (created_at);

-- Per-persona model tiers and daily budget; NULL means the configured default.
ALTER TABLE personas
  ADD COLUMN hook_model text CHECK (char_length(hook_model) BETWEEN 1 AND 100),
  ADD COLUMN body_model text CHECK (char_length(body_model) BETWEEN 1 AND 100),
  ADD COLUMN daily_budget_usd numeric(12, 4) CHECK (daily_budget_usd >= 0);
