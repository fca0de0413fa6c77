/* Unit tests for Markdown rendering (src/lib/markdown.c): what readers see, and what an
 * attacker cannot get through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lib/markdown.h"

static char *render(const char *md)
{
	char *html = markdown_to_html(md, strlen(md));
	assert_non_null(html);
	return html;
}

static void test_headings_lists_and_line_breaks(void **state)
{
	(void)state;
	char *html = render("# 会议纪要\n\n- 第一项\n- 第二项\n\n张三发言\n李四发言\n");
	assert_non_null(strstr(html, "<h1>会议纪要</h1>"));
	assert_non_null(strstr(html, "<li>第一项</li>"));
	assert_non_null(strstr(html, "张三发言<br />"));
	free(html);
}

static void test_raw_html_is_not_passed_through(void **state)
{
	(void)state;
	char *html = render("<script>alert(1)</script>\n\n正文 <img src=x onerror=alert(1)>\n");
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "正文"));
	free(html);
}

static void test_javascript_links_are_dropped(void **state)
{
	(void)state;
	char *html = render("[点我](javascript:alert(1)) [官网](https://example.org/)");
	assert_null(strstr(html, "javascript:"));
	assert_non_null(strstr(html, "href=\"https://example.org/\""));
	free(html);
}

static void test_invalid_utf8_is_replaced(void **state)
{
	(void)state;
	char *html = render("坏\xff字节");
	assert_null(strchr(html, '\xff'));
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headings_lists_and_line_breaks),
		cmocka_unit_test(test_raw_html_is_not_passed_through),
		cmocka_unit_test(test_javascript_links_are_dropped),
		cmocka_unit_test(test_invalid_utf8_is_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
