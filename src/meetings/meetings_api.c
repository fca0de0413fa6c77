/*
 * Meeting routes: parse -> call the domain (meetings.h, which checks the policy) -> render.
 * Errors follow the house rule: every bad field reported at once (422), 403 for a caller the
 * policy refuses, 404 for what does not exist or is not theirs to see.
 */
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "core/validate.h"
#include "files/files.h"
#include "meetings/meetings.h"
#include "meetings/recur.h"
#include "notify/notify_admin.h"

#define MANAGERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
#define OVERSEERS (MANAGERS | ROLE_BIT(ROLE_LIAISON) | ROLE_BIT(ROLE_SUPERVISOR))

/* ------------------------------------------------------------------ helpers */

/* An optional query date YYYY-MM-DD as the UTC instant of its local midnight (+ end_of_day). */
static int64_t query_date(struct req *r, const char *name, int end_of_day)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		return 0;
	int64_t t;
	char *local = arena_printf(r->c.arena, "%.10sT00:00", v);
	if (strlen(v) != 10 || !v_is_date(v) || recur_parse_local(local, &t) != 0) {
		error_field(&r->c.err, name, "field.bad_date", 0);
		return 0;
	}
	return t + (end_of_day ? 86399 : 0);
}

/* A body that must be a JSON object with only the allowed fields. */
static int body(struct req *r, const char *const *allowed, json_t **obj)
{
	if (req_json_object(r, obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, *obj, allowed);
	return 0;
}

/* An optional list of positive ids, at most max. */
static void read_ids(struct ctx *c, json_t *obj, const char *field, int max, int64_t **out, int *n)
{
	json_t *a = json_object_get(obj, field);
	*n = 0;
	*out = NULL;
	if (!a || json_is_null(a))
		return;
	if (!json_is_array(a)) {
		error_field(&c->err, field, "field.type_array", 0);
		return;
	}
	if ((int)json_array_size(a) > max) {
		error_field(&c->err, field, "field.too_many", max);
		return;
	}
	*out = arena_alloc(c->arena, sizeof(int64_t) * (json_array_size(a) + 1));
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			error_field(&c->err, arena_printf(c->arena, "%s[%zu]", field, i), "field.type_integer", 0);
			continue;
		}
		(*out)[(*n)++] = json_integer_value(v);
	}
}

static int reply_text(struct req *r, const char *type, struct buf *b)
{
	reply_bytes(r, 200, type, b->data ? b->data : "", b->len);
	buf_free(b);
	return 0;
}

/* ------------------------------------------------------------------ meetings */

/* GET /api/v1/meetings — any signed-in user. Query: mine (0|1), from, to (YYYY-MM-DD: has an
 * occurrence in the window), page, per_page. 200 {items, page, per_page}: the meetings the
 * caller may see (staff, liaison, supervisor: all; others: public and invited); 422. */
static int meetings_list_route(struct req *r)
{
	struct meeting_list_query q = {0};
	int64_t mine = 0;
	req_query_int(r, "mine", 0, 0, 1, &mine);
	q.mine = (int)mine;
	q.from = query_date(r, "from", 0);
	q.to = query_date(r, "to", 1);
	req_query_int(r, "page", 1, 1, 100000, &q.page);
	req_query_int(r, "per_page", 20, 1, 100, &q.per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *b = meeting_list_json(&r->c, &q);
	return b ? reply_json(r, 200, b) : -1;
}

/* POST /api/v1/meetings — admin, staff (ACT_MEETING_MANAGE; the meeting belongs to the
 * creator's jurisdiction). Body {kind, title, dtstart "YYYY-MM-DDTHH:MM" (Asia/Shanghai),
 * duration_minutes?, rrule?, description?, location?, online_url?, organizer?, capacity?,
 * is_public?}. 201 with the meeting; 422 (bad RRULE, too frequent, too many occurrences). */
static int meeting_create_route(struct req *r)
{
	json_t *obj;
	struct meeting_input in;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || meeting_input_from_json(&r->c, obj, 0, &in) != 0 ||
	    meeting_create(&r->c, &in, &id) != 0)
		return -1;
	json_t *b = meeting_get_json(&r->c, id);
	if (!b)
		return -1;
	reply_header(r, "Location", arena_printf(r->c.arena, "/api/v1/meetings/%lld", (long long)id));
	return reply_json(r, 201, b);
}

/* GET /api/v1/meetings/{id} — any signed-in user who may see it. 200; 404. */
static int meeting_get_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *b = meeting_get_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* PATCH /api/v1/meetings/{id} — admin, staff of the meeting's jurisdiction. Body: fields to
 * change plus version (the schedule itself is not edited: cancel or move occurrences). 200;
 * 409 stale; 422; 403; 404. */
static int meeting_patch_route(struct req *r)
{
	json_t *obj;
	struct meeting_input in;
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    meeting_input_from_json(&r->c, obj, 1, &in) != 0 || meeting_update(&r->c, id, &in) != 0)
		return -1;
	json_t *b = meeting_get_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* GET /api/v1/meetings/{id}/occurrences — who may see the meeting. Query from, to
 * (YYYY-MM-DD). 200 {items} with the caller's RSVP per occurrence; 404; 422. */
static int occurrences_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	int64_t from = query_date(r, "from", 0), to = query_date(r, "to", 1);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *b = meeting_occurrences_json(&r->c, id, from, to);
	return b ? reply_json(r, 200, b) : -1;
}

/* GET /api/v1/meetings/{id}/invitations — who may see the meeting. 200 {items, rsvps}. */
static int invitations_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *b = meeting_invitations_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* POST /api/v1/meetings/{id}/invitations — admin, staff of the meeting. Body {org_ids?,
 * user_ids?, org_type?, field?, street_code?} (the filter is resolved to organizations now).
 * Invitees are notified. 200 {added, items}; 422 unknown ids; 403; 404. */
static int invite_route(struct req *r)
{
	static const char *const allowed[] = {"org_ids", "user_ids", "org_type", "field", "street_code", NULL};
	json_t *obj;
	int64_t id, *orgs, *users;
	int norgs, nusers, added;
	struct invite_filter f = {0};
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	read_ids(&r->c, obj, "org_ids", 500, &orgs, &norgs);
	read_ids(&r->c, obj, "user_ids", 500, &users, &nusers);
	v_string(&r->c, obj, "org_type", V_OPTIONAL, 32, &f.org_type);
	v_string(&r->c, obj, "field", V_OPTIONAL, 32, &f.field);
	v_string(&r->c, obj, "street_code", V_OPTIONAL, 12, &f.street_code);
	if (error_check(&r->c.err) != 0)
		return -1;
	if (!norgs && !nusers && !f.org_type && !f.field && !f.street_code) {
		error_field(&r->c.err, "org_ids", "meeting.invite_empty", 0);
		return -1;
	}
	if (meeting_invite(&r->c, id, orgs, norgs, users, nusers, &f, &added) != 0)
		return -1;
	json_t *b = meeting_invitations_json(&r->c, id);
	if (!b)
		return -1;
	json_object_set_new(b, "added", json_integer(added));
	return reply_json(r, 200, b);
}

/* POST /api/v1/meetings/{id}/rsvp — an invitee (or anyone, for a public meeting). Body
 * {response: yes|no|maybe, occurrence_id?} (none = the whole series; required when the
 * meeting has a capacity). 200 {response, place: confirmed|waitlisted}; 404; 409; 422. */
static int rsvp_route(struct req *r)
{
	static const char *const allowed[] = {"response", "occurrence_id", NULL};
	static const char *const answers[] = {"yes", "no", "maybe", NULL};
	json_t *obj;
	int64_t id, occ = 0;
	const char *response = NULL, *place;
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	v_choice(&r->c, obj, "response", V_REQUIRED, answers, &response);
	v_int(&r->c, obj, "occurrence_id", V_OPTIONAL, 1, INT64_MAX, &occ, NULL);
	if (error_check(&r->c.err) != 0)
		return -1;
	if (occ && !db_exists(r->c.db, "SELECT 1 FROM meeting_occurrence WHERE id = $1 AND meeting_id = $2",
			      "ll", occ, id)) {
		error_field(&r->c.err, "occurrence_id", "meeting.unknown_id", 0);
		return error_check(&r->c.err);
	}
	if (meeting_rsvp(&r->c, id, occ, response, &place) != 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:s, s:s, s:I}", "response", response, "place", place,
					    "occurrence_id", (json_int_t)occ));
}

/* GET /api/v1/meetings/{id}/calendar.ics — who may see the meeting. text/calendar: one VEVENT
 * with RRULE and EXDATE, overrides for moved occurrences (TZID Asia/Shanghai). 404. */
static int meeting_ics_route(struct req *r)
{
	int64_t id;
	struct buf b = {0};
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	if (meeting_ics(&r->c, id, &b) != 0) {
		buf_free(&b);
		return -1;
	}
	reply_header(r, "Content-Disposition",
		     arena_printf(r->c.arena, "attachment; filename=\"meeting-%lld.ics\"", (long long)id));
	return reply_text(r, "text/calendar; charset=utf-8", &b);
}

/* ------------------------------------------------------------------ occurrences */

/* GET /api/v1/occurrences/{id} — who may see the meeting. 200: the occurrence with agenda,
 * carried-over open action items, minutes (Markdown and rendered HTML), its action items, the
 * caller's RSVP and check-in; 404. */
static int occurrence_get_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *b = occurrence_get_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* PATCH /api/v1/occurrences/{id} — admin, staff of the meeting. Body {status?:
 * scheduled|cancelled, starts_at?: "YYYY-MM-DDTHH:MM"} cancels, restores or moves this one
 * occurrence (EXDATE / RECURRENCE-ID); invitees are told. 200; 403; 404; 422. */
static int occurrence_patch_route(struct req *r)
{
	static const char *const allowed[] = {"status", "starts_at", NULL};
	static const char *const statuses[] = {"scheduled", "cancelled", NULL};
	json_t *obj;
	int64_t id;
	const char *status = NULL, *starts = NULL;
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	v_choice(&r->c, obj, "status", V_OPTIONAL, statuses, &status);
	v_string(&r->c, obj, "starts_at", V_OPTIONAL, 16, &starts);
	if (error_check(&r->c.err) != 0 || occurrence_update(&r->c, id, status, starts) != 0)
		return -1;
	json_t *b = occurrence_get_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* The site's absolute base URL for links printed on paper: the same public address as the
 * links of e-mails and robot messages (the administrator's setting, else --public-url or
 * TONGXIN_PUBLIC_URL as cli_parse_common read it), else the Host the caller used. */
static const char *base_url(struct req *r)
{
	const char *configured = notify_public_url(&r->c);
	if (configured && *configured)
		return configured;
	const char *host = req_header(r, "Host");
	const char *proto = req_header(r, "X-Forwarded-Proto");
	return arena_printf(r->c.arena, "%s://%s", proto && strcmp(proto, "https") == 0 ? "https" : "http",
			    host && *host && !strpbrk(host, "\"<> /") ? host : "localhost");
}

/* GET /api/v1/occurrences/{id}/qr.svg — admin, staff of the meeting. image/svg+xml: the QR
 * code of the absolute check-in URL /checkin/<token>. 403; 404. */
static int qr_route(struct req *r)
{
	int64_t id;
	struct buf b = {0};
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	if (occurrence_qr_svg(&r->c, id, base_url(r), &b) != 0) {
		buf_free(&b);
		return -1;
	}
	reply_header(r, "Cache-Control", "no-store");
	return reply_text(r, "image/svg+xml", &b);
}

/* GET /api/v1/occurrences/{id}/attendance — admin, staff, liaison, supervisor. 200 {items}. */
static int attendance_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *b = occurrence_attendance_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* POST /api/v1/occurrences/{id}/attendance — admin, staff of the meeting: manual check-in.
 * Body {user_id}. 200 {already}; 403; 404; 422. */
static int manual_checkin_route(struct req *r)
{
	static const char *const allowed[] = {"user_id", NULL};
	json_t *obj;
	int64_t id, user = 0;
	int already;
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	v_int(&r->c, obj, "user_id", V_REQUIRED, 1, INT64_MAX, &user, NULL);
	if (error_check(&r->c.err) != 0 || meeting_checkin_manual(&r->c, id, user, &already) != 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:b, s:I}", "already", already, "user_id", (json_int_t)user));
}

/* POST /api/v1/occurrences/{id}/agenda — admin, staff of the meeting. Body {title,
 * presenter?, note?}. 201 with the occurrence; 403; 404; 422. */
static int agenda_route(struct req *r)
{
	static const char *const allowed[] = {"title", "presenter", "note", NULL};
	json_t *obj;
	int64_t id, item;
	const char *title = NULL, *presenter = NULL, *note = NULL;
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	v_string(&r->c, obj, "title", V_REQUIRED, 200, &title);
	v_string(&r->c, obj, "presenter", V_OPTIONAL, 100, &presenter);
	v_string(&r->c, obj, "note", V_OPTIONAL, 2000, &note);
	if (error_check(&r->c.err) != 0 || agenda_add(&r->c, id, title, presenter, note, &item) != 0)
		return -1;
	json_t *b = occurrence_get_json(&r->c, id);
	return b ? reply_json(r, 201, b) : -1;
}

/* PUT /api/v1/occurrences/{id}/minutes — admin, staff of the meeting. Body {markdown}
 * (stored as written, rendered safely on read). 200 with the occurrence; 403; 404; 422. */
static int minutes_route(struct req *r)
{
	static const char *const allowed[] = {"markdown", NULL};
	json_t *obj;
	int64_t id;
	const char *md = NULL;
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	v_string(&r->c, obj, "markdown", V_REQUIRED, 50000, &md);
	if (error_check(&r->c.err) != 0 || minutes_set(&r->c, id, md) != 0)
		return -1;
	json_t *b = occurrence_get_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

static void read_action(struct ctx *c, json_t *obj, int for_update, struct action_input *in)
{
	static const char *const statuses[] = {"open", "done", "cancelled", NULL};
	v_string(c, obj, "title", for_update ? V_OPTIONAL : V_REQUIRED, 200, &in->title);
	v_date(c, obj, "due_on", for_update ? V_OPTIONAL : V_REQUIRED, &in->due_on);
	v_int(c, obj, "owner_org_id", V_OPTIONAL, 1, INT64_MAX, &in->owner_org_id, NULL);
	v_int(c, obj, "owner_user_id", V_OPTIONAL, 1, INT64_MAX, &in->owner_user_id, NULL);
	if (for_update) {
		v_choice(c, obj, "status", V_OPTIONAL, statuses, &in->status);
		v_int(c, obj, "version", V_REQUIRED, 1, INT64_MAX, &in->version, NULL);
	}
	if (in->owner_org_id && in->owner_user_id)
		error_field(&c->err, "owner_user_id", "meeting.one_owner", 0);
	else if (!for_update && !in->owner_org_id && !in->owner_user_id &&
		 !json_object_get(obj, "owner_org_id") && !json_object_get(obj, "owner_user_id"))
		error_field(&c->err, "owner_org_id", "meeting.owner_required", 0);
}

/* POST /api/v1/occurrences/{id}/actions — admin, staff of the meeting. Body {title, due_on
 * YYYY-MM-DD, owner_org_id | owner_user_id}. The owner is notified. 201 the action item. */
static int action_add_route(struct req *r)
{
	static const char *const allowed[] = {"title", "due_on", "owner_org_id", "owner_user_id", NULL};
	json_t *obj;
	int64_t id, item;
	struct action_input in = {0};
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	read_action(&r->c, obj, 0, &in);
	if (error_check(&r->c.err) != 0 || action_add(&r->c, id, &in, &item) != 0)
		return -1;
	json_t *b = action_get_json(&r->c, item);
	return b ? reply_json(r, 201, b) : -1;
}

/* GET /api/v1/meeting-actions — any signed-in user: staff, liaison and supervisors see all,
 * others the items they or their organizations own. Query overdue (0|1), status, meeting.
 * 200 {items} ordered by due date, each with overdue flag; 422. */
static int actions_list_route(struct req *r)
{
	static const char *const statuses[] = {"open", "done", "cancelled", NULL};
	struct action_list_query q = {0};
	int64_t overdue = 0;
	req_query_int(r, "overdue", 0, 0, 1, &overdue);
	req_query_int(r, "meeting", 0, 1, INT64_MAX, &q.meeting_id);
	q.overdue = (int)overdue;
	q.status = req_query(r, "status");
	if (q.status && *q.status) {
		int ok = 0;
		for (int i = 0; statuses[i]; i++)
			ok |= strcmp(statuses[i], q.status) == 0;
		if (!ok)
			error_field(&r->c.err, "status", "field.bad_choice", 0);
	} else {
		q.status = NULL;
	}
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *b = action_list_json(&r->c, &q);
	return b ? reply_json(r, 200, b) : -1;
}

/* PATCH /api/v1/meeting-actions/{id} — staff of the meeting change anything; the owner (user,
 * or a delegate of the owning organization) may only set status done. Body {version, status?,
 * due_on?, title?, owner_org_id?, owner_user_id?}. 200; 403; 404; 409 stale; 422. */
static int action_patch_route(struct req *r)
{
	static const char *const allowed[] = {"title", "due_on", "owner_org_id", "owner_user_id", "status",
					      "version", NULL};
	json_t *obj;
	int64_t id;
	struct action_input in = {0};
	if (req_param_id(r, "id", &id) != 0 || body(r, allowed, &obj) != 0)
		return -1;
	read_action(&r->c, obj, 1, &in);
	if (error_check(&r->c.err) != 0 || action_update(&r->c, id, &in) != 0)
		return -1;
	json_t *b = action_get_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* POST /api/v1/checkin/{token} — any signed-in user invited to the meeting (or any, for a
 * public one). Body {} . Idempotent: 200 {occurrence_id, meeting_id, title, already}; 403 not
 * invited; 404 unknown token; 409 cancelled occurrence. */
static int checkin_route(struct req *r)
{
	static const char *const allowed[] = {NULL};
	json_t *obj;
	int64_t occ;
	int already;
	const char *token = req_param(r, "token");
	if (body(r, allowed, &obj) != 0 || error_check(&r->c.err) != 0)
		return -1;
	if (!token || strlen(token) > 64) {
		error_set(&r->c.err, E_NOT_FOUND, "meeting.bad_checkin_token");
		return -1;
	}
	if (meeting_checkin_token(&r->c, token, &occ, &already) != 0)
		return -1;
	json_t *b = occurrence_get_json(&r->c, occ);
	if (!b)
		return -1;
	json_object_set_new(b, "already", json_boolean(already));
	return reply_json(r, 200, b);
}

/* GET /api/v1/orgs/{id}/attendance — staff, liaison, supervisor, admin, and the
 * organization's own people. 200 {expected, attended, rate, meetings}; 403; 404. */
static int org_attendance_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *b = org_attendance_json(&r->c, id);
	return b ? reply_json(r, 200, b) : -1;
}

/* POST /api/v1/calendar/token — any signed-in user. Body {}. Creates or replaces the caller's
 * calendar feed token (the old URL stops working). 201 {token, path}: shown once. */
static int calendar_token_route(struct req *r)
{
	static const char *const allowed[] = {NULL};
	json_t *obj;
	const char *token;
	if (body(r, allowed, &obj) != 0 || error_check(&r->c.err) != 0 ||
	    calendar_token_rotate(&r->c, &token) != 0)
		return -1;
	return reply_json(r, 201, json_pack("{s:s, s:s}", "token", token, "path",
					    arena_printf(r->c.arena, "/api/v1/calendar/%s.ics", token)));
}

/* GET /api/v1/calendar/{token} — public: the token ("<secret>.ics") is the credential.
 * text/calendar with every meeting the token's user is invited to; 404 unknown token. */
static int calendar_feed_route(struct req *r)
{
	const char *p = req_param(r, "token");
	size_t n = p ? strlen(p) : 0;
	if (n > 4 && strcmp(p + n - 4, ".ics") == 0)
		n -= 4;
	if (n == 0 || n > 64)
		return error_set(&r->c.err, E_NOT_FOUND, "meeting.bad_calendar_token");
	struct buf b = {0};
	if (calendar_feed(&r->c, arena_strndup(r->c.arena, p, n), &b) != 0) {
		buf_free(&b);
		return -1;
	}
	reply_header(r, "Cache-Control", "private, max-age=300");
	return reply_text(r, "text/calendar; charset=utf-8", &b);
}

/* ------------------------------------------------------------------ attachments */

/* POST /api/v1/occurrences/{id}/files — admin, staff of the meeting. Raw body (the file) with
 * X-Filename (URL-encoded UTF-8). 201 the attachment; 413; 415 not an allowed type; 403. */
static int occurrence_file_upload_route(struct req *r)
{
	int64_t id, file_id;
	if (req_param_id(r, "id", &id) != 0 ||
	    files_upload_request(r, "meeting_occurrence", id, &file_id) != 0)
		return -1;
	json_t *b = files_get_json(&r->c, file_id);
	return b ? reply_json(r, 201, b) : -1;
}

/* GET /api/v1/occurrences/{id}/files — who may see the meeting. 200 {items}. */
static int occurrence_files_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *b = files_list_json(&r->c, "meeting_occurrence", id);
	return b ? reply_json(r, 200, b) : -1;
}

const struct route meetings_routes[] = {
	{"GET", "/api/v1/meetings", meetings_list_route, ROLES_ALL, 0, "会议与活动列表"},
	{"POST", "/api/v1/meetings", meeting_create_route, MANAGERS, 0, "新建会议或活动（可设重复规则）"},
	{"GET", "/api/v1/meetings/{id}", meeting_get_route, ROLES_ALL, 0, "会议详情"},
	{"PATCH", "/api/v1/meetings/{id}", meeting_patch_route, MANAGERS, 0, "修改会议（需带 version）"},
	{"GET", "/api/v1/meetings/{id}/occurrences", occurrences_route, ROLES_ALL, 0, "会议的各次场次"},
	{"GET", "/api/v1/meetings/{id}/invitations", invitations_route, ROLES_ALL, 0, "会议的邀请与回复"},
	{"POST", "/api/v1/meetings/{id}/invitations", invite_route, MANAGERS, 0, "邀请组织、用户或按条件邀请"},
	{"POST", "/api/v1/meetings/{id}/rsvp", rsvp_route, ROLES_ALL, 0, "回复是否参加（某一场或整个系列）"},
	{"GET", "/api/v1/meetings/{id}/calendar.ics", meeting_ics_route, ROLES_ALL, 0, "下载会议日历文件（.ics）"},
	{"GET", "/api/v1/occurrences/{id}", occurrence_get_route, ROLES_ALL, 0, "场次详情：议程、纪要、决议事项"},
	{"PATCH", "/api/v1/occurrences/{id}", occurrence_patch_route, MANAGERS, 0, "取消、恢复或改期某一场"},
	{"GET", "/api/v1/occurrences/{id}/qr.svg", qr_route, MANAGERS, 0, "签到二维码（SVG）"},
	{"GET", "/api/v1/occurrences/{id}/attendance", attendance_route, OVERSEERS, 0, "签到名单"},
	{"POST", "/api/v1/occurrences/{id}/attendance", manual_checkin_route, MANAGERS, 0, "工作人员代为签到"},
	{"POST", "/api/v1/occurrences/{id}/agenda", agenda_route, MANAGERS, 0, "添加议程"},
	{"PUT", "/api/v1/occurrences/{id}/minutes", minutes_route, MANAGERS, 0, "保存会议纪要（Markdown）"},
	{"POST", "/api/v1/occurrences/{id}/actions", action_add_route, MANAGERS, 0, "添加决议事项"},
	{"GET", "/api/v1/occurrences/{id}/files", occurrence_files_route, ROLES_ALL, 0, "场次的附件"},
	{"POST", "/api/v1/occurrences/{id}/files", occurrence_file_upload_route, MANAGERS, ROUTE_UPLOAD, "上传场次附件"},
	{"GET", "/api/v1/meeting-actions", actions_list_route, ROLES_ALL, 0, "决议事项列表（可只看逾期）"},
	{"PATCH", "/api/v1/meeting-actions/{id}", action_patch_route, ROLES_ALL, 0, "更新决议事项（负责人可标记完成）"},
	{"POST", "/api/v1/checkin/{token}", checkin_route, ROLES_ALL, 0, "扫码签到"},
	{"GET", "/api/v1/orgs/{id}/attendance", org_attendance_route, ROLES_ALL, 0, "组织的会议邀请与出席率"},
	{"POST", "/api/v1/calendar/token", calendar_token_route, ROLES_ALL, 0, "生成或更换日历订阅链接"},
	{"GET", "/api/v1/calendar/{token}", calendar_feed_route, 0, ROUTE_PUBLIC, "日历订阅（令牌即凭据）"},
	{NULL},
};

const struct msg meetings_messages[] = {
	{"meeting.not_found", "未找到该会议", "No such meeting"},
	{"meeting.occurrence_not_found", "未找到该场次", "No such occurrence"},
	{"meeting.action_not_found", "未找到该决议事项", "No such action item"},
	{"meeting.bad_dtstart", "开始时间格式应为 YYYY-MM-DDTHH:MM（北京时间）",
	 "Start time must be YYYY-MM-DDTHH:MM (Asia/Shanghai)"},
	{"meeting.bad_rrule", "重复规则无法识别（应为 RFC 5545 RRULE，如 FREQ=MONTHLY;BYDAY=2TU）",
	 "Not a valid recurrence rule (RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2TU)"},
	{"meeting.rrule_too_frequent", "重复过于频繁：不支持按秒、分钟或小时重复",
	 "Too frequent: secondly, minutely and hourly rules are not allowed"},
	{"meeting.rrule_too_many", "一年内的场次超过 {n} 次，请调整重复规则",
	 "More than {n} occurrences within a year; change the rule"},
	{"meeting.bad_url", "链接应以 http:// 或 https:// 开头", "Links start with http:// or https://"},
	{"meeting.unknown_id", "不存在", "Does not exist"},
	{"meeting.invite_empty", "请选择要邀请的组织、用户或筛选条件",
	 "Choose organizations, users or a filter to invite"},
	{"meeting.not_invited", "您未受邀参加该会议", "You are not invited to this meeting"},
	{"meeting.occurrence_cancelled", "该场次已取消", "This occurrence is cancelled"},
	{"meeting.rsvp_needs_occurrence", "该活动限额报名，请选择具体场次",
	 "Places are limited: answer for one occurrence"},
	{"meeting.bad_checkin_token", "签到链接无效", "This check-in link is not valid"},
	{"meeting.bad_calendar_token", "日历订阅链接无效或已更换", "This calendar link is not valid or was replaced"},
	{"meeting.one_owner", "负责方只能是一个组织或一个用户", "The owner is either an organization or a user"},
	{"meeting.owner_required", "请指定负责组织或负责人", "Choose an owning organization or user"},
	{"notify.meeting.invited", "您（或您的组织）受邀参加「{title}」", "You (or your organization) are invited to “{title}”"},
	{"notify.meeting.cancelled", "「{title}」{when} 的场次已取消", "“{title}” on {when} is cancelled"},
	{"notify.meeting.changed", "「{title}」的场次改到 {when}", "“{title}” moved to {when}"},
	{"notify.meeting.promoted", "「{title}」{when} 有空位，您已从候补转为正式报名",
	 "A place freed up for “{title}” on {when}: you are in"},
	{"notify.meeting.action_assigned", "新的决议事项「{title}」，完成期限 {due_on}",
	 "New action item “{title}”, due {due_on}"},
	{"notify.meeting.action_overdue", "决议事项「{title}」已逾期（期限 {due_on}）",
	 "Action item “{title}” is overdue (due {due_on})"},
	{NULL, NULL, NULL},
};
