/*
 * Check-in and attendance: a secret token per occurrence (shown as a QR code to those in the
 * room), manual check-in by staff, attendance lists, and each organization's attendance rate
 * read from the meeting_org_attendance counters.
 */
#include <qrencode.h>
#include <string.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "meetings/meetings_internal.h"
#include "registry/org.h"

/* The organization through which the user is invited to the meeting (0: none, or directly). */
static int64_t delegate_org(struct ctx *c, int64_t meeting_id, int64_t user_id)
{
	return db_int(c->db, 0,
		      "SELECT i.org_id FROM meeting_invite i JOIN user_role r ON r.org_id = i.org_id "
		      "WHERE i.meeting_id = $1 AND i.org_id <> 0 AND r.user_id = $2 AND r.role IN "
		      "('org_admin', 'org_member') ORDER BY i.org_id LIMIT 1",
		      "ll", meeting_id, user_id);
}

/* Records attendance inside the caller's transaction; *already when it was there. */
static int record(struct ctx *c, const struct occurrence_row *o, int64_t user_id, const char *method,
		  int *already)
{
	int64_t org = delegate_org(c, o->meeting_id, user_id);
	struct db_stmt *st = db_query(c->db,
				      "INSERT INTO meeting_attendance (occurrence_id, user_id, org_id, method, "
				      "checked_in_at, checked_in_by) VALUES ($1, $2, $3, $4, $5, $6) "
				      "ON CONFLICT (occurrence_id, user_id) DO NOTHING",
				      "lllsll", o->id, user_id, org, method, c->now, c->who->user_id);
	int rc = db_step(st);
	int64_t n = db_changes(st);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	*already = n == 0;
	if (*already)
		return 0;
	if (org && db_run(c->db, "UPDATE meeting_org_attendance SET attended = 1 WHERE occurrence_id = $1 AND org_id = $2",
			  "ll", o->id, org) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)user_id, "org_id", (json_int_t)org,
				  "method", method);
	int arc = audit_append(c, "meeting.checkin", "meeting_occurrence", o->id, NULL, after);
	json_decref(after);
	return arc;
}

/* A check-in's arguments and results, for its transaction's step. */
struct checkin {
	const char *token; /* by QR code */
	int64_t occ_id;    /* by QR code: found from the token */
	int64_t user_id;   /* manual: the person checked in */
	int already;
};

static int checkin_token_step(struct ctx *c, void *arg)
{
	struct checkin *a = arg;
	a->occ_id = db_int(c->db, 0, "SELECT id FROM meeting_occurrence WHERE checkin_token = $1", "s",
			   a->token);
	if (!a->occ_id)
		return error_set(&c->err, E_NOT_FOUND, "meeting.bad_checkin_token");
	struct occurrence_row o;
	struct meeting_row m;
	if (occurrence_load(c, a->occ_id, &o) != 0 || meeting_load(c, o.meeting_id, &m) != 0)
		return -1;
	if (strcmp(o.status, "scheduled") != 0)
		return error_set(&c->err, E_CONFLICT, "meeting.occurrence_cancelled");
	int inv = m.is_public ? 1 : meeting_is_invited(c, m.id, c->who->user_id);
	if (inv < 0)
		return -1;
	if (!inv)
		return error_set(&c->err, E_FORBIDDEN, "meeting.not_invited");
	return record(c, &o, c->who->user_id, "qr", &a->already);
}

int meeting_checkin_token(struct ctx *c, const char *token, int64_t *occ_id, int *already)
{
	if (c->who->user_id <= 0)
		return error_set(&c->err, E_UNAUTHENTICATED, NULL);
	struct checkin a = {.token = token};
	int rc = ctx_tx(c, checkin_token_step, &a);
	*occ_id = a.occ_id;
	*already = a.already;
	return rc;
}

static int checkin_manual_step(struct ctx *c, void *arg)
{
	struct checkin *a = arg;
	struct occurrence_row o;
	struct meeting_row m;
	if (occurrence_with_meeting(c, a->occ_id, &o, &m) != 0 || meeting_check_manage(c, &m) != 0)
		return -1;
	int exists = db_exists(c->db, "SELECT 1 FROM app_user WHERE id = $1", "l", a->user_id);
	if (exists < 0)
		return ctx_db_error(c);
	if (!exists) {
		error_field(&c->err, "user_id", "meeting.unknown_id", 0);
		return -1;
	}
	return record(c, &o, a->user_id, "manual", &a->already);
}

int meeting_checkin_manual(struct ctx *c, int64_t occ_id, int64_t user_id, int *already)
{
	struct checkin a = {.occ_id = occ_id, .user_id = user_id};
	int rc = ctx_tx(c, checkin_manual_step, &a);
	*already = a.already;
	return rc;
}

json_t *occurrence_attendance_json(struct ctx *c, int64_t occ_id)
{
	struct occurrence_row o;
	struct meeting_row m;
	if (occurrence_with_meeting(c, occ_id, &o, &m) != 0 ||
	    meeting_check_read(c, &m) != 0)
		return NULL;
	if (!meeting_may_manage(c, &m) && !policy_allows(c->who, ACT_MEETING_READ_ALL, NULL)) {
		error_set(&c->err, E_FORBIDDEN, NULL);
		return NULL;
	}
	struct db_stmt *st = db_query(c->db,
				      "SELECT a.user_id, u.display_name, a.org_id, g.name, a.method, a.checked_in_at "
				      "FROM meeting_attendance a JOIN app_user u ON u.id = a.user_id LEFT JOIN org g "
				      "ON g.id = a.org_id WHERE a.occurrence_id = $1 ORDER BY a.checked_in_at",
				      "l", occ_id);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s?, s:s, s:I}", "user_id",
			(json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "org_id",
			(json_int_t)db_col_int(st, 2), "org_name", db_col_text(st, 3), "method",
			db_col_text(st, 4), "checked_in_at", (json_int_t)db_col_int(st, 5)));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o}", "items", items);
}

json_t *org_attendance_json(struct ctx *c, int64_t org_id)
{
	const char *street = org_street_of(c, org_id);
	if (!street)
		return NULL;
	struct policy_object obj = {org_id, street};
	if (!policy_allows(c->who, ACT_MEETING_READ_ALL, NULL) &&
	    policy_check(c, ACT_ORG_READ_PRIVATE, &obj) != 0)
		return NULL;
	/* one index range over this organization's own counter rows */
	struct db_stmt *st = db_query(c->db,
				      "SELECT COUNT(*), COALESCE(SUM(attended), 0) FROM meeting_org_attendance "
				      "WHERE org_id = $1 AND starts_at <= $2",
				      "ll", org_id, c->now);
	int64_t invited = 0, attended = 0;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		invited = db_col_int(st, 0);
		attended = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_ERROR) {
		ctx_db_error(c);
		return NULL;
	}
	json_t *out = json_pack("{s:I, s:I, s:I}", "org_id", (json_int_t)org_id, "expected",
				(json_int_t)invited, "attended", (json_int_t)attended);
	json_object_set_new(out, "rate", invited ? json_real((double)attended / (double)invited) : json_null());
	/* the organization's invitations: meetings with their next occurrence */
	json_t *items = json_array();
	st = db_query(c->db,
		      "SELECT m.id, m.title, m.kind, (SELECT MIN(starts_at) FROM meeting_occurrence o WHERE "
		      "o.meeting_id = m.id AND o.status = 'scheduled' AND o.starts_at >= $2) FROM meeting_invite i "
		      "JOIN meeting m ON m.id = i.meeting_id WHERE i.org_id = $1 ORDER BY m.id DESC LIMIT 100",
		      "ll", org_id, c->now);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "title",
				      db_col_text(st, 1), "kind", db_col_text(st, 2));
		json_object_set_new(j, "next_starts_at", db_col_isnull(st, 3) ? json_null() : json_integer(db_col_int(st, 3)));
		json_array_append_new(items, j);
	}
	db_done(st);
	json_object_set_new(out, "meetings", items);
	return out;
}

int occurrence_qr_svg(struct ctx *c, int64_t occ_id, const char *base_url, struct buf *out)
{
	struct occurrence_row o;
	struct meeting_row m;
	if (occurrence_with_meeting(c, occ_id, &o, &m) != 0 ||
	    meeting_check_manage(c, &m) != 0)
		return -1;
	char *url = arena_printf(c->arena, "%s/checkin/%s", base_url, o.token);
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return error_internal(&c->err, "qrencode failed");
	int w = qr->width, quiet = 4, size = w + 2 * quiet;
	buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		   "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
		   "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   size, size, size * 8, size * 8);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				buf_printf(out, "M%d %dh1v1h-1z", x + quiet, y + quiet);
	buf_puts(out, "\"/></svg>\n");
	QRcode_free(qr);
	return 0;
}
