/*
 * division.c — classification and containment of administrative division
 * codes. Everything works on the 12-digit form so that a 6-digit GB/T 2260
 * district code and its statistical 12-digit form compare equal.
 */
#include "lib/division.h"

#include <string.h>

#define DIVISION_CODE_LENGTH 12

/* Numeric value of 3 ASCII digits (caller checked they are digits). */
static int division_part(const char *three)
{
	return (three[0] - '0') * 100 + (three[1] - '0') * 10 + (three[2] - '0');
}

static int division_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int division_normalize(const char *code, char out[13])
{
	size_t len = code ? strlen(code) : 0;

	out[0] = '\0';
	if ((len != 6 && len != DIVISION_CODE_LENGTH) || !division_all_digits(code, len))
		return -1;
	if (code[0] == '0' && code[1] == '0')
		return -1;
	memcpy(out, code, len);
	memset(out + len, '0', DIVISION_CODE_LENGTH - len);
	out[DIVISION_CODE_LENGTH] = '\0';
	return 0;
}

/* Level of an already normalized 12-digit code. */
static enum division_level division_level_of_full(const char *full)
{
	int township = division_part(full + 6);
	int village = division_part(full + 9);

	if (township == 0)
		return village == 0 ? DIVISION_DISTRICT : DIVISION_INVALID;
	if (township > 599)
		return DIVISION_INVALID;
	if (village == 0)
		return DIVISION_STREET;
	return village <= 399 ? DIVISION_COMMUNITY : DIVISION_INVALID;
}

enum division_level division_level_of(const char *code)
{
	char full[13];

	if (division_normalize(code, full) != 0)
		return DIVISION_INVALID;
	return division_level_of_full(full);
}

const char *division_township_kind(const char *code)
{
	char full[13];
	int township;
	enum division_level level;

	if (division_normalize(code, full) != 0)
		return NULL;
	level = division_level_of_full(full);
	if (level != DIVISION_STREET && level != DIVISION_COMMUNITY)
		return NULL;
	township = division_part(full + 6);
	if (township <= 99)
		return "街道";
	if (township <= 199)
		return "镇";
	if (township <= 399)
		return "乡";
	return "开发区等";
}

int division_contains(const char *scope, const char *code)
{
	char s[13], c[13];
	enum division_level scope_level;

	if (division_normalize(scope, s) != 0 || division_normalize(code, c) != 0)
		return 0;
	scope_level = division_level_of_full(s);
	if (scope_level == DIVISION_INVALID || division_level_of_full(c) == DIVISION_INVALID)
		return 0;
	/* The scope's significant prefix: 6 digits for a district, 9 for a street. */
	switch (scope_level) {
	case DIVISION_DISTRICT:
		return memcmp(s, c, 6) == 0;
	case DIVISION_STREET:
		return memcmp(s, c, 9) == 0;
	case DIVISION_COMMUNITY:
		return memcmp(s, c, DIVISION_CODE_LENGTH) == 0;
	case DIVISION_INVALID:
		break;
	}
	return 0;
}

int division_parent(const char *code, char out[13])
{
	char full[13];
	enum division_level level;

	out[0] = '\0';
	if (division_normalize(code, full) != 0)
		return -1;
	level = division_level_of_full(full);
	if (level == DIVISION_COMMUNITY) {
		memset(full + 9, '0', 3);
	} else if (level == DIVISION_STREET) {
		memset(full + 6, '0', 6);
	} else {
		return -1;
	}
	memcpy(out, full, sizeof full);
	return 0;
}
