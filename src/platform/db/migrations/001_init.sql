CREATE TABLE personas (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  niche text NOT NULL,
  audience text NOT NULL,
  voice text NOT NULL,
  tone text NOT NULL,
  topics jsonb NOT NULL CHECK (jsonb_typeof(topics) = 'array'),
  vocabulary jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(vocabulary) = 'array'),
  banned_words jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(banned_words) = 'array'),
  banned_topics jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(banned_topics) = 'array'),
  hook_patterns jsonb NOT NULL CHECK (jsonb_typeof(hook_patterns) = 'array'),
  source text NOT NULL DEFAULT 'user' CHECK (source IN ('library', 'user')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
-- A deleted persona keeps its posts and history but frees its slug.
CREATE UNIQUE INDEX personas_slug_live ON personas (slug) WHERE deleted_at IS NULL;
CREATE INDEX personas_created ON personas (created_at, id) WHERE deleted_at IS NULL;

CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  persona_id uuid NOT NULL REFERENCES personas (id),
  topic text CHECK (char_length(topic) <= 280),
  variants integer NOT NULL CHECK (variants BETWEEN 1 AND 10),
  seed bigint NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  idempotency_key text UNIQUE,
  request_hash text,
  runs integer NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX tasks_persona ON tasks (persona_id, created_at DESC);
CREATE INDEX tasks_status ON tasks (status) WHERE status IN ('queued', 'running');

-- Everything a task's progress stream shows, in order; a late subscriber replays it.
CREATE TABLE task_events (
  id bigserial PRIMARY KEY,
  task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('task_started', 'node_started', 'node_finished', 'done', 'error')),
  node text,
  variant integer,
  attempt integer,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_events_task ON task_events (task_id, id);

CREATE TABLE posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  persona_id uuid NOT NULL REFERENCES personas (id),
  task_id uuid REFERENCES tasks (id),
  variant integer NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('draft', 'rejected')),
  topic text,
  hook_pattern text NOT NULL,
  hook text NOT NULL,
  body text NOT NULL,
  text text NOT NULL,
  quality_score real CHECK (quality_score BETWEEN 0 AND 1),
  score_breakdown jsonb NOT NULL DEFAULT '{}',
  rejection_reason text CHECK (rejection_reason IN ('rejected_quality', 'rejected_duplicate', 'rejected_guard')),
  rejection_detail jsonb,
  attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  models jsonb NOT NULL DEFAULT '{}',
  prompt_tokens integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
  completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
  cost_usd numeric(14, 8) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
  CHECK (status = 'rejected' OR char_length(text) <= 500)
);
-- A retried job must not write a variant twice.
CREATE UNIQUE INDEX posts_task_variant ON posts (task_id, variant) WHERE task_id IS NOT NULL;
CREATE INDEX posts_list ON posts (created_at DESC, id DESC);
CREATE INDEX posts_persona_list ON posts (persona_id, status, created_at DESC, id DESC);

CREATE TABLE llm_calls (
  id bigserial PRIMARY KEY,
  provider text NOT NULL,
  model text NOT NULL,
  service text NOT NULL,
  persona_id uuid REFERENCES personas (id),
  task_id uuid REFERENCES tasks (id) ON DELETE SET NULL,
  post_id uuid REFERENCES posts (id) ON DELETE SET NULL,
  prompt_tokens integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
  completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
  cost_usd numeric(14, 8) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  latency_ms integer NOT NULL CHECK (latency_ms >= 0),
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error')),
  error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX llm_calls_persona ON llm_calls (persona_id, created_at);
CREATE INDEX llm_calls_post ON llm_calls (post_id);
CREATE INDEX llm_calls_task ON llm_calls (task_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  role text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin')),
  created_at timestamptz NOT NULL DEFAULT now()
);
