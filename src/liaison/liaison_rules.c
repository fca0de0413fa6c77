/*
 * Contact-frequency rules and the due date they give each organization.
 *
 * Why the due date is stored: the overdue list must be one index walk (due_on < today) even
 * with 100,000 organizations, so every change that moves it (a contact, a rule, the key
 * flag, an assignment) recomputes it in its own transaction.
 */
#include <string.h>
#include "core/json_rows.h"
#include "audit/audit.h"
#include "core/validate.h"
#include "liaison/liaison.h"
#include "registry/org.h"

enum { RULES_MAX = 200 };

struct rule {
	int64_t id, interval_days;
	const char *name, *org_type, *min_grade;
	int key_only;
};

static const char *const rule_fields[] = {"name",     "org_type",      "min_grade",
                                          "key_only", "interval_days", NULL};

int liaison_rule_from_json(struct ctx *c, json_t *obj, struct liaison_rule_input *in)
{
	memset(in, 0, sizeof *in);
	v_no_unknown_fields(c, obj, rule_fields);
	v_string(c, obj, "name", V_REQUIRED, 60, &in->name);
	v_choice(c, obj, "org_type", V_OPTIONAL, org_type_codes, &in->org_type);
	v_choice(c, obj, "min_grade", V_OPTIONAL, org_grade_codes, &in->min_grade);
	v_bool(c, obj, "key_only", V_OPTIONAL, &in->key_only);
	v_int(c, obj, "interval_days", V_REQUIRED, 1, 730, &in->interval_days, NULL);
	return error_check(&c->err);
}

/* "5A" -> 5 ... "1A" -> 1; none -> 0 */
static int grade_rank(const char *g)
{
	return g && g[0] >= '1' && g[0] <= '5' && g[1] == 'A' ? g[0] - '0' : 0;
}

static int specificity(const struct rule *r)
{
	return (r->key_only ? 4 : 0) + (r->min_grade ? 2 : 0) + (r->org_type ? 1 : 0);
}

static int rules_load(struct ctx *c, struct rule *out, int *n)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT id, name, org_type, min_grade, key_only, interval_days "
	             "FROM liaison_rule ORDER BY id",
	             "");
	int rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW && *n < RULES_MAX) {
		struct rule *r = &out[(*n)++];
		r->id = db_col_int(st, 0);
		r->name = arena_strdup(c->arena, db_col_text(st, 1));
		r->org_type =
		    db_col_isnull(st, 2) ? NULL : arena_strdup(c->arena, db_col_text(st, 2));
		r->min_grade =
		    db_col_isnull(st, 3) ? NULL : arena_strdup(c->arena, db_col_text(st, 3));
		r->key_only = (int)db_col_int(st, 4);
		r->interval_days = db_col_int(st, 5);
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

/* The rule that governs an organization, or NULL (then the shipped 90-day default). */
static const struct rule *rule_match(const struct rule *rules, int n, const char *type,
                                     const char *grade, int is_key)
{
	const struct rule *best = NULL;
	for (int i = 0; i < n; i++) {
		const struct rule *r = &rules[i];
		if ((r->key_only && !is_key) || (r->org_type && strcmp(r->org_type, type) != 0) ||
		    (r->min_grade && grade_rank(grade) < grade_rank(r->min_grade)))
			continue;
		if (!best || specificity(r) > specificity(best) ||
		    (specificity(r) == specificity(best) && r->interval_days < best->interval_days))
			best = r;
	}
	return best;
}

static int refresh_with(struct ctx *c, const struct rule *rules, int n, int64_t org_id,
                        const char *since_on)
{
	char today[11], due[11];
	liaison_today(c, today);
	struct db_stmt *st = db_query(c->db,
	                              "SELECT o.type, o.current_grade, o.street_code, lo.is_key, "
	                              "lo.since_on, lo.last_contact_on FROM org o LEFT JOIN "
	                              "liaison_org lo ON lo.org_id = o.id WHERE o.id = $1",
	                              "l", org_id);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_ERROR ? ctx_db_error(c)
		                      : error_set(&c->err, E_NOT_FOUND, "liaison.org_not_found");
	}
	const char *type = arena_strdup(c->arena, db_col_text(st, 0));
	const char *grade =
	    db_col_isnull(st, 1) ? NULL : arena_strdup(c->arena, db_col_text(st, 1));
	const char *street = arena_strdup(c->arena, db_col_text(st, 2));
	int exists = !db_col_isnull(st, 4);
	int is_key = exists ? (int)db_col_int(st, 3) : 0;
	const char *since = exists ? arena_strdup(c->arena, db_col_text(st, 4))
	                           : (since_on ? since_on : arena_strdup(c->arena, today));
	const char *last = db_col_isnull(st, 5) ? NULL : arena_strdup(c->arena, db_col_text(st, 5));
	db_done(st);
	const struct rule *r = rule_match(rules, n, type, grade, is_key);
	int64_t interval = r ? r->interval_days : 90;
	liaison_date_add(last ? last : since, interval, due);
	int64_t changed =
	    exists ? db_run(c->db,
	                    "UPDATE liaison_org SET rule_id = $1, interval_days = $2, due_on = $3, "
	                    "street_code = $4, updated_at = $5 WHERE org_id = $6",
	                    "llssll", r ? r->id : 0, interval, due, street, c->now, org_id)
	           : db_run(c->db,
	                    "INSERT INTO liaison_org (org_id, street_code, is_key, rule_id, "
	                    "interval_days, since_on, due_on, updated_at) VALUES ($1, $2, 0, $3, "
	                    "$4, $5, $6, $7)",
	                    "lsllssl", org_id, street, r ? r->id : 0, interval, since, due, c->now);
	return changed < 0 ? ctx_db_error(c) : 0;
}

int liaison_org_refresh_in_tx(struct ctx *c, int64_t org_id, const char *since_on)
{
	struct rule *rules = arena_alloc(c->arena, sizeof(struct rule) * RULES_MAX);
	int n;
	if (rules_load(c, rules, &n) != 0)
		return -1;
	return refresh_with(c, rules, n, org_id, since_on);
}

int liaison_org_changed_in_tx(struct ctx *c, int64_t org_id)
{
	int under = db_exists(c->db, "SELECT 1 FROM liaison_org WHERE org_id = $1", "l", org_id);
	if (under < 0)
		return ctx_db_error(c);
	return under ? liaison_org_refresh_in_tx(c, org_id, NULL) : 0;
}

/* Recomputes the organizations listed by `sql` (one column: org_id, no parameters; static
 * text). Returns how many, or -1. The ids are read first: no statement stays open while the
 * rows it walks are updated. */
static int refresh_listed(struct ctx *c, const char *sql)
{
	struct rule *rules = arena_alloc(c->arena, sizeof(struct rule) * RULES_MAX);
	int n;
	if (rules_load(c, rules, &n) != 0)
		return -1;
	int64_t count = db_int(c->db, 0, "SELECT COUNT(*) FROM liaison_org", "");
	int64_t *ids = arena_alloc(c->arena, sizeof(int64_t) * (size_t)(count + 1));
	int64_t k = 0;
	struct db_stmt *st = db_query(c->db, sql, "");
	int rc;
	while ((rc = db_step(st)) == DB_ROW && k < count)
		ids[k++] = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	for (int64_t i = 0; i < k; i++)
		if (refresh_with(c, rules, n, ids[i], NULL) != 0)
			return -1;
	return (int)k;
}

/* After a rule change: every organization under the regime gets its due date again. */
static int refresh_all(struct ctx *c)
{
	return refresh_listed(c, "SELECT org_id FROM liaison_org ORDER BY org_id") < 0 ? -1 : 0;
}

int liaison_refresh_changed_in_tx(struct ctx *c)
{
	return refresh_listed(c,
	                      "SELECT lo.org_id FROM liaison_org lo JOIN org o ON o.id = "
	                      "lo.org_id WHERE o.updated_at >= lo.updated_at ORDER BY lo.org_id");
}

static json_t *rule_json(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s?, s:s?, s:b, s:I, s:I}", "id",
	                 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "org_type",
	                 db_col_text(st, 2), "min_grade", db_col_text(st, 3), "key_only",
	                 (int)db_col_int(st, 4), "interval_days", (json_int_t)db_col_int(st, 5),
	                 "organizations", (json_int_t)db_col_int(st, 6));
}

#define RULE_SELECT                                                                                \
	"SELECT r.id, r.name, r.org_type, r.min_grade, r.key_only, r.interval_days, "              \
	"(SELECT COUNT(*) FROM liaison_org lo WHERE lo.rule_id = r.id) FROM liaison_rule r "

json_t *liaison_rules_json(struct ctx *c)
{
	if (policy_check(c, ACT_LIAISON_READ, NULL) != 0)
		return NULL;
	json_t *items = json_rows(
	    c, db_query(c->db, RULE_SELECT "ORDER BY r.interval_days, r.id", ""), rule_json);
	if (!items)
		return NULL;
	return json_pack("{s:o, s:I}", "items", items, "default_interval_days", (json_int_t)90);
}

json_t *liaison_rule_get_json(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_LIAISON_READ, NULL) != 0)
		return NULL;
	struct db_stmt *st = db_query(c->db, RULE_SELECT "WHERE r.id = $1", "l", id);
	int rc = db_step(st);
	json_t *out = rc == DB_ROW ? rule_json(st) : NULL;
	db_done(st);
	if (rc == DB_ERROR)
		ctx_db_error(c);
	else if (!out)
		error_set(&c->err, E_NOT_FOUND, "liaison.rule_not_found");
	return out;
}

static json_t *input_json(const struct liaison_rule_input *in)
{
	return json_pack("{s:s, s:s?, s:s?, s:b, s:I}", "name", in->name, "org_type", in->org_type,
	                 "min_grade", in->min_grade, "key_only", in->key_only, "interval_days",
	                 (json_int_t)in->interval_days);
}

/* Another rule with the same conditions would make the choice arbitrary. */
static int same_conditions_exist(struct ctx *c, const struct liaison_rule_input *in, int64_t id)
{
	int e = db_exists(c->db,
	                  "SELECT 1 FROM liaison_rule WHERE id <> $1 AND "
	                  "COALESCE(org_type, '') = $2 AND COALESCE(min_grade, '') = $3 AND "
	                  "key_only = $4",
	                  "lssi", id, in->org_type ? in->org_type : "",
	                  in->min_grade ? in->min_grade : "", in->key_only);
	if (e < 0)
		return ctx_db_error(c);
	if (e) {
		error_set(&c->err, E_DUPLICATE, "liaison.rule_duplicate");
		error_field(&c->err, "org_type", "liaison.rule_duplicate", 0);
		return -1;
	}
	return 0;
}

struct rule_write {
	int64_t id;
	const struct liaison_rule_input *in;
	int64_t *out_id;
};

static int rule_create_step(struct ctx *c, void *arg)
{
	struct rule_write *w = arg;
	if (same_conditions_exist(c, w->in, 0) != 0)
		return -1;
	struct db_stmt *st =
	    db_query(c->db,
	             "INSERT INTO liaison_rule (name, org_type, min_grade, key_only, "
	             "interval_days, created_at, updated_at) VALUES ($1, $2, $3, $4, "
	             "$5, $6, $6) RETURNING id",
	             "sssill", w->in->name, w->in->org_type, w->in->min_grade, w->in->key_only,
	             w->in->interval_days, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*w->out_id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	json_t *after = input_json(w->in);
	rc = audit_append(c, "liaison.rule_create", "liaison_rule", *w->out_id, NULL, after);
	json_decref(after);
	return rc == 0 ? refresh_all(c) : -1;
}

int liaison_rule_create(struct ctx *c, const struct liaison_rule_input *in, int64_t *id)
{
	if (policy_check(c, ACT_LIAISON_RULES, NULL) != 0)
		return -1;
	struct rule_write w = {0, in, id};
	return ctx_tx(c, rule_create_step, &w);
}

/* The stored rule as an input-shaped object (for the audit diff); NULL when missing. */
static json_t *rule_stored(struct ctx *c, int64_t id)
{
	struct db_stmt *st = db_query(c->db,
	                              "SELECT name, org_type, min_grade, key_only, interval_days "
	                              "FROM liaison_rule WHERE id = $1",
	                              "l", id);
	int rc = db_step(st);
	json_t *out = NULL;
	if (rc == DB_ROW) {
		struct liaison_rule_input in = {db_col_text(st, 0), db_col_text(st, 1),
		                                db_col_text(st, 2), (int)db_col_int(st, 3),
		                                db_col_int(st, 4)};
		out = input_json(&in);
	}
	db_done(st);
	if (rc == DB_ERROR)
		ctx_db_error(c);
	else if (!out)
		error_set(&c->err, E_NOT_FOUND, "liaison.rule_not_found");
	return out;
}

static int rule_update_step(struct ctx *c, void *arg)
{
	struct rule_write *w = arg;
	json_t *old = rule_stored(c, w->id);
	if (!old)
		return -1;
	if (same_conditions_exist(c, w->in, w->id) != 0) {
		json_decref(old);
		return -1;
	}
	int default_rule = json_is_null(json_object_get(old, "org_type")) &&
	                   json_is_null(json_object_get(old, "min_grade")) &&
	                   json_is_false(json_object_get(old, "key_only"));
	if (default_rule && (w->in->org_type || w->in->min_grade || w->in->key_only)) {
		json_decref(old);
		return error_set(&c->err, E_CONFLICT, "liaison.rule_default_kept");
	}
	json_t *new = input_json(w->in), *before, *after;
	audit_diff(old, new, &before, &after);
	int rc = db_run(c->db,
	                "UPDATE liaison_rule SET name = $1, org_type = $2, min_grade = $3, "
	                "key_only = $4, interval_days = $5, updated_at = $6 WHERE id = $7",
	                "sssilll", w->in->name, w->in->org_type, w->in->min_grade, w->in->key_only,
	                w->in->interval_days, c->now, w->id) < 0
	             ? ctx_db_error(c)
	             : audit_append(c, "liaison.rule_update", "liaison_rule", w->id, before, after);
	json_decref(old);
	json_decref(new);
	json_decref(before);
	json_decref(after);
	return rc == 0 ? refresh_all(c) : -1;
}

int liaison_rule_update(struct ctx *c, int64_t id, const struct liaison_rule_input *in)
{
	if (policy_check(c, ACT_LIAISON_RULES, NULL) != 0)
		return -1;
	struct rule_write w = {id, in, NULL};
	return ctx_tx(c, rule_update_step, &w);
}

static int rule_delete_step(struct ctx *c, void *arg)
{
	int64_t id = *(int64_t *)arg;
	json_t *old = rule_stored(c, id);
	if (!old)
		return -1;
	int rc;
	if (json_is_null(json_object_get(old, "org_type")) &&
	    json_is_null(json_object_get(old, "min_grade")) &&
	    json_is_false(json_object_get(old, "key_only")))
		rc = error_set(&c->err, E_CONFLICT, "liaison.rule_default_kept");
	else if (db_run(c->db, "DELETE FROM liaison_rule WHERE id = $1", "l", id) < 0)
		rc = ctx_db_error(c);
	else
		rc = audit_append(c, "liaison.rule_delete", "liaison_rule", id, old, NULL);
	json_decref(old);
	return rc == 0 ? refresh_all(c) : -1;
}

int liaison_rule_delete(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_LIAISON_RULES, NULL) != 0)
		return -1;
	return ctx_tx(c, rule_delete_step, &id);
}
