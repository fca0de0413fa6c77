/* Unit tests for the accounts module's pure parts: TOTP codes against the RFC 6238 test
 * vectors (SHA-1 secret "12345678901234567890"), the ±1 step window and reuse refusal,
 * password rules, phone masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/accounts_internal.h"

/* base32 of the ASCII secret "12345678901234567890" */
static const char rfc_secret[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

static int matches_at(int64_t now, const char *code, int64_t *last_step)
{
	struct ctx c = {0};
	c.now = now;
	return totp_code_matches(&c, rfc_secret, code, last_step);
}

static void test_totp_accepts_the_rfc_6238_vectors(void **state)
{
	(void)state;
	int64_t last = 0;
	/* RFC 6238 appendix B gives 8 digits; 6-digit codes are their last six */
	assert_true(matches_at(59, "287082", &last));
	assert_int_equal(last, 1);
	last = 0;
	assert_true(matches_at(1111111109, "081804", &last));
	assert_int_equal(last, 1111111109 / 30);
	last = 0;
	assert_true(matches_at(1234567890, "005924", &last));
}

static void test_totp_allows_one_step_either_side_and_no_more(void **state)
{
	(void)state;
	int64_t last = 0;
	assert_true(matches_at(59 + 30, "287082", &last)); /* one step later */
	last = 0;
	assert_true(matches_at(59 - 30, "287082", &last)); /* one step earlier */
	last = 0;
	assert_false(matches_at(59 + 60, "287082", &last));
	assert_int_equal(last, 0);
}

static void test_totp_refuses_a_code_whose_step_was_used(void **state)
{
	(void)state;
	int64_t last = 1;
	assert_false(matches_at(59, "287082", &last));
	assert_int_equal(last, 1);
}

static void test_totp_refuses_malformed_codes(void **state)
{
	(void)state;
	int64_t last = 0;
	assert_false(matches_at(59, "28708", &last));
	assert_false(matches_at(59, "2870822", &last));
	assert_false(matches_at(59, "28708a", &last));
	assert_false(matches_at(59, "", &last));
	assert_false(matches_at(59, NULL, &last));
}

static void test_password_rules(void **state)
{
	(void)state;
	assert_null(accounts_password_problem("Secret2026x"));
	assert_string_equal(accounts_password_problem("Ab1"), "accounts.password_too_short");
	assert_string_equal(accounts_password_problem("abcdefghij"), "accounts.password_weak");
	assert_string_equal(accounts_password_problem("1234567890"), "accounts.password_weak");
}

static void test_phones_are_masked_but_keep_their_ends(void **state)
{
	(void)state;
	struct ctx c = {0};
	c.arena = arena_new();
	assert_string_equal(accounts_mask_phone(&c, "13812345678"), "138****5678");
	assert_string_equal(accounts_mask_phone(&c, "0571-87654321"), "057******4321");
	assert_string_equal(accounts_mask_phone(&c, "12345"), "*****");
	assert_null(accounts_mask_phone(&c, NULL));
	arena_free(c.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_totp_accepts_the_rfc_6238_vectors),
	    cmocka_unit_test(test_totp_allows_one_step_either_side_and_no_more),
	    cmocka_unit_test(test_totp_refuses_a_code_whose_step_was_used),
	    cmocka_unit_test(test_totp_refuses_malformed_codes),
	    cmocka_unit_test(test_password_rules),
	    cmocka_unit_test(test_phones_are_masked_but_keep_their_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
