/*
 * The outbox seen by an administrator (failed deliveries and their retry), the SMTP settings,
 * the public base URL of links, each user's e-mail preference, and the daily digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "notify/notify.h"
#include "notify/notify_admin.h"

static const char sql_outbox_page[] =
	"SELECT o.id, o.channel, o.webhook_id, w.name, o.target, o.kind, o.params, o.link, "
	"o.state, o.attempts, o.next_at, o.last_error, o.created_at, o.sent_at "
	"FROM notify_outbox o LEFT JOIN notify_webhook w ON w.id = o.webhook_id "
	"WHERE o.state = $1 ORDER BY o.id DESC LIMIT $2 OFFSET $3";
static const char sql_outbox_count[] = "SELECT count(*) FROM notify_outbox WHERE state = $1";
static const char sql_outbox_retry[] =
	"UPDATE notify_outbox SET state = 'pending', attempts = 0, next_at = $2, "
	"claimed_until = NULL WHERE id = $1 AND state = 'failed'";
static const char sql_outbox_exists[] = "SELECT 1 FROM notify_outbox WHERE id = $1";

static json_t *outbox_item(struct ctx *c, struct db_stmt *st)
{
	json_t *params = json_loads(db_col_text(st, 6), 0, NULL);
	struct buf key = {0}, text = {0};
	buf_printf(&key, "notify.%s", db_col_text(st, 5));
	msg_render_params(&text, key.data, c->lang, params);
	json_decref(params);
	json_t *item = json_pack(
		"{s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:I, s:o}", "id",
		(json_int_t)db_col_int(st, 0), "channel", db_col_text(st, 1), "webhook_id",
		db_col_isnull(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
		"webhook_name", db_col_isnull(st, 3) ? json_null() : json_string(db_col_text(st, 3)),
		"target", db_col_text(st, 4), "kind", db_col_text(st, 5), "text",
		text.data ? text.data : "", "link", db_col_text(st, 7), "state", db_col_text(st, 8),
		"attempts", (json_int_t)db_col_int(st, 9), "next_at", (json_int_t)db_col_int(st, 10),
		"last_error",
		db_col_isnull(st, 11) ? json_null() : json_string(db_col_text(st, 11)),
		"created_at", (json_int_t)db_col_int(st, 12), "sent_at",
		db_col_isnull(st, 13) ? json_null() : json_integer(db_col_int(st, 13)));
	buf_free(&key);
	buf_free(&text);
	return item;
}

json_t *notify_outbox_list(struct ctx *c, const char *state, int64_t page, int64_t per_page)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return NULL;
	int64_t total = db_int(c->db, -1, sql_outbox_count, "s", state);
	json_t *items = json_array();
	struct db_stmt *st =
		db_query(c->db, sql_outbox_page, "sll", state, per_page, (page - 1) * per_page);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, outbox_item(c, st));
	db_done(st);
	if (rc == DB_ERROR || total < 0) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)page,
			 "per_page", (json_int_t)per_page, "total", (json_int_t)total);
}

/* The end of a step: when the change went well (rc 0), its audit record. Steals `after`. */
static int audited(struct ctx *c, int rc, const char *action, const char *type, int64_t id,
		   json_t *after)
{
	if (rc == 0)
		rc = audit_append(c, action, type, id, NULL, after);
	json_decref(after);
	return rc;
}

/* A settings or outbox write's arguments, for its transaction's step. */
struct outbox_write {
	int64_t id;                    /* the outbox row to retry */
	const char *text;              /* the public URL, or the e-mail mode */
	const struct smtp_input *smtp; /* the SMTP settings */
};

static int outbox_retry_step(struct ctx *c, void *arg)
{
	const struct outbox_write *a = arg;
	int64_t n = db_run(c->db, sql_outbox_retry, "ll", a->id, c->now);
	int rc = 0;
	if (n < 0)
		rc = ctx_db_error(c);
	else if (n == 0)
		rc = error_set(&c->err, db_exists(c->db, sql_outbox_exists, "l", a->id) == 1
					? E_CONFLICT : E_NOT_FOUND,
			       NULL);
	return audited(c, rc, "notify.outbox_retry", "notify_outbox", a->id, NULL);
}

int notify_outbox_retry(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return -1;
	struct outbox_write a = {.id = id};
	return ctx_tx(c, outbox_retry_step, &a);
}

/* ---- SMTP settings (rows of notify_setting) ---- */

static const char sql_setting_get[] = "SELECT value FROM notify_setting WHERE name = $1";
static const char sql_setting_del[] = "DELETE FROM notify_setting WHERE name = $1";
static const char sql_setting_put[] =
	"INSERT INTO notify_setting (name, value, updated_at) VALUES ($1, $2, $3)";

static const char *setting(struct ctx *c, const char *name)
{
	struct db_stmt *st = db_query(c->db, sql_setting_get, "s", name);
	const char *v = db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : "";
	db_done(st);
	return v;
}

static int put_setting(struct ctx *c, const char *name, const char *value)
{
	if (db_run(c->db, sql_setting_del, "s", name) < 0 ||
	    db_run(c->db, sql_setting_put, "ssl", name, value ? value : "", c->now) < 0)
		return ctx_db_error(c);
	return 0;
}

json_t *notify_smtp_get(struct ctx *c)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return NULL;
	const char *port = setting(c, "smtp_port");
	const char *tls = setting(c, "smtp_tls");
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:b}", "host", setting(c, "smtp_host"), "port",
			 (json_int_t)(port[0] ? atoll(port) : 25), "tls", tls[0] ? tls : "none",
			 "user", setting(c, "smtp_user"), "from", setting(c, "smtp_from"),
			 "password_set", setting(c, "smtp_password")[0] != 0);
}

static int smtp_put_step(struct ctx *c, void *arg)
{
	const struct smtp_input *in = ((const struct outbox_write *)arg)->smtp;
	char port[24];
	snprintf(port, sizeof port, "%lld", (long long)in->port);
	int rc = put_setting(c, "smtp_host", in->host);
	if (rc == 0)
		rc = put_setting(c, "smtp_port", port);
	if (rc == 0)
		rc = put_setting(c, "smtp_tls", in->tls);
	if (rc == 0)
		rc = put_setting(c, "smtp_user", in->user);
	if (rc == 0)
		rc = put_setting(c, "smtp_from", in->from);
	if (rc == 0 && in->password)
		rc = put_setting(c, "smtp_password", in->password);
	json_t *after = json_pack("{s:s, s:I, s:s, s:s?, s:s, s:b}", "host", in->host, "port",
				  (json_int_t)in->port, "tls", in->tls, "user", in->user, "from",
				  in->from, "password_changed", in->password != NULL);
	return audited(c, rc, "notify.smtp_update", "notify_setting", 0, after);
}

int notify_smtp_put(struct ctx *c, const struct smtp_input *in)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return -1;
	struct outbox_write a = {.smtp = in};
	return ctx_tx(c, smtp_put_step, &a);
}

/* ---- the public base URL of links in e-mails and robot messages ---- */

/* The startup value (tongxin serve --public-url / TONGXIN_PUBLIC_URL): set once before any
 * thread starts, read-only afterwards. */
static char startup_public_url[256];

int notify_public_url_valid(const char *url)
{
	size_t n = strlen(url);
	const char *host = strncmp(url, "https://", 8) == 0 ? url + 8
			   : strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
	if (!host || n > 200 || !*host || *host == '/')
		return 0;
	for (const char *p = host; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || strchr("?#\"'<>`{}|^\\", *p))
			return 0;
	return 1;
}

void notify_configure_public_url(const char *url)
{
	snprintf(startup_public_url, sizeof startup_public_url, "%s", url ? url : "");
	for (size_t n = strlen(startup_public_url); n > 0 && startup_public_url[n - 1] == '/'; n--)
		startup_public_url[n - 1] = 0;
}

const char *notify_public_url(struct ctx *c)
{
	const char *set = setting(c, "public_url");
	return set[0] ? set : startup_public_url;
}

json_t *notify_public_url_get(struct ctx *c)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return NULL;
	const char *set = setting(c, "public_url");
	const char *source = set[0] ? "setting" : startup_public_url[0] ? "startup" : "none";
	return json_pack("{s:s, s:s, s:s, s:s}", "public_url", set, "startup_url",
			 startup_public_url, "effective", set[0] ? set : startup_public_url, "source",
			 source);
}

static int public_url_put_step(struct ctx *c, void *arg)
{
	const struct outbox_write *a = arg;
	int rc = put_setting(c, "public_url", a->text);
	return audited(c, rc, "notify.public_url_update", "notify_setting", 0,
		       json_pack("{s:s}", "public_url", a->text));
}

int notify_public_url_put(struct ctx *c, const char *url)
{
	if (policy_check(c, ACT_NOTIFY_ADMIN, NULL) != 0)
		return -1;
	if (url[0] && !notify_public_url_valid(url)) {
		error_field(&c->err, "public_url", "notify.bad_public_url", 0);
		return error_check(&c->err);
	}
	char *clean = arena_strdup(c->arena, url);
	for (size_t n = strlen(clean); n > 0 && clean[n - 1] == '/'; n--)
		clean[n - 1] = 0; /* links start with '/' */
	struct outbox_write a = {.text = clean};
	return ctx_tx(c, public_url_put_step, &a);
}

/* ---- preferences ---- */

static const char sql_pref_get[] =
	"SELECT COALESCE(p.email_mode, 'immediate'), u.email FROM app_user u "
	"LEFT JOIN notify_preference p ON p.user_id = u.id WHERE u.id = $1";
static const char sql_pref_del[] = "DELETE FROM notify_preference WHERE user_id = $1";
static const char sql_pref_put[] =
	"INSERT INTO notify_preference (user_id, email_mode, updated_at) VALUES ($1, $2, $3)";
/* Switching away from the digest sends what waits at once (as immediate e-mail). */
static const char sql_undigest[] =
	"UPDATE notify_outbox SET state = 'pending', next_at = $2 WHERE user_id = $1 "
	"AND state = 'digest'";

json_t *notify_preferences_get(struct ctx *c)
{
	if (policy_check(c, ACT_NOTIFY_OWN, NULL) != 0)
		return NULL;
	struct db_stmt *st = db_query(c->db, sql_pref_get, "l", c->who->user_id);
	json_t *out = NULL;
	if (db_step(st) == DB_ROW)
		out = json_pack("{s:s, s:s?}", "email_mode", db_col_text(st, 0), "email",
				db_col_text(st, 1));
	db_done(st);
	if (!out)
		error_set(&c->err, E_NOT_FOUND, NULL);
	return out;
}

static int preferences_put_step(struct ctx *c, void *arg)
{
	const char *email_mode = ((const struct outbox_write *)arg)->text;
	int64_t me = c->who->user_id;
	int rc = 0;
	if (db_run(c->db, sql_pref_del, "l", me) < 0 ||
	    db_run(c->db, sql_pref_put, "lsl", me, email_mode, c->now) < 0)
		rc = ctx_db_error(c);
	if (rc == 0 && strcmp(email_mode, "digest") != 0 &&
	    db_run(c->db, sql_undigest, "ll", me, c->now) < 0)
		rc = ctx_db_error(c);
	json_t *after = json_pack("{s:s}", "email_mode", email_mode);
	return audited(c, rc, "notify.preferences", "user", me, after);
}

int notify_preferences_put(struct ctx *c, const char *email_mode)
{
	if (policy_check(c, ACT_NOTIFY_OWN, NULL) != 0)
		return -1;
	struct outbox_write a = {.text = email_mode};
	return ctx_tx(c, preferences_put_step, &a);
}

/* ---- the daily digest ---- */

enum { DIGEST_MAX_ITEMS = 50 };

static const char sql_digest_users[] =
	"SELECT DISTINCT user_id FROM notify_outbox WHERE state = 'digest' LIMIT 500";
static const char sql_digest_rows[] =
	"SELECT id, kind, params, target, link FROM notify_outbox WHERE user_id = $1 "
	"AND state = 'digest' ORDER BY id";
static const char sql_digest_done[] =
	"UPDATE notify_outbox SET state = 'sent', sent_at = $2 WHERE user_id = $1 "
	"AND state = 'digest' AND id <= $3";
static const char sql_digest_queue[] =
	"INSERT INTO notify_outbox (channel, user_id, target, kind, params, link, state, next_at, "
	"created_at) VALUES ('email', $1, $2, 'digest', $3, '', 'pending', $4, $4)";

/* One user's digest, for its transaction's step. */
struct digest {
	int64_t user_id;
	const char *base; /* the public URL, read before the transaction */
};

static int digest_user_step(struct ctx *c, void *arg)
{
	const struct digest *a = arg;
	int64_t user_id = a->user_id;
	const char *base = a->base;
	struct db_stmt *st = db_query(c->db, sql_digest_rows, "l", user_id);
	struct buf items = {0};
	char target[256] = "";
	int64_t last = 0;
	int count = 0;
	while (db_step(st) == DB_ROW) {
		last = db_col_int(st, 0);
		snprintf(target, sizeof target, "%s", db_col_text(st, 3));
		if (++count > DIGEST_MAX_ITEMS)
			continue;
		json_t *params = json_loads(db_col_text(st, 2), 0, NULL);
		struct buf key = {0};
		buf_printf(&key, "notify.%s", db_col_text(st, 1));
		buf_puts(&items, "· ");
		msg_render_params(&items, key.data, LANG_ZH, params);
		const char *link = db_col_text(st, 4);
		if (base[0] && link && link[0] == '/') /* relative links help nobody in a mailbox */
			buf_printf(&items, "\n  %s%s", base, link);
		buf_putc(&items, '\n');
		json_decref(params);
		buf_free(&key);
	}
	db_done(st);
	json_t *p = json_pack("{s:i, s:s}", "count", count, "items", items.data ? items.data : "");
	char *params = json_dumps(p, JSON_COMPACT);
	int rc = 0;
	if (count && (db_run(c->db, sql_digest_queue, "lssl", user_id, target, params, c->now) < 0 ||
		      db_run(c->db, sql_digest_done, "lll", user_id, c->now, last) < 0))
		rc = ctx_db_error(c);
	free(params);
	json_decref(p);
	buf_free(&items);
	return rc;
}

/* Folds one user's waiting rows into one e-mail row, in one transaction. */
static int digest_user(struct ctx *c, int64_t user_id)
{
	struct digest a = {user_id, notify_public_url(c)};
	return ctx_tx(c, digest_user_step, &a);
}

int notify_digest_run(struct ctx *c)
{
	int64_t users[500];
	int n = 0;
	struct db_stmt *st = db_query(c->db, sql_digest_users, "");
	while (db_step(st) == DB_ROW && n < 500)
		users[n++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++)
		if (digest_user(c, users[i]) != 0)
			return -1;
	return n;
}
