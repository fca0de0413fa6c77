-- Experts docked directly (issue 5): a docking joins a need either to a resource (resource_id,
-- resource_org_id) or to an expert of the talent pool (talent_id); exactly one of the two.
-- The "resource" side of an expert docking is the expert: accepted by the talent's own account
-- (or by staff on the expert's behalf). One live docking per (need, expert), as per (need,
-- resource).
-- SQLite cannot drop NOT NULL: the table is rebuilt (create, copy, drop, rename, indexes).
-- Nothing references docking, so dropping the old table breaks no foreign key.
CREATE TABLE docking_new (
  id INTEGER PRIMARY KEY,
  need_id BIGINT NOT NULL REFERENCES res_item (id),
  resource_id BIGINT REFERENCES res_item (id),
  need_org_id BIGINT NOT NULL REFERENCES org (id),
  resource_org_id BIGINT REFERENCES org (id),
  quantity BIGINT NOT NULL,
  unit TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'in_progress', 'fulfilled', 'failed')),
  note TEXT,
  need_accepted_at BIGINT,
  need_accepted_by BIGINT,
  resource_accepted_at BIGINT,
  resource_accepted_by BIGINT,
  started_at BIGINT,
  closed_at BIGINT,
  fulfilled_quantity BIGINT,
  fail_reason TEXT,
  need_rating INTEGER,
  need_feedback TEXT,
  resource_rating INTEGER,
  resource_feedback TEXT,
  proposed_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  talent_id BIGINT REFERENCES talent (id),
  CONSTRAINT docking_one_counterpart CHECK ((resource_id IS NULL) <> (talent_id IS NULL))
);
INSERT INTO docking_new (id, need_id, resource_id, need_org_id, resource_org_id, quantity, unit,
  status, note, need_accepted_at, need_accepted_by, resource_accepted_at, resource_accepted_by,
  started_at, closed_at, fulfilled_quantity, fail_reason, need_rating, need_feedback,
  resource_rating, resource_feedback, proposed_by, created_at, updated_at, version)
SELECT id, need_id, resource_id, need_org_id, resource_org_id, quantity, unit, status, note,
  need_accepted_at, need_accepted_by, resource_accepted_at, resource_accepted_by, started_at,
  closed_at, fulfilled_quantity, fail_reason, need_rating, need_feedback, resource_rating,
  resource_feedback, proposed_by, created_at, updated_at, version FROM docking;
DROP TABLE docking;
ALTER TABLE docking_new RENAME TO docking;
CREATE INDEX docking_by_need ON docking (need_id, id);
CREATE INDEX docking_by_resource ON docking (resource_id, id);
CREATE INDEX docking_by_need_org ON docking (need_org_id, id);
CREATE INDEX docking_by_resource_org ON docking (resource_org_id, id);
CREATE INDEX docking_by_status ON docking (status, id);
CREATE INDEX docking_by_talent ON docking (talent_id, id);
CREATE UNIQUE INDEX docking_live_pair ON docking (need_id, resource_id)
  WHERE status IN ('proposed', 'accepted', 'in_progress');
CREATE UNIQUE INDEX docking_live_expert ON docking (need_id, talent_id)
  WHERE status IN ('proposed', 'accepted', 'in_progress') AND talent_id IS NOT NULL;
