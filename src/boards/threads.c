/*
 * Threads and posts: writing, mentions and followers, moderation, reading. See boards.h.
 */
#include <stdlib.h>
#include <string.h>
#include "boards/boards.h"
#include "boards/boards_internal.h"
#include "core/policy.h"
#include "files/files.h"
#include "lib/markdown.h"
#include "notify/notify.h"

struct thread_row {
	int64_t id, board_id, author_id;
	int locked, hidden, deleted;
	const char *title;
};

static int load_thread(struct ctx *c, int64_t id, struct thread_row *t)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT id, board_id, author_id, locked, hidden, deleted, title "
				      "FROM thread WHERE id = $1",
				      "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		t->id = db_col_int(st, 0);
		t->board_id = db_col_int(st, 1);
		t->author_id = db_col_int(st, 2);
		t->locked = (int)db_col_int(st, 3);
		t->hidden = (int)db_col_int(st, 4);
		t->deleted = (int)db_col_int(st, 5);
		t->title = arena_strdup(c->arena, db_col_text(st, 6));
	}
	db_done(st);
	if (rc == DB_ROW && !t->deleted && board_check_visible(c, t->board_id) == 0)
		return 0;
	if (rc == DB_ROW || rc == DB_DONE) {
		error_clear(&c->err);
		return error_set(&c->err, E_NOT_FOUND, "boards.thread_not_found");
	}
	return ctx_db_error(c);
}

static int may_moderate(struct ctx *c, int64_t board_id)
{
	struct policy_object obj = {0, board_street(c, board_id)};
	return policy_allows(c->who, ACT_BOARD_MODERATE, &obj);
}

/* ------------------------------------------------------------------ mentions, followers */

/* Tells each @username in the body (once) who may see the board; adds their ids to `told`. */
static int notify_mentions(struct ctx *c, const struct thread_row *t, int64_t post_id,
			   const char *body, json_t *told)
{
	json_t *params = json_pack("{s:s,s:s}", "title", t->title, "name", c->who->display_name);
	const char *link = arena_printf(c->arena, "/boards/threads/%lld#post-%lld",
					(long long)t->id, (long long)post_id);
	struct notice n = {"board.mentioned", params, link, "post", post_id};
	int rc = 0;
	for (const char *p = strchr(body, '@'); p && rc == 0; p = strchr(p + 1, '@')) {
		size_t len = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789_.-");
		if (len == 0 || len > 64 || (p > body && strchr("abcdefghijklmnopqrstuvwxyz0123456789", p[-1])))
			continue;
		char *name = arena_strndup(c->arena, p + 1, len);
		while (len > 0 && (name[len - 1] == '.' || name[len - 1] == '-'))
			name[--len] = 0; /* "@lisi." ends a sentence */
		int64_t uid = db_int(c->db, 0,
				     "SELECT id FROM app_user WHERE username = $1 AND status = 'active'",
				     "s", name);
		if (uid <= 0)
			continue;
		size_t i;
		json_t *v;
		int seen = 0;
		json_array_foreach(told, i, v) seen |= json_integer_value(v) == uid;
		if (seen)
			continue;
		int all = db_exists(c->db,
				    "SELECT 1 FROM user_role WHERE user_id = $1 AND role IN "
				    "('admin', 'staff', 'supervisor')",
				    "l", uid);
		if (board_visible_to(c, t->board_id, uid, all == 1) != 1)
			continue;
		rc = notify_user(c, uid, &n);
		json_array_append_new(told, json_integer(uid));
	}
	json_decref(params);
	return rc;
}

static int notify_followers(struct ctx *c, const struct thread_row *t, int64_t post_id,
			    json_t *told)
{
	int64_t ids[1000];
	int n = 0;
	struct db_stmt *st = db_query(c->db, "SELECT user_id FROM thread_follow WHERE thread_id = $1 "
					     "ORDER BY user_id LIMIT 1000",
				      "l", t->id);
	while (db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	json_t *params = json_pack("{s:s,s:s}", "title", t->title, "name", c->who->display_name);
	const char *link = arena_printf(c->arena, "/boards/threads/%lld#post-%lld",
					(long long)t->id, (long long)post_id);
	struct notice notice = {"board.reply", params, link, "post", post_id};
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		size_t k;
		json_t *v;
		int seen = 0;
		json_array_foreach(told, k, v) seen |= json_integer_value(v) == ids[i];
		if (!seen)
			rc = notify_user(c, ids[i], &notice);
	}
	json_decref(params);
	return rc;
}

/* ------------------------------------------------------------------ writing */

static int64_t insert_post(struct ctx *c, int64_t thread_id, int64_t board_id, const char *body)
{
	int64_t id = db_int(c->db, -1,
			    "INSERT INTO post (thread_id, board_id, author_id, body, created_at) "
			    "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			    "lllsl", thread_id, board_id, c->who->user_id, body, c->now);
	if (id < 0 || post_index_in_tx(c, id) != 0 ||
	    db_run(c->db,
		   "INSERT INTO thread_follow (thread_id, user_id) VALUES ($1, $2) "
		   "ON CONFLICT DO NOTHING",
		   "ll", thread_id, c->who->user_id) < 0 ||
	    db_run(c->db,
		   "UPDATE board SET post_count = post_count + 1, last_post_at = $2 WHERE id = $1",
		   "ll", board_id, c->now) < 0)
		return -1;
	return id;
}

/* A new thread or reply, for its transaction's step. */
struct post_write {
	int64_t board_id, thread_id; /* thread_create: board_id in, thread_id out */
	const char *title, *body;
	int64_t post_id;
};

static int thread_create_step(struct ctx *c, void *arg)
{
	struct post_write *a = arg;
	a->thread_id = db_int(c->db, -1,
			      "INSERT INTO thread (board_id, title, author_id, created_at, last_post_at) "
			      "VALUES ($1, $2, $3, $4, $4) RETURNING id",
			      "lsll", a->board_id, a->title, c->who->user_id, c->now);
	if (a->thread_id < 0 ||
	    db_run(c->db, "UPDATE board SET thread_count = thread_count + 1 WHERE id = $1", "l",
		   a->board_id) < 0)
		return -1;
	int64_t post_id = insert_post(c, a->thread_id, a->board_id, a->body);
	struct thread_row t = {a->thread_id, a->board_id, c->who->user_id, 0, 0, 0, a->title};
	json_t *told = json_array();
	int rc = post_id < 0 ? -1 : notify_mentions(c, &t, post_id, a->body, told);
	json_t *after = json_pack("{s:I,s:s,s:I,s:o}", "board_id", (json_int_t)a->board_id, "title",
				  a->title, "post_id", (json_int_t)post_id, "mentioned", told);
	if (rc != 0) {
		json_decref(after);
		return -1;
	}
	return boards_audit(c, "thread.create", "thread", a->thread_id, after);
}

int thread_create(struct ctx *c, int64_t board_id, const char *title, const char *body,
		  int64_t *thread_id)
{
	if (policy_check(c, ACT_BOARD_POST, NULL) != 0 || board_check_visible(c, board_id) != 0)
		return -1;
	struct post_write a = {.board_id = board_id, .title = title, .body = body};
	int rc = ctx_tx(c, thread_create_step, &a);
	*thread_id = a.thread_id;
	return rc;
}

static int post_reply_step(struct ctx *c, void *arg)
{
	struct post_write *a = arg;
	struct thread_row t;
	if (load_thread(c, a->thread_id, &t) != 0)
		return -1;
	if (t.locked || (t.hidden && !may_moderate(c, t.board_id)))
		return error_set(&c->err, E_CONFLICT, "boards.thread_locked");
	a->post_id = insert_post(c, a->thread_id, t.board_id, a->body);
	if (a->post_id < 0 ||
	    db_run(c->db,
		   "UPDATE thread SET reply_count = reply_count + 1, last_post_at = $2 WHERE id = $1",
		   "ll", a->thread_id, c->now) < 0)
		return -1;
	json_t *told = json_array();
	if (notify_mentions(c, &t, a->post_id, a->body, told) != 0 ||
	    notify_followers(c, &t, a->post_id, told) != 0) {
		json_decref(told);
		return -1;
	}
	return boards_audit(c, "post.create", "post", a->post_id,
			    json_pack("{s:I,s:o}", "thread_id", (json_int_t)a->thread_id,
				      "mentioned", told));
}

int post_reply(struct ctx *c, int64_t thread_id, const char *body, int64_t *post_id)
{
	if (policy_check(c, ACT_BOARD_POST, NULL) != 0)
		return -1;
	struct post_write a = {.thread_id = thread_id, .body = body};
	int rc = ctx_tx(c, post_reply_step, &a);
	*post_id = a.post_id;
	return rc;
}

struct post_row {
	int64_t id, thread_id, board_id, author_id, created_at;
	int hidden, deleted;
	const char *body;
};

/* Loads a post of a thread the caller may see (404 otherwise), inside the transaction. */
static int load_post(struct ctx *c, int64_t id, struct post_row *p)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT id, thread_id, board_id, author_id, created_at, hidden, "
				      "deleted, body FROM post WHERE id = $1",
				      "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		p->id = db_col_int(st, 0);
		p->thread_id = db_col_int(st, 1);
		p->board_id = db_col_int(st, 2);
		p->author_id = db_col_int(st, 3);
		p->created_at = db_col_int(st, 4);
		p->hidden = (int)db_col_int(st, 5);
		p->deleted = (int)db_col_int(st, 6);
		p->body = arena_strdup(c->arena, db_col_text(st, 7));
	}
	db_done(st);
	if (rc == DB_ROW && !p->deleted && board_check_visible(c, p->board_id) == 0)
		return 0;
	if (rc == DB_ROW || rc == DB_DONE) {
		error_clear(&c->err);
		return error_set(&c->err, E_NOT_FOUND, "boards.post_not_found");
	}
	return ctx_db_error(c);
}

/* A change to one post or thread (edit, delete, hide, lock, follow), for its step. */
struct change {
	int64_t id;       /* the post or thread */
	int on;           /* hide, lock, follow (0: undo) */
	const char *text; /* the new body, or the reason for hiding */
};

static int post_edit_step(struct ctx *c, void *arg)
{
	struct change *a = arg;
	struct post_row p;
	if (load_post(c, a->id, &p) != 0)
		return -1;
	if (p.author_id != c->who->user_id)
		return error_set(&c->err, E_FORBIDDEN, "boards.not_author");
	if (c->now - p.created_at > BOARD_EDIT_WINDOW || p.hidden)
		return error_set(&c->err, E_CONFLICT, "boards.edit_window");
	if (db_run(c->db, "INSERT INTO post_edit (post_id, body, edited_at) VALUES ($1, $2, $3)",
		   "lsl", a->id, p.body, c->now) < 0 ||
	    db_run(c->db, "UPDATE post SET body = $2, edited_at = $3 WHERE id = $1", "lsl", a->id,
		   a->text, c->now) < 0 ||
	    post_index_in_tx(c, a->id) != 0)
		return -1;
	return boards_audit(c, "post.edit", "post", a->id,
			    json_pack("{s:I}", "length", (json_int_t)strlen(a->text)));
}

int post_edit(struct ctx *c, int64_t post_id, const char *body)
{
	struct change a = {post_id, 0, body};
	return ctx_tx(c, post_edit_step, &a);
}

static int post_delete_step(struct ctx *c, void *arg)
{
	struct change *a = arg;
	struct post_row p;
	if (load_post(c, a->id, &p) != 0)
		return -1;
	if (p.author_id != c->who->user_id && !may_moderate(c, p.board_id))
		return error_set(&c->err, E_FORBIDDEN, "boards.not_author");
	if (db_run(c->db, "UPDATE post SET deleted = 1 WHERE id = $1", "l", a->id) < 0 ||
	    post_index_in_tx(c, a->id) != 0)
		return -1;
	return boards_audit(c, "post.delete", "post", a->id,
			    json_pack("{s:I}", "thread_id", (json_int_t)p.thread_id));
}

int post_delete(struct ctx *c, int64_t post_id)
{
	struct change a = {post_id, 0, NULL};
	return ctx_tx(c, post_delete_step, &a);
}

/* The moderator's check on the board `board_id`, inside the step. */
static int check_moderate(struct ctx *c, int64_t board_id)
{
	struct policy_object obj = {0, board_street(c, board_id)};
	return policy_check(c, ACT_BOARD_MODERATE, &obj);
}

/* The audit record's `after` of a hide or unhide. */
static json_t *hidden_after(const struct change *a)
{
	return a->on ? json_pack("{s:s}", "reason", a->text) : json_object();
}

static int post_set_hidden_step(struct ctx *c, void *arg)
{
	struct change *a = arg;
	struct post_row p;
	if (load_post(c, a->id, &p) != 0 || check_moderate(c, p.board_id) != 0)
		return -1;
	if (db_run(c->db, "UPDATE post SET hidden = $2, hidden_reason = $3 WHERE id = $1", "lis",
		   a->id, a->on, a->on ? a->text : NULL) < 0 ||
	    post_index_in_tx(c, a->id) != 0)
		return -1;
	return boards_audit(c, a->on ? "post.hide" : "post.unhide", "post", a->id, hidden_after(a));
}

int post_set_hidden(struct ctx *c, int64_t post_id, int hide, const char *reason)
{
	struct change a = {post_id, hide, reason};
	return ctx_tx(c, post_set_hidden_step, &a);
}

static int thread_set_hidden_step(struct ctx *c, void *arg)
{
	struct change *a = arg;
	struct thread_row t;
	if (load_thread(c, a->id, &t) != 0 || check_moderate(c, t.board_id) != 0)
		return -1;
	if (db_run(c->db, "UPDATE thread SET hidden = $2, hidden_reason = $3 WHERE id = $1", "lis",
		   a->id, a->on, a->on ? a->text : NULL) < 0)
		return -1;
	return boards_audit(c, a->on ? "thread.hide" : "thread.unhide", "thread", a->id,
			    hidden_after(a));
}

int thread_set_hidden(struct ctx *c, int64_t thread_id, int hide, const char *reason)
{
	struct change a = {thread_id, hide, reason};
	return ctx_tx(c, thread_set_hidden_step, &a);
}

static int thread_set_locked_step(struct ctx *c, void *arg)
{
	struct change *a = arg;
	struct thread_row t;
	if (load_thread(c, a->id, &t) != 0 || check_moderate(c, t.board_id) != 0)
		return -1;
	if (db_run(c->db, "UPDATE thread SET locked = $2 WHERE id = $1", "li", a->id, a->on) < 0)
		return -1;
	return boards_audit(c, a->on ? "thread.lock" : "thread.unlock", "thread", a->id,
			    json_pack("{s:b}", "locked", a->on));
}

int thread_set_locked(struct ctx *c, int64_t thread_id, int locked)
{
	struct change a = {thread_id, locked, NULL};
	return ctx_tx(c, thread_set_locked_step, &a);
}

static int thread_follow_step(struct ctx *c, void *arg)
{
	struct change *a = arg;
	struct thread_row t;
	if (load_thread(c, a->id, &t) != 0)
		return -1;
	int64_t n = a->on ? db_run(c->db,
				   "INSERT INTO thread_follow (thread_id, user_id) VALUES ($1, $2) "
				   "ON CONFLICT DO NOTHING",
				   "ll", a->id, c->who->user_id)
			  : db_run(c->db,
				   "DELETE FROM thread_follow WHERE thread_id = $1 AND user_id = $2",
				   "ll", a->id, c->who->user_id);
	if (n < 0)
		return -1;
	if (n == 0) /* already so: nothing changed, nothing to audit (commits an empty change) */
		return 0;
	return boards_audit(c, a->on ? "thread.follow" : "thread.unfollow", "thread", a->id,
			    json_object());
}

int thread_follow(struct ctx *c, int64_t thread_id, int follow)
{
	struct change a = {thread_id, follow, NULL};
	return ctx_tx(c, thread_follow_step, &a);
}

/* ------------------------------------------------------------------ reading */

static json_t *hidden_text(struct ctx *c, const char *reason)
{
	struct buf b = {0};
	msg_render(&b, "boards.hidden_by_moderator", c->lang, 0);
	buf_puts(&b, reason ? reason : "");
	json_t *s = json_string(b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static const char sql_threads[] =
	"SELECT t.id, t.title, t.author_id, u.display_name, t.created_at, t.last_post_at, "
	"t.reply_count, t.locked, t.hidden, t.hidden_reason FROM thread t "
	"LEFT JOIN app_user u ON u.id = t.author_id WHERE t.board_id = $1 AND t.deleted = 0 "
	"AND (CAST($2 AS BIGINT) = 1 OR t.hidden = 0 OR t.author_id = $3) "
	"ORDER BY t.last_post_at DESC, t.id DESC LIMIT $4 OFFSET $5";

json_t *thread_list_json(struct ctx *c, int64_t board_id, int64_t page, int64_t per_page)
{
	if (board_check_visible(c, board_id) != 0)
		return NULL;
	int64_t mod = may_moderate(c, board_id);
	int64_t total = db_int(c->db, -1,
			       "SELECT count(*) FROM thread t WHERE t.board_id = $1 AND t.deleted = 0 "
			       "AND (CAST($2 AS BIGINT) = 1 OR t.hidden = 0 OR t.author_id = $3)",
			       "lll", board_id, mod, c->who->user_id);
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, sql_threads, "lllll", board_id, mod, c->who->user_id,
				      per_page, (page - 1) * per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int hidden = (int)db_col_int(st, 8);
		json_t *o = json_pack(
			"{s:I,s:I,s:s?,s:I,s:I,s:I,s:b,s:b}", "id", (json_int_t)db_col_int(st, 0),
			"author_id", (json_int_t)db_col_int(st, 2), "author_name", db_col_text(st, 3),
			"created_at", (json_int_t)db_col_int(st, 4), "last_post_at",
			(json_int_t)db_col_int(st, 5), "reply_count", (json_int_t)db_col_int(st, 6),
			"locked", (int)db_col_int(st, 7), "hidden", hidden);
		json_object_set_new(o, "title", hidden && !mod ? hidden_text(c, db_col_text(st, 9))
							      : json_string(db_col_text(st, 1)));
		if (hidden)
			json_object_set_new(o, "hidden_reason", json_string(db_col_text(st, 9)));
		json_array_append_new(items, o);
	}
	db_done(st);
	if (rc != DB_DONE || total < 0) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
}

json_t *boards_post_attachments_json(struct ctx *c, int64_t post_id)
{
	/* the caller shows the post, so it may show the post's files: no second check here */
	return files_items_json(c, "post", post_id);
}

/* ------------------------------------------------------------------ attachments */

/* A post whose files the caller may see: a post they can read (visible board, not deleted),
 * in a thread they can read, not hidden unless they moderate the board. 404 otherwise, so a
 * hidden post's files cannot be found by guessing ids. */
int boards_post_files_may_read(struct ctx *c, int64_t post_id)
{
	struct post_row p;
	if (load_post(c, post_id, &p) != 0)
		return -1;
	int mod = may_moderate(c, p.board_id);
	int thread_hidden = db_exists(c->db, "SELECT 1 FROM thread WHERE id = $1 AND hidden = 1 "
					     "AND author_id <> $2",
				      "ll", p.thread_id, c->who->user_id);
	if ((p.hidden || thread_hidden == 1) && !mod)
		return error_set(&c->err, E_NOT_FOUND, "boards.post_not_found");
	return thread_hidden < 0 ? ctx_db_error(c) : 0;
}

/* Files are added and removed by the post's author while the post is editable (the edit
 * window, not hidden): the same rule as editing its text. */
int boards_post_files_may_write(struct ctx *c, int64_t post_id)
{
	struct post_row p;
	if (policy_check(c, ACT_BOARD_POST, NULL) != 0 || load_post(c, post_id, &p) != 0)
		return -1;
	if (p.author_id != c->who->user_id)
		return error_set(&c->err, E_FORBIDDEN, "boards.not_author");
	if (c->now - p.created_at > BOARD_EDIT_WINDOW || p.hidden)
		return error_set(&c->err, E_CONFLICT, "boards.edit_window");
	return 0;
}

int boards_post_files_room(struct ctx *c, int64_t post_id)
{
	if (boards_post_files_may_write(c, post_id) != 0)
		return -1;
	int64_t n = db_int(c->db, -1, "SELECT count(*) FROM attachment WHERE object_type = 'post' "
				      "AND object_id = $1",
			   "l", post_id);
	if (n < 0)
		return ctx_db_error(c);
	if (n >= BOARD_POST_MAX_FILES) {
		c->err.arg = BOARD_POST_MAX_FILES;
		return error_set(&c->err, E_CONFLICT, "boards.too_many_files");
	}
	return 0;
}

static const char sql_posts[] =
	"SELECT p.id, p.author_id, u.display_name, u.username, p.body, p.created_at, p.edited_at, "
	"p.hidden, p.hidden_reason, p.deleted FROM post p LEFT JOIN app_user u ON u.id = p.author_id "
	"WHERE p.thread_id = $1 ORDER BY p.id LIMIT $2 OFFSET $3";

static json_t *post_json(struct ctx *c, struct db_stmt *st, int mod)
{
	int64_t author = db_col_int(st, 1);
	int hidden = (int)db_col_int(st, 7), deleted = (int)db_col_int(st, 9);
	json_t *o = json_pack("{s:I,s:I,s:s?,s:s?,s:I,s:o,s:b,s:b}", "id",
			      (json_int_t)db_col_int(st, 0), "author_id", (json_int_t)author,
			      "author_name", db_col_text(st, 2), "author_username",
			      db_col_text(st, 3), "created_at", (json_int_t)db_col_int(st, 5),
			      "edited_at",
			      db_col_isnull(st, 6) ? json_null() : json_integer(db_col_int(st, 6)),
			      "hidden", hidden, "deleted", deleted);
	if (deleted) {
		struct buf b = {0};
		msg_render(&b, "boards.deleted", c->lang, 0);
		json_object_set_new(o, "notice", json_string(b.data));
		buf_free(&b);
	} else if (hidden && !mod) {
		json_object_set_new(o, "notice", hidden_text(c, db_col_text(st, 8)));
	} else {
		const char *md = db_col_text(st, 4);
		char *html = markdown_to_html(md, strlen(md));
		json_object_set_new(o, "body", json_string(md));
		json_object_set_new(o, "body_html", json_string(html ? html : ""));
		free(html);
		if (hidden)
			json_object_set_new(o, "hidden_reason", json_string(db_col_text(st, 8)));
		json_object_set_new(o, "can_edit",
				    json_boolean(author == c->who->user_id && !hidden &&
						 c->now - db_col_int(st, 5) <= BOARD_EDIT_WINDOW));
		json_object_set_new(o, "attachments", boards_post_attachments_json(c, db_col_int(st, 0)));
	}
	return o;
}

json_t *thread_get_json(struct ctx *c, int64_t thread_id, int64_t page, int64_t per_page)
{
	struct thread_row t;
	if (load_thread(c, thread_id, &t) != 0)
		return NULL;
	int mod = may_moderate(c, t.board_id);
	if (t.hidden && !mod && t.author_id != c->who->user_id) {
		error_set(&c->err, E_NOT_FOUND, "boards.thread_not_found");
		return NULL;
	}
	int64_t total = db_int(c->db, 0, "SELECT count(*) FROM post WHERE thread_id = $1", "l",
			       thread_id);
	json_t *posts = json_array();
	struct db_stmt *st = db_query(c->db, sql_posts, "lll", thread_id, per_page,
				      (page - 1) * per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(posts, post_json(c, st, mod));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(posts);
		ctx_db_error(c);
		return NULL;
	}
	int following = db_exists(c->db,
				  "SELECT 1 FROM thread_follow WHERE thread_id = $1 AND user_id = $2",
				  "ll", thread_id, c->who->user_id) == 1;
	return json_pack("{s:I,s:I,s:s,s:b,s:b,s:b,s:b,s:o,s:I,s:I,s:I}", "id", (json_int_t)t.id,
			 "board_id", (json_int_t)t.board_id, "title", t.title, "locked", t.locked,
			 "hidden", t.hidden, "following", following, "can_moderate", mod, "posts",
			 posts, "total", (json_int_t)total, "page", (json_int_t)page, "per_page",
			 (json_int_t)per_page);
}

json_t *post_history_json(struct ctx *c, int64_t post_id)
{
	struct post_row p;
	if (load_post(c, post_id, &p) != 0)
		return NULL;
	if (p.author_id != c->who->user_id && !may_moderate(c, p.board_id)) {
		error_set(&c->err, E_FORBIDDEN, "boards.not_author");
		return NULL;
	}
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db,
				      "SELECT body, edited_at FROM post_edit WHERE post_id = $1 "
				      "ORDER BY id",
				      "l", post_id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s,s:I}", "body", db_col_text(st, 0),
						       "replaced_at", (json_int_t)db_col_int(st, 1)));
	db_done(st);
	return json_pack("{s:o,s:s}", "items", items, "current", p.body);
}

json_t *boards_users_json(struct ctx *c, const char *q)
{
	json_t *items = json_array();
	struct db_stmt *st = db_query(
		c->db,
		"SELECT id, username, display_name FROM app_user WHERE status = 'active' AND "
		"(username LIKE $1 OR display_name LIKE $2) ORDER BY username LIMIT 10",
		"ss", arena_printf(c->arena, "%s%%", q), arena_printf(c->arena, "%%%s%%", q));
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s}", "id",
						       (json_int_t)db_col_int(st, 0), "username",
						       db_col_text(st, 1), "display_name",
						       db_col_text(st, 2)));
	db_done(st);
	return json_pack("{s:o}", "items", items);
}
