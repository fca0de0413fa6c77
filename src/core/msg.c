#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/msg.h"

const struct msg core_messages[] = {
	{"error.none", "成功", "OK"},
	{"error.bad_request", "请求无法处理", "The request cannot be processed"},
	{"error.malformed_json", "请求内容不是有效的 JSON", "The request body is not valid JSON"},
	{"error.validation_failed", "提交的内容有误，请检查标出的字段",
	 "Some fields are invalid; see the field errors"},
	{"error.unauthenticated", "请先登录", "Please sign in"},
	{"error.invalid_credentials", "用户名或密码错误", "Wrong user name or password"},
	{"error.totp_required", "请输入动态验证码", "Enter the one-time code from your authenticator"},
	{"error.forbidden", "您没有权限执行此操作", "You are not allowed to do this"},
	{"error.csrf_failed", "页面已过期或请求来源不可信，请刷新后重试",
	 "The page has expired or the request was not sent by this site; reload and try again"},
	{"error.not_found", "未找到请求的内容", "Not found"},
	{"error.method_not_allowed", "不支持此请求方法", "Method not allowed"},
	{"error.conflict", "当前状态不允许此操作", "The current state does not allow this"},
	{"error.duplicate", "已存在相同的记录", "A record with the same value already exists"},
	{"error.stale_version", "该记录已被他人修改，请刷新后对比再保存",
	 "Someone else changed this record; reload and compare before saving"},
	/* The kind's title carries no number: it is rendered with whatever argument the detail
	 * has (an attachment's limit in MB), which once read "上限 20 字节" for a 20 MB limit. */
	{"error.payload_too_large", "提交的内容过大", "The request body is too large"},
	{"error.payload_limit_mb", "提交的内容过大（上限 {n} MB）",
	 "The request body is too large (limit {n} MB)"},
	{"error.uri_too_long", "请求地址过长", "The request URI is too long"},
	{"error.uri_limit_kb", "请求地址过长（上限 {n} KB）", "The request URI is too long (limit {n} KB)"},
	{"error.headers_too_large", "请求头过大", "The request headers are too large"},
	{"error.headers_limit_kb", "请求头过大（上限 {n} KB）",
	 "The request headers are too large (limit {n} KB)"},
	{"error.content_length_conflict", "请求头 Content-Length 出现了不止一次，请求无法处理",
	 "The request has more than one Content-Length header"},
	{"error.content_length_with_chunked", "请求同时带有 Content-Length 与 Transfer-Encoding，无法处理",
	 "The request has both Content-Length and Transfer-Encoding"},
	{"error.unsupported_media_type", "请以 application/json 提交",
	 "Send the body as application/json"},
	{"error.too_many_requests", "尝试次数过多，请稍后再试", "Too many attempts; try again later"},
	{"error.internal", "服务器内部错误，请稍后再试", "Internal server error; please try again later"},
	{"error.unavailable", "服务暂时不可用（数据库无法连接），请稍后再试",
	 "Service unavailable (database unreachable); please try again later"},
	{"error.role_forbidden", "您的角色不能使用此功能", "Your role cannot use this function"},
	{"error.route_not_found", "接口不存在", "No such API endpoint"},
	{"field.required", "此项为必填", "This field is required"},
	{"field.unknown", "不认识的字段", "Unknown field"},
	{"field.type_string", "应为文本", "Must be a string"},
	{"field.type_integer", "应为整数", "Must be an integer"},
	{"field.type_number", "应为数字", "Must be a number"},
	{"field.type_boolean", "应为是或否（true/false）", "Must be true or false"},
	{"field.type_array", "应为列表", "Must be a list"},
	{"field.type_object", "应为对象", "Must be an object"},
	{"field.too_long", "不能超过 {n} 个字符", "Must be at most {n} characters"},
	{"field.too_short", "至少需要 {n} 个字符", "Must be at least {n} characters"},
	{"field.too_many", "最多 {n} 项", "At most {n} items"},
	{"field.min", "不能小于 {n}", "Must be at least {n}"},
	{"field.max", "不能大于 {n}", "Must be at most {n}"},
	{"field.bad_text", "包含无效字符（非 UTF-8 或控制字符）",
	 "Contains invalid characters (not UTF-8, or control characters)"},
	{"field.bad_choice", "不是可选的值", "Not one of the allowed values"},
	{"field.bad_date", "日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"},
	{"field.bad_email", "电子邮箱格式不正确", "Not a valid e-mail address"},
	{"field.bad_phone", "电话号码格式不正确", "Not a valid phone number"},
	{"field.bad_format", "格式不正确", "Invalid format"},
	{"query.bad_integer", "应为整数", "Must be an integer"},
	{"error.json_not_object", "请求内容应为 JSON 对象", "The request body must be a JSON object"},
	{NULL, NULL, NULL},
};

const char *msg_text(const char *key, enum lang lang)
{
	for (size_t c = 0; msg_catalogues[c]; c++)
		for (const struct msg *m = msg_catalogues[c]; m->key; m++)
			if (strcmp(m->key, key) == 0)
				return lang == LANG_EN ? m->en : m->zh;
	return NULL;
}

void msg_render(struct buf *out, const char *key, enum lang lang, long long arg)
{
	const char *text = msg_text(key, lang);
	if (!text) {
		buf_puts(out, key);
		return;
	}
	for (const char *p = text; *p;) {
		const char *hole = strstr(p, "{n}");
		if (!hole) {
			buf_puts(out, p);
			break;
		}
		buf_append(out, p, (size_t)(hole - p));
		buf_printf(out, "%lld", arg);
		p = hole + 3;
	}
}

/* Appends params[name] (name is len bytes) when it is a string or a number; 0 if it appended. */
static int put_param(struct buf *out, const json_t *params, const char *name, size_t len)
{
	char key[64];
	if (!params || len == 0 || len >= sizeof key)
		return -1;
	memcpy(key, name, len);
	key[len] = 0;
	const json_t *v = json_object_get(params, key);
	if (json_is_string(v))
		buf_append(out, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v))
		buf_printf(out, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(out, "%g", json_real_value(v));
	else
		return -1;
	return 0;
}

void msg_render_params(struct buf *out, const char *key, enum lang lang, const json_t *params)
{
	const char *text = msg_text(key, lang);
	if (!text) {
		buf_puts(out, key);
		return;
	}
	const char *p = text;
	while (*p) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open + 1, '}') : NULL;
		if (!close) {
			buf_puts(out, p);
			break;
		}
		buf_append(out, p, (size_t)(open - p));
		size_t len = (size_t)(close - open - 1);
		if (put_param(out, params, open + 1, len) != 0)
			buf_append(out, open, len + 2);
		p = close + 1;
	}
}

/* Reads the q value of one tag ("en;q=0.8"); 1.0 when absent. */
static double tag_quality(const char *tag, size_t len)
{
	const char *q = memchr(tag, ';', len);
	if (!q)
		return 1.0;
	const char *eq = strstr(q, "q=");
	if (!eq || eq >= tag + len)
		return 1.0;
	return strtod(eq + 2, NULL);
}

enum lang msg_lang_from_header(const char *accept_language)
{
	if (!accept_language)
		return LANG_ZH;
	double best_zh = -1, best_en = -1;
	const char *p = accept_language;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		if (len == 0)
			break;
		double q = tag_quality(p, len);
		if (strncasecmp(p, "en", 2) == 0 && q > best_en)
			best_en = q;
		else if ((strncasecmp(p, "zh", 2) == 0 || strncmp(p, "*", 1) == 0) && q > best_zh)
			best_zh = q;
		p += len;
	}
	return best_en > best_zh ? LANG_EN : LANG_ZH;
}

const char *msg_label(const struct msg *table, const char *code, enum lang lang)
{
	for (const struct msg *m = table; code && m->key; m++)
		if (strcmp(m->key, code) == 0)
			return lang == LANG_EN ? m->en : m->zh;
	return NULL;
}
