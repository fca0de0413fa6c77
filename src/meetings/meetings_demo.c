/*
 * Demo meetings: the district's monthly joint meeting (联席会议) with past occurrences, minutes,
 * attendance and open action items (some overdue), and a few one-off events. Runs after the
 * registry and the demo accounts exist, as the CLI's system principal, through the same domain
 * functions the API uses.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "meetings/meetings.h"
#include "meetings/recur.h"

/* Local "YYYY-MM-DDTHH:MM" for the given day of the month `months` from now's month. */
static const char *local_day(struct ctx *c, int months, int day, const char *hm)
{
	time_t t = (time_t)(c->now + RECUR_TZ_OFFSET);
	struct tm tm;
	gmtime_r(&t, &tm);
	int m = tm.tm_mon + months, y = tm.tm_year + 1900;
	while (m < 0)
		m += 12, y--;
	while (m > 11)
		m -= 12, y++;
	return arena_printf(c->arena, "%04d-%02d-%02dT%s", y, m + 1, day, hm);
}

static int create(struct ctx *c, const char *kind, const char *title, const char *desc, const char *location,
		  const char *rrule, const char *dtstart, int64_t capacity, int is_public, int64_t *id)
{
	json_t *given = json_object();
	struct meeting_input in = {.given = given, .kind = kind, .title = title, .description = desc,
				   .location = location, .organizer = "区委统战部", .rrule = rrule,
				   .dtstart = dtstart, .capacity = capacity, .duration_minutes = 120,
				   .is_public = is_public};
	int rc = meeting_create(c, &in, id);
	json_decref(given);
	return rc;
}

static int64_t nth_past_occurrence(struct ctx *c, int64_t meeting_id, int back)
{
	return db_int(c->db, 0, "SELECT id FROM meeting_occurrence WHERE meeting_id = $1 AND starts_at < $2 "
		      "ORDER BY starts_at DESC LIMIT 1 OFFSET $3", "lll", meeting_id, c->now, (int64_t)back);
}

static const char *const minutes_text[] = {
	"## 会议纪要\n\n**出席**：各成员单位代表。\n\n1. 通报上月社区服务项目进展；\n2. 讨论养老助餐点选址，"
	"形成一致意见；\n3. 布置下月志愿服务活动。\n\n> 下次会议继续跟踪助餐点建设进度。",
	"## 会议纪要\n\n- 交流各组织参与社区治理的做法；\n- 商定共建共享资源清单的更新频率（每季度）；\n"
	"- 议定由相关组织牵头筹备年度公益论坛。",
	"## 会议纪要\n\n本次会议听取了青少年服务项目的阶段汇报，与会代表提出改进建议三条，"
	"会议决定成立专项小组跟进。",
};

static int past_occurrences(struct ctx *c, int64_t meeting_id, const int64_t *orgs, int norgs, unsigned seed)
{
	int64_t member = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'member'", "");
	int64_t staff = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'staff'", "");
	for (int back = 0; back < 3; back++) {
		int64_t occ = nth_past_occurrence(c, meeting_id, back);
		if (!occ)
			break;
		int64_t item;
		int already;
		if (agenda_add(c, occ, "通报上次会议决议事项落实情况", "区委统战部", NULL, &item) != 0 ||
		    agenda_add(c, occ, "成员单位工作交流", NULL, NULL, &item) != 0 ||
		    minutes_set(c, occ, minutes_text[back % 3]) != 0)
			return -1;
		if (member && meeting_checkin_manual(c, occ, member, &already) != 0)
			return -1;
		/* historical attendance of organizations without demo accounts: the counters only */
		for (int i = 0; i < norgs; i++)
			if ((seed + (unsigned)i * 7u + (unsigned)back * 3u) % 4 != 0 &&
			    db_run(c->db, "UPDATE meeting_org_attendance SET attended = 1 WHERE occurrence_id = $1 AND org_id = $2",
				   "ll", occ, orgs[i]) < 0)
				return ctx_db_error(c);
		/* action items: the oldest meeting's are overdue, the newest's still due */
		char due[11];
		meetings_today(c->now + (back == 0 ? 20 : -10 * back) * 86400, due);
		struct action_input a = {.title = back == 0 ? "提交社区助餐点选址方案" : "汇总成员单位资源清单",
					 .due_on = due, .owner_org_id = norgs ? orgs[back % norgs] : 0,
					 .owner_user_id = norgs ? 0 : staff};
		if ((a.owner_org_id || a.owner_user_id) && action_add(c, occ, &a, &item) != 0)
			return -1;
	}
	return 0;
}

int meetings_demo_load(struct ctx *c, unsigned seed)
{
	int64_t orgs[8];
	int norgs = 0;
	struct db_stmt *st = db_query(c->db, "SELECT id FROM org WHERE archived = 0 ORDER BY id LIMIT 8", "");
	while (db_step(st) == DB_ROW && norgs < 8)
		orgs[norgs++] = db_col_int(st, 0);
	db_done(st);
	int64_t joint, id;
	int added;
	if (create(c, "joint_meeting", "社会组织联席会议（月度）",
		   "区委统战部牵头的月度联席会议：通报工作、协调资源、跟踪决议事项落实。", "区政务中心三楼会议室",
		   "FREQ=MONTHLY;BYMONTHDAY=15", local_day(c, -5, 15, "14:30"), 0, 0, &joint) != 0)
		return -1;
	if (norgs && meeting_invite(c, joint, orgs, norgs, NULL, 0, NULL, &added) != 0)
		return -1;
	if (past_occurrences(c, joint, orgs, norgs, seed) != 0)
		return -1;
	if (create(c, "forum", "社区治理公益论坛", "面向全区社会组织和居民的公益论坛，名额有限，先到先得。",
		   "区文化馆报告厅", NULL, local_day(c, 1, 20, "09:30"), 3, 1, &id) != 0 ||
	    create(c, "training", "社会组织财务规范培训", "财务制度与年检要点。", "区社会组织服务中心", NULL,
		   local_day(c, 0, 28, "14:00"), 0, 0, &id) != 0)
		return -1;
	if (norgs && meeting_invite(c, id, orgs, norgs > 4 ? 4 : norgs, NULL, 0, NULL, &added) != 0)
		return -1;
	if (create(c, "symposium", "新的社会阶层人士座谈会", NULL, "区委统战部小会议室", NULL,
		   local_day(c, -1, 10, "15:00"), 0, 0, &id) != 0)
		return -1;
	if (norgs > 1 && meeting_invite(c, id, orgs + 1, norgs - 1, NULL, 0, NULL, &added) != 0)
		return -1;
	return 0;
}
