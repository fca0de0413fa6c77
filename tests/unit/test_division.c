/* Unit tests for administrative division codes (src/lib/division.c), using
 * 330602 越城区 (绍兴) and its street 330602001000 / community 330602001001. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/division.h"

static void test_six_and_twelve_digit_district_codes_are_districts(void **state)
{
	(void)state;
	assert_int_equal(division_level_of("330602"), DIVISION_DISTRICT);
	assert_int_equal(division_level_of("330602000000"), DIVISION_DISTRICT);
}

static void test_township_with_zero_village_is_a_street(void **state)
{
	(void)state;
	assert_int_equal(division_level_of("330602001000"), DIVISION_STREET);
	assert_int_equal(division_level_of("330602100000"), DIVISION_STREET);
	assert_int_equal(division_level_of("330602599000"), DIVISION_STREET);
}

static void test_village_under_a_township_is_a_community(void **state)
{
	(void)state;
	assert_int_equal(division_level_of("330602001001"), DIVISION_COMMUNITY);
	assert_int_equal(division_level_of("330602101201"), DIVISION_COMMUNITY);
	assert_int_equal(division_level_of("330602001399"), DIVISION_COMMUNITY);
}

static void test_malformed_codes_are_invalid(void **state)
{
	const char *bad[] = {"", "33060", "3306020", "33060200100", "3306020010001", "33060a001000",
			     " 330602", "330602600000", "330602001400", "330602000001", "000000",
			     "000000001000"};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(division_level_of(bad[i]), DIVISION_INVALID);
	assert_int_equal(division_level_of(NULL), DIVISION_INVALID);
}

static void test_township_kind_follows_the_township_range(void **state)
{
	(void)state;
	assert_string_equal(division_township_kind("330602001000"), "街道");
	assert_string_equal(division_township_kind("330602099000"), "街道");
	assert_string_equal(division_township_kind("330602100000"), "镇");
	assert_string_equal(division_township_kind("330602200000"), "乡");
	assert_string_equal(division_township_kind("330602399000"), "乡");
	assert_string_equal(division_township_kind("330602400000"), "开发区等");
	assert_string_equal(division_township_kind("330602001001"), "街道");
	assert_null(division_township_kind("330602"));
	assert_null(division_township_kind("330602700000"));
}

static void test_district_contains_its_streets_and_communities(void **state)
{
	(void)state;
	assert_true(division_contains("330602", "330602001000"));
	assert_true(division_contains("330602", "330602001001"));
	assert_true(division_contains("330602000000", "330602105203"));
	assert_true(division_contains("330602", "330602000000"));
	assert_false(division_contains("330602", "330603001001"));
}

static void test_street_contains_only_its_own_communities(void **state)
{
	(void)state;
	assert_true(division_contains("330602001000", "330602001001"));
	assert_true(division_contains("330602001000", "330602001000"));
	assert_false(division_contains("330602001000", "330602002001"));
	assert_false(division_contains("330602001000", "330602"));
}

static void test_community_contains_only_itself(void **state)
{
	(void)state;
	assert_true(division_contains("330602001001", "330602001001"));
	assert_false(division_contains("330602001001", "330602001002"));
	assert_false(division_contains("330602001001", "330602001000"));
}

static void test_invalid_codes_are_inside_nothing(void **state)
{
	(void)state;
	assert_false(division_contains("330602", "330602001x01"));
	assert_false(division_contains("33060", "330602001001"));
	assert_false(division_contains(NULL, "330602001001"));
	assert_false(division_contains("330602", NULL));
}

static void test_parent_walks_community_to_street_to_district(void **state)
{
	char out[13];
	(void)state;
	assert_int_equal(division_parent("330602001001", out), 0);
	assert_string_equal(out, "330602001000");
	assert_int_equal(division_parent("330602001000", out), 0);
	assert_string_equal(out, "330602000000");
	assert_int_equal(division_parent("330602", out), -1);
	assert_string_equal(out, "");
	assert_int_equal(division_parent("330602000000", out), -1);
	assert_int_equal(division_parent("bogus", out), -1);
}

static void test_normalize_pads_district_to_twelve_digits(void **state)
{
	char out[13];
	(void)state;
	assert_int_equal(division_normalize("330602", out), 0);
	assert_string_equal(out, "330602000000");
	assert_int_equal(division_normalize("330602001001", out), 0);
	assert_string_equal(out, "330602001001");
	assert_int_equal(division_normalize("3306021", out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_six_and_twelve_digit_district_codes_are_districts),
		cmocka_unit_test(test_township_with_zero_village_is_a_street),
		cmocka_unit_test(test_village_under_a_township_is_a_community),
		cmocka_unit_test(test_malformed_codes_are_invalid),
		cmocka_unit_test(test_township_kind_follows_the_township_range),
		cmocka_unit_test(test_district_contains_its_streets_and_communities),
		cmocka_unit_test(test_street_contains_only_its_own_communities),
		cmocka_unit_test(test_community_contains_only_itself),
		cmocka_unit_test(test_invalid_codes_are_inside_nothing),
		cmocka_unit_test(test_parent_walks_community_to_street_to_district),
		cmocka_unit_test(test_normalize_pads_district_to_twelve_digits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
