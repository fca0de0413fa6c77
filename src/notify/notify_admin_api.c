/*
 * Routes for delivery administration (robots, SMTP, failed deliveries) and for each user's
 * notification preferences.
 */
#include <string.h>
#include "app/app.h"
#include "core/validate.h"
#include "notify/notify_admin.h"

#define ROBOT_ROLES (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ORG_ADMIN))
#define ADMIN_ONLY ROLE_BIT(ROLE_ADMIN)

static const char *const robot_fields[] = {"name", "kind", "url", "secret", "org_id", "scope",
					   "rate_per_minute", "enabled", NULL};

/* Reads a robot body; `required` for create. Every bad field is reported at once. */
static int read_robot(struct req *r, int required, struct robot_input *in)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	memset(in, 0, sizeof *in);
	in->enabled = -1;
	v_no_unknown_fields(&r->c, body, robot_fields);
	v_string(&r->c, body, "name", required, 64, &in->name);
	v_choice(&r->c, body, "kind", required, notify_robot_kinds, &in->kind);
	v_string(&r->c, body, "url", required, 1000, &in->url);
	v_string(&r->c, body, "secret", V_OPTIONAL, 200, &in->secret);
	v_int(&r->c, body, "org_id", V_OPTIONAL, 1, INT64_MAX, &in->org_id, NULL);
	v_string(&r->c, body, "scope", V_OPTIONAL, 64, &in->scope);
	v_int(&r->c, body, "rate_per_minute", V_OPTIONAL, 1, 100000, &in->rate_per_minute, NULL);
	if (json_object_get(body, "enabled"))
		v_bool(&r->c, body, "enabled", V_OPTIONAL, &in->enabled);
	if (required && !in->org_id && !in->scope)
		error_field(&r->c.err, "org_id", "notify.robot_binding", 0);
	/* the official host of the kind (notify_robot_url.h), reported with the other fields; a
	 * change of the URL alone is checked by the domain against the robot's kind */
	if (in->url && (in->kind || required || json_object_get(body, "kind")))
		notify_robot_url_check(&r->c, in->kind, in->url);
	return error_check(&r->c.err);
}

/* GET /api/v1/notify/webhooks — admin, staff, org_admin. 200 {items: [Robot]}: the robots the
 * caller manages (policy.c: staff their jurisdiction, org admins their organizations), url
 * and secret masked. */
static int robots_list_get(struct req *r)
{
	json_t *out = notify_robot_list(&r->c);
	return out ? reply_json(r, 200, out) : -1;
}

/* POST /api/v1/notify/webhooks — admin, staff, org_admin (for an organization they manage;
 * scope robots: district staff). Body {name, kind, url, secret?, org_id? |
 * scope?, rate_per_minute?, enabled?}. 201 Robot. Errors: 422 (each field; neither org_id
 * nor scope; no such organization; url not the kind's official https host); 403 outside the
 * caller's organizations or jurisdiction. */
static int robots_create_post(struct req *r)
{
	struct robot_input in;
	if (read_robot(r, V_REQUIRED, &in) != 0)
		return -1;
	int64_t id = notify_robot_create(&r->c, &in);
	json_t *out = id > 0 ? notify_robot_get(&r->c, id) : NULL;
	return out ? reply_json(r, 201, out) : -1;
}

/* PATCH /api/v1/notify/webhooks/{id} — who manages the robot (and its new organization when
 * it moves). Any robot field; an absent secret is kept. 200 Robot. Errors: 403, 404, 422 (a
 * new kind or url is checked as the robot will be: its url must be that kind's official host). */
static int robots_update_patch(struct req *r)
{
	int64_t id;
	struct robot_input in;
	if (req_param_id(r, "id", &id) != 0 || read_robot(r, V_OPTIONAL, &in) != 0 ||
	    notify_robot_update(&r->c, id, &in) != 0)
		return -1;
	json_t *out = notify_robot_get(&r->c, id);
	return out ? reply_json(r, 200, out) : -1;
}

/* DELETE /api/v1/notify/webhooks/{id} — who manages the robot. 204; its queued posts go too.
 * 403; 404. */
static int robots_delete(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || notify_robot_delete(&r->c, id) != 0)
		return -1;
	return reply_no_content(r);
}

/* POST /api/v1/notify/webhooks/{id}/test — who manages the robot; no body. 202: a test message is
 * queued in the outbox (see the outbox view for its fate). 404. */
static int robots_test_post(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || notify_robot_test(&r->c, id) != 0)
		return -1;
	return reply_json(r, 202, json_pack("{s:b}", "queued", 1));
}

static const char *const outbox_states[] = {"pending", "sent", "failed", "digest", NULL};

/* GET /api/v1/notify/outbox — admin. Query state (pending|sent|failed|digest, default
 * failed), page, per_page (1..200, default 50). 200 {items: [OutboxItem], page, per_page,
 * total}. Errors: 422. */
static int outbox_list_get(struct req *r)
{
	const char *state = req_query(r, "state");
	int64_t page, per_page;
	if (!state)
		state = "failed";
	int known = 0;
	for (int i = 0; outbox_states[i]; i++)
		known |= strcmp(state, outbox_states[i]) == 0;
	if (!known)
		error_field(&r->c.err, "state", "field.bad_choice", 0);
	req_query_int(r, "page", 1, 1, 1000000, &page);
	req_query_int(r, "per_page", 50, 1, 200, &per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *out = notify_outbox_list(&r->c, state, page, per_page);
	return out ? reply_json(r, 200, out) : -1;
}

/* POST /api/v1/notify/outbox/{id}/retry — admin; no body. 204: the failed row is due again
 * with a fresh count of attempts. Errors: 404, 409 when the row is not failed. */
static int outbox_retry_post(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || notify_outbox_retry(&r->c, id) != 0)
		return -1;
	return reply_no_content(r);
}

/* GET /api/v1/notify/smtp — admin. 200 {host, port, tls, user, from, password_set}. */
static int smtp_get(struct req *r)
{
	json_t *out = notify_smtp_get(&r->c);
	return out ? reply_json(r, 200, out) : -1;
}

static const char *const tls_modes[] = {"none", "starttls", "tls", NULL};

/* PUT /api/v1/notify/smtp — admin. Body {host, port, tls, from, user?, password?}; an
 * absent password is kept, "" clears host (e-mail off). 200 as GET. Errors: 422. */
static int smtp_put(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"host", "port", "tls", "user", "password", "from",
					      NULL};
	struct smtp_input in = {0};
	v_no_unknown_fields(&r->c, body, allowed);
	v_string(&r->c, body, "host", V_REQUIRED, 253, &in.host);
	v_int(&r->c, body, "port", V_REQUIRED, 1, 65535, &in.port, NULL);
	v_choice(&r->c, body, "tls", V_REQUIRED, tls_modes, &in.tls);
	v_string(&r->c, body, "user", V_OPTIONAL, 200, &in.user);
	v_string(&r->c, body, "password", V_OPTIONAL, 200, &in.password);
	v_string(&r->c, body, "from", V_REQUIRED, 254, &in.from);
	if (in.from && !v_is_email(in.from))
		error_field(&r->c.err, "from", "field.bad_email", 0);
	if (error_check(&r->c.err) != 0 || notify_smtp_put(&r->c, &in) != 0)
		return -1;
	return smtp_get(r);
}

/* GET /api/v1/notify/public-url — admin. 200 {public_url, startup_url, effective, source}:
 * the base that makes links in e-mails and robot messages absolute. */
static int public_url_get(struct req *r)
{
	json_t *out = notify_public_url_get(&r->c);
	return out ? reply_json(r, 200, out) : -1;
}

/* PUT /api/v1/notify/public-url — admin. Body {public_url: "https://host[/path]" or "" to
 * clear}. 200 as GET. Errors: 422 (not an http(s) base URL). */
static int public_url_put(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"public_url", NULL};
	const char *url = NULL;
	v_no_unknown_fields(&r->c, body, allowed);
	if (!json_object_get(body, "public_url")) /* "" is a value here: it clears the setting */
		error_field(&r->c.err, "public_url", "field.required", 0);
	v_string(&r->c, body, "public_url", V_OPTIONAL, 200, &url);
	if (error_check(&r->c.err) != 0 || notify_public_url_put(&r->c, url ? url : "") != 0)
		return -1;
	return public_url_get(r);
}

/* GET /api/v1/me/notification-preferences — any signed-in user. 200 {email_mode, email}. */
static int prefs_get(struct req *r)
{
	json_t *out = notify_preferences_get(&r->c);
	return out ? reply_json(r, 200, out) : -1;
}

static const char *const email_modes[] = {"immediate", "digest", "off", NULL};

/* PUT /api/v1/me/notification-preferences — any signed-in user. Body {email_mode:
 * immediate|digest|off}. 200 as GET. Leaving digest queues what waits at once. 422. */
static int prefs_put(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"email_mode", NULL};
	const char *mode = NULL;
	v_no_unknown_fields(&r->c, body, allowed);
	v_choice(&r->c, body, "email_mode", V_REQUIRED, email_modes, &mode);
	if (error_check(&r->c.err) != 0 || notify_preferences_put(&r->c, mode) != 0)
		return -1;
	return prefs_get(r);
}

const struct route notify_admin_routes[] = {
	{"GET", "/api/v1/notify/webhooks", robots_list_get, ROBOT_ROLES, 0, "群机器人列表"},
	{"POST", "/api/v1/notify/webhooks", robots_create_post, ROBOT_ROLES, 0, "添加群机器人"},
	{"PATCH", "/api/v1/notify/webhooks/{id}", robots_update_patch, ROBOT_ROLES, 0,
	 "修改群机器人"},
	{"DELETE", "/api/v1/notify/webhooks/{id}", robots_delete, ROBOT_ROLES, 0, "删除群机器人"},
	{"POST", "/api/v1/notify/webhooks/{id}/test", robots_test_post, ROBOT_ROLES, 0,
	 "向群机器人发送测试消息"},
	{"GET", "/api/v1/notify/outbox", outbox_list_get, ADMIN_ONLY, 0,
	 "发送队列（默认：发送失败的）"},
	{"POST", "/api/v1/notify/outbox/{id}/retry", outbox_retry_post, ADMIN_ONLY, 0,
	 "重新发送一条失败的消息"},
	{"GET", "/api/v1/notify/smtp", smtp_get, ADMIN_ONLY, 0, "邮件服务器（SMTP）设置"},
	{"PUT", "/api/v1/notify/smtp", smtp_put, ADMIN_ONLY, 0, "修改邮件服务器（SMTP）设置"},
	{"GET", "/api/v1/notify/public-url", public_url_get, ADMIN_ONLY, 0, "平台公开地址（邮件与群消息中的链接）"},
	{"PUT", "/api/v1/notify/public-url", public_url_put, ADMIN_ONLY, 0, "修改平台公开地址"},
	{"GET", "/api/v1/me/notification-preferences", prefs_get, ROLES_ALL, 0, "我的通知偏好"},
	{"PUT", "/api/v1/me/notification-preferences", prefs_put, ROLES_ALL, 0,
	 "修改我的通知偏好"},
	{NULL},
};
