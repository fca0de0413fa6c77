/*
 * text.c — search tokens, pinyin sort keys and UTF-8 checks (see text.h).
 *
 * Tokenizing works on the original UTF-8 so that every token can report the
 * byte range it came from. The input is cut into normalization segments
 * (ICU: text before a code point with hasBoundaryBefore normalizes
 * independently of text after it); each segment is NFKC_Casefold-normalized
 * on its own and every resulting code point carries the segment's byte
 * range. A segment is usually one character; when one character expands to
 * several (㍻ -> 平成) all of them point at that character.
 */
#include "lib/text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* ---------------------------------------------------------------- UTF-8 */

/* Allowed range for the second byte of a sequence, indexed by lead byte
 * class; rules from RFC 3629 table "UTF8-2 .. UTF8-4". */
static int text_second_byte_ok(unsigned char lead, unsigned char b)
{
	if (lead == 0xE0)
		return b >= 0xA0 && b <= 0xBF; /* no overlong 3-byte */
	if (lead == 0xED)
		return b >= 0x80 && b <= 0x9F; /* no surrogates */
	if (lead == 0xF0)
		return b >= 0x90 && b <= 0xBF; /* no overlong 4-byte */
	if (lead == 0xF4)
		return b >= 0x80 && b <= 0x8F; /* nothing above U+10FFFF */
	return b >= 0x80 && b <= 0xBF;
}

int text_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	int need;
	uint32_t value;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		need = 2;
		value = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		need = 3;
		value = u[0] & 0x0F;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		need = 4;
		value = u[0] & 0x07;
	} else {
		return -1;
	}
	for (int i = 1; i < need; i++) {
		if ((size_t)i >= len)
			return 0;
		if (i == 1 ? !text_second_byte_ok(u[0], u[1]) : (u[i] & 0xC0) != 0x80)
			return -1;
		value = (value << 6) | (u[i] & 0x3F);
	}
	*cp = value;
	return need;
}

/* 1 when all len bytes are complete, valid UTF-8. */
static int text_is_valid_utf8(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		int n = text_utf8_decode(s + i, len - i, &cp);
		if (n <= 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

int text_is_clean_utf8(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		int n = text_utf8_decode(s + i, len - i, &cp);
		if (n <= 0)
			return 0;
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return 0;
		i += (size_t)n;
	}
	return 1;
}

size_t text_char_count(const char *s)
{
	size_t count = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			count++;
	return count;
}

/* Appends code point cp as UTF-8 to out (4 bytes room); returns bytes written. */
static size_t text_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* ------------------------------------------------------- growable buffer */

struct text_buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Appends n bytes and keeps the buffer NUL-terminated; -1 when out of memory. */
static int text_buf_append(struct text_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;
		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->data, cap);
		if (p == NULL)
			return -1;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* -------------------------------------------------------------- tokenizer */

/* State while walking normalized code points. A word is built in `word`;
 * for Han only the previous character is needed to form a bigram. */
struct text_tokenizer {
	enum text_token_mode mode;
	text_token_fn fn;
	void *arg;
	int stop; /* first nonzero callback result, or -1 for out of memory */
	struct text_buf word;
	size_t word_start, word_end;
	char han_prev[4];
	size_t han_prev_len, han_prev_start, han_prev_end;
	size_t han_run; /* length of the current Han run */
};

static void text_emit(struct text_tokenizer *t, const char *tok, size_t len, size_t start, size_t end)
{
	if (t->stop == 0)
		t->stop = t->fn(t->arg, tok, len, start, end);
}

static int text_is_han(UChar32 c)
{
	UErrorCode err = U_ZERO_ERROR;

	/* Letters of the Han script: ideographs, 々, 〇; not CJK punctuation. */
	return uscript_getScript(c, &err) == USCRIPT_HAN && (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_NL_MASK));
}

static int text_is_word_char(UChar32 c)
{
	return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_MN_MASK | U_GC_MC_MASK)) != 0;
}

static void text_flush_word(struct text_tokenizer *t)
{
	if (t->word.len > 0)
		text_emit(t, t->word.data, t->word.len, t->word_start, t->word_end);
	t->word.len = 0;
}

/* Ends a Han run: a query emits a lone character only when the run had one. */
static void text_flush_han(struct text_tokenizer *t)
{
	if (t->mode == TEXT_TOKENS_QUERY && t->han_run == 1)
		text_emit(t, t->han_prev, t->han_prev_len, t->han_prev_start, t->han_prev_end);
	t->han_run = 0;
}

static void text_add_han(struct text_tokenizer *t, UChar32 c, size_t start, size_t end)
{
	char cur[4], pair[8];
	size_t n = text_utf8_encode((uint32_t)c, cur);

	if (t->han_run > 0) {
		memcpy(pair, t->han_prev, t->han_prev_len);
		memcpy(pair + t->han_prev_len, cur, n);
		text_emit(t, pair, t->han_prev_len + n, t->han_prev_start, end);
	}
	if (t->mode == TEXT_TOKENS_INDEX)
		text_emit(t, cur, n, start, end);
	memcpy(t->han_prev, cur, n);
	t->han_prev_len = n;
	t->han_prev_start = start;
	t->han_prev_end = end;
	t->han_run++;
}

static void text_add_word_char(struct text_tokenizer *t, UChar32 c, size_t start, size_t end)
{
	char cur[4];
	size_t n = text_utf8_encode((uint32_t)c, cur);

	if (t->word.len == 0)
		t->word_start = start;
	t->word_end = end;
	if (text_buf_append(&t->word, cur, n) != 0 && t->stop == 0)
		t->stop = -1;
}

/* Routes one normalized code point that came from bytes [start, end). */
static void text_feed(struct text_tokenizer *t, UChar32 c, size_t start, size_t end)
{
	if (text_is_han(c)) {
		text_flush_word(t);
		text_add_han(t, c, start, end);
	} else if (text_is_word_char(c)) {
		text_flush_han(t);
		text_add_word_char(t, c, start, end);
	} else {
		text_flush_word(t);
		text_flush_han(t);
	}
}

/* Scratch UTF-16 buffers reused for every segment of one text_tokenize(). */
struct text_segment_buffers {
	UChar *src;      /* capacity: input length + 1, enough for any segment */
	UChar *dst;
	int32_t dst_cap;
};

/* Normalizes src[0..n) into b->dst, growing it; returns length or -1. */
static int32_t text_normalize(const UNormalizer2 *norm, struct text_segment_buffers *b, int32_t n)
{
	for (;;) {
		UErrorCode err = U_ZERO_ERROR;
		int32_t out = unorm2_normalize(norm, b->src, n, b->dst, b->dst_cap, &err);
		UChar *p;
		if (U_SUCCESS(err))
			return out;
		if (err != U_BUFFER_OVERFLOW_ERROR)
			return -1;
		p = realloc(b->dst, (size_t)(out + 1) * sizeof(UChar));
		if (p == NULL)
			return -1;
		b->dst = p;
		b->dst_cap = out + 1;
	}
}

/* Normalizes the input bytes [start, end) and feeds the result. */
static void text_feed_segment(struct text_tokenizer *t, const UNormalizer2 *norm, struct text_segment_buffers *b,
			      const char *utf8, size_t start, size_t end)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t n, out, i = 0;

	/* ASCII fast path: NFKC_Casefold of one ASCII char is its lower case. */
	if (end - start == 1 && (unsigned char)utf8[start] < 0x80) {
		unsigned char c = (unsigned char)utf8[start];
		text_feed(t, (c >= 'A' && c <= 'Z') ? c + 32 : c, start, end);
		return;
	}
	u_strFromUTF8(b->src, (int32_t)(end - start + 1), &n, utf8 + start, (int32_t)(end - start), &err);
	out = U_SUCCESS(err) ? text_normalize(norm, b, n) : -1;
	if (out < 0) {
		t->stop = t->stop ? t->stop : -1;
		return;
	}
	while (i < out) {
		UChar32 c;
		U16_NEXT(b->dst, i, out, c);
		text_feed(t, c, start, end);
	}
}

/* Walks the input, cutting it at normalization boundaries. */
static void text_walk(struct text_tokenizer *t, const UNormalizer2 *norm, struct text_segment_buffers *b,
		      const char *utf8, size_t len)
{
	size_t i = 0, seg = 0;

	while (i < len && t->stop == 0) {
		uint32_t cp;
		int n = text_utf8_decode(utf8 + i, len - i, &cp);
		if (i > seg && unorm2_hasBoundaryBefore(norm, (UChar32)cp)) {
			text_feed_segment(t, norm, b, utf8, seg, i);
			seg = i;
		}
		i += (size_t)n;
	}
	if (len > seg && t->stop == 0)
		text_feed_segment(t, norm, b, utf8, seg, len);
	text_flush_word(t);
	text_flush_han(t);
}

int text_tokenize(const char *utf8, size_t len, enum text_token_mode mode, text_token_fn fn, void *arg)
{
	struct text_tokenizer t = {.mode = mode, .fn = fn, .arg = arg};
	struct text_segment_buffers b = {0};
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *norm;

	if ((utf8 == NULL && len > 0) || !text_is_valid_utf8(utf8, len) || len >= INT32_MAX)
		return -1;
	norm = unorm2_getNFKCCasefoldInstance(&err);
	if (U_FAILURE(err))
		return -1;
	b.src = malloc((len + 1) * sizeof(UChar));
	if (b.src == NULL)
		return -1;
	text_walk(&t, norm, &b, utf8, len);
	free(b.src);
	free(b.dst);
	free(t.word.data);
	return t.stop;
}

/* ------------------------------------------------------- token strings */

static int text_collect_all(void *arg, const char *token, size_t len, size_t start, size_t end)
{
	struct text_buf *out = arg;
	(void)start;
	(void)end;
	if (out->len > 0 && text_buf_append(out, " ", 1) != 0)
		return -1;
	return text_buf_append(out, token, len);
}

int text_index_tokens(const char *utf8, char **out)
{
	struct text_buf buf = {0};

	*out = NULL;
	if (utf8 == NULL || text_tokenize(utf8, strlen(utf8), TEXT_TOKENS_INDEX, text_collect_all, &buf) != 0 ||
	    text_buf_append(&buf, "", 0) != 0) {
		free(buf.data);
		return -1;
	}
	*out = buf.data;
	return 0;
}

/* Query tokens so far: the string plus where each token starts, for dedup. */
struct text_query {
	struct text_buf buf;
	size_t offsets[TEXT_QUERY_MAX_TOKENS];
	size_t lengths[TEXT_QUERY_MAX_TOKENS];
	int count;
};

/* Returns 1 to stop the tokenizer once the limit is reached. */
static int text_collect_query(void *arg, const char *token, size_t len, size_t start, size_t end)
{
	struct text_query *q = arg;
	(void)start;
	(void)end;
	for (int i = 0; i < q->count; i++)
		if (q->lengths[i] == len && memcmp(q->buf.data + q->offsets[i], token, len) == 0)
			return 0;
	if (q->count == TEXT_QUERY_MAX_TOKENS)
		return 1;
	if (q->count > 0 && text_buf_append(&q->buf, " ", 1) != 0)
		return -1;
	q->offsets[q->count] = q->buf.len;
	q->lengths[q->count] = len;
	if (text_buf_append(&q->buf, token, len) != 0)
		return -1;
	q->count++;
	return 0;
}

int text_query_tokens(const char *utf8, char **out)
{
	struct text_query q = {0};
	int rc;

	*out = NULL;
	rc = utf8 ? text_tokenize(utf8, strlen(utf8), TEXT_TOKENS_QUERY, text_collect_query, &q) : -1;
	if (rc < 0 || text_buf_append(&q.buf, "", 0) != 0) {
		free(q.buf.data);
		return -1;
	}
	*out = q.buf.data;
	return q.count;
}

/* ------------------------------------------------------------ sort keys */

/* One collator per thread: ucol_open is slow (it loads tailoring data) and
 * a UCollator must not be used by two threads at once. */
static _Thread_local UCollator *text_collator;

/* Threads we do not own (libmicrohttpd's pool) cannot call text_thread_cleanup(): a key
 * destructor closes their collator when they exit. */
static pthread_key_t text_collator_key;
static pthread_once_t text_collator_once = PTHREAD_ONCE_INIT;

static void text_collator_destroy(void *collator)
{
	ucol_close(collator);
}

static void text_collator_key_make(void)
{
	pthread_key_create(&text_collator_key, text_collator_destroy);
}

static UCollator *text_thread_collator(void)
{
	UErrorCode err = U_ZERO_ERROR;

	if (text_collator != NULL)
		return text_collator;
	pthread_once(&text_collator_once, text_collator_key_make);
	text_collator = ucol_open("zh", &err);
	if (U_FAILURE(err)) {
		text_collator = NULL;
		return NULL;
	}
	ucol_setAttribute(text_collator, UCOL_NUMERIC_COLLATION, UCOL_ON, &err);
	pthread_setspecific(text_collator_key, text_collator);
	return text_collator;
}

void text_thread_cleanup(void)
{
	if (text_collator != NULL) {
		pthread_setspecific(text_collator_key, NULL);
		ucol_close(text_collator);
	}
	text_collator = NULL;
}

/* Hex-encodes the key without its terminating 0 byte: fixed-width lower-case
 * hex keeps byte order, so strcmp order == memcmp order of raw keys. */
static char *text_hex_key(const uint8_t *key, int32_t key_len)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = key_len > 0 ? (size_t)key_len - 1 : 0;
	char *hex = malloc(2 * n + 1);

	if (hex == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[key[i] >> 4];
		hex[2 * i + 1] = digits[key[i] & 0x0F];
	}
	hex[2 * n] = '\0';
	return hex;
}

char *text_sort_key(const char *utf8)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollator *coll = text_thread_collator();
	size_t len = utf8 ? strlen(utf8) : 0;
	UChar *u16;
	uint8_t *key = NULL;
	int32_t n, key_len;
	char *hex = NULL;

	if (coll == NULL || utf8 == NULL || len >= INT32_MAX / 2 || !text_is_valid_utf8(utf8, len))
		return NULL;
	u16 = malloc((len + 1) * sizeof(UChar));
	if (u16 == NULL)
		return NULL;
	u_strFromUTF8(u16, (int32_t)(len + 1), &n, utf8, (int32_t)len, &err);
	if (U_SUCCESS(err)) {
		key_len = ucol_getSortKey(coll, u16, n, NULL, 0);
		key = key_len > 0 ? malloc((size_t)key_len) : NULL;
		if (key != NULL && ucol_getSortKey(coll, u16, n, key, key_len) == key_len)
			hex = text_hex_key(key, key_len);
	}
	free(key);
	free(u16);
	return hex;
}
