/*
 * Routes for signing in and out, and the resolver that turns a session cookie (or an API
 * token) into the request's principal.
 */
#include <stdio.h>
#include <string.h>
#include "accounts/accounts.h"
#include "accounts/accounts_handlers.h"
#include "app/app.h"
#include "core/validate.h"

static const char cookie_name[] = "tongxin_session";

/* After an administrator's reset the account may do only this much until it has chosen its
 * own password: see who it is, change the password, sign out. */
static int password_change_allows(const struct req *r)
{
	static const struct {
		const char *method, *path;
	} allowed[] = {
		{"GET", "/api/v1/me"},
		{"POST", "/api/v1/me/password"},
		{"DELETE", "/api/v1/session"},
		{"POST", "/api/v1/session"},
	};
	if (!r->who.must_change_password || (r->route->flags & ROUTE_PUBLIC))
		return 1;
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(r->route->method, allowed[i].method) == 0 &&
		    strcmp(r->route->path, allowed[i].path) == 0)
			return 1;
	return 0;
}

static int resolve_principal(struct req *r);

int accounts_resolve_principal(struct req *r)
{
	if (resolve_principal(r) != 0)
		return -1;
	if (!password_change_allows(r))
		return error_set(&r->c.err, E_FORBIDDEN, "accounts.password_change_required");
	return 0;
}

static int resolve_principal(struct req *r)
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

const char *const *accounts_role_choices(struct req *r)
{
	const char **names = arena_alloc(r->c.arena, (ROLE__MAX + 1) * sizeof *names);
	for (int i = 0; i < ROLE__MAX; i++)
		names[i] = role_name((enum role)i);
	names[ROLE__MAX] = NULL;
	return names;
}

void accounts_read_secret(struct req *r, json_t *body, const char *field, int required,
			  const char **out)
{
	json_t *v = json_object_get(body, field);
	*out = NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
		if (required)
			error_field(&r->c.err, field, "field.required", 0);
	} else if (!json_is_string(v)) {
		error_field(&r->c.err, field, "field.type_string", 0);
	} else {
		*out = json_string_value(v);
	}
}

/*
 * POST /api/v1/session — public, slow (argon2id runs on the worker pool).
 * Body {username, password, totp?}. 200 {user, csrf_token, expires_at} and the session cookie.
 * Errors: 401 invalid_credentials, 401 totp_required (second factor on, no totp sent; no
 * session made), 422 (missing fields), 429 too_many_requests with retry_after (too many
 * failures for the account or from the address; checked before the password is hashed).
 */
static int session_create(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	const char *username = NULL, *password = NULL, *totp = NULL;
	static const char *const allowed[] = {"username", "password", "totp", NULL};
	v_no_unknown_fields(&r->c, body, allowed);
	v_string(&r->c, body, "username", V_REQUIRED, 64, &username);
	accounts_read_secret(r, body, "password", V_REQUIRED, &password);
	v_string(&r->c, body, "totp", V_OPTIONAL, 16, &totp);
	if (error_check(&r->c.err) != 0)
		return -1;
	struct session_grant grant;
	if (accounts_login(&r->c, username, password, totp, &grant) != 0)
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

#define ADMIN ROLE_BIT(ROLE_ADMIN)

const struct route accounts_routes[] = {
	{"POST", "/api/v1/session", session_create, 0, ROUTE_PUBLIC | ROUTE_SLOW | ROUTE_NO_CSRF,
	 "登录（用户名+密码），返回会话 Cookie 与 CSRF 令牌"},
	{"DELETE", "/api/v1/session", session_delete, ROLES_ALL, 0, "退出登录"},
	{"GET", "/api/v1/me", me_get, ROLES_ALL, 0, "当前用户、角色、所属组织"},
	{"POST", "/api/v1/me/password", me_password_change, ROLES_ALL, ROUTE_SLOW,
	 "修改自己的密码（结束其他会话）"},
	{"POST", "/api/v1/me/totp", me_totp_begin, ROLES_ALL, 0,
	 "开始启用动态验证码：生成密钥与 otpauth:// 地址"},
	{"POST", "/api/v1/me/totp/confirm", me_totp_confirm, ROLES_ALL, 0,
	 "输入验证码确认，启用动态验证码"},
	{"DELETE", "/api/v1/me/totp", me_totp_disable, ROLES_ALL, ROUTE_SLOW,
	 "停用动态验证码（需验证码或密码）"},
	{"GET", "/api/v1/me/tokens", me_tokens_list, ROLES_ALL, 0, "我的 API 令牌"},
	{"POST", "/api/v1/me/tokens", me_tokens_create, ROLES_ALL, 0,
	 "创建 API 令牌（限定一个角色；令牌只显示一次）"},
	{"DELETE", "/api/v1/me/tokens/{id}", me_tokens_revoke, ROLES_ALL, 0, "吊销我的 API 令牌"},
	{"GET", "/api/v1/users", users_list, ADMIN, 0, "用户列表（按用户名/姓名、角色、状态筛选）"},
	{"POST", "/api/v1/users", users_create, ADMIN, ROUTE_SLOW, "创建用户"},
	{"GET", "/api/v1/users/{id}", users_get, ADMIN, 0, "用户详情（含角色与 API 令牌）"},
	{"PATCH", "/api/v1/users/{id}", users_update, ADMIN, 0,
	 "修改用户资料、状态、辖区、角色（需 version）"},
	{"POST", "/api/v1/users/{id}/password", users_password_reset, ADMIN, ROUTE_SLOW,
	 "管理员重置密码（用户下次登录须修改，其会话全部结束）"},
	{"DELETE", "/api/v1/users/{id}/tokens/{token_id}", users_token_revoke, ADMIN, 0,
	 "管理员吊销用户的 API 令牌"},
	{NULL},
};

const struct msg accounts_messages[] = {
	{"accounts.password_change_required", "管理员已重置您的密码，请先设置自己的新密码",
	 "An administrator reset your password; choose your own new password first"},
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
	{"accounts.account_locked", "该账户登录失败次数过多，已暂时锁定，请 {n} 分钟后再试",
	 "Too many failed sign-ins for this account; it is locked, try again in {n} minute(s)"},
	{"accounts.address_throttled", "来自此网络地址的登录失败次数过多，请 {n} 分钟后再试",
	 "Too many failed sign-ins from this address; try again in {n} minute(s)"},
	{"accounts.wrong_password", "密码不正确", "The password is not correct"},
	{"accounts.password_unchanged", "新密码不能与当前密码相同",
	 "The new password must differ from the current one"},
	{"accounts.session_required", "此操作须登录网页后进行，不能使用 API 令牌",
	 "Do this signed in on the web, not with an API token"},
	{"accounts.role_not_yours", "只能选择您自己拥有的角色", "Choose one of your own roles"},
	{"accounts.totp_wrong", "动态验证码不正确或已使用过",
	 "The one-time code is wrong or was already used"},
	{"accounts.totp_already_on", "动态验证码已启用；如需更换请先停用",
	 "The one-time code is already on; turn it off first to replace it"},
	{"accounts.totp_not_started", "请先开始启用动态验证码", "Start the one-time code set-up first"},
	{"accounts.totp_off", "动态验证码未启用", "The one-time code is not on"},
	{"accounts.totp_proof_required", "请输入动态验证码或密码",
	 "Enter a one-time code or your password"},
	{"accounts.totp_only_off", "动态验证码只能由用户本人启用；管理员只能停用",
	 "Only the user can turn the one-time code on; administrators can only turn it off"},
	{"accounts.last_admin", "至少要保留一个启用的系统管理员",
	 "At least one active system administrator must remain"},
	{NULL, NULL, NULL},
};
