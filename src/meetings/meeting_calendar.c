/*
 * Calendar files: one meeting as a VEVENT with its RRULE, EXDATEs for cancelled occurrences and
 * RECURRENCE-ID overrides for moved ones (times in Asia/Shanghai with a VTIMEZONE), and a
 * per-user subscription feed whose secret token is the only credential (stored hashed).
 */
#include <string.h>
#include "audit/audit.h"
#include "meetings/ics.h"
#include "meetings/meetings_internal.h"
#include "meetings/recur.h"

/* "YYYYMMDDTHHMMSS" local time for a TZID=Asia/Shanghai value. */
static void local_stamp(int64_t utc, char out[16])
{
	char l[17];
	recur_format_local(utc, l);
	memcpy(out, l, 4);
	memcpy(out + 4, l + 5, 2);
	memcpy(out + 6, l + 8, 2);
	out[8] = 'T';
	memcpy(out + 9, l + 11, 2);
	memcpy(out + 11, l + 14, 2);
	memcpy(out + 13, "00", 3);
}

static void begin_calendar(struct buf *out, const char *name)
{
	ics_line(out, "BEGIN", "VCALENDAR");
	ics_line(out, "VERSION", "2.0");
	ics_line(out, "PRODID", "-//Tongxin//Meetings//ZH");
	ics_line(out, "CALSCALE", "GREGORIAN");
	ics_line(out, "METHOD", "PUBLISH");
	ics_text(out, "X-WR-CALNAME", name);
	ics_line(out, "X-WR-TIMEZONE", "Asia/Shanghai");
	ics_line(out, "BEGIN", "VTIMEZONE");
	ics_line(out, "TZID", "Asia/Shanghai");
	ics_line(out, "BEGIN", "STANDARD");
	ics_line(out, "DTSTART", "19700101T000000");
	ics_line(out, "TZOFFSETFROM", "+0800");
	ics_line(out, "TZOFFSETTO", "+0800");
	ics_line(out, "TZNAME", "CST");
	ics_line(out, "END", "STANDARD");
	ics_line(out, "END", "VTIMEZONE");
}

static void event_head(struct ctx *c, struct buf *out, int64_t meeting_id, struct db_stmt *m)
{
	ics_line(out, "BEGIN", "VEVENT");
	ics_line(out, "UID", arena_printf(c->arena, "meeting-%lld@tongxin", (long long)meeting_id));
	ics_utc(out, "DTSTAMP", c->now);
	ics_text(out, "SUMMARY", db_col_text(m, 0));
	if (db_col_text(m, 1))
		ics_text(out, "DESCRIPTION", db_col_text(m, 1));
	const char *loc = db_col_text(m, 2) ? db_col_text(m, 2) : db_col_text(m, 3);
	if (loc)
		ics_text(out, "LOCATION", loc);
	if (db_col_text(m, 3))
		ics_line(out, "URL", db_col_text(m, 3));
}

/* Appends the meeting's VEVENTs. */
static int append_meeting(struct ctx *c, int64_t meeting_id, struct buf *out)
{
	struct db_stmt *m = db_query(c->db, "SELECT title, description, location, online_url, rrule, dtstart, "
				     "duration_minutes FROM meeting WHERE id = $1", "l", meeting_id);
	if (db_step(m) != DB_ROW) {
		db_done(m);
		return ctx_db_error(c);
	}
	int64_t start, dur = db_col_int(m, 6) * 60;
	recur_parse_local(db_col_text(m, 5), &start);
	char stamp[16];
	event_head(c, out, meeting_id, m);
	local_stamp(start, stamp);
	ics_line(out, "DTSTART;TZID=Asia/Shanghai", stamp);
	local_stamp(start + dur, stamp);
	ics_line(out, "DTEND;TZID=Asia/Shanghai", stamp);
	int recurring = db_col_text(m, 4) != NULL;
	if (recurring)
		ics_line(out, "RRULE", db_col_text(m, 4));
	/* EXDATE for cancelled occurrences */
	struct db_stmt *o = db_query(c->db, "SELECT recurrence_id FROM meeting_occurrence WHERE meeting_id = $1 "
				     "AND status = 'cancelled' ORDER BY recurrence_id", "l", meeting_id);
	while (recurring && db_step(o) == DB_ROW) {
		local_stamp(db_col_int(o, 0), stamp);
		ics_line(out, "EXDATE;TZID=Asia/Shanghai", stamp);
	}
	db_done(o);
	ics_line(out, "END", "VEVENT");
	/* moved occurrences: an override VEVENT with the same UID and RECURRENCE-ID */
	o = db_query(c->db, "SELECT recurrence_id, starts_at, ends_at FROM meeting_occurrence WHERE meeting_id = $1 "
		     "AND status = 'scheduled' AND starts_at <> recurrence_id ORDER BY recurrence_id", "l", meeting_id);
	while (recurring && db_step(o) == DB_ROW) {
		event_head(c, out, meeting_id, m);
		local_stamp(db_col_int(o, 0), stamp);
		ics_line(out, "RECURRENCE-ID;TZID=Asia/Shanghai", stamp);
		local_stamp(db_col_int(o, 1), stamp);
		ics_line(out, "DTSTART;TZID=Asia/Shanghai", stamp);
		local_stamp(db_col_int(o, 2), stamp);
		ics_line(out, "DTEND;TZID=Asia/Shanghai", stamp);
		ics_line(out, "END", "VEVENT");
	}
	db_done(o);
	db_done(m);
	return 0;
}

int meeting_ics(struct ctx *c, int64_t meeting_id, struct buf *out)
{
	struct meeting_row m;
	if (meeting_load(c, meeting_id, &m) != 0 || meeting_check_read(c, &m) != 0)
		return -1;
	begin_calendar(out, m.title);
	if (append_meeting(c, meeting_id, out) != 0)
		return -1;
	ics_line(out, "END", "VCALENDAR");
	return 0;
}

/* Stores the new token's hash (the step's arg), audited. */
static int token_rotate_step(struct ctx *c, void *arg)
{
	const char *hash = arg;
	if (db_run(c->db, "INSERT INTO calendar_token (user_id, token_hash, created_at) VALUES ($1, $2, $3) "
		   "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
		   "lsl", c->who->user_id, hash, c->now) < 0)
		return ctx_db_error(c);
	return audit_append(c, "calendar.token_rotate", "user", c->who->user_id, NULL, NULL);
}

int calendar_token_rotate(struct ctx *c, const char **token)
{
	if (c->who->user_id <= 0)
		return error_set(&c->err, E_UNAUTHENTICATED, NULL);
	char *t = meetings_random_token(c, 24);
	char hash[65];
	meetings_sha256_hex(t, hash);
	if (ctx_tx(c, token_rotate_step, hash) != 0)
		return -1;
	*token = t;
	return 0;
}

int calendar_feed(struct ctx *c, const char *token, struct buf *out)
{
	char hash[65];
	meetings_sha256_hex(token, hash);
	int64_t user = db_int(c->db, 0, "SELECT t.user_id FROM calendar_token t JOIN app_user u ON u.id = t.user_id "
			      "WHERE t.token_hash = $1 AND u.status = 'active'", "s", hash);
	if (!user)
		return error_set(&c->err, E_NOT_FOUND, "meeting.bad_calendar_token");
	struct db_stmt *st = db_query(c->db,
				      "SELECT DISTINCT i.meeting_id FROM meeting_invite i WHERE i.user_id = $1 OR "
				      "(i.org_id <> 0 AND i.org_id IN (SELECT r.org_id FROM user_role r WHERE "
				      "r.user_id = $1 AND r.role IN ('org_admin', 'org_member'))) ORDER BY 1 LIMIT 500",
				      "l", user);
	int64_t ids[500];
	int n = 0;
	while (db_step(st) == DB_ROW && n < 500)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	begin_calendar(out, "同心 · 我的会议");
	for (int i = 0; i < n; i++)
		if (append_meeting(c, ids[i], out) != 0)
			return -1;
	ics_line(out, "END", "VCALENDAR");
	return 0;
}
