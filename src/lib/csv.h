/*
 * csv.h — RFC 4180 CSV: a streaming reader that also accepts the files
 * Chinese offices really send (UTF-8 with or without BOM, or GB18030 from
 * Excel/WPS "CSV"), and a writer with spreadsheet formula neutralization.
 *
 * Reader limits, chosen so one hostile upload cannot exhaust memory:
 * a field holds at most CSV_MAX_FIELD_BYTES bytes (after conversion to
 * UTF-8) and a record at most CSV_MAX_FIELDS fields.
 * A reader is used by one thread at a time; different readers are independent.
 */
#ifndef TONGXIN_LIB_CSV_H
#define TONGXIN_LIB_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELD_BYTES 65536
#define CSV_MAX_FIELDS 256

struct csv_reader; /* opaque */

/*
 * Starts reading from `in` (not owned; not closed by the reader; should be
 * opened in binary mode). Encoding: a UTF-8 BOM selects UTF-8 and is
 * skipped. Otherwise the first 64 KiB are examined: valid UTF-8 -> UTF-8,
 * else GB18030 (converted to UTF-8 with iconv; a GB18030 BOM is skipped).
 * Pure ASCII gives no evidence, so the choice is then postponed to the
 * first non-ASCII byte, judged on the 64 KiB that follow it.
 * Returns NULL only when memory or iconv is unavailable. Free with
 * csv_reader_close().
 */
struct csv_reader *csv_reader_open(FILE *in);

/*
 * Reads the next record. On success returns the number of fields (1 to
 * CSV_MAX_FIELDS) and sets *fields to an array of NUL-terminated UTF-8
 * strings owned by the reader, valid until the next call or close.
 * Quoted fields may contain commas, doubled quotes and line breaks (kept as
 * they are in the file); records end with CRLF, LF or a lone CR. Empty lines
 * between records are skipped (so a one-column file loses empty values that
 * are not written as ""). Lenient like Python's csv module: text after a
 * closing quote is appended to the field, and a quote inside an unquoted
 * field is kept literally.
 * Returns 0 at end of input. Returns -1 on a malformed record, with
 * csv_reader_error() saying what and where:
 *   - field over CSV_MAX_FIELD_BYTES, more than CSV_MAX_FIELDS fields, or a
 *     NUL byte: the record is skipped and the next call continues with the
 *     next record;
 *   - quote not closed at end of input, bytes that are valid in neither
 *     encoding (or invalid UTF-8 later in a file detected as UTF-8), or a
 *     read error: reading is over, later calls return 0.
 * So `while ((n = csv_read_record(r, &f)) != 0)` always terminates.
 */
int csv_read_record(struct csv_reader *r, char ***fields);

/* 1-based physical line where the last record returned (or failed) started. */
long csv_reader_line(const struct csv_reader *r);

/* "UTF-8" or "GB18030" (static strings). "UTF-8" while only ASCII was seen. */
const char *csv_reader_encoding(const struct csv_reader *r);

/* Message for the last -1 from csv_read_record(), "" if none. Owned by the
 * reader; English, starts with "line N:" for display to the importer. */
const char *csv_reader_error(const struct csv_reader *r);

/* Frees the reader (NULL allowed); does not close the FILE. */
void csv_reader_close(struct csv_reader *r);

/*
 * Output callback for the writer: write `len` bytes of `data` somewhere
 * (a buffer, a socket, a file). Return 0 on success, nonzero to abort.
 */
typedef int (*csv_write_fn)(void *arg, const char *data, size_t len);

/*
 * Writes one field (NULL is written as empty). The field is quoted when it
 * contains a comma, quote, CR or LF, or starts with U+FEFF (else a reader
 * would skip it as the byte-order mark); quotes are doubled. If
 * neutralize_formula is nonzero and csv_is_formula_like(field), a single
 * quote ' is put in front (inside the quotes), as OWASP's CSV injection
 * guidance says, so spreadsheets show the text instead of running it.
 * Note this also prefixes negative numbers ("-5" -> "'-5"): use it for text
 * columns. Returns 0, or -1 when `out` failed.
 */
int csv_write_field(csv_write_fn out, void *arg, const char *field, int neutralize_formula);

/*
 * Writes n fields separated by commas and terminated by CRLF. A record of
 * one empty field is written as "" so that the reader does not take it
 * for a blank line. Returns 0, or -1 when `out` failed.
 */
int csv_write_record(csv_write_fn out, void *arg, const char *const *fields, int n, int neutralize_formula);

/* 1 when a spreadsheet would take the cell value as a formula: it starts
 * with = + - @ TAB or CR, or with full-width ＝ ＋ － ＠. NULL gives 0. Shared with the
 * importer, which drops the quote the writer put before such a value. */
int csv_is_formula_like(const char *s);

#endif
