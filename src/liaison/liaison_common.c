/*
 * Small helpers shared by the liaison files: dates in the district's time zone, the policy
 * object of an organization, transactions.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "core/validate.h"
#include "liaison/liaison.h"

const char *const liaison_kind_codes[] = {"visit", "call", "meeting", "online", "other", NULL};
const char *const liaison_role_codes[] = {"primary", "deputy", NULL};

void liaison_today(struct ctx *c, char out[11])
{
	time_t t = (time_t)(c->now + 8 * 3600); /* the district keeps China Standard Time */
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int liaison_date_add(const char *date, int64_t days, char out[11])
{
	struct tm tm = {0};
	if (!date || !v_is_date(date) ||
	    sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12; /* noon: no leap-second or rounding edge can move the day */
	time_t t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return 0;
}

int liaison_org_object(struct ctx *c, int64_t org_id, struct policy_object *obj)
{
	char today[11];
	liaison_today(c, today);
	struct db_stmt *st =
	    db_query(c->db, "SELECT street_code FROM org WHERE id = $1", "l", org_id);
	int rc = db_step(st);
	const char *street = rc == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (!street)
		return error_set(&c->err, E_NOT_FOUND, "liaison.org_not_found");
	int mine = db_exists(c->db,
	                     "SELECT 1 FROM liaison_assignment WHERE org_id = $1 AND user_id = $2 "
	                     "AND (end_on IS NULL OR end_on >= $3)",
	                     "lls", org_id, c->who->user_id, today);
	if (mine < 0)
		return ctx_db_error(c);
	*obj = (struct policy_object){.org_id = org_id, .street_code = street, .responsible = mine};
	return 0;
}

int liaison_officer_only(struct ctx *c)
{
	const struct principal *p = c->who;
	return principal_has(p, ROLE_LIAISON) && !principal_has(p, ROLE_ADMIN) &&
	       !principal_has(p, ROLE_STAFF) && !principal_has(p, ROLE_SUPERVISOR);
}

