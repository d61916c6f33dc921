-- Money the personas bring in, in USD. A replayed event (same external_id) is stored once.
CREATE TABLE revenue_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_id text NOT NULL UNIQUE CHECK (char_length(external_id) BETWEEN 1 AND 200),
  stream text NOT NULL CHECK (stream IN ('subscription', 'affiliate', 'lead')),
  type text NOT NULL CHECK (type IN ('payment', 'refund', 'cancellation')),
  -- Positive for payments and refunds alike (the type says which way the money went), so a
  -- sign error in a client cannot turn a refund into revenue.
  amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  persona_id uuid REFERENCES personas (id),
  recurring boolean NOT NULL DEFAULT false,
  subscription_id text,
  billing_period text CHECK (billing_period IN ('month', 'year')),
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((stream = 'subscription') = (subscription_id IS NOT NULL)),
  CHECK ((stream = 'subscription') = (billing_period IS NOT NULL)),
  CHECK (type <> 'cancellation' OR (stream = 'subscription' AND amount = 0))
);
CREATE INDEX revenue_events_occurred ON revenue_events (stream, occurred_at);
CREATE INDEX revenue_events_subscription ON revenue_events (subscription_id, occurred_at DESC) WHERE subscription_id IS NOT NULL;

-- The first time a post's insights showed it viral (rate ≥ 0.10 with ≥ 100 views); counted once.
CREATE TABLE viral_crossings (
  post_id uuid PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  persona_id uuid NOT NULL REFERENCES personas (id),
  crossed_at timestamptz NOT NULL
);
CREATE INDEX viral_crossings_persona ON viral_crossings (persona_id);

-- Recorded where snapshots land, whoever writes them: the counter then never scans the
-- snapshot history, never counts a post twice, and agrees on every replica. A snapshot stored
-- late (captured earlier than the recorded crossing) moves the crossing back to its first time.
-- 10 × interactions ≥ views is rate ≥ 0.10 without floating point.
CREATE FUNCTION record_viral_crossing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.views >= 100
     AND 10 * (NEW.likes::bigint + NEW.replies + NEW.reposts + NEW.quotes + NEW.shares) >= NEW.views THEN
    INSERT INTO viral_crossings (post_id, persona_id, crossed_at)
    SELECT p.id, p.persona_id, NEW.captured_at FROM posts p WHERE p.id = NEW.post_id
    ON CONFLICT (post_id) DO UPDATE SET crossed_at = EXCLUDED.crossed_at
      WHERE EXCLUDED.crossed_at < viral_crossings.crossed_at;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER post_insight_snapshots_viral AFTER INSERT OR UPDATE ON post_insight_snapshots
  FOR EACH ROW EXECUTE FUNCTION record_viral_crossing();

INSERT INTO viral_crossings (post_id, persona_id, crossed_at)
SELECT s.post_id, p.persona_id, min(s.captured_at)
  FROM post_insight_snapshots s JOIN posts p ON p.id = s.post_id
 WHERE s.views >= 100 AND 10 * (s.likes::bigint + s.replies + s.reposts + s.quotes + s.shares) >= s.views
 GROUP BY s.post_id, p.persona_id;
