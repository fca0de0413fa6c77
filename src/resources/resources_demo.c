/*
 * Demo data of the resource integration: a realistic resource list and needs list for the
 * demo district's organizations (an enterprise offering funds, a university offering expert
 * hours, a community venue, volunteer teams; needs for elderly care, children's tutoring,
 * river protection...), a talent and expert pool, and past dockings with feedback. Everything
 * goes through the domain functions (validation, audit, search index, notifications).
 */
#include <string.h>
#include <time.h>
#include "registry/org.h"
#include "resources/resources.h"

struct demo_item {
	const char *kind, *org_type, *json;
};

/* Bodies without org_id: the loader adds the first organization of org_type. */
static const struct demo_item items[] = {
	{"resource", "enterprise",
	 "{\"title\":\"企业爱心助老基金\",\"category\":\"funds\",\"fields\":[\"social_service\"],"
	 "\"quantity\":200000,\"unit\":\"yuan\",\"eligible_types\":[\"social_group\",\"service_agency\"],"
	 "\"min_grade\":\"3A\",\"description\":\"区企业联合会会员企业共同出资，支持社区居家养老、助餐助浴项目。"
	 "\",\"contact_name\":\"陈经理\",\"contact_phone\":\"13857501234\",\"visibility\":\"public\"}"},
	{"resource", "academic",
	 "{\"title\":\"高校社会工作专家智力支持\",\"category\":\"expertise\",\"fields\":[\"education\","
	 "\"social_service\"],\"quantity\":120,\"unit\":\"hours\",\"weekly_days\":[\"sat\"],"
	 "\"daily_from\":\"09:00\",\"daily_to\":\"12:00\",\"description\":\"社会工作系教师团队提供项目设计、"
	 "督导和评估，每月约 10 小时。\",\"contact_name\":\"王老师\",\"contact_phone\":\"0575-88341234\","
	 "\"visibility\":\"district\"}"},
	{"resource", "neighborhood_committee",
	 "{\"title\":\"社区党群服务中心多功能活动室\",\"category\":\"venue\",\"fields\":[\"culture\","
	 "\"social_service\"],\"quantity\":200,\"unit\":\"m2\",\"weekly_days\":[\"sat\",\"sun\"],"
	 "\"daily_from\":\"09:00\",\"daily_to\":\"17:00\",\"description\":\"可容纳 80 人，配投影和音响，"
	 "周末免费向社会组织开放。\",\"contact_name\":\"社区李书记\",\"contact_phone\":\"13905751111\","
	 "\"visibility\":\"public\"}"},
	{"resource", "community_group",
	 "{\"title\":\"青年志愿服务队\",\"category\":\"volunteers\",\"fields\":[\"social_service\","
	 "\"environment\"],\"quantity\":30,\"unit\":\"people\",\"description\":\"30 名青年志愿者，"
	 "可参与助老、护河、课业辅导等活动。\",\"contact_name\":\"队长小张\",\"contact_phone\":"
	 "\"13700001111\",\"visibility\":\"public\"}"},
	{"resource", "foundation",
	 "{\"title\":\"儿童绘本与课外读物捐赠\",\"category\":\"materials\",\"fields\":[\"education\"],"
	 "\"quantity\":500,\"unit\":\"items\",\"description\":\"适合 6-12 岁儿童的绘本和课外读物。\","
	 "\"visibility\":\"public\"}"},
	{"resource", "institution",
	 "{\"title\":\"心理健康与护理技能培训课程\",\"category\":\"training\",\"fields\":[\"health\"],"
	 "\"quantity\":40,\"unit\":\"hours\",\"description\":\"疾控与社工联合授课：心理急救、"
	 "老年护理基础。\",\"visibility\":\"district\"}"},
	{"resource", "service_agency",
	 "{\"title\":\"河道巡查无人机及操作员\",\"category\":\"equipment\",\"fields\":[\"environment\"],"
	 "\"quantity\":2,\"unit\":\"items\",\"description\":\"两台航拍无人机，可配合护河巡查。\","
	 "\"visibility\":\"staff\"}"},
	{"need", "social_group",
	 "{\"title\":\"社区老年食堂助餐资金缺口\",\"category\":\"funds\",\"fields\":[\"social_service\"],"
	 "\"quantity\":50000,\"unit\":\"yuan\",\"description\":\"为 80 岁以上独居老人提供每日午餐，"
	 "年度资金缺口约 5 万元。\",\"contact_name\":\"刘洋\",\"contact_phone\":\"13611112222\","
	 "\"visibility\":\"public\"}"},
	{"need", "service_agency",
	 "{\"title\":\"儿童课后辅导志愿者\",\"category\":\"volunteers\",\"fields\":[\"education\"],"
	 "\"quantity\":10,\"unit\":\"people\",\"weekly_days\":[\"mon\",\"wed\",\"fri\"],"
	 "\"daily_from\":\"16:00\",\"daily_to\":\"18:00\",\"description\":\"为双职工家庭儿童提供作业辅导"
	 "和阅读陪伴。\",\"visibility\":\"public\"}"},
	{"need", "community_group",
	 "{\"title\":\"河道保护宣传活动场地\",\"category\":\"venue\",\"fields\":[\"environment\"],"
	 "\"quantity\":100,\"unit\":\"m2\",\"description\":\"世界水日护河宣传展览，需要一个周末的室内场地。"
	 "\",\"visibility\":\"public\"}"},
	{"need", "social_group",
	 "{\"title\":\"河道垃圾清理志愿者\",\"category\":\"volunteers\",\"fields\":[\"environment\"],"
	 "\"quantity\":20,\"unit\":\"people\",\"description\":\"每月一次河岸垃圾清理。\","
	 "\"visibility\":\"public\"}"},
	{"need", "neighborhood_committee",
	 "{\"title\":\"独居老人心理慰藉专家支持\",\"category\":\"expertise\",\"fields\":[\"health\","
	 "\"social_service\"],\"quantity\":30,\"unit\":\"hours\",\"description\":\"需要心理咨询师"
	 "定期上门。\",\"visibility\":\"district\"}"},
	{"need", "foundation",
	 "{\"title\":\"养老护理员技能培训\",\"category\":\"training\",\"fields\":[\"health\"],"
	 "\"quantity\":20,\"unit\":\"hours\",\"visibility\":\"public\"}"},
};

static const char *const talents[] = {
	"{\"name\":\"孙教授\",\"kind\":\"expert\",\"skills\":[\"社会工作\",\"项目评估\"],\"fields\":"
	"[\"social_service\",\"education\"],\"affiliation\":\"同心学院社会工作系\",\"title\":\"教授\","
	"\"hours_per_month\":10,\"pro_bono\":true,\"languages\":[\"普通话\",\"英语\"],"
	"\"phone\":\"13900001234\",\"email\":\"sun@example.edu.cn\",\"bio\":\"长期从事社区治理研究。\"}",
	"{\"name\":\"李律师\",\"kind\":\"expert\",\"skills\":[\"法律咨询\",\"纠纷调解\"],\"fields\":"
	"[\"law\"],\"affiliation\":\"同心律师事务所\",\"title\":\"执业律师\",\"hours_per_month\":8,"
	"\"pro_bono\":true,\"languages\":[\"普通话\",\"绍兴话\"],\"phone\":\"13800002222\"}",
	"{\"name\":\"王心怡\",\"kind\":\"expert\",\"skills\":[\"心理咨询\",\"危机干预\"],\"fields\":"
	"[\"health\"],\"affiliation\":\"区疾病预防控制中心\",\"title\":\"心理咨询师\","
	"\"hours_per_month\":12,\"pro_bono\":false,\"languages\":[\"普通话\"],"
	"\"street_code\":\"330602001000\"}",
	"{\"name\":\"陈护士长\",\"kind\":\"expert\",\"skills\":[\"老年护理\",\"护理培训\",\"康复指导\"],"
	"\"fields\":[\"health\",\"social_service\"],\"affiliation\":\"区人民医院\",\"title\":"
	"\"副主任护师\",\"hours_per_month\":8,\"pro_bono\":true,\"languages\":[\"普通话\",\"绍兴话\"],"
	"\"street_code\":\"330602001000\",\"bio\":\"从事老年护理二十年，为养老机构护理员授课。\"}",
	"{\"name\":\"吴社工\",\"kind\":\"expert\",\"skills\":[\"个案管理\",\"心理疏导\",\"独居老人探访\"],"
	"\"fields\":[\"social_service\"],\"affiliation\":\"同心社会工作服务中心\",\"title\":"
	"\"中级社会工作师\",\"hours_per_month\":16,\"pro_bono\":true,\"languages\":[\"普通话\"]}",
	"{\"name\":\"赵工\",\"kind\":\"talent\",\"skills\":[\"水质监测\",\"无人机\"],\"fields\":"
	"[\"environment\"],\"affiliation\":\"环保科技公司\",\"hours_per_month\":6,\"pro_bono\":true,"
	"\"languages\":[\"普通话\"]}",
	"{\"name\":\"钱老师\",\"kind\":\"talent\",\"skills\":[\"课业辅导\",\"绘本阅读\"],\"fields\":"
	"[\"education\"],\"affiliation\":\"退休教师\",\"hours_per_month\":20,\"pro_bono\":true,"
	"\"languages\":[\"普通话\",\"英语\"]}",
};

static int64_t org_of_type(struct ctx *c, const char *type)
{
	int64_t id = db_int(c->db, 0, "SELECT min(id) FROM org WHERE type = $1 AND archived = 0",
			    "s", type);
	return id > 0 ? id : db_int(c->db, 0, "SELECT min(id) FROM org WHERE archived = 0", "");
}

/* The enterprise fund asks for 3A and above: the canteen's organization gets a 4A grade
 * announced last year when the registry demo gave it none (or a lower one). */
static int ensure_grade(struct ctx *c, int64_t org_id)
{
	if (db_exists(c->db, "SELECT 1 FROM org WHERE id = $1 AND current_grade IN ('3A', '4A', '5A')",
		      "l", org_id) == 1)
		return 0;
	char announced[11], from[11], to[11];
	time_t t = (time_t)(c->now - 366 * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(announced, sizeof announced, "%Y-06-01", &tm);
	org_grade_default_validity(announced, from, to);
	struct org_grade_input in = {"4A", announced, from, to, "示例数据"};
	int64_t grade_id;
	return org_grade_add(c, org_id, &in, &grade_id);
}

static int version_of(struct ctx *c, int64_t docking)
{
	return (int)db_int(c->db, 1, "SELECT version FROM docking WHERE id = $1", "l", docking);
}

/* One step with the current version; extra JSON fields from `fmt`. */
static int step(struct ctx *c, int64_t id, const char *name, const char *side, int rating,
		const char *feedback)
{
	json_t *b = json_pack("{s:i}", "version", version_of(c, id));
	if (side)
		json_object_set_new(b, "side", json_string(side));
	if (rating)
		json_object_set_new(b, "rating", json_integer(rating));
	if (feedback)
		json_object_set_new(b, "feedback", json_string(feedback));
	int rc = docking_step(c, id, name, b);
	json_decref(b);
	return rc;
}

/* A docking taken from proposal to fulfilment with both sides' ratings. */
static int past_docking(struct ctx *c, int64_t need, int64_t res, int64_t q, const char *fb_need,
			const char *fb_res)
{
	json_t *b = json_pack("{s:I, s:I, s:I}", "need_id", (json_int_t)need, "resource_id",
			      (json_int_t)res, "quantity", (json_int_t)q);
	int64_t id = 0;
	int rc = docking_create(c, b, &id);
	json_decref(b);
	if (rc == 0)
		rc = step(c, id, "accept", "need", 0, NULL) || step(c, id, "accept", "resource", 0, NULL) ||
		     step(c, id, "start", NULL, 0, NULL);
	if (rc == 0 && fb_need)
		rc = step(c, id, "fulfil", "need", 5, fb_need) ||
		     step(c, id, "feedback", "resource", 4, fb_res);
	return rc;
}

/* An expert docked directly: fulfilled and rated when `feedback` is given, else proposed by the
 * department and waiting for both sides. */
static int expert_docking(struct ctx *c, int64_t need, int64_t talent, int64_t hours,
			  const char *feedback)
{
	json_t *b = json_pack("{s:I, s:I, s:I}", "need_id", (json_int_t)need, "talent_id",
			      (json_int_t)talent, "quantity", (json_int_t)hours);
	int64_t id = 0;
	int rc = docking_create(c, b, &id);
	json_decref(b);
	if (rc == 0 && feedback)
		rc = step(c, id, "accept", "need", 0, NULL) ||
		     step(c, id, "accept", "resource", 0, NULL) || step(c, id, "start", NULL, 0, NULL) ||
		     step(c, id, "fulfil", "need", 5, feedback);
	return rc;
}

int resources_demo_load(struct ctx *c, unsigned seed)
{
	(void)seed; /* the list is fixed: a handful of realistic entries */
	int n = (int)(sizeof items / sizeof items[0]);
	int64_t ids[sizeof items / sizeof items[0]];
	if (db_int(c->db, 0, "SELECT count(*) FROM org", "") < 2)
		return 0;
	for (int i = 0; i < n; i++) {
		json_error_t jerr;
		json_t *b = json_loads(items[i].json, 0, &jerr);
		if (!b)
			return error_internal(&c->err, "demo item %d: %s", i, jerr.text);
		/* the first social group is the demo organization administrator's */
		json_object_set_new(b, "org_id", json_integer(org_of_type(c, items[i].org_type)));
		int rc = res_item_create(c, items[i].kind, b, &ids[i]);
		json_decref(b);
		if (rc != 0)
			return -1;
	}
	if (ensure_grade(c, org_of_type(c, items[7].org_type)) != 0)
		return -1;
	int64_t expert = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'expert'", "");
	int64_t people[sizeof talents / sizeof talents[0]];
	for (size_t i = 0; i < sizeof talents / sizeof talents[0]; i++) {
		json_t *b = json_loads(talents[i], 0, NULL);
		if (i == 0 && expert > 0)
			json_object_set_new(b, "user_id", json_integer(expert));
		if (b && db_int(c->db, 0, "SELECT count(*) FROM division WHERE code = '330602001000'", "") == 0)
			json_object_del(b, "street_code"); /* another district's demo */
		int64_t *id = &people[i];
		int rc = b ? talent_create(c, b, id) : -1;
		json_decref(b);
		if (rc != 0)
			return -1;
	}
	/* funds for the elderly canteen, young volunteers for the river: done and rated; the
	 * venue for the river exhibition: proposed, waiting for the two sides */
	if (past_docking(c, ids[7], ids[0], 30000, "资金及时到位，老年食堂运转顺利。",
			 "项目执行规范，票据清楚。") != 0 ||
	    past_docking(c, ids[10], ids[3], 12, "志愿者准时、认真，河岸清理效果好。",
			 "组织有序，安全措施到位。") != 0 ||
	    expert_docking(c, ids[11], people[2], 10, "每次上门都很耐心，老人情绪明显好转。") != 0 ||
	    expert_docking(c, ids[12], people[3], 8, NULL) != 0)
		return -1;
	json_t *b = json_pack("{s:I, s:I, s:i, s:s}", "need_id", (json_int_t)ids[9], "resource_id",
			      (json_int_t)ids[2], "quantity", 100, "note",
			      "建议 3 月 22 日世界水日当周的周末使用");
	int64_t id;
	int rc = docking_create(c, b, &id);
	json_decref(b);
	return rc;
}
