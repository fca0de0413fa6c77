/*
 * Registry statistics from precomputed counters; see org_stats.h for the contract.
 *
 * A write turns the before and after facts of an organization into a short list of
 * (dimension, key, archived, ±1) entries, cancels what did not change, and upserts the rest.
 * The upsert form (ON CONFLICT ... DO UPDATE) is the same text on both engines.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "registry/org_internal.h"
#include "registry/org.h"
#include "registry/org_stats.h"

/* ------------------------------------------------------------------ moving counters */

struct delta {
	const char *dimension, *key;
	int archived;
	int64_t n;
};
/* 2 sides x (all, type, street, grade, status, month + at most 16 fields): 44 entries. */
enum { MAX_DELTAS = 64, MAX_FIELDS = 16 };
struct deltas {
	struct delta e[MAX_DELTAS];
	int n;
	char month[2][8];
};

/* YYYY-MM of a Unix time in the district's calendar (UTC+8, as org_today()). */
static void month_of(int64_t t, char out[8])
{
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&local, &tm);
	snprintf(out, 8, "%04d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
}

/* Adds `sign` to the entry (dimension, key, archived), merging with an equal one. */
static void delta_add(struct deltas *d, const char *dimension, const char *key, int archived,
		      int sign)
{
	key = key ? key : "";
	for (int i = 0; i < d->n; i++)
		if (d->e[i].archived == archived && strcmp(d->e[i].dimension, dimension) == 0 &&
		    strcmp(d->e[i].key, key) == 0) {
			d->e[i].n += sign;
			return;
		}
	if (d->n < MAX_DELTAS) /* cannot overflow: MAX_FIELDS bounds each side */
		d->e[d->n++] = (struct delta){dimension, key, archived, sign};
}

static void delta_facts(struct deltas *d, const struct org_facts *f, int sign, char month[8])
{
	if (!f)
		return;
	int a = f->archived ? 1 : 0;
	month_of(f->created_at, month);
	delta_add(d, "all", "", a, sign);
	delta_add(d, "type", f->type, a, sign);
	delta_add(d, "street", f->street, a, sign);
	delta_add(d, "grade", f->grade, a, sign);
	delta_add(d, "status", f->status, a, sign);
	delta_add(d, "month", month, a, sign);
	for (int i = 0; f->fields && f->fields[i] && i < MAX_FIELDS; i++)
		delta_add(d, "field", f->fields[i], a, sign);
}

int org_stats_apply_in_tx(struct ctx *c, const struct org_facts *before,
			  const struct org_facts *after)
{
	struct deltas d;
	d.n = 0;
	delta_facts(&d, before, -1, d.month[0]);
	delta_facts(&d, after, +1, d.month[1]);
	for (int i = 0; i < d.n; i++) {
		if (d.e[i].n == 0)
			continue;
		if (db_run(c->db,
			   "INSERT INTO org_counter (dimension, key, archived, n) "
			   "VALUES ($1, $2, $3, $4) ON CONFLICT (dimension, key, archived) "
			   "DO UPDATE SET n = org_counter.n + excluded.n",
			   "ssil", d.e[i].dimension, d.e[i].key, d.e[i].archived, d.e[i].n) < 0)
			return ctx_db_error(c);
	}
	return 0;
}

void org_facts_of_row(const struct org_row *row, struct org_facts *out)
{
	*out = (struct org_facts){row->in.type,	    row->in.street_code, row->in.status,
				  row->current_grade, row->in.fields,	 row->created_at,
				  row->archived};
}

int org_facts_load(struct ctx *c, int64_t id, struct org_facts *out)
{
	struct org_row *row = arena_alloc(c->arena, sizeof *row);
	if (org_load(c, id, row) != 0)
		return -1;
	org_facts_of_row(row, out);
	return 0;
}

int org_stats_created_in_tx(struct ctx *c, const struct org_input *in)
{
	struct org_facts after = {in->type, in->street_code, in->status, NULL,
				  in->fields, c->now,	     0};
	return org_stats_apply_in_tx(c, NULL, &after);
}

int org_stats_rows_in_tx(struct ctx *c, const struct org_row *before,
			 const struct org_row *after)
{
	struct org_facts b, a;
	org_facts_of_row(before, &b);
	org_facts_of_row(after, &a);
	return org_stats_apply_in_tx(c, &b, &a);
}

int org_stats_archived_in_tx(struct ctx *c, const struct org_row *before, int archived,
			     const char *status)
{
	struct org_facts b, a;
	org_facts_of_row(before, &b);
	a = b;
	a.archived = archived;
	a.status = status;
	return org_stats_apply_in_tx(c, &b, &a);
}

int org_stats_reload_in_tx(struct ctx *c, int64_t id, const struct org_facts *before)
{
	struct org_facts after;
	if (org_facts_load(c, id, &after) != 0)
		return -1;
	return org_stats_apply_in_tx(c, before, &after);
}

/* ------------------------------------------------------------------ reading */

/* {dimension: {key: n}} of the non-archived counters. NULL with c->err. */
static json_t *load_counts(struct ctx *c)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT dimension, key, n FROM org_counter WHERE archived = 0",
				      "");
	json_t *counts = json_object();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *dim = json_object_get(counts, db_col_text(st, 0));
		if (!dim) {
			dim = json_object();
			json_object_set_new(counts, db_col_text(st, 0), dim);
		}
		json_object_set_new(dim, db_col_text(st, 1), json_integer(db_col_int(st, 2)));
	}
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(counts);
		ctx_db_error(c);
		return NULL;
	}
	return counts;
}

/* Takes key's count out of `dim` (so what is left are keys no list names); 0 if none. */
static json_int_t take_count(json_t *dim, const char *key)
{
	json_t *v = json_object_get(dim, key);
	json_int_t n = v ? json_integer_value(v) : 0;
	if (v)
		json_object_del(dim, key);
	return n;
}

/* Appends {key, <name_field>: null, n} for counted keys no list names (a code or street
 * retired after organizations used it), so the parts still add up to the total. */
static void append_leftovers(json_t *items, json_t *dim, const char *name_field)
{
	const char *key;
	json_t *v;
	json_object_foreach(dim, key, v)
		if (json_integer_value(v) != 0)
			json_array_append_new(items, json_pack("{s:s, s:n, s:I}", "key", key,
							       name_field, "n",
							       json_integer_value(v)));
}

/* [{key, label, n}] for every code, in code order. */
static json_t *coded_list(struct ctx *c, json_t *dim, const char *const *codes)
{
	json_t *items = json_array();
	for (const char *const *code = codes; *code; code++)
		json_array_append_new(items, json_pack("{s:s, s:s?, s:I}", "key", *code, "label",
						       org_label(*code, c->lang), "n",
						       take_count(dim, *code)));
	return items;
}

static json_t *grade_list(struct ctx *c, json_t *dim)
{
	json_t *items = coded_list(c, dim, org_grade_codes);
	json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "key", "", "label",
					       c->lang == LANG_EN ? "Ungraded" : "未评级", "n",
					       take_count(dim, "")));
	return items;
}

/* [{key, name, n}] for every street of the configured district, in code order. */
static json_t *street_list(struct ctx *c, json_t *dim)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT code, name FROM division WHERE level = 'street' "
				      "ORDER BY code",
				      "");
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "key", db_col_text(st, 0),
						       "name", db_col_text(st, 1), "n",
						       take_count(dim, db_col_text(st, 0))));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return items;
}

/* [{month, n}] for the 24 months up to c->now's, oldest first. */
static json_t *month_list(struct ctx *c, json_t *dim)
{
	char now[8];
	month_of(c->now, now);
	int year = 0, month = 0;
	sscanf(now, "%d-%d", &year, &month);
	int index = year * 12 + (month - 1) - 23;
	json_t *items = json_array();
	for (int i = 0; i < 24; i++, index++) {
		char key[16];
		snprintf(key, sizeof key, "%04d-%02d", index / 12, index % 12 + 1);
		json_array_append_new(items, json_pack("{s:s, s:I}", "month", key, "n",
						       take_count(dim, key)));
	}
	return items;
}

/* The counts of one dimension (an empty object when nothing was ever counted there). */
static json_t *dim_of(json_t *counts, const char *dimension)
{
	json_t *dim = json_object_get(counts, dimension);
	if (!dim) {
		dim = json_object();
		json_object_set_new(counts, dimension, dim);
	}
	return dim;
}

json_t *org_stats_json(struct ctx *c)
{
	if (policy_check(c, ACT_ORG_READ, NULL) != 0)
		return NULL;
	json_t *counts = load_counts(c);
	if (!counts)
		return NULL;
	json_t *streets = street_list(c, dim_of(counts, "street"));
	if (!streets) {
		json_decref(counts);
		return NULL;
	}
	append_leftovers(streets, dim_of(counts, "street"), "name");
	struct {
		const char *name, *dimension;
		json_t *items;
	} parts[] = {
		{"by_type", "type", coded_list(c, dim_of(counts, "type"), org_type_codes)},
		{"by_grade", "grade", grade_list(c, dim_of(counts, "grade"))},
		{"by_status", "status", coded_list(c, dim_of(counts, "status"), org_status_codes)},
		{"by_field", "field", coded_list(c, dim_of(counts, "field"), org_field_codes)},
	};
	json_t *body = json_pack("{s:I, s:o, s:o}", "total", take_count(dim_of(counts, "all"), ""),
				 "by_street", streets, "by_month",
				 month_list(c, dim_of(counts, "month")));
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		append_leftovers(parts[i].items, dim_of(counts, parts[i].dimension), "label");
		json_object_set_new(body, parts[i].name, parts[i].items);
	}
	json_decref(counts);
	return body;
}

/* ------------------------------------------------------------------ verification */

/* What the counters should hold: migration 0007's grouping, each row tagged 0; only the month
 * expression differs between the engines. */
#define EXPECTED_SQL(MONTH)                                                                   \
	"SELECT 0 AS t, 'all' AS d, '' AS k, archived AS a, COUNT(*) AS n FROM org "          \
	"GROUP BY archived "                                                                  \
	"UNION ALL SELECT 0, 'type', type, archived, COUNT(*) FROM org GROUP BY type, archived " \
	"UNION ALL SELECT 0, 'street', street_code, archived, COUNT(*) FROM org "             \
	"GROUP BY street_code, archived "                                                     \
	"UNION ALL SELECT 0, 'grade', COALESCE(current_grade, ''), archived, COUNT(*) FROM org " \
	"GROUP BY COALESCE(current_grade, ''), archived "                                     \
	"UNION ALL SELECT 0, 'status', status, archived, COUNT(*) FROM org "                  \
	"GROUP BY status, archived "                                                          \
	"UNION ALL SELECT 0, 'field', f.field, o.archived, COUNT(*) FROM org_field f "        \
	"JOIN org o ON o.id = f.org_id GROUP BY f.field, o.archived "                         \
	"UNION ALL SELECT 0, 'month', " MONTH ", archived, COUNT(*) FROM org "                \
	"GROUP BY " MONTH ", archived "
#define MONTH_SQLITE "strftime('%Y-%m', created_at + 28800, 'unixepoch')"
#define MONTH_POSTGRES "to_char(to_timestamp(created_at + 28800) AT TIME ZONE 'UTC', 'YYYY-MM')"

/* Expected (tag 0) and held (tag 1) in one statement, so both come from one snapshot. */
static const char verify_sqlite[] =
	EXPECTED_SQL(MONTH_SQLITE) "UNION ALL SELECT 1, dimension, key, archived, n FROM org_counter";
static const char verify_postgres[] =
	EXPECTED_SQL(MONTH_POSTGRES) "UNION ALL SELECT 1, dimension, key, archived, n FROM org_counter";

/* Repair: the counters recounted from the organizations, inside a write transaction. */
static const char repair_sqlite[] =
	"INSERT INTO org_counter (dimension, key, archived, n) SELECT d, k, a, n FROM ("
	EXPECTED_SQL(MONTH_SQLITE) ") AS expected";
static const char repair_postgres[] =
	"INSERT INTO org_counter (dimension, key, archived, n) SELECT d, k, a, n FROM ("
	EXPECTED_SQL(MONTH_POSTGRES) ") AS expected";

/* {"dimension\x1fkey\x1farchived": [expected, counted, dimension, key, archived]} or NULL
 * with c->err. */
static json_t *load_both(struct ctx *c)
{
	struct db_stmt *st = db_query(
		c->db, db_engine(c->db) == DB_SQLITE ? verify_sqlite : verify_postgres, "");
	json_t *both = json_object();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char name[256];
		snprintf(name, sizeof name, "%s\x1f%s\x1f%lld", db_col_text(st, 1),
			 db_col_text(st, 2) ? db_col_text(st, 2) : "", (long long)db_col_int(st, 3));
		json_t *pair = json_object_get(both, name);
		if (!pair) {
			pair = json_pack("[i, i, s, s, I]", 0, 0, db_col_text(st, 1),
					 db_col_text(st, 2) ? db_col_text(st, 2) : "",
					 (json_int_t)db_col_int(st, 3));
			json_object_set_new(both, name, pair);
		}
		json_array_set_new(pair, (size_t)db_col_int(st, 0), json_integer(db_col_int(st, 4)));
	}
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(both);
		ctx_db_error(c);
		return NULL;
	}
	return both;
}

json_t *org_stats_verify_json(struct ctx *c)
{
	if (policy_check(c, ACT_SYSTEM, NULL) != 0)
		return NULL;
	json_t *both = load_both(c);
	if (!both)
		return NULL;
	json_t *differences = json_array();
	const char *name;
	json_t *pair;
	json_object_foreach(both, name, pair) {
		json_int_t expected = json_integer_value(json_array_get(pair, 0));
		json_int_t counted = json_integer_value(json_array_get(pair, 1));
		if (expected == counted)
			continue;
		json_array_append_new(
			differences,
			json_pack("{s:O, s:O, s:O, s:I, s:I}", "dimension", json_array_get(pair, 2),
				  "key", json_array_get(pair, 3), "archived", json_array_get(pair, 4),
				  "expected", expected, "counted", counted));
	}
	json_t *body = json_pack("{s:b, s:I, s:o}", "consistent", json_array_size(differences) == 0,
				 "checked", (json_int_t)json_object_size(both), "differences",
				 differences);
	json_decref(both);
	return body;
}

int org_stats_verify(struct ctx *c, int *ok)
{
	json_t *result = org_stats_verify_json(c);
	if (!result)
		return -1;
	*ok = json_is_true(json_object_get(result, "consistent"));
	json_decref(result);
	return 0;
}

static int repair_step(struct ctx *c, void *arg)
{
	json_t **result = arg;
	json_t *found = org_stats_verify_json(c);
	if (!found)
		return -1;
	json_t *differences = json_object_get(found, "differences");
	int rc = 0;
	if (json_array_size(differences) > 0) {
		if (db_run(c->db, "DELETE FROM org_counter", "") < 0 ||
		    db_run(c->db, db_engine(c->db) == DB_SQLITE ? repair_sqlite : repair_postgres,
			   "") < 0)
			rc = ctx_db_error(c);
		json_t *after = json_pack("{s:O}", "differences", differences);
		if (rc == 0)
			rc = audit_append(c, "stats.repair", "org_counter", 0, NULL, after);
		json_decref(after);
	}
	if (rc == 0)
		json_object_set_new(found, "repaired", json_boolean(json_array_size(differences) > 0));
	if (rc != 0)
		json_decref(found);
	else
		*result = found;
	return rc;
}

json_t *org_stats_repair_json(struct ctx *c)
{
	json_t *result = NULL;
	return ctx_tx(c, repair_step, &result) == 0 ? result : NULL;
}
