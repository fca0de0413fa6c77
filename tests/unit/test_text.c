/* Unit tests for Chinese-aware search tokens, pinyin sort keys and UTF-8
 * checks (src/lib/text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"

/* 1 when every space-separated token of `needles` is a token of `haystack`. */
static int tokens_subset(const char *needles, const char *haystack)
{
	char *copy = strdup(needles);
	size_t hay_len = strlen(haystack);
	char *padded = malloc(hay_len + 3);
	int ok = 1;

	padded[0] = ' ';
	memcpy(padded + 1, haystack, hay_len);
	strcpy(padded + 1 + hay_len, " ");
	for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char want[256];
		snprintf(want, sizeof want, " %s ", tok);
		if (strstr(padded, want) == NULL)
			ok = 0;
	}
	free(copy);
	free(padded);
	return ok;
}

static int count_tokens(const char *s)
{
	int n = 0;
	for (const char *p = s; *p; p++)
		if (*p != ' ' && (p == s || p[-1] == ' '))
			n++;
	return n;
}

static void test_index_tokens_give_han_singles_bigrams_and_words(void **state)
{
	char *out;
	(void)state;
	assert_int_equal(text_index_tokens("北京大学 Study Club", &out), 0);
	assert_true(tokens_subset("北 京 大 学 北京 京大 大学 study club", out));
	assert_int_equal(count_tokens(out), 9);
	free(out);
}

static void test_punctuation_and_spaces_are_dropped(void **state)
{
	char *out;
	(void)state;
	assert_int_equal(text_index_tokens("“社区”，服务！ a-b  ", &out), 0);
	assert_string_equal(out, "社 社区 区 服 服务 务 a b");
	free(out);
}

static void test_one_char_query_is_that_char_and_hits_the_document(void **state)
{
	char *doc, *q;
	(void)state;
	assert_int_equal(text_index_tokens("城南社区会议室预约", &doc), 0);
	assert_int_equal(text_query_tokens("会", &q), 1);
	assert_string_equal(q, "会");
	assert_true(tokens_subset(q, doc));
	free(q);
	free(doc);
}

static void test_two_char_query_is_one_bigram_and_hits_the_document(void **state)
{
	char *doc, *q;
	(void)state;
	assert_int_equal(text_index_tokens("城南社区会议室预约", &doc), 0);
	assert_int_equal(text_query_tokens("会议", &q), 1);
	assert_string_equal(q, "会议");
	assert_true(tokens_subset(q, doc));
	free(q);
	free(doc);
}

static void test_longer_han_query_uses_only_bigrams(void **state)
{
	char *doc, *q;
	(void)state;
	assert_int_equal(text_query_tokens("会议室", &q), 2);
	assert_string_equal(q, "会议 议室");
	assert_int_equal(text_index_tokens("城南社区会议室预约", &doc), 0);
	assert_true(tokens_subset(q, doc));
	free(q);
	assert_int_equal(text_query_tokens("会室", &q), 1);
	assert_false(tokens_subset(q, doc)); /* not adjacent in the document */
	free(q);
	free(doc);
}

static void test_mixed_query_keeps_words_and_removes_duplicates(void **state)
{
	char *q;
	(void)state;
	assert_int_equal(text_query_tokens("Club 张 club 会议 会议", &q), 3);
	assert_string_equal(q, "club 张 会议");
	free(q);
}

static void test_query_without_tokens_returns_zero_and_empty_string(void **state)
{
	char *q;
	(void)state;
	assert_int_equal(text_query_tokens(" ，。!? ", &q), 0);
	assert_string_equal(q, "");
	free(q);
}

static void test_query_keeps_at_most_32_tokens(void **state)
{
	char text[512] = "";
	char *q;
	(void)state;
	for (int i = 0; i < 40; i++) {
		char word[16];
		snprintf(word, sizeof word, "w%d ", i);
		strcat(text, word);
	}
	assert_int_equal(text_query_tokens(text, &q), TEXT_QUERY_MAX_TOKENS);
	assert_int_equal(count_tokens(q), 32);
	assert_non_null(strstr(q, "w31"));
	assert_null(strstr(q, "w32"));
	free(q);
}

static void test_full_width_latin_is_normalized_to_lower_ascii(void **state)
{
	char *out;
	(void)state;
	assert_int_equal(text_index_tokens("ＡＢＣ", &out), 0);
	assert_string_equal(out, "abc");
	free(out);
	assert_int_equal(text_query_tokens("Ａｂｃ１２３", &out), 1);
	assert_string_equal(out, "abc123");
	free(out);
}

static void test_invalid_utf8_is_rejected(void **state)
{
	char *out = (char *)"unchanged";
	(void)state;
	assert_int_equal(text_index_tokens("ab\xff", &out), -1);
	assert_null(out);
	assert_int_equal(text_query_tokens("\xe4\xbc", &out), -1);
	assert_null(out);
	assert_int_equal(text_index_tokens("\xc0\xaf", &out), -1); /* overlong '/' */
	assert_null(text_sort_key("\xed\xa0\x80"));               /* surrogate */
}

struct recorded_token {
	char text[32];
	size_t start, end;
};

struct token_log {
	struct recorded_token tokens[16];
	int count;
};

static int record_token(void *arg, const char *token, size_t len, size_t start, size_t end)
{
	struct token_log *log = arg;
	struct recorded_token *t = &log->tokens[log->count++];
	memcpy(t->text, token, len);
	t->text[len] = '\0';
	t->start = start;
	t->end = end;
	return 0;
}

static void test_tokens_report_byte_ranges_of_the_original_input(void **state)
{
	struct token_log log = {0};
	const char *text = "Ａb 会议";
	(void)state;
	assert_int_equal(text_tokenize(text, strlen(text), TEXT_TOKENS_INDEX, record_token, &log), 0);
	assert_int_equal(log.count, 4);
	assert_string_equal(log.tokens[0].text, "ab");
	assert_int_equal(log.tokens[0].start, 0);
	assert_int_equal(log.tokens[0].end, 4); /* Ａ is 3 bytes */
	assert_string_equal(log.tokens[1].text, "会");
	assert_int_equal(log.tokens[1].start, 5);
	assert_int_equal(log.tokens[1].end, 8);
	assert_string_equal(log.tokens[2].text, "会议");
	assert_int_equal(log.tokens[2].start, 5);
	assert_int_equal(log.tokens[2].end, 11);
	assert_string_equal(log.tokens[3].text, "议");
}

static int stop_after_first(void *arg, const char *token, size_t len, size_t start, size_t end)
{
	int *calls = arg;
	(void)token;
	(void)len;
	(void)start;
	(void)end;
	(*calls)++;
	return 7;
}

static void test_callback_can_stop_tokenizing(void **state)
{
	int calls = 0;
	(void)state;
	assert_int_equal(text_tokenize("a b c", 5, TEXT_TOKENS_INDEX, stop_after_first, &calls), 7);
	assert_int_equal(calls, 1);
}

static void assert_sorts_before(const char *a, const char *b)
{
	char *ka = text_sort_key(a), *kb = text_sort_key(b);
	assert_non_null(ka);
	assert_non_null(kb);
	if (strcmp(ka, kb) >= 0)
		fail_msg("expected \"%s\" < \"%s\"", a, b);
	free(ka);
	free(kb);
}

static void test_sort_keys_follow_pinyin_order(void **state)
{
	(void)state;
	/* a, b, ch, zh: 阿 ā, 北 běi, 陈 chén, 张 zhāng. */
	assert_sorts_before("阿", "北");
	assert_sorts_before("北", "陈");
	assert_sorts_before("陈", "张");
	assert_sorts_before("张三", "张四");
	assert_sorts_before("张", "张三");
}

static void test_polyphonic_chang_sorts_with_icu_reading_zhang(void **state)
{
	(void)state;
	/* ICU reads 长 as zhǎng; documented in text.h so nobody is surprised. */
	assert_sorts_before("张", "长");
}

static void test_latin_names_sort_case_insensitively_and_numerically(void **state)
{
	char *k1, *k2;
	(void)state;
	assert_sorts_before("alice", "Bob");
	assert_sorts_before("Bob", "carol");
	assert_sorts_before("第2组", "第10组");
	k1 = text_sort_key("");
	k2 = text_sort_key("a");
	assert_true(strcmp(k1, k2) < 0); /* empty name first */
	free(k1);
	free(k2);
	text_thread_cleanup();
	k1 = text_sort_key("a"); /* a new collator gives the same key */
	k2 = text_sort_key("a");
	assert_string_equal(k1, k2);
	free(k1);
	free(k2);
	text_thread_cleanup();
}

struct key_job {
	const char *name;
	char *key;
};

/* Each thread gets its own cached collator and frees it before exiting. */
static void *compute_keys(void *arg)
{
	struct key_job *job = arg;
	for (int i = 0; i < 50; i++) {
		free(job->key);
		job->key = text_sort_key(job->name);
	}
	text_thread_cleanup();
	return NULL;
}

static void test_sort_keys_agree_across_threads(void **state)
{
	struct key_job jobs[4] = {{"阿", NULL}, {"张三", NULL}, {"阿", NULL}, {"张三", NULL}};
	pthread_t threads[4];
	char *expected_a = text_sort_key("阿"), *expected_zhang = text_sort_key("张三");
	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, compute_keys, &jobs[i]), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(jobs[i].key, i % 2 ? expected_zhang : expected_a);
		free(jobs[i].key);
	}
	free(expected_a);
	free(expected_zhang);
	text_thread_cleanup();
}

static void test_clean_utf8_allows_tab_lf_cr_only(void **state)
{
	(void)state;
	assert_true(text_is_clean_utf8("张三\tline\r\n", strlen("张三\tline\r\n")));
	assert_true(text_is_clean_utf8("", 0));
	assert_false(text_is_clean_utf8("a\0b", 3));
	assert_false(text_is_clean_utf8("a\x01", 2));
	assert_false(text_is_clean_utf8("a\x1b[0m", 5));
	assert_false(text_is_clean_utf8("\xe5\xbc", 2));     /* truncated */
	assert_false(text_is_clean_utf8("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
}

static void test_char_count_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(text_char_count(""), 0);
	assert_int_equal(text_char_count("abc"), 3);
	assert_int_equal(text_char_count("社区a😀"), 4);
}

static void test_utf8_decode_reports_incomplete_and_invalid(void **state)
{
	uint32_t cp = 0;
	(void)state;
	assert_int_equal(text_utf8_decode("\xe7\xa4\xbe", 3, &cp), 3);
	assert_int_equal(cp, 0x793E); /* 社 */
	assert_int_equal(text_utf8_decode("\xe7\xa4", 2, &cp), 0);
	assert_int_equal(text_utf8_decode("\xe7\x41", 2, &cp), -1);
	assert_int_equal(text_utf8_decode("\x80", 1, &cp), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_tokens_give_han_singles_bigrams_and_words),
		cmocka_unit_test(test_punctuation_and_spaces_are_dropped),
		cmocka_unit_test(test_one_char_query_is_that_char_and_hits_the_document),
		cmocka_unit_test(test_two_char_query_is_one_bigram_and_hits_the_document),
		cmocka_unit_test(test_longer_han_query_uses_only_bigrams),
		cmocka_unit_test(test_mixed_query_keeps_words_and_removes_duplicates),
		cmocka_unit_test(test_query_without_tokens_returns_zero_and_empty_string),
		cmocka_unit_test(test_query_keeps_at_most_32_tokens),
		cmocka_unit_test(test_full_width_latin_is_normalized_to_lower_ascii),
		cmocka_unit_test(test_invalid_utf8_is_rejected),
		cmocka_unit_test(test_tokens_report_byte_ranges_of_the_original_input),
		cmocka_unit_test(test_callback_can_stop_tokenizing),
		cmocka_unit_test(test_sort_keys_follow_pinyin_order),
		cmocka_unit_test(test_polyphonic_chang_sorts_with_icu_reading_zhang),
		cmocka_unit_test(test_latin_names_sort_case_insensitively_and_numerically),
		cmocka_unit_test(test_sort_keys_agree_across_threads),
		cmocka_unit_test(test_clean_utf8_allows_tab_lf_cr_only),
		cmocka_unit_test(test_char_count_counts_code_points),
		cmocka_unit_test(test_utf8_decode_reports_incomplete_and_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
