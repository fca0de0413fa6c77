/*
 * The contact log and its follow-ups.
 */
#include <stdlib.h>
#include <string.h>
#include "core/json_rows.h"
#include "audit/audit.h"
#include "core/validate.h"
#include "liaison/liaison.h"
#include "lib/markdown.h"
#include "notify/notify.h"

static const char *const contact_fields[] = {
    "kind",     "contact_on",      "summary",           "issues",
    "followup", "followup_due_on", "followup_owner_id", NULL};

int liaison_contact_from_json(struct ctx *c, json_t *obj, struct liaison_contact_input *in)
{
	memset(in, 0, sizeof *in);
	v_no_unknown_fields(c, obj, contact_fields);
	v_choice(c, obj, "kind", V_REQUIRED, liaison_kind_codes, &in->kind);
	v_date(c, obj, "contact_on", V_REQUIRED, &in->contact_on);
	v_string(c, obj, "summary", V_REQUIRED, 5000, &in->summary);
	v_string(c, obj, "issues", V_OPTIONAL, 2000, &in->issues);
	v_string(c, obj, "followup", V_OPTIONAL, 500, &in->followup);
	v_date(c, obj, "followup_due_on", V_OPTIONAL, &in->followup_due_on);
	v_int(c, obj, "followup_owner_id", V_OPTIONAL, 1, INT64_MAX, &in->followup_owner_id, NULL);
	if (error_check(&c->err) != 0)
		return -1;
	char today[11];
	liaison_today(c, today);
	if (strcmp(in->contact_on, today) > 0)
		error_field(&c->err, "contact_on", "liaison.date_in_future", 0);
	else if (strcmp(in->contact_on, "2000-01-01") < 0)
		error_field(&c->err, "contact_on", "liaison.date_too_old", 0);
	if (in->followup && !in->followup_due_on)
		error_field(&c->err, "followup_due_on", "field.required", 0);
	if (!in->followup && (in->followup_due_on || in->followup_owner_id))
		error_field(&c->err, "followup", "field.required", 0);
	if (in->followup_due_on && strcmp(in->followup_due_on, in->contact_on) < 0)
		error_field(&c->err, "followup_due_on", "liaison.due_before_contact", 0);
	return error_check(&c->err);
}

static int insert_followup(struct ctx *c, int64_t contact_id, int64_t org_id, const char *street,
                           const struct liaison_contact_input *in)
{
	int64_t owner = in->followup_owner_id ? in->followup_owner_id : c->who->user_id;
	int ok = db_exists(c->db, "SELECT 1 FROM app_user WHERE id = $1 AND status = 'active'", "l",
	                   owner);
	if (ok != 1) {
		error_field(&c->err, "followup_owner_id", "liaison.owner_unknown", 0);
		return error_check(&c->err);
	}
	struct db_stmt *st =
	    db_query(c->db,
	             "INSERT INTO liaison_followup (contact_id, org_id, street_code, "
	             "description, due_on, owner_id, created_at) VALUES ($1, $2, $3, "
	             "$4, $5, $6, $7) RETURNING id",
	             "llsssll", contact_id, org_id, street, in->followup, in->followup_due_on,
	             owner, c->now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (!id)
		return ctx_db_error(c);
	json_t *params = json_pack("{s:s, s:s}", "what", in->followup, "due", in->followup_due_on);
	struct notice n = {"liaison.followup_assigned", params,
	                   arena_printf(c->arena, "/liaison/orgs/%lld", (long long)org_id),
	                   "liaison_followup", id};
	rc = notify_user(c, owner, &n);
	json_decref(params);
	return rc;
}

int liaison_contact_create_in_tx(struct ctx *c, int64_t org_id,
                                 const struct liaison_contact_input *in, int64_t *id)
{
	struct policy_object obj;
	if (liaison_org_object(c, org_id, &obj) != 0 ||
	    policy_check(c, ACT_LIAISON_CONTACT, &obj) != 0)
		return -1;
	struct db_stmt *st =
	    db_query(c->db,
	             "INSERT INTO liaison_contact (org_id, street_code, kind, "
	             "contact_on, summary, issues, officer_id, created_at) VALUES ($1, "
	             "$2, $3, $4, $5, $6, $7, $8) RETURNING id",
	             "lsssssll", org_id, obj.street_code, in->kind, in->contact_on, in->summary,
	             in->issues, c->who->user_id, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	if (in->followup && insert_followup(c, *id, org_id, obj.street_code, in) != 0)
		return -1;
	/* the first contact may come before any assignment: it starts the regime then */
	if (liaison_org_refresh_in_tx(c, org_id, in->contact_on) != 0 ||
	    db_run(c->db,
	           "UPDATE liaison_org SET last_contact_on = $1 WHERE org_id = $2 AND "
	           "(last_contact_on IS NULL OR last_contact_on < $1)",
	           "sl", in->contact_on, org_id) < 0 ||
	    liaison_org_refresh_in_tx(c, org_id, NULL) != 0)
		return c->err.kind ? -1 : ctx_db_error(c);
	json_t *after = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "org_id",
	                          (json_int_t)org_id, "kind", in->kind, "contact_on",
	                          in->contact_on, "summary", in->summary, "issues", in->issues,
	                          "followup", in->followup, "followup_due_on", in->followup_due_on);
	rc = audit_append(c, "liaison.contact", "liaison_contact", *id, NULL, after);
	json_decref(after);
	return rc;
}

struct contact_args {
	int64_t org_id;
	const struct liaison_contact_input *in;
	int64_t *id;
};
static int contact_step(struct ctx *c, void *arg)
{
	struct contact_args *a = arg;
	return liaison_contact_create_in_tx(c, a->org_id, a->in, a->id);
}

int liaison_contact_create(struct ctx *c, int64_t org_id, const struct liaison_contact_input *in,
                           int64_t *id)
{
	struct contact_args a = {org_id, in, id};
	return ctx_tx(c, contact_step, &a);
}

static json_t *markdown_json(const char *md)
{
	char *html = md ? markdown_to_html(md, strlen(md)) : NULL;
	json_t *out = html ? json_string(html) : json_null();
	free(html);
	return out ? out : json_null();
}

static json_t *followups_of(struct ctx *c, int64_t contact_id)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT f.id, f.description, f.due_on, f.owner_id, "
	             "u.display_name, f.status, f.close_note, f.closed_at FROM "
	             "liaison_followup f JOIN app_user u ON u.id = f.owner_id WHERE "
	             "f.contact_id = $1 ORDER BY f.id",
	             "l", contact_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s?, s:o}", "id",
		                     (json_int_t)db_col_int(st, 0), "description",
		                     db_col_text(st, 1), "due_on", db_col_text(st, 2), "owner_id",
		                     (json_int_t)db_col_int(st, 3), "owner_name",
		                     db_col_text(st, 4), "status", db_col_text(st, 5), "close_note",
		                     db_col_text(st, 6), "closed_at",
		                     db_col_isnull(st, 7) ? json_null()
		                                          : json_integer(db_col_int(st, 7))));
	db_done(st);
	return items;
}

#define CONTACT_SELECT                                                                             \
	"SELECT c.id, c.org_id, c.kind, c.contact_on, c.summary, c.issues, c.officer_id, "         \
	"u.display_name, c.created_at FROM liaison_contact c LEFT JOIN app_user u ON u.id = "      \
	"c.officer_id "

static json_t *contact_json(struct db_stmt *st)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:s?, s:o, s:I, s:s?, s:I}", "id",
	                      (json_int_t)db_col_int(st, 0), "org_id",
	                      (json_int_t)db_col_int(st, 1), "kind", db_col_text(st, 2),
	                      "contact_on", db_col_text(st, 3), "summary", db_col_text(st, 4),
	                      "summary_html", markdown_json(db_col_text(st, 4)), "issues",
	                      db_col_text(st, 5), "issues_html", markdown_json(db_col_text(st, 5)),
	                      "officer_id", (json_int_t)db_col_int(st, 6), "officer_name",
	                      db_col_text(st, 7), "created_at", (json_int_t)db_col_int(st, 8));
	return o;
}

json_t *liaison_contact_get_json(struct ctx *c, int64_t id)
{
	int64_t org_id =
	    db_int(c->db, 0, "SELECT org_id FROM liaison_contact WHERE id = $1", "l", id);
	struct policy_object obj;
	if (!org_id) {
		error_set(&c->err, E_NOT_FOUND, "liaison.contact_not_found");
		return NULL;
	}
	if (liaison_org_object(c, org_id, &obj) != 0 || policy_check(c, ACT_LIAISON_READ, &obj))
		return NULL;
	struct db_stmt *st = db_query(c->db, CONTACT_SELECT "WHERE c.id = $1", "l", id);
	json_t *out = db_step(st) == DB_ROW ? contact_json(st) : NULL;
	db_done(st);
	if (!out) {
		ctx_db_error(c);
		return NULL;
	}
	json_object_set_new(out, "followups", followups_of(c, id));
	return out;
}

json_t *liaison_contacts_json(struct ctx *c, int64_t org_id, int64_t page, int64_t per_page)
{
	struct policy_object obj;
	if (liaison_org_object(c, org_id, &obj) != 0 || policy_check(c, ACT_LIAISON_READ, &obj))
		return NULL;
	int64_t total =
	    db_int(c->db, 0, "SELECT COUNT(*) FROM liaison_contact WHERE org_id = $1", "l", org_id);
	struct db_stmt *st =
	    db_query(c->db,
	             CONTACT_SELECT "WHERE c.org_id = $1 ORDER BY c.contact_on DESC, "
	                            "c.id DESC LIMIT $2 OFFSET $3",
	             "lll", org_id, per_page, (page - 1) * per_page);
	json_t *items = json_rows(c, st, contact_json);
	if (!items)
		return NULL;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) json_object_set_new(
	    it, "followups", followups_of(c, json_integer_value(json_object_get(it, "id"))));
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
	                 (json_int_t)page, "per_page", (json_int_t)per_page);
}

struct close_args {
	int64_t id;
	const char *note;
};
static int close_step(struct ctx *c, void *arg)
{
	struct close_args *a = arg;
	struct db_stmt *st = db_query(c->db,
	                              "SELECT org_id, owner_id, status FROM liaison_followup WHERE "
	                              "id = $1",
	                              "l", a->id);
	int rc = db_step(st);
	int64_t org_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	int64_t owner = rc == DB_ROW ? db_col_int(st, 1) : 0;
	int closed = rc == DB_ROW && strcmp(db_col_text(st, 2), "closed") == 0;
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (!org_id)
		return error_set(&c->err, E_NOT_FOUND, "liaison.followup_not_found");
	struct policy_object obj;
	if (liaison_org_object(c, org_id, &obj) != 0)
		return -1;
	obj.responsible |= owner == c->who->user_id;
	if (policy_check(c, ACT_LIAISON_CONTACT, &obj) != 0)
		return -1;
	if (closed)
		return error_set(&c->err, E_CONFLICT, "liaison.followup_closed");
	if (db_run(
	        c->db,
	        "UPDATE liaison_followup SET status = 'closed', close_note = $1, closed_at = $2, "
	        "closed_by = $3 WHERE id = $4",
	        "slll", a->note, c->now, c->who->user_id, a->id) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:s, s:s}", "status", "closed", "close_note", a->note);
	rc = audit_append(c, "liaison.followup_close", "liaison_followup", a->id, NULL, after);
	json_decref(after);
	return rc;
}

int liaison_followup_close(struct ctx *c, int64_t id, const char *note)
{
	struct close_args a = {id, note};
	return ctx_tx(c, close_step, &a);
}
