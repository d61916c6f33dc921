-- Insights collection per published post. insights_next_due_at is when the next capture is due (set by
-- the collector from the cadence in src/insights/cadence.ts, or a run's lease while it holds the post);
-- NULL before the first capture, which is due one step after publication. Collection stops for good when
-- the cadence is over ('complete'), when its window closed without the last capture ('expired', e.g. the
-- account was paused), or when Threads says the media no longer exists ('media_gone').
ALTER TABLE posts
  ADD COLUMN insights_next_due_at timestamptz,
  ADD COLUMN insights_stopped_at timestamptz,
  ADD COLUMN insights_stop_reason text CHECK (insights_stop_reason IN ('complete', 'expired', 'media_gone')),
  ADD CONSTRAINT posts_insights_stop_check CHECK ((insights_stopped_at IS NULL) = (insights_stop_reason IS NULL));

-- Only the posts still being collected, keyed by when they are due (a post never captured sorts at its
-- publication time), so a run reads the due posts and nothing else however many posts there are.
CREATE INDEX posts_insights_due ON posts ((coalesce(insights_next_due_at, published_at)))
  WHERE status = 'published' AND threads_media_id IS NOT NULL AND insights_stopped_at IS NULL;
