/*
 * Fuzzes src/lib/text.c: text_index_tokens, text_query_tokens, text_sort_key,
 * text_is_clean_utf8 and text_tokenize on arbitrary bytes.
 * Promises checked: -1/NULL exactly for invalid UTF-8; token ranges lie inside the input;
 * at most TEXT_QUERY_MAX_TOKENS query tokens, no duplicates; and the search invariant —
 * every query token of a valid UTF-8 string is one of the index tokens of that same string
 * (otherwise searching for a name could miss the very record that holds it).
 */
#include "fuzz.h"
#include "lib/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* ICU caches its normalizer and the per-thread collator: create them before the first
	 * input so the leak checker does not count them against it */
	char *k = text_sort_key("初始化");
	char *t = NULL;
	text_index_tokens("初始化 init", &t);
	free(k);
	free(t);
	return 0;
}

struct range_check {
	size_t len;
	size_t tokens;
};

static int check_token(void *arg, const char *token, size_t len, size_t start, size_t end)
{
	struct range_check *rc = arg;
	FUZZ_CHECK(len > 0 && token != NULL);
	FUZZ_CHECK(start < end && end <= rc->len);
	rc->tokens++;
	return 0;
}

/* 1 when the space-separated list `list` holds `tok` of `len` bytes. */
static int has_token(const char *list, const char *tok, size_t len)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		if (n == len && memcmp(p, tok, len) == 0)
			return 1;
		p += n;
		if (*p == ' ')
			p++;
	}
	return 0;
}

/* Checks query tokens: no duplicates, each present in the index tokens. */
static void check_query_in_index(const char *query, int count, const char *index)
{
	int seen = 0;
	for (const char *p = query; *p;) {
		size_t n = strcspn(p, " ");
		FUZZ_CHECK(n > 0);
		FUZZ_CHECK(has_token(index, p, n));
		/* no duplicate among the tokens before this one */
		for (const char *q = query; q < p;) {
			size_t m = strcspn(q, " ");
			FUZZ_CHECK(!(m == n && memcmp(q, p, n) == 0));
			q += m + 1;
		}
		seen++;
		p += n;
		if (*p == ' ')
			p++;
	}
	FUZZ_CHECK(seen == count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exact-size copy for the length-based functions */
	char *raw = malloc(size ? size : 1);
	if (!raw)
		abort();
	memcpy(raw, data, size);
	int clean = text_is_clean_utf8(size ? raw : NULL, size);
	struct range_check rc = {size, 0};
	int trc = text_tokenize(size ? raw : NULL, size, TEXT_TOKENS_INDEX, check_token, &rc);
	FUZZ_CHECK(trc == 0 || trc == -1);
	if (clean)
		FUZZ_CHECK(trc == 0);
	rc.tokens = 0;
	(void)text_tokenize(size ? raw : NULL, size, TEXT_TOKENS_QUERY, check_token, &rc);
	free(raw);

	char *s = fuzz_cstr(data, size);
	size_t len = strlen(s);
	char *index = NULL, *query = NULL;
	int irc = text_index_tokens(s, &index);
	int qn = text_query_tokens(s, &query);
	char *key = text_sort_key(s);
	FUZZ_CHECK((irc == 0) == (index != NULL));
	FUZZ_CHECK((qn >= 0) == (query != NULL));
	FUZZ_CHECK((irc == 0) == (qn >= 0));
	FUZZ_CHECK(qn <= TEXT_QUERY_MAX_TOKENS);
	if (clean && len == size)
		FUZZ_CHECK(irc == 0 && key != NULL);
	if (irc == 0) {
		FUZZ_CHECK(key != NULL);
		check_query_in_index(query, qn, index);
		FUZZ_CHECK(text_char_count(s) <= len);
	}
	if (key)
		for (const char *p = key; *p; p++)
			FUZZ_CHECK((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
	free(index);
	free(query);
	free(key);
	free(s);
	return 0;
}
