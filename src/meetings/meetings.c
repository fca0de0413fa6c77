/*
 * Meetings and their occurrences: validation, create/update, reading, materializing the
 * recurrence, cancelling and moving single occurrences. See meetings.h.
 */
#include <sodium.h>
#include <string.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "meetings/meetings_internal.h"
#include "meetings/recur.h"
#include "notify/notify.h"

static const char *const kinds[] = {"joint_meeting", "symposium", "forum", "seminar",
				    "social", "consultation", "training", NULL};
static const char *const create_fields[] = {"kind", "title", "description", "location",
					    "online_url", "organizer", "capacity", "is_public",
					    "rrule", "dtstart", "duration_minutes", NULL};
static const char *const update_fields[] = {"kind", "title", "description", "location",
					    "online_url", "organizer", "capacity", "is_public",
					    "version", NULL};

/* ------------------------------------------------------------------ helpers */

char *meetings_random_token(struct ctx *c, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes > sizeof raw)
		nbytes = sizeof raw;
	randombytes_buf(raw, nbytes);
	char *hex = arena_alloc(c->arena, nbytes * 2 + 1);
	sodium_bin2hex(hex, nbytes * 2 + 1, raw, nbytes);
	return hex;
}

void meetings_sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof h);
}

json_t *meetings_params(const char *title, int64_t starts_at)
{
	char when[17] = "";
	if (starts_at)
		recur_format_local(starts_at, when);
	when[10] = starts_at ? ' ' : 0;
	return json_pack("{s:s, s:s}", "title", title ? title : "", "when", when);
}

int meeting_load(struct ctx *c, int64_t id, struct meeting_row *m)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT id, capacity, duration_minutes, horizon_until, version, "
				      "is_public, street_code, title, kind, rrule, dtstart "
				      "FROM meeting WHERE id = $1",
				      "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		m->id = db_col_int(st, 0);
		m->capacity = db_col_isnull(st, 1) ? 0 : db_col_int(st, 1);
		m->duration_minutes = db_col_int(st, 2);
		m->horizon_until = db_col_int(st, 3);
		m->version = db_col_int(st, 4);
		m->is_public = (int)db_col_int(st, 5);
		m->street_code = db_col_text(st, 6) ? arena_strdup(c->arena, db_col_text(st, 6)) : NULL;
		m->title = arena_strdup(c->arena, db_col_text(st, 7));
		m->kind = arena_strdup(c->arena, db_col_text(st, 8));
		m->rrule = db_col_text(st, 9) ? arena_strdup(c->arena, db_col_text(st, 9)) : NULL;
		m->dtstart = arena_strdup(c->arena, db_col_text(st, 10));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return rc == DB_ROW ? 0 : error_set(&c->err, E_NOT_FOUND, "meeting.not_found");
}

int occurrence_load(struct ctx *c, int64_t id, struct occurrence_row *o)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT id, meeting_id, recurrence_id, starts_at, ends_at, status, "
				      "checkin_token FROM meeting_occurrence WHERE id = $1",
				      "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		o->id = db_col_int(st, 0);
		o->meeting_id = db_col_int(st, 1);
		o->recurrence_id = db_col_int(st, 2);
		o->starts_at = db_col_int(st, 3);
		o->ends_at = db_col_int(st, 4);
		o->status = arena_strdup(c->arena, db_col_text(st, 5));
		o->token = arena_strdup(c->arena, db_col_text(st, 6));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return rc == DB_ROW ? 0 : error_set(&c->err, E_NOT_FOUND, "meeting.occurrence_not_found");
}

int occurrence_with_meeting(struct ctx *c, int64_t occ_id, struct occurrence_row *o, struct meeting_row *m)
{
	return occurrence_load(c, occ_id, o) != 0 ? -1 : meeting_load(c, o->meeting_id, m);
}

int meeting_may_manage(struct ctx *c, const struct meeting_row *m)
{
	struct policy_object obj = {0, m->street_code};
	return policy_allows(c->who, ACT_MEETING_MANAGE, &obj);
}

int meeting_check_manage(struct ctx *c, const struct meeting_row *m)
{
	struct policy_object obj = {0, m->street_code};
	return policy_check(c, ACT_MEETING_MANAGE, &obj);
}

int meeting_check_read(struct ctx *c, const struct meeting_row *m)
{
	if (m->is_public || meeting_may_manage(c, m) ||
	    policy_allows(c->who, ACT_MEETING_READ_ALL, NULL))
		return 0;
	int inv = meeting_is_invited(c, m->id, c->who->user_id);
	if (inv < 0)
		return -1;
	return inv ? 0 : error_set(&c->err, E_NOT_FOUND, "meeting.not_found");
}

json_t *occurrence_row_json(const struct occurrence_row *o)
{
	char s[17], e[17];
	recur_format_local(o->starts_at, s);
	recur_format_local(o->ends_at, e);
	return json_pack("{s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:b}", "id", (json_int_t)o->id,
			 "meeting_id", (json_int_t)o->meeting_id, "starts_at", (json_int_t)o->starts_at,
			 "starts_local", s, "ends_at", (json_int_t)o->ends_at, "ends_local", e, "status",
			 o->status, "moved", o->starts_at != o->recurrence_id);
}

/* ------------------------------------------------------------------ validation */

static void read_schedule(struct ctx *c, json_t *obj, struct meeting_input *in)
{
	int64_t start = 0;
	if (v_string(c, obj, "dtstart", V_REQUIRED, 16, &in->dtstart) == 0 && in->dtstart &&
	    recur_parse_local(in->dtstart, &start) != 0)
		error_field(&c->err, "dtstart", "meeting.bad_dtstart", 0);
	v_int(c, obj, "duration_minutes", V_OPTIONAL, 5, 7 * 24 * 60, &in->duration_minutes, NULL);
	if (v_string(c, obj, "rrule", V_OPTIONAL, 300, &in->rrule) != 0 || !in->rrule)
		return;
	if (strncmp(in->rrule, "RRULE:", 6) == 0)
		in->rrule += 6;
	switch (start ? recur_validate(in->rrule, start, MEETING_HORIZON_SECONDS) : RECUR_OK) {
	case RECUR_BAD_SYNTAX:
		error_field(&c->err, "rrule", "meeting.bad_rrule", 0);
		break;
	case RECUR_TOO_FREQUENT:
		error_field(&c->err, "rrule", "meeting.rrule_too_frequent", 0);
		break;
	case RECUR_TOO_MANY:
		error_field(&c->err, "rrule", "meeting.rrule_too_many", RECUR_MAX_IN_HORIZON);
		break;
	default:
		break;
	}
}

int meeting_input_from_json(struct ctx *c, json_t *obj, int for_update, struct meeting_input *in)
{
	memset(in, 0, sizeof *in);
	in->given = obj;
	in->duration_minutes = 120;
	v_no_unknown_fields(c, obj, for_update ? update_fields : create_fields);
	v_choice(c, obj, "kind", for_update ? V_OPTIONAL : V_REQUIRED, kinds, &in->kind);
	if (!for_update || json_object_get(obj, "title"))
		v_string(c, obj, "title", V_REQUIRED, 100, &in->title);
	v_string(c, obj, "description", V_OPTIONAL, 5000, &in->description);
	v_string(c, obj, "location", V_OPTIONAL, 200, &in->location);
	if (v_string(c, obj, "online_url", V_OPTIONAL, 500, &in->online_url) == 0 && in->online_url &&
	    strncmp(in->online_url, "https://", 8) != 0 && strncmp(in->online_url, "http://", 7) != 0)
		error_field(&c->err, "online_url", "meeting.bad_url", 0);
	v_string(c, obj, "organizer", V_OPTIONAL, 100, &in->organizer);
	v_int(c, obj, "capacity", V_OPTIONAL, 1, 100000, &in->capacity, NULL);
	v_bool(c, obj, "is_public", V_OPTIONAL, &in->is_public);
	if (for_update)
		v_int(c, obj, "version", V_REQUIRED, 1, INT64_MAX, &in->version, NULL);
	else
		read_schedule(c, obj, in);
	if (c->err.kind != E_NONE && c->err.kind != E_VALIDATION)
		return -1;
	return error_check(&c->err);
}

/* ------------------------------------------------------------------ materializing */

struct materialize_walk {
	struct ctx *c;
	int64_t meeting_id, duration;
	int added, failed;
};

static const char insert_occurrence_sql[] =
	"INSERT INTO meeting_occurrence (meeting_id, recurrence_id, starts_at, ends_at, "
	"checkin_token) VALUES ($1, $2, $2, CAST($3 AS BIGINT), $4) "
	"ON CONFLICT (meeting_id, recurrence_id) DO NOTHING";

static int materialize_one(int64_t start, void *arg)
{
	struct materialize_walk *w = arg;
	struct db_stmt *st = db_query(w->c->db, insert_occurrence_sql, "llls", w->meeting_id, start,
				      start + w->duration, meetings_random_token(w->c, 16));
	int rc = db_step(st);
	int64_t n = db_changes(st);
	db_done(st);
	if (rc == DB_ERROR) {
		w->failed = 1;
		return 1;
	}
	w->added += (int)n;
	return 0;
}

int meeting_materialize(struct ctx *c, int64_t meeting_id, int64_t horizon_until)
{
	struct meeting_row m;
	if (meeting_load(c, meeting_id, &m) != 0)
		return -1;
	int64_t start;
	if (recur_parse_local(m.dtstart, &start) != 0)
		return error_internal(&c->err, "meeting %lld: bad dtstart", (long long)meeting_id);
	struct materialize_walk w = {c, meeting_id, m.duration_minutes * 60, 0, 0};
	if (recur_expand(m.rrule, start, start, horizon_until, 2000, materialize_one, &w) < 0 ||
	    w.failed)
		return w.failed ? ctx_db_error(c) : error_internal(&c->err, "bad stored rrule");
	/* counters: every scheduled occurrence x every invited organization */
	if (db_run(c->db,
		   "INSERT INTO meeting_org_attendance (occurrence_id, org_id, starts_at) "
		   "SELECT o.id, i.org_id, o.starts_at FROM meeting_occurrence o "
		   "JOIN meeting_invite i ON i.meeting_id = o.meeting_id AND i.org_id <> 0 "
		   "WHERE o.meeting_id = $1 AND o.status = 'scheduled' "
		   "ON CONFLICT (occurrence_id, org_id) DO NOTHING",
		   "l", meeting_id) < 0 ||
	    db_run(c->db, "UPDATE meeting SET horizon_until = $2 WHERE id = $1 AND horizon_until < $2",
		   "ll", meeting_id, horizon_until) < 0)
		return ctx_db_error(c);
	return w.added;
}

/* ------------------------------------------------------------------ create, update */

static json_t *meeting_audit_json(const struct meeting_input *in)
{
	json_t *o = json_object();
	if (in->kind)
		json_object_set_new(o, "kind", json_string(in->kind));
	if (in->title)
		json_object_set_new(o, "title", json_string(in->title));
	if (in->rrule)
		json_object_set_new(o, "rrule", json_string(in->rrule));
	if (in->dtstart)
		json_object_set_new(o, "dtstart", json_string(in->dtstart));
	return o;
}

/* A create's or an update's arguments, for its transaction's step. */
struct meeting_write {
	const struct meeting_input *in;
	const char *street; /* create */
	int64_t id;         /* update: the meeting; create: the new meeting */
};

static int meeting_create_step(struct ctx *c, void *arg)
{
	struct meeting_write *a = arg;
	const struct meeting_input *in = a->in;
	struct db_stmt *st = db_prepare(
		c->db, "INSERT INTO meeting (kind, title, description, location, online_url, "
		       "organizer, capacity, is_public, street_code, rrule, dtstart, duration_minutes, "
		       "horizon_until, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
		       "$6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $14) RETURNING id");
	db_bind_text(st, 1, in->kind);
	db_bind_text(st, 2, in->title);
	db_bind_text(st, 3, in->description);
	db_bind_text(st, 4, in->location);
	db_bind_text(st, 5, in->online_url);
	db_bind_text(st, 6, in->organizer);
	if (in->capacity)
		db_bind_int(st, 7, in->capacity);
	else
		db_bind_null(st, 7);
	db_bind_int(st, 8, in->is_public);
	db_bind_text(st, 9, a->street);
	db_bind_text(st, 10, in->rrule);
	db_bind_text(st, 11, in->dtstart);
	db_bind_int(st, 12, in->duration_minutes);
	db_bind_int(st, 13, c->who->user_id);
	db_bind_int(st, 14, c->now);
	int rc = db_step(st);
	a->id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	int64_t start;
	recur_parse_local(in->dtstart, &start);
	int64_t base = start > c->now ? start : c->now;
	json_t *after = meeting_audit_json(in);
	int arc = audit_append(c, "meeting.create", "meeting", a->id, NULL, after);
	json_decref(after);
	if (arc != 0 || meeting_materialize(c, a->id, base + MEETING_HORIZON_SECONDS) < 0)
		return -1;
	return 0;
}

int meeting_create(struct ctx *c, const struct meeting_input *in, int64_t *id)
{
	const char *street = c->who->jurisdiction[0] ? c->who->jurisdiction : NULL;
	struct policy_object obj = {0, street};
	if (policy_check(c, ACT_MEETING_MANAGE, &obj) != 0)
		return -1;
	struct meeting_write a = {.in = in, .street = street};
	int rc = ctx_tx(c, meeting_create_step, &a);
	*id = a.id;
	return rc;
}

static int meeting_update_step(struct ctx *c, void *arg)
{
	struct meeting_write *a = arg;
	const struct meeting_input *in = a->in;
	int64_t id = a->id;
	struct meeting_row m;
	if (meeting_load(c, id, &m) != 0 || meeting_check_manage(c, &m) != 0)
		return -1;
	if (m.version != in->version)
		return error_set(&c->err, E_STALE, NULL);
	/* a field absent from the body keeps its value (COALESCE); capacity/is_public likewise */
	int has_cap = json_object_get(in->given, "capacity") != NULL;
	int has_pub = json_object_get(in->given, "is_public") != NULL;
	struct db_stmt *st = db_prepare(
		c->db, "UPDATE meeting SET kind = COALESCE($2, kind), title = COALESCE($3, title), "
		       "description = COALESCE($4, description), location = COALESCE($5, location), "
		       "online_url = COALESCE($6, online_url), organizer = COALESCE($7, organizer), "
		       "capacity = CASE WHEN $8 = 1 THEN CAST($9 AS BIGINT) ELSE capacity END, "
		       "is_public = CASE WHEN $10 = 1 THEN $11 ELSE is_public END, "
		       "updated_at = $12, version = version + 1 WHERE id = $1");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, in->kind);
	db_bind_text(st, 3, in->title);
	db_bind_text(st, 4, in->description);
	db_bind_text(st, 5, in->location);
	db_bind_text(st, 6, in->online_url);
	db_bind_text(st, 7, in->organizer);
	db_bind_int(st, 8, has_cap);
	if (in->capacity)
		db_bind_int(st, 9, in->capacity);
	else
		db_bind_null(st, 9);
	db_bind_int(st, 10, has_pub);
	db_bind_int(st, 11, in->is_public);
	db_bind_int(st, 12, c->now);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	json_t *after = meeting_audit_json(in);
	rc = audit_append(c, "meeting.update", "meeting", id, NULL, after);
	json_decref(after);
	return rc;
}

int meeting_update(struct ctx *c, int64_t id, const struct meeting_input *in)
{
	struct meeting_write a = {.in = in, .id = id};
	return ctx_tx(c, meeting_update_step, &a);
}

/* ------------------------------------------------------------------ reading */

static json_t *meeting_row_json(struct db_stmt *st)
{
	json_t *m = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:b, s:s?, s:s?, s:s, s:I, "
			      "s:I, s:I}",
			      "id", (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1),
			      "title", db_col_text(st, 2), "description", db_col_text(st, 3),
			      "location", db_col_text(st, 4), "online_url", db_col_text(st, 5),
			      "organizer", db_col_text(st, 6), "is_public", (int)db_col_int(st, 8),
			      "street_code", db_col_text(st, 9), "rrule", db_col_text(st, 10),
			      "dtstart", db_col_text(st, 11), "duration_minutes",
			      (json_int_t)db_col_int(st, 12), "created_at",
			      (json_int_t)db_col_int(st, 13), "version", (json_int_t)db_col_int(st, 14));
	json_object_set_new(m, "capacity",
			    db_col_isnull(st, 7) ? json_null() : json_integer(db_col_int(st, 7)));
	if (db_col_isnull(st, 15)) {
		json_object_set_new(m, "next_starts_at", json_null());
	} else {
		char s[17];
		recur_format_local(db_col_int(st, 15), s);
		json_object_set_new(m, "next_starts_at", json_integer(db_col_int(st, 15)));
		json_object_set_new(m, "next_starts_local", json_string(s));
	}
	return m;
}

json_t *meeting_get_json(struct ctx *c, int64_t id)
{
	struct meeting_row m;
	if (meeting_load(c, id, &m) != 0 || meeting_check_read(c, &m) != 0)
		return NULL;
	static const char sql[] =
		"SELECT id, kind, title, description, location, online_url, organizer, capacity, "
		"is_public, street_code, rrule, dtstart, duration_minutes, created_at, version, "
		"(SELECT MIN(starts_at) FROM meeting_occurrence o WHERE o.meeting_id = meeting.id "
		"AND o.status = 'scheduled' AND o.starts_at >= $2) FROM meeting WHERE id = $1";
	struct db_stmt *st = db_query(c->db, sql, "ll", id, c->now);
	json_t *out = db_step(st) == DB_ROW ? meeting_row_json(st) : NULL;
	db_done(st);
	if (!out) {
		ctx_db_error(c);
		return NULL;
	}
	int manage = meeting_may_manage(c, &m);
	json_object_set_new(out, "can_manage", json_boolean(manage));
	json_object_set_new(out, "invited", json_boolean(meeting_is_invited(c, id, c->who->user_id) > 0));
	struct db_stmt *r = db_query(c->db,
				     "SELECT response FROM meeting_rsvp WHERE meeting_id = $1 AND "
				     "occurrence_id = 0 AND user_id = $2",
				     "ll", id, c->who->user_id);
	json_object_set_new(out, "my_series_rsvp",
			    db_step(r) == DB_ROW ? json_string(db_col_text(r, 0)) : json_null());
	db_done(r);
	return out;
}

json_t *meeting_list_json(struct ctx *c, const struct meeting_list_query *q)
{
	/* visible: all (READ_ALL), else public or invited; "mine" narrows to invited */
	int all = policy_allows(c->who, ACT_MEETING_READ_ALL, NULL) && !q->mine;
	static const char sql[] =
		"SELECT id, kind, title, description, location, online_url, organizer, capacity, "
		"is_public, street_code, rrule, dtstart, duration_minutes, created_at, version, "
		"(SELECT MIN(starts_at) FROM meeting_occurrence o WHERE o.meeting_id = meeting.id "
		"AND o.status = 'scheduled' AND o.starts_at >= $2) FROM meeting WHERE "
		"($3 = 1 OR ($4 = 0 AND is_public = 1) OR id IN (SELECT i.meeting_id FROM "
		"meeting_invite i WHERE i.user_id = $1 OR (i.org_id <> 0 AND i.org_id IN (SELECT "
		"r.org_id FROM user_role r WHERE r.user_id = $1 AND r.role IN ('org_admin', "
		"'org_member'))))) AND ($5 = 0 OR EXISTS (SELECT 1 FROM meeting_occurrence o WHERE "
		"o.meeting_id = meeting.id AND o.starts_at >= $5 AND o.starts_at <= $6)) "
		"ORDER BY id DESC LIMIT $7 OFFSET $8";
	struct db_stmt *st = db_query(c->db, sql, "lliilll" "l", c->who->user_id, c->now, all,
				      q->mine, q->from, q->to ? q->to : INT64_MAX, q->per_page,
				      (q->page - 1) * q->per_page);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, meeting_row_json(st));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o, s:I, s:I}", "items", items, "page", (json_int_t)q->page, "per_page",
			 (json_int_t)q->per_page);
}

json_t *meeting_occurrences_json(struct ctx *c, int64_t meeting_id, int64_t from, int64_t to)
{
	struct meeting_row m;
	if (meeting_load(c, meeting_id, &m) != 0 || meeting_check_read(c, &m) != 0)
		return NULL;
	struct db_stmt *st = db_query(
		c->db,
		"SELECT o.id, o.meeting_id, o.recurrence_id, o.starts_at, o.ends_at, o.status, "
		"(SELECT response FROM meeting_rsvp r WHERE r.occurrence_id = o.id AND r.user_id = $4), "
		"(SELECT place FROM meeting_rsvp r WHERE r.occurrence_id = o.id AND r.user_id = $4), "
		"(SELECT COUNT(*) FROM meeting_attendance a WHERE a.occurrence_id = o.id) "
		"FROM meeting_occurrence o WHERE o.meeting_id = $1 AND o.starts_at >= $2 AND "
		"o.starts_at <= $3 ORDER BY o.starts_at LIMIT 1000",
		"llll", meeting_id, from, to ? to : INT64_MAX, c->who->user_id);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct occurrence_row o = {db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2),
					   db_col_int(st, 3), db_col_int(st, 4), db_col_text(st, 5), NULL};
		json_t *j = occurrence_row_json(&o);
		json_object_set_new(j, "my_rsvp", db_col_text(st, 6) ? json_string(db_col_text(st, 6)) : json_null());
		json_object_set_new(j, "my_place", db_col_text(st, 7) ? json_string(db_col_text(st, 7)) : json_null());
		json_object_set_new(j, "attendance", json_integer(db_col_int(st, 8)));
		json_array_append_new(items, j);
	}
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o}", "items", items);
}

/* ------------------------------------------------------------------ single occurrences */

static int occurrence_notify_invitees(struct ctx *c, const struct meeting_row *m,
				      const struct occurrence_row *o, const char *kind)
{
	json_t *params = meetings_params(m->title, o->starts_at);
	char *link = arena_printf(c->arena, "/meetings/%lld", (long long)m->id);
	struct notice n = {kind, params, link, "meeting", m->id};
	struct db_stmt *st = db_query(c->db, "SELECT org_id, user_id FROM meeting_invite WHERE meeting_id = $1",
				      "l", m->id);
	int64_t ids[2][256];
	int count = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && count < 256) {
		ids[0][count] = db_col_int(st, 0);
		ids[1][count++] = db_col_int(st, 1);
	}
	db_done(st);
	int out = rc == DB_ERROR ? ctx_db_error(c) : 0;
	for (int i = 0; i < count && out == 0; i++)
		out = ids[0][i] ? (notify_org(c, ids[0][i], &n) < 0 ? -1 : 0)
				: notify_user(c, ids[1][i], &n);
	json_decref(params);
	return out;
}

/* An occurrence change's arguments, for its transaction's step. */
struct occurrence_change {
	int64_t occ_id;
	const char *status;
	int64_t new_start; /* 0: unchanged */
};

/* The attendance counters follow: a cancelled occurrence expects nobody; a moved one keeps
 * its rows. */
static int occurrence_counters(struct ctx *c, const struct occurrence_row *o, const char *status,
			       int64_t new_start)
{
	if (strcmp(status, "cancelled") == 0)
		return db_run(c->db, "DELETE FROM meeting_org_attendance WHERE occurrence_id = $1", "l",
			      o->id) < 0 ? ctx_db_error(c) : 0;
	if (db_run(c->db,
		   "INSERT INTO meeting_org_attendance (occurrence_id, org_id, starts_at) "
		   "SELECT $1, org_id, $3 FROM meeting_invite WHERE meeting_id = $2 AND org_id <> 0 "
		   "ON CONFLICT (occurrence_id, org_id) DO NOTHING",
		   "lll", o->id, o->meeting_id, new_start) < 0 ||
	    db_run(c->db, "UPDATE meeting_org_attendance SET starts_at = $2 WHERE occurrence_id = $1",
		   "ll", o->id, new_start) < 0)
		return ctx_db_error(c);
	return 0;
}

static int occurrence_update_step(struct ctx *c, void *arg)
{
	struct occurrence_change *a = arg;
	struct occurrence_row o;
	struct meeting_row m;
	if (occurrence_with_meeting(c, a->occ_id, &o, &m) != 0 ||
	    meeting_check_manage(c, &m) != 0)
		return -1;
	int64_t new_start = a->new_start ? a->new_start : o.starts_at;
	const char *st_new = a->status ? a->status : o.status;
	int64_t dur = o.ends_at - o.starts_at;
	if (db_run(c->db, "UPDATE meeting_occurrence SET status = $2, starts_at = $3, ends_at = $4 WHERE id = $1",
		   "lsll", a->occ_id, st_new, new_start, new_start + dur) < 0)
		return ctx_db_error(c);
	if (occurrence_counters(c, &o, st_new, new_start) != 0)
		return -1;
	json_t *before = json_pack("{s:s, s:I}", "status", o.status, "starts_at", (json_int_t)o.starts_at);
	json_t *after = json_pack("{s:s, s:I}", "status", st_new, "starts_at", (json_int_t)new_start);
	int arc = audit_append(c, "meeting.occurrence_update", "meeting_occurrence", a->occ_id, before, after);
	json_decref(before);
	json_decref(after);
	o.starts_at = new_start;
	int changed = strcmp(st_new, o.status) != 0 || new_start != o.recurrence_id;
	if (arc != 0 || (changed && occurrence_notify_invitees(c, &m, &o,
			 strcmp(st_new, "cancelled") == 0 ? "meeting.cancelled" : "meeting.changed") != 0))
		return -1;
	return 0;
}

int occurrence_update(struct ctx *c, int64_t occ_id, const char *status, const char *starts_at)
{
	struct occurrence_change a = {occ_id, status, 0};
	if (starts_at && recur_parse_local(starts_at, &a.new_start) != 0) {
		error_field(&c->err, "starts_at", "meeting.bad_dtstart", 0);
		return error_check(&c->err);
	}
	return ctx_tx(c, occurrence_update_step, &a);
}

json_t *occurrence_get_json(struct ctx *c, int64_t occ_id)
{
	struct occurrence_row o;
	struct meeting_row m;
	if (occurrence_with_meeting(c, occ_id, &o, &m) != 0 ||
	    meeting_check_read(c, &m) != 0)
		return NULL;
	json_t *out = occurrence_row_json(&o);
	json_object_set_new(out, "meeting_title", json_string(m.title));
	json_object_set_new(out, "meeting_kind", json_string(m.kind));
	int manage = meeting_may_manage(c, &m);
	json_object_set_new(out, "can_manage", json_boolean(manage));
	if (manage) /* the secret check-in link, for the organizer's printable QR page */
		json_object_set_new(out, "checkin_path", json_string(arena_printf(c->arena, "/checkin/%s", o.token)));
	if (minutes_attach_json(c, &o, out) != 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* ------------------------------------------------------------------ horizon task */

/* One series' extension, for its transaction's step. */
struct horizon {
	int64_t meeting_id, until;
	int added;
};

static int horizon_step(struct ctx *c, void *arg)
{
	struct horizon *h = arg;
	h->added = meeting_materialize(c, h->meeting_id, h->until);
	return h->added < 0 ? -1 : 0;
}

int meetings_task_horizon(struct ctx *c)
{
	/* series whose materialized horizon is less than eleven months ahead get a full year */
	int64_t want = c->now + MEETING_HORIZON_SECONDS;
	struct db_stmt *st = db_query(c->db, "SELECT id FROM meeting WHERE rrule IS NOT NULL AND horizon_until < $1 "
				      "ORDER BY id LIMIT 200", "l", want - 30 * 86400);
	int64_t ids[200];
	int n = 0, added = 0;
	while (db_step(st) == DB_ROW && n < 200)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++) {
		struct horizon h = {ids[i], want, 0};
		if (ctx_tx(c, horizon_step, &h) != 0)
			return -1;
		added += h.added;
	}
	return added;
}

/* ------------------------------------------------------------------ attachments */

int meeting_files_may_read(struct ctx *c, int64_t occ_id)
{
	struct occurrence_row o;
	struct meeting_row m;
	return occurrence_with_meeting(c, occ_id, &o, &m) != 0 ? -1 : meeting_check_read(c, &m);
}

int meeting_files_may_write(struct ctx *c, int64_t occ_id)
{
	struct occurrence_row o;
	struct meeting_row m;
	return occurrence_with_meeting(c, occ_id, &o, &m) != 0 ? -1 : meeting_check_manage(c, &m);
}
