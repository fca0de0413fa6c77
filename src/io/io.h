/*
 * Import and export of organizations: the domain API (no HTTP here). Used by io_api.c (the
 * import jobs and the export download) and by `tongxin import` / `tongxin export`.
 *
 * The spreadsheet columns are described once (io_columns.c): the importer reads a header row
 * by those Chinese headers (or the JSON field names), the exporter writes the same headers,
 * so an exported file imports again unchanged.
 *
 * Import rules live in the registry: every row becomes a JSON object that goes through
 * org_input_from_json() and org_create_in_tx(), exactly like the web form, inside ONE write
 * transaction for the whole file (all or nothing).
 */
#ifndef TONGXIN_IO_IO_H
#define TONGXIN_IO_IO_H
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include "core/ctx.h"
#include "lib/csv.h"

/* ------------------------------------------------------------------ columns (io_columns.c) */

enum io_cell_kind {
	IO_TEXT,   /* free text, copied as it is */
	IO_TYPE,   /* organization type: Chinese/English label or code */
	IO_STATUS, /* status: label or code */
	IO_FIELDS, /* fields of work: a list of labels or codes */
	IO_TAGS,   /* free tags: a list */
	IO_NUMBER, /* whole number (thousands separators and ".00" accepted) */
	IO_FLAG,   /* 是/否, yes/no, true/false, 1/0 */
	IO_DATE,   /* YYYY-MM-DD; YYYY/M/D, YYYY.M.D and YYYY年M月D日 are converted */
};

enum io_privacy {
	IO_PUBLIC,  /* everyone who may export sees it */
	IO_PRIVATE, /* blank without ACT_ORG_READ_PRIVATE for the organization */
	IO_MASKED,  /* masked (138****5678) without ACT_ORG_READ_PRIVATE */
};

struct io_column {
	const char *header; /* the Chinese header, as exported */
	const char *field;  /* the JSON field name of org_input_fields, also accepted as header */
	enum io_cell_kind kind;
	enum io_privacy privacy;
};

enum { IO_NCOLUMNS = 23 };
extern const struct io_column io_columns[IO_NCOLUMNS];

/* The column whose header (Chinese, or JSON name; surrounding spaces and full/half-width
 * brackets ignored) is `header`; -1 if none. */
int io_column_by_header(const char *header);
/* The column of a JSON field name; -1 if none. */
int io_column_by_field(const char *field);

/* Converts one spreadsheet cell of column `col` into the JSON value org_input_from_json()
 * expects (labels -> codes, 是/否 -> boolean, "1,000" -> 1000, 2024/3/5 -> "2024-03-05",
 * "a；b、c" -> ["a","b","c"]). A value that cannot be converted is passed on as a string, so
 * the registry's validation reports it with its own message. NULL for an empty cell (the
 * field is then not sent). New reference. */
json_t *io_cell_to_json(int col, const char *cell);

/* ------------------------------------------------------------------ import (org_import.c) */

/* Called every IO_PROGRESS_EVERY rows and at the end; return nonzero to stop the import (it
 * then rolls back and reports "stopped"). `total` is the number of data rows in the file. */
typedef int (*io_progress_fn)(void *arg, int64_t processed, int64_t total);
enum { IO_PROGRESS_EVERY = 1000, IO_MAX_REPORTED_ERRORS = 1000 };

struct io_import_opts {
	int dry_run;            /* run everything, then roll back */
	io_progress_fn progress; /* may be NULL */
	void *progress_arg;
};

/*
 * Imports organizations from a CSV file (UTF-8 with or without BOM, or GB18030). Needs
 * ACT_ORG_IMPORT; each row is created as c->who (ACT_ORG_CREATE for its street). The whole
 * file runs in one write transaction on c->db, committed only when every row is valid and it
 * is not a dry run. `in` is read twice when it is seekable (once to count rows for progress).
 *
 * Returns 0 with *report = {dry_run, total_rows, valid_rows, imported, encoding, stopped,
 * errors: [{row, column, field, message}], errors_omitted} (new reference; rows counted as a
 * spreadsheet does, header = row 1; messages in c->lang). Row and file errors are part of a
 * successful report (imported = 0). Returns -1 with c->err for refusals (403) and database
 * failures; *report is then NULL.
 * c->arena is used for the whole import only for small things: each row runs in a scratch
 * arena, so memory does not grow with the file.
 */
int io_import_orgs(struct ctx *c, FILE *in, const struct io_import_opts *opts, json_t **report);

/* ------------------------------------------------------------------ jobs (import_job.c) */

/*
 * Starts importing `data` (a malloc'd file of `len` bytes; this function takes it and frees
 * it, also on failure) on a background thread in a detached context (ctx_detach), as c->who.
 * Records the job in import_job. Returns 0 and *id, or -1 with c->err: E_CONFLICT when this
 * process already runs an import, a database error otherwise.
 */
int io_job_start(struct ctx *c, char *data, size_t len, int dry_run,
		 int64_t *id);

/* {id, status: running|done|failed, dry_run, processed, total, report, created_at,
 * finished_at} for the job's owner or an administrator (else E_NOT_FOUND). processed/total
 * are live while this process runs the job, null when another instance runs it. */
json_t *io_job_json(struct ctx *c, int64_t id);

/* Stops a running import (it rolls back) and waits for its thread. Registered with atexit
 * when the first job starts; safe to call more than once. */
void io_jobs_shutdown(void);

/* ------------------------------------------------------------------ export (org_export.c) */

struct io_export_query {
	const char *type, *field, *street, *community, *grade, *status; /* NULL = any */
	const char *q;  /* full-text words (same matching as the directory list), NULL = none */
	int archived;   /* 0: current organizations, 1: archived ones */
};

enum io_format { IO_CSV, IO_XLSX };

struct io_export; /* opaque */

/*
 * Starts an export for c->who (ACT_ORG_EXPORT) in a detached context (ctx_detach: its own
 * connection, so it can outlive the request that started it, a streamed download; the
 * principal and language are copied). Filter values are validated (unknown type etc. -> 422 with field
 * errors in c->err). Returns NULL with c->err on refusal or failure. Free with
 * io_export_close().
 */
struct io_export *io_export_open(struct ctx *c, const struct io_export_query *q);

/*
 * CSV: fills up to `max` bytes of the file (UTF-8 BOM, the header row, then the rows in id
 * order, read 1,000 at a time; text cells starting with = + - @ TAB CR get a leading ').
 * Returns the number of bytes (> 0), 0 at the end, or -1 on a database error. Memory stays
 * constant whatever the number of rows.
 */
long io_export_csv_read(struct io_export *e, char *buf, size_t max);

/*
 * XLSX: writes the whole workbook to `path` (libxlsxwriter in constant_memory mode, so memory
 * does not grow with the rows; every text cell is written as a string, never a formula).
 * Returns 0, or -1 (message in *why, static English).
 */
int io_export_xlsx(struct io_export *e, const char *path, const char **why);

/* Number of organizations written so far. */
int64_t io_export_rows(const struct io_export *e);

/* Closes the export's connection and frees it (NULL allowed). */
void io_export_close(struct io_export *e);

/* The download name: "组织名录-YYYYMMDD.csv" (.xlsx), the date in the district (UTC+8). */
void io_export_filename(int64_t now, enum io_format format, char out[64]);

#endif
