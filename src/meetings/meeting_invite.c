/*
 * Invitations and RSVP: organizations (their delegates), single users, or a filter resolved to
 * organizations when the invitation is made; answers per occurrence or for the series, with a
 * waitlist when the meeting has a capacity, promoted in the same transaction.
 */
#include <string.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "meetings/meetings_internal.h"
#include "notify/notify.h"

int meeting_is_invited(struct ctx *c, int64_t meeting_id, int64_t user_id)
{
	int rc = db_exists(c->db,
			   "SELECT 1 FROM meeting_invite i WHERE i.meeting_id = $1 AND (i.user_id = $2 "
			   "OR (i.org_id <> 0 AND i.org_id IN (SELECT r.org_id FROM user_role r WHERE "
			   "r.user_id = $2 AND r.role IN ('org_admin', 'org_member'))))",
			   "ll", meeting_id, user_id);
	return rc < 0 ? ctx_db_error(c) : rc;
}

/* Adds one invitation row and its counters; returns 1 added, 0 already there, -1. */
static int invite_one(struct ctx *c, int64_t meeting_id, int64_t org_id, int64_t user_id)
{
	struct db_stmt *st = db_query(c->db,
				      "INSERT INTO meeting_invite (meeting_id, org_id, user_id, created_at) "
				      "VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, org_id, user_id) DO NOTHING",
				      "llll", meeting_id, org_id, user_id, c->now);
	int rc = db_step(st);
	int64_t n = db_changes(st);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (n && org_id &&
	    db_run(c->db,
		   "INSERT INTO meeting_org_attendance (occurrence_id, org_id, starts_at) SELECT id, $2, "
		   "starts_at FROM meeting_occurrence WHERE meeting_id = $1 AND status = 'scheduled' "
		   "ON CONFLICT (occurrence_id, org_id) DO NOTHING",
		   "ll", meeting_id, org_id) < 0)
		return ctx_db_error(c);
	return (int)n;
}

static int check_ids_exist(struct ctx *c, const char *field, const char *sql, const int64_t *ids, int n)
{
	for (int i = 0; i < n; i++) {
		int ok = db_exists(c->db, sql, "l", ids[i]);
		if (ok < 0)
			return ctx_db_error(c);
		if (!ok)
			error_field(&c->err, arena_printf(c->arena, "%s[%d]", field, i), "meeting.unknown_id", 0);
	}
	return error_check(&c->err);
}

/* Organizations matching the filter (active, not archived); at most 2000. */
static int filter_orgs(struct ctx *c, const struct invite_filter *f, int64_t **ids, int *n)
{
	struct db_stmt *st = db_query(
		c->db,
		"SELECT id FROM org WHERE archived = 0 AND (CAST($1 AS TEXT) IS NULL OR type = $1) AND "
		"(CAST($2 AS TEXT) IS NULL OR street_code = $2) AND (CAST($3 AS TEXT) IS NULL OR id IN (SELECT org_id FROM "
		"org_field WHERE field = $3)) ORDER BY id LIMIT 2000",
		"sss", f->org_type, f->street_code, f->field);
	*ids = arena_alloc(c->arena, sizeof(int64_t) * 2000);
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		(*ids)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

/* An invitation's arguments and count, for its transaction's step. */
struct invitation {
	int64_t meeting_id;
	const int64_t *org_ids, *user_ids;
	int norgs, nusers;
	const struct invite_filter *f;
	int added;
};

/* Invites the listed and filtered organizations and the listed users, each new invitee
 * notified. 0 or -1. */
static int invite_all(struct ctx *c, struct invitation *a, const struct meeting_row *m,
		      const int64_t *fids, int nf)
{
	json_t *params = meetings_params(m->title, 0);
	char *link = arena_printf(c->arena, "/meetings/%lld", (long long)a->meeting_id);
	struct notice n = {"meeting.invited", params, link, "meeting", a->meeting_id};
	int rc = 0;
	for (int i = 0; i < a->norgs + nf && rc >= 0; i++) {
		int64_t org = i < a->norgs ? a->org_ids[i] : fids[i - a->norgs];
		rc = invite_one(c, a->meeting_id, org, 0);
		if (rc > 0) {
			a->added++;
			rc = notify_org(c, org, &n);
		}
	}
	for (int i = 0; i < a->nusers && rc >= 0; i++) {
		rc = invite_one(c, a->meeting_id, 0, a->user_ids[i]);
		if (rc > 0) {
			a->added++;
			rc = notify_user(c, a->user_ids[i], &n);
		}
	}
	json_decref(params);
	return rc < 0 ? -1 : 0;
}

static int invite_step(struct ctx *c, void *arg)
{
	struct invitation *a = arg;
	struct meeting_row m;
	if (meeting_load(c, a->meeting_id, &m) != 0 || meeting_check_manage(c, &m) != 0 ||
	    check_ids_exist(c, "org_ids", "SELECT 1 FROM org WHERE id = $1", a->org_ids, a->norgs) != 0 ||
	    check_ids_exist(c, "user_ids", "SELECT 1 FROM app_user WHERE id = $1", a->user_ids,
			    a->nusers) != 0)
		return -1;
	int64_t *fids = NULL;
	int nf = 0;
	const struct invite_filter *f = a->f;
	if (f && (f->org_type || f->field || f->street_code) && filter_orgs(c, f, &fids, &nf) != 0)
		return -1;
	if (invite_all(c, a, &m, fids, nf) != 0)
		return -1;
	json_t *after = json_pack("{s:i}", "added", a->added);
	int rc = audit_append(c, "meeting.invite", "meeting", a->meeting_id, NULL, after);
	json_decref(after);
	return rc;
}

int meeting_invite(struct ctx *c, int64_t meeting_id, const int64_t *org_ids, int norgs,
		   const int64_t *user_ids, int nusers, const struct invite_filter *f, int *added)
{
	struct invitation a = {meeting_id, org_ids, user_ids, norgs, nusers, f, 0};
	int rc = ctx_tx(c, invite_step, &a);
	*added = a.added;
	return rc;
}

json_t *meeting_invitations_json(struct ctx *c, int64_t meeting_id)
{
	struct meeting_row m;
	if (meeting_load(c, meeting_id, &m) != 0 || meeting_check_read(c, &m) != 0)
		return NULL;
	struct db_stmt *st = db_query(
		c->db,
		"SELECT i.id, i.org_id, i.user_id, o.name, u.display_name, "
		"(SELECT COUNT(*) FROM meeting_org_attendance a WHERE a.org_id = i.org_id AND "
		"a.occurrence_id IN (SELECT id FROM meeting_occurrence WHERE meeting_id = $1) AND a.starts_at <= $2), "
		"(SELECT COUNT(*) FROM meeting_org_attendance a WHERE a.org_id = i.org_id AND a.attended = 1 AND "
		"a.occurrence_id IN (SELECT id FROM meeting_occurrence WHERE meeting_id = $1) AND a.starts_at <= $2) "
		"FROM meeting_invite i LEFT JOIN org o ON o.id = i.org_id LEFT JOIN app_user u ON u.id = i.user_id "
		"WHERE i.meeting_id = $1 ORDER BY i.id",
		"ll", meeting_id, c->now);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t org = db_col_int(st, 1);
		json_t *j = json_pack("{s:I, s:s, s:I, s:s?}", "id", (json_int_t)db_col_int(st, 0),
				      "type", org ? "org" : "user", "target_id",
				      (json_int_t)(org ? org : db_col_int(st, 2)), "name",
				      org ? db_col_text(st, 3) : db_col_text(st, 4));
		if (org) {
			json_object_set_new(j, "past_occurrences", json_integer(db_col_int(st, 5)));
			json_object_set_new(j, "attended", json_integer(db_col_int(st, 6)));
		}
		json_array_append_new(items, j);
	}
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	/* the answers so far, with names, for the organizer's view */
	json_t *rsvps = json_array();
	st = db_query(c->db,
		      "SELECT r.occurrence_id, r.user_id, u.display_name, r.response, r.place, r.responded_at "
		      "FROM meeting_rsvp r JOIN app_user u ON u.id = r.user_id WHERE r.meeting_id = $1 "
		      "ORDER BY r.occurrence_id, r.responded_at LIMIT 2000",
		      "l", meeting_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(rsvps, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I}", "occurrence_id",
			(json_int_t)db_col_int(st, 0), "user_id", (json_int_t)db_col_int(st, 1),
			"name", db_col_text(st, 2), "response", db_col_text(st, 3), "place",
			db_col_text(st, 4), "responded_at", (json_int_t)db_col_int(st, 5)));
	db_done(st);
	return json_pack("{s:o, s:o}", "items", items, "rsvps", rsvps);
}

/* Moves the first waitlisted "yes" of the occurrence to confirmed when a place is free, and
 * tells them. Runs in the caller's transaction. 0 or -1. */
static int promote_waitlist(struct ctx *c, const struct meeting_row *m, int64_t occ_id)
{
	int64_t confirmed = db_int(c->db, -1,
				   "SELECT COUNT(*) FROM meeting_rsvp WHERE occurrence_id = $1 AND "
				   "response = 'yes' AND place = 'confirmed'", "l", occ_id);
	if (confirmed < 0)
		return ctx_db_error(c);
	if (confirmed >= m->capacity)
		return 0;
	int64_t user = db_int(c->db, 0,
			      "SELECT user_id FROM meeting_rsvp WHERE occurrence_id = $1 AND place = "
			      "'waitlisted' AND response = 'yes' ORDER BY responded_at, user_id LIMIT 1",
			      "l", occ_id);
	if (!user)
		return 0;
	if (db_run(c->db, "UPDATE meeting_rsvp SET place = 'confirmed' WHERE occurrence_id = $1 AND user_id = $2",
		   "ll", occ_id, user) < 0)
		return ctx_db_error(c);
	int64_t starts = db_int(c->db, 0, "SELECT starts_at FROM meeting_occurrence WHERE id = $1", "l", occ_id);
	json_t *params = meetings_params(m->title, starts);
	char *link = arena_printf(c->arena, "/meetings/%lld", (long long)m->id);
	struct notice n = {"meeting.promoted", params, link, "meeting", m->id};
	int rc = notify_user(c, user, &n);
	json_decref(params);
	return rc;
}

static int rsvp_allowed(struct ctx *c, const struct meeting_row *m)
{
	if (m->is_public)
		return 0;
	int inv = meeting_is_invited(c, m->id, c->who->user_id);
	if (inv < 0)
		return -1;
	if (inv)
		return 0;
	if (policy_allows(c->who, ACT_MEETING_READ_ALL, NULL) || meeting_may_manage(c, m))
		return error_set(&c->err, E_CONFLICT, "meeting.not_invited");
	return error_set(&c->err, E_NOT_FOUND, "meeting.not_found");
}

/* An answer's arguments and resulting place, for its transaction's step. */
struct rsvp {
	int64_t meeting_id, occ_id;
	const char *response, *place;
};

/* The occurrence answered for must be scheduled; a meeting with places needs one. */
static int rsvp_occurrence_ok(struct ctx *c, const struct meeting_row *m, int64_t occ_id)
{
	struct occurrence_row o;
	if (occ_id) {
		if (occurrence_load(c, occ_id, &o) != 0)
			return -1;
		if (strcmp(o.status, "scheduled") != 0)
			return error_set(&c->err, E_CONFLICT, "meeting.occurrence_cancelled");
	} else if (m->capacity) {
		/* places are counted per occurrence: answer for one occurrence */
		error_field(&c->err, "occurrence_id", "meeting.rsvp_needs_occurrence", 0);
		return -1;
	}
	return 0;
}

static int rsvp_step(struct ctx *c, void *arg)
{
	struct rsvp *a = arg;
	int64_t meeting_id = a->meeting_id, occ_id = a->occ_id;
	const char *response = a->response;
	struct meeting_row m;
	if (meeting_load(c, meeting_id, &m) != 0 || rsvp_allowed(c, &m) != 0 ||
	    rsvp_occurrence_ok(c, &m, occ_id) != 0)
		return -1;
	const char *old_place = NULL, *old_resp = NULL;
	struct db_stmt *st = db_query(c->db, "SELECT response, place FROM meeting_rsvp WHERE meeting_id = $1 AND "
				      "occurrence_id = $2 AND user_id = $3", "lll", meeting_id, occ_id, c->who->user_id);
	if (db_step(st) == DB_ROW) {
		old_resp = arena_strdup(c->arena, db_col_text(st, 0));
		old_place = arena_strdup(c->arena, db_col_text(st, 1));
	}
	db_done(st);
	if (m.capacity && strcmp(response, "yes") == 0) {
		if (old_resp && strcmp(old_resp, "yes") == 0) {
			a->place = old_place; /* answering yes again keeps one's place */
		} else {
			int64_t taken = db_int(c->db, -1, "SELECT COUNT(*) FROM meeting_rsvp WHERE occurrence_id = $1 "
					       "AND response = 'yes' AND place = 'confirmed'", "l", occ_id);
			if (taken < 0)
				return ctx_db_error(c);
			a->place = taken >= m.capacity ? "waitlisted" : "confirmed";
		}
	}
	if (db_run(c->db,
		   "INSERT INTO meeting_rsvp (meeting_id, occurrence_id, user_id, response, place, responded_at) "
		   "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (meeting_id, occurrence_id, user_id) DO UPDATE "
		   "SET response = excluded.response, place = excluded.place, responded_at = excluded.responded_at",
		   "lllssl", meeting_id, occ_id, c->who->user_id, response, a->place, c->now) < 0)
		return ctx_db_error(c);
	if (m.capacity && occ_id && old_resp && strcmp(old_resp, "yes") == 0 &&
	    strcmp(old_place, "confirmed") == 0 && strcmp(response, "yes") != 0 &&
	    promote_waitlist(c, &m, occ_id) != 0)
		return -1;
	json_t *after = json_pack("{s:I, s:s, s:s}", "occurrence_id", (json_int_t)occ_id, "response",
				  response, "place", a->place);
	int arc = audit_append(c, "meeting.rsvp", "meeting", meeting_id, NULL, after);
	json_decref(after);
	return arc;
}

int meeting_rsvp(struct ctx *c, int64_t meeting_id, int64_t occ_id, const char *response,
		 const char **place)
{
	struct rsvp a = {meeting_id, occ_id, response, "confirmed"};
	int rc = ctx_tx(c, rsvp_step, &a);
	*place = a.place;
	return rc;
}
