/*
 * Officer assignments, the organization's liaison summary and officers' workloads.
 */
#include <string.h>
#include "core/json_rows.h"
#include "audit/audit.h"
#include "core/validate.h"
#include "liaison/liaison.h"
#include "notify/notify.h"

static const char *const assign_fields[] = {"user_id", "role", "start_on", "end_on", NULL};

int liaison_assign_from_json(struct ctx *c, json_t *obj, struct liaison_assign_input *in)
{
	memset(in, 0, sizeof *in);
	v_no_unknown_fields(c, obj, assign_fields);
	v_int(c, obj, "user_id", V_REQUIRED, 1, INT64_MAX, &in->user_id, NULL);
	v_choice(c, obj, "role", V_REQUIRED, liaison_role_codes, &in->role);
	v_date(c, obj, "start_on", V_OPTIONAL, &in->start_on);
	v_date(c, obj, "end_on", V_OPTIONAL, &in->end_on);
	if (error_check(&c->err) != 0)
		return -1;
	if (in->start_on && in->end_on && strcmp(in->end_on, in->start_on) < 0)
		error_field(&c->err, "end_on", "liaison.ends_before_start", 0);
	return error_check(&c->err);
}

/* The officer's display name, or NULL when the user is not an active liaison or staff. */
static const char *officer_name(struct ctx *c, int64_t user_id)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT u.display_name FROM app_user u WHERE u.id = $1 AND "
	             "u.status = 'active' AND EXISTS (SELECT 1 FROM user_role ur "
	             "WHERE ur.user_id = u.id AND ur.role IN ('liaison', 'staff'))",
	             "l", user_id);
	const char *name =
	    db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
	db_done(st);
	return name;
}

static const char *org_name(struct ctx *c, int64_t org_id)
{
	struct db_stmt *st = db_query(c->db, "SELECT name FROM org WHERE id = $1", "l", org_id);
	const char *name = db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : "";
	db_done(st);
	return name;
}

int liaison_assign_in_tx(struct ctx *c, int64_t org_id, const struct liaison_assign_input *in,
                         int64_t *id)
{
	struct policy_object obj;
	if (liaison_org_object(c, org_id, &obj) != 0 || policy_check(c, ACT_LIAISON_ASSIGN, &obj))
		return -1;
	const char *name = officer_name(c, in->user_id);
	if (!name) {
		error_field(&c->err, "user_id", "liaison.not_officer", 0);
		return error_check(&c->err);
	}
	char today[11];
	liaison_today(c, today);
	const char *start = in->start_on ? in->start_on : today;
	if (db_exists(c->db,
	              "SELECT 1 FROM liaison_assignment WHERE org_id = $1 AND user_id = $2 AND "
	              "(end_on IS NULL OR end_on >= $3)",
	              "lls", org_id, in->user_id, today) == 1)
		return error_set(&c->err, E_DUPLICATE, "liaison.already_assigned");
	if (strcmp(in->role, "primary") == 0 &&
	    db_exists(c->db,
	              "SELECT 1 FROM liaison_assignment WHERE org_id = $1 AND role = 'primary' AND "
	              "(end_on IS NULL OR end_on >= $2)",
	              "ls", org_id, today) == 1)
		return error_set(&c->err, E_CONFLICT, "liaison.primary_taken");
	struct db_stmt *st = db_query(
	    c->db,
	    "INSERT INTO liaison_assignment (org_id, user_id, role, start_on, "
	    "end_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, "
	    "$7) RETURNING id",
	    "llsssll", org_id, in->user_id, in->role, start, in->end_on, c->now, c->who->user_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	if (liaison_org_refresh_in_tx(c, org_id, start) != 0)
		return -1;
	json_t *after = json_pack("{s:I, s:I, s:s, s:s, s:s?}", "org_id", (json_int_t)org_id,
	                          "user_id", (json_int_t)in->user_id, "role", in->role, "start_on",
	                          start, "end_on", in->end_on);
	rc = audit_append(c, "liaison.assign", "liaison_assignment", *id, NULL, after);
	json_decref(after);
	if (rc != 0)
		return -1;
	json_t *params = json_pack("{s:s, s:s}", "org", org_name(c, org_id), "role",
	                           strcmp(in->role, "primary") == 0 ? "主联络员" : "副联络员");
	struct notice n = {"liaison.assigned", params,
	                   arena_printf(c->arena, "/liaison/orgs/%lld", (long long)org_id), "org",
	                   org_id};
	rc = notify_user(c, in->user_id, &n);
	json_decref(params);
	return rc;
}

struct assign_args {
	int64_t org_id;
	const struct liaison_assign_input *in;
	int64_t *id;
};
static int assign_step(struct ctx *c, void *arg)
{
	struct assign_args *a = arg;
	return liaison_assign_in_tx(c, a->org_id, a->in, a->id);
}

int liaison_assign(struct ctx *c, int64_t org_id, const struct liaison_assign_input *in,
                   int64_t *id)
{
	struct assign_args a = {org_id, in, id};
	return ctx_tx(c, assign_step, &a);
}

static int end_step(struct ctx *c, void *arg)
{
	int64_t id = *(int64_t *)arg;
	char today[11];
	liaison_today(c, today);
	struct db_stmt *st =
	    db_query(c->db, "SELECT org_id, end_on FROM liaison_assignment WHERE id = $1", "l", id);
	int rc = db_step(st);
	int64_t org_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	int ended = rc == DB_ROW && !db_col_isnull(st, 1) && strcmp(db_col_text(st, 1), today) < 0;
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (!org_id)
		return error_set(&c->err, E_NOT_FOUND, "liaison.assignment_not_found");
	struct policy_object obj;
	if (liaison_org_object(c, org_id, &obj) != 0 || policy_check(c, ACT_LIAISON_ASSIGN, &obj))
		return -1;
	if (ended)
		return error_set(&c->err, E_CONFLICT, "liaison.assignment_ended");
	/* ended yesterday: from today the officer no longer looks after the organization */
	char yesterday[11];
	liaison_date_add(today, -1, yesterday);
	if (db_run(c->db, "UPDATE liaison_assignment SET end_on = $1 WHERE id = $2", "sl",
	           yesterday, id) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:s}", "end_on", yesterday);
	rc = audit_append(c, "liaison.assignment_end", "liaison_assignment", id, NULL, after);
	json_decref(after);
	return rc;
}

int liaison_assignment_end(struct ctx *c, int64_t id)
{
	return ctx_tx(c, end_step, &id);
}

struct key_args {
	int64_t org_id;
	int is_key;
};
static int key_step(struct ctx *c, void *arg)
{
	struct key_args *a = arg;
	struct policy_object obj;
	if (liaison_org_object(c, a->org_id, &obj) != 0 ||
	    policy_check(c, ACT_LIAISON_ASSIGN, &obj) != 0 ||
	    liaison_org_refresh_in_tx(c, a->org_id, NULL) != 0)
		return -1;
	if (db_run(c->db, "UPDATE liaison_org SET is_key = $1 WHERE org_id = $2", "il", a->is_key,
	           a->org_id) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:b}", "is_key", a->is_key);
	int rc = audit_append(c, "liaison.org_key", "org", a->org_id, NULL, after);
	json_decref(after);
	return rc == 0 ? liaison_org_refresh_in_tx(c, a->org_id, NULL) : -1;
}

int liaison_org_set_key(struct ctx *c, int64_t org_id, int is_key)
{
	struct key_args a = {org_id, is_key};
	return ctx_tx(c, key_step, &a);
}

/* ---- reading */

static json_t *assignments_json(struct ctx *c, int64_t org_id, const char *today)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT a.id, a.user_id, u.display_name, a.role, a.start_on, "
	             "a.end_on FROM liaison_assignment a JOIN app_user u ON u.id = "
	             "a.user_id WHERE a.org_id = $1 ORDER BY a.start_on DESC, a.id DESC",
	             "l", org_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		const char *end = db_col_text(st, 5);
		json_array_append_new(items,
		                      json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:b}", "id",
		                                (json_int_t)db_col_int(st, 0), "user_id",
		                                (json_int_t)db_col_int(st, 1), "display_name",
		                                db_col_text(st, 2), "role", db_col_text(st, 3),
		                                "start_on", db_col_text(st, 4), "end_on", end,
		                                "active", !end || strcmp(end, today) >= 0));
	}
	db_done(st);
	return items;
}

/* Follow-ups of one organization (org_id > 0) or owned by one user (owner_id > 0). */
static json_t *open_followups_json(struct ctx *c, int64_t org_id, int64_t owner_id,
                                   const char *today)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT f.id, f.org_id, o.name, f.description, f.due_on, "
	             "f.owner_id, u.display_name, f.contact_id FROM liaison_followup f "
	             "JOIN org o ON o.id = f.org_id JOIN app_user u ON u.id = "
	             "f.owner_id WHERE f.status = 'open' AND (f.org_id = $1 OR "
	             "f.owner_id = $2) ORDER BY f.due_on, f.id LIMIT 200",
	             "ll", org_id, owner_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:b}", "id",
		              (json_int_t)db_col_int(st, 0), "org_id",
		              (json_int_t)db_col_int(st, 1), "org_name", db_col_text(st, 2),
		              "description", db_col_text(st, 3), "due_on", db_col_text(st, 4),
		              "owner_id", (json_int_t)db_col_int(st, 5), "owner_name",
		              db_col_text(st, 6), "contact_id", (json_int_t)db_col_int(st, 7),
		              "overdue", strcmp(db_col_text(st, 4), today) < 0));
	db_done(st);
	return items;
}

json_t *liaison_org_json(struct ctx *c, int64_t org_id)
{
	struct policy_object obj;
	if (liaison_org_object(c, org_id, &obj) != 0 || policy_check(c, ACT_LIAISON_READ, &obj))
		return NULL;
	char today[11];
	liaison_today(c, today);
	struct db_stmt *st = db_query(
	    c->db,
	    "SELECT o.name, o.type, o.current_grade, o.street_code, lo.is_key, lo.interval_days, "
	    "lo.since_on, lo.last_contact_on, lo.due_on, r.id, r.name FROM org o LEFT JOIN "
	    "liaison_org lo ON lo.org_id = o.id LEFT JOIN liaison_rule r ON r.id = lo.rule_id "
	    "WHERE o.id = $1",
	    "l", org_id);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		ctx_db_error(c);
		return NULL;
	}
	int under = !db_col_isnull(st, 5);
	const char *due = db_col_text(st, 8);
	json_t *out = json_pack(
	    "{s:I, s:s, s:s, s:s?, s:s, s:b, s:b, s:o, s:s?, s:s?, s:s?, s:b, s:b}", "org_id",
	    (json_int_t)org_id, "org_name", db_col_text(st, 0), "org_type", db_col_text(st, 1),
	    "grade", db_col_text(st, 2), "street_code", db_col_text(st, 3), "under_liaison", under,
	    "is_key", under && db_col_int(st, 4), "interval_days",
	    under ? json_integer(db_col_int(st, 5)) : json_null(), "since_on", db_col_text(st, 6),
	    "last_contact_on", db_col_text(st, 7), "due_on", due, "overdue",
	    due && strcmp(due, today) < 0, "may_write",
	    policy_allows(c->who, ACT_LIAISON_CONTACT, &obj));
	if (!db_col_isnull(st, 9))
		json_object_set_new(out, "rule",
		                    json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 9),
		                              "name", db_col_text(st, 10)));
	db_done(st);
	json_object_set_new(out, "may_assign",
	                    json_boolean(policy_allows(c->who, ACT_LIAISON_ASSIGN, &obj)));
	json_object_set_new(out, "officers", assignments_json(c, org_id, today));
	json_object_set_new(out, "open_followups", open_followups_json(c, org_id, 0, today));
	return out;
}

static json_t *candidate_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
	                 "username", db_col_text(st, 1), "display_name", db_col_text(st, 2),
	                 "jurisdiction", db_col_text(st, 3), "role", db_col_text(st, 4));
}

static json_t *officer_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)db_col_int(st, 0),
	                 "display_name", db_col_text(st, 1), "jurisdiction", db_col_text(st, 2));
}

json_t *liaison_candidates_json(struct ctx *c)
{
	/* who may be assigned is no secret to anyone who reads liaison data */
	if (policy_check(c, ACT_LIAISON_READ, NULL) != 0)
		return NULL;
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT u.id, u.username, u.display_name, u.jurisdiction, "
	             "MIN(ur.role) FROM app_user u JOIN user_role ur ON ur.user_id = "
	             "u.id WHERE u.status = 'active' AND ur.role IN ('liaison', "
	             "'staff') GROUP BY u.id, u.username, u.display_name, "
	             "u.jurisdiction ORDER BY MIN(ur.role), u.id",
	             "");
	json_t *items = json_rows(c, st, candidate_row);
	return items ? json_pack("{s:o}", "items", items) : NULL;
}

/* Workload numbers of one officer, added to `out`. */
static void workload_add(struct ctx *c, json_t *out, int64_t user_id, const char *today)
{
	char month[11], quarter[11];
	snprintf(month, sizeof month, "%.8s01", today);
	int m = (today[5] - '0') * 10 + (today[6] - '0');
	snprintf(quarter, sizeof quarter, "%.5s%02d-01", today, (m - 1) / 3 * 3 + 1);
	int64_t orgs = db_int(c->db, 0,
	                      "SELECT COUNT(*) FROM liaison_assignment WHERE user_id = $1 AND "
	                      "(end_on IS NULL OR end_on >= $2)",
	                      "ls", user_id, today);
	int64_t in_month = db_int(c->db, 0,
	                          "SELECT COUNT(*) FROM liaison_contact WHERE officer_id = $1 AND "
	                          "contact_on >= $2",
	                          "ls", user_id, month);
	int64_t in_quarter =
	    db_int(c->db, 0,
	           "SELECT COUNT(*) FROM liaison_contact WHERE officer_id = $1 AND "
	           "contact_on >= $2",
	           "ls", user_id, quarter);
	int64_t overdue_orgs =
	    db_int(c->db, 0,
	           "SELECT COUNT(*) FROM liaison_assignment a JOIN liaison_org lo "
	           "ON lo.org_id = a.org_id WHERE a.user_id = $1 AND (a.end_on IS "
	           "NULL OR a.end_on >= $2) AND lo.due_on < $2",
	           "ls", user_id, today);
	int64_t overdue_followups = db_int(c->db, 0,
	                                   "SELECT COUNT(*) FROM liaison_followup WHERE owner_id = "
	                                   "$1 AND status = 'open' AND due_on < $2",
	                                   "ls", user_id, today);
	json_object_set_new(out, "organizations", json_integer(orgs));
	json_object_set_new(out, "contacts_this_month", json_integer(in_month));
	json_object_set_new(out, "contacts_this_quarter", json_integer(in_quarter));
	json_object_set_new(out, "overdue_organizations", json_integer(overdue_orgs));
	json_object_set_new(out, "overdue_followups", json_integer(overdue_followups));
}

json_t *liaison_officers_json(struct ctx *c)
{
	if (policy_check(c, ACT_LIAISON_READ, NULL) != 0)
		return NULL;
	char today[11];
	liaison_today(c, today);
	const char *j = c->who->jurisdiction;
	/* officers: liaison users, and anyone with an open assignment; a street's staff sees
	 * those of the street (by jurisdiction or by an assignment there) */
	struct db_stmt *st = db_query(
	    c->db,
	    "SELECT u.id, u.display_name, u.jurisdiction FROM app_user u WHERE u.status = "
	    "'active' AND (EXISTS (SELECT 1 FROM user_role ur WHERE ur.user_id = u.id AND "
	    "ur.role = 'liaison') OR EXISTS (SELECT 1 FROM liaison_assignment a WHERE "
	    "a.user_id = u.id AND (a.end_on IS NULL OR a.end_on >= $1))) AND (CAST($2 AS TEXT) "
	    "= '' OR u.jurisdiction = $2 OR EXISTS (SELECT 1 FROM liaison_assignment a JOIN "
	    "org o ON o.id = a.org_id WHERE a.user_id = u.id AND o.street_code = $2 AND "
	    "(a.end_on IS NULL OR a.end_on >= $1))) AND (CAST($3 AS BIGINT) = 0 OR u.id = $4) "
	    "ORDER BY u.id",
	    "ssil", today, j, liaison_officer_only(c), c->who->user_id);
	json_t *items = json_rows(c, st, officer_row);
	if (!items)
		return NULL;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	    workload_add(c, it, json_integer_value(json_object_get(it, "user_id")), today);
	return json_pack("{s:o}", "items", items);
}

static json_t *officer_orgs_json(struct ctx *c, int64_t user_id, const char *today)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT o.id, o.name, o.street_code, a.role, a.start_on, "
	             "lo.last_contact_on, lo.due_on, lo.is_key FROM liaison_assignment "
	             "a JOIN org o ON o.id = a.org_id LEFT JOIN liaison_org lo ON "
	             "lo.org_id = o.id WHERE a.user_id = $1 AND (a.end_on IS NULL OR "
	             "a.end_on >= $2) ORDER BY lo.due_on, o.id LIMIT 500",
	             "ls", user_id, today);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		const char *due = db_col_text(st, 6);
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:b}", "org_id",
		              (json_int_t)db_col_int(st, 0), "org_name", db_col_text(st, 1),
		              "street_code", db_col_text(st, 2), "role", db_col_text(st, 3),
		              "start_on", db_col_text(st, 4), "last_contact_on", db_col_text(st, 5),
		              "due_on", due, "is_key", (int)db_col_int(st, 7), "overdue",
		              due && strcmp(due, today) < 0));
	}
	db_done(st);
	return items;
}

json_t *liaison_officer_json(struct ctx *c, int64_t user_id)
{
	struct db_stmt *st = db_query(
	    c->db, "SELECT display_name, jurisdiction FROM app_user WHERE id = $1", "l", user_id);
	int rc = db_step(st);
	json_t *out = rc == DB_ROW ? json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)user_id,
	                                       "display_name", db_col_text(st, 0), "jurisdiction",
	                                       db_col_text(st, 1))
	                           : NULL;
	db_done(st);
	if (!out) {
		if (rc == DB_ERROR)
			ctx_db_error(c);
		else
			error_set(&c->err, E_NOT_FOUND, "liaison.officer_not_found");
		return NULL;
	}
	const char *j = json_string_value(json_object_get(out, "jurisdiction"));
	struct policy_object obj = {.street_code = j[0] ? j : NULL,
	                            .responsible = user_id == c->who->user_id};
	if (policy_check(c, ACT_LIAISON_READ, &obj) != 0) {
		json_decref(out);
		return NULL;
	}
	char today[11];
	liaison_today(c, today);
	workload_add(c, out, user_id, today);
	json_object_set_new(out, "orgs", officer_orgs_json(c, user_id, today));
	json_object_set_new(out, "open_followups", open_followups_json(c, 0, user_id, today));
	return out;
}
