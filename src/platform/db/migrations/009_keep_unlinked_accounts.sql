-- Unlinking a persona's Threads account keeps the account row (and so its follower history) with the
-- token wiped; at most one account per persona is linked (active or paused) at a time. Relinking the
-- same Threads user brings its row, and its history, back.
-- posts.threads_account_id is the account a post went out (or is going out) on, set with its container:
-- its insights are read with that account's token, and a crashed run resumes only on that account.
-- Until now a persona had at most one account, so it is the one for the posts published so far.
ALTER TABLE posts ADD COLUMN threads_account_id uuid REFERENCES threads_accounts (id);
UPDATE posts p SET threads_account_id = a.id FROM threads_accounts a
 WHERE a.persona_id = p.persona_id AND (p.threads_container_id IS NOT NULL OR p.threads_media_id IS NOT NULL);
-- token_obtained_at is when the stored token was linked or refreshed: a token of unknown expiry (pasted
-- without the app credentials that debug_token needs) is refreshed once it is a day old, which tells
-- its expiry.
ALTER TABLE threads_accounts
  ALTER COLUMN access_token_encrypted DROP NOT NULL,
  ADD COLUMN unlinked_at timestamptz,
  ADD COLUMN token_obtained_at timestamptz NOT NULL DEFAULT now(),
  DROP CONSTRAINT threads_accounts_status_check,
  ADD CONSTRAINT threads_accounts_status_check CHECK (status IN ('active', 'paused', 'unlinked')),
  ADD CONSTRAINT threads_accounts_token_check CHECK ((status = 'unlinked') = (access_token_encrypted IS NULL)),
  ADD CONSTRAINT threads_accounts_unlinked_check CHECK ((status = 'unlinked') = (unlinked_at IS NOT NULL)),
  DROP CONSTRAINT threads_accounts_persona_id_key;
UPDATE threads_accounts SET token_obtained_at = coalesce(token_refreshed_at, created_at);
CREATE UNIQUE INDEX threads_accounts_linked_persona ON threads_accounts (persona_id) WHERE status <> 'unlinked';
CREATE UNIQUE INDEX threads_accounts_linked_user ON threads_accounts (threads_user_id) WHERE status <> 'unlinked';
CREATE INDEX threads_accounts_persona_user ON threads_accounts (persona_id, threads_user_id);
