/*
 * Routes for signing in and out, and the resolver that turns a session cookie (or an API
 * token) into the request's principal.
 */
#include <stdio.h>
#include <string.h>
#include "accounts/accounts.h"
#include "app/app.h"
#include "core/validate.h"

static const char cookie_name[] = "tongxin_session";

int accounts_resolve_principal(struct req *r)
{
	const char *auth = req_header(r, "Authorization");
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (accounts_token_principal(&r->c, auth + 7, &r->who) != 0)
			return -1;
		return 0;
	}
	const char *token = req_cookie(r, cookie_name);
	if (!token || !*token)
		return 0;
	if (strlen(token) != ACCOUNTS_TOKEN_CHARS) {
		if (r->route->flags & ROUTE_PUBLIC)
			return 0;
		return error_set(&r->c.err, E_UNAUTHENTICATED, "accounts.session_expired");
	}
	if (accounts_session_principal(&r->c, token, &r->who) != 0) {
		/* a stale cookie must not stop anyone from reaching the sign-in route */
		if ((r->route->flags & ROUTE_PUBLIC) && r->c.err.kind == E_UNAUTHENTICATED) {
			error_clear(&r->c.err);
			memset(&r->who, 0, sizeof r->who);
			return 0;
		}
		return -1;
	}
	return 0;
}

static void set_session_cookie(struct req *r, const char *token, int64_t max_age)
{
	char cookie[256];
	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
		 cookie_name, token, (long long)max_age,
		 server_config()->secure_cookies ? "; Secure" : "");
	reply_header(r, "Set-Cookie", cookie);
}

/*
 * POST /api/v1/session — public, slow (argon2id runs on the worker pool).
 * Body {username, password}. 200 {user, csrf_token, expires_at} and the session cookie.
 * Errors: 401 invalid_credentials, 422 (missing fields), 429 too_many_requests.
 */
static int session_create(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	const char *username = NULL, *password = NULL;
	static const char *const allowed[] = {"username", "password", "totp", NULL};
	v_no_unknown_fields(&r->c, body, allowed);
	v_string(&r->c, body, "username", V_REQUIRED, 64, &username);
	json_t *pw = json_object_get(body, "password");
	if (!json_is_string(pw) || json_string_length(pw) == 0)
		error_field(&r->c.err, "password", "field.required", 0);
	else
		password = json_string_value(pw);
	if (error_check(&r->c.err) != 0)
		return -1;
	struct session_grant grant;
	if (accounts_login(&r->c, username, password, &grant) != 0)
		return -1;
	if (accounts_load_principal(&r->c, grant.user_id, &r->who) != 0)
		return -1;
	r->who.session_id = grant.session_id;
	snprintf(r->who.csrf_token, sizeof r->who.csrf_token, "%s", grant.csrf);
	set_session_cookie(r, grant.token, accounts_session_max_seconds());
	json_t *out = json_pack("{s:o, s:s, s:I}", "user", accounts_me_json(&r->c), "csrf_token",
				grant.csrf, "expires_at", (json_int_t)grant.expires_at);
	return reply_json(r, 200, out);
}

/* DELETE /api/v1/session — any signed-in user. Ends this session; 204 and a cleared cookie. */
static int session_delete(struct req *r)
{
	if (r->who.session_id && accounts_logout(&r->c, r->who.session_id) != 0)
		return -1;
	set_session_cookie(r, "", 0);
	return reply_no_content(r);
}

/* GET /api/v1/me — any signed-in user. The account, its roles and organizations, and the
 * CSRF token of this session (so a reloaded page can keep writing). */
static int me_get(struct req *r)
{
	json_t *me = accounts_me_json(&r->c);
	if (r->who.session_id)
		json_object_set_new(me, "csrf_token", json_string(r->who.csrf_token));
	return reply_json(r, 200, me);
}

const struct route accounts_routes[] = {
	{"POST", "/api/v1/session", session_create, 0, ROUTE_PUBLIC | ROUTE_SLOW | ROUTE_NO_CSRF,
	 "登录（用户名+密码），返回会话 Cookie 与 CSRF 令牌"},
	{"DELETE", "/api/v1/session", session_delete, ROLES_ALL, 0, "退出登录"},
	{"GET", "/api/v1/me", me_get, ROLES_ALL, 0, "当前用户、角色、所属组织"},
	{NULL},
};

const struct msg accounts_messages[] = {
	{"accounts.session_expired", "登录已过期，请重新登录",
	 "Your session has expired; please sign in again"},
	{"accounts.no_such_user", "没有这个用户", "No such user"},
	{"accounts.bad_username", "用户名为 3–32 位小写字母、数字或 . _ -，以字母开头",
	 "User names are 3-32 lower-case letters, digits, '.', '_' or '-', starting with a letter"},
	{"accounts.username_taken", "该用户名已被使用", "This user name is taken"},
	{"accounts.password_too_short", "密码至少 8 位", "Passwords have at least 8 characters"},
	{"accounts.password_too_long", "密码不能超过 128 位", "Passwords have at most 128 characters"},
	{"accounts.password_weak", "密码须同时包含字母和数字",
	 "Passwords must contain both letters and digits"},
	{"accounts.bad_jurisdiction", "辖区应为 12 位街道代码（留空表示全区）",
	 "A jurisdiction is a 12-digit street code (empty for the whole district)"},
	{"accounts.roles_required", "请至少选择一个有效角色", "Choose at least one valid role"},
	{"accounts.org_required", "组织管理员和组织成员必须指定所属组织",
	 "Organization administrators and members need an organization"},
	{"accounts.no_such_org", "该组织不存在", "No such organization"},
	{"accounts.bad_token", "API 令牌无效、已过期或已吊销",
	 "The API token is invalid, expired or revoked"},
	{NULL, NULL, NULL},
};
