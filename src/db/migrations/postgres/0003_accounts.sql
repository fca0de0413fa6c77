-- Accounts. Passwords are argon2id strings (libsodium); session and API tokens are stored only
-- as SHA-256 hashes, so a copy of the database does not let anyone sign in.
CREATE TABLE app_user (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  password_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  jurisdiction TEXT NOT NULL DEFAULT '',
  totp_secret TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  last_login_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);

-- org_id 0 = the role is not about one organization (org_admin / org_member carry one).
CREATE TABLE user_role (
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  org_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, role, org_id)
);
CREATE INDEX user_role_by_org ON user_role (org_id, role);

CREATE TABLE session (
  id BIGSERIAL PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  remote_addr TEXT,
  user_agent TEXT
);
CREATE INDEX session_by_user ON session (user_id);
CREATE INDEX session_by_expiry ON session (expires_at);
