/*
 * The liaison part of the demo district: two more officers, an officer for each of the first
 * organizations, a year of contacts, some organizations overdue, open follow-ups (some past
 * due). Contacts are written through the domain functions as the officer, so policy, audit
 * and due dates are exercised exactly as in use.
 */
#include <stdlib.h>
#include <string.h>
#include "accounts/accounts.h"
#include "liaison/liaison.h"

enum { DEMO_ORGS = 80 };

static const char *const summaries[] = {
    "走访组织办公场所，了解**年度工作计划**与党建工作开展情况。",
    "电话沟通近期活动安排，组织反映场地紧张。",
    "参加组织理事会，通报区里最新政策：\n- 社会组织评估\n- 公益创投申报",
    "线上会议交流志愿者招募与培训需求。",
    "座谈了解组织参与社区治理的情况，听取意见建议。",
};
static const char *const issues[] = {
    "活动场地不足，希望街道协调",
    "希望获得公益创投项目申报辅导",
    "志愿者流失较多",
    NULL,
};
static const char *const followups[] = {
    "协调街道党群服务中心场地",
    "安排项目申报辅导",
    "反馈政策咨询答复",
};

/* A demo officer: a new user with the liaison role sharing the demo password's hash. */
static int64_t demo_officer(struct ctx *c, const char *username, const char *name,
                            const char *street)
{
	struct db_stmt *st =
	    db_query(c->db, "SELECT password_hash FROM app_user WHERE username = 'liaison'", "");
	const char *hash =
	    db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
	db_done(st);
	if (!hash)
		return 0;
	struct user_input in = {.username = username,
	                        .display_name = name,
	                        .password = accounts_demo_password,
	                        .password_hash = hash,
	                        .jurisdiction = street,
	                        .roles = ROLE_BIT(ROLE_LIAISON)};
	int64_t id = 0;
	return accounts_user_create_in_tx(c, &in, &id) == 0 ? id : -1;
}

static const char *street_at(struct ctx *c, int n)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT code FROM division WHERE level = 'street' ORDER BY code "
	             "LIMIT 1 OFFSET $1",
	             "i", n);
	const char *code =
	    db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
	db_done(st);
	return code;
}

/* A year of contacts for one organization, written as its officer. `lapse` > 0 leaves the
 * organization that many days past due. */
static int demo_contacts(struct ctx *c, int64_t org_id, int64_t officer, int interval, int lapse,
                         unsigned *seed)
{
	struct principal who;
	const struct principal *system = c->who;
	if (accounts_load_principal(c, officer, &who) != 0)
		return -1;
	char today[11], day[11], stop[11];
	liaison_today(c, today);
	liaison_date_add(today, -360, day);
	liaison_date_add(today, lapse > 0 ? -(interval + lapse) : -3, stop);
	c->who = &who;
	int rc = 0;
	for (;;) {
		char next[11], due[11];
		liaison_date_add(day, interval / 2 + rand_r(seed) % (interval / 2 + 1), next);
		if (strcmp(next, stop) > 0)
			break;
		memcpy(day, next, sizeof day);
		int k = rand_r(seed) % 5;
		struct liaison_contact_input in = {liaison_kind_codes[k],
		                                   day,
		                                   summaries[k],
		                                   issues[rand_r(seed) % 4],
		                                   NULL,
		                                   NULL,
		                                   0};
		if (in.issues && rand_r(seed) % 2 == 0) {
			liaison_date_add(day, 14 + rand_r(seed) % 20, due);
			in.followup = followups[rand_r(seed) % 3];
			in.followup_due_on = due;
		}
		int64_t id;
		if ((rc = liaison_contact_create_in_tx(c, org_id, &in, &id)) != 0)
			break;
		/* most follow-ups were done; a third of those past due are still open */
		if (in.followup && (strcmp(due, today) < 0 && rand_r(seed) % 3 != 0) &&
		    db_run(c->db,
		           "UPDATE liaison_followup SET status = 'closed', close_note = '已办结', "
		           "closed_at = $1, closed_by = $2 WHERE contact_id = $3",
		           "lll", c->now, officer, id) < 0) {
			rc = ctx_db_error(c);
			break;
		}
	}
	c->who = system;
	return rc;
}

static int demo_step(struct ctx *c, void *arg)
{
	unsigned seed = *(unsigned *)arg;
	const char *s1 = street_at(c, 0), *s2 = street_at(c, 1);
	int64_t liaison =
	    db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'liaison'", "");
	int64_t staff = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'staff'", "");
	if (!s1 || !s2 || !liaison)
		return 0; /* a district without streets or accounts: nothing to look after */
	int64_t second = demo_officer(c, "liaison2", "联络员 黄磊", s2);
	int64_t district = demo_officer(c, "liaison3", "联络员 林芳", "");
	if (second < 0 || district < 0)
		return -1;
	char today[11], start[11];
	liaison_today(c, today);
	liaison_date_add(today, -365, start);
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT id, street_code FROM org WHERE archived = 0 ORDER BY id "
	             "LIMIT 80",
	             "");
	int64_t ids[DEMO_ORGS];
	const char *streets[DEMO_ORGS];
	int n = 0;
	while (db_step(st) == DB_ROW && n < DEMO_ORGS) {
		ids[n] = db_col_int(st, 0);
		streets[n++] = arena_strdup(c->arena, db_col_text(st, 1));
	}
	db_done(st);
	for (int i = 0; i < n; i++) {
		int64_t officer = strcmp(streets[i], s1) == 0   ? liaison
		                  : strcmp(streets[i], s2) == 0 ? second
		                                                : district;
		struct liaison_assign_input in = {officer, "primary", start, NULL};
		int64_t id;
		if (liaison_assign_in_tx(c, ids[i], &in, &id) != 0)
			return -1;
		if (i % 7 == 3 && staff) {
			struct liaison_assign_input dep = {staff, "deputy", start, NULL};
			if (liaison_assign_in_tx(c, ids[i], &dep, &id) != 0)
				return -1;
		}
		int is_key = i % 8 == 0;
		if (is_key && (db_run(c->db, "UPDATE liaison_org SET is_key = 1 WHERE org_id = $1",
		                      "l", ids[i]) < 0 ||
		               liaison_org_refresh_in_tx(c, ids[i], NULL) != 0))
			return c->err.kind ? -1 : ctx_db_error(c);
		int interval = (int)db_int(
		    c->db, 90, "SELECT interval_days FROM liaison_org WHERE org_id = $1", "l",
		    ids[i]);
		int lapse = i % 4 == 1 ? 5 + (int)(rand_r(&seed) % 40) : 0;
		if (demo_contacts(c, ids[i], officer, interval, lapse, &seed) != 0)
			return -1;
	}
	return 0;
}

int liaison_demo_load(struct ctx *c, unsigned seed)
{
	return ctx_tx(c, demo_step, &seed);
}
