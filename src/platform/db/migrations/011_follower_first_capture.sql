-- A day's row kept only its latest count, so the count captured when an account was linked was lost
-- by the next hourly capture and net new followers read 0 on the first day. Each day now also keeps
-- its first capture.
ALTER TABLE follower_snapshots ADD COLUMN first_captured_at timestamptz;
ALTER TABLE follower_snapshots ADD COLUMN first_followers_count integer CHECK (first_followers_count >= 0);
UPDATE follower_snapshots SET first_captured_at = captured_at, first_followers_count = followers_count;
ALTER TABLE follower_snapshots ALTER COLUMN first_captured_at SET NOT NULL;
ALTER TABLE follower_snapshots ALTER COLUMN first_followers_count SET NOT NULL;
