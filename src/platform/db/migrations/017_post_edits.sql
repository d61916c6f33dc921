-- Every change a user made to a draft's text: what it said before and after, the scores, and who.
CREATE TABLE post_edits (
  id bigserial PRIMARY KEY,
  post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  previous_text text NOT NULL,
  text text NOT NULL,
  previous_score real,
  score real,
  -- The API token's name (API_ADMIN_TOKEN for the admin token).
  edited_by text NOT NULL,
  edited_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_edits_post ON post_edits (post_id, id);
