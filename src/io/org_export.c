/*
 * Export of organizations to CSV and XLSX, in constant memory.
 *
 * Rows are read in keyset pages (id > last ORDER BY id LIMIT 1000) with their fields of work
 * and tags in one more query per page; a page lives in a scratch arena that is dropped before
 * the next. Nothing holds a transaction between pages: a streamed download can last as long
 * as the client reads slowly, and a long read snapshot would keep SQLite from checkpointing.
 * Rows changed during the export appear as they are when their page is read; keyset paging
 * never repeats or skips an organization that exists throughout.
 *
 * The export owns its own database connection (db_open), because a streamed reply is read
 * on MHD's polling threads after the handler returned, and those threads' connections are
 * for their own requests.
 *
 * Why the filters are "(CAST($n AS TEXT) IS NULL OR col = $n)" here while the directory list
 * assembles its SQL: an export walks the primary key anyway (it must return every matching
 * row in id order), so the per-facet indexes would not help, and one fixed text per engine
 * keeps one cached prepared statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>
#include "core/policy.h"
#include "io/io.h"
#include "lib/text.h"
#include "registry/org.h"

enum { PAGE_ROWS = 1000 };

struct export_row {
	int64_t id;
	const char *street;
	const char *cell[IO_NCOLUMNS]; /* as written: labels, 是/否, masked where needed */
};

struct io_export {
	struct ctx_detached *d;  /* own connection, own arena (the current page), copied principal */
	struct io_export_query q; /* strings in `keep` */
	struct arena *keep;
	const char *match;       /* full-text query in the engine's syntax, NULL = no q */
	int empty;               /* q had no searchable word: nothing matches */
	int64_t last_id, rows;
	int done;
	struct export_row *page;
	int npage;
	struct buf pending;      /* CSV bytes not yet handed out */
	size_t pending_pos;
	int header_written;
};

/* ------------------------------------------------------------------ opening */

static int in_codes(const char *const *codes, const char *v)
{
	for (; *codes; codes++)
		if (strcmp(*codes, v) == 0)
			return 1;
	return 0;
}

static int is_division_code(const char *s)
{
	size_t n = strlen(s);
	return n == 12 && strspn(s, "0123456789") == 12;
}

/* Unknown codes are field errors named after the query parameter, like the list's. */
static int check_query(struct ctx *c, const struct io_export_query *q)
{
	if (q->type && !in_codes(org_type_codes, q->type))
		error_field(&c->err, "type", "field.bad_choice", 0);
	if (q->field && !in_codes(org_field_codes, q->field))
		error_field(&c->err, "field", "field.bad_choice", 0);
	if (q->status && !in_codes(org_status_codes, q->status))
		error_field(&c->err, "status", "field.bad_choice", 0);
	if (q->grade && !in_codes(org_grade_codes, q->grade))
		error_field(&c->err, "grade", "field.bad_choice", 0);
	if (q->street && !is_division_code(q->street))
		error_field(&c->err, "street", "field.bad_format", 0);
	if (q->community && !is_division_code(q->community))
		error_field(&c->err, "community", "field.bad_format", 0);
	return error_check(&c->err);
}

static const char *keep_str(struct io_export *e, const char *s)
{
	return s && *s ? arena_strdup(e->keep, s) : NULL;
}

/* The words of q as an FTS5 query ("a" "b") or a tsquery ('a' & 'b'), matching the index
 * tokens the registry writes. Tokens hold only letters, digits and Han (text.h), so quoting
 * them is safe. */
static void prepare_match(struct io_export *e)
{
	char *tokens = NULL;
	if (!e->q.q)
		return;
	if (text_query_tokens(e->q.q, &tokens) <= 0) {
		e->empty = 1;
		free(tokens);
		return;
	}
	int postgres = db_engine(e->d->c.db) == DB_POSTGRES;
	struct buf b = {0};
	for (char *save = NULL, *t = strtok_r(tokens, " ", &save); t;
	     t = strtok_r(NULL, " ", &save))
		buf_printf(&b, postgres ? "%s'%s'" : "%s\"%s\"", b.len ? (postgres ? " & " : " ") : "",
			   t);
	e->match = arena_strdup(e->keep, b.data);
	buf_free(&b);
	free(tokens);
}

struct io_export *io_export_open(struct ctx *c, const struct io_export_query *q)
{
	if (policy_check(c, ACT_ORG_EXPORT, NULL) != 0 || check_query(c, q) != 0)
		return NULL;
	struct io_export *e = xcalloc(1, sizeof *e);
	if (!(e->d = ctx_detach(c))) {
		free(e);
		return NULL;
	}
	e->keep = arena_new();
	e->q = (struct io_export_query){keep_str(e, q->type),   keep_str(e, q->field),
					keep_str(e, q->street), keep_str(e, q->community),
					keep_str(e, q->grade),  keep_str(e, q->status),
					keep_str(e, q->q),      q->archived ? 1 : 0};
	prepare_match(e);
	return e;
}

void io_export_close(struct io_export *e)
{
	if (!e)
		return;
	ctx_detached_free(e->d);
	arena_free(e->keep);
	buf_free(&e->pending);
	free(e);
}

int64_t io_export_rows(const struct io_export *e)
{
	return e->rows;
}

void io_export_filename(int64_t now, enum io_format format, char out[64])
{
	time_t t = (time_t)(now + 8 * 3600); /* the district's calendar */
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 64, "组织名录-%04d%02d%02d.%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 format == IO_XLSX ? "xlsx" : "csv");
}

/* ------------------------------------------------------------------ reading a page */

#define EXPORT_COLUMNS                                                                        \
	"SELECT o.id, o.name, o.short_name, o.credit_code, o.type, o.street_code, "          \
	"o.community_code, o.address, o.legal_representative, o.contact_person, "            \
	"o.contact_phone, o.contact_email, o.founded_on, o.registration_authority, "         \
	"o.supervising_unit, o.staff_count, o.volunteer_count, o.annual_budget, "            \
	"o.has_party_org, o.description, o.status, o.credit_override_reason FROM org o "     \
	"WHERE o.id > $1 AND o.archived = $2 "                                                \
	"AND (CAST($3 AS TEXT) IS NULL OR o.type = $3) "                                      \
	"AND (CAST($4 AS TEXT) IS NULL OR o.street_code = $4) "                               \
	"AND (CAST($5 AS TEXT) IS NULL OR o.community_code = $5) "                            \
	"AND (CAST($6 AS TEXT) IS NULL OR o.current_grade = $6) "                             \
	"AND (CAST($7 AS TEXT) IS NULL OR o.status = $7) "                                    \
	"AND (CAST($8 AS TEXT) IS NULL OR o.id IN (SELECT org_id FROM org_field WHERE field = $8)) "
#define EXPORT_ORDER " ORDER BY o.id LIMIT 1000"

static const char page_sql[] = EXPORT_COLUMNS EXPORT_ORDER;
static const char page_sql_fts[] =
	EXPORT_COLUMNS "AND o.id IN (SELECT rowid FROM org_fts WHERE org_fts MATCH $9)" EXPORT_ORDER;
static const char page_sql_tsquery[] =
	EXPORT_COLUMNS "AND o.search_tokens @@ CAST($9 AS tsquery)" EXPORT_ORDER;

static const char lists_sql[] =
	"SELECT org_id, 0, field FROM org_field WHERE org_id >= $1 AND org_id <= $2 UNION ALL "
	"SELECT org_id, 1, tag FROM org_tag WHERE org_id >= $1 AND org_id <= $2 ORDER BY 1, 2, 3";

/* The text of a cell as exported, for a reader with or without private access. */
static const char *cell_text(struct io_export *e, int col, const char *v, int private_access)
{
	if (!v)
		return NULL;
	if (io_columns[col].privacy == IO_PRIVATE && !private_access)
		return NULL;
	if (io_columns[col].privacy == IO_MASKED && !private_access)
		return org_mask_phone(&e->d->c, v);
	switch (io_columns[col].kind) {
	case IO_TYPE:
	case IO_STATUS: {
		const char *label = org_label(v, LANG_ZH);
		return label ? label : arena_strdup(e->d->c.arena, v);
	}
	case IO_FLAG:
		return strcmp(v, "0") == 0 ? "否" : "是";
	default:
		return arena_strdup(e->d->c.arena, v);
	}
}

static void read_row(struct io_export *e, struct db_stmt *st, struct export_row *row)
{
	row->id = db_col_int(st, 0);
	row->street = arena_strdup(e->d->c.arena, db_col_text(st, 5));
	struct policy_object obj = {row->id, row->street};
	int private_access = policy_allows(&e->d->who, ACT_ORG_READ_PRIVATE, &obj);
	int k = 1;
	for (int col = 0; col < IO_NCOLUMNS; col++) {
		if (io_columns[col].kind == IO_FIELDS || io_columns[col].kind == IO_TAGS)
			continue; /* filled by read_lists */
		row->cell[col] = cell_text(e, col, db_col_text(st, k++), private_access);
	}
}

/* Stores the list collected in `b` (labels for fields) as row's cell `col`. */
static void flush_list(struct io_export *e, struct export_row *row, int col, struct buf *b)
{
	if (row && b->len)
		row->cell[col] = arena_strdup(e->d->c.arena, b->data);
	buf_reset(b);
}

/* Fields of work (as Chinese labels) and tags of the page's organizations, "；"-separated. */
static int read_lists(struct io_export *e)
{
	const int list_col[2] = {io_column_by_field("fields"), io_column_by_field("tags")};
	struct db_stmt *st = db_query(e->d->c.db, lists_sql, "ll", e->page[0].id,
				      e->page[e->npage - 1].id);
	struct buf b = {0};
	struct export_row *row = NULL;
	int i = 0, kind = -1, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		int k = (int)db_col_int(st, 1);
		const char *v = db_col_text(st, 2);
		if (!row || row->id != id || k != kind) {
			flush_list(e, row, list_col[kind < 0 ? 0 : kind], &b);
			while (i < e->npage && e->page[i].id < id)
				i++;
			row = i < e->npage && e->page[i].id == id ? &e->page[i] : NULL;
			kind = k;
		}
		if (!row)
			continue; /* in the id range but not matching the filters */
		const char *label = k == 0 ? org_label(v, LANG_ZH) : NULL;
		buf_printf(&b, "%s%s", b.len ? "；" : "", label ? label : v);
	}
	flush_list(e, row, list_col[kind < 0 ? 0 : kind], &b);
	buf_free(&b);
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(&e->d->c) : 0;
}

/* Reads the next page into e->page. Returns the number of rows, 0 at the end, -1 on error. */
static int next_page(struct io_export *e)
{
	arena_free(e->d->c.arena);
	e->d->c.arena = arena_new();
	e->npage = 0;
	if (e->done || e->empty)
		return 0;
	e->page = arena_alloc(e->d->c.arena, PAGE_ROWS * sizeof *e->page);
	const char *sql = !e->match ? page_sql
			  : db_engine(e->d->c.db) == DB_POSTGRES ? page_sql_tsquery
							       : page_sql_fts;
	struct db_stmt *st = db_prepare(e->d->c.db, sql);
	db_bind_int(st, 1, e->last_id);
	db_bind_int(st, 2, e->q.archived);
	const char *binds[] = {e->q.type, e->q.street, e->q.community, e->q.grade, e->q.status,
			       e->q.field, e->match};
	for (int i = 0; i < (e->match ? 7 : 6); i++)
		db_bind_text(st, 3 + i, binds[i]);
	int rc = DB_DONE;
	while (e->npage < PAGE_ROWS && (rc = db_step(st)) == DB_ROW)
		read_row(e, st, &e->page[e->npage++]);
	db_done(st);
	if (e->npage < PAGE_ROWS && rc == DB_ERROR)
		return ctx_db_error(&e->d->c);
	if (e->npage < PAGE_ROWS)
		e->done = 1;
	if (e->npage == 0)
		return 0;
	e->last_id = e->page[e->npage - 1].id;
	e->rows += e->npage;
	return read_lists(e) == 0 ? e->npage : -1;
}

/* ------------------------------------------------------------------ CSV */

static int to_pending(void *arg, const char *data, size_t len)
{
	buf_append(&((struct io_export *)arg)->pending, data, len);
	return 0;
}

/* Fills e->pending with the next piece of the file: BOM and header first, then a page.
 * Returns 1 when there is something, 0 at the end, -1 on error. */
static int fill_pending(struct io_export *e)
{
	buf_reset(&e->pending);
	e->pending_pos = 0;
	if (!e->header_written) {
		const char *headers[IO_NCOLUMNS];
		for (int i = 0; i < IO_NCOLUMNS; i++)
			headers[i] = io_columns[i].header;
		buf_puts(&e->pending, "\xEF\xBB\xBF"); /* so Excel reads the file as UTF-8 */
		csv_write_record(to_pending, e, headers, IO_NCOLUMNS, 1);
		e->header_written = 1;
		return 1;
	}
	int n = next_page(e);
	if (n <= 0)
		return n;
	for (int i = 0; i < n; i++)
		csv_write_record(to_pending, e, e->page[i].cell, IO_NCOLUMNS, 1);
	return 1;
}

long io_export_csv_read(struct io_export *e, char *out, size_t max)
{
	while (e->pending_pos >= e->pending.len) {
		int rc = fill_pending(e);
		if (rc <= 0)
			return rc;
	}
	return (long)buf_read_at(&e->pending, &e->pending_pos, out, max);
}

/* ------------------------------------------------------------------ XLSX */

static void xlsx_header(lxw_workbook *wb, lxw_worksheet *ws)
{
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (int i = 0; i < IO_NCOLUMNS; i++) {
		worksheet_write_string(ws, 0, (lxw_col_t)i, io_columns[i].header, bold);
		int wide = io_columns[i].kind == IO_TEXT && i != 0 ? 16 : 12;
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i == 0 ? 32 : wide, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
}

/* Text is always written as a string cell: a cell starting with '=' is then shown, never
 * evaluated (libxlsxwriter writes formulas only through worksheet_write_formula). */
static lxw_error xlsx_row(lxw_worksheet *ws, lxw_row_t r, const struct export_row *row)
{
	lxw_error err = LXW_NO_ERROR;
	for (int i = 0; i < IO_NCOLUMNS && !err; i++) {
		const char *v = row->cell[i];
		if (!v || !*v)
			continue;
		if (io_columns[i].kind == IO_NUMBER)
			err = worksheet_write_number(ws, r, (lxw_col_t)i, strtod(v, NULL), NULL);
		else
			err = worksheet_write_string(ws, r, (lxw_col_t)i, v, NULL);
	}
	return err;
}

int io_export_xlsx(struct io_export *e, const char *path, const char **why)
{
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
	lxw_workbook *wb = workbook_new_opt(path, &opts);
	if (!wb) {
		*why = "cannot create the workbook";
		return -1;
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "组织名录");
	xlsx_header(wb, ws);
	lxw_row_t r = 1;
	int n, failed = 0;
	while (!failed && (n = next_page(e)) > 0)
		for (int i = 0; i < n && !failed; i++)
			failed = xlsx_row(ws, r++, &e->page[i]) != LXW_NO_ERROR;
	if (n < 0)
		*why = "database error";
	else if (failed)
		*why = "cannot write a row";
	lxw_error closed = workbook_close(wb);
	if (!failed && n >= 0 && closed != LXW_NO_ERROR)
		*why = lxw_strerror(closed);
	return failed || n < 0 || closed != LXW_NO_ERROR ? -1 : 0;
}
