-- Import jobs (src/io): one row per uploaded file. Progress lives in the memory of the
-- instance that runs the job; the final report (JSON) is kept here so it survives restarts.
-- `instance` names the process that runs the job, so a job left 'running' by a process that
-- has gone away can be told from one still running elsewhere.
CREATE TABLE import_job (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL DEFAULT 'orgs',
  user_id BIGINT NOT NULL,
  dry_run INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  instance TEXT NOT NULL,
  total_rows BIGINT,
  report TEXT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX import_job_by_user ON import_job (user_id, id);
