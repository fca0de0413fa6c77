-- The audit trail (src/audit/audit.c, docs/audit.md): one row per write, hash-chained.
-- ids are assigned by audit_append (last id + 1, under an advisory lock), so a gap means a
-- deleted record and two appenders can never fork the chain (the second one's id collides).
-- TEXT, not JSONB, for before/after: the hash covers the exact bytes written.
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_roles TEXT NOT NULL,
  remote_addr TEXT,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id BIGINT NOT NULL DEFAULT 0,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);

-- Append-only: the program never updates or deletes a record. The trigger stops mistakes; it
-- does not stop someone who can drop it, which is what the hash chain is for.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
