-- Post vectors as real[]: portable to any PostgreSQL. Where pgvector exists the similarity
-- search casts them to `vector` and lets the extension compute distances.
CREATE TABLE post_embeddings (
  post_id uuid PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  persona_id uuid NOT NULL REFERENCES personas (id),
  model text NOT NULL,
  embedding real[] NOT NULL CHECK (cardinality(embedding) BETWEEN 1 AND 4096),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_embeddings_persona_recent ON post_embeddings (model, persona_id, created_at DESC);
CREATE INDEX post_embeddings_recent ON post_embeddings (model, created_at DESC);

-- The nearest earlier post when the draft was checked, kept for accepted posts too.
ALTER TABLE posts
  ADD COLUMN nearest_post_id uuid REFERENCES posts (id) ON DELETE SET NULL,
  ADD COLUMN nearest_similarity real;
