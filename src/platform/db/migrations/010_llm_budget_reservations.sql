-- The most an in-flight model call can cost, held against the daily budgets from the check before the
-- call until its llm_calls row is written: concurrent calls (other workers included) cannot all pass
-- the same check. A reservation left by a worker that died mid-call still counts for its day (the
-- provider may have billed the call); a later day's release deletes it.
CREATE TABLE llm_budget_reservations (
  id bigserial PRIMARY KEY,
  persona_id uuid NOT NULL REFERENCES personas (id),
  usd numeric(14, 8) NOT NULL CHECK (usd >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX llm_budget_reservations_created ON llm_budget_reservations (created_at);
