/*
 * Resources and needs: validation, create, update (optimistic version), read with visibility
 * and masked contact, status transitions, expiry, search index.
 *
 * Update validates the MERGED record (the stored item as JSON, overlaid with the fields the
 * client sent) with the same reader as create, so the cross-field rules (unit fits category,
 * window not inverted, both coordinates or none) hold after every change.
 */
#include <stdio.h>
#include <string.h>
#include "core/json_rows.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "registry/org.h"
#include "resources/resources.h"

/* Body fields of a resource or need (create: all but version/status; update: all but org_id). */
static const char *const item_fields[] = {
	"org_id", "title", "category", "fields", "quantity", "unit", "community_code", "lat",
	"lon", "start_at", "end_at", "weekly_days", "daily_from", "daily_to", "eligible_types",
	"min_grade", "other_conditions", "description", "contact_name", "contact_phone",
	"visibility", "status", "version", NULL};

struct item_input {
	int64_t org_id, quantity, start_at, end_at, version;
	int has_start, has_end, has_lat, has_lon, weekly_days, daily_from, daily_to;
	double lat, lon;
	const char *title, *category, *unit, *community_code, *street_code, *min_grade;
	const char *other_conditions, *description, *contact_name, *contact_phone, *visibility;
	const char *status;
	const char **fields, **eligible_types;
};

/* The largest sensible quantity per unit: beyond it a number is a typing mistake. */
static int64_t unit_max(const char *unit)
{
	if (!unit)
		return 0;
	if (strcmp(unit, "yuan") == 0)
		return 10000000000LL;
	if (strcmp(unit, "items") == 0)
		return 10000000;
	return strcmp(unit, "people") == 0 ? 100000 : 1000000;
}

static int in_list(const char *const *codes, const char *v)
{
	for (; v && *codes; codes++)
		if (strcmp(*codes, v) == 0)
			return 1;
	return 0;
}

/* A list whose every entry must be one of `codes`. */
static void read_code_list(struct ctx *c, json_t *body, const char *name,
			   const char *const *codes, const char ***out)
{
	*out = NULL;
	if (v_string_list(c, body, name, V_OPTIONAL, 16, 32, out, NULL) != 0 || !*out)
		return;
	for (const char **p = *out; *p; p++)
		if (!in_list(codes, *p)) {
			char f[64];
			snprintf(f, sizeof f, "%s[%d]", name, (int)(p - *out));
			error_field(&c->err, f, "field.bad_choice", 0);
		}
}

/* A number (integer or real) in [min, max]; *has = 1 when given. */
static void read_number(struct ctx *c, json_t *body, const char *name, double min, double max,
			double *out, int *has)
{
	json_t *v = json_object_get(body, name);
	*has = 0;
	if (!v || json_is_null(v))
		return;
	if (!json_is_number(v)) {
		error_field(&c->err, name, "field.type_number", 0);
		return;
	}
	double d = json_number_value(v);
	if (d < min || d > max) {
		error_field(&c->err, name, d < min ? "field.min" : "field.max",
			    (long long)(d < min ? min : max));
		return;
	}
	*out = d;
	*has = 1;
}

/* "HH:MM" -> minutes of the day; -1 when absent; field error when malformed. */
static int read_hhmm(struct ctx *c, json_t *body, const char *name)
{
	const char *s = NULL;
	if (v_string(c, body, name, V_OPTIONAL, 5, &s) != 0 || !s)
		return -1;
	int h, m;
	char tail;
	if (strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 24 ||
	    m < 0 || m > 59 || (h == 24 && m != 0)) {
		error_field(&c->err, name, "resources.bad_time", 0);
		return -1;
	}
	return h * 60 + m;
}

/* The street of a community code, checked against the division table. */
static const char *community_street(struct ctx *c, const char *community)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT parent_code FROM division WHERE code = $1 AND "
				      "level = 'community'",
				      "s", community);
	const char *street = db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0))
						   : NULL;
	db_done(st);
	return street;
}

/* The organization's street, or NULL when there is no live organization with that id. */
static const char *live_org_street(struct ctx *c, int64_t org_id)
{
	struct db_stmt *st = db_query(c->db, "SELECT street_code FROM org WHERE id = $1 AND "
					     "archived = 0",
				      "l", org_id);
	const char *street = db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0))
						   : NULL;
	db_done(st);
	return street;
}

static void read_window(struct ctx *c, json_t *body, struct item_input *in)
{
	const int64_t far = 4102444800LL; /* 2100-01-01 */
	in->has_start = in->has_end = 0;
	v_int(c, body, "start_at", V_OPTIONAL, 0, far, &in->start_at, &in->has_start);
	v_int(c, body, "end_at", V_OPTIONAL, 0, far, &in->end_at, &in->has_end);
	if (in->has_start && in->has_end && in->end_at <= in->start_at)
		error_field(&c->err, "end_at", "resources.window_inverted", 0);
	const char **days = NULL;
	read_code_list(c, body, "weekly_days", res_weekday_codes, &days);
	in->weekly_days = 0;
	for (const char **d = days; d && *d; d++)
		for (int i = 0; res_weekday_codes[i]; i++)
			if (strcmp(res_weekday_codes[i], *d) == 0)
				in->weekly_days |= 1 << i;
	in->daily_from = read_hhmm(c, body, "daily_from");
	in->daily_to = read_hhmm(c, body, "daily_to");
	if ((in->daily_from < 0) != (in->daily_to < 0))
		error_field(&c->err, in->daily_from < 0 ? "daily_from" : "daily_to", "field.required",
			    0);
	else if (in->daily_from >= 0 && in->daily_to <= in->daily_from)
		error_field(&c->err, "daily_to", "resources.window_inverted", 0);
}

/* Reads and checks every field; all errors at once. `update`: version required, status
 * allowed, org_id refused. */
static int item_from_json(struct ctx *c, json_t *body, int update, struct item_input *in)
{
	memset(in, 0, sizeof *in);
	v_no_unknown_fields(c, body, item_fields + (update ? 1 : 0));
	if (!update) {
		v_int(c, body, "org_id", V_REQUIRED, 1, INT64_MAX, &in->org_id, NULL);
		if (json_object_get(body, "status") && !json_is_null(json_object_get(body, "status")))
			error_field(&c->err, "status", "field.unknown", 0);
		if (json_object_get(body, "version"))
			error_field(&c->err, "version", "field.unknown", 0);
	} else {
		v_int(c, body, "version", V_REQUIRED, 1, INT64_MAX, &in->version, NULL);
		v_choice(c, body, "status", V_OPTIONAL, res_status_codes, &in->status);
	}
	v_string(c, body, "title", V_REQUIRED, 100, &in->title);
	v_choice(c, body, "category", V_REQUIRED, res_category_codes, &in->category);
	read_code_list(c, body, "fields", org_field_codes, &in->fields);
	int unit_ok = v_choice(c, body, "unit", V_REQUIRED, res_unit_codes, &in->unit) == 0;
	v_int(c, body, "quantity", V_REQUIRED, 1, unit_ok && in->unit ? unit_max(in->unit) : INT64_MAX,
	      &in->quantity, NULL);
	if (in->category && in->unit && !res_unit_fits(in->category, in->unit))
		error_field(&c->err, "unit", "resources.unit_mismatch", 0);
	if (v_string(c, body, "community_code", V_OPTIONAL, 12, &in->community_code) == 0 &&
	    in->community_code && !(in->street_code = community_street(c, in->community_code)))
		error_field(&c->err, "community_code", "resources.unknown_community", 0);
	read_number(c, body, "lat", -90, 90, &in->lat, &in->has_lat);
	read_number(c, body, "lon", -180, 180, &in->lon, &in->has_lon);
	if (in->has_lat != in->has_lon)
		error_field(&c->err, in->has_lat ? "lon" : "lat", "field.required", 0);
	read_window(c, body, in);
	read_code_list(c, body, "eligible_types", org_type_codes, &in->eligible_types);
	v_choice(c, body, "min_grade", V_OPTIONAL, org_grade_codes, &in->min_grade);
	v_string(c, body, "other_conditions", V_OPTIONAL, 500, &in->other_conditions);
	v_string(c, body, "description", V_OPTIONAL, 2000, &in->description);
	v_string(c, body, "contact_name", V_OPTIONAL, 50, &in->contact_name);
	if (v_string(c, body, "contact_phone", V_OPTIONAL, 20, &in->contact_phone) == 0 &&
	    in->contact_phone && !v_is_phone(in->contact_phone))
		error_field(&c->err, "contact_phone", "field.bad_phone", 0);
	in->visibility = "public";
	v_choice(c, body, "visibility", V_OPTIONAL, res_visibility_codes, &in->visibility);
	if (!in->visibility)
		in->visibility = "public";
	return error_check(&c->err);
}

static int vis_rank(const char *visibility)
{
	return strcmp(visibility, "public") == 0 ? 0 : strcmp(visibility, "district") == 0 ? 1 : 2;
}

static const char *joined(struct ctx *c, const char **list)
{
	struct buf b = {0};
	for (const char **p = list; p && *p; p++)
		buf_printf(&b, "%s%s", b.len ? "," : "", *p);
	const char *s = arena_strdup(c->arena, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

/* ------------------------------------------------------------------ reading */

#define ITEM_SELECT                                                                           \
	"SELECT i.id, i.kind, i.org_id, o.name AS org_name, i.title, i.category, i.quantity, "   \
	"i.remaining, i.unit, i.street_code, ds.name AS street_name, i.community_code, "         \
	"dc.name AS community_name, i.lat, i.lon, i.start_at, i.end_at, i.weekly_days, "          \
	"i.daily_from, i.daily_to, i.eligible_types, i.min_grade, i.other_conditions, "           \
	"i.description, i.contact_name, i.contact_phone, i.visibility, i.status, i.created_at, " \
	"i.updated_at, i.version FROM res_item i JOIN org o ON o.id = i.org_id "                  \
	"LEFT JOIN division ds ON ds.code = i.street_code "                                       \
	"LEFT JOIN division dc ON dc.code = i.community_code "
#define ITEM_SPEC "lslsssllsssssfflllllsssssssslll"

static json_t *hhmm(int64_t minutes)
{
	char s[8];
	snprintf(s, sizeof s, "%02d:%02d", (int)(minutes / 60), (int)(minutes % 60));
	return json_string(s);
}

/* Turns the stored encodings back into the API's: day mask -> names, minutes -> "HH:MM",
 * comma list -> array. */
static void shape_item(json_t *o)
{
	json_t *days = json_array();
	int64_t mask = json_integer_value(json_object_get(o, "weekly_days"));
	for (int i = 0; res_weekday_codes[i]; i++)
		if (mask & (1 << i))
			json_array_append_new(days, json_string(res_weekday_codes[i]));
	json_object_set_new(o, "weekly_days", days);
	const char *names[] = {"daily_from", "daily_to"};
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(o, names[i]);
		if (json_is_integer(v))
			json_object_set_new(o, names[i], hhmm(json_integer_value(v)));
	}
	json_t *types = json_array();
	const char *s = json_string_value(json_object_get(o, "eligible_types"));
	for (const char *p = s ? s : ""; *p;) {
		size_t n = strcspn(p, ",");
		if (n)
			json_array_append_new(types, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	json_object_set_new(o, "eligible_types", types);
}

/* Loads the item row as stored (no policy). E_NOT_FOUND when absent or of another kind. */
static json_t *item_load(struct ctx *c, const char *kind, int64_t id)
{
	struct db_stmt *st = db_query(c->db, ITEM_SELECT "WHERE i.id = $1", "l", id);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? json_row(st, ITEM_SPEC) : NULL;
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c), NULL;
	if (o && kind && strcmp(json_string_value(json_object_get(o, "kind")), kind) != 0) {
		json_decref(o);
		o = NULL;
	}
	if (!o) {
		error_set(&c->err, E_NOT_FOUND, "resources.not_found");
		return NULL;
	}
	shape_item(o);
	struct db_stmt *f = db_query(c->db,
				     "SELECT field FROM res_item_field WHERE item_id = $1 ORDER BY field",
				     "l", id);
	json_t *fields = json_array();
	while (db_step(f) == DB_ROW)
		json_array_append_new(fields, json_string(db_col_text(f, 0)));
	db_done(f);
	json_object_set_new(o, "fields", fields);
	return o;
}

static struct policy_object item_obj(json_t *o)
{
	return (struct policy_object){json_integer_value(json_object_get(o, "org_id")),
				      json_string_value(json_object_get(o, "street_code"))};
}

/* 1 if c->who may see the item at all (its visibility, or its own organization). */
static int item_visible(struct ctx *c, json_t *o)
{
	struct policy_object obj = item_obj(o);
	int rank = vis_rank(json_string_value(json_object_get(o, "visibility")));
	return rank <= res_visibility_rank(c) ||
	       policy_allows(c->who, ACT_RES_READ_RESTRICTED, &obj);
}

json_t *res_item_get_json(struct ctx *c, const char *kind, int64_t id)
{
	json_t *o = item_load(c, kind, id);
	if (!o)
		return NULL;
	if (c->who->user_id == PRINCIPAL_ANONYMOUS) {
		json_decref(o);
		error_set(&c->err, E_UNAUTHENTICATED, NULL);
		return NULL;
	}
	if (!item_visible(c, o)) {
		json_decref(o);
		error_set(&c->err, E_NOT_FOUND, "resources.not_found");
		return NULL;
	}
	struct policy_object obj = item_obj(o);
	int contact = policy_allows(c->who, ACT_RES_READ_CONTACT, &obj);
	const char *phone = json_string_value(json_object_get(o, "contact_phone"));
	if (!contact && phone)
		json_object_set_new(o, "contact_phone", json_string(org_mask_phone(c, phone)));
	json_object_set_new(o, "contact_visible", json_boolean(contact));
	json_object_set_new(o, "can_edit", json_boolean(policy_allows(c->who, ACT_RES_WRITE, &obj)));
	return o;
}

/* ------------------------------------------------------------------ writing */

static int write_fields(struct ctx *c, int64_t id, const char **fields)
{
	if (db_run(c->db, "DELETE FROM res_item_field WHERE item_id = $1", "l", id) < 0)
		return ctx_db_error(c);
	for (const char **f = fields; f && *f; f++)
		if (db_run(c->db, "INSERT INTO res_item_field (item_id, field) VALUES ($1, $2)", "ls",
			   id, *f) < 0)
			return ctx_db_error(c);
	return 0;
}

int res_item_index_in_tx(struct ctx *c, int64_t id)
{
	json_t *o = item_load(c, NULL, id);
	if (!o)
		return -1;
	struct buf text = {0}, facets = {0};
	const char *parts[] = {"title", "description", "other_conditions", "org_name"};
	for (int i = 0; i < 4; i++) {
		const char *s = json_string_value(json_object_get(o, parts[i]));
		if (s)
			buf_printf(&text, "%s\n", s);
	}
	res_facet_token(&facets, "k", json_string_value(json_object_get(o, "kind")));
	res_facet_token(&facets, "c", json_string_value(json_object_get(o, "category")));
	res_facet_token(&facets, "s", json_string_value(json_object_get(o, "status")));
	res_facet_token(&facets, "st", json_string_value(json_object_get(o, "street_code")));
	res_facet_token(&facets, "u", json_string_value(json_object_get(o, "unit")));
	res_facet_token(&facets, "o",
			arena_printf(c->arena, "%lld",
				     (long long)json_integer_value(json_object_get(o, "org_id"))));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(o, "fields"), i, f)
		res_facet_token(&facets, "f", json_string_value(f));
	int rc = res_write_tokens(c, "res_item", id, text.data, facets.data);
	buf_free(&text);
	buf_free(&facets);
	json_decref(o);
	return rc;
}

/* Binds the stored form of an input from $2 on (same order in INSERT and UPDATE). */
static void bind_item(struct ctx *c, struct db_stmt *st, const struct item_input *in)
{
	db_bind_text(st, 2, in->title);
	db_bind_text(st, 3, in->category);
	db_bind_int(st, 4, in->quantity);
	db_bind_text(st, 5, in->unit);
	db_bind_text(st, 6, in->street_code);
	db_bind_text(st, 7, in->community_code);
	if (in->has_lat) {
		db_bind_double(st, 8, in->lat);
		db_bind_double(st, 9, in->lon);
	} else {
		db_bind_null(st, 8);
		db_bind_null(st, 9);
	}
	if (in->has_start)
		db_bind_int(st, 10, in->start_at);
	else
		db_bind_null(st, 10);
	if (in->has_end)
		db_bind_int(st, 11, in->end_at);
	else
		db_bind_null(st, 11);
	db_bind_int(st, 12, in->weekly_days);
	if (in->daily_from >= 0) {
		db_bind_int(st, 13, in->daily_from);
		db_bind_int(st, 14, in->daily_to);
	} else {
		db_bind_null(st, 13);
		db_bind_null(st, 14);
	}
	db_bind_text(st, 15, joined(c, in->eligible_types));
	db_bind_text(st, 16, in->min_grade);
	db_bind_text(st, 17, in->other_conditions);
	db_bind_text(st, 18, in->description);
	db_bind_text(st, 19, in->contact_name);
	db_bind_text(st, 20, in->contact_phone);
	db_bind_text(st, 21, in->visibility);
	db_bind_int(st, 22, vis_rank(in->visibility));
	db_bind_int(st, 23, c->now);
}

static int create_in_tx(struct ctx *c, const char *kind, struct item_input *in, int64_t *id)
{
	struct db_stmt *st = db_prepare(
		c->db,
		"INSERT INTO res_item (kind, title, category, quantity, unit, street_code, "
		"community_code, lat, lon, start_at, end_at, weekly_days, daily_from, daily_to, "
		"eligible_types, min_grade, other_conditions, description, contact_name, "
		"contact_phone, visibility, vis_rank, created_at, updated_at, org_id, remaining, "
		"status, created_by, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
		"$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23, $24, $4, 'open', "
		"$25, 1) RETURNING id");
	db_bind_text(st, 1, kind);
	bind_item(c, st, in);
	db_bind_int(st, 24, in->org_id);
	db_bind_int(st, 25, c->who->user_id > 0 ? c->who->user_id : 0);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	if (write_fields(c, *id, in->fields) != 0 || res_item_index_in_tx(c, *id) != 0)
		return -1;
	json_t *after = res_item_get_json(c, kind, *id);
	if (!after)
		return -1;
	json_object_del(after, "contact_visible");
	json_object_del(after, "can_edit");
	int a = audit_append(c, strcmp(kind, "need") == 0 ? "need.create" : "resource.create",
			     "res_item", *id, NULL, after);
	json_decref(after);
	return a;
}

/* A create's or an update's arguments, for its transaction's step. */
struct item_write {
	const char *kind;
	struct item_input *in; /* create */
	json_t *body;          /* update */
	int64_t id;            /* update: the item; create: the new item */
};

static int item_create_step(struct ctx *c, void *arg)
{
	struct item_write *a = arg;
	return create_in_tx(c, a->kind, a->in, &a->id);
}

int res_item_create(struct ctx *c, const char *kind, json_t *body, int64_t *id)
{
	struct item_input in;
	if (item_from_json(c, body, 0, &in) != 0)
		return -1;
	const char *org_street = live_org_street(c, in.org_id);
	if (!org_street) {
		error_field(&c->err, "org_id", "resources.unknown_org", 0);
		return error_check(&c->err);
	}
	if (!in.street_code)
		in.street_code = org_street;
	struct policy_object obj = {in.org_id, org_street};
	if (policy_check(c, ACT_RES_WRITE, &obj) != 0)
		return -1;
	struct item_write a = {.kind = kind, .in = &in};
	int rc = ctx_tx(c, item_create_step, &a);
	*id = a.id;
	return rc;
}

/* The status a close/reopen request leads to, or NULL with E_CONFLICT. */
static const char *next_status(struct ctx *c, const char *from, const char *to, json_t *merged,
			       int64_t remaining, int64_t quantity)
{
	if (!to || strcmp(from, to) == 0)
		return from;
	if (strcmp(to, "closed") == 0 &&
	    (strcmp(from, "open") == 0 || strcmp(from, "partly_matched") == 0))
		return "closed";
	if (strcmp(to, "open") == 0 &&
	    (strcmp(from, "closed") == 0 || strcmp(from, "expired") == 0) && remaining > 0) {
		json_t *end = json_object_get(merged, "end_at");
		if (json_is_integer(end) && json_integer_value(end) <= c->now) {
			error_set(&c->err, E_CONFLICT, "resources.window_over");
			return NULL;
		}
		return remaining < quantity ? "partly_matched" : "open";
	}
	error_set(&c->err, E_CONFLICT, "resources.bad_transition");
	return NULL;
}

static int update_in_tx(struct ctx *c, const char *kind, int64_t id, json_t *body)
{
	json_t *old = item_load(c, kind, id);
	if (!old)
		return -1;
	struct policy_object obj = item_obj(old);
	int rc = -1;
	json_t *merged = json_deep_copy(old), *after = NULL;
	if (policy_check(c, ACT_RES_WRITE, &obj) != 0)
		goto out;
	/* the stored record in the input's shape, overlaid with what the client sent */
	const char *drop[] = {"id", "kind", "org_id", "org_name", "remaining", "street_code",
			      "street_name", "community_name", "created_at", "updated_at", "status"};
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
		json_object_del(merged, drop[i]);
	json_object_update(merged, body);
	struct item_input in;
	if (item_from_json(c, merged, 1, &in) != 0)
		goto out;
	int64_t old_version = json_integer_value(json_object_get(old, "version"));
	if (in.version != old_version) {
		error_set(&c->err, E_STALE, NULL);
		goto out;
	}
	int64_t quantity = json_integer_value(json_object_get(old, "quantity"));
	int64_t remaining = json_integer_value(json_object_get(old, "remaining")) +
			    (in.quantity - quantity);
	if (remaining < 0) {
		error_field(&c->err, "quantity", "resources.below_matched", quantity - remaining);
		error_check(&c->err);
		goto out;
	}
	const char *status = next_status(c, json_string_value(json_object_get(old, "status")),
					 in.status, merged, remaining, in.quantity);
	if (!status)
		goto out;
	if (!in.street_code)
		in.street_code = json_string_value(json_object_get(old, "street_code"));
	struct db_stmt *st = db_prepare(
		c->db,
		"UPDATE res_item SET title = $2, category = $3, quantity = $4, unit = $5, "
		"street_code = $6, community_code = $7, lat = $8, lon = $9, start_at = $10, "
		"end_at = $11, weekly_days = $12, daily_from = $13, daily_to = $14, "
		"eligible_types = $15, min_grade = $16, other_conditions = $17, description = $18, "
		"contact_name = $19, contact_phone = $20, visibility = $21, vis_rank = $22, "
		"updated_at = $23, remaining = $24, status = $25, version = version + 1 "
		"WHERE id = $1 AND version = $26");
	db_bind_int(st, 1, id);
	bind_item(c, st, &in);
	db_bind_int(st, 24, remaining);
	db_bind_text(st, 25, status);
	db_bind_int(st, 26, in.version);
	int step = db_step(st);
	int64_t changed = db_changes(st);
	db_done(st);
	if (step == DB_ERROR) {
		ctx_db_error(c);
		goto out;
	}
	if (changed != 1) {
		error_set(&c->err, E_STALE, NULL);
		goto out;
	}
	if (write_fields(c, id, in.fields) != 0 || res_item_index_in_tx(c, id) != 0)
		goto out;
	after = item_load(c, kind, id);
	if (!after)
		goto out;
	json_t *b, *a;
	json_object_del(old, "version");
	json_object_del(old, "updated_at");
	json_object_del(after, "version");
	json_object_del(after, "updated_at");
	audit_diff(old, after, &b, &a);
	rc = audit_append(c, strcmp(kind, "need") == 0 ? "need.update" : "resource.update",
			  "res_item", id, b, a);
	json_decref(b);
	json_decref(a);
out:
	json_decref(old);
	json_decref(merged);
	json_decref(after);
	return rc;
}

static int item_update_step(struct ctx *c, void *arg)
{
	struct item_write *a = arg;
	return update_in_tx(c, a->kind, a->id, a->body);
}

int res_item_update(struct ctx *c, const char *kind, int64_t id, json_t *body)
{
	/* validate the body's own shape first, so bad input never reaches the database */
	json_t *probe = json_deep_copy(body);
	const char *defaults[] = {"title", "x", "category", "other", "unit", "items"};
	for (int i = 0; i < 6; i += 2)
		if (!json_object_get(body, defaults[i]))
			json_object_set_new(probe, defaults[i], json_string(defaults[i + 1]));
	if (!json_object_get(body, "quantity"))
		json_object_set_new(probe, "quantity", json_integer(1));
	struct item_input tmp;
	int bad = item_from_json(c, probe, 1, &tmp);
	json_decref(probe);
	if (bad) {
		/* keep only the errors about fields the client actually sent */
		struct error e = c->err;
		error_clear(&c->err);
		for (int i = 0; i < e.nfields && i < ERROR_MAX_FIELDS; i++) {
			char base[64];
			snprintf(base, sizeof base, "%s", e.fields[i].field);
			base[strcspn(base, "[")] = 0;
			if (json_object_get(body, base) || strcmp(base, "version") == 0)
				error_field(&c->err, e.fields[i].field, e.fields[i].key,
					    e.fields[i].arg);
		}
		if (error_check(&c->err) != 0)
			return -1;
	}
	struct item_write a = {.kind = kind, .body = body, .id = id};
	return ctx_tx(c, item_update_step, &a);
}

/* ------------------------------------------------------------------ expiry */

/* Expires the first lapsed item, if any; *found says whether there was one. */
static int expire_one_step(struct ctx *c, void *arg)
{
	int *found = arg;
	int64_t id = db_int(c->db, 0,
			    "SELECT id FROM res_item WHERE status IN ('open', 'partly_matched') "
			    "AND end_at IS NOT NULL AND end_at <= $1 ORDER BY id LIMIT 1",
			    "l", c->now);
	*found = id > 0;
	if (!*found)
		return 0;
	const char *status = NULL;
	struct db_stmt *st = db_query(c->db, "SELECT status FROM res_item WHERE id = $1", "l", id);
	if (db_step(st) == DB_ROW)
		status = arena_strdup(c->arena, db_col_text(st, 0));
	db_done(st);
	if (db_run(c->db,
		   "UPDATE res_item SET status = 'expired', updated_at = $2, "
		   "version = version + 1 WHERE id = $1",
		   "ll", id, c->now) < 0)
		return ctx_db_error(c);
	if (res_item_index_in_tx(c, id) != 0)
		return -1;
	json_t *before = json_pack("{s:s}", "status", status ? status : "");
	json_t *after = json_pack("{s:s}", "status", "expired");
	int rc = audit_append(c, "resource.expire", "res_item", id, before, after);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* One transaction per lapsed item. */
int res_item_expire(struct ctx *c)
{
	int n = 0;
	for (;;) {
		int found = 0;
		if (ctx_tx(c, expire_one_step, &found) != 0)
			return -1;
		if (!found)
			return n;
		n++;
	}
}
