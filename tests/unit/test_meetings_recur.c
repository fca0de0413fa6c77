/* Unit tests for meeting recurrence (src/meetings/recur.c) and iCalendar output
 * (src/meetings/ics.c): what the rule gives in Shanghai time, what is refused, and lines that
 * calendar applications accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "meetings/ics.h"
#include "meetings/recur.h"

struct collected {
	char starts[64][17];
	int n;
};

static int collect(int64_t start, void *arg)
{
	struct collected *c = arg;
	if (c->n < 64)
		recur_format_local(start, c->starts[c->n++]);
	return 0;
}

static int64_t at(const char *local)
{
	int64_t t = 0;
	assert_int_equal(recur_parse_local(local, &t), 0);
	return t;
}

static void test_local_times_are_utc_plus_eight(void **state)
{
	(void)state;
	assert_int_equal(at("2026-01-01T08:00"), 1767225600); /* 2026-01-01 00:00 UTC */
	char out[17];
	recur_format_local(1767225600, out);
	assert_string_equal(out, "2026-01-01T08:00");
	int64_t t;
	assert_int_equal(recur_parse_local("2026-02-30T10:00", &t), -1);
	assert_int_equal(recur_parse_local("2026-01-01 10:00", &t), -1);
	assert_int_equal(recur_parse_local("2026-01-01T24:00", &t), -1);
	assert_int_equal(recur_parse_local("2026-01-01T10:00Z", &t), -1);
}

static void test_monthly_on_the_second_tuesday(void **state)
{
	(void)state;
	struct collected c = {0};
	int64_t s = at("2026-01-13T14:30");
	int n = recur_expand("FREQ=MONTHLY;BYDAY=2TU", s, s, at("2026-06-30T00:00"), 100, collect, &c);
	assert_int_equal(n, 6);
	assert_string_equal(c.starts[0], "2026-01-13T14:30");
	assert_string_equal(c.starts[1], "2026-02-10T14:30");
	assert_string_equal(c.starts[2], "2026-03-10T14:30");
	assert_string_equal(c.starts[5], "2026-06-09T14:30");
}

static void test_early_morning_weekday_is_local(void **state)
{
	(void)state;
	/* 07:00 Monday in Shanghai is Sunday 23:00 UTC: the rule must follow local weekdays */
	struct collected c = {0};
	int64_t s = at("2026-03-02T07:00");
	int n = recur_expand("FREQ=WEEKLY;BYDAY=MO;COUNT=3", s, s, s + 90 * 86400, 100, collect, &c);
	assert_int_equal(n, 3);
	assert_string_equal(c.starts[1], "2026-03-09T07:00");
	assert_string_equal(c.starts[2], "2026-03-16T07:00");
}

static void test_monthly_on_day_31_skips_short_months(void **state)
{
	(void)state;
	struct collected c = {0};
	int64_t s = at("2026-01-31T09:00");
	int n = recur_expand("FREQ=MONTHLY;BYMONTHDAY=31", s, s, at("2026-08-01T00:00"), 100, collect, &c);
	assert_int_equal(n, 4); /* Jan, Mar, May, Jul */
	assert_string_equal(c.starts[1], "2026-03-31T09:00");
}

static void test_window_and_until(void **state)
{
	(void)state;
	struct collected c = {0};
	int64_t s = at("2026-01-05T10:00");
	int n = recur_expand("FREQ=WEEKLY;UNTIL=20260301T000000", s, at("2026-02-01T00:00"),
			     at("2026-12-31T00:00"), 100, collect, &c);
	assert_int_equal(n, 4); /* Feb 2, 9, 16, 23 */
	assert_string_equal(c.starts[0], "2026-02-02T10:00");
	c.n = 0;
	assert_int_equal(recur_expand(NULL, s, s, s, 10, collect, &c), 1);
	assert_int_equal(recur_expand(NULL, s, s + 1, s + 100, 10, collect, &c), 0);
}

static void test_bad_and_absurd_rules_are_refused(void **state)
{
	(void)state;
	int64_t s = at("2026-01-05T10:00");
	int year = 366 * 86400;
	assert_int_equal(recur_validate("FREQ=MONTHLY;BYDAY=2TU", s, year), RECUR_OK);
	assert_int_equal(recur_validate("FREQ=SOMETIMES", s, year), RECUR_BAD_SYNTAX);
	assert_int_equal(recur_validate("BYDAY=MO", s, year), RECUR_BAD_SYNTAX);
	assert_int_equal(recur_validate("", s, year), RECUR_BAD_SYNTAX);
	assert_int_equal(recur_validate("FREQ=HOURLY", s, year), RECUR_TOO_FREQUENT);
	assert_int_equal(recur_validate("FREQ=MINUTELY;COUNT=2", s, year), RECUR_TOO_FREQUENT);
	assert_int_equal(recur_validate("FREQ=SECONDLY", s, year), RECUR_TOO_FREQUENT);
	assert_int_equal(recur_validate("FREQ=DAILY", s, year), RECUR_OK); /* 366 */
	assert_int_equal(recur_validate("FREQ=DAILY;BYHOUR=9,15", s, year), RECUR_TOO_MANY);
	assert_int_equal(recur_validate("FREQ=DAILY;BYHOUR=9,15;COUNT=20", s, year), RECUR_OK);
	assert_int_equal(recur_expand("FREQ=NEVER", s, s, s + year, 10, collect, &(struct collected){0}), -1);
}

static void test_ics_lines_fold_at_75_octets_without_splitting_characters(void **state)
{
	(void)state;
	struct buf b = {0};
	ics_text(&b, "SUMMARY", "社会组织联席会议，讨论助餐点选址；第二项：资源清单更新与志愿服务安排，以及下月工作");
	assert_null(strstr(b.data, "\\，")); /* only ASCII commas are escaped */
	size_t len = 0;
	for (const char *p = b.data, *line = b.data; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			len = (size_t)(p - line);
			assert_true(len <= 75);
			/* a line never ends in the middle of a UTF-8 sequence */
			assert_true(((unsigned char)p[-1] & 0xC0) != 0xC0);
			line = p + 2;
			if (*line)
				assert_int_equal(*line, ' ');
		}
	}
	/* unfolding gives back the text */
	struct buf u = {0};
	for (const char *p = b.data; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ')
			p += 2;
		else if (!(p[0] == '\r' && p[1] == '\n'))
			buf_putc(&u, *p);
		else
			p++;
	}
	assert_string_equal(u.data, "SUMMARY:社会组织联席会议，讨论助餐点选址；第二项：资源清单更新与志愿服务安排，以及下月工作");
	buf_free(&b);
	buf_free(&u);
}

static void test_ics_text_escapes_and_short_lines(void **state)
{
	(void)state;
	struct buf b = {0};
	ics_text(&b, "LOCATION", "Room 3, Floor 2; A\\B\nnext");
	assert_string_equal(b.data, "LOCATION:Room 3\\, Floor 2\\; A\\\\B\\nnext\r\n");
	buf_reset(&b);
	ics_utc(&b, "DTSTAMP", 1767225600);
	assert_string_equal(b.data, "DTSTAMP:20260101T000000Z\r\n");
	buf_reset(&b);
	char longline[200];
	memset(longline, 'x', 150);
	longline[150] = 0;
	ics_line(&b, "DESCRIPTION", longline);
	/* 75 + CRLF, then " " + 74 + CRLF, then the rest */
	assert_int_equal(strstr(b.data, "\r\n") - b.data, 75);
	assert_int_equal(strstr(b.data + 77, "\r\n") - (b.data + 77), 75);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_times_are_utc_plus_eight),
		cmocka_unit_test(test_monthly_on_the_second_tuesday),
		cmocka_unit_test(test_early_morning_weekday_is_local),
		cmocka_unit_test(test_monthly_on_day_31_skips_short_months),
		cmocka_unit_test(test_window_and_until),
		cmocka_unit_test(test_bad_and_absurd_rules_are_refused),
		cmocka_unit_test(test_ics_lines_fold_at_75_octets_without_splitting_characters),
		cmocka_unit_test(test_ics_text_escapes_and_short_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
