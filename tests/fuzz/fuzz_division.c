/*
 * Fuzzes src/lib/division.c: division_level_of, division_contains, division_parent,
 * division_normalize and division_township_kind on arbitrary strings. The input is cut at
 * its first '|' into a scope and a code.
 * Promises checked: a valid code is inside itself and inside its parent, the parent is one
 * level up, an invalid code is inside nothing, outputs are 12 digits or "".
 */
#include "fuzz.h"
#include "lib/division.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int is_12_digits(const char *s)
{
	if (strlen(s) != 12)
		return 0;
	for (int i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void check_one(const char *code)
{
	enum division_level level = division_level_of(code);
	char norm[13], parent[13];
	int nrc = division_normalize(code, norm);
	FUZZ_CHECK(nrc == 0 ? is_12_digits(norm) : norm[0] == 0);
	if (level != DIVISION_INVALID) {
		FUZZ_CHECK(nrc == 0);
		FUZZ_CHECK(division_level_of(norm) == level);
		FUZZ_CHECK(division_contains(code, code) == 1);
		FUZZ_CHECK(division_contains(code, norm) == 1 && division_contains(norm, code) == 1);
	} else {
		FUZZ_CHECK(division_contains(code, code) == 0);
	}
	const char *kind = division_township_kind(code);
	FUZZ_CHECK((kind != NULL) == (level == DIVISION_STREET || level == DIVISION_COMMUNITY));
	int prc = division_parent(code, parent);
	if (level == DIVISION_STREET || level == DIVISION_COMMUNITY) {
		FUZZ_CHECK(prc == 0 && is_12_digits(parent));
		FUZZ_CHECK(division_level_of(parent) == level - 1);
		FUZZ_CHECK(division_contains(parent, code) == 1);
		FUZZ_CHECK(division_contains(code, parent) == 0);
	} else {
		FUZZ_CHECK(prc == -1 && parent[0] == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char *bar = strchr(s, '|');
	const char *scope = s, *code = s;
	if (bar) {
		*bar = 0;
		code = bar + 1;
	}
	check_one(scope);
	check_one(code);
	int in = division_contains(scope, code);
	if (in) {
		enum division_level ls = division_level_of(scope), lc = division_level_of(code);
		FUZZ_CHECK(ls != DIVISION_INVALID && lc != DIVISION_INVALID && ls <= lc);
		FUZZ_CHECK(strncmp(scope, code, 6) == 0);
	}
	(void)division_contains(NULL, code);
	(void)division_contains(scope, NULL);
	free(s);
	return 0;
}
