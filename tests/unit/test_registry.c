/* Unit tests for the registry's pure rules: grade validity, masking, ID numbers, credit code
 * normalization, sort names (src/registry). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "lib/creditcode.h"
#include "registry/org.h"
#include "registry/person.h"

static void test_grade_is_valid_from_next_january_to_the_end_of_the_fifth_year(void **state)
{
	char from[11], to[11];
	(void)state;
	assert_int_equal(org_grade_default_validity("2024-03-15", from, to), 0);
	assert_string_equal(from, "2025-01-01");
	assert_string_equal(to, "2029-12-31");
	assert_int_equal(org_grade_default_validity("2023-12-31", from, to), 0);
	assert_string_equal(from, "2024-01-01");
	assert_string_equal(to, "2028-12-31");
	assert_int_equal(org_grade_default_validity("2024-02-30", from, to), -1);
	assert_int_equal(org_grade_default_validity(NULL, from, to), -1);
}

static void test_phones_keep_prefix_and_last_four(void **state)
{
	struct ctx c = {0};
	(void)state;
	c.arena = arena_new();
	assert_string_equal(org_mask_phone(&c, "13812345678"), "138****5678");
	assert_string_equal(org_mask_phone(&c, "0575-88123456"), "057******3456");
	assert_string_equal(org_mask_phone(&c, "12345"), "***45");
	assert_null(org_mask_phone(&c, NULL));
	assert_string_equal(person_mask_id_number(&c, "330602199001011231"), "330***********1231");
	arena_free(c.arena);
}

static void test_id_numbers_need_the_gb11643_check_character(void **state)
{
	(void)state;
	assert_true(person_id_number_valid("330602199001011231"));
	assert_true(person_id_number_valid("11010519491231002X"));
	assert_false(person_id_number_valid("330602199001011230"));
	assert_false(person_id_number_valid("33060219900101123"));
	assert_false(person_id_number_valid("3306021990010112a1"));
	assert_false(person_id_number_valid(NULL));
}

static void test_credit_codes_are_upper_cased_before_the_check(void **state)
{
	struct ctx c = {0};
	const char *out;
	(void)state;
	c.arena = arena_new();
	assert_int_equal(org_credit_normalize(&c, "91110000600037341l", &out), CREDITCODE_OK);
	assert_string_equal(out, "91110000600037341L");
	assert_int_equal(org_credit_normalize(&c, "91350100M0001TGQXM", &out), CREDITCODE_BAD_CHECK);
	assert_int_equal(org_credit_normalize(&c, "9135", &out), CREDITCODE_BAD_LENGTH);
	arena_free(c.arena);
}

static void test_sort_names_and_labels(void **state)
{
	(void)state;
	assert_int_equal(org_sort_from_name("name"), ORG_SORT_NAME);
	assert_int_equal(org_sort_from_name("-grade"), ORG_SORT_GRADE_DESC);
	assert_int_equal(org_sort_from_name("-created"), ORG_SORT_NEWEST);
	assert_int_equal(org_sort_from_name("size"), -1);
	assert_string_equal(org_label("foundation", LANG_ZH), "基金会");
	assert_string_equal(org_label("rural", LANG_EN), "Agriculture and rural development");
	assert_null(org_label("nonsense", LANG_ZH));
	for (const char *const *t = org_type_codes; *t; t++)
		assert_non_null(org_label(*t, LANG_ZH));
	for (const char *const *f = org_field_codes; *f; f++)
		assert_non_null(org_label(*f, LANG_EN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grade_is_valid_from_next_january_to_the_end_of_the_fifth_year),
		cmocka_unit_test(test_phones_keep_prefix_and_last_four),
		cmocka_unit_test(test_id_numbers_need_the_gb11643_check_character),
		cmocka_unit_test(test_credit_codes_are_upper_cased_before_the_check),
		cmocka_unit_test(test_sort_names_and_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
