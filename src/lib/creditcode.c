/*
 * creditcode.c — Unified Social Credit Code checks (GB 32100-2015) and the
 * embedded organization code check (GB 11714). Rules in DOMAIN.md.
 */
#include "lib/creditcode.h"

#include <string.h>

#define CREDITCODE_LENGTH 18
#define CREDITCODE_ALPHABET_SIZE 31

/* Position in this string is the character's value (0-30). */
static const char creditcode_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^(i-1) mod 31 for i = 1..17. */
static const int creditcode_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* GB 11714 weights for the 8 characters of an organization code body. */
static const int creditcode_org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

struct creditcode_kind {
	char prefix[3];
	const char *name;
};

/* Authority + type prefixes from GB 32100-2015 annex / DOMAIN.md. */
static const struct creditcode_kind creditcode_kinds[] = {
	{"11", "机关"},
	{"12", "事业单位"},
	{"13", "群众团体"},
	{"19", "其他（机构编制）"},
	{"21", "外国常驻新闻机构"},
	{"29", "其他（外交）"},
	{"31", "律师事务所"},
	{"32", "公证处"},
	{"33", "基层法律服务所"},
	{"34", "司法鉴定机构"},
	{"35", "仲裁委员会"},
	{"39", "其他（司法行政）"},
	{"41", "外国在华文化中心"},
	{"49", "其他（文化）"},
	{"51", "社会团体"},
	{"52", "民办非企业单位（社会服务机构）"},
	{"53", "基金会"},
	{"59", "其他（民政）"},
	{"61", "外国旅游部门常驻代表机构"},
	{"62", "港澳台地区旅游部门常驻内地（大陆）代表机构"},
	{"69", "其他（旅游）"},
	{"71", "宗教活动场所"},
	{"72", "宗教院校"},
	{"79", "其他（宗教）"},
	{"81", "基层工会"},
	{"89", "其他（工会）"},
	{"91", "企业"},
	{"92", "个体工商户"},
	{"93", "农民专业合作社"},
	{"A1", "军队事业单位"},
	{"A9", "其他（中央军委改革和编制办公室）"},
	{"N1", "组级集体经济组织"},
	{"N2", "村级集体经济组织"},
	{"N3", "乡镇级集体经济组织"},
	{"N9", "其他（农业）"},
	{"Y1", "其他"},
};

/* Value 0-30 of a credit-code character, -1 when outside the alphabet. */
static int creditcode_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(creditcode_alphabet, c);
	return p ? (int)(p - creditcode_alphabet) : -1;
}

/* GB 11714 value: digits 0-9, letters A-Z = 10-35, -1 otherwise. */
static int creditcode_org_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

static int creditcode_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

char creditcode_check_char(const char *first17)
{
	int sum = 0;

	if (first17 == NULL)
		return 0;
	for (int i = 0; i < 17; i++) {
		int v = creditcode_value(first17[i]);
		if (v < 0)
			return 0;
		sum += v * creditcode_weights[i];
	}
	return creditcode_alphabet[(CREDITCODE_ALPHABET_SIZE - sum % CREDITCODE_ALPHABET_SIZE) %
				   CREDITCODE_ALPHABET_SIZE];
}

char creditcode_org_check_char(const char *org8)
{
	int sum = 0;
	int check;

	if (org8 == NULL)
		return 0;
	for (int i = 0; i < 8; i++) {
		int v = creditcode_org_value(org8[i]);
		if (v < 0)
			return 0;
		sum += v * creditcode_org_weights[i];
	}
	check = 11 - sum % 11;
	if (check == 10)
		return 'X';
	if (check == 11)
		return '0';
	return (char)('0' + check);
}

enum creditcode_status creditcode_validate(const char *code)
{
	if (code == NULL || strlen(code) != CREDITCODE_LENGTH)
		return CREDITCODE_BAD_LENGTH;
	for (int i = 0; i < CREDITCODE_LENGTH; i++)
		if (creditcode_value(code[i]) < 0)
			return CREDITCODE_BAD_CHAR;
	if (!creditcode_all_digits(code + 2, 6))
		return CREDITCODE_BAD_AREA;
	if (creditcode_check_char(code) != code[17])
		return CREDITCODE_BAD_CHECK;
	if (creditcode_org_check_char(code + 8) != code[16])
		return CREDITCODE_BAD_ORG_CHECK;
	return CREDITCODE_OK;
}

int creditcode_is_acceptable(enum creditcode_status status)
{
	return status == CREDITCODE_OK || status == CREDITCODE_BAD_ORG_CHECK;
}

/* 1 when s is exactly n characters, all in the credit-code alphabet. */
static int creditcode_is_alphabet_string(const char *s, size_t n)
{
	if (s == NULL || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (creditcode_value(s[i]) < 0)
			return 0;
	return 1;
}

int creditcode_make(const char *authority_type, const char *area6, const char *org8, char out[19])
{
	out[0] = '\0';
	if (!creditcode_is_alphabet_string(authority_type, 2) || !creditcode_is_alphabet_string(org8, 8))
		return -1;
	if (area6 == NULL || strlen(area6) != 6 || !creditcode_all_digits(area6, 6))
		return -1;
	memcpy(out, authority_type, 2);
	memcpy(out + 2, area6, 6);
	memcpy(out + 8, org8, 8);
	out[16] = creditcode_org_check_char(org8);
	out[17] = creditcode_check_char(out);
	out[18] = '\0';
	return 0;
}

const char *creditcode_kind_name(const char *code)
{
	if (code == NULL || code[0] == '\0' || code[1] == '\0')
		return NULL;
	for (size_t i = 0; i < sizeof creditcode_kinds / sizeof creditcode_kinds[0]; i++)
		if (creditcode_kinds[i].prefix[0] == code[0] && creditcode_kinds[i].prefix[1] == code[1])
			return creditcode_kinds[i].name;
	return NULL;
}
