-- Announcements (通知公告), exchange boards (线上交流平台) and direct messages (issue 4).

-- An announcement is addressed by audience_kind/audience_value and resolved to organizations
-- at publish time (announcement_org), so later changes to an organization do not change who
-- was addressed. street_scope is the sender's jurisdiction ('' = the whole district).
CREATE TABLE announcement (
  id BIGSERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  audience_kind TEXT NOT NULL,
  audience_value TEXT NOT NULL DEFAULT '[]',
  street_scope TEXT NOT NULL DEFAULT '',
  sender_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  recipient_count BIGINT NOT NULL DEFAULT 0,
  read_count BIGINT NOT NULL DEFAULT 0,
  last_reminded_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX announcement_by_status ON announcement (status, id);

-- One row per addressed organization: the receipt is the first user of it who acknowledged.
CREATE TABLE announcement_org (
  announcement_id BIGINT NOT NULL REFERENCES announcement (id),
  org_id BIGINT NOT NULL,
  street_code TEXT NOT NULL,
  first_reader_id BIGINT,
  first_read_at BIGINT,
  PRIMARY KEY (announcement_id, org_id)
);
CREATE INDEX announcement_org_by_org ON announcement_org (org_id, announcement_id);

CREATE TABLE announcement_read (
  announcement_id BIGINT NOT NULL REFERENCES announcement (id),
  user_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL,
  read_at BIGINT NOT NULL,
  PRIMARY KEY (announcement_id, user_id)
);

-- Boards: scope_kind field|street|series with scope_key (field code, 12-digit street code,
-- meeting series id). visibility all|members (users of the street's organizations)|invited.
CREATE TABLE board (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  scope_kind TEXT NOT NULL,
  scope_key TEXT NOT NULL,
  visibility TEXT NOT NULL DEFAULT 'all',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  thread_count BIGINT NOT NULL DEFAULT 0,
  post_count BIGINT NOT NULL DEFAULT 0,
  last_post_at BIGINT
);

CREATE TABLE board_invite (
  board_id BIGINT NOT NULL REFERENCES board (id),
  user_id BIGINT NOT NULL,
  PRIMARY KEY (board_id, user_id)
);
CREATE INDEX board_invite_by_user ON board_invite (user_id, board_id);

CREATE TABLE thread (
  id BIGSERIAL PRIMARY KEY,
  board_id BIGINT NOT NULL REFERENCES board (id),
  title TEXT NOT NULL,
  author_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_post_at BIGINT NOT NULL,
  reply_count BIGINT NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  hidden INTEGER NOT NULL DEFAULT 0,
  hidden_reason TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX thread_by_board ON thread (board_id, last_post_at);

CREATE TABLE post (
  id BIGSERIAL PRIMARY KEY,
  thread_id BIGINT NOT NULL REFERENCES thread (id),
  board_id BIGINT NOT NULL,
  author_id BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  edited_at BIGINT,
  hidden INTEGER NOT NULL DEFAULT 0,
  hidden_reason TEXT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX post_by_thread ON post (thread_id, id);

-- Earlier bodies of an edited post (the edit history).
CREATE TABLE post_edit (
  id BIGSERIAL PRIMARY KEY,
  post_id BIGINT NOT NULL REFERENCES post (id),
  body TEXT NOT NULL,
  edited_at BIGINT NOT NULL
);
CREATE INDEX post_edit_by_post ON post_edit (post_id, id);

CREATE TABLE thread_follow (
  thread_id BIGINT NOT NULL REFERENCES thread (id),
  user_id BIGINT NOT NULL,
  PRIMARY KEY (thread_id, user_id)
);

-- Post search: text_index_tokens() of title + body, plus facet tokens for the board and
-- hidden/visible state (src/boards/post_search.c), as lexemes.
ALTER TABLE post ADD COLUMN search_tokens TSVECTOR;
CREATE INDEX post_search ON post USING GIN (search_tokens);

-- Direct messages: one conversation per pair of users (user_a < user_b).
CREATE TABLE dm_conversation (
  id BIGSERIAL PRIMARY KEY,
  user_a BIGINT NOT NULL,
  user_b BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_message_at BIGINT NOT NULL,
  a_read_id BIGINT NOT NULL DEFAULT 0,
  b_read_id BIGINT NOT NULL DEFAULT 0,
  UNIQUE (user_a, user_b)
);
CREATE INDEX dm_conversation_by_b ON dm_conversation (user_b, last_message_at);
CREATE INDEX dm_conversation_by_a ON dm_conversation (user_a, last_message_at);

CREATE TABLE dm_message (
  id BIGSERIAL PRIMARY KEY,
  conversation_id BIGINT NOT NULL REFERENCES dm_conversation (id),
  sender_id BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX dm_message_by_conversation ON dm_message (conversation_id, id);
