/*
 * Writing notifications (the reading side, delivery channels and the outbox worker are in the
 * other files of this folder).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static const char sql_user_email[] =
	"SELECT u.email, COALESCE(p.email_mode, 'immediate') FROM app_user u "
	"LEFT JOIN notify_preference p ON p.user_id = u.id WHERE u.id = $1";

static const char sql_smtp_configured[] =
	"SELECT 1 FROM notify_setting WHERE name = 'smtp_host' AND value <> ''";

static const char sql_insert_outbox[] =
	"INSERT INTO notify_outbox (channel, notification_id, user_id, webhook_id, target, kind, "
	"params, link, state, next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	"$10, $10)";

static const char sql_org_robots[] =
	"SELECT id FROM notify_webhook WHERE org_id = $1 AND enabled = 1 ORDER BY id";
static const char sql_scope_robots[] =
	"SELECT id FROM notify_webhook WHERE scope = $1 AND enabled = 1 ORDER BY id";

/* One outbox row. user_id/webhook_id/notification_id: 0 for none. */
static int insert_outbox(struct ctx *c, const char *channel, int64_t notification_id,
			 int64_t user_id, int64_t webhook_id, const char *target,
			 const struct notice *n, const char *params, const char *state)
{
	struct db_stmt *st = db_prepare(c->db, sql_insert_outbox);
	db_bind_text(st, 1, channel);
	int64_t ids[3] = {notification_id, user_id, webhook_id};
	for (int i = 0; i < 3; i++)
		if (ids[i])
			db_bind_int(st, 2 + i, ids[i]);
		else
			db_bind_null(st, 2 + i);
	db_bind_text(st, 5, target ? target : "");
	db_bind_text(st, 6, n->kind);
	db_bind_text(st, 7, params ? params : "{}");
	db_bind_text(st, 8, n->link ? n->link : "");
	db_bind_text(st, 9, state);
	db_bind_int(st, 10, c->now);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

/* The e-mail row of a user notification: only when SMTP is configured, the user has an
 * address and has not turned e-mail off; 'digest' rows wait for the daily digest. */
static int queue_email(struct ctx *c, int64_t notification_id, int64_t user_id,
		       const struct notice *n, const char *params)
{
	if (db_exists(c->db, sql_smtp_configured, "") != 1)
		return 0;
	struct db_stmt *st = db_query(c->db, sql_user_email, "l", user_id);
	char email[256] = "", mode[16] = "";
	if (db_step(st) == DB_ROW && db_col_text(st, 0)) {
		snprintf(email, sizeof email, "%s", db_col_text(st, 0));
		snprintf(mode, sizeof mode, "%s", db_col_text(st, 1));
	}
	db_done(st);
	if (!email[0] || strcmp(mode, "off") == 0)
		return 0;
	return insert_outbox(c, "email", notification_id, user_id, 0, email, n, params,
			     strcmp(mode, "digest") == 0 ? "digest" : "pending");
}

/* One outbox row per enabled robot that the query (bound to key) selects. */
static int queue_robots(struct ctx *c, const char *sql, int64_t org_id, const char *scope,
			const struct notice *n)
{
	int64_t ids[64];
	int count = 0;
	struct db_stmt *st = db_prepare(c->db, sql);
	if (scope)
		db_bind_text(st, 1, scope);
	else
		db_bind_int(st, 1, org_id);
	while (db_step(st) == DB_ROW && count < 64)
		ids[count++] = db_col_int(st, 0);
	db_done(st);
	char *params = n->params ? json_dumps(n->params, JSON_COMPACT) : NULL;
	int rc = 0;
	for (int i = 0; i < count && rc == 0; i++)
		rc = insert_outbox(c, "webhook", 0, 0, ids[i], NULL, n, params, "pending");
	free(params);
	return rc;
}

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
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW) {
		free(params);
		return ctx_db_error(c);
	}
	rc = queue_email(c, id, user_id, n, params);
	free(params);
	return rc;
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
	if (queue_robots(c, sql_org_robots, org_id, NULL, n) != 0)
		return -1;
	return told;
}

int notify_scope(struct ctx *c, const char *scope, const struct notice *n)
{
	return queue_robots(c, sql_scope_robots, 0, scope, n);
}

/* A test send's arguments, for its transaction's step: `count` notices to a user, or to the
 * robots of an organization (org_id) or of a scope. */
struct test_send {
	int64_t user_id, org_id;
	const char *scope, *message;
	int count;
};

static int send_test_step(struct ctx *c, void *arg)
{
	struct test_send *a = arg;
	int found = db_exists(c->db, sql_user_active, "l", a->user_id);
	if (found <= 0)
		return found < 0 ? ctx_db_error(c) : error_set(&c->err, E_NOT_FOUND, NULL);
	json_t *params = json_pack("{s:s, s:s}", "sender", c->who->display_name, "message",
				   a->message ? a->message : "");
	struct notice n = {.kind = "test", .params = params, .link = "/notifications"};
	int rc = 0;
	for (int i = 0; i < a->count && rc == 0; i++) {
		json_object_set_new(params, "seq", json_integer(i + 1));
		rc = insert_notification(c, a->user_id, &n);
	}
	json_t *after = json_pack("{s:I, s:i}", "user_id", (json_int_t)a->user_id, "count", a->count);
	if (rc == 0)
		rc = audit_append(c, "notify.test", "user", a->user_id, NULL, after);
	json_decref(after);
	json_decref(params);
	return rc;
}

int notify_send_test(struct ctx *c, int64_t user_id, const char *message, int count)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return -1;
	if (count < 1 || count > 100000)
		return error_set(&c->err, E_BAD_REQUEST, NULL);
	struct test_send a = {.user_id = user_id, .message = message, .count = count};
	return ctx_tx(c, send_test_step, &a);
}

static int send_test_robots_step(struct ctx *c, void *arg)
{
	struct test_send *a = arg;
	json_t *params = json_pack("{s:s, s:s}", "sender", c->who->display_name, "message",
				   a->message ? a->message : "");
	struct notice n = {.kind = "test", .params = params, .link = ""};
	int rc = 0;
	for (int i = 0; i < a->count && rc == 0; i++) {
		json_object_set_new(params, "seq", json_integer(i + 1));
		rc = a->org_id ? queue_robots(c, sql_org_robots, a->org_id, NULL, &n)
			       : queue_robots(c, sql_scope_robots, 0, a->scope, &n);
	}
	json_t *after = json_pack("{s:s?, s:I, s:i}", "scope", a->scope, "org_id",
				  (json_int_t)a->org_id, "count", a->count);
	if (rc == 0)
		rc = audit_append(c, "notify.test_robots", "notify_webhook", 0, NULL, after);
	json_decref(after);
	json_decref(params);
	return rc;
}

int notify_send_test_robots(struct ctx *c, int64_t org_id, const char *scope, const char *message,
			    int count)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return -1;
	if (count < 1 || count > 100000)
		return error_set(&c->err, E_BAD_REQUEST, NULL);
	struct test_send a = {.org_id = org_id, .scope = scope, .message = message, .count = count};
	return ctx_tx(c, send_test_robots_step, &a);
}
