/*
 * The resource and needs lists: filters, Chinese full-text search (the registry's tokens:
 * one- and two-character words work on both engines), paging, sorting; and the streamed
 * CSV/XLSX export of the same selection.
 *
 * Why fixed SQL texts with "(CAST($n AS TEXT) IS NULL OR col = $n)": the lists hold tens of
 * thousands of items at most, each filter keeps one cached statement per engine and sort, and
 * a search narrows the rows through the FTS5 table / GIN index first. Visibility is part of
 * every query: an item is listed when its rank is within the reader's (public 0, district 1,
 * staff 2) or it belongs to one of the reader's organizations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>
#include "core/json_rows.h"
#include "core/policy.h"
#include "lib/csv.h"
#include "lib/text.h"
#include "registry/org.h"
#include "resources/resources.h"

#define L_COLS                                                                                \
	"SELECT i.id, i.kind, i.org_id, o.name AS org_name, i.title, i.category, i.quantity, "   \
	"i.remaining, i.unit, i.street_code, ds.name AS street_name, i.community_code, "         \
	"i.visibility, i.status, i.start_at, i.end_at, i.created_at "
#define L_SPEC "lslsssllsssssslll"
#define L_FROM                                                                                \
	"FROM res_item i JOIN org o ON o.id = i.org_id "                                         \
	"LEFT JOIN division ds ON ds.code = i.street_code "
#define L_WHERE                                                                               \
	"WHERE i.kind = $1 AND (CAST($2 AS TEXT) IS NULL OR i.category = $2) "                    \
	"AND (CAST($3 AS TEXT) IS NULL OR i.id IN (SELECT item_id FROM res_item_field "         \
	"WHERE field = $3)) AND (CAST($4 AS TEXT) IS NULL OR i.street_code = $4) "               \
	"AND (CAST($5 AS TEXT) IS NULL OR i.community_code = $5) "                               \
	"AND (CAST($6 AS TEXT) IS NULL OR i.status = $6) "                                       \
	"AND (CAST($7 AS TEXT) IS NULL OR i.visibility = $7) "                                   \
	"AND (CAST($8 AS BIGINT) = 0 OR i.org_id = $8) "                                         \
	"AND (CAST($9 AS TEXT) IS NULL OR i.unit = $9) "                                         \
	"AND (i.vis_rank <= CAST($10 AS BIGINT) OR CAST($11 AS TEXT) LIKE "                      \
	"'%,' || CAST(i.org_id AS TEXT) || ',%') "
#define L_FTS "AND i.id IN (SELECT rowid FROM res_item_fts WHERE res_item_fts MATCH $12) "
#define L_TSQ "AND i.search_tokens @@ CAST($12 AS tsquery) "
#define SORTS(pre, page)                                                                      \
	{pre "ORDER BY i.id DESC" page, pre "ORDER BY i.id" page,                                \
	 pre "ORDER BY i.quantity DESC, i.id DESC" page,                                          \
	 pre "ORDER BY i.end_at IS NULL, i.end_at, i.id" page}

static const char *const sort_names[] = {"-created", "created", "-quantity", "end", NULL};
/* [mode: plain, fts5, tsquery][sort] */
static const char *const list_sql[3][4] = {
	SORTS(L_COLS L_FROM L_WHERE, " LIMIT $12 OFFSET $13"),
	SORTS(L_COLS L_FROM L_WHERE L_FTS, " LIMIT $13 OFFSET $14"),
	SORTS(L_COLS L_FROM L_WHERE L_TSQ, " LIMIT $13 OFFSET $14"),
};
static const char *const count_sql[3] = {
	"SELECT count(*) " L_FROM L_WHERE,
	"SELECT count(*) " L_FROM L_WHERE L_FTS,
	"SELECT count(*) " L_FROM L_WHERE L_TSQ,
};

static int in_codes(const char *const *codes, const char *v)
{
	for (; *codes; codes++)
		if (strcmp(*codes, v) == 0)
			return 1;
	return 0;
}

static int is_division(const char *s)
{
	return strlen(s) == 12 && strspn(s, "0123456789") == 12;
}

int res_list_check(struct ctx *c, const struct res_list_query *q)
{
	const struct {
		const char *name, *value;
		const char *const *codes;
	} choices[] = {
		{"category", q->category, res_category_codes}, {"field", q->field, org_field_codes},
		{"status", q->status, res_status_codes},       {"visibility", q->visibility,
								 res_visibility_codes},
		{"unit", q->unit, res_unit_codes},             {"sort", q->sort, sort_names},
	};
	for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
		if (choices[i].value && !in_codes(choices[i].codes, choices[i].value))
			error_field(&c->err, choices[i].name, "field.bad_choice", 0);
	if (q->street && !is_division(q->street))
		error_field(&c->err, "street", "field.bad_format", 0);
	if (q->community && !is_division(q->community))
		error_field(&c->err, "community", "field.bad_format", 0);
	return error_check(&c->err);
}

/* The MATCH/tsquery text: the words' tokens and the kind's facet. NULL when q has no
 * searchable word (nothing matches). */
static const char *search_text(struct ctx *c, const struct res_list_query *q)
{
	char *tokens = NULL;
	if (text_query_tokens(q->q, &tokens) <= 0) {
		free(tokens);
		return NULL;
	}
	struct buf all = {0};
	for (const char *p = tokens; *p;) {
		size_t n = strcspn(p, " ");
		if (n && !(n >= 2 && p[0] == 'x' && p[1] == 'q')) {
			if (all.len)
				buf_putc(&all, ' ');
			buf_append(&all, p, n);
		}
		p += n + (p[n] == ' ');
	}
	free(tokens);
	if (!all.len)
		return NULL;
	res_facet_token(&all, "k", q->kind);
	const char *m = res_match_text(c, all.data);
	buf_free(&all);
	return m;
}

static void bind_filters(struct ctx *c, struct db_stmt *st, const struct res_list_query *q,
			 const char *match)
{
	const char *texts[] = {q->kind,   q->category,   q->field, q->street,
			       q->community, q->status, q->visibility};
	for (int i = 0; i < 7; i++)
		db_bind_text(st, i + 1, texts[i]);
	db_bind_int(st, 8, q->org_id);
	db_bind_text(st, 9, q->unit);
	db_bind_int(st, 10, res_visibility_rank(c));
	db_bind_text(st, 11, res_own_orgs(c));
	if (match)
		db_bind_text(st, 12, match);
}

static int sort_index(const char *sort)
{
	for (int i = 0; sort && sort_names[i]; i++)
		if (strcmp(sort_names[i], sort) == 0)
			return i;
	return 0;
}

json_t *res_list_json(struct ctx *c, const struct res_list_query *q)
{
	if (c->who->user_id == PRINCIPAL_ANONYMOUS) {
		error_set(&c->err, E_UNAUTHENTICATED, NULL);
		return NULL;
	}
	if (res_list_check(c, q) != 0)
		return NULL;
	json_t *items = json_array();
	int64_t total = 0;
	const char *match = q->q ? search_text(c, q) : NULL;
	if (!q->q || match) {
		int mode = !match ? 0 : db_engine(c->db) == DB_POSTGRES ? 2 : 1;
		struct db_stmt *st = db_prepare(c->db, count_sql[mode]);
		bind_filters(c, st, q, match);
		int rc = db_step(st);
		total = rc == DB_ROW ? db_col_int(st, 0) : -1;
		db_done(st);
		if (rc != DB_ROW) {
			json_decref(items);
			return ctx_db_error(c), NULL;
		}
		st = db_prepare(c->db, list_sql[mode][sort_index(q->sort)]);
		bind_filters(c, st, q, match);
		db_bind_int(st, match ? 13 : 12, q->per_page);
		db_bind_int(st, match ? 14 : 13, (q->page - 1) * q->per_page);
		while ((rc = db_step(st)) == DB_ROW)
			json_array_append_new(items, json_row(st, L_SPEC));
		db_done(st);
		if (rc == DB_ERROR) {
			json_decref(items);
			return ctx_db_error(c), NULL;
		}
	}
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)q->page, "per_page", (json_int_t)q->per_page);
}

/* ------------------------------------------------------------------ export */

enum { EXPORT_PAGE = 500, EXPORT_COLS = 18 };

static const char *const export_headers[EXPORT_COLS] = {
	"编号", "类型", "标题", "组织", "类别", "领域", "数量", "剩余数量", "单位",
	"街道", "社区", "开始日期", "结束日期", "状态", "可见范围", "联系人", "联系电话", "说明"};

#define X_COLS                                                                                \
	"SELECT i.id, i.kind, i.title, o.name, i.category, '', i.quantity, i.remaining, i.unit, " \
	"ds.name, dc.name, i.start_at, i.end_at, i.status, i.visibility, i.contact_name, "        \
	"i.contact_phone, i.description, i.org_id, i.street_code FROM res_item i "                \
	"JOIN org o ON o.id = i.org_id LEFT JOIN division ds ON ds.code = i.street_code "         \
	"LEFT JOIN division dc ON dc.code = i.community_code "
/* the last id read is the parameter after the filters: $12 plain, $13 after a search's $12 */
#define X_PAGE(n) " AND i.id > $" n " ORDER BY i.id LIMIT 500"
static const char *const export_sql[3] = {
	X_COLS L_WHERE X_PAGE("12"),
	X_COLS L_WHERE L_FTS X_PAGE("13"),
	X_COLS L_WHERE L_TSQ X_PAGE("13"),
};

struct res_export {
	struct ctx_detached *d; /* own connection and arena, copied principal */
	struct arena *keep;
	struct res_list_query q;
	const char *match;
	int mode, empty, done, header_written;
	int64_t last_id;
	const char *(*page)[EXPORT_COLS];
	int npage;
	struct buf pending;
	size_t pending_pos;
};

static const char *keep(struct res_export *e, const char *s)
{
	return s ? arena_strdup(e->keep, s) : NULL;
}

struct res_export *res_export_open(struct ctx *c, const struct res_list_query *q)
{
	if (policy_check(c, ACT_RES_EXPORT, NULL) != 0 || res_list_check(c, q) != 0)
		return NULL;
	struct res_export *e = xcalloc(1, sizeof *e);
	if (!(e->d = ctx_detach(c))) {
		free(e);
		return NULL;
	}
	e->keep = arena_new();
	e->q = (struct res_list_query){keep(e, q->kind),      keep(e, q->category),
				       keep(e, q->field),     keep(e, q->street),
				       keep(e, q->community), keep(e, q->status),
				       keep(e, q->visibility), keep(e, q->unit),
				       q->org_id,             keep(e, q->q),
				       NULL,                  1,
				       EXPORT_PAGE};
	if (e->q.q) {
		struct ctx tmp = e->d->c;
		tmp.arena = e->keep;
		e->match = search_text(&tmp, &e->q);
		e->empty = !e->match;
	}
	e->mode = !e->match ? 0 : db_engine(e->d->c.db) == DB_POSTGRES ? 2 : 1;
	return e;
}

void res_export_close(struct res_export *e)
{
	if (!e)
		return;
	ctx_detached_free(e->d);
	arena_free(e->keep);
	buf_free(&e->pending);
	free(e);
}

static const char *date_of(struct arena *a, struct db_stmt *st, int col)
{
	if (db_col_isnull(st, col))
		return NULL;
	time_t t = (time_t)(db_col_int(st, col) + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void read_export_row(struct res_export *e, struct db_stmt *st, const char **row)
{
	struct arena *a = e->d->c.arena;
	struct policy_object obj = {db_col_int(st, 18), db_col_text(st, 19)};
	int contact = policy_allows(&e->d->who, ACT_RES_READ_CONTACT, &obj);
	for (int i = 0; i < EXPORT_COLS; i++) {
		const char *v = db_col_text(st, i);
		const char *label = res_label(v, LANG_ZH);
		if (i == 11 || i == 12)
			row[i] = date_of(a, st, i);
		else if (i == 1 || i == 4 || i == 8 || i == 13 || i == 14)
			row[i] = label ? label : v ? arena_strdup(a, v) : NULL;
		else if (i == 16 && v && !contact)
			row[i] = org_mask_phone(&e->d->c, v);
		else
			row[i] = v ? arena_strdup(a, v) : NULL;
	}
}

/* Fields of work (Chinese labels, "；"-joined) of the page's items. */
static int read_fields(struct res_export *e)
{
	struct db_stmt *st = db_query(e->d->c.db,
				      "SELECT item_id, field FROM res_item_field WHERE item_id >= $1 "
				      "AND item_id <= $2 ORDER BY item_id, field",
				      "ll", atoll(e->page[0][0]), atoll(e->page[e->npage - 1][0]));
	int rc, k = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		while (k < e->npage && atoll(e->page[k][0]) < id)
			k++;
		if (k >= e->npage || atoll(e->page[k][0]) != id)
			continue;
		const char *label = org_label(db_col_text(st, 1), LANG_ZH);
		const char *was = e->page[k][5];
		e->page[k][5] = arena_printf(e->d->c.arena, "%s%s%s", was && *was ? was : "",
					     was && *was ? "；" : "", label ? label : "");
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(&e->d->c) : 0;
}

static int next_page(struct res_export *e)
{
	arena_free(e->d->c.arena);
	e->d->c.arena = arena_new();
	e->npage = 0;
	if (e->done || e->empty)
		return 0;
	e->page = arena_alloc(e->d->c.arena, EXPORT_PAGE * sizeof *e->page);
	struct db_stmt *st = db_prepare(e->d->c.db, export_sql[e->mode]);
	bind_filters(&e->d->c, st, &e->q, e->match);
	db_bind_int(st, e->match ? 13 : 12, e->last_id);
	int rc = DB_DONE;
	while (e->npage < EXPORT_PAGE && (rc = db_step(st)) == DB_ROW)
		read_export_row(e, st, e->page[e->npage++]);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(&e->d->c);
	if (e->npage < EXPORT_PAGE)
		e->done = 1;
	if (e->npage == 0)
		return 0;
	e->last_id = atoll(e->page[e->npage - 1][0]);
	return read_fields(e) == 0 ? e->npage : -1;
}

static int to_pending(void *arg, const char *data, size_t len)
{
	buf_append(&((struct res_export *)arg)->pending, data, len);
	return 0;
}

long res_export_csv_read(struct res_export *e, char *out, size_t max)
{
	while (e->pending_pos >= e->pending.len) {
		buf_reset(&e->pending);
		e->pending_pos = 0;
		if (!e->header_written) {
			buf_puts(&e->pending, "\xEF\xBB\xBF");
			csv_write_record(to_pending, e, export_headers, EXPORT_COLS, 1);
			e->header_written = 1;
			continue;
		}
		int n = next_page(e);
		if (n <= 0)
			return n;
		for (int i = 0; i < n; i++)
			csv_write_record(to_pending, e, e->page[i], EXPORT_COLS, 1);
	}
	return (long)buf_read_at(&e->pending, &e->pending_pos, out, max);
}

int res_export_xlsx(struct res_export *e, const char *path, const char **why)
{
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
	lxw_workbook *wb = workbook_new_opt(path, &opts);
	if (!wb) {
		*why = "cannot create the workbook";
		return -1;
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, strcmp(e->q.kind, "need") == 0 ? "需求清单"
										     : "资源清单");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (int i = 0; i < EXPORT_COLS; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, export_headers[i], bold);
	worksheet_set_column(ws, 2, 3, 28, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	lxw_row_t r = 1;
	int n, failed = 0;
	while (!failed && (n = next_page(e)) > 0)
		for (int i = 0; i < n && !failed; i++, r++)
			for (int k = 0; k < EXPORT_COLS && !failed; k++) {
				const char *v = e->page[i][k];
				if (!v || !*v)
					continue;
				failed = (k == 0 || k == 6 || k == 7
						  ? worksheet_write_number(ws, r, (lxw_col_t)k,
									   strtod(v, NULL), NULL)
						  : worksheet_write_string(ws, r, (lxw_col_t)k, v,
									   NULL)) != LXW_NO_ERROR;
			}
	if (n < 0)
		*why = "database error";
	else if (failed)
		*why = "cannot write a row";
	lxw_error closed = workbook_close(wb);
	if (!failed && n >= 0 && closed != LXW_NO_ERROR)
		*why = lxw_strerror(closed);
	return failed || n < 0 || closed != LXW_NO_ERROR ? -1 : 0;
}
