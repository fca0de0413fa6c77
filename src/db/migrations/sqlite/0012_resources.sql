-- Resource integration (issue 5): the resource list and the needs list (one table, `kind`
-- tells them apart: they share every field, and the matching engine reads both the same way),
-- the talent and expert pool, dockings (供需对接) and per-organization trust counters.
--
-- For the matching engine: candidates come from indexes, never from all pairs —
--   res_item (kind, status, category, id)      open items of one category
--   res_item_field (field, item_id)            items of one field of work
--   res_item (kind, status, community_code, id) / (kind, status, street_code, id)  location
--   search tokens (FTS5 res_item_fts / tsvector res_item.search_tokens): Han unigrams+bigrams,
--     plus facet tokens xqk<kind> xqc<category> xqs<status> xqst<street> xqf<field> xqo<org>
-- Quantities are whole numbers in `unit`; `remaining` goes down when a docking is fulfilled.
-- Time window: start_at/end_at Unix seconds (NULL = open-ended); recurring availability as a
-- weekly day mask (bit 0 = Monday) and minutes of the day [daily_from, daily_to).
-- Conditions: eligible_types (comma-separated org type codes, '' = any), min_grade ('5A'..'1A'
-- or NULL), other_conditions (free text, shown, not enforced).
CREATE TABLE res_item (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('resource', 'need')),
  org_id BIGINT NOT NULL REFERENCES org (id),
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  remaining BIGINT NOT NULL,
  unit TEXT NOT NULL,
  street_code TEXT NOT NULL,
  community_code TEXT,
  lat REAL,
  lon REAL,
  start_at BIGINT,
  end_at BIGINT,
  weekly_days INTEGER NOT NULL DEFAULT 0,
  daily_from INTEGER,
  daily_to INTEGER,
  eligible_types TEXT NOT NULL DEFAULT '',
  min_grade TEXT,
  other_conditions TEXT,
  description TEXT,
  contact_name TEXT,
  contact_phone TEXT,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'district', 'staff')),
  vis_rank INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'partly_matched', 'fulfilled', 'closed', 'expired')),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX res_item_by_category ON res_item (kind, status, category, id);
CREATE INDEX res_item_by_street ON res_item (kind, status, street_code, id);
CREATE INDEX res_item_by_community ON res_item (kind, status, community_code, id);
CREATE INDEX res_item_by_org ON res_item (org_id, kind, id);
CREATE INDEX res_item_by_kind ON res_item (kind, id);
CREATE INDEX res_item_by_end ON res_item (status, end_at);

CREATE TABLE res_item_field (
  item_id BIGINT NOT NULL REFERENCES res_item (id),
  field TEXT NOT NULL,
  PRIMARY KEY (item_id, field)
);
CREATE INDEX res_item_field_by_field ON res_item_field (field, item_id);

-- The talent and expert pool. skills and languages: '；'-joined text (searchable); fields in
-- talent_field. user_id: the account with the expert role, if any; person_id: the registry
-- person, if any.
CREATE TABLE talent (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_sort TEXT NOT NULL,
  user_id BIGINT REFERENCES app_user (id),
  person_id BIGINT REFERENCES person (id),
  org_id BIGINT REFERENCES org (id),
  kind TEXT NOT NULL CHECK (kind IN ('talent', 'expert')),
  skills TEXT NOT NULL DEFAULT '',
  affiliation TEXT,
  title TEXT,
  hours_per_month BIGINT NOT NULL DEFAULT 0,
  pro_bono INTEGER NOT NULL DEFAULT 1,
  languages TEXT NOT NULL DEFAULT '',
  street_code TEXT,
  phone TEXT,
  email TEXT,
  bio TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX talent_by_name ON talent (active, name_sort, id);
CREATE INDEX talent_by_kind ON talent (kind, active, id);
CREATE INDEX talent_by_user ON talent (user_id);

CREATE TABLE talent_field (
  talent_id BIGINT NOT NULL REFERENCES talent (id),
  field TEXT NOT NULL,
  PRIMARY KEY (talent_id, field)
);
CREATE INDEX talent_field_by_field ON talent_field (field, talent_id);

-- Dockings: a need meets a resource for a quantity (same unit). Each side accepts separately
-- (need_accepted_at / resource_accepted_at); every change bumps version, and every
-- transition is a conditional UPDATE on (id, version), so of two concurrent acts one wins.
CREATE TABLE docking (
  id INTEGER PRIMARY KEY,
  need_id BIGINT NOT NULL REFERENCES res_item (id),
  resource_id BIGINT NOT NULL REFERENCES res_item (id),
  need_org_id BIGINT NOT NULL REFERENCES org (id),
  resource_org_id BIGINT NOT NULL REFERENCES org (id),
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
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX docking_by_need ON docking (need_id, id);
CREATE INDEX docking_by_resource ON docking (resource_id, id);
CREATE INDEX docking_by_need_org ON docking (need_org_id, id);
CREATE INDEX docking_by_resource_org ON docking (resource_org_id, id);
CREATE INDEX docking_by_status ON docking (status, id);
-- one live docking per pair: proposing the same pair twice is a 409 duplicate
CREATE UNIQUE INDEX docking_live_pair ON docking (need_id, resource_id)
  WHERE status IN ('proposed', 'accepted', 'in_progress');

-- Trust, kept in every docking close's transaction (the matching engine reads it per org):
-- fulfilled/failed dockings the organization took part in, and the ratings it RECEIVED from
-- the other side (need side rates the resource organization and vice versa).
CREATE TABLE org_trust (
  org_id BIGINT PRIMARY KEY REFERENCES org (id),
  fulfilled BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  rating_sum BIGINT NOT NULL DEFAULT 0,
  rating_count BIGINT NOT NULL DEFAULT 0
);

-- Search tokens (text_index_tokens + facet tokens), rowid = res_item.id / talent.id.
CREATE VIRTUAL TABLE res_item_fts USING fts5 (tokens, detail = none);
CREATE VIRTUAL TABLE talent_fts USING fts5 (tokens, detail = none);
