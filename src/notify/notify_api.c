/*
 * Notification routes: the caller's own list, unread count, marking read, the live stream.
 */
#include "app/app.h"
#include "notify/notify.h"
#include "notify/notify_stream.h"

/*
 * GET /api/v1/notifications — any signed-in user; their own notifications, newest first.
 * Query: unread (0|1, default 0: all), page (1..1000000), per_page (1..200, default 20).
 * 200 {items: [{id, kind, text, link, object_type, object_id, created_at, read_at, read}],
 * page, per_page, total, unread_count}; text is rendered in the caller's language.
 * Errors: 401, 422 bad query values (each named).
 */
static int notifications_list_get(struct req *r)
{
	struct notify_page p = {0};
	int64_t unread = 0;
	req_query_int(r, "unread", 0, 0, 1, &unread);
	req_query_int(r, "page", 1, 1, 1000000, &p.page);
	req_query_int(r, "per_page", 20, 1, 200, &p.per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	p.unread_only = (int)unread;
	json_t *out = notify_list(&r->c, &p);
	return out ? reply_json(r, 200, out) : -1;
}

/* GET /api/v1/notifications/unread-count — any signed-in user. 200 {unread_count}. */
static int notifications_unread_get(struct req *r)
{
	int64_t n = notify_unread_count(&r->c);
	if (n < 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:I}", "unread_count", (json_int_t)n));
}

/* POST /api/v1/notifications/{id}/read — any signed-in user, their own notification; no body.
 * 200 {unread_count} (also when it was read already). Errors: 404 not theirs or no such id. */
static int notifications_read_post(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || notify_mark_read(&r->c, id) != 0)
		return -1;
	return notifications_unread_get(r);
}

/* POST /api/v1/notifications/read-all — any signed-in user; no body. 200 {marked,
 * unread_count}: marked is how many were unread. */
static int notifications_read_all_post(struct req *r)
{
	int64_t n = notify_mark_all_read(&r->c);
	if (n < 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:I, s:I}", "marked", (json_int_t)n, "unread_count",
					    (json_int_t)0));
}

const struct route notify_routes[] = {
	{"GET", "/api/v1/notifications", notifications_list_get, ROLES_ALL, 0,
	 "我的通知：分页，最新在前"},
	{"GET", "/api/v1/notifications/unread-count", notifications_unread_get, ROLES_ALL, 0,
	 "我的未读通知数"},
	{"GET", "/api/v1/notifications/stream", notify_stream_get, ROLES_ALL, 0,
	 "实时通知流（Server-Sent Events）"},
	{"POST", "/api/v1/notifications/read-all", notifications_read_all_post, ROLES_ALL, 0,
	 "将我的通知全部标为已读"},
	{"POST", "/api/v1/notifications/{id}/read", notifications_read_post, ROLES_ALL, 0,
	 "将一条通知标为已读"},
	{NULL},
};

const struct msg notify_messages[] = {
	{"notify.test", "测试通知 #{seq}：{sender} 向您发送了一条测试消息。{message}",
	 "Test notification #{seq}: {sender} sent you a test message. {message}"},
	{"notify.robot_test", "测试消息：{sender} 正在检查群机器人能否收到同心平台的通知。",
	 "Test message: {sender} is checking that this group robot receives Tongxin notices."},
	{"notify.digest", "您有 {count} 条新通知：\n{items}", "You have {count} new notifications:\n{items}"},
	{"notify.no_such_org", "没有这个组织", "No such organization"},
	{"notify.bad_public_url", "请填写以 http:// 或 https:// 开头的网址，例如 https://tongxin.example.gov.cn（不含 ? 与 #）",
	 "Give a URL starting with http:// or https://, e.g. https://tongxin.example.gov.cn (no ? or #)"},
	{"notify.robot_binding", "请指定组织（org_id）或范围（scope）",
	 "Give an organization (org_id) or a scope"},
	{"notify.bad_url", "应为 http:// 或 https:// 开头的网址", "Must be an http:// or https:// URL"},
	{"notify.robot_url_wecom",
	 "企业微信群机器人的地址须为官方地址 https://qyapi.weixin.qq.com/…（在群设置 → 群机器人中复制 Webhook 地址）",
	 "A WeCom robot's address must be its official one, https://qyapi.weixin.qq.com/… (copy the "
	 "webhook address from the group's robot settings)"},
	{"notify.robot_url_dingtalk",
	 "钉钉群机器人的地址须为官方地址 https://oapi.dingtalk.com/…（在群设置 → 机器人中复制 Webhook 地址）",
	 "A DingTalk robot's address must be its official one, https://oapi.dingtalk.com/… (copy the "
	 "webhook address from the group's robot settings)"},
	{"notify.robot_url_feishu",
	 "飞书群机器人的地址须为官方地址 https://open.feishu.cn/…（在群设置 → 群机器人中复制 Webhook 地址）",
	 "A Feishu robot's address must be its official one, https://open.feishu.cn/… (copy the "
	 "webhook address from the group's bot settings)"},
	{"notify.stream_accept", "通知流需要 Accept: text/event-stream（请用 EventSource 连接）",
	 "The notification stream needs Accept: text/event-stream (connect with EventSource)"},
	{"notify.bad_last_event_id", "Last-Event-ID 应为非负整数",
	 "Last-Event-ID must be a non-negative integer"},
	{"notify.streams_per_client", "来自您所在网络地址的实时通知连接已达上限，请关闭部分页面后再试",
	 "Too many live notification streams from your network address; close some tabs and retry"},
	{"notify.streams_full", "实时通知连接已满，请稍后再试（通知仍可在通知列表中查看）",
	 "The server holds all the live notification streams it can; retry later (the list still "
	 "shows every notification)"},
	{NULL, NULL, NULL},
};
