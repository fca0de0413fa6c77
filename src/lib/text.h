/*
 * text.h — Chinese-aware text helpers built on ICU: search tokens for the
 * SQLite FTS5 tokenizer and the PostgreSQL tsvector column, pinyin sort keys,
 * and UTF-8 checks.
 *
 * Why tokens look like this (LIBRARIES.md "Chinese search"): FTS5's own
 * tokenizers cannot find 1- and 2-character Chinese words, so documents are
 * indexed as every single Han character plus every overlapping Han bigram,
 * and queries use bigrams (or the single character for a 1-character Han
 * run). A query matches when every query token is in the document.
 *
 * Normalization is ICU NFKC_Casefold: full-width Latin becomes ASCII, case
 * is folded ("ＡＢＣ" -> "abc"), compatibility forms are expanded.
 *
 * Threads: every function may be called from any thread. text_sort_key()
 * caches one ICU collator per thread (see text_thread_cleanup()).
 */
#ifndef TONGXIN_LIB_TEXT_H
#define TONGXIN_LIB_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum text_token_mode {
	TEXT_TOKENS_INDEX, /* documents: Han singles + bigrams, Latin/digit words */
	TEXT_TOKENS_QUERY  /* queries: Han bigrams (single char for a 1-char run), words */
};

/*
 * Receives one token: `token` (UTF-8, normalized, NOT NUL-terminated, valid
 * only during the call) of `len` bytes, and the byte range [start, end) in
 * the ORIGINAL input that produced it, so FTS5 highlight()/snippet() work.
 * Ranges of bigrams overlap their neighbours. Return 0 to continue; any
 * other value stops tokenizing and is returned by text_tokenize().
 */
typedef int (*text_token_fn)(void *arg, const char *token, size_t len, size_t start, size_t end);

/*
 * Tokenizes `len` bytes of UTF-8 (NUL not required; embedded NULs are just
 * separators) and calls `fn` for each token in text order. Duplicates are
 * NOT removed (FTS5 ranking wants term frequencies). Needs no setup.
 * Returns 0, -1 when the input is not valid UTF-8 (checked before any
 * callback) or memory ran out, or the first nonzero value `fn` returned.
 * This is the core for an FTS5 tokenizer's xTokenize.
 */
int text_tokenize(const char *utf8, size_t len, enum text_token_mode mode, text_token_fn fn, void *arg);

/*
 * Index tokens of a NUL-terminated UTF-8 string, separated by single spaces,
 * in a malloc'd string stored in *out (caller frees with free(); "" when
 * there are no tokens). Example: "北京大学 Study Club" ->
 * "北 北京 京 京大 大 大学 学 study club" (text order, but order is not part of the contract;
 * duplicates may remain). Returns 0, or -1 on invalid UTF-8 / NULL input /
 * out of memory, with *out set to NULL.
 * For PostgreSQL store array_to_tsvector(string_to_array(tokens, ' ')) so
 * the text search parser does not re-split the tokens.
 */
int text_index_tokens(const char *utf8, char **out);

#define TEXT_QUERY_MAX_TOKENS 32

/*
 * Query tokens of a NUL-terminated UTF-8 string: "会议" -> "会议",
 * "会议室" -> "会议 议室", "张" -> "张", Latin words lower-cased.
 * Duplicates are removed and at most TEXT_QUERY_MAX_TOKENS are kept (the
 * first ones in text order). Every token must be present in a document's
 * index tokens for a match (AND). Tokens contain only letters, digits and
 * Han characters, so they are safe to put inside double quotes in an FTS5
 * query. Returns the number of tokens (0 for a query with none; *out is
 * then "") with a malloc'd space-separated string in *out (caller frees);
 * -1 on invalid UTF-8 / NULL input / out of memory, with *out set to NULL.
 */
int text_query_tokens(const char *utf8, char **out);

/*
 * A sort key for a name in pinyin order (ICU collator for locale "zh",
 * numeric ordering on so "第2组" < "第10组"), hex-encoded into a malloc'd
 * NUL-terminated ASCII string (caller frees): strcmp()/memcmp() order of
 * keys == collation order of names, so the key can be stored in a column
 * with binary collation and indexed. Keys depend on the ICU version:
 * recompute stored keys after an ICU upgrade.
 * Polyphonic characters get ICU's reading: 长 sorts as zhǎng (after 张),
 * 曾 as céng, 单 as dān — surnames with a special reading may be misplaced.
 * Han sorts before Latin. Returns NULL on invalid UTF-8, NULL input, or
 * when ICU fails.
 * The collator is cached in a _Thread_local pointer on first use in each
 * thread and closed when the thread exits (a thread-key destructor);
 * text_thread_cleanup() frees it earlier.
 */
char *text_sort_key(const char *utf8);

/* Frees this thread's cached collator (if any). Safe to call any time; the
 * next text_sort_key() in this thread opens a new one. */
void text_thread_cleanup(void);

/*
 * 1 if the `len` bytes at `s` are valid UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) containing no NUL and no C0 control
 * character other than TAB, LF and CR; else 0. Use it on every text field
 * from outside. s may be NULL only when len is 0.
 */
int text_is_clean_utf8(const char *s, size_t len);

/*
 * Decodes one UTF-8 sequence at s (len bytes available) into *cp.
 * Returns its length 1-4; 0 when the bytes are a valid but incomplete
 * prefix (more input needed); -1 when they can never be valid UTF-8.
 * Shared by the CSV reader, which meets sequences cut at buffer ends.
 */
int text_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Number of Unicode code points in a NUL-terminated valid UTF-8 string
 * (counts lead bytes; the result is meaningless for invalid input). */
size_t text_char_count(const char *s);

#endif
