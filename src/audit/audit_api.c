/*
 * Audit routes: list the trail and verify its chain. Administrators and supervisors only (the
 * route filter), and audit_list/audit_verify check ACT_AUDIT_READ themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "audit/audit.h"

enum { AUDIT_MAX_TEXT = 64, AUDIT_MAX_PAGE = 1000000, AUDIT_MAX_PER_PAGE = 200 };

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/*
 * A time bound from the query: Unix seconds (digits only), or a date YYYY-MM-DD meaning that
 * whole day in Asia/Shanghai (UTC+8 all year; DESIGN.md shows times there). `end` picks the
 * day's last second (for `to`, which is inclusive) instead of its first. 0 or -1.
 */
static int parse_time_bound(const char *s, int end, int64_t *out)
{
	size_t n = strlen(s);
	if (n > 0 && n <= 12 && strspn(s, "0123456789") == n) {
		*out = strtoll(s, NULL, 10);
		return 0;
	}
	int y, m, d;
	char tail;
	if (n != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != n ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*out = days_from_civil(y, m, d) * 86400 - 8 * 3600 + (end ? 86399 : 0);
	return 0;
}

/* A short optional text filter; NULL when absent. */
static const char *text_filter(struct req *r, const char *name)
{
	const char *s = req_query(r, name);
	if (!s || !*s)
		return NULL;
	if (strlen(s) > AUDIT_MAX_TEXT)
		error_field(&r->c.err, name, "field.too_long", AUDIT_MAX_TEXT);
	return s;
}

static void time_filter(struct req *r, const char *name, int end, int64_t *out)
{
	const char *s = req_query(r, name);
	if (s && *s && parse_time_bound(s, end, out) != 0)
		error_field(&r->c.err, name, "audit.bad_time", 0);
}

/* Reads every filter, reporting all bad ones together. 0 or -1 (422). */
static int read_filter(struct req *r, struct audit_filter *f)
{
	int64_t actor = 0, object_id = 0;
	memset(f, 0, sizeof *f);
	req_query_int(r, "actor", 0, PRINCIPAL_SYSTEM, INT64_MAX, &actor);
	req_query_int(r, "object_id", 0, 1, INT64_MAX, &object_id);
	req_query_int(r, "page", 1, 1, AUDIT_MAX_PAGE, &f->page);
	req_query_int(r, "per_page", 50, 1, AUDIT_MAX_PER_PAGE, &f->per_page);
	f->has_actor = req_query(r, "actor") && *req_query(r, "actor");
	f->actor_id = actor;
	f->has_object_id = object_id != 0;
	f->object_id = object_id;
	f->action = text_filter(r, "action");
	f->object_type = text_filter(r, "object_type");
	f->from = INT64_MIN;
	f->to = INT64_MAX;
	time_filter(r, "from", 0, &f->from);
	time_filter(r, "to", 1, &f->to);
	if (f->from != INT64_MIN && f->to != INT64_MAX && f->from > f->to)
		error_field(&r->c.err, "to", "audit.to_before_from", 0);
	return error_check(&r->c.err);
}

/*
 * GET /api/v1/audit — admin, supervisor. The trail, newest first.
 * Query: actor (user id; -1 = the command line), action ("user.create"), object_type,
 * object_id, from and to (inclusive; Unix seconds or YYYY-MM-DD in Asia/Shanghai), page
 * (1..1000000, default 1), per_page (1..200, default 50).
 * 200 {items:[{id, at, actor_id, actor_name, actor_roles, remote_addr, action, object_type,
 * object_id, before, after, prev_hash, hash}], page, per_page, total};
 * 422 for a bad filter (every bad one listed); 401/403.
 */
static int audit_list_get(struct req *r)
{
	struct audit_filter f;
	if (read_filter(r, &f) != 0)
		return -1;
	json_t *items;
	int64_t total;
	if (audit_list(&r->c, &f, &items, &total) != 0)
		return -1;
	return reply_json(r, 200,
	                  json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page",
	                            (json_int_t)f.page, "per_page", (json_int_t)f.per_page, "total",
	                            (json_int_t)total));
}

/*
 * GET /api/v1/audit/verify — admin, supervisor. Recomputes the whole chain (on the worker
 * pool: a long trail takes seconds). 200 {ok, records, first_bad_id (null when ok), problem
 * (null when ok), head_id, head_hash}; 401/403; 503 when the database is unreachable.
 */
static int audit_verify_get(struct req *r)
{
	struct audit_verify_result v;
	if (audit_verify(&r->c, &v) != 0)
		return -1;
	json_t *body =
	    json_pack("{s:b, s:I, s:I, s:s}", "ok", v.ok, "records", (json_int_t)v.records,
	              "head_id", (json_int_t)v.head_id, "head_hash", v.head_hash);
	json_object_set_new(body, "first_bad_id",
	                    v.ok ? json_null() : json_integer(v.first_bad_id));
	json_object_set_new(body, "problem", v.ok ? json_null() : json_string(v.problem));
	return reply_json(r, 200, body);
}

#define AUDIT_READERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_SUPERVISOR))

const struct route audit_routes[] = {
    {"GET", "/api/v1/audit", audit_list_get, AUDIT_READERS, 0, "审计日志：筛选与分页，最新在前"},
    {"GET", "/api/v1/audit/verify", audit_verify_get, AUDIT_READERS, ROUTE_SLOW,
     "校验审计哈希链：找出被修改、删除或插入的记录"},
    {NULL},
};

const struct msg audit_messages[] = {
    {"audit.bad_time", "应为日期 YYYY-MM-DD 或 Unix 秒数",
     "Must be a date YYYY-MM-DD or Unix seconds"},
    {"audit.to_before_from", "结束时间不能早于开始时间", "The end cannot be before the start"},
    {NULL, NULL, NULL},
};
