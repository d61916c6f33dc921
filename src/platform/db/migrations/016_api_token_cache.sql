-- API replicas keep verified tokens in memory for a few seconds; a change that can turn a token's
-- verdict (revocation, expiry, role, personas, deletion) tells each of them at commit to drop it.
-- last_used_at is not listed, so recording a use notifies nobody.
CREATE FUNCTION notify_api_token_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_token_changes', OLD.id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER api_tokens_changed AFTER UPDATE OF token_hash, role, persona_ids, expires_at, revoked_at OR DELETE
  ON api_tokens FOR EACH ROW EXECUTE FUNCTION notify_api_token_change();

-- How many counts of the window the last upsert handed its process at once (see pg-rate-limit-store.ts).
ALTER TABLE rate_limit_hits ADD COLUMN granted integer NOT NULL DEFAULT 1;
