-- OAuth `state` values handed out by POST /v1/personas/:id/threads-account/connect. Only a hash is kept:
-- the state is what authenticates the unauthenticated callback, so it must not be readable from the table.
CREATE TABLE threads_oauth_states (
  state_hash text PRIMARY KEY,
  persona_id uuid NOT NULL REFERENCES personas (id),
  expires_at timestamptz NOT NULL,
  -- Set when the callback consumes it; a second callback with the same state is refused.
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX threads_oauth_states_expiry ON threads_oauth_states (expires_at);
