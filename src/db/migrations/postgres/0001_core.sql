-- Settings that staff can change at run time (grade bands, volunteer star thresholds, ...).
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL DEFAULT 0
);
