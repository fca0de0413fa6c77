-- Meetings and events (issue 4): series with RFC 5545 recurrence, materialized occurrences,
-- invitations, RSVP with a waitlist, check-in and attendance, agenda, minutes, action items,
-- calendar feeds; and the generic attachment store (src/files/).

CREATE TABLE meeting (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  location TEXT,
  online_url TEXT,
  organizer TEXT,
  capacity BIGINT,
  is_public INTEGER NOT NULL DEFAULT 0,
  street_code TEXT,            -- the creating staff's jurisdiction; NULL = whole district
  rrule TEXT,                  -- NULL for a one-off event
  dtstart TEXT NOT NULL,       -- local Asia/Shanghai "YYYY-MM-DDTHH:MM"
  duration_minutes BIGINT NOT NULL,
  horizon_until BIGINT NOT NULL, -- occurrences are materialized up to this instant (UTC s)
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX meeting_by_horizon ON meeting (horizon_until);

-- One row per occurrence; recurrence_id is the start the rule gives (RECURRENCE-ID), starts_at
-- the actual start (differs when moved); status 'cancelled' is an EXDATE.
CREATE TABLE meeting_occurrence (
  id BIGSERIAL PRIMARY KEY,
  meeting_id BIGINT NOT NULL REFERENCES meeting (id),
  recurrence_id BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'scheduled',
  checkin_token TEXT NOT NULL UNIQUE,
  minutes_md TEXT,
  minutes_updated_at BIGINT,
  UNIQUE (meeting_id, recurrence_id)
);
CREATE INDEX meeting_occurrence_by_start ON meeting_occurrence (starts_at);
CREATE INDEX meeting_occurrence_by_meeting ON meeting_occurrence (meeting_id, starts_at);

-- An invitation names an organization (its delegates) or one user; the other id is 0.
CREATE TABLE meeting_invite (
  id BIGSERIAL PRIMARY KEY,
  meeting_id BIGINT NOT NULL REFERENCES meeting (id),
  org_id BIGINT NOT NULL DEFAULT 0,
  user_id BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (meeting_id, org_id, user_id)
);
CREATE INDEX meeting_invite_by_org ON meeting_invite (org_id, meeting_id);
CREATE INDEX meeting_invite_by_user ON meeting_invite (user_id, meeting_id);

-- RSVP per occurrence, or for the whole series (occurrence_id 0). place: 'confirmed' or
-- 'waitlisted' (only 'yes' answers to a capacity-limited occurrence can wait).
CREATE TABLE meeting_rsvp (
  meeting_id BIGINT NOT NULL REFERENCES meeting (id),
  occurrence_id BIGINT NOT NULL DEFAULT 0,
  user_id BIGINT NOT NULL,
  response TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT 'confirmed',
  responded_at BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, occurrence_id, user_id)
);
CREATE INDEX meeting_rsvp_waitlist ON meeting_rsvp (occurrence_id, place, responded_at);

CREATE TABLE meeting_attendance (
  occurrence_id BIGINT NOT NULL REFERENCES meeting_occurrence (id),
  user_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL DEFAULT 0,
  method TEXT NOT NULL,
  checked_in_at BIGINT NOT NULL,
  checked_in_by BIGINT NOT NULL,
  PRIMARY KEY (occurrence_id, user_id)
);

-- Attendance counters: one row per (occurrence, invited organization), kept as invitations,
-- occurrences and check-ins change, so an organization's rate is an indexed aggregate over its
-- own rows only.
CREATE TABLE meeting_org_attendance (
  occurrence_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  attended INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (occurrence_id, org_id)
);
CREATE INDEX meeting_org_attendance_by_org ON meeting_org_attendance (org_id, starts_at);

CREATE TABLE meeting_agenda_item (
  id BIGSERIAL PRIMARY KEY,
  occurrence_id BIGINT NOT NULL REFERENCES meeting_occurrence (id),
  position BIGINT NOT NULL,
  title TEXT NOT NULL,
  presenter TEXT,
  note TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX meeting_agenda_by_occurrence ON meeting_agenda_item (occurrence_id, position);

-- 决议事项. owner: an organization or a user (the other 0).
CREATE TABLE meeting_action (
  id BIGSERIAL PRIMARY KEY,
  meeting_id BIGINT NOT NULL REFERENCES meeting (id),
  occurrence_id BIGINT NOT NULL REFERENCES meeting_occurrence (id),
  raised_at BIGINT NOT NULL,   -- the occurrence's start, for carry-over
  title TEXT NOT NULL,
  owner_org_id BIGINT NOT NULL DEFAULT 0,
  owner_user_id BIGINT NOT NULL DEFAULT 0,
  due_on TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  overdue_notified_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX meeting_action_open ON meeting_action (status, due_on);
CREATE INDEX meeting_action_by_meeting ON meeting_action (meeting_id, status, raised_at);

-- Per-user calendar subscription: the token is the credential, stored as its SHA-256.
CREATE TABLE calendar_token (
  user_id BIGINT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

-- Generic attachments (src/files/): bytes stored by content hash under the data directory.
CREATE TABLE attachment (
  id BIGSERIAL PRIMARY KEY,
  object_type TEXT NOT NULL,
  object_id BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  filename TEXT NOT NULL,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX attachment_by_object ON attachment (object_type, object_id);
