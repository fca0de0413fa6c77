/*
 * The reading side: a user's own notifications, rendered in their language when read.
 *
 * Every statement filters by the caller's user id, so nobody can see or mark another's
 * notifications: an id that is not theirs is simply not found (404, not 403, so ids do not
 * reveal whether someone else's notification exists).
 *
 * Marking read is not written to the audit trail: it changes the reader's own view, not a
 * record anyone else sees (like a mail client's read flag), and auditing it would make the
 * trail grow with every glance at the bell.
 */
#include <stdlib.h>
#include "core/policy.h"
#include "notify/notify.h"

static const char sql_list[] =
	"SELECT " NOTIFY_ITEM_COLUMNS " FROM notification WHERE user_id = $1 "
	"AND (CAST($2 AS BIGINT) = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT $3 OFFSET $4";
static const char sql_count[] =
	"SELECT count(*) FROM notification WHERE user_id = $1 "
	"AND (CAST($2 AS BIGINT) = 0 OR read_at IS NULL)";
static const char sql_unread[] =
	"SELECT count(*) FROM notification WHERE user_id = $1 AND read_at IS NULL";
static const char sql_mark_read[] =
	"UPDATE notification SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL";
static const char sql_is_mine[] = "SELECT 1 FROM notification WHERE id = $1 AND user_id = $2";
static const char sql_mark_all[] =
	"UPDATE notification SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL";

json_t *notify_item_json(struct db_stmt *st, enum lang lang)
{
	const char *kind = db_col_text(st, 1);
	json_t *params = json_loads(db_col_text(st, 2) ? db_col_text(st, 2) : "{}", 0, NULL);
	struct buf key = {0}, text = {0};
	buf_printf(&key, "notify.%s", kind);
	msg_render_params(&text, key.data, lang, params);
	json_t *item = json_pack(
		"{s:I, s:s, s:s%, s:s, s:s?, s:o, s:I, s:o, s:b}", "id",
		(json_int_t)db_col_int(st, 0), "kind", kind, "text", text.data ? text.data : "",
		text.len, "link", db_col_text(st, 3) ? db_col_text(st, 3) : "", "object_type",
		db_col_text(st, 4),
		"object_id", db_col_isnull(st, 5) ? json_null() : json_integer(db_col_int(st, 5)),
		"created_at", (json_int_t)db_col_int(st, 6), "read_at",
		db_col_isnull(st, 7) ? json_null() : json_integer(db_col_int(st, 7)), "read",
		!db_col_isnull(st, 7));
	json_decref(params);
	buf_free(&key);
	buf_free(&text);
	return item;
}

int64_t notify_unread_count(struct ctx *c)
{
	if (policy_check(c, ACT_NOTIFY_OWN, NULL) != 0)
		return -1;
	int64_t n = db_int(c->db, -1, sql_unread, "l", c->who->user_id);
	return n < 0 ? ctx_db_error(c) : n;
}

json_t *notify_list(struct ctx *c, const struct notify_page *p)
{
	if (policy_check(c, ACT_NOTIFY_OWN, NULL) != 0)
		return NULL;
	int64_t me = c->who->user_id;
	int64_t total = db_int(c->db, -1, sql_count, "ll", me, (int64_t)p->unread_only);
	int64_t unread = db_int(c->db, -1, sql_unread, "l", me);
	if (total < 0 || unread < 0) {
		ctx_db_error(c);
		return NULL;
	}
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, sql_list, "llll", me, (int64_t)p->unread_only,
				      p->per_page, (p->page - 1) * p->per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, notify_item_json(st, c->lang));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items, "page", (json_int_t)p->page,
			 "per_page", (json_int_t)p->per_page, "total", (json_int_t)total,
			 "unread_count", (json_int_t)unread);
}

int notify_mark_read(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_NOTIFY_OWN, NULL) != 0)
		return -1;
	int64_t me = c->who->user_id;
	if (db_run(c->db, sql_mark_read, "lll", id, me, c->now) < 0)
		return ctx_db_error(c);
	int mine = db_exists(c->db, sql_is_mine, "ll", id, me);
	if (mine < 0)
		return ctx_db_error(c);
	return mine ? 0 : error_set(&c->err, E_NOT_FOUND, NULL);
}

int64_t notify_mark_all_read(struct ctx *c)
{
	if (policy_check(c, ACT_NOTIFY_OWN, NULL) != 0)
		return -1;
	int64_t n = db_run(c->db, sql_mark_all, "ll", c->who->user_id, c->now);
	return n < 0 ? ctx_db_error(c) : n;
}
