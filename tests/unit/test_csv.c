/* Unit tests for the CSV reader/writer (src/lib/csv.c). GB18030 input is
 * produced here with iconv from UTF-8 literals, as Excel/WPS would save it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"

/* A growable byte buffer, used both to build inputs and as writer output. */
struct bytes {
	char *data;
	size_t len, cap;
};

static int bytes_append(void *arg, const char *data, size_t len)
{
	struct bytes *b = arg;
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->data = realloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

static void bytes_add(struct bytes *b, const char *s)
{
	bytes_append(b, s, strlen(s));
}

/* Converts UTF-8 to GB18030 bytes; the caller frees b->data. */
static struct bytes to_gb18030(const char *utf8)
{
	struct bytes b = {0};
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t in_left = strlen(utf8), out_left = in_left * 2 + 16;
	char *in = (char *)utf8, *out;

	assert_true(cd != (iconv_t)-1);
	b.cap = out_left + 1;
	b.data = malloc(b.cap);
	out = b.data;
	assert_true(iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1);
	b.len = (size_t)(out - b.data);
	b.data[b.len] = '\0';
	iconv_close(cd);
	return b;
}

/* A reader over a temporary file holding exactly these bytes. */
static struct csv_reader *open_bytes(const char *data, size_t len, FILE **file)
{
	struct csv_reader *r;

	*file = tmpfile();
	assert_non_null(*file);
	assert_int_equal(fwrite(data, 1, len, *file), len);
	rewind(*file);
	r = csv_reader_open(*file);
	assert_non_null(r);
	return r;
}

static struct csv_reader *open_string(const char *s, FILE **file)
{
	return open_bytes(s, strlen(s), file);
}

static void close_reader(struct csv_reader *r, FILE *file)
{
	csv_reader_close(r);
	fclose(file);
}

static void test_utf8_without_bom_reads_records_and_lines(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("名称,负责人\n社区服务中心,张三\n", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], "名称");
	assert_int_equal(csv_reader_line(r), 1);
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], "社区服务中心");
	assert_string_equal(fields[1], "张三");
	assert_int_equal(csv_reader_line(r), 2);
	assert_int_equal(csv_read_record(r, &fields), 0);
	assert_string_equal(csv_reader_encoding(r), "UTF-8");
	close_reader(r, f);
}

static void test_utf8_bom_is_skipped(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("\xEF\xBB\xBF名称,备注\r\n", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], "名称");
	assert_string_equal(fields[1], "备注");
	assert_string_equal(csv_reader_encoding(r), "UTF-8");
	close_reader(r, f);
}

static void test_gb18030_file_is_converted_to_utf8(void **state)
{
	struct bytes gb = to_gb18030("社区服务中心,张三\r\n\"城南街道，志愿者协会\",李四\r\n");
	FILE *f;
	struct csv_reader *r = open_bytes(gb.data, gb.len, &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], "社区服务中心");
	assert_string_equal(fields[1], "张三");
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], "城南街道，志愿者协会");
	assert_int_equal(csv_reader_line(r), 2);
	assert_int_equal(csv_read_record(r, &fields), 0);
	assert_string_equal(csv_reader_encoding(r), "GB18030");
	close_reader(r, f);
	free(gb.data);
}

/* Many records, 2- and 4-byte GB18030 characters, an odd start offset and a
 * 60 KB field: characters and fields cross every 64 KiB buffer boundary. */
static void test_large_gb18030_file_converts_across_buffer_boundaries(void **state)
{
	struct bytes text = {0}, gb;
	char line[128], **fields;
	char *big = malloc(60000 * 3 + 1);
	FILE *f;
	struct csv_reader *r;
	(void)state;
	bytes_add(&text, "a,b\r\n");
	for (int i = 0; i < 6000; i++) {
		snprintf(line, sizeof line, "第%d号社区服务中心,\"张三😀,𠀀\"\r\n", i);
		bytes_add(&text, line);
		if (i == 3000) {
			for (int k = 0; k < 20000; k++)
				memcpy(big + 3 * k, "议", 3);
			big[60000] = '\0';
			bytes_add(&text, big);
			bytes_add(&text, ",end\r\n");
		}
	}
	gb = to_gb18030(text.data);
	assert_true(gb.len > 3 * 65536);
	r = open_bytes(gb.data, gb.len, &f);
	assert_int_equal(csv_read_record(r, &fields), 2);
	for (int i = 0; i < 6000; i++) {
		assert_int_equal(csv_read_record(r, &fields), 2);
		snprintf(line, sizeof line, "第%d号社区服务中心", i);
		assert_string_equal(fields[0], line);
		assert_string_equal(fields[1], "张三😀,𠀀");
		if (i == 3000) {
			assert_int_equal(csv_read_record(r, &fields), 2);
			assert_string_equal(fields[0], big);
			assert_string_equal(fields[1], "end");
		}
	}
	assert_int_equal(csv_read_record(r, &fields), 0);
	assert_string_equal(csv_reader_encoding(r), "GB18030");
	close_reader(r, f);
	free(big);
	free(gb.data);
	free(text.data);
}

static void test_long_ascii_head_postpones_encoding_choice(void **state)
{
	struct bytes text = {0}, gb;
	char **fields;
	FILE *f;
	struct csv_reader *r;
	int n = 0;
	(void)state;
	for (int i = 0; i < 8000; i++)
		bytes_add(&text, "org,person\r\n"); /* 96000 ASCII bytes */
	bytes_add(&text, "社区,张三\r\n");
	gb = to_gb18030(text.data);
	r = open_bytes(gb.data, gb.len, &f);
	while (csv_read_record(r, &fields) == 2 && strcmp(fields[0], "org") == 0)
		n++;
	assert_int_equal(n, 8000);
	assert_string_equal(fields[0], "社区");
	assert_string_equal(fields[1], "张三");
	assert_string_equal(csv_reader_encoding(r), "GB18030");
	close_reader(r, f);
	free(gb.data);
	free(text.data);
}

static void test_quoted_fields_keep_commas_quotes_and_newlines(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("\"a,b\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\nnext,\"\"\r\n", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 3);
	assert_string_equal(fields[0], "a,b");
	assert_string_equal(fields[1], "say \"hi\"");
	assert_string_equal(fields[2], "line1\r\nline2");
	assert_null(fields[3]);
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], "next");
	assert_string_equal(fields[1], "");
	assert_int_equal(csv_reader_line(r), 3);
	close_reader(r, f);
}

static void test_lf_cr_and_missing_final_newline_end_records(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("a,b\nc\rd,,\n\n\ne", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_string_equal(fields[0], "c");
	assert_int_equal(csv_reader_line(r), 2);
	assert_int_equal(csv_read_record(r, &fields), 3);
	assert_string_equal(fields[0], "d");
	assert_string_equal(fields[2], "");
	assert_int_equal(csv_read_record(r, &fields), 1); /* blank lines skipped */
	assert_string_equal(fields[0], "e");
	assert_int_equal(csv_reader_line(r), 6);
	assert_int_equal(csv_read_record(r, &fields), 0);
	close_reader(r, f);
}

static void test_text_after_closing_quote_is_kept_leniently(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("\"abc\"def,x\"y\n", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], "abcdef");
	assert_string_equal(fields[1], "x\"y");
	close_reader(r, f);
}

static void test_empty_file_has_no_records(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 0);
	assert_string_equal(csv_reader_error(r), "");
	close_reader(r, f);
}

static void test_unterminated_quote_fails_then_input_ends(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("ok,1\n\"never closed,2\n3\n", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_int_equal(csv_read_record(r, &fields), -1);
	assert_non_null(strstr(csv_reader_error(r), "line 2: quoted field not closed"));
	assert_int_equal(csv_reader_line(r), 2);
	assert_int_equal(csv_read_record(r, &fields), 0);
	close_reader(r, f);
}

static void test_bytes_valid_in_neither_encoding_fail(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("name\nabc,\xff\xff\n", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_int_equal(csv_read_record(r, &fields), -1);
	assert_non_null(strstr(csv_reader_error(r), "line 2: bytes are neither UTF-8 nor GB18030"));
	assert_int_equal(csv_read_record(r, &fields), 0);
	close_reader(r, f);
}

static void test_invalid_utf8_after_bom_fails_with_its_line(void **state)
{
	FILE *f;
	struct csv_reader *r = open_string("\xEF\xBB\xBF" "a\nb\n\xc3(\n", &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_int_equal(csv_read_record(r, &fields), -1);
	assert_non_null(strstr(csv_reader_error(r), "line 3: invalid UTF-8"));
	close_reader(r, f);
}

static void test_field_over_64k_is_rejected_and_reading_continues(void **state)
{
	struct bytes text = {0};
	char *big = malloc(CSV_MAX_FIELD_BYTES + 2);
	char **fields;
	FILE *f;
	struct csv_reader *r;
	(void)state;
	memset(big, 'x', CSV_MAX_FIELD_BYTES);
	big[CSV_MAX_FIELD_BYTES] = '\0';
	bytes_add(&text, big); /* exactly the limit: fine */
	bytes_add(&text, "\n");
	big[CSV_MAX_FIELD_BYTES] = 'x';
	big[CSV_MAX_FIELD_BYTES + 1] = '\0';
	bytes_add(&text, "a,");
	bytes_add(&text, big); /* one byte over */
	bytes_add(&text, ",c\nnext\n");
	r = open_bytes(text.data, text.len, &f);
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_int_equal(strlen(fields[0]), CSV_MAX_FIELD_BYTES);
	assert_int_equal(csv_read_record(r, &fields), -1);
	assert_non_null(strstr(csv_reader_error(r), "line 2: field longer than 65536 bytes"));
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_string_equal(fields[0], "next");
	assert_int_equal(csv_reader_line(r), 3);
	close_reader(r, f);
	free(big);
	free(text.data);
}

static void test_more_than_256_fields_is_rejected_and_reading_continues(void **state)
{
	struct bytes text = {0};
	char **fields;
	FILE *f;
	struct csv_reader *r;
	(void)state;
	for (int i = 0; i < 256; i++)
		bytes_add(&text, i ? ",v" : "v");
	bytes_add(&text, "\n");
	for (int i = 0; i < 257; i++)
		bytes_add(&text, i ? ",v" : "v");
	bytes_add(&text, "\nlast\n");
	r = open_bytes(text.data, text.len, &f);
	assert_int_equal(csv_read_record(r, &fields), 256);
	assert_string_equal(fields[255], "v");
	assert_int_equal(csv_read_record(r, &fields), -1);
	assert_non_null(strstr(csv_reader_error(r), "more than 256 fields"));
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_string_equal(fields[0], "last");
	close_reader(r, f);
	free(text.data);
}

static void test_nul_byte_rejects_the_record(void **state)
{
	FILE *f;
	struct csv_reader *r = open_bytes("a\0b,c\nd\n", 8, &f);
	char **fields;
	(void)state;
	assert_int_equal(csv_read_record(r, &fields), -1);
	assert_non_null(strstr(csv_reader_error(r), "NUL"));
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_string_equal(fields[0], "d");
	close_reader(r, f);
}

static void test_writer_quotes_only_when_needed_and_ends_with_crlf(void **state)
{
	struct bytes out = {0};
	const char *fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", NULL, "社区"};
	(void)state;
	assert_int_equal(csv_write_record(bytes_append, &out, fields, 6, 0), 0);
	assert_string_equal(out.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,社区\r\n");
	free(out.data);
}

static void test_writer_neutralizes_formulas_when_asked(void **state)
{
	struct bytes out = {0};
	const char *fields[] = {"=HYPERLINK(\"http://x\")", "+1", "-5", "@SUM(A1)", "\tx", "safe=1"};
	(void)state;
	assert_int_equal(csv_write_record(bytes_append, &out, fields, 6, 1), 0);
	assert_string_equal(out.data, "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-5,'@SUM(A1),'\tx,safe=1\r\n");
	free(out.data);
	out = (struct bytes){0};
	assert_int_equal(csv_write_field(bytes_append, &out, "=1+1", 0), 0);
	assert_string_equal(out.data, "=1+1");
	free(out.data);
}

static void test_formula_detection_matches_owasp_list(void **state)
{
	(void)state;
	assert_true(csv_is_formula_like("=1"));
	assert_true(csv_is_formula_like("+1"));
	assert_true(csv_is_formula_like("-1"));
	assert_true(csv_is_formula_like("@a"));
	assert_true(csv_is_formula_like("\ta"));
	assert_true(csv_is_formula_like("\ra"));
	assert_false(csv_is_formula_like("a=1"));
	assert_false(csv_is_formula_like(""));
	assert_false(csv_is_formula_like(NULL));
}

static void test_full_width_formula_signs_are_neutralized_like_ascii(void **state)
{
	(void)state;
	/* ＝ ＋ － ＠ as a Chinese input method types them */
	assert_true(csv_is_formula_like("＝HYPERLINK(\"http://x\")"));
	assert_true(csv_is_formula_like("＋1"));
	assert_true(csv_is_formula_like("－5"));
	assert_true(csv_is_formula_like("＠SUM(A1)"));
	/* other full-width forms and a lone lead byte are plain text */
	assert_false(csv_is_formula_like("，逗号"));
	assert_false(csv_is_formula_like("\xEF\xBC"));
	assert_false(csv_is_formula_like("社区"));
	struct bytes out = {0};
	const char *fields[] = {"＝1+1", "＠a"};
	assert_int_equal(csv_write_record(bytes_append, &out, fields, 2, 1), 0);
	assert_string_equal(out.data, "'＝1+1,'＠a\r\n");
	free(out.data);
}

static int failing_output(void *arg, const char *data, size_t len)
{
	(void)arg;
	(void)data;
	(void)len;
	return 1;
}

static void test_writer_reports_output_failure(void **state)
{
	const char *fields[] = {"a", "b"};
	(void)state;
	assert_int_equal(csv_write_record(failing_output, NULL, fields, 2, 0), -1);
	assert_int_equal(csv_write_field(failing_output, NULL, "x", 0), -1);
}

static void test_written_records_read_back_unchanged(void **state)
{
	struct bytes out = {0};
	const char *rec1[] = {"张三", "a,\"b\"\r\nc", ""};
	const char *rec2[] = {""};
	char **fields;
	FILE *f;
	struct csv_reader *r;
	(void)state;
	assert_int_equal(csv_write_record(bytes_append, &out, rec1, 3, 0), 0);
	assert_int_equal(csv_write_record(bytes_append, &out, rec2, 1, 0), 0);
	r = open_bytes(out.data, out.len, &f);
	assert_int_equal(csv_read_record(r, &fields), 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(fields[i], rec1[i]);
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_string_equal(fields[0], "");
	assert_int_equal(csv_read_record(r, &fields), 0);
	close_reader(r, f);
	free(out.data);
}

/* Found by tests/fuzz/fuzz_csv.c: a first field starting with U+FEFF was written bare, so
 * the reader took it for the file's byte-order mark and dropped it (a record of one such
 * field even vanished). The writer now quotes a field that starts with a BOM. */
static void test_leading_bom_in_first_field_survives_round_trip(void **state)
{
	struct bytes out = {0};
	const char *rec1[] = {"\xEF\xBB\xBF"};
	const char *rec2[] = {"\xEF\xBB\xBF名称", "\xEF\xBB\xBF"};
	char **fields;
	FILE *f;
	struct csv_reader *r;
	(void)state;
	assert_int_equal(csv_write_record(bytes_append, &out, rec1, 1, 0), 0);
	assert_int_equal(csv_write_record(bytes_append, &out, rec2, 2, 0), 0);
	r = open_bytes(out.data, out.len, &f);
	assert_int_equal(csv_read_record(r, &fields), 1);
	assert_string_equal(fields[0], rec1[0]);
	assert_int_equal(csv_read_record(r, &fields), 2);
	assert_string_equal(fields[0], rec2[0]);
	assert_string_equal(fields[1], rec2[1]);
	assert_int_equal(csv_read_record(r, &fields), 0);
	close_reader(r, f);
	free(out.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_without_bom_reads_records_and_lines),
		cmocka_unit_test(test_utf8_bom_is_skipped),
		cmocka_unit_test(test_gb18030_file_is_converted_to_utf8),
		cmocka_unit_test(test_large_gb18030_file_converts_across_buffer_boundaries),
		cmocka_unit_test(test_long_ascii_head_postpones_encoding_choice),
		cmocka_unit_test(test_quoted_fields_keep_commas_quotes_and_newlines),
		cmocka_unit_test(test_lf_cr_and_missing_final_newline_end_records),
		cmocka_unit_test(test_text_after_closing_quote_is_kept_leniently),
		cmocka_unit_test(test_empty_file_has_no_records),
		cmocka_unit_test(test_unterminated_quote_fails_then_input_ends),
		cmocka_unit_test(test_bytes_valid_in_neither_encoding_fail),
		cmocka_unit_test(test_invalid_utf8_after_bom_fails_with_its_line),
		cmocka_unit_test(test_field_over_64k_is_rejected_and_reading_continues),
		cmocka_unit_test(test_more_than_256_fields_is_rejected_and_reading_continues),
		cmocka_unit_test(test_nul_byte_rejects_the_record),
		cmocka_unit_test(test_writer_quotes_only_when_needed_and_ends_with_crlf),
		cmocka_unit_test(test_writer_neutralizes_formulas_when_asked),
		cmocka_unit_test(test_formula_detection_matches_owasp_list),
		cmocka_unit_test(test_full_width_formula_signs_are_neutralized_like_ascii),
		cmocka_unit_test(test_writer_reports_output_failure),
		cmocka_unit_test(test_written_records_read_back_unchanged),
		cmocka_unit_test(test_leading_bom_in_first_field_survives_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
