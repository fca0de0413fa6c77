/*
 * Registry routes: organizations, grades, the jurisdiction and code lists (people routes are in
 * person_api.c, listed in the same table). Each handler parses, calls the domain (which checks
 * the policy), and renders JSON; every error goes through r->c.err.
 */
#include <string.h>
#include "app/app.h"
#include "core/validate.h"
#include "registry/org.h"
#include "registry/org_stats.h"
#include "registry/registry_api.h"

#define ROLES_WRITE_STAFF (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
#define ROLES_WRITE_ORG (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ORG_ADMIN))
/* who may hold ACT_PERSON_READ_PII for someone (the policy decides for whom) */
#define ROLES_READ_PII                                                                             \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_LIAISON) | ROLE_BIT(ROLE_ORG_ADMIN) | \
	 ROLE_BIT(ROLE_SUPERVISOR))

/* page (1..100000, default 1) and per_page (1..100, default 20). */
/* GET /api/v1/orgs — any signed-in user. Query: type, field, street, community, grade, status
 * (codes), archived (0|1), q (words), sort (name|-name|created|-created|grade|-grade),
 * page, per_page. 200 {items, total, page, per_page}; 422 with a field error per bad
 * parameter. Items carry directory fields only. */
static int orgs_list(struct req *r)
{
	struct org_list_query q = {0};
	int64_t archived = 0;
	q.type = req_query_choice(r, "type", org_type_codes);
	q.field = req_query_choice(r, "field", org_field_codes);
	q.grade = req_query_choice(r, "grade", org_grade_codes);
	q.status = req_query_choice(r, "status", org_status_codes);
	q.street = req_query_division(r, "street");
	q.community = req_query_division(r, "community");
	q.q = req_query_text(r, "q");
	req_query_int(r, "archived", 0, 0, 1, &archived);
	q.archived = (int)archived;
	const char *sort = req_query(r, "sort");
	int s = sort && *sort ? org_sort_from_name(sort) : ORG_SORT_NEWEST;
	if (s < 0)
		error_field(&r->c.err, "sort", "field.bad_choice", 0);
	q.sort = s < 0 ? ORG_SORT_NEWEST : (enum org_sort)s;
	req_query_paging(r, &q.page, &q.per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = org_list_json(&r->c, &q);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/orgs — admin, staff (inside their jurisdiction). Body: the organization's
 * fields (name, type, street_code required). 201 with the organization and Location; 422
 * field errors (all at once); 409 duplicate credit code; 403 outside the jurisdiction. */
static int org_create_route(struct req *r)
{
	json_t *obj;
	struct org_input in;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || org_input_from_json(&r->c, obj, 0, &in) != 0 ||
	    org_create(&r->c, &in, &id) != 0)
		return -1;
	json_t *body = org_get_json(&r->c, id);
	if (!body)
		return -1;
	reply_header(r, "Location", arena_printf(r->c.arena, "/api/v1/orgs/%lld", (long long)id));
	return reply_json(r, 201, body);
}

/* GET /api/v1/orgs/{id} — any signed-in user; private fields (contact e-mail, legal
 * representative, budget) only with ACT_ORG_READ_PRIVATE, the phone masked otherwise. 404. */
static int org_get_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = org_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* PATCH /api/v1/orgs/{id} — admin, staff (jurisdiction), org_admin (own organization). Body:
 * any fields plus the version last read. 200 with the new record; 409 stale_version (nothing
 * changed), 409 duplicate, 409 conflict for an archived organization, 422, 403, 404. */
static int org_patch_route(struct req *r)
{
	json_t *obj;
	struct org_input in;
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    org_input_from_json(&r->c, obj, 1, &in) != 0 || org_update(&r->c, id, &in) != 0)
		return -1;
	json_t *body = org_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

static int archive_common(struct req *r, int archived)
{
	json_t *obj;
	int64_t id, version = 0;
	static const char *const allowed[] = {"version", NULL};
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, allowed);
	v_int(&r->c, obj, "version", V_REQUIRED, 1, INT64_MAX, &version, NULL);
	if (error_check(&r->c.err) != 0 || org_archive(&r->c, id, version, archived) != 0)
		return -1;
	json_t *body = org_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/orgs/{id}/archive — admin, staff. Body {version}. Marks the organization
 * deregistered and archived (history is kept). 200; 409 stale or already archived; 403; 404. */
static int org_archive_route(struct req *r)
{
	return archive_common(r, 1);
}

/* POST /api/v1/orgs/{id}/restore — admin, staff. Body {version}. Back to active. 200; 409. */
static int org_restore_route(struct req *r)
{
	return archive_common(r, 0);
}

/* GET /api/v1/orgs/{id}/grades — any signed-in user. 200 {items} newest first; 404. */
static int org_grades_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = org_grades_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/orgs/{id}/grades — admin, staff. Body {grade, announced_on, valid_from?,
 * valid_to?, note?}; validity defaults to DOMAIN.md's rule. 201 {items} (the history); 422;
 * 403; 404. */
static int org_grade_add_route(struct req *r)
{
	json_t *obj;
	struct org_grade_input in;
	int64_t id, grade_id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    org_grade_input_from_json(&r->c, obj, &in) != 0 ||
	    org_grade_add(&r->c, id, &in, &grade_id) != 0)
		return -1;
	json_t *body = org_grades_json(&r->c, id);
	return body ? reply_json(r, 201, body) : -1;
}

/* GET /api/v1/orgs/{id}/overview — any signed-in user. 200 {org, counts:{people, grades}}. */
static int org_overview_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = org_overview_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/divisions — any signed-in user. The district, its streets and communities. */
static int divisions_route(struct req *r)
{
	json_t *body = registry_divisions_json(&r->c);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/registry/options — any signed-in user. Codes with zh/en labels for forms. */
static int options_route(struct req *r)
{
	json_t *body = registry_options_json(&r->c);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/stats/registry — any signed-in user. No parameters. 200 {total, by_type,
 * by_street, by_grade, by_status, by_field, by_month} of non-archived organizations, read from
 * counters (org_stats.h), labels in the caller's language. */
static int stats_route(struct req *r)
{
	json_t *body = org_stats_json(&r->c);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/stats/registry/repair — admins. Verifies, and when a counter is wrong recounts
 * them all from the organizations in one transaction (audited "stats.repair"). No body.
 * 200 {consistent, checked, differences, repaired}; 401/403. */
static int stats_repair_route(struct req *r)
{
	json_t *body = org_stats_repair_json(&r->c);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/stats/registry/verify — admins. Recounts with GROUP BY (a full scan: not for
 * dashboards) and compares with the counters. 200 {consistent, checked, differences}. */
static int stats_verify_route(struct req *r)
{
	json_t *body = org_stats_verify_json(&r->c);
	return body ? reply_json(r, 200, body) : -1;
}

const struct route registry_routes[] = {
	{"GET", "/api/v1/orgs", orgs_list, ROLES_ALL, 0, "组织名录：筛选、全文检索、排序、分页"},
	{"POST", "/api/v1/orgs", org_create_route, ROLES_WRITE_STAFF, 0, "新建组织"},
	{"GET", "/api/v1/orgs/{id}", org_get_route, ROLES_ALL, 0, "组织详情"},
	{"PATCH", "/api/v1/orgs/{id}", org_patch_route, ROLES_WRITE_ORG, 0, "修改组织（需带 version）"},
	{"POST", "/api/v1/orgs/{id}/archive", org_archive_route, ROLES_WRITE_STAFF, 0, "归档组织"},
	{"POST", "/api/v1/orgs/{id}/restore", org_restore_route, ROLES_WRITE_STAFF, 0, "恢复已归档组织"},
	{"GET", "/api/v1/orgs/{id}/grades", org_grades_route, ROLES_ALL, 0, "评估等级历史"},
	{"POST", "/api/v1/orgs/{id}/grades", org_grade_add_route, ROLES_WRITE_STAFF, 0, "登记评估等级"},
	{"GET", "/api/v1/orgs/{id}/overview", org_overview_route, ROLES_ALL, 0, "组织 360° 概览"},
	{"GET", "/api/v1/orgs/{id}/people", org_people_route, ROLES_ALL, 0, "组织的人员"},
	{"GET", "/api/v1/people", people_list_route, ROLES_ALL, 0, "人员列表"},
	{"POST", "/api/v1/people", person_create_route, ROLES_WRITE_ORG, 0, "新建人员"},
	{"GET", "/api/v1/people/{id}", person_get_route, ROLES_ALL, 0, "人员详情"},
	{"PATCH", "/api/v1/people/{id}", person_patch_route, ROLES_WRITE_ORG, 0, "修改人员（需带 version）"},
	{"POST", "/api/v1/people/{id}/id-number", person_reveal_route, ROLES_READ_PII, 0, "查看完整身份证号（记入审计）"},
	{"POST", "/api/v1/people/{id}/orgs", person_link_route, ROLES_WRITE_ORG, 0, "把人员关联到组织"},
	{"DELETE", "/api/v1/people/{id}/orgs/{org_id}", person_unlink_route, ROLES_WRITE_ORG, 0, "解除人员与组织的关联"},
	{"GET", "/api/v1/divisions", divisions_route, ROLES_ALL, 0, "辖区的街道与社区"},
	{"GET", "/api/v1/registry/options", options_route, ROLES_ALL, 0, "名录选项：类型、领域、状态、等级、统战类别"},
	{"GET", "/api/v1/stats/registry", stats_route, ROLES_ALL, 0, "名录统计：按类型、街道、等级、状态、领域、月份"},
	{"GET", "/api/v1/stats/registry/verify", stats_verify_route, ROLE_BIT(ROLE_ADMIN), 0, "核对名录统计计数"},
	{"POST", "/api/v1/stats/registry/repair", stats_repair_route, ROLE_BIT(ROLE_ADMIN), 0, "核对并修复名录统计计数"},
	{NULL},
};

const struct msg registry_messages[] = {
	{"registry.department_field", "此项由统战部门登记维护，组织管理员不能修改",
	 "This registration fact is kept by the department; organization administrators cannot change it"},
	{"registry.org_not_found", "未找到该组织", "No such organization"},
	{"registry.credit_bad_format", "统一社会信用代码格式不正确（应为 18 位，不含 I、O、Z、S、V）",
	 "Not a valid unified social credit code (18 characters, no I, O, Z, S, V)"},
	{"registry.credit_bad_check", "统一社会信用代码校验位不正确；如确属早期试点代码，请填写例外原因",
	 "The credit code's check character is wrong; if it is a genuine early pilot code, give an override reason"},
	{"registry.credit_override_forbidden", "统一社会信用代码校验位不正确，您无权按例外录入",
	 "The credit code's check character is wrong and you may not override it"},
	{"registry.credit_duplicate", "已有组织使用该统一社会信用代码",
	 "Another organization already has this credit code"},
	{"registry.bad_street", "不是本辖区的街道", "Not a street of this district"},
	{"registry.bad_community", "不是本辖区的社区", "Not a community of this district"},
	{"registry.community_not_in_street", "该社区不属于所选街道",
	 "The community is not in the chosen street"},
	{"registry.date_in_future", "日期不能晚于今天", "The date cannot be in the future"},
	{"registry.org_archived", "该组织已归档，请先恢复", "The organization is archived; restore it first"},
	{"registry.org_not_archived", "该组织未归档", "The organization is not archived"},
	{"registry.grade_ends_before_start", "有效期结束不能早于开始",
	 "The validity cannot end before it starts"},
	{"registry.demo_exists", "数据库中已有组织，未载入演示数据",
	 "The database already has organizations; the demo was not loaded"},
	{"person.not_found", "未找到该人员", "No such person"},
	{"person.bad_id_number", "身份证号码不正确", "Not a valid ID number"},
	{"person.no_id_number", "该人员没有登记身份证号", "No ID number is recorded for this person"},
	{"person.already_linked", "该人员已关联到此组织", "The person is already linked to this organization"},
	{"person.not_linked", "该人员未关联到此组织", "The person is not linked to this organization"},
	{NULL, NULL, NULL},
};
