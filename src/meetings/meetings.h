/*
 * Meetings and events (issue 4): series with RFC 5545 recurrence, occurrences materialized for
 * a horizon, invitations and RSVP with a waitlist, check-in and attendance, agenda, minutes,
 * action items, calendar files. No HTTP here: meetings_api.c parses and renders.
 *
 * Who may do what (the policy decides, core/policy.c):
 * - ACT_MEETING_MANAGE on the meeting's street (NULL = district): admin and staff of that
 *   jurisdiction create, edit, invite, cancel or move occurrences, write agenda, minutes and
 *   action items, check people in by hand, see the QR code.
 * - ACT_MEETING_READ_ALL (staff, liaison, supervisor, admin): read every meeting.
 * - everyone else: public meetings, and meetings they are invited to (directly, or as a
 *   delegate — org_admin/org_member — of an invited organization).
 *
 * JSON-returning functions return a new reference (caller decrefs) or NULL with c->err set.
 */
#ifndef TONGXIN_MEETINGS_MEETINGS_H
#define TONGXIN_MEETINGS_MEETINGS_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"
#include "lib/mem.h"

enum { MEETING_HORIZON_SECONDS = 366 * 86400 };

struct meeting_input {
	json_t *given;           /* the request object, for "was this field sent" */
	const char *kind, *title, *description, *location, *online_url, *organizer;
	const char *rrule, *dtstart;
	int64_t capacity, duration_minutes, version;
	int is_public;
};

/* Reads and validates a create (for_update 0) or update body. 0, or -1 with field errors. */
int meeting_input_from_json(struct ctx *c, json_t *obj, int for_update, struct meeting_input *in);
int meeting_create(struct ctx *c, const struct meeting_input *in, int64_t *id);
int meeting_update(struct ctx *c, int64_t id, const struct meeting_input *in);
json_t *meeting_get_json(struct ctx *c, int64_t id);

struct meeting_list_query {
	int mine;          /* only meetings the caller is invited to */
	int64_t from, to;  /* occurrence window (UTC seconds; 0 = none) */
	int64_t page, per_page;
};
json_t *meeting_list_json(struct ctx *c, const struct meeting_list_query *q);
json_t *meeting_occurrences_json(struct ctx *c, int64_t meeting_id, int64_t from, int64_t to);

/* Inside a write transaction: inserts the missing occurrences up to horizon_until and their
 * attendance-counter rows. Returns the number added or -1. */
int meeting_materialize(struct ctx *c, int64_t meeting_id, int64_t horizon_until);

/* Cancels (status "cancelled"), restores ("scheduled") or moves (new local start) one
 * occurrence. */
int occurrence_update(struct ctx *c, int64_t occ_id, const char *status, const char *starts_at);
json_t *occurrence_get_json(struct ctx *c, int64_t occ_id);

/* ---- invitations and RSVP (meeting_invite.c) */
struct invite_filter {
	const char *org_type, *field, *street_code; /* resolved to organizations now */
};
int meeting_invite(struct ctx *c, int64_t meeting_id, const int64_t *org_ids, int norgs,
		   const int64_t *user_ids, int nusers, const struct invite_filter *f, int *added);
json_t *meeting_invitations_json(struct ctx *c, int64_t meeting_id);
/* response yes/no/maybe for one occurrence (occ_id) or the series (occ_id 0). *place gets
 * "confirmed" or "waitlisted". */
int meeting_rsvp(struct ctx *c, int64_t meeting_id, int64_t occ_id, const char *response,
		 const char **place);
/* 1 if the user is invited (directly or through an organization), 0 if not, -1 on error. */
int meeting_is_invited(struct ctx *c, int64_t meeting_id, int64_t user_id);

/* ---- check-in and attendance (meeting_checkin.c) */
/* Checks the caller in with an occurrence's secret token; idempotent (*already set). */
int meeting_checkin_token(struct ctx *c, const char *token, int64_t *occ_id, int *already);
int meeting_checkin_manual(struct ctx *c, int64_t occ_id, int64_t user_id, int *already);
json_t *occurrence_attendance_json(struct ctx *c, int64_t occ_id);
json_t *org_attendance_json(struct ctx *c, int64_t org_id);
/* The check-in QR code for base_url + "/checkin/" + token, as SVG into out. */
int occurrence_qr_svg(struct ctx *c, int64_t occ_id, const char *base_url, struct buf *out);

/* ---- agenda, minutes, action items (meeting_minutes.c) */
int agenda_add(struct ctx *c, int64_t occ_id, const char *title, const char *presenter,
	       const char *note, int64_t *id);
int minutes_set(struct ctx *c, int64_t occ_id, const char *markdown);
struct action_input {
	const char *title, *due_on, *status;
	int64_t owner_org_id, owner_user_id, version;
};
int action_add(struct ctx *c, int64_t occ_id, const struct action_input *in, int64_t *id);
int action_update(struct ctx *c, int64_t id, const struct action_input *in);
json_t *action_get_json(struct ctx *c, int64_t id);
struct action_list_query {
	int overdue;          /* only open items past their due date */
	const char *status;   /* NULL = any */
	int64_t meeting_id;   /* 0 = any */
};
json_t *action_list_json(struct ctx *c, const struct action_list_query *q);
/* Today's date in Asia/Shanghai, "YYYY-MM-DD", into out (11 bytes). */
void meetings_today(int64_t now, char out[11]);

/* ---- calendar (meeting_calendar.c) */
int meeting_ics(struct ctx *c, int64_t meeting_id, struct buf *out);
/* Creates or replaces the caller's feed token; *token (arena) is shown once. */
int calendar_token_rotate(struct ctx *c, const char **token);
/* The feed of the token's user; no principal needed: the token is the credential. */
int calendar_feed(struct ctx *c, const char *token, struct buf *out);

/* ---- attachments of occurrences (app/file_owners.c): 0 or -1 with c->err */
int meeting_files_may_read(struct ctx *c, int64_t occ_id);
int meeting_files_may_write(struct ctx *c, int64_t occ_id);

/* ---- periodic tasks (app/tasks.c) */
int meetings_task_horizon(struct ctx *c);
int meetings_task_overdue(struct ctx *c);

/* ---- demo (cli_demo.c) */
int meetings_demo_load(struct ctx *c, unsigned seed);

#endif
