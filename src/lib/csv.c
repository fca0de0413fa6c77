/*
 * csv.c — streaming CSV reader with encoding detection, and CSV writer.
 *
 * The reader is a pipeline: raw bytes from the FILE (raw[]) are decoded to
 * UTF-8 (dec[]) and the RFC 4180 parser reads dec[] byte by byte. Parsing
 * bytes of UTF-8 is safe because every CSV special character is ASCII and
 * no byte of a multi-byte UTF-8 sequence is below 0x80 (unlike GB18030,
 * whose second bytes can be '"' or ',' look-alikes in the 0x40-0x7E range —
 * which is why we convert before parsing, never after).
 * Sequences cut at the end of raw[] stay there until the next read, so a
 * character or field may cross any buffer boundary.
 */
#include "lib/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"

/* Overridable only so the fuzz harness (tests/fuzz, csv_small) can put buffer boundaries
 * inside small inputs; the product always uses 64 KiB. */
#ifndef CSV_RAW_CAP
#define CSV_RAW_CAP 65536
#endif
/* GB18030 -> UTF-8 grows a 2-byte character to 3 bytes at most, 4 to 4. */
#define CSV_DEC_CAP (2 * CSV_RAW_CAP + 16)

#define CSV_EOF (-1)
#define CSV_FAIL (-2)

enum csv_encoding { CSV_ASCII_SO_FAR, CSV_UTF8, CSV_GB18030 };

struct csv_reader {
	FILE *in;
	enum csv_encoding encoding;
	iconv_t cd; /* (iconv_t)-1 unless GB18030 */
	char raw[CSV_RAW_CAP];
	size_t raw_len;
	int raw_eof;
	char dec[CSV_DEC_CAP];
	size_t dec_len, dec_pos;
	int finished;      /* a fatal error was reported: later reads return 0 */
	int stream_failed; /* decoding or reading failed; error[] says why */
	long line;         /* physical line of the next unread byte */
	long record_line;
	/* The record being built: fields stored back to back, NUL-terminated. */
	char *rec;
	size_t rec_len, rec_cap;
	size_t field_start[CSV_MAX_FIELDS];
	char *fields[CSV_MAX_FIELDS + 1];
	int nfields;
	int record_bad; /* a recoverable problem was found; error[] says which */
	char error[200];
};

static const unsigned char csv_utf8_bom[3] = {0xEF, 0xBB, 0xBF};
static const unsigned char csv_gb18030_bom[4] = {0x84, 0x31, 0x95, 0x33};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void csv_set_error(struct csv_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ raw input */

static void csv_raw_consume(struct csv_reader *r, size_t n)
{
	memmove(r->raw, r->raw + n, r->raw_len - n);
	r->raw_len -= n;
}

/* Tops raw[] up to capacity unless the file has ended; -1 on read error. */
static int csv_raw_read(struct csv_reader *r)
{
	size_t want, got;

	if (r->raw_eof || r->raw_len == CSV_RAW_CAP)
		return 0;
	want = CSV_RAW_CAP - r->raw_len;
	got = fread(r->raw + r->raw_len, 1, want, r->in);
	r->raw_len += got;
	if (got < want) {
		if (ferror(r->in)) {
			csv_set_error(r, "line %ld: read error", r->line);
			return -1;
		}
		r->raw_eof = 1;
	}
	return 0;
}

/* Length of the longest prefix of raw[] made of complete UTF-8 sequences;
 * *bad is set when the sequence after it can never be valid. */
static size_t csv_utf8_prefix(const struct csv_reader *r, int *bad)
{
	size_t i = 0;
	uint32_t cp;

	*bad = 0;
	while (i < r->raw_len) {
		int n = text_utf8_decode(r->raw + i, r->raw_len - i, &cp);
		if (n <= 0) {
			*bad = n < 0;
			break;
		}
		i += (size_t)n;
	}
	return i;
}

/* --------------------------------------------------------------- decoding */

/* Called when raw[] starts with the first non-ASCII byte of the file and is
 * topped up: valid UTF-8 here means UTF-8, anything else GB18030. A cut
 * sequence at the very end is not evidence against UTF-8. */
static int csv_choose_encoding(struct csv_reader *r)
{
	int bad;

	csv_utf8_prefix(r, &bad);
	if (!bad) {
		r->encoding = CSV_UTF8;
		return 0;
	}
	r->cd = iconv_open("UTF-8", "GB18030");
	if (r->cd == (iconv_t)-1) {
		csv_set_error(r, "line %ld: file is not UTF-8 and GB18030 conversion is unavailable", r->line);
		return -1;
	}
	r->encoding = CSV_GB18030;
	return 0;
}

/* Passes the ASCII prefix of raw[] through; decides the encoding at the
 * first byte >= 0x80. */
static int csv_decode_ascii(struct csv_reader *r)
{
	size_t n = 0;

	while (n < r->raw_len && (unsigned char)r->raw[n] < 0x80)
		n++;
	if (n == 0)
		return csv_choose_encoding(r);
	memcpy(r->dec, r->raw, n);
	r->dec_len = n;
	csv_raw_consume(r, n);
	return 0;
}

static int csv_decode_utf8(struct csv_reader *r)
{
	int bad;
	size_t n = csv_utf8_prefix(r, &bad);

	if (n == 0) {
		if (bad)
			csv_set_error(r, "line %ld: invalid UTF-8 byte sequence", r->line);
		else
			csv_set_error(r, "line %ld: file ends inside a UTF-8 character", r->line);
		return -1;
	}
	memcpy(r->dec, r->raw, n);
	r->dec_len = n;
	csv_raw_consume(r, n);
	return 0;
}

static int csv_decode_gb18030(struct csv_reader *r)
{
	char *in = r->raw, *out = r->dec;
	size_t in_left = r->raw_len, out_left = CSV_DEC_CAP;
	size_t rc = iconv(r->cd, &in, &in_left, &out, &out_left);
	int err = errno;

	r->dec_len = CSV_DEC_CAP - out_left;
	csv_raw_consume(r, r->raw_len - in_left);
	if (rc != (size_t)-1 || r->dec_len > 0 || err == E2BIG)
		return 0;
	if (err == EINVAL && r->raw_eof)
		csv_set_error(r, "line %ld: file ends inside a GB18030 character", r->line);
	else
		csv_set_error(r, "line %ld: bytes are neither UTF-8 nor GB18030", r->line);
	return -1;
}

/* Refills dec[]. Returns 1 when bytes are available, 0 at end of input,
 * -1 on failure (error[] set). */
static int csv_fill(struct csv_reader *r)
{
	r->dec_pos = r->dec_len = 0;
	if (r->stream_failed)
		return -1;
	while (r->dec_len == 0) {
		int rc = csv_raw_read(r);
		if (rc == 0 && r->raw_len == 0)
			return 0;
		if (rc == 0 && r->encoding == CSV_ASCII_SO_FAR)
			rc = csv_decode_ascii(r);
		else if (rc == 0)
			rc = r->encoding == CSV_UTF8 ? csv_decode_utf8(r) : csv_decode_gb18030(r);
		if (rc != 0) {
			r->stream_failed = 1;
			return -1;
		}
	}
	return 1;
}

/* Next decoded byte without consuming it, or CSV_EOF / CSV_FAIL. */
static int csv_peek(struct csv_reader *r)
{
	if (r->dec_pos == r->dec_len) {
		int rc = csv_fill(r);
		if (rc <= 0)
			return rc == 0 ? CSV_EOF : CSV_FAIL;
	}
	return (unsigned char)r->dec[r->dec_pos];
}

static int csv_get(struct csv_reader *r)
{
	int c = csv_peek(r);

	if (c >= 0)
		r->dec_pos++;
	return c;
}

/* ------------------------------------------------------------ open/close */

/* Skips a byte-order mark; a UTF-8 BOM also settles the encoding. */
static void csv_skip_bom(struct csv_reader *r)
{
	if (r->raw_len >= 3 && memcmp(r->raw, csv_utf8_bom, 3) == 0) {
		csv_raw_consume(r, 3);
		r->encoding = CSV_UTF8;
	} else if (r->raw_len >= 4 && memcmp(r->raw, csv_gb18030_bom, 4) == 0) {
		csv_raw_consume(r, 4);
		r->cd = iconv_open("UTF-8", "GB18030");
		if (r->cd != (iconv_t)-1)
			r->encoding = CSV_GB18030;
	}
}

struct csv_reader *csv_reader_open(FILE *in)
{
	struct csv_reader *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->in = in;
	r->cd = (iconv_t)-1;
	r->line = 1;
	r->record_line = 1;
	/* Read errors here surface as an error on the first csv_read_record. */
	if (csv_raw_read(r) != 0)
		r->stream_failed = 1;
	else
		csv_skip_bom(r);
	return r;
}

void csv_reader_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->rec);
	free(r);
}

long csv_reader_line(const struct csv_reader *r)
{
	return r->record_line;
}

const char *csv_reader_encoding(const struct csv_reader *r)
{
	return r->encoding == CSV_GB18030 ? "GB18030" : "UTF-8";
}

const char *csv_reader_error(const struct csv_reader *r)
{
	return r->error;
}

/* ---------------------------------------------------------------- records */

/* Records a recoverable problem; only the first one of a record is kept. */
static void csv_mark_bad(struct csv_reader *r, const char *what)
{
	if (!r->record_bad)
		csv_set_error(r, "line %ld: %s", r->record_line, what);
	r->record_bad = 1;
}

static int csv_rec_push(struct csv_reader *r, char c)
{
	if (r->rec_len == r->rec_cap) {
		size_t cap = r->rec_cap ? 2 * r->rec_cap : 1024;
		char *p = realloc(r->rec, cap);
		if (p == NULL)
			return -1;
		r->rec = p;
		r->rec_cap = cap;
	}
	r->rec[r->rec_len++] = c;
	return 0;
}

/* Adds a byte to the current field, enforcing the limits; once the record
 * is bad nothing more is stored, but parsing continues to its end. */
static void csv_field_byte(struct csv_reader *r, int c)
{
	if (c == '\0')
		csv_mark_bad(r, "NUL byte in field");
	else if (!r->record_bad && r->rec_len - r->field_start[r->nfields - 1] >= CSV_MAX_FIELD_BYTES)
		csv_mark_bad(r, "field longer than 65536 bytes");
	if (!r->record_bad && csv_rec_push(r, (char)c) != 0)
		csv_mark_bad(r, "out of memory");
}

/* Counts a line break just consumed: LF, or CR not followed by LF. */
static void csv_count_newline(struct csv_reader *r, int c)
{
	if (c == '\n' || (c == '\r' && csv_peek(r) != '\n'))
		r->line++;
}

/* Reads a quoted field's body after its opening quote, up to and including
 * the closing quote. Returns 0, or CSV_FAIL (error[] set). */
static int csv_parse_quoted(struct csv_reader *r)
{
	for (;;) {
		int c = csv_get(r);
		if (c == CSV_FAIL)
			return CSV_FAIL;
		if (c == CSV_EOF) {
			csv_set_error(r, "line %ld: quoted field not closed before end of input", r->record_line);
			return CSV_FAIL;
		}
		if (c == '"') {
			if (csv_peek(r) != '"')
				return 0;
			csv_get(r);
		}
		csv_count_newline(r, c);
		csv_field_byte(r, c);
	}
}

/* Reads unquoted bytes up to a separator, line end or end of input, which
 * is returned without being consumed (or CSV_FAIL). */
static int csv_parse_unquoted(struct csv_reader *r)
{
	for (;;) {
		int c = csv_peek(r);
		if (c == ',' || c == '\r' || c == '\n' || c < 0)
			return c;
		csv_field_byte(r, csv_get(r));
	}
}

/* Parses one field; returns what ended it (see csv_parse_unquoted). */
static int csv_parse_field(struct csv_reader *r)
{
	int c;

	if (r->nfields == CSV_MAX_FIELDS)
		csv_mark_bad(r, "more than 256 fields");
	else
		r->field_start[r->nfields++] = r->rec_len;
	if (csv_peek(r) == '"') {
		csv_get(r);
		if (csv_parse_quoted(r) != 0)
			return CSV_FAIL;
	}
	c = csv_parse_unquoted(r);
	if (!r->record_bad && csv_rec_push(r, '\0') != 0)
		csv_mark_bad(r, "out of memory");
	return c;
}

/* Skips empty lines; returns the first byte of the next record (unread). */
static int csv_skip_blank_lines(struct csv_reader *r)
{
	int c;

	while ((c = csv_peek(r)) == '\r' || c == '\n') {
		csv_get(r);
		csv_count_newline(r, c);
	}
	return c;
}

/* Parses fields until the record ends; returns 0 or CSV_FAIL. */
static int csv_parse_record(struct csv_reader *r)
{
	for (;;) {
		int c = csv_parse_field(r);
		if (c == CSV_FAIL)
			return CSV_FAIL;
		if (c == CSV_EOF)
			return 0;
		csv_get(r);
		if (c == '\r' || c == '\n') {
			/* CRLF, LF or a lone CR: one physical line either way. */
			if (c == '\r' && csv_peek(r) == '\n')
				csv_get(r);
			r->line++;
			return 0;
		}
	}
}

int csv_read_record(struct csv_reader *r, char ***fields)
{
	int c;

	*fields = NULL;
	if (r->finished)
		return 0;
	if (!r->stream_failed) /* keep a read error recorded by csv_reader_open */
		r->error[0] = '\0';
	r->rec_len = 0;
	r->nfields = 0;
	r->record_bad = 0;
	c = csv_skip_blank_lines(r);
	r->record_line = r->line;
	if (c == CSV_EOF)
		return 0;
	if (c == CSV_FAIL || csv_parse_record(r) != 0) {
		r->finished = 1;
		return -1;
	}
	if (r->record_bad)
		return -1;
	for (int i = 0; i < r->nfields; i++)
		r->fields[i] = r->rec + r->field_start[i];
	r->fields[r->nfields] = NULL;
	*fields = r->fields;
	return r->nfields;
}

/* ----------------------------------------------------------------- writer */

/*
 * Full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) count as their ASCII forms: a Chinese
 * input method types them, and a spreadsheet that normalizes width on input (WPS, Excel with
 * some IMEs and locales) may take "＝HYPERLINK(...)" as a formula.
 */
int csv_is_formula_like(const char *s)
{
	if (s == NULL || s[0] == '\0')
		return 0;
	if (strchr("=+-@\t\r", s[0]) != NULL)
		return 1;
	const unsigned char *u = (const unsigned char *)s;
	return u[0] == 0xEF &&
	       ((u[1] == 0xBC && (u[2] == 0x9D || u[2] == 0x8B || u[2] == 0x8D || u[2] == 0xA0)));
}

/* Writes s with every '"' doubled. */
static int csv_write_escaped(csv_write_fn out, void *arg, const char *s)
{
	const char *quote;

	while ((quote = strchr(s, '"')) != NULL) {
		if (out(arg, s, (size_t)(quote - s) + 1) != 0 || out(arg, "\"", 1) != 0)
			return -1;
		s = quote + 1;
	}
	return *s && out(arg, s, strlen(s)) != 0 ? -1 : 0;
}

int csv_write_field(csv_write_fn out, void *arg, const char *field, int neutralize_formula)
{
	const char *s = field ? field : "";
	/* a bare U+FEFF at the start of a file would be read back as the byte-order mark */
	int quoted = strpbrk(s, ",\"\r\n") != NULL || strncmp(s, "\xEF\xBB\xBF", 3) == 0;

	if (quoted && out(arg, "\"", 1) != 0)
		return -1;
	if (neutralize_formula && csv_is_formula_like(s) && out(arg, "'", 1) != 0)
		return -1;
	if (csv_write_escaped(out, arg, s) != 0)
		return -1;
	if (quoted && out(arg, "\"", 1) != 0)
		return -1;
	return 0;
}

int csv_write_record(csv_write_fn out, void *arg, const char *const *fields, int n, int neutralize_formula)
{
	if (n == 1 && (fields[0] == NULL || fields[0][0] == '\0'))
		return out(arg, "\"\"\r\n", 4) != 0 ? -1 : 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && out(arg, ",", 1) != 0)
			return -1;
		if (csv_write_field(out, arg, fields[i], neutralize_formula) != 0)
			return -1;
	}
	return out(arg, "\r\n", 2) != 0 ? -1 : 0;
}
