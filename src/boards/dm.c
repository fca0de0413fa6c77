/*
 * Direct messages: one conversation per pair of users (user_a < user_b), each side's read
 * position (the last message id they have seen) kept on the conversation, so the unread count
 * is one indexed range count.
 *
 * Who may write to whom is the policy's (ACT_DM_STAFF / ACT_DM_ORG / ACT_DM_ANY, decided by
 * the recipient's roles): anyone may write to staff, liaison officers and administrators;
 * organization users also to other organization users; staff, liaison officers and
 * administrators to anyone. A reply inside an existing conversation is always allowed: whoever
 * was written to may answer.
 */
#include <string.h>
#include "boards/boards.h"
#include "boards/boards_internal.h"
#include "core/policy.h"
#include "notify/notify.h"

/* The action needed to open a conversation with the user, from their roles; -1 when the user
 * does not exist or is disabled. */
static int dm_action(struct ctx *c, int64_t to)
{
	if (!db_exists(c->db, "SELECT 1 FROM app_user WHERE id = $1 AND status = 'active'", "l", to))
		return -1;
	if (db_exists(c->db,
		      "SELECT 1 FROM user_role WHERE user_id = $1 AND role IN ('admin', 'staff', "
		      "'liaison')",
		      "l", to))
		return ACT_DM_STAFF;
	if (db_exists(c->db,
		      "SELECT 1 FROM user_role WHERE user_id = $1 AND role IN ('org_admin', "
		      "'org_member')",
		      "l", to))
		return ACT_DM_ORG;
	return ACT_DM_ANY;
}

/* A message's arguments and its conversation, for its transaction's step. */
struct dm_write {
	int64_t to;
	const char *body;
	int64_t conversation_id;
};

static int dm_send_step(struct ctx *c, void *arg)
{
	struct dm_write *a = arg;
	int64_t me = c->who->user_id;
	int64_t lo = me < a->to ? me : a->to, hi = me < a->to ? a->to : me;
	a->conversation_id = db_int(c->db, 0,
				    "SELECT id FROM dm_conversation WHERE user_a = $1 AND user_b = $2",
				    "ll", lo, hi);
	if (a->conversation_id == 0) {
		int act = dm_action(c, a->to);
		if (act < 0)
			return error_set(&c->err, E_NOT_FOUND, "boards.user_not_found");
		if (policy_check(c, (enum action)act, NULL) != 0)
			return -1;
		a->conversation_id = db_int(c->db, -1,
					    "INSERT INTO dm_conversation (user_a, user_b, created_at, "
					    "last_message_at) VALUES ($1, $2, $3, $3) RETURNING id",
					    "lll", lo, hi, c->now);
		if (a->conversation_id < 0)
			return -1;
	}
	int64_t id = db_int(c->db, -1,
			    "INSERT INTO dm_message (conversation_id, sender_id, body, created_at) "
			    "VALUES ($1, $2, $3, $4) RETURNING id",
			    "llsl", a->conversation_id, me, a->body, c->now);
	if (id < 0 ||
	    db_run(c->db,
		   "UPDATE dm_conversation SET last_message_at = $2, "
		   "a_read_id = CASE WHEN user_a = $3 THEN $4 ELSE a_read_id END, "
		   "b_read_id = CASE WHEN user_b = $3 THEN $4 ELSE b_read_id END WHERE id = $1",
		   "llll", a->conversation_id, c->now, me, id) < 0)
		return -1;
	json_t *params = json_pack("{s:s}", "name", c->who->display_name);
	struct notice n = {"dm.message", params,
			   arena_printf(c->arena, "/messages/%lld", (long long)a->conversation_id),
			   "dm_conversation", a->conversation_id};
	int rc = notify_user(c, a->to, &n);
	json_decref(params);
	if (rc != 0)
		return -1;
	/* the audit trail records that a message was sent, never what it said */
	return boards_audit(c, "dm.send", "dm_conversation", a->conversation_id,
			    json_pack("{s:I,s:I}", "message_id", (json_int_t)id, "to_user_id",
				      (json_int_t)a->to));
}

int dm_send(struct ctx *c, int64_t to, const char *body, int64_t *conversation_id)
{
	if (to == c->who->user_id)
		return error_field(&c->err, "to_user_id", "boards.dm_self", 0), error_check(&c->err);
	struct dm_write a = {.to = to, .body = body};
	int rc = ctx_tx(c, dm_send_step, &a);
	*conversation_id = a.conversation_id;
	return rc;
}

static const char sql_conversations[] =
	"SELECT c.id, CASE WHEN c.user_a = $1 THEN c.user_b ELSE c.user_a END AS other, "
	"u.display_name, u.username, c.last_message_at, "
	"(SELECT count(*) FROM dm_message m WHERE m.conversation_id = c.id AND m.sender_id <> $1 "
	"AND m.id > CASE WHEN c.user_a = $1 THEN c.a_read_id ELSE c.b_read_id END), "
	"(SELECT body FROM dm_message m WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1) "
	"FROM dm_conversation c JOIN app_user u ON u.id = CASE WHEN c.user_a = $1 THEN c.user_b "
	"ELSE c.user_a END WHERE c.user_a = $1 OR c.user_b = $1 "
	"ORDER BY c.last_message_at DESC, c.id DESC LIMIT 200";

json_t *dm_conversations_json(struct ctx *c)
{
	json_t *items = json_array();
	int64_t unread_total = 0;
	struct db_stmt *st = db_query(c->db, sql_conversations, "l", c->who->user_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *last = db_col_text(st, 6);
		unread_total += db_col_int(st, 5);
		json_array_append_new(
			items, json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:s?}", "id",
					 (json_int_t)db_col_int(st, 0), "other_user_id",
					 (json_int_t)db_col_int(st, 1), "other_name", db_col_text(st, 2),
					 "other_username", db_col_text(st, 3), "last_message_at",
					 (json_int_t)db_col_int(st, 4), "unread",
					 (json_int_t)db_col_int(st, 5), "last_message", last));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o,s:I}", "items", items, "unread_total", (json_int_t)unread_total);
}

/* The conversation if the caller is in it; 404 otherwise (nobody learns others' ids). */
static int own_conversation(struct ctx *c, int64_t id)
{
	int in = db_exists(c->db,
			   "SELECT 1 FROM dm_conversation WHERE id = $1 AND (user_a = $2 OR "
			   "user_b = $2)",
			   "ll", id, c->who->user_id);
	if (in < 0)
		return ctx_db_error(c);
	return in ? 0 : error_set(&c->err, E_NOT_FOUND, "boards.conversation_not_found");
}

json_t *dm_messages_json(struct ctx *c, int64_t id, int64_t before_id, int64_t limit)
{
	if (own_conversation(c, id) != 0)
		return NULL;
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db,
				      "SELECT m.id, m.sender_id, u.display_name, m.body, m.created_at "
				      "FROM dm_message m LEFT JOIN app_user u ON u.id = m.sender_id "
				      "WHERE m.conversation_id = $1 AND (CAST($2 AS BIGINT) = 0 OR "
				      "m.id < $2) ORDER BY m.id DESC LIMIT $3",
				      "lll", id, before_id, limit);
	while (db_step(st) == DB_ROW)
		json_array_insert_new(
			items, 0,
			json_pack("{s:I,s:I,s:s?,s:s,s:I,s:b}", "id", (json_int_t)db_col_int(st, 0),
				  "sender_id", (json_int_t)db_col_int(st, 1), "sender_name",
				  db_col_text(st, 2), "body", db_col_text(st, 3), "created_at",
				  (json_int_t)db_col_int(st, 4), "mine",
				  db_col_int(st, 1) == c->who->user_id));
	db_done(st);
	return json_pack("{s:o}", "items", items);
}

int dm_mark_read(struct ctx *c, int64_t id)
{
	if (own_conversation(c, id) != 0)
		return -1;
	int64_t me = c->who->user_id;
	int64_t last = db_int(c->db, 0,
			      "SELECT COALESCE(max(id), 0) FROM dm_message WHERE conversation_id = $1",
			      "l", id);
	/* a read position is not a change anyone audits: no audit record, no transaction needed */
	if (db_run(c->db,
		   "UPDATE dm_conversation SET a_read_id = CASE WHEN user_a = $2 THEN $3 ELSE "
		   "a_read_id END, b_read_id = CASE WHEN user_b = $2 THEN $3 ELSE b_read_id END "
		   "WHERE id = $1",
		   "lll", id, me, last) < 0)
		return ctx_db_error(c);
	return 0;
}
