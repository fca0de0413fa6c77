/*
 * Accounts: users, roles, passwords, sessions. See accounts.h.
 */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accounts/accounts_internal.h"
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

const char *accounts_dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_make);
	return dummy_hash;
}

static const char sql_own_hash[] = "SELECT username, password_hash FROM app_user WHERE id = $1";

int accounts_verify_own_password(struct ctx *c, const char *password, const char *field)
{
	char *hash = NULL, *username = NULL;
	struct db_stmt *st = db_query(c->db, sql_own_hash, "l", c->who->user_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		username = arena_strdup(c->arena, db_col_text(st, 0));
		hash = xstrdup(db_col_text(st, 1));
	}
	db_done(st);
	if (rc != DB_ROW) {
		free(hash);
		return rc == DB_ERROR ? ctx_db_error(c) : error_set(&c->err, E_NOT_FOUND, NULL);
	}
	if (throttle_check(c, username) != 0) {
		free(hash);
		return -1;
	}
	const char *pw = password ? password : "";
	int ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	free(hash);
	if (ok)
		return 0;
	throttle_record_failure(c, username);
	error_field(&c->err, field, "accounts.wrong_password", 0);
	return -1;
}

int accounts_end_sessions_in_tx(struct ctx *c, int64_t user_id, int64_t keep_session_id)
{
	if (db_run(c->db, "DELETE FROM session WHERE user_id = $1 AND id <> $2", "ll", user_id,
		   keep_session_id) < 0)
		return ctx_db_error(c);
	return 0;
}

/* ---------------------------------------------------------------- principals */

static const char sql_user_by_id[] =
	"SELECT id, username, display_name, jurisdiction, must_change_password FROM app_user "
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
		out->must_change_password = (int)db_col_int(st, 4);
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
}

static int is_org_role(enum role r)
{
	return r == ROLE_ORG_ADMIN || r == ROLE_ORG_MEMBER;
}

int accounts_grants_from_mask(unsigned roles, int64_t org_id,
			      struct role_grant g[ACCOUNTS_MAX_GRANTS])
{
	int n = 0;
	for (int r = 0; r < ROLE__MAX && n < ACCOUNTS_MAX_GRANTS; r++)
		if (roles & ROLE_BIT(r)) {
			g[n].role = (enum role)r;
			g[n++].org_id = is_org_role((enum role)r) ? org_id : 0;
		}
	return n;
}

static const char *grant_field(struct ctx *c, int from_list, int i, const char *what)
{
	if (!from_list)
		return strcmp(what, "org_id") == 0 ? "org_id" : "roles";
	char name[64];
	snprintf(name, sizeof name, "roles[%d].%s", i, what);
	return arena_strdup(c->arena, name);
}

void accounts_validate_grants(struct ctx *c, const struct role_grant *g, int n, int from_list)
{
	if (n == 0)
		error_field(&c->err, "roles", "accounts.roles_required", 0);
	for (int i = 0; i < n; i++) {
		if ((unsigned)g[i].role >= ROLE__MAX)
			error_field(&c->err, grant_field(c, from_list, i, "role"),
				    "field.bad_choice", 0);
		else if (is_org_role(g[i].role) && g[i].org_id <= 0)
			error_field(&c->err, grant_field(c, from_list, i, "org_id"),
				    "accounts.org_required", 0);
	}
}

static const char sql_role_insert[] =
	"INSERT INTO user_role (user_id, role, org_id) VALUES ($1, $2, $3)";

/* 1 if a grant before i gives the same role for the same organization. */
static int grant_seen(const struct role_grant *g, int i, int64_t org)
{
	for (int j = 0; j < i; j++)
		if (g[j].role == g[i].role && (is_org_role(g[j].role) ? g[j].org_id : 0) == org)
			return 1;
	return 0;
}

json_t *accounts_insert_grants_in_tx(struct ctx *c, int64_t user_id, const struct role_grant *g,
				     int n, int from_list)
{
	for (int i = 0; i < n; i++)
		if (is_org_role(g[i].role) &&
		    db_exists(c->db, "SELECT 1 FROM org WHERE id = $1", "l", g[i].org_id) != 1)
			error_field(&c->err, grant_field(c, from_list, i, "org_id"),
				    "accounts.no_such_org", 0);
	if (error_check(&c->err) != 0)
		return NULL;
	json_t *roles = json_array();
	for (int i = 0; i < n; i++) {
		int64_t org = is_org_role(g[i].role) ? g[i].org_id : 0;
		if (grant_seen(g, i, org))
			continue;
		if (db_run(c->db, sql_role_insert, "lsl", user_id, role_name(g[i].role), org) < 0) {
			json_decref(roles);
			ctx_db_error(c);
			return NULL;
		}
		json_array_append_new(roles, json_pack("{s:s, s:I}", "role", role_name(g[i].role),
						       "org_id", (json_int_t)org));
	}
	return roles;
}

static const char sql_user_insert[] =
	"INSERT INTO app_user (username, display_name, email, phone, password_hash, jurisdiction, "
	"created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";

int accounts_user_create_in_tx(struct ctx *c, const struct user_input *in, int64_t *id)
{
	if (policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return -1;
	struct role_grant mask_grants[ACCOUNTS_MAX_GRANTS];
	const struct role_grant *grants = in->grants;
	int ngrants = in->ngrants, from_list = in->ngrants > 0;
	if (!from_list) {
		grants = mask_grants;
		ngrants = (in->roles & ~ROLES_ALL) ? 0
						    : accounts_grants_from_mask(in->roles, in->org_id,
										mask_grants);
	}
	validate_user(c, in);
	accounts_validate_grants(c, grants, ngrants, from_list);
	if (error_check(&c->err) != 0)
		return -1;
	char *hash = in->password_hash ? xstrdup(in->password_hash)
				       : accounts_hash_password(in->password);
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
	json_t *roles = accounts_insert_grants_in_tx(c, *id, grants, ngrants, from_list);
	if (!roles)
		return -1;
	json_t *after = json_pack("{s:s, s:s, s:o, s:s}", "username", in->username,
				  "display_name", in->display_name, "roles", roles, "jurisdiction",
				  in->jurisdiction ? in->jurisdiction : "");
	int arc = audit_append(c, "user.create", "user", *id, NULL, after);
	json_decref(after);
	return arc;
}

/* A new account's input and id, for its transaction's step. */
struct user_create {
	const struct user_input *in;
	int64_t id;
};

static int user_create_step(struct ctx *c, void *arg)
{
	struct user_create *a = arg;
	return accounts_user_create_in_tx(c, a->in, &a->id);
}

int accounts_user_create(struct ctx *c, const struct user_input *in, int64_t *id)
{
	/* Hash before taking the write lock: argon2id takes ~0.1 s, and holding the database's
	 * only writer slot that long makes every other writer wait. */
	struct user_input hashed = *in;
	char *hash = NULL;
	if (!in->password_hash && !accounts_password_problem(in->password)) {
		hash = accounts_hash_password(in->password);
		hashed.password_hash = hash;
	}
	struct user_create a = {&hashed, 0};
	int rc = ctx_tx(c, user_create_step, &a);
	*id = a.id;
	if (hash) {
		sodium_memzero(hash, strlen(hash));
		free(hash);
	}
	return rc;
}

/* A password change's arguments, for its transaction's step. */
struct password_store {
	int64_t user_id;
	const char *hash;
	int64_t keep_session_id;
	int by_admin;
};

static int store_password_step(struct ctx *c, void *arg)
{
	struct password_store *a = arg;
	int64_t n = db_run(c->db,
			   "UPDATE app_user SET password_hash = $1, updated_at = $2, "
			   "version = version + 1, must_change_password = $3 WHERE id = $4",
			   "slil", a->hash, c->now, a->by_admin, a->user_id);
	if (n < 0)
		return ctx_db_error(c);
	if (n == 0)
		return error_set(&c->err, E_NOT_FOUND, NULL);
	/* A new password ends every other session of the account; an administrator's reset (the
	 * account may be in someone else's hands) also revokes its API tokens. */
	if (accounts_end_sessions_in_tx(c, a->user_id, a->keep_session_id) != 0)
		return -1;
	if (a->by_admin && db_run(c->db,
				  "UPDATE api_token SET revoked_at = $1 WHERE user_id = $2 AND "
				  "revoked_at IS NULL",
				  "ll", c->now, a->user_id) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:b, s:b}", "password_changed", 1, "must_change_password",
				  a->by_admin);
	int arc = audit_append(c, "user.password", "user", a->user_id, NULL, after);
	json_decref(after);
	return arc;
}

/* Stores a new password hash and ends the user's sessions but keep_session_id, in one
 * transaction. `by_admin`: the user must change it at the next sign-in. */
static int store_password(struct ctx *c, int64_t user_id, const char *password,
			  int64_t keep_session_id, int by_admin)
{
	char *hash = accounts_hash_password(password);
	if (!hash)
		return error_internal(&c->err, "password hashing failed");
	struct password_store a = {user_id, hash, keep_session_id, by_admin};
	int rc = ctx_tx(c, store_password_step, &a);
	sodium_memzero(hash, strlen(hash));
	free(hash);
	return rc;
}

static int admin_set_password(struct ctx *c, int64_t user_id, const char *password,
			      int64_t keep_session_id, const char *field)
{
	int self = c->who->user_id == user_id;
	if (!self && policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return -1;
	const char *problem = accounts_password_problem(password);
	if (problem) {
		error_field(&c->err, field, problem, 0);
		return -1;
	}
	if (store_password(c, user_id, password, keep_session_id, !self) != 0)
		return -1;
	if (!self) { /* the administrator vouches for the account again: lift a lock */
		char *name = NULL;
		struct db_stmt *st = db_query(c->db, "SELECT username FROM app_user WHERE id = $1",
					      "l", user_id);
		if (db_step(st) == DB_ROW)
			name = arena_strdup(c->arena, db_col_text(st, 0));
		db_done(st);
		if (name)
			throttle_clear(c, name);
	}
	return 0;
}

int accounts_set_password(struct ctx *c, int64_t user_id, const char *password,
			  int64_t keep_session_id)
{
	return admin_set_password(c, user_id, password, keep_session_id, "password");
}

int accounts_reset_password(struct ctx *c, int64_t user_id, const char *new_password)
{
	if (policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return -1;
	return admin_set_password(c, user_id, new_password, 0, "new_password");
}

int accounts_change_own_password(struct ctx *c, const char *current_password,
				 const char *new_password)
{
	if (c->who->user_id <= 0)
		return error_set(&c->err, E_FORBIDDEN, NULL);
	if (c->who->token_id) /* a leaked token must not be able to take the account over */
		return error_set(&c->err, E_FORBIDDEN, "accounts.session_required");
	if (accounts_verify_own_password(c, current_password, "current_password") != 0 &&
	    c->err.kind != E_VALIDATION)
		return -1; /* throttled or a database error: that is the answer */
	const char *problem = accounts_password_problem(new_password);
	if (problem)
		error_field(&c->err, "new_password", problem, 0);
	else if (current_password && strcmp(current_password, new_password) == 0)
		error_field(&c->err, "new_password", "accounts.password_unchanged", 0);
	if (error_check(&c->err) != 0)
		return -1;
	return store_password(c, c->who->user_id, new_password, c->who->session_id, 0);
}

/* ---------------------------------------------------------------- sessions */

static const char sql_login_user[] =
	"SELECT id, password_hash, status, totp_enabled, totp_secret, totp_last_step "
	"FROM app_user WHERE username = $1";
static const char sql_session_insert[] =
	"INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, "
	"expires_at, remote_addr, user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) "
	"RETURNING id";

/* What sign-in needs to know about the account behind a user name. */
struct login_account {
	int64_t user_id; /* 0: no such user */
	char *hash;      /* malloc'd */
	int active, totp_enabled;
	const char *totp_secret; /* arena */
	int64_t totp_last_step;
};

static int login_account_load(struct ctx *c, const char *username, struct login_account *a)
{
	memset(a, 0, sizeof *a);
	struct db_stmt *st = db_query(c->db, sql_login_user, "s", username);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		a->user_id = db_col_int(st, 0);
		a->hash = xstrdup(db_col_text(st, 1));
		a->active = strcmp(db_col_text(st, 2), "active") == 0;
		a->totp_enabled = (int)db_col_int(st, 3);
		a->totp_secret = db_col_isnull(st, 4) ? NULL
						       : arena_strdup(c->arena, db_col_text(st, 4));
		a->totp_last_step = db_col_int(st, 5);
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

/* Password and second factor; 0 if both are right. Records a failure when either is wrong
 * (a missing code is not a failure: it is the first step of a two-step sign-in). */
static int login_verify(struct ctx *c, const char *username, const char *password,
			const char *totp, struct login_account *a)
{
	const char *pw = password ? password : "";
	/* always one verification, against a dummy hash when there is no such user */
	int ok = crypto_pwhash_str_verify(a->hash ? a->hash : accounts_dummy_hash(), pw,
					  strlen(pw)) == 0;
	if (!ok || !a->user_id || !a->active) {
		throttle_record_failure(c, username);
		return error_set(&c->err, E_BAD_CREDENTIALS, NULL);
	}
	if (!a->totp_enabled || !a->totp_secret)
		return 0;
	if (!totp || !*totp)
		return error_set(&c->err, E_TOTP_REQUIRED, NULL);
	int64_t step = a->totp_last_step;
	if (!totp_code_matches(c, a->totp_secret, totp, &step) ||
	    !totp_claim_step(c, a->user_id, step)) {
		throttle_record_failure(c, username);
		return error_set(&c->err, E_BAD_CREDENTIALS, "accounts.totp_wrong");
	}
	return 0;
}

/* A new session's grant and token hash, for its transaction's step. */
struct session_new {
	struct session_grant *out;
	const char *token_hash;
};

static int session_open_step(struct ctx *c, void *arg)
{
	struct session_new *a = arg;
	struct session_grant *out = a->out;
	/* housekeeping while we hold the write lock anyway: indexed by expires_at */
	if (db_run(c->db, "DELETE FROM session WHERE expires_at <= $1", "l", c->now) < 0)
		return ctx_db_error(c);
	struct db_stmt *st = db_query(c->db, sql_session_insert, "slsllss", a->token_hash,
				      out->user_id, out->csrf, c->now, out->expires_at,
				      c->remote_addr, c->user_agent);
	int rc = db_step(st);
	if (rc == DB_ROW)
		out->session_id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW ||
	    db_run(c->db, "UPDATE app_user SET last_login_at = $1 WHERE id = $2", "ll", c->now,
		   out->user_id) < 0)
		return ctx_db_error(c);
	return 0;
}

static int session_open(struct ctx *c, int64_t user_id, struct session_grant *out)
{
	char token_hash[65];
	accounts_new_token(out->token);
	accounts_new_token(out->csrf);
	accounts_token_hash(out->token, token_hash);
	out->user_id = user_id;
	out->expires_at = c->now + accounts_session_max_seconds();
	struct session_new a = {out, token_hash};
	return ctx_tx(c, session_open_step, &a);
}

int accounts_login(struct ctx *c, const char *username, const char *password, const char *totp,
		   struct session_grant *out)
{
	memset(out, 0, sizeof *out);
	if (!username)
		username = "";
	/* before any hashing: a throttled attacker must not be able to burn our CPU */
	if (throttle_check(c, username) != 0)
		return -1;
	struct login_account a;
	if (login_account_load(c, username, &a) != 0)
		return -1;
	int rc = login_verify(c, username, password, totp, &a);
	free(a.hash);
	if (rc != 0)
		return -1;
	throttle_clear(c, username);
	return session_open(c, a.user_id, out);
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
	struct db_stmt *st = db_query(
		c->db, "SELECT must_change_password, totp_enabled FROM app_user WHERE id = $1", "l",
		p->user_id);
	int have = db_step(st) == DB_ROW;
	json_object_set_new(me, "must_change_password", json_boolean(have && db_col_int(st, 0)));
	json_object_set_new(me, "totp_enabled", json_boolean(have && db_col_int(st, 1)));
	db_done(st);
	return me;
}
