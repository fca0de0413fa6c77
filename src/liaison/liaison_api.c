/*
 * Liaison routes (/api/v1/liaison/...): parse, call the domain (which checks the policy),
 * render. Roles: reads admin, staff, liaison, supervisor; contacts admin, staff, liaison;
 * rules and assignments admin, staff.
 */
#include <string.h>
#include "app/app.h"
#include "core/validate.h"
#include "liaison/liaison.h"

#define READERS                                                                                    \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_LIAISON) |                    \
	 ROLE_BIT(ROLE_SUPERVISOR))
#define WRITERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_LIAISON))
#define MANAGERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

const struct msg liaison_messages[] = {
    {"liaison.org_not_found", "找不到该组织", "No such organization"},
    {"liaison.rule_not_found", "找不到该联络频次规则", "No such contact-frequency rule"},
    {"liaison.rule_duplicate", "已有条件相同的规则", "A rule with the same conditions exists"},
    {"liaison.rule_default_kept", "区默认规则（无条件）不能删除或加条件",
     "The district default rule (no conditions) cannot be deleted or given conditions"},
    {"liaison.ends_before_start", "结束日期早于开始日期", "The end date is before the start date"},
    {"liaison.not_officer", "该用户不是在用的联络员或统战干部",
     "The user is not an active liaison officer or staff member"},
    {"liaison.already_assigned", "该联络员已负责此组织",
     "This officer already looks after the organization"},
    {"liaison.primary_taken", "该组织已有主联络员，请先结束或改为副联络员",
     "The organization already has a primary officer; end it first or assign a deputy"},
    {"liaison.assignment_not_found", "找不到该联络员分工", "No such assignment"},
    {"liaison.assignment_ended", "该分工已结束", "The assignment has ended"},
    {"liaison.officer_not_found", "找不到该联络员", "No such officer"},
    {"liaison.contact_not_found", "找不到该联络记录", "No such contact"},
    {"liaison.followup_not_found", "找不到该跟进事项", "No such follow-up"},
    {"liaison.followup_closed", "该跟进事项已办结", "The follow-up is already closed"},
    {"liaison.date_in_future", "日期不能晚于今天", "The date cannot be in the future"},
    {"liaison.date_too_old", "日期太早", "The date is too early"},
    {"liaison.due_before_contact", "期限早于联络日期", "The due date is before the contact date"},
    {"liaison.owner_unknown", "找不到该负责人", "No such user"},
    {"notify.liaison.assigned", "您已被指派为「{org}」的{role}",
     "You are now the liaison officer ({role}) of {org}"},
    {"notify.liaison.followup_assigned", "新的跟进事项：{what}（期限 {due}）",
     "New follow-up for you: {what} (due {due})"},
    {"notify.liaison.org_overdue", "「{org}」已超过联络周期（应于 {due} 前联络）",
     "{org} is overdue for contact (due {due})"},
    {"notify.liaison.followup_overdue", "「{org}」的跟进事项已逾期：{what}（期限 {due}）",
     "A follow-up of {org} is overdue: {what} (due {due})"},
    {NULL, NULL, NULL},
};

/* A route that takes no body accepts none or an empty JSON object: a malformed body is
 * refused before anything changes. */
static int no_body(struct req *r)
{
	json_t *obj;
	if (r->body.len == 0)
		return 0;
	if (req_json_object(r, &obj) != 0)
		return -1;
	static const char *const none[] = {NULL};
	v_no_unknown_fields(&r->c, obj, none);
	return error_check(&r->c.err);
}

static int reply_or_fail(struct req *r, int status, json_t *body)
{
	return body ? reply_json(r, status, body) : -1;
}

/* GET /api/v1/liaison/rules — readers. 200 {items, default_interval_days}. */
static int rules_list(struct req *r)
{
	return reply_or_fail(r, 200, liaison_rules_json(&r->c));
}

/* POST /api/v1/liaison/rules — admin, district staff (ACT_LIAISON_RULES). Body {name,
 * org_type?, min_grade?, key_only?, interval_days}. 201; 409 same conditions; 422; 403. */
static int rule_create(struct req *r)
{
	json_t *obj;
	struct liaison_rule_input in;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || liaison_rule_from_json(&r->c, obj, &in) != 0 ||
	    liaison_rule_create(&r->c, &in, &id) != 0)
		return -1;
	return reply_or_fail(r, 201, liaison_rule_get_json(&r->c, id));
}

/* PUT /api/v1/liaison/rules/{id} — as above; replaces the rule. 200; 404; 409; 422; 403. */
static int rule_update(struct req *r)
{
	json_t *obj;
	struct liaison_rule_input in;
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    liaison_rule_from_json(&r->c, obj, &in) != 0 ||
	    liaison_rule_update(&r->c, id, &in) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_rule_get_json(&r->c, id));
}

/* DELETE /api/v1/liaison/rules/{id} — as above. 204; 404; 409 the district default. */
static int rule_delete(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || no_body(r) != 0 ||
	    liaison_rule_delete(&r->c, id) != 0)
		return -1;
	return reply_no_content(r);
}

/* GET /api/v1/liaison/orgs/{id} — readers (ACT_LIAISON_READ: staff in jurisdiction, officers
 * in theirs or assigned). 200 the summary; 403; 404. */
static int org_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_org_json(&r->c, id));
}

/* PATCH /api/v1/liaison/orgs/{id} — admin, staff in jurisdiction. Body {is_key}. 200; 422. */
static int org_patch(struct req *r)
{
	json_t *obj;
	int64_t id;
	int is_key = 0;
	static const char *const fields[] = {"is_key", NULL};
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, fields);
	v_bool(&r->c, obj, "is_key", V_REQUIRED, &is_key);
	if (error_check(&r->c.err) != 0 || liaison_org_set_key(&r->c, id, is_key) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_org_json(&r->c, id));
}

/* POST /api/v1/liaison/orgs/{id}/officers — admin, staff in jurisdiction. Body {user_id, role,
 * start_on?, end_on?}. 201 the summary; 409 already assigned / primary taken; 422; 403; 404. */
static int officer_assign(struct req *r)
{
	json_t *obj;
	struct liaison_assign_input in;
	int64_t org_id, id;
	if (req_param_id(r, "id", &org_id) != 0 || req_json_object(r, &obj) != 0 ||
	    liaison_assign_from_json(&r->c, obj, &in) != 0 ||
	    liaison_assign(&r->c, org_id, &in, &id) != 0)
		return -1;
	return reply_or_fail(r, 201, liaison_org_json(&r->c, org_id));
}

/* POST /api/v1/liaison/assignments/{id}/end — admin, staff in jurisdiction. No body. 204;
 * 404; 409 already ended. */
static int assignment_end(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || no_body(r) != 0 ||
	    liaison_assignment_end(&r->c, id) != 0)
		return -1;
	return reply_no_content(r);
}

/* GET /api/v1/liaison/orgs/{id}/contacts — readers. Query page, per_page. 200 paged list,
 * newest first, each with summary_html and its follow-ups. */
static int contacts_list(struct req *r)
{
	int64_t id, page, per_page;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	if (req_query_paging(r, &page, &per_page) != 0 || error_check(&r->c.err) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_contacts_json(&r->c, id, page, per_page));
}

/* POST /api/v1/liaison/orgs/{id}/contacts — admin, staff in jurisdiction, the organization's
 * officers. Body {kind, contact_on, summary, issues?, followup?, followup_due_on?,
 * followup_owner_id?}. 201 the contact; 422; 403; 404. */
static int contact_create(struct req *r)
{
	json_t *obj;
	struct liaison_contact_input in;
	int64_t org_id, id;
	if (req_param_id(r, "id", &org_id) != 0 || req_json_object(r, &obj) != 0 ||
	    liaison_contact_from_json(&r->c, obj, &in) != 0 ||
	    liaison_contact_create(&r->c, org_id, &in, &id) != 0)
		return -1;
	reply_header(r, "Location",
	             arena_printf(r->c.arena, "/api/v1/liaison/contacts/%lld", (long long)id));
	return reply_or_fail(r, 201, liaison_contact_get_json(&r->c, id));
}

/* GET /api/v1/liaison/contacts/{id} — readers. 200; 403; 404. */
static int contact_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_contact_get_json(&r->c, id));
}

/* POST /api/v1/liaison/followups/{id}/close — writers (officers of the organization, the
 * owner, staff in jurisdiction). Body {note}. 204; 409 already closed; 422; 403; 404. */
static int followup_close(struct req *r)
{
	json_t *obj;
	int64_t id;
	const char *note = NULL;
	static const char *const fields[] = {"note", NULL};
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, fields);
	v_string(&r->c, obj, "note", V_REQUIRED, 1000, &note);
	if (error_check(&r->c.err) != 0 || liaison_followup_close(&r->c, id, note) != 0)
		return -1;
	return reply_no_content(r);
}

static int overdue_query(struct req *r, struct liaison_overdue_query *q)
{
	const char *street = req_query(r, "street");
	q->street = street && *street ? street : NULL;
	if (q->street && !(strlen(q->street) == 12 && strspn(q->street, "0123456789") == 12))
		error_field(&r->c.err, "street", "field.bad_format", 0);
	req_query_int(r, "officer", 0, 1, INT64_MAX, &q->officer_id);
	req_query_paging(r, &q->page, &q->per_page);
	return error_check(&r->c.err);
}

/* GET /api/v1/liaison/overdue/orgs — readers. Query street, officer, page, per_page. 200
 * paged, oldest due first; 422 bad parameters. Street staff see their street; officers their
 * organizations. */
static int overdue_orgs(struct req *r)
{
	struct liaison_overdue_query q = {0};
	if (overdue_query(r, &q) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_overdue_orgs_json(&r->c, &q));
}

/* GET /api/v1/liaison/overdue/followups — as above, open follow-ups past due (officer = the
 * owner). */
static int overdue_followups(struct req *r)
{
	struct liaison_overdue_query q = {0};
	if (overdue_query(r, &q) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_overdue_followups_json(&r->c, &q));
}

/* GET /api/v1/liaison/officers — admin, staff, supervisor. 200 {items} with workloads. */
static int officers_list(struct req *r)
{
	return reply_or_fail(r, 200, liaison_officers_json(&r->c));
}

/* GET /api/v1/liaison/officers/{id} — readers; an officer reads their own. 200 workload,
 * organizations, open follow-ups; 403; 404. */
static int officer_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return reply_or_fail(r, 200, liaison_officer_json(&r->c, id));
}

/* GET /api/v1/liaison/me — readers: the caller's own workload (as officers/{id}). */
static int officer_me(struct req *r)
{
	return reply_or_fail(r, 200, liaison_officer_json(&r->c, r->c.who->user_id));
}

/* GET /api/v1/liaison/candidates — admin, staff: users who may be assigned. 200 {items}. */
static int candidates(struct req *r)
{
	return reply_or_fail(r, 200, liaison_candidates_json(&r->c));
}

const struct route liaison_routes[] = {
    {"GET", "/api/v1/liaison/rules", rules_list, READERS, 0,
     "联络频次规则 contact-frequency rules"},
    {"POST", "/api/v1/liaison/rules", rule_create, MANAGERS, 0, "新建联络频次规则"},
    {"PUT", "/api/v1/liaison/rules/{id}", rule_update, MANAGERS, 0, "修改联络频次规则"},
    {"DELETE", "/api/v1/liaison/rules/{id}", rule_delete, MANAGERS, 0, "删除联络频次规则"},
    {"GET", "/api/v1/liaison/me", officer_me, READERS, 0, "我的联络工作量与组织"},
    {"GET", "/api/v1/liaison/candidates", candidates, MANAGERS, 0, "可指派的联络员"},
    {"GET", "/api/v1/liaison/officers", officers_list, MANAGERS | ROLE_BIT(ROLE_SUPERVISOR), 0,
     "联络员及工作量"},
    {"GET", "/api/v1/liaison/officers/{id}", officer_get, READERS, 0, "联络员的工作量与组织"},
    {"GET", "/api/v1/liaison/overdue/orgs", overdue_orgs, READERS, 0, "超期未联络的组织"},
    {"GET", "/api/v1/liaison/overdue/followups", overdue_followups, READERS, 0, "逾期的跟进事项"},
    {"GET", "/api/v1/liaison/orgs/{id}", org_get, READERS, 0, "组织的联络概况"},
    {"PATCH", "/api/v1/liaison/orgs/{id}", org_patch, MANAGERS, 0, "标记重点组织"},
    {"POST", "/api/v1/liaison/orgs/{id}/officers", officer_assign, MANAGERS, 0, "指派联络员"},
    {"GET", "/api/v1/liaison/orgs/{id}/contacts", contacts_list, READERS, 0, "组织的联络记录"},
    {"POST", "/api/v1/liaison/orgs/{id}/contacts", contact_create, WRITERS, 0, "登记联络记录"},
    {"GET", "/api/v1/liaison/contacts/{id}", contact_get, READERS, 0, "一条联络记录"},
    {"POST", "/api/v1/liaison/assignments/{id}/end", assignment_end, MANAGERS, 0, "结束联络员分工"},
    {"POST", "/api/v1/liaison/followups/{id}/close", followup_close, WRITERS, 0, "办结跟进事项"},
    {NULL, NULL, NULL, 0, 0, NULL},
};
