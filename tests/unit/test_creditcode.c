/* Unit tests for the Unified Social Credit Code validator (src/lib/creditcode.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "lib/creditcode.h"

static void test_domain_example_enterprise_code_is_valid(void **state)
{
	(void)state;
	assert_int_equal(creditcode_validate("91110000600037341L"), CREDITCODE_OK);
}

static void test_domain_example_foundation_code_is_valid(void **state)
{
	(void)state;
	assert_int_equal(creditcode_validate("53640000MJX1736997"), CREDITCODE_OK);
}

static void test_pilot_region_code_fails_final_check(void **state)
{
	(void)state;
	/* Its embedded org code M0001TGQX is fine; only position 18 is wrong. */
	assert_int_equal(creditcode_validate("91350100M0001TGQXM"), CREDITCODE_BAD_CHECK);
	assert_int_equal(creditcode_org_check_char("M0001TGQ"), 'X');
	assert_int_equal(creditcode_check_char("91350100M0001TGQX"), '1');
	assert_false(creditcode_is_acceptable(CREDITCODE_BAD_CHECK));
}

static void test_changed_character_is_caught_by_final_check(void **state)
{
	(void)state;
	assert_int_equal(creditcode_validate("91110000600037341M"), CREDITCODE_BAD_CHECK);
	assert_int_equal(creditcode_validate("92110000600037341L"), CREDITCODE_BAD_CHECK);
}

static void test_wrong_length_is_reported(void **state)
{
	(void)state;
	assert_int_equal(creditcode_validate(""), CREDITCODE_BAD_LENGTH);
	assert_int_equal(creditcode_validate("91110000600037341"), CREDITCODE_BAD_LENGTH);
	assert_int_equal(creditcode_validate("91110000600037341LL"), CREDITCODE_BAD_LENGTH);
	assert_int_equal(creditcode_validate(NULL), CREDITCODE_BAD_LENGTH);
}

static void test_letters_outside_alphabet_are_bad_chars(void **state)
{
	const char *bad[] = {"91110000600037341I", "91110000600037341O", "91110000600037341Z",
			     "91110000600037341S", "91110000600037341V", "9111000060003734 L"};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(creditcode_validate(bad[i]), CREDITCODE_BAD_CHAR);
}

static void test_lower_case_is_rejected_caller_must_upper_case(void **state)
{
	(void)state;
	assert_int_equal(creditcode_validate("91110000600037341l"), CREDITCODE_BAD_CHAR);
	assert_int_equal(creditcode_validate("53640000mjx1736997"), CREDITCODE_BAD_CHAR);
}

static void test_letters_in_area_code_are_bad_area(void **state)
{
	char code[19];
	(void)state;
	/* Build the code with a correct final check so only the area is wrong. */
	memcpy(code, "9111A000600037341", 17);
	code[17] = creditcode_check_char(code);
	code[18] = '\0';
	assert_int_equal(creditcode_validate(code), CREDITCODE_BAD_AREA);
}

static void test_org_code_mismatch_is_a_separate_acceptable_warning(void **state)
{
	char code[19];
	(void)state;
	/* Org code 60003734 has check digit 1; put 2 there and fix the final check. */
	memcpy(code, "91110000600037342", 17);
	code[17] = creditcode_check_char(code);
	code[18] = '\0';
	assert_int_equal(creditcode_validate(code), CREDITCODE_BAD_ORG_CHECK);
	assert_true(creditcode_is_acceptable(CREDITCODE_BAD_ORG_CHECK));
	assert_true(creditcode_is_acceptable(CREDITCODE_OK));
}

static void test_org_check_maps_ten_to_x_and_eleven_to_zero(void **state)
{
	(void)state;
	/* Last weight is 2, so body 0000000d has sum 2d and check 11 - 2d mod 11. */
	assert_int_equal(creditcode_org_check_char("00000006"), 'X'); /* sum 12 -> 10 -> X */
	assert_int_equal(creditcode_org_check_char("00000000"), '0'); /* sum 0 -> 11 -> 0 */
	assert_int_equal(creditcode_org_check_char("00000001"), '9'); /* sum 2 -> 9 */
	assert_int_equal(creditcode_org_check_char("MJX17369"), '9');
	assert_int_equal(creditcode_org_check_char("6000373a"), 0);
}

static void test_check_char_rejects_characters_outside_alphabet(void **state)
{
	(void)state;
	assert_int_equal(creditcode_check_char("91110000600037341"), 'L');
	assert_int_equal(creditcode_check_char("9111000060003734I"), 0);
}

static void test_make_builds_codes_that_validate(void **state)
{
	char out[19];
	(void)state;
	assert_int_equal(creditcode_make("53", "640000", "MJX17369", out), 0);
	assert_string_equal(out, "53640000MJX1736997");
	assert_int_equal(creditcode_make("51", "330602", "MJ000001", out), 0);
	assert_int_equal(creditcode_validate(out), CREDITCODE_OK);
	assert_int_equal(strncmp(out, "51330602MJ000001", 16), 0);
}

static void test_make_refuses_bad_input(void **state)
{
	char out[19];
	(void)state;
	assert_int_equal(creditcode_make("5", "330602", "MJ000001", out), -1);
	assert_string_equal(out, "");
	assert_int_equal(creditcode_make("51", "33060A", "MJ000001", out), -1);
	assert_int_equal(creditcode_make("51", "330602", "MJ00001", out), -1);
	assert_int_equal(creditcode_make("51", "330602", "MJ00000I", out), -1);
	assert_int_equal(creditcode_make("5s", "330602", "MJ000001", out), -1);
}

static void test_kind_names_follow_the_prefix(void **state)
{
	(void)state;
	assert_string_equal(creditcode_kind_name("51330602MJ0000019X"), "社会团体");
	assert_string_equal(creditcode_kind_name("53"), "基金会");
	assert_string_equal(creditcode_kind_name("91110000600037341L"), "企业");
	assert_string_equal(creditcode_kind_name("N2"), "村级集体经济组织");
	assert_null(creditcode_kind_name("54"));
	assert_null(creditcode_kind_name("5"));
	assert_null(creditcode_kind_name(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain_example_enterprise_code_is_valid),
		cmocka_unit_test(test_domain_example_foundation_code_is_valid),
		cmocka_unit_test(test_pilot_region_code_fails_final_check),
		cmocka_unit_test(test_changed_character_is_caught_by_final_check),
		cmocka_unit_test(test_wrong_length_is_reported),
		cmocka_unit_test(test_letters_outside_alphabet_are_bad_chars),
		cmocka_unit_test(test_lower_case_is_rejected_caller_must_upper_case),
		cmocka_unit_test(test_letters_in_area_code_are_bad_area),
		cmocka_unit_test(test_org_code_mismatch_is_a_separate_acceptable_warning),
		cmocka_unit_test(test_org_check_maps_ten_to_x_and_eleven_to_zero),
		cmocka_unit_test(test_check_char_rejects_characters_outside_alphabet),
		cmocka_unit_test(test_make_builds_codes_that_validate),
		cmocka_unit_test(test_make_refuses_bad_input),
		cmocka_unit_test(test_kind_names_follow_the_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
