-- The organization registry and people (issue 2, section 5). Same shape as the SQLite file.

CREATE TABLE division (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('district', 'street', 'community')),
  parent_code TEXT
);
CREATE INDEX division_parent ON division (parent_code, code);

CREATE TABLE org (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  short_name TEXT,
  credit_code TEXT UNIQUE,
  type TEXT NOT NULL,
  street_code TEXT NOT NULL,
  community_code TEXT,
  address TEXT,
  legal_representative TEXT,
  contact_person TEXT,
  contact_phone TEXT,
  contact_email TEXT,
  founded_on TEXT,
  registration_authority TEXT,
  supervising_unit TEXT,
  staff_count BIGINT,
  volunteer_count BIGINT,
  annual_budget BIGINT,
  has_party_org INTEGER NOT NULL DEFAULT 0,
  description TEXT,
  status TEXT NOT NULL DEFAULT 'active',
  archived INTEGER NOT NULL DEFAULT 0,
  credit_override_reason TEXT,
  -- hex-encoded ICU pinyin sort key: byte order must be the order, on both engines
  name_sort TEXT COLLATE "C" NOT NULL,
  current_grade TEXT COLLATE "C",
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  -- the same tokens as SQLite's org_fts, as lexemes (array_to_tsvector: no re-parsing)
  search_tokens TSVECTOR
);
-- Lists filter on archived almost always, then on one facet, and order by a sort key; the
-- composite indexes let one index walk answer "first page" without a sort. Ids are handed out
-- in creation order, so "newest first" is id order (and FTS5 rowid order).
CREATE INDEX org_by_archived ON org (archived, id);
CREATE INDEX org_by_name ON org (archived, name_sort);
CREATE INDEX org_by_grade ON org (archived, current_grade);
CREATE INDEX org_by_type ON org (type, archived, id);
CREATE INDEX org_by_street ON org (street_code, archived, id);
CREATE INDEX org_by_community ON org (community_code, archived, id);
CREATE INDEX org_by_status ON org (status, archived, id);
CREATE INDEX org_search ON org USING GIN (search_tokens);

CREATE TABLE org_field (
  org_id BIGINT NOT NULL REFERENCES org (id),
  field TEXT NOT NULL,
  PRIMARY KEY (org_id, field)
);
CREATE INDEX org_field_by_field ON org_field (field, org_id);

CREATE TABLE org_tag (
  org_id BIGINT NOT NULL REFERENCES org (id),
  tag TEXT NOT NULL,
  PRIMARY KEY (org_id, tag)
);
CREATE INDEX org_tag_by_tag ON org_tag (tag, org_id);

CREATE TABLE org_grade (
  id BIGSERIAL PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES org (id),
  grade TEXT NOT NULL CHECK (grade IN ('5A', '4A', '3A', '2A', '1A')),
  announced_on TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  note TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX org_grade_by_org ON org_grade (org_id, announced_on);

CREATE TABLE person_category (
  code TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  en TEXT NOT NULL,
  position INTEGER NOT NULL
);
INSERT INTO person_category (code, zh, en, position) VALUES
  ('new_social_stratum', '新的社会阶层人士', 'New social stratum', 1),
  ('democratic_party', '民主党派成员', 'Democratic party member', 2),
  ('non_party', '无党派人士', 'Non-party personage', 3),
  ('non_public_economy', '非公有制经济人士', 'Non-public economy personage', 4),
  ('ethnic_minority', '少数民族人士', 'Ethnic minority personage', 5),
  ('religious', '宗教界人士', 'Religious personage', 6),
  ('overseas', '港澳台侨人士', 'Hong Kong, Macao, Taiwan or overseas Chinese', 7),
  ('other', '其他', 'Other', 8);

CREATE TABLE person (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  name_sort TEXT COLLATE "C" NOT NULL,
  gender TEXT,
  phone TEXT,
  email TEXT,
  id_number TEXT,
  uf_category TEXT,
  note TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX person_by_name ON person (name_sort, id);
CREATE INDEX person_by_category ON person (uf_category, id);

CREATE TABLE person_org (
  person_id BIGINT NOT NULL REFERENCES person (id),
  org_id BIGINT NOT NULL REFERENCES org (id),
  role_title TEXT,
  since TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (person_id, org_id)
);
CREATE INDEX person_org_by_org ON person_org (org_id, person_id);
