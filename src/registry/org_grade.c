/*
 * Evaluation grades (社会组织评估等级): the history of an organization's grades and the
 * denormalized org.current_grade used for filtering and sorting.
 *
 * DOMAIN.md: a grade is valid from 1 January of the year after its announcement to
 * 31 December of the fifth year; the history is kept, never overwritten.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "liaison/liaison.h"
#include "registry/org.h"
#include "registry/org_internal.h"
#include "registry/org_stats.h"

int org_grade_default_validity(const char *announced_on, char from[11], char to[11])
{
	if (!announced_on || !v_is_date(announced_on))
		return -1;
	int year = atoi(announced_on);
	snprintf(from, 11, "%04d-01-01", year + 1);
	snprintf(to, 11, "%04d-12-31", year + 5);
	return 0;
}

static const char *const grade_fields[] = {"grade", "announced_on", "valid_from", "valid_to",
					   "note", NULL};

int org_grade_input_from_json(struct ctx *c, json_t *obj, struct org_grade_input *in)
{
	memset(in, 0, sizeof *in);
	v_no_unknown_fields(c, obj, grade_fields);
	v_choice(c, obj, "grade", V_REQUIRED, org_grade_codes, &in->grade);
	v_date(c, obj, "announced_on", V_REQUIRED, &in->announced_on);
	v_date(c, obj, "valid_from", V_OPTIONAL, &in->valid_from);
	v_date(c, obj, "valid_to", V_OPTIONAL, &in->valid_to);
	v_string(c, obj, "note", V_OPTIONAL, 500, &in->note);
	if (error_check(&c->err) != 0)
		return -1;
	char from[11], to[11];
	org_grade_default_validity(in->announced_on, from, to);
	if (!in->valid_from)
		in->valid_from = arena_strdup(c->arena, from);
	if (!in->valid_to)
		in->valid_to = arena_strdup(c->arena, to);
	if (strcmp(in->valid_to, in->valid_from) < 0)
		error_field(&c->err, "valid_to", "registry.grade_ends_before_start", 0);
	return error_check(&c->err);
}

/* current_grade = the most recently announced grade whose validity covers today (NULL if
 * none): a grade announced for a later period does not count before its valid_from, however
 * recent its announcement. Recomputed on every grade change, and by the periodic task
 * org_grade_lapse_task when a grade's validity begins or ends. */
static int refresh_current_grade(struct ctx *c, int64_t org_id)
{
	char today[11];
	org_today(c, today);
	struct db_stmt *st = db_query(c->db,
				      "SELECT grade FROM org_grade WHERE org_id = $1 AND valid_from <= $2 "
				      "AND valid_to >= $2 ORDER BY announced_on DESC, id DESC LIMIT 1",
				      "ls", org_id, today);
	int rc = db_step(st);
	char grade[4] = "";
	if (rc == DB_ROW)
		snprintf(grade, sizeof grade, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (db_run(c->db,
		   "UPDATE org SET current_grade = $1, updated_at = $2, version = version + 1 "
		   "WHERE id = $3",
		   "sll", grade[0] ? grade : NULL, c->now, org_id) < 0)
		return ctx_db_error(c);
	return liaison_org_changed_in_tx(c, org_id); /* the grade moves the contact rule */
}

int org_grade_add_in_tx(struct ctx *c, int64_t org_id, const struct org_grade_input *in,
			int64_t *grade_id)
{
	const char *street = org_street_of(c, org_id);
	if (!street)
		return -1;
	struct policy_object obj = {org_id, street};
	struct org_facts counted;
	if (policy_check(c, ACT_ORG_GRADE, &obj) != 0 || org_facts_load(c, org_id, &counted) != 0)
		return -1;
	struct db_stmt *st = db_query(c->db,
				      "INSERT INTO org_grade (org_id, grade, announced_on, valid_from, "
				      "valid_to, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
				      "RETURNING id",
				      "lsssssl", org_id, in->grade, in->announced_on, in->valid_from,
				      in->valid_to, in->note, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*grade_id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	if (refresh_current_grade(c, org_id) != 0 || org_reindex_in_tx(c, org_id) != 0)
		return -1;
	json_t *after = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?}", "grade_id",
				  (json_int_t)*grade_id, "grade", in->grade, "announced_on",
				  in->announced_on, "valid_from", in->valid_from, "valid_to",
				  in->valid_to, "note", in->note);
	rc = audit_append(c, "org.grade", "org", org_id, NULL, after);
	json_decref(after);
	return rc == 0 ? org_stats_reload_in_tx(c, org_id, &counted) : rc;
}

/* Organizations whose stored current grade is not the one that counts today: a grade that
 * lapsed, or one whose period began since it was announced (adding a grade refreshes at once,
 * so only the calendar makes these). The first condition keeps the scan to organizations with
 * a grade; the second compares with the rule of refresh_current_grade. Reads every graded
 * organization once per run: a few hundred milliseconds at 100,000. */
static const char sql_stale[] =
	"SELECT o.id FROM org o WHERE (o.current_grade IS NOT NULL OR EXISTS ("
	"SELECT 1 FROM org_grade g WHERE g.org_id = o.id AND g.valid_from <= $1 "
	"AND g.valid_to >= $1)) AND COALESCE(o.current_grade, '') <> COALESCE(("
	"SELECT g.grade FROM org_grade g WHERE g.org_id = o.id AND g.valid_from <= $1 "
	"AND g.valid_to >= $1 ORDER BY g.announced_on DESC, g.id DESC LIMIT 1), '') "
	"ORDER BY o.id LIMIT 200";

static int lapse_one_in_tx(struct ctx *c, int64_t org_id)
{
	struct org_facts counted;
	if (org_facts_load(c, org_id, &counted) != 0)
		return -1;
	const char *street = org_street_of(c, org_id);
	struct policy_object obj = {org_id, street};
	if (!street || policy_check(c, ACT_ORG_GRADE, &obj) != 0)
		return -1;
	/* "lapsed" when the grade that counted has ended (the next valid one, or none, follows);
	 * "started" when it still holds but a grade whose period began today takes over */
	char today[11];
	org_today(c, today);
	int holds = 0;
	if (counted.grade && *counted.grade)
		holds = db_exists(c->db,
				  "SELECT 1 FROM org_grade WHERE org_id = $1 AND grade = $2 "
				  "AND valid_from <= $3 AND valid_to >= $3",
				  "lss", org_id, counted.grade, today);
	if (holds < 0)
		return ctx_db_error(c);
	int ended = counted.grade && *counted.grade && !holds;
	json_t *before = json_pack("{s:s?}", "current_grade", counted.grade);
	int rc = refresh_current_grade(c, org_id);
	if (rc == 0)
		rc = org_reindex_in_tx(c, org_id);
	if (rc == 0)
		rc = org_stats_reload_in_tx(c, org_id, &counted);
	if (rc == 0) {
		struct org_facts now;
		rc = org_facts_load(c, org_id, &now);
		json_t *after = json_pack("{s:s?}", "current_grade", rc == 0 ? now.grade : NULL);
		if (rc == 0)
			rc = audit_append(c, ended ? "org.grade_lapsed" : "org.grade_started",
					  "org", org_id, before, after);
		json_decref(after);
	}
	json_decref(before);
	return rc;
}

static int lapse_batch(struct ctx *c, void *arg)
{
	int *changed = arg;
	char today[11];
	org_today(c, today);
	int64_t ids[200];
	int n = 0, rc;
	struct db_stmt *st = db_prepare(c->db, sql_stale);
	db_bind_text(st, 1, today);
	while ((rc = db_step(st)) == DB_ROW && n < 200)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	for (int i = 0; i < n; i++)
		if (lapse_one_in_tx(c, ids[i]) != 0)
			return -1;
	*changed = n;
	return 0;
}

int org_grade_lapse_task(struct ctx *c)
{
	int total = 0;
	for (;;) {
		int changed = 0;
		if (ctx_tx(c, lapse_batch, &changed) != 0)
			return -1;
		total += changed;
		if (changed < 200)
			return total;
	}
}

struct grade_args {
	int64_t org_id;
	const struct org_grade_input *in;
	int64_t *grade_id;
};
static int grade_step(struct ctx *c, void *arg)
{
	struct grade_args *a = arg;
	return org_grade_add_in_tx(c, a->org_id, a->in, a->grade_id);
}

int org_grade_add(struct ctx *c, int64_t org_id, const struct org_grade_input *in,
		  int64_t *grade_id)
{
	struct grade_args a = {org_id, in, grade_id};
	return ctx_tx(c, grade_step, &a);
}

json_t *org_grades_json(struct ctx *c, int64_t org_id)
{
	const char *street = org_street_of(c, org_id);
	if (!street)
		return NULL;
	struct policy_object obj = {org_id, street};
	if (policy_check(c, ACT_ORG_READ, &obj) != 0)
		return NULL;
	struct db_stmt *st = db_query(c->db,
				      "SELECT id, grade, announced_on, valid_from, valid_to, note, "
				      "created_at FROM org_grade WHERE org_id = $1 "
				      "ORDER BY announced_on DESC, id DESC",
				      "l", org_id);
	json_t *items = json_array();
	char today[11];
	org_today(c, today);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		/* where today falls in the grade's validity: an announced grade may not count yet */
		const char *from = db_col_text(st, 3), *to = db_col_text(st, 4);
		const char *period = strcmp(today, from) < 0 ? "upcoming"
				     : strcmp(today, to) > 0 ? "ended"
							     : "valid";
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:I}", "id",
					 (json_int_t)db_col_int(st, 0), "grade", db_col_text(st, 1),
					 "announced_on", db_col_text(st, 2), "valid_from", from,
					 "valid_to", to, "period", period, "note", db_col_text(st, 5),
					 "created_at", (json_int_t)db_col_int(st, 6)));
	}
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o}", "items", items);
}
