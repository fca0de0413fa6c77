/*
 * Post search, the registry's way (src/registry/org.c, org_list.c; text.h): a post is indexed
 * as text_index_tokens() of its thread title (first post only) and body — every Han character
 * and every Han bigram, Latin words — so one- and two-character Chinese words are found on
 * both engines. SQLite keeps the tokens in the FTS5 table post_fts (rowid = post id);
 * PostgreSQL in post.search_tokens (a tsvector built with array_to_tsvector, GIN-indexed).
 *
 * Visibility: each entry carries a facet token "xqb<board id>". A caller who may see every
 * board gets no board term at all; otherwise the query excludes the boards they may not see
 * (NOT ...) or, when those are the majority, requires one of the boards they may see (OR ...),
 * whichever list is shorter — restricted boards are few, so usually a short NOT. Hidden posts
 * (rare) are filtered by a join on post and thread rather than by an index term: an "is
 * visible" term would match nearly every post, and intersecting with it doubled the p99 at
 * 200,000 posts. Deleted posts are not indexed at all. Words typed as "xq..." are dropped from
 * documents and queries so text cannot pose as a facet.
 */
#include <stdlib.h>
#include <string.h>
#include "boards/boards.h"
#include "boards/boards_internal.h"
#include "lib/text.h"

/*
 * TOTAL_CAP: a search counts its matches only up to here ("more than 200" beyond). Counting is
 * the expensive half of a search for a common word: PostgreSQL tests the tsquery row by row until
 * the cap (measured at 200,000 posts: a cap of 1,000 cost about 15 ms a search, most of the p99),
 * and nobody pages through more than ten pages of a search — they refine the words instead.
 */
enum { TOKEN_MAX_BYTES = 100, TOTAL_CAP = 200 };

static int reserved(const char *p, size_t n)
{
	return n >= 2 && p[0] == 'x' && p[1] == 'q';
}

/* Appends the tokens of `tokens` that are neither too long nor reserved. */
static void put_tokens(struct buf *out, const char *tokens)
{
	for (const char *p = tokens; *p;) {
		size_t n = strcspn(p, " ");
		if (n > 0 && n <= TOKEN_MAX_BYTES && !reserved(p, n)) {
			if (out->len)
				buf_putc(out, ' ');
			buf_append(out, p, n);
		}
		p += n + (p[n] == ' ');
	}
}

static const char sql_post_for_index[] =
	"SELECT p.body, p.board_id, 0, p.deleted, 0, t.deleted, t.title, "
	"(SELECT min(id) FROM post WHERE thread_id = p.thread_id) FROM post p "
	"JOIN thread t ON t.id = p.thread_id WHERE p.id = $1";

int post_index_in_tx(struct ctx *c, int64_t post_id)
{
	struct db_stmt *st = db_query(c->db, sql_post_for_index, "l", post_id);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return ctx_db_error(c);
	}
	struct buf text = {0};
	int first = db_col_int(st, 7) == post_id;
	if (first)
		buf_printf(&text, "%s\n", db_col_text(st, 6));
	buf_puts(&text, db_col_text(st, 0));
	int64_t board = db_col_int(st, 1);
	int gone = db_col_int(st, 3) || db_col_int(st, 5);
	db_done(st);
	char *tokens = NULL;
	int rc = gone ? 0 : text_index_tokens(text.data ? text.data : "", &tokens);
	buf_free(&text);
	if (rc != 0)
		return error_internal(&c->err, "text_index_tokens failed for post %lld",
				      (long long)post_id);
	struct buf all = {0};
	if (!gone) {
		put_tokens(&all, tokens);
		buf_printf(&all, "%sxqb%lld", all.len ? " " : "", (long long)board);
	}
	free(tokens);
	int64_t n;
	if (db_engine(c->db) == DB_SQLITE) {
		n = db_run(c->db, "DELETE FROM post_fts WHERE rowid = $1", "l", post_id);
		if (n >= 0 && !gone)
			n = db_run(c->db, "INSERT INTO post_fts (rowid, tokens) VALUES ($1, $2)", "ls",
				   post_id, all.data);
	} else {
		n = db_run(c->db,
			   "UPDATE post SET search_tokens = CASE WHEN CAST($2 AS TEXT) = '' THEN NULL ELSE "
			   "array_to_tsvector(string_to_array(CAST($2 AS TEXT), ' ')) END WHERE id = $1",
			   "ls", post_id, all.data ? all.data : "");
	}
	buf_free(&all);
	return n < 0 ? ctx_db_error(c) : 0;
}

/* FTS5: "a" AND "b" AND ("xqb1" OR "xqb2") or ... NOT ("xqb3"); tsquery: 'a' & 'b' &
 * ('xqb1' | 'xqb2') or ... & !('xqb3'). (FTS5 has no implicit AND before a parenthesized
 * group.) Tokens hold only letters, digits and Han (text.h), so quoting is safe. */
static void put_term(struct buf *b, const char *t, size_t n, int pg)
{
	if (b->len)
		buf_puts(b, pg ? " & " : " AND ");
	buf_putc(b, pg ? '\'' : '"');
	buf_append(b, t, n);
	buf_putc(b, pg ? '\'' : '"');
}

static void put_boards(struct buf *b, const int64_t *ids, int n, int negate, int pg)
{
	if (negate)
		buf_puts(b, pg ? " & !(" : " NOT (");
	else
		buf_puts(b, pg ? " & (" : " AND (");
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s%cxqb%lld%c", i ? (pg ? " | " : " OR ") : "", pg ? '\'' : '"',
			   (long long)ids[i], pg ? '\'' : '"');
	buf_putc(b, ')');
}

/* Boards the caller may not see (arena array). 0 or -1. */
static int hidden_boards(struct ctx *c, const int64_t *visible, int nvisible, int64_t **out,
			 int *n)
{
	int64_t total = db_int(c->db, -1, "SELECT count(*) FROM board", "");
	if (total < 0)
		return ctx_db_error(c);
	*out = arena_alloc(c->arena, (size_t)(total + 1) * sizeof **out);
	*n = 0;
	struct db_stmt *st = db_query(c->db, "SELECT id FROM board ORDER BY id", "");
	int i = 0;
	while (db_step(st) == DB_ROW && *n <= total) {
		int64_t id = db_col_int(st, 0);
		while (i < nvisible && visible[i] < id)
			i++;
		if (i >= nvisible || visible[i] != id)
			(*out)[(*n)++] = id;
	}
	db_done(st);
	return 0;
}

/* The match text, or NULL when nothing can match. */
static char *match_text(struct ctx *c, const char *q, int64_t board_id, int pg)
{
	char *tokens = NULL;
	if (text_query_tokens(q, &tokens) <= 0) {
		free(tokens);
		return NULL;
	}
	struct buf b = {0};
	for (const char *p = tokens; *p;) {
		size_t n = strcspn(p, " ");
		if (!reserved(p, n))
			put_term(&b, p, n, pg);
		p += n + (p[n] == ' ');
	}
	free(tokens);
	int all = boards_read_all(c);
	int64_t *ids = NULL, *others = NULL;
	int nids = 0, nothers = 0;
	if (b.len == 0 || (!all && boards_visible_ids(c, &ids, &nids) != 0)) {
		buf_free(&b);
		return NULL;
	}
	int refused = 0; /* a board the caller may not see, or none at all */
	if (board_id) {
		refused = !all;
		for (int i = 0; i < nids; i++)
			refused &= ids[i] != board_id;
		put_boards(&b, &board_id, 1, 0, pg);
	} else if (!all && nids > 0 && hidden_boards(c, ids, nids, &others, &nothers) == 0) {
		if (nothers > 0 && nothers <= nids)
			put_boards(&b, others, nothers, 1, pg);
		else if (nothers > 0)
			put_boards(&b, ids, nids, 0, pg);
	}
	int nothing = refused || (!all && (nids == 0 || c->err.kind));
	char *out = nothing ? NULL : arena_strdup(c->arena, b.data);
	buf_free(&b);
	return out;
}

static const char sql_search_sqlite[] =
	"SELECT p.id, p.thread_id, t.title, p.board_id, b.name, u.display_name, p.created_at, "
	"p.body, p.hidden FROM post_fts CROSS JOIN post p ON p.id = post_fts.rowid "
	"JOIN thread t ON t.id = p.thread_id JOIN board b ON b.id = p.board_id "
	"LEFT JOIN app_user u ON u.id = p.author_id WHERE post_fts MATCH $1 "
	"AND (CAST($4 AS BIGINT) = 1 OR (p.hidden = 0 AND t.hidden = 0)) "
	"ORDER BY post_fts.rowid DESC LIMIT $2 OFFSET $3";
static const char sql_search_pg[] =
	"SELECT p.id, p.thread_id, t.title, p.board_id, b.name, u.display_name, p.created_at, "
	"p.body, p.hidden FROM post p JOIN thread t ON t.id = p.thread_id "
	"JOIN board b ON b.id = p.board_id LEFT JOIN app_user u ON u.id = p.author_id "
	"WHERE p.search_tokens @@ CAST($1 AS tsquery) "
	"AND (CAST($4 AS BIGINT) = 1 OR (p.hidden = 0 AND t.hidden = 0)) "
	"ORDER BY p.id DESC LIMIT $2 OFFSET $3";
static const char sql_count_sqlite[] =
	"SELECT count(*) FROM (SELECT 1 FROM post_fts CROSS JOIN post p ON p.id = post_fts.rowid "
	"JOIN thread t ON t.id = p.thread_id WHERE post_fts MATCH $1 AND (CAST($2 AS BIGINT) = 1 "
	"OR (p.hidden = 0 AND t.hidden = 0)) LIMIT 201) AS m";
static const char sql_count_pg[] =
	"SELECT count(*) FROM (SELECT 1 FROM post p JOIN thread t ON t.id = p.thread_id "
	"WHERE p.search_tokens @@ CAST($1 AS tsquery) AND (CAST($2 AS BIGINT) = 1 OR "
	"(p.hidden = 0 AND t.hidden = 0)) LIMIT 201) AS m";

/* The first 120 characters of a body, for the result list. */
static json_t *excerpt(const char *s)
{
	size_t n = 0, chars = 0;
	while (s[n] && chars < 120) {
		n++;
		while ((s[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	return json_stringn(s, n);
}

json_t *post_search_json(struct ctx *c, const char *q, int64_t board_id, int64_t page,
			 int64_t per_page)
{
	int pg = db_engine(c->db) == DB_POSTGRES;
	const char *m = match_text(c, q, board_id, pg);
	if (c->err.kind)
		return NULL;
	json_t *items = json_array();
	int64_t total = 0;
	if (m) {
		/* moderators see hidden posts in results (marked hidden) */
		int64_t mod = boards_read_all(c);
		total = db_int(c->db, -1, pg ? sql_count_pg : sql_count_sqlite, "sl", m, mod);
		struct db_stmt *st = db_query(c->db, pg ? sql_search_pg : sql_search_sqlite, "slll",
					      m, per_page, (page - 1) * per_page, mod);
		int rc;
		while ((rc = db_step(st)) == DB_ROW)
			json_array_append_new(
				items,
				json_pack("{s:I,s:I,s:s,s:I,s:s,s:s?,s:I,s:o,s:b}", "id",
					  (json_int_t)db_col_int(st, 0), "thread_id",
					  (json_int_t)db_col_int(st, 1), "thread_title",
					  db_col_text(st, 2), "board_id", (json_int_t)db_col_int(st, 3),
					  "board_name", db_col_text(st, 4), "author_name",
					  db_col_text(st, 5), "created_at", (json_int_t)db_col_int(st, 6),
					  "excerpt", excerpt(db_col_text(st, 7)), "hidden",
					  (int)db_col_int(st, 8)));
		db_done(st);
		if (rc != DB_DONE || total < 0) {
			json_decref(items);
			ctx_db_error(c);
			return NULL;
		}
	}
	int exact = total <= TOTAL_CAP;
	return json_pack("{s:o,s:I,s:b,s:I,s:I}", "items", items, "total",
			 (json_int_t)(exact ? total : TOTAL_CAP), "total_exact", exact, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
}
