/*
 * The directory list: GET /api/v1/orgs with filters, full-text search, sorting and paging.
 *
 * Why the SQL is assembled: a static "($n IS NULL OR col = $n)" text would stop both engines
 * from using the per-facet indexes, and at 100,000 organizations the list must come from an
 * index walk. The text is built only from fixed fragments (never from input: values are
 * always bound); the data layer caches statements by text, so each distinct shape gets one
 * prepared statement per connection. There are at most a few hundred shapes.
 *
 * Search: SQLite drives the query from org_fts (MATCH, then join org by rowid; "newest
 * first" is rowid order, which FTS5 returns without a sort); PostgreSQL matches the GIN-indexed
 * org.search_tokens with a tsquery of the same tokens. Every query token must be present.
 */
#include <stdlib.h>
#include <string.h>
#include "core/policy.h"
#include "lib/text.h"
#include "registry/org.h"
#include "registry/org_internal.h"

/* ------------------------------------------------------------------ building the query */

int org_sort_from_name(const char *name)
{
	static const char *const names[] = {"-created", "created", "name", "-name", "grade", "-grade"};
	for (int i = 0; i < 6; i++)
		if (name && strcmp(name, names[i]) == 0)
			return i; /* same order as enum org_sort */
	return -1;
}

enum { LIST_MAX_BINDS = 12 };

struct list_sql {
	struct buf where;
	const char *binds[LIST_MAX_BINDS]; /* text values for $1.. */
	int n;
	int fts;    /* SQLite: FROM org_fts JOIN org */
	int search; /* a full-text search (either engine): the total is capped */
};

/* Appends " AND <head>$n<tail>" binding value as $n; nothing when value is NULL. */
static void add_filter(struct list_sql *l, const char *head, const char *tail, const char *value)
{
	if (!value)
		return;
	l->binds[l->n++] = value;
	buf_printf(&l->where, " AND %s$%d%s", head, l->n, tail);
}

/* The FTS/tsquery text for the query tokens: "a b" -> "\"a\" \"b\"" (FTS5, implicit AND) or
 * "'a' & 'b'" (tsquery). Tokens hold only letters, digits and Han (text.h), so quoting is safe. */
static const char *match_text(struct ctx *c, const char *tokens, int postgres)
{
	struct buf b = {0};
	const char *p = tokens;
	while (*p) {
		const char *end = strchr(p, ' ');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (b.len)
			buf_puts(&b, postgres ? " & " : " ");
		buf_putc(&b, postgres ? '\'' : '"');
		buf_append(&b, p, n);
		buf_putc(&b, postgres ? '\'' : '"');
		p += n + (end ? 1 : 0);
	}
	const char *out = arena_strdup(c->arena, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static const char *order_by(const struct org_list_query *q, int fts)
{
	switch (q->sort) {
	case ORG_SORT_OLDEST:
		return " ORDER BY o.id";
	case ORG_SORT_NAME:
		return " ORDER BY o.name_sort, o.id";
	case ORG_SORT_NAME_DESC:
		return " ORDER BY o.name_sort DESC, o.id DESC";
	/* ungraded organizations last in both directions, the same on both engines */
	case ORG_SORT_GRADE:
		return " ORDER BY o.current_grade IS NULL, o.current_grade, o.id DESC";
	case ORG_SORT_GRADE_DESC:
		return " ORDER BY o.current_grade IS NULL, o.current_grade DESC, o.id DESC";
	case ORG_SORT_NEWEST:
	default:
		return fts ? " ORDER BY org_fts.rowid DESC" : " ORDER BY o.id DESC";
	}
}

/* The index query for a search: the words' tokens and one facet token per filter, all
 * required (see org_facet_token). */
static const char *search_match(struct ctx *c, const struct org_list_query *q, const char *tokens,
				int postgres)
{
	struct buf all = {0};
	for (const char *p = tokens; *p;) {
		size_t n = strcspn(p, " ");
		if (!org_is_reserved_token(p, n)) {
			if (all.len)
				buf_putc(&all, ' ');
			buf_append(&all, p, n);
		}
		p += n + (p[n] == ' ');
	}
	if (all.len == 0) /* only reserved words: they match nothing */
		return NULL;
	org_facet_token(&all, q->archived ? "arch" : "live", "");
	if (q->type)
		org_facet_token(&all, "t", q->type);
	if (q->street)
		org_facet_token(&all, "s", q->street);
	if (q->community)
		org_facet_token(&all, "c", q->community);
	if (q->grade)
		org_facet_token(&all, "g", q->grade);
	if (q->status)
		org_facet_token(&all, "st", q->status);
	if (q->field)
		org_facet_token(&all, "f", q->field);
	const char *m = match_text(c, all.data, postgres);
	buf_free(&all);
	return m;
}

/* Fills the WHERE clause and bindings. Returns 0, or 1 when the query has words but no
 * searchable token (nothing can match). A search puts every filter into the index query;
 * a plain list filters on the per-facet indexes of org. */
static int build_where(struct ctx *c, const struct org_list_query *q, struct list_sql *l)
{
	int postgres = db_engine(c->db) == DB_POSTGRES;
	if (q->q) {
		char *tokens = NULL;
		int n = text_query_tokens(q->q, &tokens);
		if (n <= 0) {
			free(tokens);
			return 1;
		}
		const char *m = search_match(c, q, tokens, postgres);
		free(tokens);
		if (!m)
			return 1;
		l->search = 1;
		buf_puts(&l->where, " WHERE 1 = 1");
		if (postgres) {
			add_filter(l, "o.search_tokens @@ CAST(", " AS tsquery)", m);
		} else {
			l->fts = 1;
			add_filter(l, "org_fts MATCH ", "", m);
		}
		return 0;
	}
	buf_printf(&l->where, " WHERE o.archived = %d", q->archived ? 1 : 0);
	add_filter(l, "o.type = ", "", q->type);
	add_filter(l, "o.street_code = ", "", q->street);
	add_filter(l, "o.community_code = ", "", q->community);
	add_filter(l, "o.current_grade = ", "", q->grade);
	add_filter(l, "o.status = ", "", q->status);
	add_filter(l, "o.id IN (SELECT org_id FROM org_field WHERE field = ", ")", q->field);
	return 0;
}

static const char *from_clause(const struct list_sql *l)
{
	/* CROSS JOIN makes SQLite drive the join from the index; left to itself it may walk
	 * org by (archived, id) and evaluate MATCH per row: seconds instead of milliseconds */
	return l->fts ? " FROM org_fts CROSS JOIN org o ON o.id = org_fts.rowid" : " FROM org o";
}

/* The unfiltered directory (every page view of the list) is counted by the precomputed
 * counters that org_stats.c keeps in every write's transaction, not by walking 100,000 index
 * entries. Filtered lists count through their facet index. -1 when filtered. */
static int64_t counted_total(struct ctx *c, const struct org_list_query *q)
{
	if (q->q || q->type || q->field || q->street || q->community || q->grade || q->status)
		return -1;
	return db_int(c->db, -1,
		      "SELECT n FROM org_counter WHERE dimension = 'all' AND key = '' AND "
		      "archived = $1",
		      "i", q->archived ? 1 : 0);
}

/* Totals of a search are exact up to this many; beyond, the answer says "at least" (a common
 * two-character word matches most of a district, and counting every match of it costs more
 * than the page itself). */
enum { SEARCH_COUNT_CAP = 1000 };

static int64_t count_rows(struct ctx *c, struct list_sql *l)
{
	struct buf sql = {0};
	/* a search counts in the index alone: every filter is in the MATCH */
	if (l->fts)
		buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 FROM org_fts%s LIMIT %d) AS m",
			   l->where.data, SEARCH_COUNT_CAP + 1);
	else if (l->search)
		buf_printf(&sql, "SELECT count(*) FROM (SELECT 1%s%s LIMIT %d) AS m", from_clause(l),
			   l->where.data, SEARCH_COUNT_CAP + 1);
	else
		buf_printf(&sql, "SELECT count(*)%s%s", from_clause(l), l->where.data);
	struct db_stmt *st = db_prepare(c->db, sql.data);
	buf_free(&sql);
	for (int i = 0; i < l->n; i++)
		db_bind_text(st, i + 1, l->binds[i]);
	int rc = db_step(st);
	int64_t total = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (rc != DB_ROW)
		ctx_db_error(c);
	return total;
}

/* ------------------------------------------------------------------ the page */

static json_t *item_json(struct db_stmt *st, json_t **fields_out)
{
	json_t *o = json_object();
	static const char *const names[] = {"id", "name", "short_name", "credit_code", "type",
					    "street_code", "street_name", "community_code",
					    "community_name", "current_grade", "status", "created_at"};
	for (int i = 0; i < 12; i++) {
		json_t *v;
		if (db_col_isnull(st, i))
			v = json_null();
		else if (i == 0 || i == 11)
			v = json_integer(db_col_int(st, i));
		else
			v = json_string(db_col_text(st, i));
		json_object_set_new(o, names[i], v);
	}
	json_object_set_new(o, "archived", json_boolean(db_col_int(st, 12)));
	*fields_out = json_array();
	json_object_set(o, "fields", *fields_out);
	return o;
}

/* Fills each item's fields with one query for the whole page. */
static int page_fields(struct ctx *c, json_t *items, json_t **field_arrays, int n)
{
	if (n == 0)
		return 0;
	struct buf sql = {0};
	buf_puts(&sql, "SELECT org_id, field FROM org_field WHERE org_id IN (");
	for (int i = 0; i < n; i++)
		buf_printf(&sql, i ? ", $%d" : "$%d", i + 1);
	buf_puts(&sql, ") ORDER BY org_id, field");
	struct db_stmt *st = db_prepare(c->db, sql.data);
	buf_free(&sql);
	for (int i = 0; i < n; i++)
		db_bind_int(st, i + 1, json_integer_value(json_object_get(json_array_get(items, i), "id")));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		for (int i = 0; i < n; i++)
			if (json_integer_value(json_object_get(json_array_get(items, i), "id")) == id)
				json_array_append_new(field_arrays[i], json_string(db_col_text(st, 1)));
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

static json_t *fetch_page(struct ctx *c, const struct org_list_query *q, struct list_sql *l)
{
	struct buf sql = {0};
	buf_printf(&sql,
		   "SELECT o.id, o.name, o.short_name, o.credit_code, o.type, o.street_code, "
		   "ds.name, o.community_code, dc.name, o.current_grade, o.status, o.created_at, "
		   "o.archived%s LEFT JOIN division ds ON ds.code = o.street_code "
		   "LEFT JOIN division dc ON dc.code = o.community_code%s%s LIMIT $%d OFFSET $%d",
		   from_clause(l), l->where.data, order_by(q, l->fts), l->n + 1, l->n + 2);
	struct db_stmt *st = db_prepare(c->db, sql.data);
	buf_free(&sql);
	for (int i = 0; i < l->n; i++)
		db_bind_text(st, i + 1, l->binds[i]);
	db_bind_int(st, l->n + 1, q->per_page);
	db_bind_int(st, l->n + 2, (q->page - 1) * q->per_page);
	json_t *items = json_array();
	json_t *field_arrays[100];
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < 100) {
		json_array_append_new(items, item_json(st, &field_arrays[n]));
		n++;
	}
	db_done(st);
	if (rc == DB_ERROR || page_fields(c, items, field_arrays, n) != 0) {
		for (int i = 0; i < n; i++)
			json_decref(field_arrays[i]);
		json_decref(items);
		if (rc == DB_ERROR)
			ctx_db_error(c);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		json_decref(field_arrays[i]);
	return items;
}

json_t *org_list_json(struct ctx *c, const struct org_list_query *q)
{
	if (policy_check(c, ACT_ORG_READ, NULL) != 0)
		return NULL;
	struct list_sql l = {0};
	json_t *items = NULL;
	int64_t total = 0;
	if (build_where(c, q, &l) == 0) {
		total = l.search ? -1 : counted_total(c, q);
		if (total < 0)
			total = count_rows(c, &l);
		items = total < 0 ? NULL : total == 0 ? json_array() : fetch_page(c, q, &l);
	} else {
		items = json_array();
	}
	buf_free(&l.where);
	if (!items)
		return NULL;
	int capped = l.search && total > SEARCH_COUNT_CAP;
	if (capped)
		total = SEARCH_COUNT_CAP;
	return json_pack("{s:o, s:I, s:b, s:I, s:I}", "items", items, "total", (json_int_t)total,
			 "total_exact", !capped, "page", (json_int_t)q->page, "per_page",
			 (json_int_t)q->per_page);
}
