-- A day's row kept only its latest count, so the count captured when an account was linked was lost
-- by the next hourly capture and net new followers read 0 on the first day. Each day now also keeps
-- its first capture (null on rows written before this: their first capture is their only one).
ALTER TABLE follower_snapshots ADD COLUMN first_captured_at timestamptz;
ALTER TABLE follower_snapshots ADD COLUMN first_followers_count integer CHECK (first_followers_count >= 0);
