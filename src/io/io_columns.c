/*
 * The spreadsheet columns of an organization list, shared by the importer and the exporter,
 * and the conversion of a cell as people type it in Excel/WPS into the JSON the registry
 * validates. Conversions are forgiving (labels or codes, 2024/3/5, 是/否, "1,000"); anything
 * they cannot convert is passed on unchanged so the registry's own rule names the problem.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "io/io.h"
#include "registry/org.h"

const struct io_column io_columns[IO_NCOLUMNS] = {
	{"名称", "name", IO_TEXT, IO_PUBLIC},
	{"简称", "short_name", IO_TEXT, IO_PUBLIC},
	{"统一社会信用代码", "credit_code", IO_TEXT, IO_PUBLIC},
	{"组织类型", "type", IO_TYPE, IO_PUBLIC},
	{"活动领域", "fields", IO_FIELDS, IO_PUBLIC},
	{"街道代码", "street_code", IO_TEXT, IO_PUBLIC},
	{"社区代码", "community_code", IO_TEXT, IO_PUBLIC},
	{"地址", "address", IO_TEXT, IO_PUBLIC},
	{"法定代表人", "legal_representative", IO_TEXT, IO_PRIVATE},
	{"联系人", "contact_person", IO_TEXT, IO_PUBLIC},
	{"联系电话", "contact_phone", IO_TEXT, IO_MASKED},
	{"电子邮箱", "contact_email", IO_TEXT, IO_PRIVATE},
	{"成立日期", "founded_on", IO_DATE, IO_PUBLIC},
	{"登记管理机关", "registration_authority", IO_TEXT, IO_PUBLIC},
	{"业务主管单位", "supervising_unit", IO_TEXT, IO_PUBLIC},
	{"专职人数", "staff_count", IO_NUMBER, IO_PUBLIC},
	{"志愿者人数", "volunteer_count", IO_NUMBER, IO_PUBLIC},
	{"年度预算（元）", "annual_budget", IO_NUMBER, IO_PRIVATE},
	{"是否建立党组织", "has_party_org", IO_FLAG, IO_PUBLIC},
	{"简介", "description", IO_TEXT, IO_PUBLIC},
	{"标签", "tags", IO_TAGS, IO_PUBLIC},
	{"状态", "status", IO_STATUS, IO_PUBLIC},
	{"信用代码例外说明", "credit_override_reason", IO_TEXT, IO_PRIVATE},
};

/* ------------------------------------------------------------------ headers */

/* Copies s without surrounding spaces (ASCII and the ideographic space U+3000), with ASCII
 * brackets turned into full-width ones, so "年度预算(元) " matches "年度预算（元）". */
static void normalize_header(const char *s, char *out, size_t size)
{
	static const char ideographic_space[] = "\xe3\x80\x80";
	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (strncmp(s, ideographic_space, 3) == 0)
			s += 3;
		else
			break;
	}
	size_t n = 0;
	for (; *s && n + 4 < size; s++) {
		const char *rep = *s == '(' ? "（" : *s == ')' ? "）" : NULL;
		if (rep) {
			memcpy(out + n, rep, 3);
			n += 3;
		} else {
			out[n++] = *s;
		}
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	while (n >= 3 && memcmp(out + n - 3, ideographic_space, 3) == 0)
		n -= 3;
	out[n] = 0;
}

int io_column_by_header(const char *header)
{
	char h[256];
	normalize_header(header, h, sizeof h);
	for (int i = 0; i < IO_NCOLUMNS; i++)
		if (strcmp(h, io_columns[i].header) == 0 || strcasecmp(h, io_columns[i].field) == 0)
			return i;
	return -1;
}

int io_column_by_field(const char *field)
{
	for (int i = 0; field && i < IO_NCOLUMNS; i++)
		if (strcmp(field, io_columns[i].field) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------------ cells */

/* The code in `codes` whose code, Chinese label or English label is `v`; NULL if none. */
static const char *code_of(const char *const *codes, const char *v)
{
	for (const char *const *c = codes; *c; c++) {
		const char *zh = org_label(*c, LANG_ZH), *en = org_label(*c, LANG_EN);
		if (strcmp(v, *c) == 0 || (zh && strcmp(v, zh) == 0) ||
		    (en && strcasecmp(v, en) == 0))
			return *c;
	}
	return NULL;
}

static json_t *choice_json(const char *const *codes, const char *v)
{
	const char *code = code_of(codes, v);
	return json_string(code ? code : v);
}

/* Length of the list separator at p (; ； 、 , ， or a line break), 0 if none. */
static size_t separator_at(const char *p)
{
	static const char *const seps[] = {";", "；", "、", ",", "，", "\n", "\r", NULL};
	for (const char *const *s = seps; *s; s++)
		if (strncmp(p, *s, strlen(*s)) == 0)
			return strlen(*s);
	return 0;
}

/* Splits a list cell on its separators; labels become codes when `codes` is given. */
static json_t *list_json(const char *const *codes, const char *cell)
{
	json_t *list = json_array();
	const char *p = cell;
	while (*p) {
		const char *end = p;
		while (*end && !separator_at(end))
			end++;
		const char *a = p, *b = end;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			char *item = strndup(a, (size_t)(b - a));
			json_array_append_new(list, codes ? choice_json(codes, item) : json_string(item));
			free(item);
		}
		p = *end ? end + separator_at(end) : end;
	}
	return list;
}

/* "12,345" or "12345.00" -> 12345; otherwise the text itself (the registry reports it). */
static json_t *number_json(const char *cell)
{
	char digits[32];
	size_t n = 0;
	const char *p = cell;
	if (*p == '-' && n < sizeof digits - 1)
		digits[n++] = *p++;
	for (; *p && n < sizeof digits - 1; p++) {
		if (isdigit((unsigned char)*p))
			digits[n++] = *p;
		else if (*p != ',' && *p != ' ')
			break;
	}
	if (*p == '.') /* a whole number written with decimals, as Excel does for money */
		for (p++; *p == '0'; p++)
			;
	digits[n] = 0;
	int ok = !*p && n > 0 && n <= 18 && isdigit((unsigned char)digits[n - 1]);
	return ok ? json_integer(strtoll(digits, NULL, 10)) : json_string(cell);
}

static json_t *flag_json(const char *cell)
{
	static const char *const yes[] = {"是", "有", "已建立", "yes", "y", "true", "1", "√", NULL};
	static const char *const no[] = {"否", "无", "未建立", "no", "n", "false", "0", "×", NULL};
	for (int i = 0; yes[i]; i++)
		if (strcasecmp(cell, yes[i]) == 0)
			return json_true();
	for (int i = 0; no[i]; i++)
		if (strcasecmp(cell, no[i]) == 0)
			return json_false();
	return json_string(cell);
}

/* Reads a number of 1..max_digits digits at *p; -1 if there is none. */
static int read_number(const char **p, int max_digits)
{
	int v = 0, n = 0;
	while (isdigit((unsigned char)**p) && n < max_digits) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

/* Skips one date separator: - / . or 年 月 (3 bytes each in UTF-8). */
static int skip_date_sep(const char **p)
{
	if (**p == '-' || **p == '/' || **p == '.') {
		(*p)++;
		return 1;
	}
	if (strncmp(*p, "年", 3) == 0 || strncmp(*p, "月", 3) == 0) {
		*p += 3;
		return 1;
	}
	return 0;
}

/* 2024-3-5, 2024/03/05, 2024.3.5, 2024年3月5日, optionally followed by " 0:00" (Excel) ->
 * "2024-03-05". Anything else is passed on for the registry to reject. */
static json_t *date_json(const char *cell)
{
	const char *p = cell;
	int y = read_number(&p, 4);
	int ok = y >= 1000 && skip_date_sep(&p);
	int m = ok ? read_number(&p, 2) : -1;
	ok = ok && m >= 1 && m <= 12 && skip_date_sep(&p);
	int d = ok ? read_number(&p, 2) : -1;
	ok = ok && d >= 1 && d <= 31;
	if (ok && strncmp(p, "日", 3) == 0)
		p += 3;
	if (ok && *p == ' ') /* a time of day, as Excel appends to dates */
		for (p++; *p == ':' || isdigit((unsigned char)*p); p++)
			;
	if (!ok || *p)
		return json_string(cell);
	char out[16];
	snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
	return json_string(out);
}

/* 1 when the cell holds nothing but spaces. */
static int blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

json_t *io_cell_to_json(int col, const char *cell)
{
	if (!cell || blank(cell))
		return NULL;
	if (cell[0] == '\'' && csv_is_formula_like(cell + 1))
		cell++; /* the quote our exporter (or Excel) put before "=", "+", "-", "@" */
	char *trimmed = strdup(cell);
	char *t = trimmed;
	while (isspace((unsigned char)*t))
		t++;
	for (size_t n = strlen(t); n > 0 && isspace((unsigned char)t[n - 1]); n--)
		t[n - 1] = 0;
	json_t *v;
	switch (io_columns[col].kind) {
	case IO_TYPE:
		v = choice_json(org_type_codes, t);
		break;
	case IO_STATUS:
		v = choice_json(org_status_codes, t);
		break;
	case IO_FIELDS:
		v = list_json(org_field_codes, t);
		break;
	case IO_TAGS:
		v = list_json(NULL, t);
		break;
	case IO_NUMBER:
		v = number_json(t);
		break;
	case IO_FLAG:
		v = flag_json(t);
		break;
	case IO_DATE:
		v = date_json(t);
		break;
	case IO_TEXT:
	default:
		v = json_string(cell); /* the registry trims and checks it */
		break;
	}
	free(trimmed);
	return v;
}
