/*
 * Group robots: WeCom, DingTalk and Feishu webhooks bound to an organization (notify_org posts
 * there) or to a scope string a feature owns ("board:12", posted by notify_scope). Who manages
 * which robot is ACT_NOTIFY_ROBOTS in core/policy.c: an organization's robots its street's staff
 * and its own administrators, scope robots the district staff, all of them the administrators.
 * A robot's URL must be its platform's official https host (notify_robot_url.h: nobody can make
 * the server post inside). The URL carries the robot's key or token and the secret signs
 * requests: both are shown masked, never in full, and never written to the audit trail.
 */
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "notify/notify.h"
#include "notify/notify_admin.h"
#include "notify/notify_robot_url.h"

const char *const notify_robot_kinds[] = {"wecom", "dingtalk", "feishu", NULL};

static const char sql_list[] =
	"SELECT w.id, w.name, w.kind, w.url, w.secret, w.org_id, w.scope, w.rate_per_minute, "
	"w.enabled, w.created_at, w.updated_at, o.street_code FROM notify_webhook w "
	"LEFT JOIN org o ON o.id = w.org_id ORDER BY w.id";
static const char sql_get[] =
	"SELECT id, name, kind, url, secret, org_id, scope, rate_per_minute, enabled, created_at, "
	"updated_at FROM notify_webhook WHERE id = $1";
static const char sql_insert[] =
	"INSERT INTO notify_webhook (name, kind, url, secret, org_id, scope, rate_per_minute, "
	"enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
	"RETURNING id";
static const char sql_update[] =
	"UPDATE notify_webhook SET name = COALESCE($2, name), kind = COALESCE($3, kind), "
	"url = COALESCE($4, url), secret = COALESCE($5, secret), "
	"org_id = CASE WHEN CAST($6 AS BIGINT) > 0 THEN CAST($6 AS BIGINT) "
	"WHEN CAST($7 AS TEXT) IS NOT NULL THEN NULL ELSE org_id END, "
	"scope = CASE WHEN CAST($7 AS TEXT) IS NOT NULL THEN CAST($7 AS TEXT) "
	"WHEN CAST($6 AS BIGINT) > 0 THEN NULL ELSE scope END, "
	"rate_per_minute = CASE WHEN CAST($8 AS BIGINT) > 0 THEN CAST($8 AS BIGINT) "
	"ELSE rate_per_minute END, "
	"enabled = CASE WHEN CAST($9 AS BIGINT) >= 0 THEN CAST($9 AS BIGINT) ELSE enabled END, "
	"updated_at = $10 WHERE id = $1";
static const char sql_delete[] = "DELETE FROM notify_webhook WHERE id = $1";
static const char sql_kind_url[] = "SELECT kind, url FROM notify_webhook WHERE id = $1";
static const char sql_org_exists[] = "SELECT 1 FROM org WHERE id = $1";
static const char sql_org_street[] = "SELECT street_code FROM org WHERE id = $1";
static const char sql_robot_org[] =
	"SELECT CASE WHEN org_id IS NULL THEN 0 ELSE org_id END FROM notify_webhook WHERE id = $1";
static const char sql_queue_test[] =
	"INSERT INTO notify_outbox (channel, webhook_id, kind, params, link, state, next_at, "
	"created_at) VALUES ('webhook', $1, 'robot_test', $2, '', 'pending', $3, $3)";

const char *notify_mask(struct ctx *c, const char *secret)
{
	if (!secret || !*secret)
		return "";
	/* keep everything up to the last '/', '=' (the key or token starts there) + 4 chars */
	const char *cut = secret;
	for (const char *p = secret; *p; p++)
		if (*p == '/' || *p == '=')
			cut = p + 1;
	size_t keep = (size_t)(cut - secret) + 4;
	if (keep > strlen(secret))
		keep = strlen(secret) > 4 ? (size_t)(cut - secret) : 0;
	return arena_printf(c->arena, "%.*s****", (int)keep, secret);
}

static json_t *robot_json(struct ctx *c, struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:I, s:b, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "kind",
			 db_col_text(st, 2), "url", notify_mask(c, db_col_text(st, 3)),
			 "secret_masked", notify_mask(c, db_col_text(st, 4)), "secret_set",
			 db_col_text(st, 4) && *db_col_text(st, 4),
			 "org_id", db_col_isnull(st, 5) ? json_null() : json_integer(db_col_int(st, 5)),
			 "scope", db_col_isnull(st, 6) ? json_null() : json_string(db_col_text(st, 6)),
			 "rate_per_minute", (json_int_t)db_col_int(st, 7), "enabled",
			 (int)db_col_int(st, 8), "created_at", (json_int_t)db_col_int(st, 9),
			 "updated_at", (json_int_t)db_col_int(st, 10));
}

/* The policy object of a robot bound to org_id (0: a scope robot): the organization and its
 * street, as the jurisdiction rules need them. */
static struct policy_object robot_object(struct ctx *c, int64_t org_id)
{
	struct policy_object obj = {org_id, NULL, 0};
	if (org_id) {
		struct db_stmt *st = db_query(c->db, sql_org_street, "l", org_id);
		if (db_step(st) == DB_ROW && !db_col_isnull(st, 0))
			obj.street_code = arena_strdup(c->arena, db_col_text(st, 0));
		db_done(st);
	}
	return obj;
}

/* 0 when the caller may manage robot id (403 otherwise; 404 when there is none). */
static int check_robot(struct ctx *c, int64_t id)
{
	int64_t org = db_int(c->db, -1, sql_robot_org, "l", id);
	if (org < 0)
		return error_set(&c->err, E_NOT_FOUND, NULL);
	struct policy_object obj = robot_object(c, org);
	return policy_check(c, ACT_NOTIFY_ROBOTS, &obj);
}

/* 0 when the caller may bind a robot as `in` says (its organization, or a scope). */
static int check_binding(struct ctx *c, const struct robot_input *in)
{
	struct policy_object obj = robot_object(c, in->org_id);
	return policy_check(c, ACT_NOTIFY_ROBOTS, &obj);
}

json_t *notify_robot_list(struct ctx *c)
{
	if (policy_check(c, ACT_NOTIFY_ROBOTS, NULL) != 0)
		return NULL;
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, sql_list, "");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		/* only the robots the caller may manage: their jurisdiction, their organization */
		struct policy_object obj = {db_col_isnull(st, 5) ? 0 : db_col_int(st, 5),
					    db_col_isnull(st, 11) ? NULL : db_col_text(st, 11), 0};
		if (policy_allows(c->who, ACT_NOTIFY_ROBOTS, &obj))
			json_array_append_new(items, robot_json(c, st));
	}
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o}", "items", items);
}

json_t *notify_robot_get(struct ctx *c, int64_t id)
{
	if (check_robot(c, id) != 0)
		return NULL;
	struct db_stmt *st = db_query(c->db, sql_get, "l", id);
	json_t *out = db_step(st) == DB_ROW ? robot_json(c, st) : NULL;
	db_done(st);
	if (!out)
		error_set(&c->err, E_NOT_FOUND, NULL);
	return out;
}

/* What the audit records of a robot: never the URL's key or the secret. */
static json_t *robot_audit(const struct robot_input *in)
{
	json_t *a = json_object();
	if (in->name)
		json_object_set_new(a, "name", json_string(in->name));
	if (in->kind)
		json_object_set_new(a, "kind", json_string(in->kind));
	if (in->url)
		json_object_set_new(a, "url_changed", json_true());
	if (in->secret)
		json_object_set_new(a, "secret_changed", json_true());
	if (in->org_id)
		json_object_set_new(a, "org_id", json_integer(in->org_id));
	if (in->scope)
		json_object_set_new(a, "scope", json_string(in->scope));
	if (in->rate_per_minute)
		json_object_set_new(a, "rate_per_minute", json_integer(in->rate_per_minute));
	if (in->enabled >= 0)
		json_object_set_new(a, "enabled", json_boolean(in->enabled));
	return a;
}

int notify_robot_url_check(struct ctx *c, const char *kind, const char *url)
{
	const char *problem = notify_robot_url_problem(kind, url);
	if (!problem)
		return 0;
	error_field(&c->err, "url", problem, 0);
	return -1;
}

/* An update that changes the kind or the URL: the robot's URL as it will be must suit its
 * kind as it will be (a WeCom URL does not become a DingTalk robot's). 0 or -1 (422). */
static int check_changed_url(struct ctx *c, int64_t id, const struct robot_input *in)
{
	if (!in->kind && !in->url)
		return 0;
	struct db_stmt *st = db_query(c->db, sql_kind_url, "l", id);
	int rc = db_step(st) == DB_ROW ? 0 : error_set(&c->err, E_NOT_FOUND, NULL);
	if (rc == 0)
		rc = notify_robot_url_check(c, in->kind ? in->kind : db_col_text(st, 0),
					    in->url ? in->url : db_col_text(st, 1));
	db_done(st);
	return rc;
}

static int check_org(struct ctx *c, int64_t org_id)
{
	if (org_id && db_exists(c->db, sql_org_exists, "l", org_id) != 1) {
		error_field(&c->err, "org_id", "notify.no_such_org", 0);
		return -1;
	}
	return 0;
}

/* The end of a step: when the write went well (rc 0), its audit record. Steals `after`. */
static int finish(struct ctx *c, int rc, const char *action, int64_t id, json_t *after)
{
	if (rc == 0)
		rc = audit_append(c, action, "notify_webhook", id, NULL, after);
	json_decref(after);
	return rc;
}

/* A robot write's arguments, for its transaction's step. */
struct robot_write {
	int64_t id; /* the robot (create: the new one) */
	const struct robot_input *in;
};

static int robot_create_step(struct ctx *c, void *arg)
{
	struct robot_write *a = arg;
	const struct robot_input *in = a->in;
	if (check_org(c, in->org_id) != 0 || check_binding(c, in) != 0)
		return -1;
	struct db_stmt *st = db_prepare(c->db, sql_insert);
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->kind);
	db_bind_text(st, 3, in->url);
	db_bind_text(st, 4, in->secret ? in->secret : "");
	if (in->org_id)
		db_bind_int(st, 5, in->org_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, in->org_id ? NULL : in->scope);
	db_bind_int(st, 7, in->rate_per_minute ? in->rate_per_minute : 20);
	db_bind_int(st, 8, in->enabled == 0 ? 0 : 1);
	db_bind_int(st, 9, c->now);
	a->id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return finish(c, a->id ? 0 : ctx_db_error(c), "notify.robot_create", a->id, robot_audit(in));
}

int64_t notify_robot_create(struct ctx *c, const struct robot_input *in)
{
	if (policy_check(c, ACT_NOTIFY_ROBOTS, NULL) != 0)
		return -1;
	if (!in->org_id && !in->scope)
		error_field(&c->err, "org_id", "notify.robot_binding", 0);
	notify_robot_url_check(c, in->kind, in->url);
	if (error_check(&c->err) != 0)
		return -1;
	struct robot_write a = {0, in};
	if (ctx_tx(c, robot_create_step, &a) != 0)
		return -1;
	return a.id;
}

static int robot_update_step(struct ctx *c, void *arg)
{
	const struct robot_write *a = arg;
	int64_t id = a->id;
	const struct robot_input *in = a->in;
	/* the robot as it is, and (when it moves) where it goes, must both be the caller's */
	if (check_robot(c, id) != 0 || check_org(c, in->org_id) != 0 ||
	    ((in->org_id || in->scope) && check_binding(c, in) != 0) ||
	    check_changed_url(c, id, in) != 0)
		return -1;
	struct db_stmt *st = db_prepare(c->db, sql_update);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->kind);
	db_bind_text(st, 4, in->url);
	db_bind_text(st, 5, in->secret);
	db_bind_int(st, 6, in->org_id);
	db_bind_text(st, 7, in->org_id ? NULL : in->scope);
	db_bind_int(st, 8, in->rate_per_minute);
	db_bind_int(st, 9, in->enabled);
	db_bind_int(st, 10, c->now);
	int rc = db_step(st);
	int64_t changed = rc == DB_ERROR ? 0 : db_changes(st);
	db_done(st);
	if (rc == DB_ERROR)
		rc = ctx_db_error(c);
	else if (changed == 0)
		rc = error_set(&c->err, E_NOT_FOUND, NULL);
	else
		rc = 0;
	return finish(c, rc, "notify.robot_update", id, robot_audit(in));
}

/* Runs `step` on the robot `id` in one transaction, for a caller with ACT_NOTIFY_ROBOTS. */
static int robot_tx(struct ctx *c, int64_t id, const struct robot_input *in,
		    int (*step)(struct ctx *c, void *arg))
{
	if (policy_check(c, ACT_NOTIFY_ROBOTS, NULL) != 0)
		return -1;
	struct robot_write a = {id, in};
	return ctx_tx(c, step, &a);
}

int notify_robot_update(struct ctx *c, int64_t id, const struct robot_input *in)
{
	return robot_tx(c, id, in, robot_update_step);
}

static int robot_delete_step(struct ctx *c, void *arg)
{
	int64_t id = ((const struct robot_write *)arg)->id;
	if (check_robot(c, id) != 0)
		return -1;
	int64_t n = db_run(c->db, sql_delete, "l", id);
	int rc = n < 0 ? ctx_db_error(c) : n == 0 ? error_set(&c->err, E_NOT_FOUND, NULL) : 0;
	return finish(c, rc, "notify.robot_delete", id, NULL);
}

int notify_robot_delete(struct ctx *c, int64_t id)
{
	return robot_tx(c, id, NULL, robot_delete_step);
}

static int robot_test_step(struct ctx *c, void *arg)
{
	int64_t id = ((const struct robot_write *)arg)->id;
	int rc = check_robot(c, id);
	if (rc == 0) {
		json_t *p = json_pack("{s:s}", "sender", c->who->display_name);
		char *params = json_dumps(p, JSON_COMPACT);
		if (db_run(c->db, sql_queue_test, "lsl", id, params, c->now) < 0)
			rc = ctx_db_error(c);
		free(params);
		json_decref(p);
	}
	return finish(c, rc, "notify.robot_test", id, NULL);
}

int notify_robot_test(struct ctx *c, int64_t id)
{
	return robot_tx(c, id, NULL, robot_test_step);
}
