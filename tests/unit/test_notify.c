/* Unit tests for notifications' pure parts: named placeholders ({name}) filled from JSON
 * params, UTF-8-safe truncation, and the exact robot requests with their signatures (expected
 * values computed independently with Python's hmac/base64/urllib). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/msg.h"
#include "notify/notify_channels.h"
#include "notify/notify_robot_url.h"

static void test_placeholders_take_strings_and_numbers(void **state)
{
	(void)state;
	json_t *p = json_pack("{s:s, s:i, s:s}", "sender", "王主任", "seq", 7, "message", "请到会");
	struct buf out = {0};
	msg_render_params(&out, "notify.test", LANG_ZH, p);
	assert_string_equal(out.data, "测试通知 #7：王主任 向您发送了一条测试消息。请到会");
	buf_free(&out);
	msg_render_params(&out, "notify.test", LANG_EN, p);
	assert_string_equal(out.data, "Test notification #7: 王主任 sent you a test message. 请到会");
	buf_free(&out);
	json_decref(p);
}

static void test_a_missing_parameter_shows_as_written(void **state)
{
	(void)state;
	json_t *p = json_pack("{s:s}", "sender", "甲");
	struct buf out = {0};
	msg_render_params(&out, "notify.test", LANG_ZH, p);
	assert_string_equal(out.data, "测试通知 #{seq}：甲 向您发送了一条测试消息。{message}");
	buf_free(&out);
	msg_render_params(&out, "notify.no_such_key", LANG_ZH, NULL);
	assert_string_equal(out.data, "notify.no_such_key");
	buf_free(&out);
	json_decref(p);
}

static void test_truncation_never_cuts_a_character(void **state)
{
	(void)state;
	assert_int_equal(channel_utf8_prefix("同心", 6), 6);
	assert_int_equal(channel_utf8_prefix("同心", 5), 3);
	assert_int_equal(channel_utf8_prefix("同心", 2), 0);
	assert_int_equal(channel_utf8_prefix("ab", 10), 2);
}

static void test_dingtalk_signs_the_url(void **state)
{
	(void)state;
	struct buf u = {0}, b = {0};
	assert_int_equal(channel_robot_request("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T",
					       "SECabc", "标题", "正文", 1700000000000LL, &u, &b), 0);
	assert_string_equal(u.data, "https://oapi.dingtalk.com/robot/send?access_token=T"
				    "&timestamp=1700000000000&sign=jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D");
	assert_string_equal(b.data, "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"标题\",\"text\":\"正文\"}}");
	buf_free(&u);
	buf_free(&b);
}

static void test_feishu_signs_the_body(void **state)
{
	(void)state;
	struct buf u = {0}, b = {0};
	assert_int_equal(channel_robot_request("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/U", "abc",
					       "t", "你好", 1700000000123LL, &u, &b), 0);
	assert_string_equal(u.data, "https://open.feishu.cn/open-apis/bot/v2/hook/U");
	assert_string_equal(b.data, "{\"content\":{\"text\":\"你好\"},\"msg_type\":\"text\","
				    "\"sign\":\"VIS10b0EBvzzSdFnuk4tznEmK5wHaruvf/WnViv2yR4=\",\"timestamp\":\"1700000000\"}");
	buf_free(&u);
	buf_free(&b);
}

static void test_wecom_text_is_capped_at_2048_bytes(void **state)
{
	(void)state;
	char text[3000];
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = 0;
	struct buf u = {0}, b = {0};
	assert_int_equal(channel_robot_request("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
					       "", "t", text, 0, &u, &b), 0);
	json_t *j = json_loads(b.data, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "msgtype")), "text");
	assert_int_equal(strlen(json_string_value(json_object_get(json_object_get(j, "text"), "content"))), 2048);
	assert_int_equal(channel_robot_request("telegram", "u", "", "t", "x", 0, &u, &b), -1);
	json_decref(j);
	buf_free(&u);
	buf_free(&b);
}

/* Where a robot of each kind may post: its official host over https, nothing else. */
static const struct {
	const char *kind, *url;
	int ok;
} robot_urls[] = {
	{"wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", 1},
	{"wecom", "https://QYAPI.weixin.qq.com/cgi-bin/webhook/send?key=abc", 1},
	{"wecom", "https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=abc", 1},
	{"dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t", 1},
	{"feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e", 1},
	{"wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", 0}, /* not https */
	{"wecom", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send", 0},    /* other port */
	{"wecom", "https://qyapi.weixin.qq.com./cgi-bin/webhook/send", 0},       /* trailing dot */
	{"wecom", "https://oapi.dingtalk.com/robot/send?access_token=t", 0},       /* other kind's */
	{"dingtalk", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", 0},
	{"feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/0f1e", 0},
	{"wecom", "https://qyapi.weixin.qq.com.evil.example/send", 0},
	{"wecom", "https://evil.example/qyapi.weixin.qq.com/send", 0},
	{"wecom", "https://qyapi.weixin.qq.com@evil.example/send", 0},
	{"wecom", "https://user:pw@qyapi.weixin.qq.com/send", 0},
	{"wecom", "https://evil.example#@qyapi.weixin.qq.com/send", 0},
	{"wecom", "https://127.0.0.1/cgi-bin/webhook/send", 0},
	{"wecom", "http://127.0.0.1:8080/", 0},
	{"wecom", "https://10.0.0.1/send", 0},
	{"wecom", "https://169.254.169.254/latest/meta-data/", 0},
	{"wecom", "https://[::1]/send", 0},
	{"wecom", "https://[::ffff:127.0.0.1]/send", 0},
	{"wecom", "ftp://qyapi.weixin.qq.com/send", 0},
	{"wecom", "file:///etc/passwd", 0},
	{"wecom", "qyapi.weixin.qq.com/cgi-bin/webhook/send", 0}, /* no scheme */
	{"wecom", "", 0},
	{"wecom", NULL, 0},
	{"telegram", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", 0},
	{NULL, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", 0},
};

static void test_robots_post_only_to_their_official_host(void **state)
{
	(void)state;
	int wrong = 0;
	for (size_t i = 0; i < sizeof robot_urls / sizeof robot_urls[0]; i++) {
		const char *problem = notify_robot_url_problem(robot_urls[i].kind, robot_urls[i].url);
		if ((problem == NULL) != robot_urls[i].ok) {
			fprintf(stderr, "%s %s: expected %s, got %s\n", robot_urls[i].kind,
				robot_urls[i].url, robot_urls[i].ok ? "accepted" : "refused",
				problem ? problem : "accepted");
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
	assert_string_equal(notify_robot_url_problem("dingtalk", "https://evil.example/"),
			    "notify.robot_url_dingtalk");
	assert_string_equal(notify_robot_url_problem("telegram", "https://x.example/"),
			    "notify.bad_url");
}

/* The test-only hosts: refused unless the server is a test server (loopback, port 0) and each
 * entry is a loopback address with a port; then exactly those host:port pairs, any kind. */
static void test_test_hosts_need_a_test_server_and_loopback_entries(void **state)
{
	(void)state;
	FILE *log = tmpfile();
	assert_non_null(log);
	assert_int_equal(notify_robot_url_allow_test_hosts(NULL, "0.0.0.0:8080", log), 0);
	assert_int_equal(notify_robot_url_allow_test_hosts("127.0.0.1:4000", "127.0.0.1:8080", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("127.0.0.1:4000", "0.0.0.0:0", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("127.0.0.1:4000", "tongxin.example:0", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("10.0.0.1:4000", "127.0.0.1:0", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("169.254.169.254:80", "127.0.0.1:0", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("localhost:4000", "127.0.0.1:0", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("127.0.0.1", "127.0.0.1:0", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("127.0.0.1:0", "127.0.0.1:0", log), -1);
	assert_int_equal(notify_robot_url_allow_test_hosts("127.0.0.1:123456", "127.0.0.1:0", log), -1);
	/* none of those was honored: the local receiver is still refused */
	assert_non_null(notify_robot_url_problem("wecom", "http://127.0.0.1:4000/send"));
	assert_int_equal(notify_robot_url_allow_test_hosts("127.0.0.1:4000,[::1]:4001", "127.0.0.1:0", log), 0);
	assert_null(notify_robot_url_problem("wecom", "http://127.0.0.1:4000/send?key=k"));
	assert_null(notify_robot_url_problem("feishu", "http://[::1]:4001/hook"));
	assert_non_null(notify_robot_url_problem("wecom", "http://127.0.0.1:4002/send"));
	assert_non_null(notify_robot_url_problem("wecom", "http://127.0.0.2:4000/send"));
	assert_non_null(notify_robot_url_problem("wecom", "http://[::1]:4000/send"));
	assert_non_null(notify_robot_url_problem("wecom", "ftp://127.0.0.1:4000/send"));
	rewind(log);
	char line[4096];
	size_t n = fread(line, 1, sizeof line - 1, log);
	line[n] = 0;
	assert_non_null(strstr(line, "NEVER IN PRODUCTION"));
	fclose(log);
}

/* The check after name resolution: a name that resolves to an inside address is refused (no
 * network needed: "localhost" comes from /etc/hosts), a public one is pinned for libcurl. */
static void test_the_resolved_address_is_checked_and_pinned(void **state)
{
	(void)state;
	char err[200] = "";
	struct curl_slist *resolve = NULL;
	CURL *curl = curl_easy_init();
	assert_int_equal(notify_robot_url_pin(curl, "https://localhost/send", &resolve, err,
					      sizeof err),
			 -1);
	assert_null(resolve);
	assert_non_null(strstr(err, "localhost resolves to"));
	assert_int_equal(notify_robot_url_pin(curl, "https://169.254.169.254/", &resolve, err,
					      sizeof err),
			 -1);
	assert_int_equal(notify_robot_url_pin(curl, "https://[::ffff:10.0.0.1]/", &resolve, err,
					      sizeof err),
			 -1);
	assert_int_equal(notify_robot_url_pin(curl, "https://8.8.8.8/send", &resolve, err,
					      sizeof err),
			 0);
	assert_non_null(resolve);
	assert_string_equal(resolve->data, "8.8.8.8:443:8.8.8.8");
	curl_easy_cleanup(curl);
	curl_slist_free_all(resolve);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders_take_strings_and_numbers),
		cmocka_unit_test(test_a_missing_parameter_shows_as_written),
		cmocka_unit_test(test_truncation_never_cuts_a_character),
		cmocka_unit_test(test_dingtalk_signs_the_url),
		cmocka_unit_test(test_feishu_signs_the_body),
		cmocka_unit_test(test_wecom_text_is_capped_at_2048_bytes),
		cmocka_unit_test(test_robots_post_only_to_their_official_host),
		cmocka_unit_test(test_test_hosts_need_a_test_server_and_loopback_entries),
		cmocka_unit_test(test_the_resolved_address_is_checked_and_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
