-- The audit trail (src/audit/audit.c, docs/audit.md): one row per write, hash-chained.
-- ids are assigned by audit_append (last id + 1, under the write lock), so a gap means a
-- deleted record and two appenders can never fork the chain (the second one's id collides).
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
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

-- Append-only: the program never updates or deletes a record. These triggers stop mistakes;
-- they do not stop someone who can drop them, which is what the hash chain is for.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
