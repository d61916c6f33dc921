-- Roles, persona scopes, expiry and revocation for API tokens; the audit log of mutating calls.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'editor', 'viewer'));
-- NULL: every persona. Ids, not slugs, so a renamed persona stays in scope.
ALTER TABLE api_tokens ADD COLUMN persona_ids uuid[];
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN revoked_at timestamptz;

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  -- NULL for API_ADMIN_TOKEN and for refused requests without a valid token.
  token_id uuid,
  token_name text,
  method text NOT NULL,
  route text NOT NULL,
  resource_id text,
  ip text NOT NULL,
  status integer NOT NULL,
  request_id text NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

-- Fixed-window request counters shared by API replicas (RATE_LIMIT_STORE=postgres).
CREATE TABLE rate_limit_hits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  window_ends_at timestamptz NOT NULL
);
