-- Experts docked directly (issue 5): a docking joins a need either to a resource (resource_id,
-- resource_org_id) or to an expert of the talent pool (talent_id); exactly one of the two.
-- The "resource" side of an expert docking is the expert: accepted by the talent's own account
-- (or by staff on the expert's behalf). One live docking per (need, expert), as per (need,
-- resource).
ALTER TABLE docking ALTER COLUMN resource_id DROP NOT NULL;
ALTER TABLE docking ALTER COLUMN resource_org_id DROP NOT NULL;
ALTER TABLE docking ADD COLUMN talent_id BIGINT REFERENCES talent (id);
ALTER TABLE docking ADD CONSTRAINT docking_one_counterpart
  CHECK ((resource_id IS NULL) <> (talent_id IS NULL));
CREATE INDEX docking_by_talent ON docking (talent_id, id);
CREATE UNIQUE INDEX docking_live_expert ON docking (need_id, talent_id)
  WHERE status IN ('proposed', 'accepted', 'in_progress') AND talent_id IS NOT NULL;
