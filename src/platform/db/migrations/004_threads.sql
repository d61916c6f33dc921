-- Publishing: a draft moves draft → approved → scheduled → publishing → published | failed.
ALTER TABLE posts DROP CONSTRAINT posts_status_check;
ALTER TABLE posts ADD CONSTRAINT posts_status_check
  CHECK (status IN ('draft', 'rejected', 'approved', 'scheduled', 'publishing', 'published', 'failed'));
ALTER TABLE posts
  ADD COLUMN approved_at timestamptz,
  ADD COLUMN scheduled_at timestamptz,
  ADD COLUMN published_at timestamptz,
  -- Stored before threads_publish is called, so a crashed worker can check whether it went out.
  ADD COLUMN threads_container_id text,
  ADD COLUMN threads_media_id text,
  ADD COLUMN permalink text,
  ADD COLUMN publish_error text;
CREATE UNIQUE INDEX posts_threads_media ON posts (threads_media_id) WHERE threads_media_id IS NOT NULL;
CREATE INDEX posts_due ON posts (scheduled_at) WHERE status = 'scheduled';
CREATE INDEX posts_published ON posts (persona_id, published_at DESC) WHERE status = 'published';

ALTER TABLE personas
  ADD COLUMN approval_mode text NOT NULL DEFAULT 'manual' CHECK (approval_mode IN ('manual', 'auto')),
  ADD COLUMN auto_approve_min_score real CHECK (auto_approve_min_score BETWEEN 0 AND 1);

-- One Threads account per persona; the token is stored encrypted (AES-256-GCM), never in clear.
CREATE TABLE threads_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  persona_id uuid NOT NULL UNIQUE REFERENCES personas (id),
  threads_user_id text NOT NULL,
  username text,
  access_token_encrypted text NOT NULL,
  token_expires_at timestamptz,
  token_refreshed_at timestamptz,
  scopes jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  status_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every call made while publishing a post, with Meta's raw error body when there was one.
CREATE TABLE publish_attempts (
  id bigserial PRIMARY KEY,
  post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  step text NOT NULL CHECK (step IN ('quota', 'container', 'status', 'publish', 'lookup')),
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error')),
  status_code integer,
  error_kind text,
  error_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publish_attempts_post ON publish_attempts (post_id, id);

-- What a published post has earned, as captured over time (lifetime totals at captured_at).
CREATE TABLE post_insight_snapshots (
  id bigserial PRIMARY KEY,
  post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  captured_at timestamptz NOT NULL,
  views integer NOT NULL CHECK (views >= 0),
  likes integer NOT NULL CHECK (likes >= 0),
  replies integer NOT NULL CHECK (replies >= 0),
  reposts integer NOT NULL CHECK (reposts >= 0),
  quotes integer NOT NULL CHECK (quotes >= 0),
  shares integer NOT NULL CHECK (shares >= 0),
  UNIQUE (post_id, captured_at)
);
CREATE INDEX post_insight_snapshots_latest ON post_insight_snapshots (post_id, captured_at DESC);

-- Follower counts per account, one row per UTC day (the latest capture of that day wins).
CREATE TABLE follower_snapshots (
  account_id uuid NOT NULL REFERENCES threads_accounts (id) ON DELETE CASCADE,
  persona_id uuid NOT NULL REFERENCES personas (id),
  captured_on date NOT NULL,
  captured_at timestamptz NOT NULL,
  followers_count integer NOT NULL CHECK (followers_count >= 0),
  PRIMARY KEY (account_id, captured_on)
);
CREATE INDEX follower_snapshots_persona ON follower_snapshots (persona_id, captured_on DESC);
