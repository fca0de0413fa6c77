-- Notifications (src/notify/): one row per user told. The text is rendered when read, in the
-- reader's language, from the message key "notify.<kind>" and the JSON params.
CREATE TABLE notification (
  id INTEGER PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  link TEXT NOT NULL DEFAULT '',
  object_type TEXT,
  object_id BIGINT,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notification_by_user ON notification (user_id, id);
CREATE INDEX notification_unread ON notification (user_id) WHERE read_at IS NULL;
