/*
 * Writing notifications (the reading side, delivery channels and the outbox worker are in the
 * other files of this folder).
 */
#include <stdlib.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "notify/notify.h"

static const char sql_user_active[] =
	"SELECT 1 FROM app_user WHERE id = $1 AND status = 'active'";

static const char sql_insert_notification[] =
	"INSERT INTO notification (user_id, kind, params, link, object_type, object_id, "
	"created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

static const char sql_org_users[] =
	"SELECT DISTINCT r.user_id FROM user_role r JOIN app_user u ON u.id = r.user_id "
	"WHERE r.org_id = $1 AND u.status = 'active' ORDER BY r.user_id";

static int insert_notification(struct ctx *c, int64_t user_id, const struct notice *n)
{
	char *params = n->params ? json_dumps(n->params, JSON_COMPACT) : NULL;
	struct db_stmt *st = db_prepare(c->db, sql_insert_notification);
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, n->kind);
	db_bind_text(st, 3, params ? params : "{}");
	db_bind_text(st, 4, n->link ? n->link : "");
	db_bind_text(st, 5, n->object_type);
	if (n->object_id)
		db_bind_int(st, 6, n->object_id);
	else
		db_bind_null(st, 6);
	db_bind_int(st, 7, c->now);
	int rc = db_step(st);
	db_done(st);
	free(params);
	return rc == DB_ROW ? 0 : ctx_db_error(c);
}

int notify_user(struct ctx *c, int64_t user_id, const struct notice *n)
{
	if (user_id <= 0 || user_id == c->who->user_id)
		return 0;
	if (!db_exists(c->db, sql_user_active, "l", user_id))
		return 0;
	return insert_notification(c, user_id, n);
}

int notify_org(struct ctx *c, int64_t org_id, const struct notice *n)
{
	int64_t ids[512];
	int count = 0;
	struct db_stmt *st = db_prepare(c->db, sql_org_users);
	db_bind_int(st, 1, org_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && count < (int)(sizeof ids / sizeof ids[0]))
		ids[count++] = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	int told = 0;
	for (int i = 0; i < count; i++) {
		if (ids[i] == c->who->user_id)
			continue;
		if (insert_notification(c, ids[i], n) != 0)
			return -1;
		told++;
	}
	return told;
}

int notify_send_test(struct ctx *c, int64_t user_id, const char *message, int count)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return -1;
	if (count < 1 || count > 100000)
		return error_set(&c->err, E_BAD_REQUEST, NULL);
	if (db_begin(c->db) != 0)
		return ctx_db_error(c);
	int found = db_exists(c->db, sql_user_active, "l", user_id);
	if (found <= 0) {
		db_rollback(c->db);
		return found < 0 ? ctx_db_error(c) : error_set(&c->err, E_NOT_FOUND, NULL);
	}
	json_t *params = json_pack("{s:s, s:s}", "sender", c->who->display_name, "message",
				   message ? message : "");
	struct notice n = {.kind = "test", .params = params, .link = "/notifications"};
	int rc = 0;
	for (int i = 0; i < count && rc == 0; i++) {
		json_object_set_new(params, "seq", json_integer(i + 1));
		rc = insert_notification(c, user_id, &n);
	}
	json_t *after = json_pack("{s:I, s:i}", "user_id", (json_int_t)user_id, "count", count);
	if (rc == 0)
		rc = audit_append(c, "notify.test", "user", user_id, NULL, after);
	json_decref(after);
	json_decref(params);
	if (rc != 0 || db_commit(c->db) != 0) {
		if (db_in_transaction(c->db))
			db_rollback(c->db);
		return rc != 0 ? -1 : ctx_db_error(c);
	}
	return 0;
}
