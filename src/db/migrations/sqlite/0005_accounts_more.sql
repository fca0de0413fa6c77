-- API tokens for integrations. Like session tokens, only the SHA-256 of a token is stored; a
-- token acts with exactly one of its owner's roles.
CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_token_by_user ON api_token (user_id);

-- Failed sign-ins, kept in the database so every server instance throttles alike. The user name
-- is the one typed (it may not exist); old rows are pruned on every failure.
CREATE TABLE login_failure (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  remote_addr TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failure_by_username ON login_failure (username, at);
CREATE INDEX login_failure_by_addr ON login_failure (remote_addr, at);
CREATE INDEX login_failure_by_at ON login_failure (at);

-- TOTP: app_user.totp_secret holds the base32 secret (pending while totp_enabled = 0);
-- totp_last_step is the last time step accepted, so a code cannot be used twice.
ALTER TABLE app_user ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
