/* Unit tests for the JSON field readers (src/core/validate.c) — bugs found by
 * tests/fuzz/fuzz_validate.c, each kept here as a plain reproducer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/validate.h"

/* A ctx followed by a canary: a write past c.err shows up in `after`. The canary is made of
 * pointers to a "field.too_long" text, so a stray read of a field error there looks like the
 * error v_date rewrites, and the stray write happens even without a sanitizer. */
struct guarded_ctx {
	struct ctx c;
	const char *after[512];
};

static const char too_long_text[] = "field.too_long";

/* {"u0":0, ..., "u<n-1>":n-1, "date":"2024-01-01-01"}: n unknown fields and a date one
 * character too long, which v_date reports as field.bad_date instead of field.too_long. */
static json_t *unknown_fields_and_long_date(int n)
{
	json_t *obj = json_object();
	for (int i = 0; i < n; i++) {
		char key[16];
		snprintf(key, sizeof key, "u%d", i);
		json_object_set_new(obj, key, json_integer(i));
	}
	json_object_set_new(obj, "date", json_string("2024-01-01-01"));
	return obj;
}

/* With more field errors than ERROR_MAX_FIELDS, the too_long -> bad_date rewrite used to
 * index c->err.fields[nfields - 1] past the array and write into memory after the ctx. */
static void test_date_error_after_many_unknown_fields_stays_in_bounds(void **state)
{
	static const char *const allowed[] = {"date", NULL};
	(void)state;
	for (int n = 0; n < 80; n++) {
		struct guarded_ctx *g = test_calloc(1, sizeof *g);
		for (size_t i = 0; i < sizeof g->after / sizeof g->after[0]; i++)
			g->after[i] = too_long_text;
		g->c.arena = arena_new();
		json_t *obj = unknown_fields_and_long_date(n);
		const char *date = "unset";
		v_no_unknown_fields(&g->c, obj, allowed);
		assert_int_equal(v_date(&g->c, obj, "date", V_OPTIONAL, &date), -1);
		assert_string_equal(date, "unset");
		assert_int_equal(g->c.err.nfields, n + 1);
		if (n + 1 <= ERROR_MAX_FIELDS) {
			assert_string_equal(g->c.err.fields[n].field, "date");
			assert_string_equal(g->c.err.fields[n].key, "field.bad_date");
		}
		for (size_t i = 0; i < sizeof g->after / sizeof g->after[0]; i++)
			assert_ptr_equal(g->after[i], too_long_text);
		json_decref(obj);
		arena_free(g->c.arena);
		test_free(g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_error_after_many_unknown_fields_stays_in_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
