/* Unit tests for the spreadsheet columns of the organization import/export (src/io/io_columns.c):
 * how a header is recognised and how a cell as people type it becomes the JSON the registry
 * validates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "registry/org.h"

/* The cell converted and dumped as compact JSON ("null" for an empty cell). */
static char *cell(const char *field, const char *text)
{
	static char out[512];
	int col = io_column_by_field(field);
	assert_true(col >= 0);
	json_t *v = io_cell_to_json(col, text);
	if (!v) {
		strcpy(out, "null");
		return out;
	}
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(v);
	strncpy(out, s, sizeof out - 1);
	free(s);
	return out;
}

static void test_headers_match_in_chinese_or_as_field_names(void **state)
{
	(void)state;
	assert_int_equal(io_column_by_header("名称"), 0);
	assert_int_equal(io_column_by_header(" 联系电话　"), io_column_by_field("contact_phone"));
	assert_int_equal(io_column_by_header("年度预算(元)"), io_column_by_field("annual_budget"));
	assert_int_equal(io_column_by_header("Credit_Code"), io_column_by_field("credit_code"));
	assert_int_equal(io_column_by_header("联系方式"), -1);
}

static void test_every_input_field_has_a_column(void **state)
{
	(void)state;
	for (const char *const *f = org_input_fields; *f; f++)
		assert_true(io_column_by_field(*f) >= 0);
}

static void test_labels_and_codes_become_codes(void **state)
{
	(void)state;
	assert_string_equal(cell("type", "社会团体"), "\"social_group\"");
	assert_string_equal(cell("type", "foundation"), "\"foundation\"");
	assert_string_equal(cell("type", "Foundation"), "\"foundation\"");
	assert_string_equal(cell("status", "暂停活动"), "\"suspended\"");
	assert_string_equal(cell("type", "协会"), "\"协会\""); /* left for the registry to refuse */
}

static void test_lists_split_on_chinese_and_latin_separators(void **state)
{
	(void)state;
	assert_string_equal(cell("fields", "文化；教育、health, sports"),
			    "[\"culture\",\"education\",\"health\",\"sports\"]");
	assert_string_equal(cell("tags", " 养老 ; 助餐 ;; "), "[\"养老\",\"助餐\"]");
}

static void test_numbers_flags_and_dates_are_converted(void **state)
{
	(void)state;
	assert_string_equal(cell("annual_budget", "1,200,000"), "1200000");
	assert_string_equal(cell("annual_budget", "50000.00"), "50000");
	assert_string_equal(cell("staff_count", "三十"), "\"三十\"");
	assert_string_equal(cell("annual_budget", "12.5"), "\"12.5\"");
	assert_string_equal(cell("has_party_org", "是"), "true");
	assert_string_equal(cell("has_party_org", "否"), "false");
	assert_string_equal(cell("has_party_org", "可能"), "\"可能\"");
	assert_string_equal(cell("founded_on", "2024/3/5"), "\"2024-03-05\"");
	assert_string_equal(cell("founded_on", "2024年3月5日"), "\"2024-03-05\"");
	assert_string_equal(cell("founded_on", "2024/3/5 0:00"), "\"2024-03-05\"");
	assert_string_equal(cell("founded_on", "2024-03-05"), "\"2024-03-05\"");
	assert_string_equal(cell("founded_on", "3/5/2024"), "\"3/5/2024\"");
}

static void test_blank_cells_are_not_sent_and_text_is_kept(void **state)
{
	(void)state;
	assert_string_equal(cell("name", "  "), "null");
	assert_string_equal(cell("name", "同心 协会"), "\"同心 协会\"");
	/* the quote our exporter puts before a formula-like cell is removed again */
	assert_string_equal(cell("address", "'+86 路"), "\"+86 路\"");
	assert_string_equal(cell("address", "'普通"), "\"'普通\"");
	assert_string_equal(cell("address", "'＝号楼"), "\"＝号楼\""); /* full-width, guarded too */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_match_in_chinese_or_as_field_names),
		cmocka_unit_test(test_every_input_field_has_a_column),
		cmocka_unit_test(test_labels_and_codes_become_codes),
		cmocka_unit_test(test_lists_split_on_chinese_and_latin_separators),
		cmocka_unit_test(test_numbers_flags_and_dates_are_converted),
		cmocka_unit_test(test_blank_cells_are_not_sent_and_text_is_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
