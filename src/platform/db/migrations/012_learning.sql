-- The learning loop. A persona on autopilot ({posts_per_day, topics?}) writes and publishes on its own;
-- learning_mode off makes its choices uniform, as before the loop existed.
ALTER TABLE personas
  ADD COLUMN autopilot jsonb CHECK (autopilot IS NULL OR jsonb_typeof(autopilot) = 'object'),
  ADD COLUMN learning_mode text NOT NULL DEFAULT 'on' CHECK (learning_mode IN ('off', 'on'));

-- Every choice the loop made for a post, with the probability it had, so policies can be replayed and
-- evaluated offline. The hour is chosen before the post exists: its row names the task until the post
-- is stored.
CREATE TABLE learning_decisions (
  id bigserial PRIMARY KEY,
  post_id uuid REFERENCES posts (id) ON DELETE CASCADE,
  task_id uuid REFERENCES tasks (id) ON DELETE SET NULL,
  persona_id uuid NOT NULL REFERENCES personas (id),
  choice text NOT NULL CHECK (choice IN ('hook_pattern', 'length', 'closing', 'emoji', 'hour')),
  arm text NOT NULL,
  probability real NOT NULL CHECK (probability BETWEEN 0 AND 1),
  policy_version text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('explore', 'exploit', 'control', 'off')),
  decided_at timestamptz NOT NULL,
  CHECK (post_id IS NOT NULL OR task_id IS NOT NULL)
);
CREATE UNIQUE INDEX learning_decisions_post_choice ON learning_decisions (post_id, choice) WHERE post_id IS NOT NULL;
CREATE INDEX learning_decisions_task ON learning_decisions (task_id) WHERE post_id IS NULL;
CREATE INDEX learning_decisions_persona ON learning_decisions (persona_id, decided_at DESC);

-- A post's reward: its engagement rate at the reward age over the persona's recent baseline. One row
-- per post, written once the post is old enough; younger posts have none (pending, not failures).
CREATE TABLE learning_rewards (
  post_id uuid PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  persona_id uuid NOT NULL REFERENCES personas (id),
  published_at timestamptz NOT NULL,
  views integer NOT NULL,
  engagement_rate double precision NOT NULL,
  baseline double precision NOT NULL,
  reward double precision NOT NULL,
  grp text NOT NULL CHECK (grp IN ('learned', 'control', 'off')),
  computed_at timestamptz NOT NULL
);
CREATE INDEX learning_rewards_persona ON learning_rewards (persona_id, published_at DESC);

-- The engagement predictor, retrained on a schedule; the newest row is the one in use.
CREATE TABLE engagement_predictors (
  id bigserial PRIMARY KEY,
  trained_at timestamptz NOT NULL,
  model jsonb NOT NULL,
  train_size integer NOT NULL,
  holdout_size integer NOT NULL,
  spearman double precision,
  baseline_spearman double precision
);

-- Autopilot's own posts: which slot of which day a task fills, so a tick never writes a slot twice.
CREATE TABLE autopilot_slots (
  persona_id uuid NOT NULL REFERENCES personas (id),
  slot_at timestamptz NOT NULL,
  -- The UTC day whose plan the slot belongs to (a slot pushed past midnight by the gap stays in it).
  plan_day date NOT NULL,
  task_id uuid REFERENCES tasks (id) ON DELETE SET NULL,
  topic text,
  -- The hour decision, logged against the task once the slot's task is created.
  hour_arm text NOT NULL,
  probability real NOT NULL,
  mode text NOT NULL,
  policy_version text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (persona_id, slot_at)
);
CREATE INDEX autopilot_slots_day ON autopilot_slots (persona_id, plan_day);
CREATE INDEX autopilot_slots_due ON autopilot_slots (slot_at) WHERE task_id IS NULL;
