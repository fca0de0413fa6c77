/* Shared inside src/meetings only: loading a meeting or occurrence and deciding access. */
#ifndef TONGXIN_MEETINGS_INTERNAL_H
#define TONGXIN_MEETINGS_INTERNAL_H
#include "meetings/meetings.h"

struct meeting_row {
	int64_t id, capacity, duration_minutes, horizon_until, version;
	int is_public;
	const char *street_code, *title, *kind, *rrule, *dtstart; /* arena copies */
};
struct occurrence_row {
	int64_t id, meeting_id, recurrence_id, starts_at, ends_at;
	const char *status, *token;
};

/* Loads the meeting; -1 with 404 when missing. */
int meeting_load(struct ctx *c, int64_t id, struct meeting_row *m);
int occurrence_load(struct ctx *c, int64_t id, struct occurrence_row *o);
/* Both at once: the occurrence and its meeting. 0, or -1 with 404. */
int occurrence_with_meeting(struct ctx *c, int64_t occ_id, struct occurrence_row *o, struct meeting_row *m);
/* ACT_MEETING_MANAGE on the meeting: 0 or -1 with 403. */
int meeting_check_manage(struct ctx *c, const struct meeting_row *m);
/* 1 if the caller may manage (no error set). */
int meeting_may_manage(struct ctx *c, const struct meeting_row *m);
/* Read access: manager, ACT_MEETING_READ_ALL, public, or invited. 0 or -1 (404 to strangers,
 * so private meetings are not revealed). */
int meeting_check_read(struct ctx *c, const struct meeting_row *m);
/* A random hex token of 2*nbytes characters in the arena. */
char *meetings_random_token(struct ctx *c, size_t nbytes);
/* Hex SHA-256 of s into out (65 bytes). */
void meetings_sha256_hex(const char *s, char out[65]);
/* Notice params helper: {"title": title} (new reference). */
json_t *meetings_params(const char *title, int64_t starts_at);
/* Occurrence as JSON (no access check). */
json_t *occurrence_row_json(const struct occurrence_row *o);
/* Adds agenda, carried-over action items, minutes (markdown + html), the occurrence's action
 * items, the caller's RSVP and check-in to an occurrence object. 0 or -1. */
int minutes_attach_json(struct ctx *c, const struct occurrence_row *o, json_t *out);
#endif
