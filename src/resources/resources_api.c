/*
 * Routes of the resource integration: resources and needs (the same handlers, the kind taken
 * from the route), the talent pool, dockings, trust. Each handler parses, calls the domain
 * (which checks the policy and visibility), renders JSON; errors go through r->c.err.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app/app.h"
#include "core/validate.h"
#include "matching/experts.h"
#include "resources/resources.h"

#define R_WRITE (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ORG_ADMIN))
#define R_EXPORT (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_SUPERVISOR))
#define R_TALENT (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_EXPERT))
#define R_DOCK_READ                                                                           \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_LIAISON) |                   \
	 ROLE_BIT(ROLE_ORG_ADMIN) | ROLE_BIT(ROLE_ORG_MEMBER) | ROLE_BIT(ROLE_SUPERVISOR) |       \
	 ROLE_BIT(ROLE_EXPERT))
#define R_SUGGEST                                                                             \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ORG_ADMIN) |                 \
	 ROLE_BIT(ROLE_ORG_MEMBER))
/* the steps of a docking: an expert accepts and reports the dockings they are docked in */
#define R_STAFF (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
#define R_DOCK_STEP (R_WRITE | ROLE_BIT(ROLE_EXPERT))

/* "resource" for /api/v1/resources..., "need" for /api/v1/needs... */
static const char *route_kind(struct req *r)
{
	return strncmp(r->route->path, "/api/v1/needs", 13) == 0 ? "need" : "resource";
}

static const char *query_opt(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	return v && *v ? v : NULL;
}

/* The list filters shared by the list and the export; 422 on bad values. */
static int read_list_query(struct req *r, struct res_list_query *q)
{
	memset(q, 0, sizeof *q);
	q->kind = route_kind(r);
	q->category = query_opt(r, "category");
	q->field = query_opt(r, "field");
	q->street = query_opt(r, "street");
	q->community = query_opt(r, "community");
	q->status = query_opt(r, "status");
	q->visibility = query_opt(r, "visibility");
	q->unit = query_opt(r, "unit");
	q->sort = query_opt(r, "sort");
	q->q = req_query_text(r, "q");
	req_query_int(r, "org", 0, 0, INT64_MAX, &q->org_id);
	req_query_paging(r, &q->page, &q->per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	return res_list_check(&r->c, q);
}

/* GET /api/v1/resources, /api/v1/needs — any signed-in user. Query: q (words; one- and
 * two-character Chinese words work), category, field, street, community, status,
 * visibility, unit (codes), org (id), sort (-created|created|-quantity|end), page,
 * per_page. 200 {items, total, page, per_page}: only items the caller may see. 422. */
static int items_list(struct req *r)
{
	struct res_list_query q;
	if (read_list_query(r, &q) != 0)
		return -1;
	json_t *body = res_list_json(&r->c, &q);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/resources, /api/v1/needs — admin, staff (jurisdiction), org_admin (own
 * organization). Body: see ResourceInput. 201 with the item; 422 field errors (unit not
 * fitting the category, inverted window, absurd quantity...); 403. */
static int item_create(struct req *r)
{
	json_t *obj;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || res_item_create(&r->c, route_kind(r), obj, &id) != 0)
		return -1;
	json_t *body = res_item_get_json(&r->c, route_kind(r), id);
	return body ? reply_json(r, 201, body) : -1;
}

/* GET /api/v1/resources/{id}, /api/v1/needs/{id} — any signed-in user who may see it (else
 * 404); contact phone masked without contact rights. */
static int item_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = res_item_get_json(&r->c, route_kind(r), id);
	return body ? reply_json(r, 200, body) : -1;
}

/* PATCH /api/v1/resources/{id}, /api/v1/needs/{id} — admin, staff (jurisdiction), org_admin
 * (own organization). Body: changed fields + version; status "closed" closes, "open"
 * reopens. 200; 409 stale_version / conflict (transition); 422; 403; 404. */
static int item_patch(struct req *r)
{
	json_t *obj;
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    res_item_update(&r->c, route_kind(r), id, obj) != 0)
		return -1;
	json_t *body = res_item_get_json(&r->c, route_kind(r), id);
	return body ? reply_json(r, 200, body) : -1;
}

/* ------------------------------------------------------------------ export */

static ssize_t csv_stream(void *arg, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	long n = res_export_csv_read(arg, buf, max);
	return n > 0 ? (ssize_t)n : n == 0 ? -1 : -2;
}

static void csv_stream_free(void *arg)
{
	res_export_close(arg);
}

static int write_xlsx(void *e, const char *path, const char **why)
{
	return res_export_xlsx(e, path, why);
}

/* GET /api/v1/resources/export, /api/v1/needs/export?format=csv|xlsx + the list's filters —
 * admin, staff, supervisor. 200 the file (CSV UTF-8 with BOM, or XLSX), streamed in constant
 * memory; contacts masked where the caller may not see them. 422 bad format or filter. */
static int items_export(struct req *r)
{
	const char *format = query_opt(r, "format");
	int xlsx = format && strcmp(format, "xlsx") == 0;
	if (format && !xlsx && strcmp(format, "csv") != 0)
		error_field(&r->c.err, "format", "field.bad_choice", 0);
	struct res_list_query q;
	if (read_list_query(r, &q) != 0)
		return -1;
	struct res_export *e = res_export_open(&r->c, &q);
	if (!e)
		return -1;
	if (xlsx) {
		int rc = reply_stream_temp_file(r, ".xlsx", write_xlsx, e);
		res_export_close(e);
		if (rc != 0)
			return -1;
		r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	} else {
		r->stream_read = csv_stream;
		r->stream_free = csv_stream_free;
		r->stream_arg = e;
		r->content_type = "text/csv; charset=utf-8";
	}
	r->status = 200;
	reply_header(r, "Content-Disposition",
		     arena_printf(r->c.arena, "attachment; filename=\"%ss.%s\"", q.kind,
				  xlsx ? "xlsx" : "csv"));
	return 0;
}

/* ------------------------------------------------------------------ talent pool */

/* GET /api/v1/talents — any signed-in user. Query: q, kind (talent|expert), field, page,
 * per_page. 200 {items, total, ...}; contacts masked without rights. 422. */
static int talents_list(struct req *r)
{
	static const char *const kinds[] = {"talent", "expert", NULL};
	struct talent_query q = {0};
	q.kind = query_opt(r, "kind");
	q.field = query_opt(r, "field");
	q.q = req_query_text(r, "q");
	int ok = 0;
	for (int i = 0; q.kind && kinds[i]; i++)
		ok |= strcmp(kinds[i], q.kind) == 0;
	if (q.kind && !ok)
		error_field(&r->c.err, "kind", "field.bad_choice", 0);
	req_query_paging(r, &q.page, &q.per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = talent_list_json(&r->c, &q);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/talents — admin, staff; an expert for themself (linked to their account).
 * 201; 422; 403. */
static int talent_create_route(struct req *r)
{
	json_t *obj;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || talent_create(&r->c, obj, &id) != 0)
		return -1;
	json_t *body = talent_get_json(&r->c, id);
	return body ? reply_json(r, 201, body) : -1;
}

/* GET /api/v1/talents/user-options?q= — admin, staff (those who link a talent entry to the
 * expert's own account). q: part of a username or name (at most 100 characters). 200 {items:
 * [{id, username, display_name, expert, talent_id}]}, at most 20, experts first; no e-mail,
 * phone or roles. 422 q too long; 403. */
static int talent_user_options_route(struct req *r)
{
	const char *q = req_query_text(r, "q");
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = talent_user_options_json(&r->c, q);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/talents/{id} — any signed-in user; contacts masked without rights. 404. */
static int talent_get_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = talent_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* PATCH /api/v1/talents/{id} — admin, staff; an expert their own entry. Body: changed
 * fields + version. 200; 409 stale; 422; 403; 404. */
static int talent_patch_route(struct req *r)
{
	json_t *obj;
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    talent_update(&r->c, id, obj) != 0)
		return -1;
	json_t *body = talent_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* ------------------------------------------------------------------ dockings */

/* GET /api/v1/dockings — admin, staff, liaison, supervisor (all); org roles (their
 * organizations' dockings); an expert (the dockings they are docked in). Query: org, item,
 * talent (an expert's id), status, page, per_page. 200 {items, ...}. */
static int dockings_list(struct req *r)
{
	struct docking_query q = {0};
	req_query_int(r, "org", 0, 0, INT64_MAX, &q.org_id);
	req_query_int(r, "item", 0, 0, INT64_MAX, &q.item_id);
	req_query_int(r, "talent", 0, 0, INT64_MAX, &q.talent_id);
	q.status = query_opt(r, "status");
	int ok = 0;
	for (int i = 0; q.status && docking_status_codes[i]; i++)
		ok |= strcmp(docking_status_codes[i], q.status) == 0;
	if (q.status && !ok)
		error_field(&r->c.err, "status", "field.bad_choice", 0);
	req_query_paging(r, &q.page, &q.per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = docking_list_json(&r->c, &q);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/dockings — admin, staff (jurisdiction of either side), org_admin of either
 * side. Body {need_id, resource_id | talent_id, quantity, note?}: a resource, or an expert of
 * the talent pool for an expertise/training need (hours or people). 201 with the docking (the
 * proposing organization's side accepted); 422 self-docking, unit/category mismatch, quantity
 * above what remains, the other side's conditions (organization type, grade) not met; 409 an
 * item not open, or the pair already has a live docking; 403. */
static int docking_create_route(struct req *r)
{
	json_t *obj;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || docking_create(&r->c, obj, &id) != 0)
		return -1;
	json_t *body = docking_get_json(&r->c, id);
	return body ? reply_json(r, 201, body) : -1;
}

/* GET /api/v1/dockings/{id} — as the list; 404 when not the caller's to see. */
static int docking_get_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = docking_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/dockings/{id}/{accept|start|fulfil|fail|feedback} — admin, staff
 * (jurisdiction), org_admin of a side, the expert of an expert docking (side "resource").
 * Accepting re-checks the conditions (422). Body {version, side?, ...} (see DockingStep). 200 with
 * the docking; 409 stale_version (someone acted first) or conflict (state); 422; 403; 404. */
static int docking_step_route(struct req *r)
{
	json_t *obj;
	int64_t id;
	const char *step = strrchr(r->route->path, '/') + 1;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    docking_step(&r->c, id, step, obj) != 0)
		return -1;
	json_t *body = docking_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/needs/{id}/expert-suggestions?k=1..50 (10) — admin, staff; org_admin and
 * org_member of the need's organization. 200 {item, applicable, suggestions: [{id, name,
 * title, affiliation, fields, skills, hours_per_month, pro_bono, live_docking_id, score:
 * {total, parts, explanation}}], candidates, millis}: experts of the pool for an expertise or
 * training need, with each part's reason (applicable false and no suggestions otherwise).
 * 404 hidden need; 403; 422 bad k. */
static int expert_suggestions_route(struct req *r)
{
	int64_t id, k = 10;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	req_query_int(r, "k", 10, 1, 50, &k);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = experts_suggest_json(&r->c, id, (size_t)k);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/orgs/{id}/trust — any signed-in user. 200 {org_id, fulfilled, failed,
 * rating_mean, rating_count}; 404. */
static int org_trust_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = org_trust_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

const struct route resources_routes[] = {
	{"GET", "/api/v1/resources/export", items_export, R_EXPORT, ROUTE_SLOW, "导出资源清单（CSV 或 Excel）"},
	{"GET", "/api/v1/resources", items_list, ROLES_ALL, 0, "资源清单：检索、筛选、排序、分页"},
	{"POST", "/api/v1/resources", item_create, R_WRITE, 0, "发布资源"},
	{"GET", "/api/v1/resources/{id}", item_get, ROLES_ALL, 0, "资源详情"},
	{"PATCH", "/api/v1/resources/{id}", item_patch, R_WRITE, 0, "修改、关闭或重新开放资源（需带 version）"},
	{"GET", "/api/v1/needs/export", items_export, R_EXPORT, ROUTE_SLOW, "导出需求清单（CSV 或 Excel）"},
	{"GET", "/api/v1/needs", items_list, ROLES_ALL, 0, "需求清单：检索、筛选、排序、分页"},
	{"POST", "/api/v1/needs", item_create, R_WRITE, 0, "发布需求"},
	{"GET", "/api/v1/needs/{id}", item_get, ROLES_ALL, 0, "需求详情"},
	{"PATCH", "/api/v1/needs/{id}", item_patch, R_WRITE, 0, "修改、关闭或重新开放需求（需带 version）"},
	{"GET", "/api/v1/needs/{id}/expert-suggestions", expert_suggestions_route, R_SUGGEST, 0, "需求的专家建议（专家库，含各项得分与理由）"},
	{"GET", "/api/v1/talents/user-options", talent_user_options_route, R_STAFF, 0, "可关联到人才/专家的账户（检索用户名或姓名，最多 20 个）"},
	{"GET", "/api/v1/talents", talents_list, ROLES_ALL, 0, "人才库/专家库"},
	{"POST", "/api/v1/talents", talent_create_route, R_TALENT, 0, "新增人才或专家"},
	{"GET", "/api/v1/talents/{id}", talent_get_route, ROLES_ALL, 0, "人才/专家详情"},
	{"PATCH", "/api/v1/talents/{id}", talent_patch_route, R_TALENT, 0, "修改人才/专家（需带 version）"},
	{"GET", "/api/v1/dockings", dockings_list, R_DOCK_READ, 0, "对接列表"},
	{"POST", "/api/v1/dockings", docking_create_route, R_WRITE, 0, "提议对接（需求 × 资源）"},
	{"GET", "/api/v1/dockings/{id}", docking_get_route, R_DOCK_READ, 0, "对接详情"},
	{"POST", "/api/v1/dockings/{id}/accept", docking_step_route, R_DOCK_STEP, 0, "一方确认对接"},
	{"POST", "/api/v1/dockings/{id}/start", docking_step_route, R_DOCK_STEP, 0, "开始实施对接"},
	{"POST", "/api/v1/dockings/{id}/fulfil", docking_step_route, R_DOCK_STEP, 0, "对接完成（可附评分与反馈）"},
	{"POST", "/api/v1/dockings/{id}/fail", docking_step_route, R_DOCK_STEP, 0, "对接未成（需说明原因）"},
	{"POST", "/api/v1/dockings/{id}/feedback", docking_step_route, R_DOCK_STEP, 0, "补充本方评分与反馈"},
	{"GET", "/api/v1/orgs/{id}/trust", org_trust_route, ROLES_ALL, 0, "组织的对接信誉（完成数与平均评分）"},
	{NULL},
};

const struct msg resources_messages[] = {
	{"resources.not_found", "没有这条资源/需求，或您无权查看", "No such item, or you may not see it"},
	{"resources.docking_not_found", "没有这条对接，或您无权查看", "No such docking, or you may not see it"},
	{"resources.bad_time", "时间格式应为 HH:MM", "Times are written HH:MM"},
	{"resources.window_inverted", "结束时间必须晚于开始时间", "The end must be after the start"},
	{"resources.unit_mismatch", "该单位不适用于此类别（如资金用“元”，场地用“平方米”或“小时”）",
	 "This unit does not fit the category (funds in yuan, venues in m² or hours...)"},
	{"resources.unknown_community", "不是辖区内的社区代码", "Not a community of the district"},
	{"resources.unknown_org", "没有这个组织（或已归档）", "No such organization (or it is archived)"},
	{"resources.unknown_street", "不是辖区内的街道代码", "Not a street of the district"},
	{"resources.unknown_user", "没有这个用户", "No such user"},
	{"resources.unknown_person", "没有这个人员", "No such person"},
	{"resources.below_matched", "数量不能少于已对接的 {n}", "The quantity cannot be below the {n} already matched"},
	{"resources.bad_transition", "当前状态不允许此操作", "The current status does not allow this"},
	{"resources.window_over", "时间窗口已结束，请先修改结束时间", "The time window is over; change its end first"},
	{"resources.not_a_need", "不是一条需求", "Not a need"},
	{"resources.not_a_resource", "不是一条资源", "Not a resource"},
	{"resources.not_an_expert", "不是专家库中的在库专家", "Not an active expert of the pool"},
	{"resources.resource_or_expert", "请选择资源或专家之一，不能同时选择", "Give either a resource or an expert, not both"},
	{"resources.need_not_expertise", "只有以小时或人计的专业/智力支持、培训类需求可以对接专家",
	 "Only expertise or training needs counted in hours or people can be docked with an expert"},
	{"resources.self_docking", "不能与本组织自己对接", "An organization cannot be matched with itself"},
	{"resources.unit_differs", "需求与资源的计量单位不同", "The need and the resource use different units"},
	{"resources.category_differs", "需求与资源的类别不同", "The need and the resource are of different categories"},
	{"resources.item_not_open", "需求或资源已不再开放", "The need or the resource is no longer open"},
	{"resources.docking_exists", "这对需求与资源已有进行中的对接", "This need and resource already have a live docking"},
	{"resources.already_accepted", "本方已确认过", "Your side has already accepted"},
	{"resources.already_rated", "本方已评价过", "Your side has already given its rating"},
	{"resources.quantity_exceeds_remaining", "剩余数量不足，无法按此数量完成",
	 "Not enough remains to fulfil this quantity"},
	{"resources.cond.resource.social_group", "该资源仅面向社会团体类型的组织", "This resource is only for social groups"},
	{"resources.cond.resource.service_agency", "该资源仅面向社会服务机构类型的组织", "This resource is only for social service agencies"},
	{"resources.cond.resource.foundation", "该资源仅面向基金会类型的组织", "This resource is only for foundations"},
	{"resources.cond.resource.community_group", "该资源仅面向社区社会组织类型的组织", "This resource is only for community social organizations"},
	{"resources.cond.resource.enterprise", "该资源仅面向企业类型的组织", "This resource is only for enterprises"},
	{"resources.cond.resource.institution", "该资源仅面向事业单位类型的组织", "This resource is only for public institutions"},
	{"resources.cond.resource.academic", "该资源仅面向高校/科研机构类型的组织", "This resource is only for universities and research institutes"},
	{"resources.cond.resource.neighborhood_committee", "该资源仅面向居委会/村委会类型的组织", "This resource is only for residents' and villagers' committees"},
	{"resources.cond.resource.government", "该资源仅面向政府部门类型的组织", "This resource is only for government departments"},
	{"resources.cond.resource.other", "该资源仅面向其他类型的组织", "This resource is only for organizations of type \"other\""},
	{"resources.cond.resource.types", "该资源仅面向指定类型的组织（见其“适用组织类型”），本组织类型不在其中", "This resource is only for certain types of organization (see its conditions); yours is not one of them"},
	{"resources.cond.resource.grade", "该资源需要 {n}A 及以上评估等级（且在有效期内）", "This resource requires an evaluation grade of {n}A or above (still valid)"},
	{"resources.cond.need.social_group", "该需求仅面向社会团体类型的组织", "This need is only for social groups"},
	{"resources.cond.need.service_agency", "该需求仅面向社会服务机构类型的组织", "This need is only for social service agencies"},
	{"resources.cond.need.foundation", "该需求仅面向基金会类型的组织", "This need is only for foundations"},
	{"resources.cond.need.community_group", "该需求仅面向社区社会组织类型的组织", "This need is only for community social organizations"},
	{"resources.cond.need.enterprise", "该需求仅面向企业类型的组织", "This need is only for enterprises"},
	{"resources.cond.need.institution", "该需求仅面向事业单位类型的组织", "This need is only for public institutions"},
	{"resources.cond.need.academic", "该需求仅面向高校/科研机构类型的组织", "This need is only for universities and research institutes"},
	{"resources.cond.need.neighborhood_committee", "该需求仅面向居委会/村委会类型的组织", "This need is only for residents' and villagers' committees"},
	{"resources.cond.need.government", "该需求仅面向政府部门类型的组织", "This need is only for government departments"},
	{"resources.cond.need.other", "该需求仅面向其他类型的组织", "This need is only for organizations of type \"other\""},
	{"resources.cond.need.types", "该需求仅面向指定类型的组织（见其“适用组织类型”），本组织类型不在其中", "This need is only for certain types of organization (see its conditions); yours is not one of them"},
	{"resources.cond.need.grade", "该需求需要 {n}A 及以上评估等级（且在有效期内）", "This need requires an evaluation grade of {n}A or above (still valid)"},
	{"resources.cond.types", "组织类型不符合对方的条件", "The organization type does not meet the other side's conditions"},
	{"resources.expert.part.text", "技能相符", "Skills match"},
	{"resources.expert.part.hours", "可用时间", "Availability"},
	{"resources.expert.reason.hours", "每月可用 {n} 小时，需求尚缺 {m} 小时",
	 "{n} hours a month available, {m} hours still needed"},
	{"resources.expert.reason.hours_any", "每月可用 {n} 小时", "{n} hours a month available"},
	{"resources.expert.part.record", "服务记录", "Service record"},
	{"resources.expert.reason.record", "已完成对接 {n} 次，{m} 次评分平均 {mean} 分",
	 "{n} dockings fulfilled; {m} ratings, mean {mean}"},
	{"resources.expert.reason.record_none", "已完成对接 {n} 次，尚无评分（按中等水平计）",
	 "{n} dockings fulfilled, no rating yet (counted as middling)"},
	{"notify.docking.proposed", "新的对接提议：{need_org}「{need}」⇄ {resource_org}「{resource}」",
	 "New docking proposed: {need_org} \"{need}\" ⇄ {resource_org} \"{resource}\""},
	{"notify.docking.accept", "一方已确认对接：「{need}」⇄「{resource}」，等待另一方确认",
	 "One side accepted the docking \"{need}\" ⇄ \"{resource}\"; waiting for the other"},
	{"notify.docking.accepted", "双方已确认对接：「{need}」⇄「{resource}」",
	 "Both sides accepted the docking \"{need}\" ⇄ \"{resource}\""},
	{"notify.docking.start", "对接开始实施：「{need}」⇄「{resource}」",
	 "The docking \"{need}\" ⇄ \"{resource}\" is in progress"},
	{"notify.docking.fulfil", "对接已完成：「{need}」⇄「{resource}」，欢迎评价",
	 "The docking \"{need}\" ⇄ \"{resource}\" is fulfilled; please rate it"},
	{"notify.docking.fail", "对接未成：「{need}」⇄「{resource}」",
	 "The docking \"{need}\" ⇄ \"{resource}\" failed"},
	{"notify.docking.feedback", "对方评价了对接「{need}」⇄「{resource}」",
	 "The other side rated the docking \"{need}\" ⇄ \"{resource}\""},
	{NULL, NULL, NULL},
};
