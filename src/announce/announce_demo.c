/*
 * Demo announcements: sent by the demo staff member over the past weeks, each published
 * through the domain (so audiences resolve and users are told), then read by part of the
 * addressed organizations. The demo has user accounts for only one organization, so the other
 * organizations' receipts carry a time but no reader.
 */
#include <stdlib.h>
#include <string.h>
#include "accounts/accounts.h"
#include "announce/announce.h"

static const struct {
	const char *title, *body, *kind, *values;
	int days_ago, read_percent;
} demo[] = {
	{"关于开展2026年度社会组织年报工作的通知",
	 "各社会组织：\n\n根据《社会组织登记管理条例》，请于**6月30日前**完成年度报告填报。\n\n"
	 "1. 登录年报系统填写基本信息、财务状况；\n2. 上传审计报告；\n3. 有疑问请联系区民政局。",
	 "all", "[]", 40, 85},
	{"关于举办社区治理能力提升培训班的通知",
	 "为提升社会服务机构参与社区治理的能力，定于下月举办培训班，每个机构请派 1 至 2 名骨干参加，"
	 "并在本周五前回复参训名单。",
	 "type", "[\"service_agency\"]", 12, 60},
	{"关于征集“邻里守望”联合公益项目的通知",
	 "请教育、社会服务领域的组织围绕*一老一小*需求提交项目建议书，统战部将组织供需对接会。",
	 "field", "[\"education\", \"social_service\"]", 3, 25},
};

int announce_demo_load(struct ctx *c, unsigned seed)
{
	struct principal staff, member;
	const struct principal *system = c->who;
	if (accounts_principal_by_username(c, "staff", &staff) != 0 ||
	    accounts_principal_by_username(c, "member", &member) != 0)
		return -1;
	int64_t now = c->now;
	int rc = 0;
	for (size_t i = 0; i < sizeof demo / sizeof demo[0] && rc == 0; i++) {
		struct announce_input in = {demo[i].title, demo[i].body, demo[i].kind,
					    json_loads(demo[i].values, 0, NULL), 0};
		int64_t id;
		c->who = &staff;
		c->now = now - demo[i].days_ago * 86400;
		rc = announce_create(c, &in, &id);
		json_decref(in.audience_values);
		if (rc == 0)
			rc = announce_publish(c, id);
		/* the demo organization member acknowledges the oldest two */
		c->who = &member;
		c->now += 3600;
		if (rc == 0 && demo[i].days_ago > 10)
			announce_ack(c, id), error_clear(&c->err);
		/* other organizations: a deterministic share read within a few days */
		c->who = system;
		if (rc == 0 &&
		    db_run(c->db,
			   "UPDATE announcement_org SET first_read_at = $2 + (org_id % 5) * 21600 "
			   "WHERE announcement_id = $1 AND first_read_at IS NULL AND "
			   "(org_id * 7 + $3) % 100 < $4",
			   "llll", id, c->now, (int64_t)(seed % 100), (int64_t)demo[i].read_percent) < 0)
			rc = ctx_db_error(c);
		if (rc == 0 &&
		    db_run(c->db,
			   "UPDATE announcement SET read_count = (SELECT count(*) FROM announcement_org "
			   "WHERE announcement_id = $1 AND first_read_at IS NOT NULL) WHERE id = $1",
			   "l", id) < 0)
			rc = ctx_db_error(c);
	}
	c->who = system;
	c->now = now;
	return rc;
}
