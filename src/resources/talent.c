/*
 * The talent and expert pool (人才库 / 专家库): people with skills, fields of work, hours per
 * month they can give, affiliation, pro bono or paid, languages. Staff keep the pool; an
 * expert keeps the entry linked to their own account. Phone and e-mail are masked for
 * readers without ACT_TALENT_READ_CONTACT (the entry's own expert sees them).
 */
#include <stdlib.h>
#include <string.h>
#include "core/json_rows.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "lib/text.h"
#include "registry/org.h"
#include "resources/resources.h"

static const char *const talent_fields[] = {
	"name", "kind", "user_id", "person_id", "org_id", "skills", "fields", "affiliation",
	"title", "hours_per_month", "pro_bono", "languages", "phone", "email", "bio", "active",
	"street_code", "version", NULL};
static const char *const talent_kinds[] = {"talent", "expert", NULL};

struct talent_input {
	const char *name, *kind, *affiliation, *title, *phone, *email, *bio, *street_code;
	const char **skills, **fields, **languages;
	int64_t user_id, person_id, org_id, hours_per_month, version;
	int pro_bono, active;
};

static int exists(struct ctx *c, const char *sql, int64_t id)
{
	return id == 0 || db_exists(c->db, sql, "l", id) == 1;
}

static int talent_from_json(struct ctx *c, json_t *body, int update, struct talent_input *in)
{
	memset(in, 0, sizeof *in);
	in->kind = "talent";
	in->pro_bono = 1;
	in->active = 1;
	v_no_unknown_fields(c, body, talent_fields);
	if (update)
		v_int(c, body, "version", V_REQUIRED, 1, INT64_MAX, &in->version, NULL);
	else if (json_object_get(body, "version"))
		error_field(&c->err, "version", "field.unknown", 0);
	v_string(c, body, "name", V_REQUIRED, 50, &in->name);
	v_choice(c, body, "kind", V_OPTIONAL, talent_kinds, &in->kind);
	if (!in->kind)
		in->kind = "talent";
	v_int(c, body, "user_id", V_OPTIONAL, 1, INT64_MAX, &in->user_id, NULL);
	v_int(c, body, "person_id", V_OPTIONAL, 1, INT64_MAX, &in->person_id, NULL);
	v_int(c, body, "org_id", V_OPTIONAL, 1, INT64_MAX, &in->org_id, NULL);
	v_string_list(c, body, "skills", V_OPTIONAL, 20, 30, &in->skills, NULL);
	v_string_list(c, body, "fields", V_OPTIONAL, 14, 32, &in->fields, NULL);
	for (const char **f = in->fields; f && *f; f++) {
		int ok = 0;
		for (const char *const *k = org_field_codes; *k; k++)
			ok |= strcmp(*k, *f) == 0;
		if (!ok)
			error_field(&c->err, "fields", "field.bad_choice", 0);
	}
	v_string(c, body, "affiliation", V_OPTIONAL, 100, &in->affiliation);
	v_string(c, body, "title", V_OPTIONAL, 50, &in->title);
	v_int(c, body, "hours_per_month", V_OPTIONAL, 0, 744, &in->hours_per_month, NULL);
	v_bool(c, body, "pro_bono", V_OPTIONAL, &in->pro_bono);
	v_string_list(c, body, "languages", V_OPTIONAL, 10, 20, &in->languages, NULL);
	if (v_string(c, body, "phone", V_OPTIONAL, 20, &in->phone) == 0 && in->phone &&
	    !v_is_phone(in->phone))
		error_field(&c->err, "phone", "field.bad_phone", 0);
	if (v_string(c, body, "email", V_OPTIONAL, 254, &in->email) == 0 && in->email &&
	    !v_is_email(in->email))
		error_field(&c->err, "email", "field.bad_email", 0);
	v_string(c, body, "bio", V_OPTIONAL, 2000, &in->bio);
	v_bool(c, body, "active", V_OPTIONAL, &in->active);
	v_string(c, body, "street_code", V_OPTIONAL, 12, &in->street_code);
	if (error_check(&c->err) != 0)
		return -1;
	if (in->street_code &&
	    db_exists(c->db, "SELECT 1 FROM division WHERE code = $1 AND level = 'street'", "s",
		      in->street_code) != 1)
		error_field(&c->err, "street_code", "resources.unknown_street", 0);
	if (!exists(c, "SELECT 1 FROM app_user WHERE id = $1", in->user_id))
		error_field(&c->err, "user_id", "resources.unknown_user", 0);
	if (!exists(c, "SELECT 1 FROM person WHERE id = $1", in->person_id))
		error_field(&c->err, "person_id", "resources.unknown_person", 0);
	if (!exists(c, "SELECT 1 FROM org WHERE id = $1", in->org_id))
		error_field(&c->err, "org_id", "resources.unknown_org", 0);
	return error_check(&c->err);
}

static const char *joined(struct ctx *c, const char **list)
{
	struct buf b = {0};
	for (const char **p = list; p && *p; p++)
		buf_printf(&b, "%s%s", b.len ? "；" : "", *p);
	const char *s = arena_strdup(c->arena, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

json_t *talent_split_list(const char *s)
{
	json_t *a = json_array();
	const char *sep = "；";
	while (s && *s) {
		const char *end = strstr(s, sep);
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n + (end ? strlen(sep) : 0);
	}
	return a;
}

/* ------------------------------------------------------------------ reading */

#define T_COLS                                                                                \
	"SELECT t.id, t.name, t.kind, t.user_id, t.person_id, t.org_id, o.name AS org_name, "    \
	"t.skills, t.affiliation, t.title, t.hours_per_month, t.pro_bono, t.languages, "          \
	"t.phone, t.email, t.bio, t.active, t.created_at, t.updated_at, t.version, "              \
	"t.street_code, ds.name AS street_name, COALESCE(tr.fulfilled, 0), "                     \
	"COALESCE(tr.failed, 0), COALESCE(tr.rating_sum, 0), COALESCE(tr.rating_count, 0) "       \
	"FROM talent t LEFT JOIN org o ON o.id = t.org_id "                                       \
	"LEFT JOIN division ds ON ds.code = t.street_code "                                       \
	"LEFT JOIN talent_record tr ON tr.talent_id = t.id "
#define T_SPEC "lsslllsssslbssssblllss"
enum { T_RECORD_COL = 22 }; /* the four talent_record columns after T_SPEC's */

json_t *talent_record_json(int64_t fulfilled, int64_t failed, int64_t rating_sum,
			   int64_t rating_count)
{
	json_t *o = json_pack("{s:I, s:I, s:I}", "fulfilled", (json_int_t)fulfilled, "failed",
			      (json_int_t)failed, "rating_count", (json_int_t)rating_count);
	json_object_set_new(o, "rating_mean",
			    rating_count ? json_real((double)rating_sum / (double)rating_count)
					 : json_null());
	return o;
}

/* Reads the row (T_COLS) into JSON with the service record under "record". */
static json_t *talent_row_json(struct db_stmt *st)
{
	json_t *o = json_row(st, T_SPEC);
	json_object_set_new(o, "record",
			    talent_record_json(db_col_int(st, T_RECORD_COL),
					       db_col_int(st, T_RECORD_COL + 1),
					       db_col_int(st, T_RECORD_COL + 2),
					       db_col_int(st, T_RECORD_COL + 3)));
	return o;
}

static json_t *talent_load(struct ctx *c, int64_t id)
{
	struct db_stmt *st = db_query(c->db, T_COLS "WHERE t.id = $1", "l", id);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? talent_row_json(st) : NULL;
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c), NULL;
	if (!o) {
		error_set(&c->err, E_NOT_FOUND, "resources.not_found");
		return NULL;
	}
	json_object_set_new(o, "skills", talent_split_list(json_string_value(json_object_get(o, "skills"))));
	json_object_set_new(o, "languages",
			    talent_split_list(json_string_value(json_object_get(o, "languages"))));
	json_t *fields = json_array();
	st = db_query(c->db, "SELECT field FROM talent_field WHERE talent_id = $1 ORDER BY field",
		      "l", id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(fields, json_string(db_col_text(st, 0)));
	db_done(st);
	json_object_set_new(o, "fields", fields);
	return o;
}

static int is_self(struct ctx *c, json_t *o)
{
	json_t *u = json_object_get(o, "user_id");
	return json_is_integer(u) && json_integer_value(u) == c->who->user_id &&
	       policy_allows(c->who, ACT_TALENT_EDIT_SELF, NULL);
}

/* Masks phone and e-mail unless the reader may see them. */
static void shape_contact(struct ctx *c, json_t *o)
{
	int contact = policy_allows(c->who, ACT_TALENT_READ_CONTACT, NULL) || is_self(c, o);
	if (!contact) {
		const char *phone = json_string_value(json_object_get(o, "phone"));
		const char *email = json_string_value(json_object_get(o, "email"));
		if (phone)
			json_object_set_new(o, "phone", json_string(org_mask_phone(c, phone)));
		if (email) {
			const char *at = strchr(email, '@');
			json_object_set_new(o, "email",
					    json_string(arena_printf(c->arena, "%.1s***%s", email,
								     at ? at : "")));
		}
	}
	json_object_set_new(o, "contact_visible", json_boolean(contact));
	json_object_set_new(o, "can_edit",
			    json_boolean(policy_allows(c->who, ACT_TALENT_WRITE, NULL) ||
					 is_self(c, o)));
}

/* The linked account's username and name for those who may edit the entry (the form shows
 * it; other readers see only user_id). */
static void add_linked_user(struct ctx *c, json_t *o)
{
	json_t *u = json_object_get(o, "user_id");
	if (!json_is_integer(u) || !json_is_true(json_object_get(o, "can_edit")))
		return;
	struct db_stmt *st = db_query(c->db,
				      "SELECT id, username, display_name FROM app_user WHERE id = $1",
				      "l", (int64_t)json_integer_value(u));
	if (db_step(st) == DB_ROW)
		json_object_set_new(o, "user", json_row(st, "lss"));
	db_done(st);
}

json_t *talent_get_json(struct ctx *c, int64_t id)
{
	if (c->who->user_id == PRINCIPAL_ANONYMOUS) {
		error_set(&c->err, E_UNAUTHENTICATED, NULL);
		return NULL;
	}
	json_t *o = talent_load(c, id);
	if (o) {
		shape_contact(c, o);
		add_linked_user(c, o);
	}
	return o;
}

enum { USER_OPTIONS_MAX = 20 };

/* "%q%" lower-cased for LIKE, with %, _ and the escape character '!' escaped. */
static const char *like_pattern(struct ctx *c, const char *q)
{
	struct buf b = {0};
	buf_putc(&b, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '!')
			buf_putc(&b, '!');
		buf_putc(&b, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
	}
	buf_putc(&b, '%');
	buf_putc(&b, 0);
	const char *s = arena_strdup(c->arena, b.data);
	buf_free(&b);
	return s;
}

json_t *talent_user_options_json(struct ctx *c, const char *q)
{
	if (policy_check(c, ACT_TALENT_USER_LOOKUP, NULL) != 0)
		return NULL;
	static const char sql[] =
		"SELECT u.id, u.username, u.display_name, CASE WHEN EXISTS (SELECT 1 FROM user_role "
		"r WHERE r.user_id = u.id AND r.role = 'expert') THEN 1 ELSE 0 END AS expert, "
		"(SELECT MIN(t.id) FROM talent t WHERE t.user_id = u.id) AS talent_id "
		"FROM app_user u WHERE u.status = 'active' AND (CAST($1 AS TEXT) IS NULL OR "
		"LOWER(u.username) LIKE $1 ESCAPE '!' OR LOWER(u.display_name) LIKE $1 ESCAPE '!') "
		"ORDER BY expert DESC, u.username LIMIT $2";
	struct db_stmt *st = db_prepare(c->db, sql);
	db_bind_text(st, 1, q ? like_pattern(c, q) : NULL);
	db_bind_int(st, 2, USER_OPTIONS_MAX);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_row(st, "lssbl"));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		return ctx_db_error(c), NULL;
	}
	return json_pack("{s:o}", "items", items);
}

static const char talent_list_sql[] =
	T_COLS "WHERE (CAST($1 AS TEXT) IS NULL OR t.kind = $1) AND (CAST($2 AS TEXT) IS NULL OR "
	       "t.id IN (SELECT talent_id FROM talent_field WHERE field = $2)) "
	       "ORDER BY t.active DESC, t.name_sort, t.id LIMIT $3 OFFSET $4";
static const char talent_count_sql[] =
	"SELECT count(*) FROM talent t WHERE (CAST($1 AS TEXT) IS NULL OR t.kind = $1) AND "
	"(CAST($2 AS TEXT) IS NULL OR t.id IN (SELECT talent_id FROM talent_field WHERE field = $2))";
#define T_SEARCH_FTS " AND t.id IN (SELECT rowid FROM talent_fts WHERE talent_fts MATCH $5)"
#define T_SEARCH_TSQ " AND t.search_tokens @@ CAST($5 AS tsquery)"
static const char talent_list_fts[] =
	T_COLS "WHERE (CAST($1 AS TEXT) IS NULL OR t.kind = $1) AND (CAST($2 AS TEXT) IS NULL OR "
	       "t.id IN (SELECT talent_id FROM talent_field WHERE field = $2))" T_SEARCH_FTS
	       " ORDER BY t.active DESC, t.name_sort, t.id LIMIT $3 OFFSET $4";
static const char talent_list_tsq[] =
	T_COLS "WHERE (CAST($1 AS TEXT) IS NULL OR t.kind = $1) AND (CAST($2 AS TEXT) IS NULL OR "
	       "t.id IN (SELECT talent_id FROM talent_field WHERE field = $2))" T_SEARCH_TSQ
	       " ORDER BY t.active DESC, t.name_sort, t.id LIMIT $3 OFFSET $4";
static const char talent_count_fts[] =
	"SELECT count(*) FROM talent t WHERE (CAST($1 AS TEXT) IS NULL OR t.kind = $1) AND "
	"(CAST($2 AS TEXT) IS NULL OR t.id IN (SELECT talent_id FROM talent_field WHERE field = "
	"$2)) AND t.id IN (SELECT rowid FROM talent_fts WHERE talent_fts MATCH $3)";
static const char talent_count_tsq[] =
	"SELECT count(*) FROM talent t WHERE (CAST($1 AS TEXT) IS NULL OR t.kind = $1) AND "
	"(CAST($2 AS TEXT) IS NULL OR t.id IN (SELECT talent_id FROM talent_field WHERE field = "
	"$2)) AND t.search_tokens @@ CAST($3 AS tsquery)";

/* The words' MATCH/tsquery text; NULL when q has no searchable word. */
static const char *talent_match(struct ctx *c, const char *q)
{
	char *tokens = NULL;
	int n = text_query_tokens(q, &tokens);
	const char *m = n > 0 ? res_match_text(c, tokens) : NULL;
	free(tokens);
	return m;
}

json_t *talent_list_json(struct ctx *c, const struct talent_query *q)
{
	if (c->who->user_id == PRINCIPAL_ANONYMOUS) {
		error_set(&c->err, E_UNAUTHENTICATED, NULL);
		return NULL;
	}
	const char *match = q->q ? talent_match(c, q->q) : NULL;
	json_t *items = json_array();
	int64_t total = 0;
	if (q->q && !match)
		goto done;
	int pg = db_engine(c->db) == DB_POSTGRES;
	const char *count = !match ? talent_count_sql : pg ? talent_count_tsq : talent_count_fts;
	const char *list = !match ? talent_list_sql : pg ? talent_list_tsq : talent_list_fts;
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(c->db, pass ? list : count);
		db_bind_text(st, 1, q->kind);
		db_bind_text(st, 2, q->field);
		if (pass) {
			db_bind_int(st, 3, q->per_page);
			db_bind_int(st, 4, (q->page - 1) * q->per_page);
		}
		if (match)
			db_bind_text(st, pass ? 5 : 3, match);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			if (!pass) {
				total = db_col_int(st, 0);
				continue;
			}
			json_t *o = talent_row_json(st);
			json_object_set_new(o, "skills",
					    talent_split_list(json_string_value(json_object_get(o, "skills"))));
			json_object_set_new(
				o, "languages", talent_split_list(json_string_value(json_object_get(o, "languages"))));
			shape_contact(c, o);
			json_object_del(o, "bio");
			json_array_append_new(items, o);
		}
		db_done(st);
		if (rc == DB_ERROR) {
			json_decref(items);
			return ctx_db_error(c), NULL;
		}
	}
done:
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)q->page, "per_page", (json_int_t)q->per_page);
}

/* ------------------------------------------------------------------ writing */

static int talent_write_extras(struct ctx *c, int64_t id, const struct talent_input *in)
{
	if (db_run(c->db, "DELETE FROM talent_field WHERE talent_id = $1", "l", id) < 0)
		return ctx_db_error(c);
	for (const char **f = in->fields; f && *f; f++)
		if (db_run(c->db, "INSERT INTO talent_field (talent_id, field) VALUES ($1, $2)", "ls",
			   id, *f) < 0)
			return ctx_db_error(c);
	struct buf text = {0}, facets = {0};
	buf_printf(&text, "%s\n%s\n%s\n%s\n%s\n%s", in->name, joined(c, in->skills),
		   in->affiliation ? in->affiliation : "", in->title ? in->title : "",
		   joined(c, in->languages), in->bio ? in->bio : "");
	res_facet_token(&facets, "t", in->kind);
	for (const char **f = in->fields; f && *f; f++)
		res_facet_token(&facets, "f", *f);
	int rc = res_write_tokens(c, "talent", id, text.data, facets.data);
	buf_free(&text);
	buf_free(&facets);
	return rc;
}

static void bind_talent(struct ctx *c, struct db_stmt *st, const struct talent_input *in)
{
	char *key = text_sort_key(in->name);
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, key ? key : "");
	free(key);
	if (in->user_id)
		db_bind_int(st, 3, in->user_id);
	else
		db_bind_null(st, 3);
	if (in->person_id)
		db_bind_int(st, 4, in->person_id);
	else
		db_bind_null(st, 4);
	if (in->org_id)
		db_bind_int(st, 5, in->org_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, in->kind);
	db_bind_text(st, 7, joined(c, in->skills));
	db_bind_text(st, 8, in->affiliation);
	db_bind_text(st, 9, in->title);
	db_bind_int(st, 10, in->hours_per_month);
	db_bind_int(st, 11, in->pro_bono);
	db_bind_text(st, 12, joined(c, in->languages));
	db_bind_text(st, 13, in->phone);
	db_bind_text(st, 14, in->email);
	db_bind_text(st, 15, in->bio);
	db_bind_int(st, 16, in->active);
	db_bind_int(st, 17, c->now);
	db_bind_text(st, 18, in->street_code);
}

/* A create's or an update's arguments, for its transaction's step. */
struct talent_write {
	struct talent_input *in; /* create */
	json_t *body;            /* update */
	int64_t id;              /* update: the entry; create: the new entry */
};

static int talent_create_step(struct ctx *c, void *arg)
{
	struct talent_write *w = arg;
	struct talent_input *in = w->in;
	int64_t *id = &w->id;
	struct db_stmt *st = db_prepare(
		c->db, "INSERT INTO talent (name, name_sort, user_id, person_id, org_id, kind, skills, "
		       "affiliation, title, hours_per_month, pro_bono, languages, phone, email, bio, "
		       "active, created_at, updated_at, version, street_code) VALUES ($1, $2, $3, $4, "
		       "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, 1, $18) "
		       "RETURNING id");
	bind_talent(c, st, in);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	if (talent_write_extras(c, *id, in) != 0)
		return -1;
	json_t *after = talent_load(c, *id);
	rc = after ? audit_append(c, "talent.create", "talent", *id, NULL, after) : -1;
	json_decref(after);
	return rc;
}

int talent_create(struct ctx *c, json_t *body, int64_t *id)
{
	struct talent_input in;
	if (talent_from_json(c, body, 0, &in) != 0)
		return -1;
	/* an expert may enter themself: the entry is then linked to their account */
	if (!policy_allows(c->who, ACT_TALENT_WRITE, NULL)) {
		if (policy_check(c, ACT_TALENT_EDIT_SELF, NULL) != 0)
			return -1;
		if (in.user_id && in.user_id != c->who->user_id)
			return error_set(&c->err, E_FORBIDDEN, NULL);
		in.user_id = c->who->user_id;
		in.kind = "expert";
	}
	struct talent_write a = {.in = &in};
	int rc = ctx_tx(c, talent_create_step, &a);
	*id = a.id;
	return rc;
}

static int talent_update_in_tx(struct ctx *c, int64_t id, json_t *body, json_t *old)
{
	if (!policy_allows(c->who, ACT_TALENT_WRITE, NULL) && !is_self(c, old))
		return policy_check(c, ACT_TALENT_WRITE, NULL);
	json_t *merged = json_deep_copy(old);
	const char *drop[] = {"id", "org_name", "created_at", "updated_at", "street_name", "record"};
	for (int i = 0; i < 6; i++)
		json_object_del(merged, drop[i]);
	json_object_update(merged, body);
	struct talent_input in;
	int rc = talent_from_json(c, merged, 1, &in);
	json_decref(merged);
	if (rc != 0)
		return -1;
	if (!policy_allows(c->who, ACT_TALENT_WRITE, NULL) && in.user_id != c->who->user_id)
		return error_set(&c->err, E_FORBIDDEN, NULL);
	struct db_stmt *st = db_prepare(
		c->db, "UPDATE talent SET name = $1, name_sort = $2, user_id = $3, person_id = $4, "
		       "org_id = $5, kind = $6, skills = $7, affiliation = $8, title = $9, "
		       "hours_per_month = $10, pro_bono = $11, languages = $12, phone = $13, "
		       "email = $14, bio = $15, active = $16, updated_at = $17, version = version + 1, "
		       "street_code = $18 WHERE id = $19 AND version = $20");
	bind_talent(c, st, &in);
	db_bind_int(st, 19, id);
	db_bind_int(st, 20, in.version);
	int step = db_step(st);
	int64_t changed = db_changes(st);
	db_done(st);
	if (step == DB_ERROR)
		return ctx_db_error(c);
	if (changed != 1)
		return error_set(&c->err, E_STALE, NULL);
	if (talent_write_extras(c, id, &in) != 0)
		return -1;
	json_t *after = talent_load(c, id), *b, *a;
	if (!after)
		return -1;
	json_object_del(old, "version");
	json_object_del(old, "updated_at");
	json_object_del(after, "version");
	json_object_del(after, "updated_at");
	audit_diff(old, after, &b, &a);
	rc = audit_append(c, "talent.update", "talent", id, b, a);
	json_decref(b);
	json_decref(a);
	json_decref(after);
	return rc;
}

static int talent_update_step(struct ctx *c, void *arg)
{
	struct talent_write *a = arg;
	json_t *old = talent_load(c, a->id);
	int rc = old ? talent_update_in_tx(c, a->id, a->body, old) : -1;
	json_decref(old);
	return rc;
}

int talent_update(struct ctx *c, int64_t id, json_t *body)
{
	/* the body alone first: bad input is refused before anything is read or locked */
	json_t *probe = json_deep_copy(body);
	if (!json_object_get(probe, "name"))
		json_object_set_new(probe, "name", json_string("x"));
	struct talent_input tmp;
	int bad = talent_from_json(c, probe, 1, &tmp);
	json_decref(probe);
	if (bad)
		return -1;
	struct talent_write a = {.body = body, .id = id};
	return ctx_tx(c, talent_update_step, &a);
}
