/* Unit tests for notifications' pure parts: named placeholders ({name}) filled from JSON
 * params, UTF-8-safe truncation, and the exact robot requests with their signatures (expected
 * values computed independently with Python's hmac/base64/urllib). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/msg.h"
#include "notify/notify_channels.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders_take_strings_and_numbers),
		cmocka_unit_test(test_a_missing_parameter_shows_as_written),
		cmocka_unit_test(test_truncation_never_cuts_a_character),
		cmocka_unit_test(test_dingtalk_signs_the_url),
		cmocka_unit_test(test_feishu_signs_the_body),
		cmocka_unit_test(test_wecom_text_is_capped_at_2048_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
