-- Notifications (src/notify/): one row per user told. The text is rendered when read, in the
-- reader's language, from the message key "notify.<kind>" and the JSON params.
CREATE TABLE notification (
  id BIGSERIAL PRIMARY KEY,
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

-- Group robots (WeCom, DingTalk, Feishu webhooks) bound to an organization or to a scope string
-- that another feature owns (e.g. "board:12"). The secret signs DingTalk/Feishu requests; it is
-- never returned in full by the API. rate_per_minute: the platform's limit (20 for all three).
CREATE TABLE notify_webhook (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  org_id BIGINT REFERENCES org(id) ON DELETE CASCADE,
  scope TEXT,
  rate_per_minute INTEGER NOT NULL DEFAULT 20,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX notify_webhook_by_org ON notify_webhook (org_id);
CREATE INDEX notify_webhook_by_scope ON notify_webhook (scope);

-- The outbox: one row per message to send outside the application (an e-mail, a robot post),
-- written in the same transaction as the change that causes it. The delivery thread claims due
-- rows with a lease (claimed_until), sends, and marks them sent in a transaction of their own.
-- state: pending -> sent | failed; 'digest' rows wait for the user's daily digest e-mail.
CREATE TABLE notify_outbox (
  id BIGSERIAL PRIMARY KEY,
  channel TEXT NOT NULL,
  notification_id BIGINT REFERENCES notification(id) ON DELETE CASCADE,
  user_id BIGINT REFERENCES app_user(id) ON DELETE CASCADE,
  webhook_id BIGINT REFERENCES notify_webhook(id) ON DELETE CASCADE,
  target TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  link TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  claimed_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX notify_outbox_due ON notify_outbox (next_at) WHERE state = 'pending';
CREATE INDEX notify_outbox_failed ON notify_outbox (id) WHERE state = 'failed';
CREATE INDEX notify_outbox_digest ON notify_outbox (user_id) WHERE state = 'digest';
CREATE INDEX notify_outbox_robot_sent ON notify_outbox (webhook_id, sent_at);

-- Per-user delivery preference for e-mail: immediate, daily digest, or none.
CREATE TABLE notify_preference (
  user_id BIGINT PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
  email_mode TEXT NOT NULL DEFAULT 'immediate',
  updated_at BIGINT NOT NULL
);

-- Channel settings set by the administrator (SMTP host, port, tls, user, password, from).
CREATE TABLE notify_setting (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
