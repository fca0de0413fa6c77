/*
 * Announcement routes: parse, call the domain (which checks the policy), render JSON.
 */
#include <string.h>
#include "announce/announce.h"
#include "app/app.h"
#include "core/validate.h"

#define ROLES_SENDER (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
#define ROLES_READER (ROLES_SENDER | ROLE_BIT(ROLE_SUPERVISOR))
#define ROLES_ORG (ROLE_BIT(ROLE_ORG_ADMIN) | ROLE_BIT(ROLE_ORG_MEMBER) | ROLE_BIT(ROLE_ADMIN))

static int reply_announcement(struct req *r, int status, int64_t id)
{
	json_t *body = announce_get_json(&r->c, id);
	return body ? reply_json(r, status, body) : -1;
}

/* GET /api/v1/announcements — admin, staff, supervisor. Query: status (draft|published),
 * page, per_page. 200 {items, total, page, per_page} newest first; 422. */
static int announcements_list(struct req *r)
{
	static const char *const statuses[] = {"draft", "published", NULL};
	int64_t page, per_page;
	const char *status = req_query_choice(r, "status", statuses);
	req_query_paging(r, &page, &per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = announce_list_json(&r->c, status, page, per_page);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/announcements — admin, staff. Body {title, body, audience_kind,
 * audience_values?}. 201 the draft; 422. */
static int announcements_create(struct req *r)
{
	json_t *obj;
	struct announce_input in;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || announce_input_from_json(&r->c, obj, 0, &in) != 0 ||
	    announce_create(&r->c, &in, &id) != 0)
		return -1;
	reply_header(r, "Location", arena_printf(r->c.arena, "/api/v1/announcements/%lld", (long long)id));
	return reply_announcement(r, 201, id);
}

/* GET /api/v1/announcements/inbox — any signed-in user (organization users see theirs; others
 * an empty list). Query: unread (0|1), page, per_page. 200 {items, total, unread_total, ...}. */
static int announcements_inbox(struct req *r)
{
	int64_t page, per_page, unread;
	req_query_paging(r, &page, &per_page);
	req_query_int(r, "unread", 0, 0, 1, &unread);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = announce_inbox_json(&r->c, (int)unread, page, per_page);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/announcements/{id} — senders and supervisors any; organization users only a
 * published one addressed to them (404 otherwise). 200 with body_html and, for addressed
 * users, acknowledged_at. */
static int announcements_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return reply_announcement(r, 200, id);
}

/* PATCH /api/v1/announcements/{id} — admin, staff in the announcement's scope. Body: fields
 * plus version. 200; 409 published or stale; 422; 403; 404. */
static int announcements_patch(struct req *r)
{
	json_t *obj;
	struct announce_input in;
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    announce_input_from_json(&r->c, obj, 1, &in) != 0 || announce_update(&r->c, id, &in) != 0)
		return -1;
	return reply_announcement(r, 200, id);
}

/* POST /api/v1/announcements/{id}/publish — admin, staff in scope. 200 the published
 * announcement (recipient_count set); 409 published already or nobody addressed; 403; 404. */
static int announcements_publish(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || announce_publish(&r->c, id) != 0)
		return -1;
	return reply_announcement(r, 200, id);
}

/* POST /api/v1/announcements/{id}/remind — admin, staff in scope. 200 {reminded_users};
 * 409 when reminded in the last 24 hours or not published; 403; 404. */
static int announcements_remind(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	int told = announce_remind(&r->c, id);
	if (told < 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:i}", "reminded_users", told));
}

/* POST /api/v1/announcements/{id}/ack — org_admin, org_member of an addressed organization (an
 * administrator passes the role filter but is refused unless a user of such an organization):
 * "已阅". Idempotent. 200 the announcement with acknowledged_at; 403 not addressed; 404. */
static int announcements_ack(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || announce_ack(&r->c, id) != 0)
		return -1;
	return reply_announcement(r, 200, id);
}

/* GET /api/v1/announcements/{id}/receipts — admin, staff, supervisor. Query: state
 * (read|unread), street (12 digits), page, per_page. 200 {items: per organization first
 * reader and time, total, recipient_count, read_count}; 422; 404. */
static int announcements_receipts(struct req *r)
{
	static const char *const states[] = {"read", "unread", NULL};
	int64_t id, page, per_page;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	const char *state = req_query_choice(r, "state", states);
	const char *street = req_query(r, "street");
	if (street && !*street)
		street = NULL;
	if (street && (strlen(street) != 12 || strspn(street, "0123456789") != 12))
		error_field(&r->c.err, "street", "field.bad_format", 0);
	req_query_paging(r, &page, &per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = announce_receipts_json(&r->c, id, state, street, page, per_page);
	return body ? reply_json(r, 200, body) : -1;
}

const struct route announce_routes[] = {
	{"GET", "/api/v1/announcements", announcements_list, ROLES_READER, 0, "通知公告列表（发送方）"},
	{"POST", "/api/v1/announcements", announcements_create, ROLES_SENDER, 0, "起草通知公告"},
	{"GET", "/api/v1/announcements/inbox", announcements_inbox, ROLES_ALL, 0, "我的通知公告（收件箱）"},
	{"GET", "/api/v1/announcements/{id}", announcements_get, ROLES_ALL, 0, "通知公告详情"},
	{"PATCH", "/api/v1/announcements/{id}", announcements_patch, ROLES_SENDER, 0, "修改通知公告草稿"},
	{"POST", "/api/v1/announcements/{id}/publish", announcements_publish, ROLES_SENDER, 0, "发布通知公告"},
	{"POST", "/api/v1/announcements/{id}/remind", announcements_remind, ROLES_SENDER, 0, "提醒未读组织"},
	{"POST", "/api/v1/announcements/{id}/ack", announcements_ack, ROLES_ORG, 0, "确认已阅"},
	{"GET", "/api/v1/announcements/{id}/receipts", announcements_receipts, ROLES_READER, 0, "阅读回执（按组织）"},
	{NULL, NULL, NULL, 0, 0, NULL},
};

const struct msg announce_messages[] = {
	{"announce.not_found", "未找到该通知公告", "No such announcement"},
	{"announce.already_published", "通知公告已发布，不能再修改", "The announcement is published and can no longer change"},
	{"announce.not_published", "通知公告尚未发布", "The announcement is not published yet"},
	{"announce.empty_audience", "所选范围内没有组织，无法发布", "No organization is in the chosen audience"},
	{"announce.reminded_today", "今天已提醒过，每天最多提醒一次", "Already reminded today; at most one reminder a day"},
	{"announce.not_addressed", "该通知公告未发送给您的组织", "This announcement was not sent to your organization"},
	{"notify.announcement.new", "新通知公告：{title}", "New announcement: {title}"},
	{"notify.announcement.remind", "请阅读通知公告：{title}", "Please read the announcement: {title}"},
	{NULL, NULL, NULL},
};
