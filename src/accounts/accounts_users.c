/*
 * User administration: list, show and change accounts (ACT_USER_ADMIN). Creation and
 * passwords live in accounts.c with the rest of the sign-in rules.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "accounts/accounts_internal.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "lib/division.h"

const char *accounts_mask_phone(struct ctx *c, const char *phone)
{
	if (!phone)
		return NULL;
	char *m = arena_strdup(c->arena, phone);
	size_t n = strlen(m);
	for (size_t i = 0; i < n; i++)
		if (n < 8 || (i >= 3 && i + 4 < n))
			m[i] = '*';
	return m;
}

int64_t accounts_user_id(struct ctx *c, const char *username)
{
	return db_int(c->db, 0, "SELECT id FROM app_user WHERE username = $1", "s", username);
}

/* ---------------------------------------------------------------- the user as JSON */

#define USER_COLUMNS                                                                          \
	"u.id, u.username, u.display_name, u.email, u.phone, u.status, u.jurisdiction, "      \
	"u.totp_enabled, u.must_change_password, u.last_login_at, u.created_at, u.updated_at, " \
	"u.version"

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *user_roles_json(struct ctx *c, int64_t user_id)
{
	json_t *roles = json_array();
	struct db_stmt *st = db_query(
		c->db, "SELECT role, org_id FROM user_role WHERE user_id = $1 ORDER BY role, org_id",
		"l", user_id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(roles, json_pack("{s:s, s:I}", "role", db_col_text(st, 0),
						       "org_id", (json_int_t)db_col_int(st, 1)));
	db_done(st);
	return roles;
}

/* One row of USER_COLUMNS as JSON; `mask`: phone masked (lists). */
static json_t *user_row_json(struct ctx *c, struct db_stmt *st, int mask)
{
	int64_t id = db_col_int(st, 0);
	const char *phone = db_col_text(st, 4);
	json_t *u = json_pack(
		"{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:b, s:b, s:o, s:I, s:I, s:I}", "id",
		(json_int_t)id, "username", db_col_text(st, 1), "display_name", db_col_text(st, 2),
		"email", text_or_null(db_col_text(st, 3)), "phone",
		text_or_null(mask ? accounts_mask_phone(c, phone) : phone), "status",
		db_col_text(st, 5), "jurisdiction", db_col_text(st, 6), "totp_enabled",
		(int)db_col_int(st, 7), "must_change_password", (int)db_col_int(st, 8),
		"last_login_at",
		db_col_isnull(st, 9) ? json_null() : json_integer(db_col_int(st, 9)), "created_at",
		(json_int_t)db_col_int(st, 10), "updated_at", (json_int_t)db_col_int(st, 11),
		"version", (json_int_t)db_col_int(st, 12));
	return u;
}

/* The user (unmasked, with roles), or NULL with E_NOT_FOUND. No policy check. */
static json_t *user_json(struct ctx *c, int64_t id)
{
	struct db_stmt *st =
		db_query(c->db, "SELECT " USER_COLUMNS " FROM app_user u WHERE u.id = $1", "l", id);
	int rc = db_step(st);
	json_t *u = rc == DB_ROW ? user_row_json(c, st, 0) : NULL;
	db_done(st);
	if (rc == DB_ERROR) {
		ctx_db_error(c);
		return NULL;
	}
	if (!u) {
		error_set(&c->err, E_NOT_FOUND, "accounts.no_such_user");
		return NULL;
	}
	json_object_set_new(u, "roles", user_roles_json(c, id));
	return u;
}

json_t *accounts_user_get_json(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return NULL;
	json_t *u = user_json(c, id);
	if (!u)
		return NULL;
	json_t *tokens = accounts_token_list_json(c, id);
	if (!tokens) {
		json_decref(u);
		return NULL;
	}
	json_object_set_new(u, "tokens", tokens);
	return u;
}

/* ---------------------------------------------------------------- listing */

/* $1 LIKE pattern or '', $2 role or '', $3 status or '' */
#define USER_FILTER                                                                          \
	" FROM app_user u WHERE ($1 = '' OR LOWER(u.username) LIKE $1 ESCAPE '!' OR "          \
	"LOWER(u.display_name) LIKE $1 ESCAPE '!') AND ($2 = '' OR EXISTS (SELECT 1 FROM "     \
	"user_role r WHERE r.user_id = u.id AND r.role = $2)) AND ($3 = '' OR u.status = $3)"

static const char sql_user_count[] = "SELECT COUNT(*)" USER_FILTER;
static const char sql_user_page[] = "SELECT " USER_COLUMNS USER_FILTER
				    " ORDER BY u.username LIMIT CAST($4 AS BIGINT) "
				    "OFFSET CAST($5 AS BIGINT)";

/* "%q%" lower-cased (ASCII; Chinese has no case), with LIKE's wildcards escaped by '!'. */
static const char *like_pattern(struct ctx *c, const char *q)
{
	if (!q || !*q)
		return "";
	size_t n = strlen(q);
	char *p = arena_alloc(c->arena, 2 * n + 3), *w = p;
	*w++ = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '!')
			*w++ = '!';
		*w++ = (char)tolower((unsigned char)*q);
	}
	*w++ = '%';
	*w = 0;
	return p;
}

json_t *accounts_user_list_json(struct ctx *c, const struct user_query *q)
{
	if (policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return NULL;
	const char *pattern = like_pattern(c, q->q);
	const char *role = q->role ? q->role : "", *status = q->status ? q->status : "";
	int64_t total = db_int(c->db, -1, sql_user_count, "sss", pattern, role, status);
	if (total < 0) {
		ctx_db_error(c);
		return NULL;
	}
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, sql_user_page, "sssll", pattern, role, status,
				      q->per_page, (q->page - 1) * q->per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, user_row_json(c, st, 1));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	size_t i;
	json_t *u;
	json_array_foreach(items, i, u)
	{
		int64_t id = json_integer_value(json_object_get(u, "id"));
		json_object_set_new(u, "roles", user_roles_json(c, id));
	}
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)q->page, "per_page", (json_int_t)q->per_page);
}

/* ---------------------------------------------------------------- changing */

static void validate_patch(struct ctx *c, const struct user_patch *p)
{
	if (p->display_name &&
	    (!*p->display_name || v_char_count(p->display_name) > 64 ||
	     !v_is_clean_text(p->display_name)))
		error_field(&c->err, "display_name", *p->display_name ? "field.too_long"
								       : "field.required",
			    64);
	if (p->email && *p->email && !v_is_email(p->email))
		error_field(&c->err, "email", "field.bad_email", 0);
	if (p->phone && *p->phone && !v_is_phone(p->phone))
		error_field(&c->err, "phone", "field.bad_phone", 0);
	if (p->status && strcmp(p->status, "active") != 0 && strcmp(p->status, "disabled") != 0)
		error_field(&c->err, "status", "field.bad_choice", 0);
	if (p->jurisdiction && *p->jurisdiction &&
	    division_level_of(p->jurisdiction) != DIVISION_STREET)
		error_field(&c->err, "jurisdiction", "accounts.bad_jurisdiction", 0);
	if (p->set_roles)
		accounts_validate_grants(c, p->grants, p->ngrants, 1);
}

static const char *str_of(json_t *u, const char *key)
{
	return json_string_value(json_object_get(u, key));
}

static const char sql_user_update[] =
	"UPDATE app_user SET display_name = $1, email = $2, phone = $3, status = $4, "
	"jurisdiction = $5, updated_at = $6, version = version + 1 WHERE id = $7";

/* Writes the patch over the current row `before` inside the transaction. */
static int patch_apply_in_tx(struct ctx *c, int64_t id, const struct user_patch *p,
			     json_t *before)
{
	const char *email = p->email ? p->email : str_of(before, "email");
	const char *phone = p->phone ? p->phone : str_of(before, "phone");
	if (db_run(c->db, sql_user_update, "sssssll",
		   p->display_name ? p->display_name : str_of(before, "display_name"),
		   email && *email ? email : NULL, phone && *phone ? phone : NULL,
		   p->status ? p->status : str_of(before, "status"),
		   p->jurisdiction ? p->jurisdiction : str_of(before, "jurisdiction"), c->now,
		   id) != 1)
		return ctx_db_error(c);
	if (p->set_roles) {
		if (db_run(c->db, "DELETE FROM user_role WHERE user_id = $1", "l", id) < 0)
			return ctx_db_error(c);
		json_t *roles = accounts_insert_grants_in_tx(c, id, p->grants, p->ngrants, 1);
		if (!roles)
			return -1;
		json_decref(roles);
	}
	if (p->totp_off &&
	    db_run(c->db,
		   "UPDATE app_user SET totp_secret = NULL, totp_enabled = 0, totp_last_step = 0 "
		   "WHERE id = $1",
		   "l", id) < 0)
		return ctx_db_error(c);
	if (p->status && strcmp(p->status, "disabled") == 0 &&
	    accounts_end_sessions_in_tx(c, id, 0) != 0)
		return -1;
	/* nobody could administer accounts any more, except from the shell */
	if (db_int(c->db, 0,
		   "SELECT COUNT(*) FROM app_user u JOIN user_role r ON r.user_id = u.id "
		   "WHERE r.role = 'admin' AND u.status = 'active'",
		   "") == 0)
		return error_set(&c->err, E_CONFLICT, "accounts.last_admin");
	return 0;
}

/* Audits the change: only the fields that differ, without bookkeeping columns. */
static int patch_audit(struct ctx *c, int64_t id, json_t *before)
{
	json_t *after = user_json(c, id);
	if (!after)
		return -1;
	static const char *const noise[] = {"version", "updated_at", "last_login_at", NULL};
	for (const char *const *k = noise; *k; k++) {
		json_object_del(before, *k);
		json_object_del(after, *k);
	}
	json_t *b = NULL, *a = NULL;
	audit_diff(before, after, &b, &a);
	int rc = audit_append(c, "user.update", "user", id, b, a);
	json_decref(b);
	json_decref(a);
	json_decref(after);
	return rc;
}

/* A patch and its account, for its transaction's step. */
struct user_update {
	int64_t id;
	const struct user_patch *p;
};

static int user_update_step(struct ctx *c, void *arg)
{
	struct user_update *a = arg;
	json_t *before = user_json(c, a->id);
	if (!before)
		return -1;
	int rc;
	if (a->p->version && json_integer_value(json_object_get(before, "version")) != a->p->version)
		rc = error_set(&c->err, E_STALE, NULL);
	else
		rc = patch_apply_in_tx(c, a->id, a->p, before) != 0 || patch_audit(c, a->id, before) != 0
			     ? -1
			     : 0;
	json_decref(before);
	return rc;
}

int accounts_user_update(struct ctx *c, int64_t id, const struct user_patch *p)
{
	if (policy_check(c, ACT_USER_ADMIN, NULL) != 0)
		return -1;
	validate_patch(c, p);
	if (error_check(&c->err) != 0)
		return -1;
	struct user_update a = {id, p};
	return ctx_tx(c, user_update_step, &a);
}
