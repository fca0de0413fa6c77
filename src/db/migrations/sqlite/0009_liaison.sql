-- Liaison officers (issue 4): who looks after which organization, how often they must be in
-- touch (rules), what was said (contacts) and what was promised (follow-ups).

-- Contact-frequency rules. A rule matches an organization when each condition it sets holds:
-- org_type equal, the current grade at least min_grade (5A > 4A > ...), key_only = the
-- organization is flagged key. The most specific matching rule wins (key 4, grade 2, type 1;
-- ties: the shorter interval). The rule with no condition is the district default.
CREATE TABLE liaison_rule (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  org_type TEXT,
  min_grade TEXT,
  key_only INTEGER NOT NULL DEFAULT 0,
  interval_days BIGINT NOT NULL CHECK (interval_days BETWEEN 1 AND 730),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO liaison_rule (name, org_type, min_grade, key_only, interval_days, created_at, updated_at)
VALUES ('区默认：每季度', NULL, NULL, 0, 90, 0, 0),
       ('4A 及以上：每两月', NULL, '4A', 0, 60, 0, 0),
       ('重点组织：每月', NULL, NULL, 1, 30, 0, 0);

-- One row per organization under the liaison regime (it has or had an officer). due_on is
-- (last contact, or the first assignment's start) + the matching rule's interval, kept current
-- in every write transaction that changes one of them, so the overdue list is one index walk.
CREATE TABLE liaison_org (
  org_id BIGINT PRIMARY KEY REFERENCES org (id),
  street_code TEXT NOT NULL,
  is_key INTEGER NOT NULL DEFAULT 0,
  rule_id BIGINT,
  interval_days BIGINT NOT NULL,
  since_on TEXT NOT NULL,
  last_contact_on TEXT,
  due_on TEXT NOT NULL,
  reminded_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX liaison_org_by_due ON liaison_org (due_on);
CREATE INDEX liaison_org_by_street ON liaison_org (street_code, due_on);

-- Officer assignments; ended ones stay as history (end_on set).
CREATE TABLE liaison_assignment (
  id INTEGER PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES org (id),
  user_id BIGINT NOT NULL REFERENCES app_user (id),
  role TEXT NOT NULL CHECK (role IN ('primary', 'deputy')),
  start_on TEXT NOT NULL,
  end_on TEXT,
  created_at BIGINT NOT NULL,
  created_by BIGINT
);
CREATE INDEX liaison_assignment_by_org ON liaison_assignment (org_id, end_on);
CREATE INDEX liaison_assignment_by_user ON liaison_assignment (user_id, end_on);

CREATE TABLE liaison_contact (
  id INTEGER PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES org (id),
  street_code TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('visit', 'call', 'meeting', 'online', 'other')),
  contact_on TEXT NOT NULL,
  summary TEXT NOT NULL,
  issues TEXT,
  officer_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX liaison_contact_by_org ON liaison_contact (org_id, contact_on);
CREATE INDEX liaison_contact_by_officer ON liaison_contact (officer_id, contact_on);

CREATE TABLE liaison_followup (
  id INTEGER PRIMARY KEY,
  contact_id BIGINT NOT NULL REFERENCES liaison_contact (id),
  org_id BIGINT NOT NULL REFERENCES org (id),
  street_code TEXT NOT NULL,
  description TEXT NOT NULL,
  due_on TEXT NOT NULL,
  owner_id BIGINT NOT NULL REFERENCES app_user (id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  close_note TEXT,
  closed_at BIGINT,
  closed_by BIGINT,
  reminded_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX liaison_followup_open ON liaison_followup (status, due_on);
CREATE INDEX liaison_followup_by_owner ON liaison_followup (owner_id, status, due_on);
CREATE INDEX liaison_followup_by_org ON liaison_followup (org_id, status);
