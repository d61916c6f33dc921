-- A user may reject a draft, an approved or a scheduled post.
ALTER TABLE posts DROP CONSTRAINT posts_rejection_reason_check;
ALTER TABLE posts ADD CONSTRAINT posts_rejection_reason_check
  CHECK (rejection_reason IN ('rejected_quality', 'rejected_duplicate', 'rejected_guard', 'rejected_by_user'));

ALTER TABLE posts
  -- The run (pg-boss job id) that holds the post while it is `publishing`: two runs never both create a
  -- container. The scheduler clears a claim left by a run that died, so another run can resume it.
  ADD COLUMN publish_claim text,
  ADD COLUMN publish_claimed_at timestamptz,
  -- Lower bound for finding the post among the account's threads when the worker died after threads_publish.
  ADD COLUMN threads_container_created_at timestamptz,
  ADD CONSTRAINT posts_publish_claim_check CHECK (publish_claim IS NULL OR status = 'publishing');

CREATE INDEX posts_approved ON posts (persona_id, approved_at, id) WHERE status = 'approved';
CREATE INDEX posts_claimed ON posts (publish_claimed_at) WHERE status = 'publishing';
