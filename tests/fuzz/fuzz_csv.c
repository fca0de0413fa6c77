/*
 * Fuzzes src/lib/csv.c.
 *  1. csv_reader_open/csv_read_record over the input bytes as a file (fmemopen), UTF-8 or
 *     GB18030 or neither. An input starting with '#' is read after about 64 KiB of padding
 *     (ASCII, UTF-8 Chinese or GB18030 Chinese, chosen by the second byte; length by the
 *     third), so that detection and the raw buffer's boundary (CSV_RAW_CAP) meet the
 *     fuzzed bytes and characters are cut between two reads.
 *  2. A round trip: the input is cut into records at 0xFF and into fields at 0xFE (neither
 *     byte occurs in UTF-8); when every field is NUL-free valid UTF-8 within the limits, the
 *     records are written with csv_write_record (neutralize off, or on when the last byte is
 *     odd), read back, and must give the same fields (with ' before formula-like ones when
 *     neutralized).
 * Promises checked: the read loop ends; a record has 1..CSV_MAX_FIELDS NUL-terminated UTF-8
 * fields of at most CSV_MAX_FIELD_BYTES; a -1 comes with an error "line N: ...".
 */
#include <iconv.h>
#include "fuzz.h"
#include "lib/csv.h"
#include "lib/text.h"

/* csv_small is this file built with -DCSV_RAW_CAP=64: every boundary case then occurs in
 * short inputs, hundreds of times faster than with 64 KiB of padding. */
#ifdef CSV_RAW_CAP
#define PAD_BASE CSV_RAW_CAP
#else
#define PAD_BASE 65536
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* glibc loads and caches the GB18030 gconv module on first use */
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return 0;
}

static int valid_utf8(const char *s, size_t len)
{
	uint32_t cp;
	for (size_t i = 0; i < len;) {
		int n = text_utf8_decode(s + i, len - i, &cp);
		if (n <= 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

/* Reads every record of `bytes`, checking each; returns the number of records. */
static size_t read_all(const char *bytes, size_t len)
{
	if (len == 0)
		return 0;
	FILE *f = fmemopen((void *)bytes, len, "rb");
	FUZZ_CHECK(f != NULL);
	struct csv_reader *r = csv_reader_open(f);
	FUZZ_CHECK(r != NULL);
	size_t records = 0, calls = 0;
	char **fields;
	int n;
	while ((n = csv_read_record(r, &fields)) != 0) {
		/* every call consumes at least one byte: no more calls than bytes */
		FUZZ_CHECK(++calls <= len + 1);
		FUZZ_CHECK(csv_reader_line(r) >= 1);
		if (n < 0) {
			FUZZ_CHECK(n == -1 && fields == NULL);
			FUZZ_CHECK(strncmp(csv_reader_error(r), "line ", 5) == 0);
			continue;
		}
		FUZZ_CHECK(n >= 1 && n <= CSV_MAX_FIELDS && fields[n] == NULL);
		for (int i = 0; i < n; i++) {
			size_t flen = strlen(fields[i]);
			FUZZ_CHECK(flen <= CSV_MAX_FIELD_BYTES);
			FUZZ_CHECK(valid_utf8(fields[i], flen));
		}
		records++;
	}
	FUZZ_CHECK(csv_read_record(r, &fields) == 0);
	const char *enc = csv_reader_encoding(r);
	FUZZ_CHECK(strcmp(enc, "UTF-8") == 0 || strcmp(enc, "GB18030") == 0);
	csv_reader_close(r);
	fclose(f);
	return records;
}

/* Reads the input after padding that ends close to the 64 KiB raw-buffer boundary. */
static void read_padded(const uint8_t *data, size_t size)
{
	/* the last unit has no separator: one field nearly CSV_MAX_FIELD_BYTES long */
	static const char *const units[] = {"ab,c\n", "中,文\n", "\xD6\xD0,\xCE\xC4\n", "x"};
	const char *unit = units[data[1] % 4];
	size_t unit_len = strlen(unit);
	size_t pad = PAD_BASE - data[2] % (PAD_BASE < 128 ? PAD_BASE / 2 : 64);
	size_t total = pad + size - 3;
	char *buf = malloc(total);
	FUZZ_CHECK(buf != NULL);
	for (size_t i = 0; i < pad; i++)
		buf[i] = unit[i % unit_len];
	memcpy(buf + pad, data + 3, size - 3);
	read_all(buf, total);
	free(buf);
}

struct out {
	char *data;
	size_t len, cap;
};

static int out_write(void *arg, const char *data, size_t len)
{
	struct out *o = arg;
	if (o->len + len > o->cap) {
		o->cap = (o->len + len) * 2 + 64;
		o->data = realloc(o->data, o->cap);
		FUZZ_CHECK(o->data != NULL);
	}
	memcpy(o->data + o->len, data, len);
	o->len += len;
	return 0;
}

#define MAX_RECORDS 16

struct table {
	char *copy;
	int nrecords;
	int nfields[MAX_RECORDS];
	const char *fields[MAX_RECORDS][CSV_MAX_FIELDS];
};

/* Cuts the input into records (0xFF) and fields (0xFE); 0 when it is not writable text. */
static int table_cut(struct table *t, const uint8_t *data, size_t size)
{
	t->copy = fuzz_cstr(data, size);
	t->nrecords = 0;
	char *rec = t->copy, *end = t->copy + size;
	while (rec <= end) {
		char *rec_end = memchr(rec, 0xFF, (size_t)(end - rec));
		if (!rec_end)
			rec_end = end;
		*rec_end = 0;
		if (t->nrecords == MAX_RECORDS)
			return 0;
		int r = t->nrecords++, n = 0;
		for (char *f = rec;;) {
			char *f_end = memchr(f, 0xFE, (size_t)(rec_end - f));
			if (!f_end)
				f_end = rec_end;
			*f_end = 0;
			size_t flen = (size_t)(f_end - f);
			/* >= : a neutralized field gains one byte */
			if (n == CSV_MAX_FIELDS || flen >= CSV_MAX_FIELD_BYTES || strlen(f) != flen ||
			    !valid_utf8(f, flen))
				return 0;
			t->fields[r][n++] = f;
			if (f_end == rec_end)
				break;
			f = f_end + 1;
		}
		t->nfields[r] = n;
		rec = rec_end + 1;
	}
	return 1;
}

static void round_trip(const uint8_t *data, size_t size)
{
	struct table *t = calloc(1, sizeof *t);
	FUZZ_CHECK(t != NULL);
	if (!table_cut(t, data, size))
		goto done;
	/* mostly as the brief's round trip wants (neutralize off); an odd last byte turns it on,
	 * and formula-like fields must then come back with a ' in front */
	int neutralize = size > 0 && (data[size - 1] & 1);
	struct out o = {0};
	for (int i = 0; i < t->nrecords; i++)
		FUZZ_CHECK(csv_write_record(out_write, &o, t->fields[i], t->nfields[i], neutralize) == 0);
	FILE *f = fmemopen(o.data, o.len, "rb");
	FUZZ_CHECK(f != NULL);
	struct csv_reader *r = csv_reader_open(f);
	FUZZ_CHECK(r != NULL);
	char **got;
	for (int i = 0; i < t->nrecords; i++) {
		int n = csv_read_record(r, &got);
		if (n != t->nfields[i])
			fprintf(stderr, "record %d: wrote %d fields, read %d (%s)\n", i,
				t->nfields[i], n, csv_reader_error(r));
		FUZZ_CHECK(n == t->nfields[i]);
		for (int k = 0; k < n; k++) {
			const char *want = t->fields[i][k];
			if (neutralize && csv_is_formula_like(want))
				FUZZ_CHECK(got[k][0] == '\'' && strcmp(got[k] + 1, want) == 0);
			else
				FUZZ_CHECK(strcmp(got[k], want) == 0);
		}
	}
	FUZZ_CHECK(csv_read_record(r, &got) == 0);
	csv_reader_close(r);
	fclose(f);
	free(o.data);
done:
	free(t->copy);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_all((const char *)data, size);
	if (size >= 3 && data[0] == '#')
		read_padded(data, size);
	round_trip(data, size);
	return 0;
}
