/* Unit tests for the message catalogues (src/core/msg.c): each text lives in the catalogue of
 * the part that raises it, so a part can be read (and moved) with its own texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "core/msg.h"

static int has_key(const struct msg *catalogue, const char *key)
{
	for (const struct msg *m = catalogue; m->key; m++)
		if (strcmp(m->key, key) == 0)
			return 1;
	return 0;
}

/* The file store's errors reach meetings and boards alike: they are the files part's own,
 * not the meetings catalogue's (where they lived while meetings were the only owner). */
static void test_file_messages_live_in_the_files_catalogue(void **state)
{
	(void)state;
	static const char *const keys[] = {"files.too_large", "files.bad_type", "files.bad_name",
					   "files.not_found"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		assert_true(has_key(files_messages, keys[i]));
		assert_false(has_key(meetings_messages, keys[i]));
		assert_false(has_key(boards_messages, keys[i]));
	}
	for (const struct msg *m = meetings_messages; m->key; m++)
		assert_false(strncmp(m->key, "files.", 6) == 0);
}

static void test_file_messages_render_in_both_languages(void **state)
{
	(void)state;
	struct buf zh = {0}, en = {0};
	msg_render(&zh, "files.too_large", LANG_ZH, 20);
	msg_render(&en, "files.too_large", LANG_EN, 20);
	assert_string_equal(zh.data, "文件过大（单个文件不超过 20 MB）");
	assert_string_equal(en.data, "The file is too large (at most 20 MB)");
	buf_free(&zh);
	buf_free(&en);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_messages_live_in_the_files_catalogue),
		cmocka_unit_test(test_file_messages_render_in_both_languages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
