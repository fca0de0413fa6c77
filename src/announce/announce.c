/*
 * Announcements: rules and SQL (no HTTP). See announce.h for the model.
 */
#include <stdlib.h>
#include <string.h>
#include "announce/announce.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "lib/markdown.h"
#include "notify/notify.h"

const char *const announce_audience_kinds[] = {"all", "type", "field", "street", "orgs", NULL};

enum { REMIND_INTERVAL = 86400, AUDIENCE_MAX = 500 };

/* ------------------------------------------------------------------ input */

static void check_audience(struct ctx *c, const char *kind, json_t *values)
{
	if (!kind)
		return;
	if (strcmp(kind, "all") == 0)
		return;
	if (!values || !json_is_array(values) || json_array_size(values) == 0) {
		error_field(&c->err, "audience_values", values ? "field.type_array" : "field.required", 0);
		return;
	}
	if (json_array_size(values) > AUDIENCE_MAX) {
		error_field(&c->err, "audience_values", "field.too_many", AUDIENCE_MAX);
		return;
	}
	size_t i;
	json_t *v;
	int want_int = strcmp(kind, "orgs") == 0;
	json_array_foreach(values, i, v)
	{
		int ok = want_int ? json_is_integer(v) && json_integer_value(v) > 0
				  : json_is_string(v) && json_string_length(v) > 0 &&
					    json_string_length(v) <= 40 &&
					    v_is_clean_text(json_string_value(v));
		if (!ok) {
			error_field(&c->err, "audience_values", "field.bad_format", 0);
			return;
		}
	}
}

int announce_input_from_json(struct ctx *c, json_t *obj, int update, struct announce_input *in)
{
	static const char *const allowed[] = {"title", "body", "audience_kind", "audience_values",
					      "version", NULL};
	memset(in, 0, sizeof *in);
	int req = update ? V_OPTIONAL : V_REQUIRED;
	v_no_unknown_fields(c, obj, allowed);
	v_string(c, obj, "title", req, 100, &in->title);
	v_string(c, obj, "body", req, 20000, &in->body);
	v_choice(c, obj, "audience_kind", req, announce_audience_kinds, &in->audience_kind);
	in->audience_values = json_object_get(obj, "audience_values");
	if (in->audience_values && !json_is_array(in->audience_values)) {
		error_field(&c->err, "audience_values", "field.type_array", 0);
		in->audience_values = NULL;
	} else if (in->audience_kind) {
		check_audience(c, in->audience_kind, in->audience_values);
	} else if (in->audience_values) {
		error_field(&c->err, "audience_kind", "field.required", 0);
	}
	if (update)
		v_int(c, obj, "version", V_REQUIRED, 1, INT64_MAX, &in->version, NULL);
	return error_check(&c->err);
}

/* ------------------------------------------------------------------ loading */

struct announce_row {
	int64_t id, sender_id, version, recipients, reads;
	const char *status, *scope;
};

static const char sql_load[] =
	"SELECT id, sender_id, version, recipient_count, read_count, status, street_scope "
	"FROM announcement WHERE id = $1";

static int load(struct ctx *c, int64_t id, struct announce_row *row)
{
	struct db_stmt *st = db_query(c->db, sql_load, "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		row->id = db_col_int(st, 0);
		row->sender_id = db_col_int(st, 1);
		row->version = db_col_int(st, 2);
		row->recipients = db_col_int(st, 3);
		row->reads = db_col_int(st, 4);
		row->status = arena_strdup(c->arena, db_col_text(st, 5));
		row->scope = arena_strdup(c->arena, db_col_text(st, 6));
	}
	db_done(st);
	if (rc == DB_DONE)
		return error_set(&c->err, E_NOT_FOUND, "announce.not_found");
	return rc == DB_ROW ? 0 : ctx_db_error(c);
}

/* Loads and checks ACT_ANNOUNCE_WRITE on the announcement's scope. */
static int load_for_write(struct ctx *c, int64_t id, struct announce_row *row)
{
	if (load(c, id, row) != 0)
		return -1;
	struct policy_object obj = {0, row->scope};
	return policy_check(c, ACT_ANNOUNCE_WRITE, &obj);
}

/* A write's arguments and results, for the transaction steps below. */
struct announce_write {
	const struct announce_input *in;
	int64_t id;
	int told; /* remind: the users reminded */
};

/* ------------------------------------------------------------------ writing */

static json_t *input_json(const struct announce_input *in)
{
	json_t *o = json_object();
	if (in->title)
		json_object_set_new(o, "title", json_string(in->title));
	if (in->body)
		json_object_set_new(o, "body", json_string(in->body));
	if (in->audience_kind)
		json_object_set_new(o, "audience_kind", json_string(in->audience_kind));
	if (in->audience_values)
		json_object_set(o, "audience_values", in->audience_values);
	return o;
}

static char *values_text(const struct announce_input *in)
{
	if (!in->audience_values || strcmp(in->audience_kind, "all") == 0)
		return strdup("[]");
	return json_dumps(in->audience_values, JSON_COMPACT);
}

static int create_step(struct ctx *c, void *arg)
{
	struct announce_write *a = arg;
	const struct announce_input *in = a->in;
	char *values = values_text(in);
	a->id = db_int(c->db, -1,
		       "INSERT INTO announcement (title, body, audience_kind, audience_value, "
		       "street_scope, sender_id, created_at, updated_at) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
		       "sssssll", in->title, in->body, in->audience_kind, values,
		       c->who->jurisdiction, c->who->user_id, c->now);
	free(values);
	if (a->id < 0)
		return ctx_db_error(c);
	json_t *after = input_json(in);
	int rc = audit_append(c, "announcement.create", "announcement", a->id, NULL, after);
	json_decref(after);
	return rc;
}

int announce_create(struct ctx *c, const struct announce_input *in, int64_t *id)
{
	struct policy_object obj = {0, c->who->jurisdiction};
	if (policy_check(c, ACT_ANNOUNCE_WRITE, &obj) != 0)
		return -1;
	struct announce_write a = {.in = in};
	int rc = ctx_tx(c, create_step, &a);
	*id = a.id;
	return rc;
}

static int update_step(struct ctx *c, void *arg)
{
	struct announce_write *a = arg;
	const struct announce_input *in = a->in;
	struct announce_row row;
	if (load_for_write(c, a->id, &row) != 0)
		return -1;
	if (strcmp(row.status, "draft") != 0)
		return error_set(&c->err, E_CONFLICT, "announce.already_published");
	if (row.version != in->version)
		return error_set(&c->err, E_STALE, NULL);
	char *values = in->audience_kind ? values_text(in) : NULL;
	int64_t n = db_run(c->db,
			   "UPDATE announcement SET title = COALESCE($2, title), "
			   "body = COALESCE($3, body), audience_kind = COALESCE($4, audience_kind), "
			   "audience_value = COALESCE($5, audience_value), updated_at = $6, "
			   "version = version + 1 WHERE id = $1",
			   "lssssl", a->id, in->title, in->body, in->audience_kind, values, c->now);
	free(values);
	if (n < 0)
		return ctx_db_error(c);
	json_t *after = input_json(in);
	int rc = audit_append(c, "announcement.update", "announcement", a->id, NULL, after);
	json_decref(after);
	return rc;
}

int announce_update(struct ctx *c, int64_t id, const struct announce_input *in)
{
	struct announce_write a = {.in = in, .id = id};
	return ctx_tx(c, update_step, &a);
}

/* ------------------------------------------------------------------ publishing */

#define RESOLVE_HEAD                                                                          \
	"INSERT INTO announcement_org (announcement_id, org_id, street_code) "                  \
	"SELECT CAST($1 AS BIGINT), o.id, o.street_code FROM org o WHERE o.archived = 0 "      \
	"AND (CAST($2 AS TEXT) = '' OR substr(o.street_code, 1, 9) = substr(CAST($2 AS TEXT), 1, 9)) "
#define RESOLVE_TAIL " ON CONFLICT DO NOTHING"

static const char sql_resolve_all[] = RESOLVE_HEAD RESOLVE_TAIL;
static const char sql_resolve_type[] = RESOLVE_HEAD "AND o.type = $3" RESOLVE_TAIL;
static const char sql_resolve_field[] =
	RESOLVE_HEAD "AND o.id IN (SELECT org_id FROM org_field WHERE field = $3)" RESOLVE_TAIL;
static const char sql_resolve_street[] = RESOLVE_HEAD "AND o.street_code = $3" RESOLVE_TAIL;
static const char sql_resolve_org[] =
	RESOLVE_HEAD "AND o.id = CAST($3 AS BIGINT)" RESOLVE_TAIL;

/* Fills announcement_org for the announcement's audience, inside the scope. */
static int resolve_audience(struct ctx *c, int64_t id, const char *scope)
{
	char *kind = NULL, *value = NULL;
	struct db_stmt *st = db_query(c->db,
				      "SELECT audience_kind, audience_value FROM announcement "
				      "WHERE id = $1",
				      "l", id);
	if (db_step(st) == DB_ROW) {
		kind = strdup(db_col_text(st, 0));
		value = strdup(db_col_text(st, 1));
	}
	db_done(st);
	if (!kind)
		return ctx_db_error(c);
	int rc = 0;
	if (strcmp(kind, "all") == 0) {
		rc = db_run(c->db, sql_resolve_all, "ls", id, scope) < 0 ? -1 : 0;
	} else {
		json_t *values = json_loads(value, 0, NULL);
		size_t i;
		json_t *v;
		const char *sql = strcmp(kind, "type") == 0    ? sql_resolve_type
				  : strcmp(kind, "field") == 0 ? sql_resolve_field
				  : strcmp(kind, "street") == 0 ? sql_resolve_street
								: sql_resolve_org;
		json_array_foreach(values, i, v)
		{
			int64_t n = json_is_integer(v)
					    ? db_run(c->db, sql, "lsl", id, scope, json_integer_value(v))
					    : db_run(c->db, sql, "lss", id, scope, json_string_value(v));
			if (n < 0) {
				rc = -1;
				break;
			}
		}
		json_decref(values);
	}
	free(kind);
	free(value);
	return rc == 0 ? 0 : ctx_db_error(c);
}

static const char sql_audience_users[] =
	"SELECT DISTINCT r.user_id FROM user_role r JOIN announcement_org a ON a.org_id = r.org_id "
	"WHERE a.announcement_id = $1 AND r.org_id > 0 AND (CAST($2 AS BIGINT) = 0 OR "
	"a.first_read_at IS NULL) ORDER BY r.user_id";

/* Tells the users of the addressed organizations (only the unread ones when unread_only):
 * one notification per user, however many of their organizations were addressed. The users
 * come from one query over the addressed organizations, so a district-wide announcement costs
 * one insert per user, not a query per organization. Returns the number told, or -1. */
static int notify_audience(struct ctx *c, int64_t id, const char *title, int unread_only)
{
	size_t n = 0, cap = 64;
	int64_t *ids = malloc(cap * sizeof *ids);
	struct db_stmt *st = db_query(c->db, sql_audience_users, "ll", id, (int64_t)unread_only);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap)
			ids = realloc(ids, (cap *= 2) * sizeof *ids);
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(ids);
		return ctx_db_error(c);
	}
	json_t *params = json_pack("{s:s}", "title", title);
	const char *link = arena_printf(c->arena, "/announcements/%lld", (long long)id);
	struct notice notice = {unread_only ? "announcement.remind" : "announcement.new", params,
				link, "announcement", id};
	int told = 0;
	for (size_t i = 0; i < n; i++) {
		if (notify_user(c, ids[i], &notice) != 0) {
			told = -1;
			break;
		}
		told++;
	}
	json_decref(params);
	free(ids);
	return told;
}

static const char *title_of(struct ctx *c, int64_t id)
{
	struct db_stmt *st = db_query(c->db, "SELECT title FROM announcement WHERE id = $1", "l", id);
	const char *t = db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : "";
	db_done(st);
	return t;
}

static int publish_step(struct ctx *c, void *arg)
{
	struct announce_write *a = arg;
	int64_t id = a->id;
	struct announce_row row;
	if (load_for_write(c, id, &row) != 0)
		return -1;
	if (strcmp(row.status, "draft") != 0)
		return error_set(&c->err, E_CONFLICT, "announce.already_published");
	if (resolve_audience(c, id, row.scope) != 0)
		return -1;
	int64_t count = db_int(c->db, -1,
			       "SELECT count(*) FROM announcement_org WHERE announcement_id = $1", "l",
			       id);
	if (count < 0)
		return ctx_db_error(c);
	if (count == 0)
		return error_set(&c->err, E_CONFLICT, "announce.empty_audience");
	if (db_run(c->db,
		   "UPDATE announcement SET status = 'published', published_at = $2, "
		   "recipient_count = $3, updated_at = $2, version = version + 1 WHERE id = $1",
		   "lll", id, c->now, count) < 0)
		return ctx_db_error(c);
	if (notify_audience(c, id, title_of(c, id), 0) < 0)
		return -1;
	json_t *after = json_pack("{s:s,s:I}", "status", "published", "recipient_count",
				  (json_int_t)count);
	int rc = audit_append(c, "announcement.publish", "announcement", id, NULL, after);
	json_decref(after);
	return rc;
}

int announce_publish(struct ctx *c, int64_t id)
{
	struct announce_write a = {.id = id};
	return ctx_tx(c, publish_step, &a);
}

static int remind_step(struct ctx *c, void *arg)
{
	struct announce_write *a = arg;
	int64_t id = a->id;
	struct announce_row row;
	if (load_for_write(c, id, &row) != 0)
		return -1;
	if (strcmp(row.status, "published") != 0)
		return error_set(&c->err, E_CONFLICT, "announce.not_published");
	int64_t last = db_int(c->db, 0,
			      "SELECT COALESCE(last_reminded_at, 0) FROM announcement WHERE id = $1",
			      "l", id);
	if (last && c->now - last < REMIND_INTERVAL)
		return error_set(&c->err, E_CONFLICT, "announce.reminded_today");
	a->told = notify_audience(c, id, title_of(c, id), 1);
	if (a->told < 0)
		return -1;
	if (db_run(c->db, "UPDATE announcement SET last_reminded_at = $2 WHERE id = $1", "ll", id,
		   c->now) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:I}", "reminded_users", (json_int_t)a->told);
	int rc = audit_append(c, "announcement.remind", "announcement", id, NULL, after);
	json_decref(after);
	return rc;
}

int announce_remind(struct ctx *c, int64_t id)
{
	struct announce_write a = {.id = id};
	return ctx_tx(c, remind_step, &a) != 0 ? -1 : a.told;
}

/* The caller's organizations addressed by the announcement (first one), 0 when none. */
static const char sql_my_addressed_org[] =
	"SELECT min(a.org_id) FROM announcement_org a WHERE a.announcement_id = $1 AND a.org_id IN "
	"(SELECT org_id FROM user_role WHERE user_id = $2 AND org_id > 0)";

static int ack_step(struct ctx *c, void *arg)
{
	struct announce_write *a = arg;
	int64_t id = a->id;
	struct announce_row row;
	if (load(c, id, &row) != 0)
		return -1;
	int64_t org = strcmp(row.status, "published") == 0
			      ? db_int(c->db, 0, sql_my_addressed_org, "ll", id, c->who->user_id)
			      : 0;
	struct policy_object obj = {org, NULL};
	if (org <= 0)
		return error_set(&c->err, E_FORBIDDEN, "announce.not_addressed");
	if (policy_check(c, ACT_ANNOUNCE_INBOX, &obj) != 0)
		return -1;
	int64_t added = db_run(c->db,
			       "INSERT INTO announcement_read (announcement_id, user_id, org_id, read_at) "
			       "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
			       "llll", id, c->who->user_id, org, c->now);
	if (added < 0)
		return ctx_db_error(c);
	if (added == 0) /* acknowledged before: nothing changes */
		return 0;
	int64_t first = db_run(c->db,
			       "UPDATE announcement_org SET first_reader_id = $2, first_read_at = $3 "
			       "WHERE announcement_id = $1 AND first_read_at IS NULL AND org_id IN "
			       "(SELECT org_id FROM user_role WHERE user_id = $2 AND org_id > 0)",
			       "lll", id, c->who->user_id, c->now);
	if (first < 0 || (first > 0 && db_run(c->db,
					      "UPDATE announcement SET read_count = read_count + $2 "
					      "WHERE id = $1",
					      "ll", id, first) < 0))
		return ctx_db_error(c);
	json_t *after = json_pack("{s:I,s:I}", "org_id", (json_int_t)org, "orgs_first_read",
				  (json_int_t)first);
	int rc = audit_append(c, "announcement.ack", "announcement", id, NULL, after);
	json_decref(after);
	return rc;
}

int announce_ack(struct ctx *c, int64_t id)
{
	struct announce_write a = {.id = id};
	return ctx_tx(c, ack_step, &a);
}

/* ------------------------------------------------------------------ reading */

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
	return db_col_isnull(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

static const char sql_get[] =
	"SELECT a.id, a.title, a.body, a.status, a.audience_kind, a.audience_value, a.street_scope, "
	"a.sender_id, u.display_name, a.created_at, a.updated_at, a.published_at, "
	"a.recipient_count, a.read_count, a.last_reminded_at, a.version "
	"FROM announcement a LEFT JOIN app_user u ON u.id = a.sender_id WHERE a.id = $1";

static json_t *row_json(struct db_stmt *st, int with_body)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
	json_object_set_new(o, "title", json_string(db_col_text(st, 1)));
	if (with_body) {
		const char *md = db_col_text(st, 2);
		char *html = markdown_to_html(md, strlen(md));
		json_object_set_new(o, "body", json_string(md));
		json_object_set_new(o, "body_html", json_string(html ? html : ""));
		free(html);
	}
	json_object_set_new(o, "status", json_string(db_col_text(st, 3)));
	json_object_set_new(o, "audience_kind", json_string(db_col_text(st, 4)));
	json_t *values = json_loads(db_col_text(st, 5), 0, NULL);
	json_object_set_new(o, "audience_values", values ? values : json_array());
	json_object_set_new(o, "street_scope", json_string(db_col_text(st, 6)));
	json_object_set_new(o, "sender_id", json_integer(db_col_int(st, 7)));
	json_object_set_new(o, "sender_name", text_or_null(db_col_text(st, 8)));
	json_object_set_new(o, "created_at", json_integer(db_col_int(st, 9)));
	json_object_set_new(o, "updated_at", json_integer(db_col_int(st, 10)));
	json_object_set_new(o, "published_at", int_or_null(st, 11));
	json_object_set_new(o, "recipient_count", json_integer(db_col_int(st, 12)));
	json_object_set_new(o, "read_count", json_integer(db_col_int(st, 13)));
	json_object_set_new(o, "last_reminded_at", int_or_null(st, 14));
	json_object_set_new(o, "version", json_integer(db_col_int(st, 15)));
	return o;
}

json_t *announce_get_json(struct ctx *c, int64_t id)
{
	struct db_stmt *st = db_query(c->db, sql_get, "l", id);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? row_json(st, 1) : NULL;
	db_done(st);
	if (!o) {
		if (rc == DB_DONE)
			error_set(&c->err, E_NOT_FOUND, "announce.not_found");
		else
			ctx_db_error(c);
		return NULL;
	}
	int sender_view = policy_allows(c->who, ACT_ANNOUNCE_STATS, NULL);
	int64_t org = strcmp(json_string_value(json_object_get(o, "status")), "published") == 0
			      ? db_int(c->db, 0, sql_my_addressed_org, "ll", id, c->who->user_id)
			      : 0;
	if (!sender_view && org <= 0) {
		json_decref(o);
		error_set(&c->err, E_NOT_FOUND, "announce.not_found");
		return NULL;
	}
	if (org > 0) {
		st = db_query(c->db,
			      "SELECT read_at FROM announcement_read WHERE announcement_id = $1 AND "
			      "user_id = $2",
			      "ll", id, c->who->user_id);
		json_object_set_new(o, "acknowledged_at",
				    db_step(st) == DB_ROW ? json_integer(db_col_int(st, 0)) : json_null());
		db_done(st);
		json_object_set_new(o, "addressed_org_id", json_integer(org));
	}
	json_object_set_new(o, "can_edit", json_boolean(policy_allows(
						   c->who, ACT_ANNOUNCE_WRITE,
						   &(struct policy_object){0, json_string_value(json_object_get(o, "street_scope"))})));
	return o;
}

static json_t *page_json(json_t *items, int64_t total, int64_t page, int64_t per_page)
{
	return json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
}

json_t *announce_list_json(struct ctx *c, const char *status, int64_t page, int64_t per_page)
{
	if (policy_check(c, ACT_ANNOUNCE_STATS, NULL) != 0)
		return NULL;
	int64_t total = db_int(c->db, -1,
			       "SELECT count(*) FROM announcement WHERE (CAST($1 AS TEXT) IS NULL OR "
			       "status = CAST($1 AS TEXT))",
			       "s", status);
	json_t *items = json_array();
	struct db_stmt *st = db_query(
		c->db,
		"SELECT a.id, a.title, a.body, a.status, a.audience_kind, a.audience_value, "
		"a.street_scope, a.sender_id, u.display_name, a.created_at, a.updated_at, "
		"a.published_at, a.recipient_count, a.read_count, a.last_reminded_at, a.version "
		"FROM announcement a LEFT JOIN app_user u ON u.id = a.sender_id "
		"WHERE (CAST($1 AS TEXT) IS NULL OR a.status = CAST($1 AS TEXT)) "
		"ORDER BY a.id DESC LIMIT $2 OFFSET $3",
		"sll", status, per_page, (page - 1) * per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, row_json(st, 0));
	db_done(st);
	if (rc != DB_DONE || total < 0) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return page_json(items, total, page, per_page);
}

static const char sql_inbox[] =
	"SELECT a.id, a.title, a.published_at, r.read_at, u.display_name "
	"FROM announcement a LEFT JOIN announcement_read r ON r.announcement_id = a.id AND "
	"r.user_id = $1 LEFT JOIN app_user u ON u.id = a.sender_id "
	"WHERE a.status = 'published' AND a.id IN (SELECT ao.announcement_id FROM announcement_org ao "
	"WHERE ao.org_id IN (SELECT org_id FROM user_role WHERE user_id = $1 AND org_id > 0)) "
	"AND (CAST($2 AS BIGINT) = 0 OR r.read_at IS NULL) "
	"ORDER BY a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4";

static const char sql_inbox_count[] =
	"SELECT count(*) FROM announcement a LEFT JOIN announcement_read r ON "
	"r.announcement_id = a.id AND r.user_id = $1 "
	"WHERE a.status = 'published' AND a.id IN (SELECT ao.announcement_id FROM announcement_org ao "
	"WHERE ao.org_id IN (SELECT org_id FROM user_role WHERE user_id = $1 AND org_id > 0)) "
	"AND (CAST($2 AS BIGINT) = 0 OR r.read_at IS NULL)";

json_t *announce_inbox_json(struct ctx *c, int unread_only, int64_t page, int64_t per_page)
{
	int64_t me = c->who->user_id;
	int64_t total = db_int(c->db, -1, sql_inbox_count, "ll", me, (int64_t)unread_only);
	int64_t unread = db_int(c->db, -1, sql_inbox_count, "ll", me, (int64_t)1);
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, sql_inbox, "llll", me, (int64_t)unread_only, per_page,
				      (page - 1) * per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I,s:s,s:o,s:o,s:o,s:b}", "id", (json_int_t)db_col_int(st, 0),
					 "title", db_col_text(st, 1), "published_at", int_or_null(st, 2),
					 "read_at", int_or_null(st, 3), "sender_name",
					 text_or_null(db_col_text(st, 4)), "unread", db_col_isnull(st, 3)));
	db_done(st);
	if (rc != DB_DONE || total < 0 || unread < 0) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	json_t *o = page_json(items, total, page, per_page);
	json_object_set_new(o, "unread_total", json_integer(unread));
	return o;
}

static const char sql_receipts[] =
	"SELECT ao.org_id, o.name, ao.street_code, d.name, ao.first_reader_id, u.display_name, "
	"ao.first_read_at, (SELECT count(*) FROM announcement_read r WHERE r.announcement_id = "
	"ao.announcement_id AND r.org_id = ao.org_id) "
	"FROM announcement_org ao JOIN org o ON o.id = ao.org_id "
	"LEFT JOIN division d ON d.code = ao.street_code "
	"LEFT JOIN app_user u ON u.id = ao.first_reader_id WHERE ao.announcement_id = $1 "
	"AND (CAST($2 AS TEXT) IS NULL OR ao.street_code = CAST($2 AS TEXT)) "
	"AND (CAST($3 AS BIGINT) = 0 OR (CAST($3 AS BIGINT) = 1 AND ao.first_read_at IS NOT NULL) "
	"OR (CAST($3 AS BIGINT) = 2 AND ao.first_read_at IS NULL)) "
	"ORDER BY (ao.first_read_at IS NULL), ao.first_read_at DESC, ao.org_id LIMIT $4 OFFSET $5";

static const char sql_receipts_count[] =
	"SELECT count(*) FROM announcement_org ao WHERE ao.announcement_id = $1 "
	"AND (CAST($2 AS TEXT) IS NULL OR ao.street_code = CAST($2 AS TEXT)) "
	"AND (CAST($3 AS BIGINT) = 0 OR (CAST($3 AS BIGINT) = 1 AND ao.first_read_at IS NOT NULL) "
	"OR (CAST($3 AS BIGINT) = 2 AND ao.first_read_at IS NULL))";

json_t *announce_receipts_json(struct ctx *c, int64_t id, const char *state, const char *street,
			       int64_t page, int64_t per_page)
{
	struct announce_row row;
	if (policy_check(c, ACT_ANNOUNCE_STATS, NULL) != 0 || load(c, id, &row) != 0)
		return NULL;
	int64_t s = !state ? 0 : strcmp(state, "read") == 0 ? 1 : 2;
	int64_t total = db_int(c->db, -1, sql_receipts_count, "lsl", id, street, s);
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, sql_receipts, "lslll", id, street, s, per_page,
				      (page - 1) * per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(
			items,
			json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:I}", "org_id",
				  (json_int_t)db_col_int(st, 0), "org_name", db_col_text(st, 1),
				  "street_code", db_col_text(st, 2), "street_name",
				  text_or_null(db_col_text(st, 3)), "first_reader_id", int_or_null(st, 4),
				  "first_reader_name", text_or_null(db_col_text(st, 5)), "first_read_at",
				  int_or_null(st, 6), "readers", (json_int_t)db_col_int(st, 7)));
	db_done(st);
	if (rc != DB_DONE || total < 0) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	json_t *o = page_json(items, total, page, per_page);
	json_object_set_new(o, "recipient_count", json_integer(row.recipients));
	json_object_set_new(o, "read_count", json_integer(row.reads));
	return o;
}
