/*
 * Fuzzes src/lib/creditcode.c: creditcode_validate, creditcode_check_char,
 * creditcode_org_check_char, creditcode_kind_name and creditcode_make on arbitrary strings.
 * Promises checked: no read past the terminator (ASan, exact-size copies); a code that
 * validates OK (or with only the org-check warning) carries the right check characters; a
 * code built by creditcode_make validates OK.
 */
#include "fuzz.h"
#include "lib/creditcode.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* A copy of exactly n bytes with no terminator, so reading byte n is caught. */
static char *exact_copy(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

static void check_validate(const char *code)
{
	enum creditcode_status st = creditcode_validate(code);
	size_t len = strlen(code);
	FUZZ_CHECK((st == CREDITCODE_BAD_LENGTH) == (len != 18));
	if (st == CREDITCODE_OK || st == CREDITCODE_BAD_ORG_CHECK) {
		FUZZ_CHECK(creditcode_check_char(code) == code[17]);
		FUZZ_CHECK(creditcode_is_acceptable(st));
	}
	if (st == CREDITCODE_OK)
		FUZZ_CHECK(creditcode_org_check_char(code + 8) == code[16]);
	if (st == CREDITCODE_BAD_CHECK)
		FUZZ_CHECK(!creditcode_is_acceptable(st));
	/* a NUL-terminated string shorter than 17 is safe too: '\0' is outside the alphabet */
	char cc = creditcode_check_char(code);
	FUZZ_CHECK(cc == 0 || strchr("0123456789ABCDEFGHJKLMNPQRTUWXY", cc));
	if (len < 17)
		FUZZ_CHECK(cc == 0);
	if (len >= 17) {
		char *exact = exact_copy(code, 17);
		FUZZ_CHECK(creditcode_check_char(exact) == cc);
		free(exact);
	}
	if (len >= 8) {
		char *exact = exact_copy(code, 8);
		char oc = creditcode_org_check_char(exact);
		FUZZ_CHECK(oc == 0 || (oc >= '0' && oc <= '9') || oc == 'X');
		free(exact);
	}
	(void)creditcode_kind_name(code);
}

/* Builds a code from the first 16 bytes cut as 2 + 6 + 8 and checks it validates. */
static void check_make(const char *s, size_t len)
{
	if (len < 16)
		return;
	char at[3], area[7], org[9], out[19];
	memcpy(at, s, 2), at[2] = 0;
	memcpy(area, s + 2, 6), area[6] = 0;
	memcpy(org, s + 8, 8), org[8] = 0;
	if (creditcode_make(at, area, org, out) != 0) {
		FUZZ_CHECK(out[0] == 0);
		return;
	}
	FUZZ_CHECK(strlen(out) == 18);
	FUZZ_CHECK(creditcode_validate(out) == CREDITCODE_OK);
	FUZZ_CHECK(memcmp(out, at, 2) == 0 && memcmp(out + 2, area, 6) == 0 &&
		   memcmp(out + 8, org, 8) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *code = fuzz_cstr(data, size);
	check_validate(code);
	check_make(code, strlen(code));
	free(code);
	return 0;
}
