/*
 * Agenda items, minutes (Markdown stored, rendered on read) and action items (决议事项) with
 * their carry-over to later occurrences and the overdue reminder task.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/json_rows.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "lib/markdown.h"
#include "meetings/meetings_internal.h"
#include "notify/notify.h"

void meetings_today(int64_t now, char out[11])
{
	time_t t = (time_t)(now + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Audits the write; takes after. 0 or -1. */
static int audit_after(struct ctx *c, const char *action, const char *type, int64_t id, json_t *after)
{
	int rc = audit_append(c, action, type, id, NULL, after);
	json_decref(after);
	return rc;
}

/* A write's arguments and new id, for the transaction steps below. */
struct minutes_write {
	int64_t occ_id;
	const char *title, *presenter, *note; /* agenda item */
	const char *markdown;                 /* minutes */
	const struct action_input *in;        /* action item */
	int64_t id;                           /* the new row; action_update: the item */
	/* the write itself, once managed_step has loaded and checked the occurrence */
	int (*write)(struct ctx *c, struct minutes_write *a, const struct occurrence_row *o,
		     const struct meeting_row *m);
};

/* Loads the occurrence and its meeting, checks ACT_MEETING_MANAGE, then runs a->write. */
static int managed_step(struct ctx *c, void *arg)
{
	struct minutes_write *a = arg;
	struct occurrence_row o;
	struct meeting_row m;
	if (occurrence_with_meeting(c, a->occ_id, &o, &m) != 0 || meeting_check_manage(c, &m) != 0)
		return -1;
	return a->write(c, a, &o, &m);
}

/* Runs a managed write in its transaction; the new row's id to *id when id is not NULL. */
static int managed_tx(struct ctx *c, struct minutes_write *a, int64_t *id)
{
	int rc = ctx_tx(c, managed_step, a);
	if (id)
		*id = a->id;
	return rc;
}

static int agenda_write(struct ctx *c, struct minutes_write *a, const struct occurrence_row *o,
			const struct meeting_row *m)
{
	(void)o, (void)m;
	int64_t pos = db_int(c->db, 0, "SELECT COALESCE(MAX(position), 0) FROM meeting_agenda_item WHERE occurrence_id = $1",
			     "l", a->occ_id) + 1;
	struct db_stmt *st = db_query(c->db,
				      "INSERT INTO meeting_agenda_item (occurrence_id, position, title, presenter, note, "
				      "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
				      "llsssl", a->occ_id, pos, a->title, a->presenter, a->note, c->now);
	int rc = db_step(st);
	a->id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	return audit_after(c, "meeting.agenda_add", "meeting_occurrence", a->occ_id,
			   json_pack("{s:s}", "title", a->title));
}

int agenda_add(struct ctx *c, int64_t occ_id, const char *title, const char *presenter,
	       const char *note, int64_t *id)
{
	struct minutes_write a = {.occ_id = occ_id, .title = title, .presenter = presenter,
				  .note = note, .write = agenda_write};
	return managed_tx(c, &a, id);
}

static int minutes_text_write(struct ctx *c, struct minutes_write *a, const struct occurrence_row *o,
			      const struct meeting_row *m)
{
	(void)o, (void)m;
	if (db_run(c->db, "UPDATE meeting_occurrence SET minutes_md = $2, minutes_updated_at = $3 WHERE id = $1",
		   "lsl", a->occ_id, a->markdown, c->now) < 0)
		return ctx_db_error(c);
	return audit_after(c, "meeting.minutes", "meeting_occurrence", a->occ_id,
			   json_pack("{s:I}", "length", (json_int_t)strlen(a->markdown ? a->markdown : "")));
}

int minutes_set(struct ctx *c, int64_t occ_id, const char *markdown)
{
	struct minutes_write a = {.occ_id = occ_id, .markdown = markdown, .write = minutes_text_write};
	return managed_tx(c, &a, NULL);
}

/* ------------------------------------------------------------------ action items */

static int check_owner(struct ctx *c, const struct action_input *in)
{
	if (in->owner_org_id && !db_exists(c->db, "SELECT 1 FROM org WHERE id = $1", "l", in->owner_org_id))
		error_field(&c->err, "owner_org_id", "meeting.unknown_id", 0);
	if (in->owner_user_id && !db_exists(c->db, "SELECT 1 FROM app_user WHERE id = $1", "l", in->owner_user_id))
		error_field(&c->err, "owner_user_id", "meeting.unknown_id", 0);
	return error_check(&c->err);
}

static int notify_owner(struct ctx *c, int64_t org, int64_t user, const char *kind, const char *title,
			const char *due_on, int64_t meeting_id, int64_t action_id)
{
	json_t *params = json_pack("{s:s, s:s}", "title", title, "due_on", due_on);
	char *link = arena_printf(c->arena, "/meetings/%lld", (long long)meeting_id);
	struct notice n = {kind, params, link, "meeting_action", action_id};
	int rc = org ? (notify_org(c, org, &n) < 0 ? -1 : 0) : notify_user(c, user, &n);
	json_decref(params);
	return rc;
}

static int action_write(struct ctx *c, struct minutes_write *a, const struct occurrence_row *o,
			const struct meeting_row *m)
{
	const struct action_input *in = a->in;
	if (check_owner(c, in) != 0)
		return -1;
	struct db_stmt *st = db_query(c->db,
				      "INSERT INTO meeting_action (meeting_id, occurrence_id, raised_at, title, "
				      "owner_org_id, owner_user_id, due_on, created_at, updated_at) VALUES "
				      "($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
				      "lllsllsl", m->id, a->occ_id, o->starts_at, in->title, in->owner_org_id,
				      in->owner_user_id, in->due_on, c->now);
	int rc = db_step(st);
	a->id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	if (notify_owner(c, in->owner_org_id, in->owner_user_id, "meeting.action_assigned",
			 in->title, in->due_on, m->id, a->id) != 0)
		return -1;
	return audit_after(c, "meeting.action_add", "meeting_action", a->id,
			   json_pack("{s:s, s:s, s:I, s:I}", "title", in->title, "due_on", in->due_on,
				     "owner_org_id", (json_int_t)in->owner_org_id, "owner_user_id",
				     (json_int_t)in->owner_user_id));
}

int action_add(struct ctx *c, int64_t occ_id, const struct action_input *in, int64_t *id)
{
	struct minutes_write a = {.occ_id = occ_id, .in = in, .write = action_write};
	return managed_tx(c, &a, id);
}

/* 1 if the caller owns the action item (the user, or a delegate of the owning organization). */
static int owns(struct ctx *c, int64_t org, int64_t user)
{
	return (user && user == c->who->user_id) ||
	       (org && (principal_member_of(c->who, org) || principal_administers(c->who, org)));
}

/* An action item as stored, for action_update. */
struct action_row {
	int64_t meeting_id, org, user, version;
	const char *status, *due;
};

static int action_row_load(struct ctx *c, int64_t id, struct action_row *r)
{
	struct db_stmt *st = db_query(c->db, "SELECT meeting_id, owner_org_id, owner_user_id, status, due_on, version "
				      "FROM meeting_action WHERE id = $1", "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->meeting_id = db_col_int(st, 0);
		r->org = db_col_int(st, 1);
		r->user = db_col_int(st, 2);
		r->status = arena_strdup(c->arena, db_col_text(st, 3));
		r->due = arena_strdup(c->arena, db_col_text(st, 4));
		r->version = db_col_int(st, 5);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return rc == DB_ROW ? 0 : error_set(&c->err, E_NOT_FOUND, "meeting.action_not_found");
}

static int action_update_step(struct ctx *c, void *arg)
{
	struct minutes_write *a = arg;
	const struct action_input *in = a->in;
	struct action_row r = {0};
	struct meeting_row m;
	if (action_row_load(c, a->id, &r) != 0 || meeting_load(c, r.meeting_id, &m) != 0)
		return -1;
	/* staff manage everything; the owner may only mark their item done */
	int manager = meeting_may_manage(c, &m);
	if (!manager && !(owns(c, r.org, r.user) && in->status && strcmp(in->status, "done") == 0 &&
			  !in->due_on && !in->title && !in->owner_org_id && !in->owner_user_id))
		return error_set(&c->err, E_FORBIDDEN, NULL);
	if (in->version != r.version)
		return error_set(&c->err, E_STALE, NULL);
	if ((in->owner_org_id || in->owner_user_id) && check_owner(c, in) != 0)
		return -1;
	int new_owner = in->owner_org_id || in->owner_user_id;
	if (db_run(c->db,
		   "UPDATE meeting_action SET title = COALESCE($2, title), status = COALESCE($3, status), "
		   "due_on = COALESCE($4, due_on), owner_org_id = CASE WHEN $5 = 1 THEN $6 ELSE owner_org_id END, "
		   "owner_user_id = CASE WHEN $5 = 1 THEN $7 ELSE owner_user_id END, "
		   "overdue_notified_at = CASE WHEN $4 IS NULL THEN overdue_notified_at ELSE NULL END, "
		   "updated_at = $8, version = version + 1 WHERE id = $1",
		   "lsssilll", a->id, in->title, in->status, in->due_on, new_owner, in->owner_org_id,
		   in->owner_user_id, c->now) < 0)
		return ctx_db_error(c);
	json_t *before = json_pack("{s:s, s:s}", "status", r.status, "due_on", r.due);
	json_t *after = json_pack("{s:s?, s:s?}", "status", in->status, "due_on", in->due_on);
	int rc = audit_append(c, "meeting.action_update", "meeting_action", a->id, before, after);
	json_decref(before);
	json_decref(after);
	return rc;
}

int action_update(struct ctx *c, int64_t id, const struct action_input *in)
{
	struct minutes_write a = {.in = in, .id = id};
	return ctx_tx(c, action_update_step, &a);
}

/* The columns action_row_json reads, with the owner's and the meeting's names; a WHERE clause
 * follows (string-literal concatenation keeps each statement static for the statement cache). */
#define ACTION_SELECT                                                                              \
	"SELECT a.id, a.meeting_id, a.occurrence_id, a.title, a.owner_org_id, a.owner_user_id, "   \
	"g.name, u.display_name, a.due_on, a.status, a.version, m.title, a.raised_at FROM "        \
	"meeting_action a JOIN meeting m ON m.id = a.meeting_id LEFT JOIN org g ON g.id = "       \
	"a.owner_org_id LEFT JOIN app_user u ON u.id = a.owner_user_id "

static json_t *action_row_json(struct db_stmt *st, const void *arg)
{
	const char *today = arg;
	const char *due = db_col_text(st, 8), *status = db_col_text(st, 9);
	int64_t org = db_col_int(st, 4);
	json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:I, s:s?, s:s, s:s, s:b, s:I, s:s, s:I}",
			      "id", (json_int_t)db_col_int(st, 0), "meeting_id", (json_int_t)db_col_int(st, 1),
			      "occurrence_id", (json_int_t)db_col_int(st, 2), "title", db_col_text(st, 3),
			      "owner_type", org ? "org" : "user", "owner_id",
			      (json_int_t)(org ? org : db_col_int(st, 5)), "owner_name",
			      org ? db_col_text(st, 6) : db_col_text(st, 7), "due_on", due, "status", status,
			      "overdue", strcmp(status, "open") == 0 && strcmp(due, today) < 0, "version",
			      (json_int_t)db_col_int(st, 10), "meeting_title", db_col_text(st, 11),
			      "raised_at", (json_int_t)db_col_int(st, 12));
	return j;
}

json_t *action_get_json(struct ctx *c, int64_t id)
{
	static const char sql[] =
		ACTION_SELECT "WHERE a.id = $1";
	char today[11];
	meetings_today(c->now, today);
	struct db_stmt *st = db_query(c->db, sql, "l", id);
	int rc = db_step(st);
	json_t *j = rc == DB_ROW ? action_row_json(st, today) : NULL;
	db_done(st);
	if (!j)
		rc == DB_ERROR ? ctx_db_error(c) : error_set(&c->err, E_NOT_FOUND, "meeting.action_not_found");
	return j;
}

json_t *action_list_json(struct ctx *c, const struct action_list_query *q)
{
	static const char sql[] =
		ACTION_SELECT "WHERE "
		"($1 = 1 OR a.owner_user_id = $2 OR (a.owner_org_id <> 0 AND a.owner_org_id IN (SELECT r.org_id "
		"FROM user_role r WHERE r.user_id = $2 AND r.role IN ('org_admin', 'org_member')))) AND "
		"($3 = 0 OR (a.status = 'open' AND a.due_on < $4)) AND (CAST($5 AS TEXT) IS NULL OR a.status = $5) "
		"AND ($6 = 0 OR a.meeting_id = $6) ORDER BY a.due_on, a.id LIMIT 500";
	char today[11];
	meetings_today(c->now, today);
	int all = policy_allows(c->who, ACT_MEETING_READ_ALL, NULL);
	json_t *items = json_rows_arg(c, db_query(c->db, sql, "ilissl", all, c->who->user_id, q->overdue,
						today, q->status, q->meeting_id),
				      action_row_json, today);
	return items ? json_pack("{s:o}", "items", items) : NULL;
}

/* ------------------------------------------------------------------ occurrence detail */

int minutes_attach_json(struct ctx *c, const struct occurrence_row *o, json_t *out)
{
	char today[11];
	meetings_today(c->now, today);
	json_t *agenda = json_array();
	struct db_stmt *st = db_query(c->db, "SELECT id, position, title, presenter, note FROM meeting_agenda_item "
				      "WHERE occurrence_id = $1 ORDER BY position", "l", o->id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(agenda, json_pack("{s:I, s:I, s:s, s:s?, s:s?}", "id",
			(json_int_t)db_col_int(st, 0), "position", (json_int_t)db_col_int(st, 1), "title",
			db_col_text(st, 2), "presenter", db_col_text(st, 3), "note", db_col_text(st, 4)));
	db_done(st);
	json_object_set_new(out, "agenda", agenda);
	/* open items raised at earlier occurrences of the series stay on the agenda until closed */
	static const char carried_sql[] =
		ACTION_SELECT "WHERE a.meeting_id = $1 AND a.status = 'open' "
		"AND a.raised_at < $2 ORDER BY a.due_on, a.id";
	json_t *carried = json_rows_arg(c, db_query(c->db, carried_sql, "ll", o->meeting_id, o->starts_at),
					 action_row_json, today);
	static const char own_sql[] =
		ACTION_SELECT "WHERE a.occurrence_id = $1 ORDER BY a.id";
	json_t *actions = json_rows_arg(c, db_query(c->db, own_sql, "l", o->id), action_row_json,
					 today);
	if (!carried || !actions) {
		json_decref(carried);
		json_decref(actions);
		return -1;
	}
	json_object_set_new(out, "carried_over", carried);
	json_object_set_new(out, "actions", actions);
	st = db_query(c->db, "SELECT minutes_md, minutes_updated_at FROM meeting_occurrence WHERE id = $1", "l", o->id);
	if (db_step(st) == DB_ROW && db_col_text(st, 0)) {
		const char *md = db_col_text(st, 0);
		char *html = markdown_to_html(md, strlen(md));
		json_object_set_new(out, "minutes_markdown", json_string(md));
		json_object_set_new(out, "minutes_html", json_string(html ? html : ""));
		json_object_set_new(out, "minutes_updated_at", json_integer(db_col_int(st, 1)));
		free(html);
	} else {
		json_object_set_new(out, "minutes_markdown", json_null());
		json_object_set_new(out, "minutes_html", json_null());
	}
	db_done(st);
	st = db_query(c->db, "SELECT response, place FROM meeting_rsvp WHERE occurrence_id = $1 AND user_id = $2",
		      "ll", o->id, c->who->user_id);
	int has = db_step(st) == DB_ROW;
	json_object_set_new(out, "my_rsvp", has ? json_string(db_col_text(st, 0)) : json_null());
	json_object_set_new(out, "my_place", has ? json_string(db_col_text(st, 1)) : json_null());
	db_done(st);
	json_object_set_new(out, "checked_in",
			    json_boolean(db_exists(c->db, "SELECT 1 FROM meeting_attendance WHERE occurrence_id = $1 "
						   "AND user_id = $2", "ll", o->id, c->who->user_id) > 0));
	json_object_set_new(out, "attendance_count",
			    json_integer(db_int(c->db, 0, "SELECT COUNT(*) FROM meeting_attendance WHERE occurrence_id = $1",
						"l", o->id)));
	return 0;
}

/* ------------------------------------------------------------------ overdue task */

/* Reminds the owners of up to 500 overdue action items, once each; arg: how many. */
static int overdue_step(struct ctx *c, void *arg)
{
	int *count = arg;
	char today[11];
	meetings_today(c->now, today);
	struct db_stmt *st = db_query(c->db,
				      "SELECT id, meeting_id, title, owner_org_id, owner_user_id, due_on FROM meeting_action "
				      "WHERE status = 'open' AND due_on < $1 AND overdue_notified_at IS NULL ORDER BY id LIMIT 500",
				      "s", today);
	struct item { int64_t id, meeting, org, user; const char *title, *due; } items[500];
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < 500) {
		items[n] = (struct item){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 3), db_col_int(st, 4),
					 arena_strdup(c->arena, db_col_text(st, 2)),
					 arena_strdup(c->arena, db_col_text(st, 5))};
		n++;
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	for (int i = 0; i < n; i++) {
		if (notify_owner(c, items[i].org, items[i].user, "meeting.action_overdue", items[i].title,
				 items[i].due, items[i].meeting, items[i].id) != 0)
			return -1;
		if (db_run(c->db, "UPDATE meeting_action SET overdue_notified_at = $2 WHERE id = $1", "ll",
			   items[i].id, c->now) < 0)
			return ctx_db_error(c);
	}
	*count = n;
	return 0;
}

/* One transaction for the whole batch, as before. */
int meetings_task_overdue(struct ctx *c)
{
	int n = 0;
	return ctx_tx(c, overdue_step, &n) != 0 ? -1 : n;
}
