-- Allocation runs as background jobs (issue 5): POST queues a run, the "matching.runs" task
-- claims it with a lease, records its progress in the row, and finishes it as done or failed.
-- active_slot is 1 while a run is queued or running and NULL otherwise: the unique index makes
-- "at most one run at a time" hold on both engines even for two requests racing.
ALTER TABLE matching_run ADD COLUMN phase TEXT;            -- loading, candidates, allocating, storing
ALTER TABLE matching_run ADD COLUMN progress_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE matching_run ADD COLUMN progress_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE matching_run ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE matching_run ADD COLUMN lease_until BIGINT;    -- a running run whose lease ran out was interrupted
ALTER TABLE matching_run ADD COLUMN started_at BIGINT;
ALTER TABLE matching_run ADD COLUMN active_slot INTEGER;
CREATE UNIQUE INDEX matching_run_one_active ON matching_run (active_slot);
CREATE INDEX matching_run_by_status ON matching_run (status, id);
-- The allocation (edges with flow > 0) read page by page without scanning every edge.
CREATE INDEX matching_run_edge_allocated ON matching_run_edge (run_id, seq) WHERE flow > 0;
-- Suggestions overlay the items changed since their index was built (matching_db.c).
CREATE INDEX res_item_by_updated ON res_item (kind, updated_at);
