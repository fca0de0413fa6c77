/*
 * Import of organizations from CSV: header row -> column map, then each row -> JSON object ->
 * org_input_from_json() -> org_create_in_tx(), all inside one write transaction.
 *
 * Why one transaction, even for a dry run: all or nothing is what an office expects from
 * "import this list" (a half-imported file is worse than none), and running the dry run
 * through the very same inserts means it finds exactly what the real run would refuse —
 * including a credit code repeated inside the file, which only shows up once the earlier row
 * is in the table. The transaction then rolls back. Rows after a bad row are still tried, so
 * the report lists every problem at once.
 *
 * On PostgreSQL a failed statement poisons the transaction; the registry checks duplicates
 * with a SELECT before inserting for that reason, and any other database error ends the
 * import (-1, nothing written).
 *
 * Memory: each row runs in its own scratch arena (org_input strings, audit JSON), so a
 * 100,000-row file needs no more memory than a 10-row one, apart from the capped error list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/policy.h"
#include "io/io.h"
#include "registry/org.h"

struct import {
	struct ctx *c;
	const struct io_import_opts *opts;
	int col_of[CSV_MAX_FIELDS];    /* file column -> io_columns index, -1 = ignored */
	const char *header[CSV_MAX_FIELDS]; /* file column -> header text (arena) */
	int ncols;
	const char *column_header[IO_NCOLUMNS]; /* io column -> header as written in the file */
	int64_t row;     /* spreadsheet row of the current record (header = 1) */
	int64_t total, processed, valid, created;
	int bad_file;    /* a file-level error: no row is tried */
	int row_failed;  /* the current row has an error */
	int stopped;
	json_t *errors;
	int64_t omitted;
};

/* ------------------------------------------------------------------ the report */

/* Adds {row, column, field, message} to the report; `detail` (may be NULL) is appended to
 * the rendered message after a colon, for texts that are not in the catalogue (a header, the
 * CSV reader's note). */
static void report_error(struct import *im, const char *column, const char *field,
			 const char *key, long long arg, const char *detail)
{
	im->row_failed = 1;
	if (json_array_size(im->errors) >= IO_MAX_REPORTED_ERRORS) {
		im->omitted++;
		return;
	}
	struct buf m = {0};
	msg_render(&m, key, im->c->lang, arg);
	if (detail)
		buf_printf(&m, "%s%s", im->c->lang == LANG_EN ? ": " : "：", detail);
	json_t *e = json_pack("{s:I, s:s?, s:s?, s:s}", "row", (json_int_t)im->row, "column",
			      column, "field", field, "message", m.data ? m.data : key);
	buf_free(&m);
	json_array_append_new(im->errors, e);
}

/* The header a field's errors are shown under: as written in the file, else the canonical
 * Chinese one (for a required column the file lacks). */
static const char *column_for_field(struct import *im, const char *field)
{
	int col = io_column_by_field(field);
	if (col < 0)
		return NULL;
	return im->column_header[col] ? im->column_header[col] : io_columns[col].header;
}

/* Turns the registry's error for one row into report lines. */
static void report_row_error(struct import *im, const struct error *e)
{
	int n = e->nfields < ERROR_MAX_FIELDS ? e->nfields : ERROR_MAX_FIELDS;
	for (int i = 0; i < n; i++)
		report_error(im, column_for_field(im, e->fields[i].field), e->fields[i].field,
			     e->fields[i].key, e->fields[i].arg, NULL);
	if (n > 0)
		return;
	if (e->kind == E_FORBIDDEN) /* ACT_ORG_CREATE refused for the row's street */
		report_error(im, column_for_field(im, "street_code"), "street_code",
			     "io.street_forbidden", 0, NULL);
	else
		report_error(im, NULL, NULL, e->key ? e->key : error_default_key(e->kind), e->arg,
			     NULL);
}

/* ------------------------------------------------------------------ reading the file */

static int blank_record(char **f, int n)
{
	for (int i = 0; i < n; i++)
		for (const char *p = f[i]; *p; p++)
			if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				return 0;
	return 1;
}

/* Data rows in a seekable file (a first, cheap pass for the progress bar); -1 otherwise. */
static int64_t count_rows(FILE *in)
{
	long start = ftell(in);
	if (start < 0)
		return -1;
	struct csv_reader *r = csv_reader_open(in);
	if (!r)
		return -1;
	int64_t rows = -1; /* the header is not a data row */
	char **f;
	int n;
	while ((n = csv_read_record(r, &f)) != 0)
		if (n < 0 || !blank_record(f, n))
			rows++;
	csv_reader_close(r);
	if (fseek(in, start, SEEK_SET) != 0)
		return -1;
	return rows < 0 ? 0 : rows;
}

/* Maps the header row. File-level errors (unknown or repeated column, no 名称) go to the
 * report and set bad_file. */
static void read_header(struct import *im, char **f, int n)
{
	im->ncols = n;
	for (int i = 0; i < n; i++) {
		im->header[i] = arena_strdup(im->c->arena, f[i]);
		im->col_of[i] = -1;
		if (blank_record(&f[i], 1))
			continue; /* Excel leaves empty trailing columns: ignore them */
		int col = io_column_by_header(f[i]);
		if (col < 0) {
			report_error(im, im->header[i], NULL, "io.unknown_column", 0, im->header[i]);
		} else if (im->column_header[col]) {
			report_error(im, im->header[i], io_columns[col].field, "io.repeated_column", 0,
				     im->header[i]);
		} else {
			im->col_of[i] = col;
			im->column_header[col] = im->header[i];
		}
	}
	if (!im->column_header[0]) /* io_columns[0] is 名称, the one column a file must have */
		report_error(im, io_columns[0].header, io_columns[0].field, "io.missing_column", 0,
			     io_columns[0].header);
	im->bad_file = im->row_failed;
}

/* Builds the JSON object of one data row; cells under ignored columns must be empty. */
static json_t *row_json(struct import *im, char **f, int n)
{
	json_t *obj = json_object();
	for (int i = 0; i < n; i++) {
		if (i >= im->ncols || im->col_of[i] < 0) {
			if (!blank_record(&f[i], 1))
				report_error(im, i < im->ncols ? im->header[i] : NULL, NULL,
					     "io.cell_without_column", i + 1, NULL);
			continue;
		}
		int col = im->col_of[i];
		json_t *v = io_cell_to_json(col, f[i]);
		if (v)
			json_object_set_new(obj, io_columns[col].field, v);
	}
	return obj;
}

/* Validates and creates one row in the open transaction. Returns 0 (the row may have
 * failed: see im->row_failed), or -1 on a database failure that ends the import. */
static int import_row(struct import *im, char **f, int n)
{
	struct ctx *c = im->c;
	json_t *obj = row_json(im, f, n);
	struct arena *whole = c->arena;
	c->arena = arena_new();
	error_clear(&c->err);
	struct org_input in;
	int64_t id;
	int rc = org_input_from_json(c, obj, 0, &in);
	if (rc == 0)
		rc = org_create_in_tx(c, &in, &id);
	arena_free(c->arena);
	c->arena = whole;
	json_decref(obj);
	if (rc == 0) {
		if (!im->row_failed)
			im->created++;
		return 0;
	}
	enum error_kind k = c->err.kind;
	if (k == E_INTERNAL || k == E_UNAVAILABLE)
		return -1;
	report_row_error(im, &c->err);
	error_clear(&c->err);
	return 0;
}

static int tell_progress(struct import *im)
{
	const struct io_import_opts *o = im->opts;
	if (o->progress && o->progress(o->progress_arg, im->processed, im->total) != 0)
		im->stopped = 1;
	return im->stopped;
}

/* Reads the data rows inside the transaction. Returns 0, or -1 on a database failure. */
static int import_rows(struct import *im, struct csv_reader *r)
{
	char **f;
	int n;
	while ((n = csv_read_record(r, &f)) != 0) {
		im->row++;
		im->row_failed = 0;
		if (n < 0) {
			report_error(im, NULL, NULL, "io.csv_malformed", 0, csv_reader_error(r));
		} else if (blank_record(f, n)) {
			continue;
		} else if (import_row(im, f, n) != 0) {
			return -1;
		}
		im->processed++;
		if (!im->row_failed)
			im->valid++;
		if (im->processed % IO_PROGRESS_EVERY == 0 && tell_progress(im))
			break;
	}
	return 0;
}

/* ------------------------------------------------------------------ the import */

static json_t *report_json(struct import *im, struct csv_reader *r, int committed)
{
	json_t *rep = json_pack(
		"{s:b, s:I, s:I, s:I, s:s, s:b, s:o, s:I}", "dry_run", im->opts->dry_run,
		"total_rows", (json_int_t)im->processed, "valid_rows", (json_int_t)im->valid,
		"imported", (json_int_t)(committed ? im->created : 0), "encoding",
		csv_reader_encoding(r), "stopped", im->stopped, "errors", im->errors,
		"errors_omitted", (json_int_t)im->omitted);
	im->errors = NULL;
	return rep;
}

/* Runs the rows in one transaction and ends it: commit only for a clean, real, complete
 * run. Returns 1 when committed, 0 when rolled back, -1 on a database failure.
 *
 * Not ctx_tx, on purpose: this transaction ends in a deliberate rollback that is a success (a
 * dry run, a file with bad rows, a stopped import: the same work is done and then undone, and
 * the report is the result). ctx_tx treats every non-zero step as a failure and fills c->err
 * (a database error when the step gave no reason), so it can commit or fail but cannot "roll
 * back and succeed"; bending that would mean a sentinel error the caller clears afterwards. */
static int run_transaction(struct import *im, struct csv_reader *r)
{
	struct ctx *c = im->c;
	if (db_begin(c->db) != 0)
		return ctx_db_error(c);
	if (import_rows(im, r) != 0) {
		db_rollback(c->db);
		return -1;
	}
	int clean = json_array_size(im->errors) == 0 && im->omitted == 0;
	if (!clean || im->opts->dry_run || im->stopped) {
		db_rollback(c->db);
		return 0;
	}
	if (db_commit(c->db) != 0) {
		ctx_db_error(c);
		db_rollback(c->db);
		return -1;
	}
	return 1;
}

int io_import_orgs(struct ctx *c, FILE *in, const struct io_import_opts *opts, json_t **report)
{
	*report = NULL;
	if (policy_check(c, ACT_ORG_IMPORT, NULL) != 0)
		return -1;
	struct import im = {.c = c, .opts = opts, .errors = json_array(), .row = 1};
	im.total = count_rows(in);
	if (im.total >= 0)
		tell_progress(&im); /* 0 of total: the progress bar can show its length */
	struct csv_reader *r = csv_reader_open(in);
	if (!r) {
		json_decref(im.errors);
		return error_internal(&c->err, "csv_reader_open failed");
	}
	char **f;
	int n = csv_read_record(r, &f);
	int committed = 0;
	if (n <= 0)
		report_error(&im, NULL, NULL, n == 0 ? "io.empty_file" : "io.csv_malformed", 0,
			     n == 0 ? NULL : csv_reader_error(r));
	else
		read_header(&im, f, n);
	if (n > 0 && !im.bad_file)
		committed = run_transaction(&im, r);
	if (im.stopped)
		report_error(&im, NULL, NULL, "io.stopped", 0, NULL);
	if (committed >= 0 && !im.stopped) {
		im.total = im.processed; /* exact now (the counting pass may not have run) */
		tell_progress(&im);
	}
	if (committed >= 0)
		*report = report_json(&im, r, committed);
	json_decref(im.errors);
	csv_reader_close(r);
	return committed < 0 ? -1 : 0;
}
