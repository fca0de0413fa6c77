-- The matching engine's stored state (issue 5): the weights staff set (one row per version;
-- the newest row is in force), and global allocation runs with their candidate graph, so that
-- anyone can re-check a run's optimality from GET /api/v1/matching/runs/{id}.
CREATE TABLE matching_weights (
  id INTEGER PRIMARY KEY,          -- the version
  weights TEXT NOT NULL,           -- JSON {category, fields, text, proximity, time, quantity, trust, fairness_k}
  created_by BIGINT,
  created_at BIGINT NOT NULL
);

-- status: queued, running, done, failed. params: JSON {categories, streets, k}; weights: the
-- JSON in force when the run started. Totals: integer score units (MATCHING_SCORE_SCALE per 1.0).
CREATE TABLE matching_run (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  params TEXT NOT NULL,
  weights TEXT NOT NULL,
  weights_version BIGINT NOT NULL DEFAULT 0,
  n_needs BIGINT NOT NULL DEFAULT 0,
  n_resources BIGINT NOT NULL DEFAULT 0,
  n_edges BIGINT NOT NULL DEFAULT 0,
  total_score BIGINT NOT NULL DEFAULT 0,
  total_quantity BIGINT NOT NULL DEFAULT 0,
  millis BIGINT NOT NULL DEFAULT 0,
  error TEXT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);

-- The quantities the run saw (kind 'need' or 'resource'), the supplies/limits of the flow.
CREATE TABLE matching_run_item (
  run_id BIGINT NOT NULL REFERENCES matching_run (id),
  item_id BIGINT NOT NULL REFERENCES res_item (id),
  kind TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  PRIMARY KEY (run_id, item_id)
);

-- Every candidate edge: score per unit (integer units), capacity, and the allocated flow
-- (the allocation is the edges with flow > 0).
CREATE TABLE matching_run_edge (
  run_id BIGINT NOT NULL REFERENCES matching_run (id),
  seq BIGINT NOT NULL,
  need_id BIGINT NOT NULL,
  resource_id BIGINT NOT NULL,
  score BIGINT NOT NULL,
  capacity BIGINT NOT NULL,
  flow BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
