-- Money the personas bring in. A replayed event (same external_id) is stored once.
CREATE TABLE revenue_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_id text NOT NULL UNIQUE CHECK (char_length(external_id) BETWEEN 1 AND 200),
  stream text NOT NULL CHECK (stream IN ('subscription', 'affiliate', 'lead')),
  type text NOT NULL CHECK (type IN ('payment', 'refund', 'cancellation')),
  -- Positive for payments and refunds alike; refunds are subtracted when revenue is summed.
  amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  persona_id uuid REFERENCES personas (id),
  recurring boolean NOT NULL DEFAULT false,
  subscription_id text,
  billing_period text CHECK (billing_period IN ('month', 'year')),
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (stream <> 'subscription' OR subscription_id IS NOT NULL)
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
