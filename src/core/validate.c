#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/validate.h"

size_t v_char_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int v_is_clean_text(const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F)
			return 0;
	}
	return 1;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

int v_string(struct ctx *c, json_t *obj, const char *field, int required, size_t max_chars,
	     const char **out)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v)) {
		if (required) {
			error_field(&c->err, field, "field.required", 0);
			return -1;
		}
		if (v)
			*out = NULL;
		return 0;
	}
	if (!json_is_string(v)) {
		error_field(&c->err, field, "field.type_string", 0);
		return -1;
	}
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (strlen(s) != len || !v_is_clean_text(s)) {
		error_field(&c->err, field, "field.bad_text", 0);
		return -1;
	}
	while (len && is_space(*s))
		s++, len--;
	while (len && is_space(s[len - 1]))
		len--;
	if (len == 0) {
		if (required) {
			error_field(&c->err, field, "field.required", 0);
			return -1;
		}
		*out = NULL;
		return 0;
	}
	char *copy = arena_strndup(c->arena, s, len);
	if (v_char_count(copy) > max_chars) {
		error_field(&c->err, field, "field.too_long", (long long)max_chars);
		return -1;
	}
	*out = copy;
	return 0;
}

int v_int(struct ctx *c, json_t *obj, const char *field, int required, int64_t min, int64_t max,
	  int64_t *out, int *present)
{
	json_t *v = json_object_get(obj, field);
	if (present)
		*present = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v)) {
		if (required) {
			error_field(&c->err, field, "field.required", 0);
			return -1;
		}
		return 0;
	}
	/* jansson turns integers beyond int64 into reals; 1e3 is a real too: both refused */
	if (!json_is_integer(v)) {
		error_field(&c->err, field, "field.type_integer", 0);
		return -1;
	}
	int64_t n = json_integer_value(v);
	if (n < min) {
		error_field(&c->err, field, "field.min", (long long)min);
		return -1;
	}
	if (n > max) {
		error_field(&c->err, field, "field.max", (long long)max);
		return -1;
	}
	*out = n;
	return 0;
}

int v_bool(struct ctx *c, json_t *obj, const char *field, int required, int *out)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v)) {
		if (required) {
			error_field(&c->err, field, "field.required", 0);
			return -1;
		}
		return 0;
	}
	if (!json_is_boolean(v)) {
		error_field(&c->err, field, "field.type_boolean", 0);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

int v_choice(struct ctx *c, json_t *obj, const char *field, int required,
	     const char *const *choices, const char **out)
{
	const char *s = NULL;
	int present = json_object_get(obj, field) != NULL;
	if (v_string(c, obj, field, required, 64, &s) != 0)
		return -1;
	if (!s) {
		if (present)
			*out = NULL;
		return 0;
	}
	for (const char *const *ch = choices; *ch; ch++)
		if (strcmp(*ch, s) == 0) {
			*out = *ch;
			return 0;
		}
	error_field(&c->err, field, "field.bad_choice", 0);
	return -1;
}

int v_is_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

int v_date(struct ctx *c, json_t *obj, const char *field, int required, const char **out)
{
	const char *s = NULL;
	int present = json_object_get(obj, field) != NULL;
	if (v_string(c, obj, field, required, 10, &s) != 0) {
		/* a too-long string is a format error, not a length error, for a date; errors past
		 * ERROR_MAX_FIELDS are only counted, so there is nothing to rewrite then */
		int last = c->err.nfields - 1;
		if (last >= 0 && last < ERROR_MAX_FIELDS && c->err.fields[last].key &&
		    strcmp(c->err.fields[last].key, "field.too_long") == 0)
			c->err.fields[last].key = "field.bad_date";
		return -1;
	}
	if (!s) {
		if (present)
			*out = NULL;
		return 0;
	}
	if (!v_is_date(s)) {
		error_field(&c->err, field, "field.bad_date", 0);
		return -1;
	}
	*out = s;
	return 0;
}

int v_string_list(struct ctx *c, json_t *obj, const char *field, int required, size_t max_items,
		  size_t max_chars, const char ***out, int *count)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v)) {
		if (required) {
			error_field(&c->err, field, "field.required", 0);
			return -1;
		}
		return 0;
	}
	if (!json_is_array(v)) {
		error_field(&c->err, field, "field.type_array", 0);
		return -1;
	}
	size_t n = json_array_size(v);
	if (n > max_items) {
		error_field(&c->err, field, "field.too_many", (long long)max_items);
		return -1;
	}
	const char **list = arena_alloc(c->arena, (n + 1) * sizeof *list);
	int kept = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(v, i);
		char name[64];
		snprintf(name, sizeof name, "%s[%zu]", field, i);
		json_t *wrap = json_pack("{s:O}", name, item);
		const char *s = NULL;
		int rc = v_string(c, wrap, name, V_REQUIRED, max_chars, &s);
		json_decref(wrap);
		if (rc != 0)
			return -1;
		int dup = 0;
		for (int k = 0; k < kept; k++)
			if (strcmp(list[k], s) == 0)
				dup = 1;
		if (!dup)
			list[kept++] = s;
	}
	list[kept] = NULL;
	*out = list;
	if (count)
		*count = kept;
	return 0;
}

void v_no_unknown_fields(struct ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value)
	{
		int known = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				known = 1;
		if (!known) {
			char name[64];
			/* the key itself may be hostile; keep it short and printable */
			size_t n = 0;
			for (const char *k = key; *k && n < 40; k++)
				name[n++] = (unsigned char)*k >= 0x20 && *k != 0x7F ? *k : '?';
			name[n] = 0;
			error_field(&c->err, name, "field.unknown", 0);
		}
	}
}

int v_is_email(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 3 || n > 254 || !at || at == s || strchr(at + 1, '@'))
		return 0;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == 0)
		return 0;
	for (const char *p = s; *p; p++)
		if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20)
			return 0;
	return 1;
}

int v_is_phone(const char *s)
{
	size_t n = strlen(s);
	if (n < 5 || n > 20)
		return 0;
	if (n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9') {
		for (int i = 0; i < 11; i++)
			if (!isdigit((unsigned char)s[i]))
				return 0;
		return 1;
	}
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p != '-' && *p != '+' && *p != ' ' && *p != '(' && *p != ')')
			return 0;
	}
	return digits >= 5;
}
