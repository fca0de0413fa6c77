/*
 * Accounts: users, roles, passwords, sessions. See accounts.h.
 */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "lib/division.h"

/* ---------------------------------------------------------------- tokens and hashes */

void accounts_new_token(char out[ACCOUNTS_TOKEN_CHARS + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, ACCOUNTS_TOKEN_CHARS + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void accounts_token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int64_t env_seconds(const char *name, int64_t fallback)
{
	const char *v = getenv(name);
	long long n = v ? atoll(v) : 0;
	return n > 0 ? n : fallback;
}

int64_t accounts_session_idle_seconds(void)
{
	return env_seconds("TONGXIN_SESSION_IDLE", 2 * 3600);
}

int64_t accounts_session_max_seconds(void)
{
	return env_seconds("TONGXIN_SESSION_MAX", 12 * 3600);
}

/* ---------------------------------------------------------------- passwords */

const char *accounts_password_problem(const char *password)
{
	if (!password || strlen(password) < 8)
		return "accounts.password_too_short";
	if (strlen(password) > 128)
		return "accounts.password_too_long";
	int letters = 0, digits = 0;
	for (const char *p = password; *p; p++) {
		if (isalpha((unsigned char)*p))
			letters = 1;
		else if (isdigit((unsigned char)*p))
			digits = 1;
	}
	return letters && digits ? NULL : "accounts.password_weak";
}

char *accounts_hash_password(const char *password)
{
	char *out = xmalloc(crypto_pwhash_STRBYTES);
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* A hash to verify against when the user does not exist, so that a wrong user name costs the
 * same time as a wrong password and does not reveal which accounts exist. */
static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_make(void)
{
	dummy_hash = accounts_hash_password("not-a-real-password-0");
}

/* ---------------------------------------------------------------- principals */

static const char sql_user_by_id[] =
	"SELECT id, username, display_name, jurisdiction FROM app_user "
	"WHERE id = $1 AND status = 'active'";
static const char sql_user_roles[] = "SELECT role, org_id FROM user_role WHERE user_id = $1";

int accounts_load_principal(struct ctx *c, int64_t user_id, struct principal *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = db_query(c->db, sql_user_by_id, "l", user_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->user_id = db_col_int(st, 0);
		snprintf(out->username, sizeof out->username, "%s", db_col_text(st, 1));
		snprintf(out->display_name, sizeof out->display_name, "%s", db_col_text(st, 2));
		snprintf(out->jurisdiction, sizeof out->jurisdiction, "%s",
			 db_col_text(st, 3) ? db_col_text(st, 3) : "");
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (rc != DB_ROW)
		return error_set(&c->err, E_NOT_FOUND, NULL);
	st = db_query(c->db, sql_user_roles, "l", user_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int role = role_from_name(db_col_text(st, 0));
		int64_t org = db_col_int(st, 1);
		if (role < 0)
			continue;
		out->roles |= ROLE_BIT(role);
		if (role == ROLE_ORG_ADMIN && org && out->norgs < PRINCIPAL_MAX_ORGS)
			out->org_ids[out->norgs++] = org;
		if (role == ROLE_ORG_MEMBER && org && out->nmember_orgs < PRINCIPAL_MAX_ORGS)
			out->member_org_ids[out->nmember_orgs++] = org;
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

int accounts_principal_by_username(struct ctx *c, const char *username, struct principal *out)
{
	int64_t id = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = $1", "s", username);
	if (!id)
		return error_set(&c->err, E_NOT_FOUND, "accounts.no_such_user");
	return accounts_load_principal(c, id, out);
}

/* ---------------------------------------------------------------- users */

static int valid_username(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 32 || !islower((unsigned char)s[0]))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '.' &&
		    *s != '_' && *s != '-')
			return 0;
	return 1;
}

static void validate_user(struct ctx *c, const struct user_input *in)
{
	if (!in->username || !*in->username)
		error_field(&c->err, "username", "field.required", 0);
	else if (!valid_username(in->username))
		error_field(&c->err, "username", "accounts.bad_username", 0);
	if (!in->display_name || !*in->display_name)
		error_field(&c->err, "display_name", "field.required", 0);
	else if (v_char_count(in->display_name) > 64 || !v_is_clean_text(in->display_name))
		error_field(&c->err, "display_name", "field.too_long", 64);
	if (in->email && *in->email && !v_is_email(in->email))
		error_field(&c->err, "email", "field.bad_email", 0);
	if (in->phone && *in->phone && !v_is_phone(in->phone))
		error_field(&c->err, "phone", "field.bad_phone", 0);
	const char *pw = accounts_password_problem(in->password);
	if (pw)
		error_field(&c->err, "password", pw, 0);
	if (in->jurisdiction && *in->jurisdiction &&
	    division_level_of(in->jurisdiction) != DIVISION_STREET)
		error_field(&c->err, "jurisdiction", "accounts.bad_jurisdiction", 0);
	if (in->roles == 0 || (in->roles & ~ROLES_ALL))
		error_field(&c->err, "roles", "accounts.roles_required", 0);
	int needs_org = (in->roles & (ROLE_BIT(ROLE_ORG_ADMIN) | ROLE_BIT(ROLE_ORG_MEMBER))) != 0;
	if (needs_org && in->org_id <= 0)
		error_field(&c->err, "org_id", "accounts.org_required", 0);
}

static const char sql_user_insert[] =
	"INSERT INTO app_user (username, display_name, email, phone, password_hash, jurisdiction, "
	"created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
static const char sql_role_insert[] =
	"INSERT INTO user_role (user_id, role, org_id) VALUES ($1, $2, $3)";

int accounts_user_create_in_tx(struct ctx *c, const struct user_input *in, int64_t *id)
{
	if (policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return -1;
	validate_user(c, in);
	if (error_check(&c->err) != 0)
		return -1;
	int needs_org = (in->roles & (ROLE_BIT(ROLE_ORG_ADMIN) | ROLE_BIT(ROLE_ORG_MEMBER))) != 0;
	if (needs_org && db_exists(c->db, "SELECT 1 FROM org WHERE id = $1", "l", in->org_id) != 1) {
		error_field(&c->err, "org_id", "accounts.no_such_org", 0);
		return -1;
	}
	char *hash = accounts_hash_password(in->password);
	if (!hash)
		return error_internal(&c->err, "password hashing failed (out of memory?)");
	struct db_stmt *st = db_query(c->db, sql_user_insert, "ssssssl", in->username,
				      in->display_name, in->email, in->phone, hash,
				      in->jurisdiction ? in->jurisdiction : "", c->now);
	sodium_memzero(hash, strlen(hash));
	free(hash);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW) {
		if (db_error_class(c->db) == DBE_UNIQUE) {
			error_set(&c->err, E_DUPLICATE, "accounts.username_taken");
			error_field(&c->err, "username", "accounts.username_taken", 0);
			c->err.kind = E_DUPLICATE;
			return -1;
		}
		return ctx_db_error(c);
	}
	json_t *roles = json_array();
	for (int r = 0; r < ROLE__MAX; r++) {
		if (!(in->roles & ROLE_BIT(r)))
			continue;
		int64_t org = (r == ROLE_ORG_ADMIN || r == ROLE_ORG_MEMBER) ? in->org_id : 0;
		if (db_run(c->db, sql_role_insert, "lsl", *id, role_name((enum role)r), org) < 0)
			return ctx_db_error(c), json_decref(roles), -1;
		json_array_append_new(roles, json_string(role_name((enum role)r)));
	}
	json_t *after = json_pack("{s:s, s:s, s:o, s:s, s:I}", "username", in->username,
				  "display_name", in->display_name, "roles", roles, "jurisdiction",
				  in->jurisdiction ? in->jurisdiction : "", "org_id",
				  (json_int_t)in->org_id);
	int arc = audit_append(c, "user.create", "user", *id, NULL, after);
	json_decref(after);
	return arc;
}

int accounts_user_create(struct ctx *c, const struct user_input *in, int64_t *id)
{
	if (db_begin(c->db) != 0)
		return ctx_db_error(c);
	if (accounts_user_create_in_tx(c, in, id) != 0) {
		db_rollback(c->db);
		return -1;
	}
	if (db_commit(c->db) != 0)
		return ctx_db_error(c);
	return 0;
}

int accounts_set_password(struct ctx *c, int64_t user_id, const char *password,
			  int64_t keep_session_id)
{
	if (c->who->user_id != user_id && policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return -1;
	const char *problem = accounts_password_problem(password);
	if (problem) {
		error_field(&c->err, "password", problem, 0);
		return -1;
	}
	char *hash = accounts_hash_password(password);
	if (!hash)
		return error_internal(&c->err, "password hashing failed");
	if (db_begin(c->db) != 0) {
		free(hash);
		return ctx_db_error(c);
	}
	int64_t n = db_run(c->db,
			   "UPDATE app_user SET password_hash = $1, updated_at = $2, "
			   "version = version + 1, must_change_password = $3 WHERE id = $4",
			   "slil", hash, c->now, c->who->user_id != user_id, user_id);
	free(hash);
	if (n < 0)
		goto dberr;
	if (n == 0) {
		db_rollback(c->db);
		return error_set(&c->err, E_NOT_FOUND, NULL);
	}
	/* A new password ends every other session of the account. */
	if (db_run(c->db, "DELETE FROM session WHERE user_id = $1 AND id <> $2", "ll", user_id,
		   keep_session_id) < 0)
		goto dberr;
	json_t *after = json_pack("{s:b}", "password_changed", 1);
	int arc = audit_append(c, "user.password", "user", user_id, NULL, after);
	json_decref(after);
	if (arc != 0) {
		db_rollback(c->db);
		return -1;
	}
	if (db_commit(c->db) != 0)
		return ctx_db_error(c);
	return 0;
dberr:
	ctx_db_error(c);
	db_rollback(c->db);
	return -1;
}

/* ---------------------------------------------------------------- sessions */

static const char sql_login_user[] =
	"SELECT id, password_hash, status FROM app_user WHERE username = $1";
static const char sql_session_insert[] =
	"INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, "
	"expires_at, remote_addr, user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) "
	"RETURNING id";

int accounts_login(struct ctx *c, const char *username, const char *password,
		   struct session_grant *out)
{
	pthread_once(&dummy_once, dummy_make);
	memset(out, 0, sizeof *out);
	int64_t user_id = 0;
	char *hash = NULL;
	int active = 0;
	struct db_stmt *st = db_query(c->db, sql_login_user, "s", username ? username : "");
	int rc = db_step(st);
	if (rc == DB_ROW) {
		user_id = db_col_int(st, 0);
		hash = xstrdup(db_col_text(st, 1));
		active = strcmp(db_col_text(st, 2), "active") == 0;
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	const char *pw = password ? password : "";
	int ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw, strlen(pw)) == 0;
	free(hash);
	if (!ok || !user_id || !active)
		return error_set(&c->err, E_BAD_CREDENTIALS, NULL);

	char token_hash[65];
	accounts_new_token(out->token);
	accounts_new_token(out->csrf);
	accounts_token_hash(out->token, token_hash);
	out->user_id = user_id;
	out->expires_at = c->now + accounts_session_max_seconds();
	if (db_begin(c->db) != 0)
		return ctx_db_error(c);
	st = db_query(c->db, sql_session_insert, "slsllss", token_hash, user_id, out->csrf, c->now,
		      out->expires_at, c->remote_addr, c->user_agent);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->session_id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW ||
	    db_run(c->db, "UPDATE app_user SET last_login_at = $1 WHERE id = $2", "ll", c->now,
		   user_id) < 0) {
		ctx_db_error(c);
		db_rollback(c->db);
		return -1;
	}
	if (db_commit(c->db) != 0)
		return ctx_db_error(c);
	return 0;
}

static const char sql_session_by_token[] =
	"SELECT id, user_id, csrf_token, last_seen_at, expires_at FROM session "
	"WHERE token_hash = $1";

int accounts_session_principal(struct ctx *c, const char *token, struct principal *out)
{
	char token_hash[65];
	accounts_token_hash(token, token_hash);
	struct db_stmt *st = db_query(c->db, sql_session_by_token, "s", token_hash);
	int rc = db_step(st);
	int64_t session_id = 0, user_id = 0, last_seen = 0, expires = 0;
	char csrf[sizeof out->csrf_token] = "";
	if (rc == DB_ROW) {
		session_id = db_col_int(st, 0);
		user_id = db_col_int(st, 1);
		snprintf(csrf, sizeof csrf, "%s", db_col_text(st, 2));
		last_seen = db_col_int(st, 3);
		expires = db_col_int(st, 4);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (rc != DB_ROW)
		return error_set(&c->err, E_UNAUTHENTICATED, "accounts.session_expired");
	if (c->now >= expires || c->now - last_seen >= accounts_session_idle_seconds()) {
		db_run(c->db, "DELETE FROM session WHERE id = $1", "l", session_id);
		return error_set(&c->err, E_UNAUTHENTICATED, "accounts.session_expired");
	}
	/* Refresh at most once a minute: a write per request would serialize every reader. */
	if (c->now - last_seen >= 60)
		db_run(c->db, "UPDATE session SET last_seen_at = $1 WHERE id = $2", "ll", c->now,
		       session_id);
	if (accounts_load_principal(c, user_id, out) != 0) {
		error_clear(&c->err);
		return error_set(&c->err, E_UNAUTHENTICATED, "accounts.session_expired");
	}
	out->session_id = session_id;
	snprintf(out->csrf_token, sizeof out->csrf_token, "%s", csrf);
	return 0;
}

int accounts_logout(struct ctx *c, int64_t session_id)
{
	if (db_run(c->db, "DELETE FROM session WHERE id = $1", "l", session_id) < 0)
		return ctx_db_error(c);
	return 0;
}

json_t *accounts_me_json(struct ctx *c)
{
	const struct principal *p = c->who;
	json_t *roles = json_array();
	for (int r = 0; r < ROLE__MAX; r++)
		if (p->roles & ROLE_BIT(r))
			json_array_append_new(roles, json_string(role_name((enum role)r)));
	json_t *orgs = json_array();
	for (int i = 0; i < p->norgs; i++)
		json_array_append_new(orgs, json_integer(p->org_ids[i]));
	json_t *member = json_array();
	for (int i = 0; i < p->nmember_orgs; i++)
		json_array_append_new(member, json_integer(p->member_org_ids[i]));
	json_t *me = json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:o}", "id", (json_int_t)p->user_id,
			       "username", p->username, "display_name", p->display_name, "roles",
			       roles, "jurisdiction", p->jurisdiction, "org_ids", orgs,
			       "member_org_ids", member);
	int must_change = (int)db_int(c->db, 0,
				      "SELECT must_change_password FROM app_user WHERE id = $1",
				      "l", p->user_id);
	json_object_set_new(me, "must_change_password", json_boolean(must_change));
	return me;
}

int accounts_token_principal(struct ctx *c, const char *token, struct principal *out)
{
	(void)token;
	(void)out;
	/* API tokens arrive with the token table (accounts_tokens.c); until then none is valid. */
	return error_set(&c->err, E_UNAUTHENTICATED, "accounts.bad_token");
}
