-- Registry statistics (src/registry/org_stats.c): counters kept up to date inside every write
-- transaction that changes a counted value, so the dashboard reads a few dozen rows instead of
-- grouping 100,000 organizations per page view.
-- dimension: 'all' (key ''), 'type', 'street', 'grade' (key '' = ungraded), 'status',
-- 'field' (one count per field an organization has), 'month' (YYYY-MM of created_at in the
-- district's calendar, UTC+8). archived: the organization's archived flag.
CREATE TABLE org_counter (
  dimension TEXT NOT NULL,
  key TEXT NOT NULL,
  archived INTEGER NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (dimension, key, archived)
);

-- The one-time count of what is already there (org_stats_verify() runs the same grouping).
INSERT INTO org_counter (dimension, key, archived, n)
SELECT 'all', '', archived, COUNT(*) FROM org GROUP BY archived
UNION ALL
SELECT 'type', type, archived, COUNT(*) FROM org GROUP BY type, archived
UNION ALL
SELECT 'street', street_code, archived, COUNT(*) FROM org GROUP BY street_code, archived
UNION ALL
SELECT 'grade', COALESCE(current_grade, ''), archived, COUNT(*) FROM org
  GROUP BY COALESCE(current_grade, ''), archived
UNION ALL
SELECT 'status', status, archived, COUNT(*) FROM org GROUP BY status, archived
UNION ALL
SELECT 'field', f.field, o.archived, COUNT(*) FROM org_field f JOIN org o ON o.id = f.org_id
  GROUP BY f.field, o.archived
UNION ALL
SELECT 'month', strftime('%Y-%m', created_at + 28800, 'unixepoch'), archived, COUNT(*) FROM org
  GROUP BY strftime('%Y-%m', created_at + 28800, 'unixepoch'), archived;
