/*
 * API tokens for integrations (Authorization: Bearer tx_...). A token is shown once, when it
 * is made; the database keeps only its SHA-256. It acts with exactly one role of its owner —
 * chosen when it is made, never more than the owner holds then or now — and needs no CSRF
 * token, since a browser never sends it by itself.
 */
#include <stdio.h>
#include <string.h>
#include "core/json_rows.h"
#include "accounts/accounts_internal.h"
#include "audit/audit.h"
#include "core/policy.h"

static const char token_prefix[] = "tx_";

/* ---------------------------------------------------------------- using a token */

static const char sql_token_by_hash[] =
	"SELECT id, user_id, role, expires_at, revoked_at, last_used_at FROM api_token "
	"WHERE token_hash = $1";

struct token_row {
	int64_t id, user_id, expires_at, last_used_at;
	int revoked;
	int role;
};

static int token_find(struct ctx *c, const char *token, struct token_row *t)
{
	char hash[65];
	accounts_token_hash(token, hash);
	struct db_stmt *st = db_query(c->db, sql_token_by_hash, "s", hash);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		t->id = db_col_int(st, 0);
		t->user_id = db_col_int(st, 1);
		t->role = role_from_name(db_col_text(st, 2));
		t->expires_at = db_col_isnull(st, 3) ? 0 : db_col_int(st, 3);
		t->revoked = !db_col_isnull(st, 4);
		t->last_used_at = db_col_isnull(st, 5) ? 0 : db_col_int(st, 5);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return rc == DB_ROW ? 0 : error_set(&c->err, E_UNAUTHENTICATED, "accounts.bad_token");
}

/* Narrows a user's principal to one role (and the organizations of that role only). */
static void principal_narrow(struct principal *p, enum role role)
{
	p->roles &= ROLE_BIT(role);
	if (role != ROLE_ORG_ADMIN)
		p->norgs = 0;
	if (role != ROLE_ORG_MEMBER)
		p->nmember_orgs = 0;
}

int accounts_token_principal(struct ctx *c, const char *token, struct principal *out)
{
	memset(out, 0, sizeof *out);
	struct token_row t = {0};
	if (strlen(token) != ACCOUNTS_API_TOKEN_CHARS ||
	    strncmp(token, token_prefix, sizeof token_prefix - 1) != 0)
		return error_set(&c->err, E_UNAUTHENTICATED, "accounts.bad_token");
	if (token_find(c, token, &t) != 0)
		return -1;
	if (t.revoked || t.role < 0 || (t.expires_at && c->now >= t.expires_at))
		return error_set(&c->err, E_UNAUTHENTICATED, "accounts.bad_token");
	/* the owner must still be active and still hold the role */
	if (accounts_load_principal(c, t.user_id, out) != 0 ||
	    !(out->roles & ROLE_BIT(t.role))) {
		error_clear(&c->err);
		memset(out, 0, sizeof *out);
		return error_set(&c->err, E_UNAUTHENTICATED, "accounts.bad_token");
	}
	principal_narrow(out, (enum role)t.role);
	out->token_id = t.id;
	/* at most one write a minute per token: integrations poll */
	if (c->now - t.last_used_at >= 60)
		db_run(c->db, "UPDATE api_token SET last_used_at = $1 WHERE id = $2", "ll", c->now,
		       t.id);
	return 0;
}

/* ---------------------------------------------------------------- managing tokens */

static const char sql_token_insert[] =
	"INSERT INTO api_token (token_hash, user_id, role, name, created_at, expires_at) "
	"VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

static int token_insert_in_tx(struct ctx *c, const char *name, enum role role,
			      struct token_grant *out)
{
	char hash[65];
	accounts_token_hash(out->token, hash);
	struct db_stmt *st = db_prepare(c->db, sql_token_insert);
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, c->who->user_id);
	db_bind_text(st, 3, role_name(role));
	db_bind_text(st, 4, name);
	db_bind_int(st, 5, c->now);
	if (out->expires_at)
		db_bind_int(st, 6, out->expires_at);
	else
		db_bind_null(st, 6);
	int rc = db_step(st);
	if (rc == DB_ROW)
		out->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:s, s:s, s:I}", "name", name, "role", role_name(role),
				  "expires_at", (json_int_t)out->expires_at);
	int arc = audit_append(c, "token.create", "api_token", out->id, NULL, after);
	json_decref(after);
	return arc;
}

/* A new token's name, role and grant, for its transaction's step. */
struct token_new {
	const char *name;
	enum role role;
	struct token_grant *out;
};

static int token_create_step(struct ctx *c, void *arg)
{
	struct token_new *a = arg;
	return token_insert_in_tx(c, a->name, a->role, a->out);
}

int accounts_token_create(struct ctx *c, const char *name, enum role role,
			  int64_t expires_in_days, struct token_grant *out)
{
	memset(out, 0, sizeof *out);
	if (c->who->user_id <= 0)
		return error_set(&c->err, E_FORBIDDEN, NULL);
	/* a leaked token must not be able to mint more tokens that outlive its revocation */
	if (c->who->token_id)
		return error_set(&c->err, E_FORBIDDEN, "accounts.session_required");
	if ((unsigned)role >= ROLE__MAX || !(c->who->roles & ROLE_BIT(role)))
		error_field(&c->err, "role", "accounts.role_not_yours", 0);
	if (!name || !*name)
		error_field(&c->err, "name", "field.required", 0);
	if (error_check(&c->err) != 0)
		return -1;
	memcpy(out->token, token_prefix, sizeof token_prefix - 1);
	accounts_new_token(out->token + sizeof token_prefix - 1);
	out->expires_at = expires_in_days > 0 ? c->now + expires_in_days * 86400 : 0;
	struct token_new a = {name, role, out};
	return ctx_tx(c, token_create_step, &a);
}

/* The caller may manage the tokens of user_id: their own, or any as administrator. */
static int token_owner_check(struct ctx *c, int64_t user_id)
{
	if (c->who->user_id == user_id && user_id > 0)
		return 0;
	return policy_check(c, ACT_USER_ADMIN, NULL);
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
	return db_col_isnull(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

static const char sql_token_list[] =
	"SELECT id, name, role, created_at, expires_at, last_used_at, revoked_at FROM api_token "
	"WHERE user_id = $1 ORDER BY id DESC";

static json_t *token_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:o}", "id", (json_int_t)db_col_int(st, 0),
			 "name", db_col_text(st, 1), "role", db_col_text(st, 2), "created_at",
			 (json_int_t)db_col_int(st, 3), "expires_at", int_or_null(st, 4),
			 "last_used_at", int_or_null(st, 5), "revoked_at", int_or_null(st, 6));
}

json_t *accounts_token_list_json(struct ctx *c, int64_t user_id)
{
	if (token_owner_check(c, user_id) != 0)
		return NULL;
	return json_rows(c, db_query(c->db, sql_token_list, "l", user_id), token_row);
}

/* A revocation's token and owner, for its transaction's step. */
struct token_revocation {
	int64_t user_id, token_id;
};

static int token_revoke_step(struct ctx *c, void *arg)
{
	struct token_revocation *a = arg;
	int found = db_exists(c->db, "SELECT 1 FROM api_token WHERE id = $1 AND user_id = $2",
			      "ll", a->token_id, a->user_id);
	int64_t n = found == 1 ? db_run(c->db,
					"UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND "
					"revoked_at IS NULL",
					"ll", c->now, a->token_id)
			       : 0;
	if (found < 0 || n < 0)
		return ctx_db_error(c);
	if (found == 0)
		return error_set(&c->err, E_NOT_FOUND, NULL);
	if (n != 1)
		return 0;
	json_t *after = json_pack("{s:b}", "revoked", 1);
	int arc = audit_append(c, "token.revoke", "api_token", a->token_id, NULL, after);
	json_decref(after);
	return arc;
}

int accounts_token_revoke(struct ctx *c, int64_t user_id, int64_t token_id)
{
	if (token_owner_check(c, user_id) != 0)
		return -1;
	struct token_revocation a = {user_id, token_id};
	return ctx_tx(c, token_revoke_step, &a);
}
