-- An expert's service record (issue 5): the dockings of the talent pool entry fulfilled and
-- failed (after both sides accepted), and the ratings it RECEIVED from the need side — the
-- counterpart of org_trust for a person. Kept up to date inside each docking step's
-- transaction (src/resources/docking.c), so reading it is one row whatever the history, which
-- the list page and the expert suggestions (one row per candidate) need.
CREATE TABLE talent_record (
  talent_id BIGINT PRIMARY KEY REFERENCES talent (id),
  fulfilled BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  rating_sum BIGINT NOT NULL DEFAULT 0,
  rating_count BIGINT NOT NULL DEFAULT 0
);

-- The dockings closed before this table existed.
INSERT INTO talent_record (talent_id, fulfilled, failed, rating_sum, rating_count)
SELECT talent_id,
  SUM(CASE WHEN status = 'fulfilled' THEN 1 ELSE 0 END),
  SUM(CASE WHEN status = 'failed' AND need_accepted_at IS NOT NULL
        AND resource_accepted_at IS NOT NULL THEN 1 ELSE 0 END),
  SUM(COALESCE(need_rating, 0)),
  SUM(CASE WHEN need_rating IS NOT NULL THEN 1 ELSE 0 END)
FROM docking WHERE talent_id IS NOT NULL AND status IN ('fulfilled', 'failed')
GROUP BY talent_id;
