/*
 * Delivering the outbox.
 *
 * Exactly-once toward the receiver, as far as one can without the receiver's help:
 *   1. claim: one short write transaction sets claimed_until = now + lease on up to 50 due
 *      rows and counts the attempt; another instance (or this one after a restart) skips
 *      claimed rows until the lease runs out;
 *   2. send over HTTP/SMTP, outside any transaction;
 *   3. right after the 2xx, mark the row sent in a statement of its own.
 * The remaining at-least-once window is between 2 and 3: if the process dies after the
 * receiver accepted the message and before the mark commits (microseconds on SQLite, one
 * round trip on PostgreSQL), the row is sent again when its lease expires. Nothing is lost:
 * a row leaves 'pending' only as 'sent' or, after DELIVERY_MAX_ATTEMPTS, 'failed'.
 *
 * Backoff after a failed attempt k: 5 s * 2^(k-1), at most one hour. Robot rate limits
 * (20 per minute per robot by default) defer a row without counting an attempt.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include "lib/clock.h"
#include "core/principal.h"
#include "notify/notify_admin.h"
#include "notify/notify_channels.h"
#include "notify/notify_delivery.h"

enum { CLAIM_BATCH = 50 };

static const char sql_claim[] =
	"UPDATE notify_outbox SET claimed_until = $2, attempts = attempts + 1 "
	"WHERE id IN (SELECT id FROM notify_outbox WHERE state = 'pending' AND next_at <= $1 "
	"AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $3) "
	"AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < $1) "
	"RETURNING id, channel, webhook_id, target, kind, params, link, attempts";
static const char sql_mark_sent[] =
	"UPDATE notify_outbox SET state = 'sent', sent_at = $2, claimed_until = NULL, "
	"last_error = NULL WHERE id = $1";
static const char sql_mark_retry[] =
	"UPDATE notify_outbox SET next_at = $2, claimed_until = NULL, last_error = $3 WHERE id = $1";
static const char sql_mark_failed[] =
	"UPDATE notify_outbox SET state = 'failed', claimed_until = NULL, last_error = $2 "
	"WHERE id = $1";
static const char sql_defer[] =
	"UPDATE notify_outbox SET next_at = $2, claimed_until = NULL, attempts = attempts - 1 "
	"WHERE id = $1";
static const char sql_robot[] =
	"SELECT kind, url, secret, enabled, rate_per_minute, name FROM notify_webhook WHERE id = $1";
static const char sql_robot_recent[] =
	"SELECT count(*) FROM notify_outbox WHERE webhook_id = $1 AND sent_at > $2";
static const char sql_setting[] = "SELECT value FROM notify_setting WHERE name = $1";

struct claimed {
	int64_t id, webhook_id;
	int attempts;
	char *channel, *target, *kind, *params, *link;
};

static int lease_seconds(void)
{
	const char *env = getenv("TONGXIN_NOTIFY_LEASE");
	int v = env ? atoi(env) : 0;
	return v > 0 ? v : DELIVERY_LEASE_SECONDS;
}

static char *dup_col(struct db_stmt *st, int i)
{
	return xstrdup(db_col_text(st, i) ? db_col_text(st, i) : "");
}

/* The rows a claim took, for its transaction's step. */
struct claim {
	struct claimed *out;
	int n;
};

static int claim_step(struct ctx *c, void *arg)
{
	struct claim *a = arg;
	struct db_stmt *st = db_query(c->db, sql_claim, "lll", c->now,
				      c->now + lease_seconds(), (int64_t)CLAIM_BATCH);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && a->n < CLAIM_BATCH) {
		struct claimed *k = &a->out[a->n++];
		k->id = db_col_int(st, 0);
		k->channel = dup_col(st, 1);
		k->webhook_id = db_col_isnull(st, 2) ? 0 : db_col_int(st, 2);
		k->target = dup_col(st, 3);
		k->kind = dup_col(st, 4);
		k->params = dup_col(st, 5);
		k->link = dup_col(st, 6);
		k->attempts = (int)db_col_int(st, 7);
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

/* Claims up to CLAIM_BATCH due rows into out, in one short transaction; returns how many, or
 * -1 (nothing claimed). */
static int claim(struct ctx *c, struct claimed *out)
{
	struct claim a = {out, 0};
	if (ctx_tx(c, claim_step, &a) == 0)
		return a.n;
	for (int i = 0; i < a.n; i++) {
		struct claimed *k = &out[i];
		free(k->channel), free(k->target), free(k->kind), free(k->params), free(k->link);
	}
	return -1;
}

/* The Chinese text of a row (robots and e-mail speak the department's language), its link
 * made absolute with the public base URL when there is one (a relative link cannot be opened
 * from a mailbox or a chat group). */
static char *render(const struct claimed *k, const char *base)
{
	json_t *params = json_loads(k->params, 0, NULL);
	struct buf key = {0}, text = {0};
	buf_printf(&key, "notify.%s", k->kind);
	msg_render_params(&text, key.data, LANG_ZH, params);
	if (k->link[0])
		buf_printf(&text, "\n%s%s", k->link[0] == '/' ? base : "", k->link);
	json_decref(params);
	buf_free(&key);
	return buf_steal(&text, NULL);
}

/* Outcomes of one send. A permanent failure (robot disabled, a URL that is not its platform's
 * official host, the receiver refused the request itself with a 4xx other than 408/429) goes
 * to 'failed' at once: retrying cannot help until someone fixes the settings and retries from
 * the failed view. */
enum outcome { OUT_RETRY = 0, OUT_SENT = 1, OUT_DEFER = 2, OUT_PERMANENT = 3 };

static int permanent(const char *err)
{
	int status = 0;
	if (sscanf(err, "HTTP %d", &status) != 1)
		return 0;
	return status >= 400 && status < 500 && status != 408 && status != 429;
}

/* An enum outcome (err filled unless sent). */
static int send_robot(struct ctx *c, const struct claimed *k, const char *text, char *err)
{
	struct db_stmt *st = db_query(c->db, sql_robot, "l", k->webhook_id);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		snprintf(err, CHANNEL_ERROR_SIZE, "robot %lld is gone", (long long)k->webhook_id);
		return OUT_PERMANENT;
	}
	char kind[16], name[128];
	snprintf(kind, sizeof kind, "%s", db_col_text(st, 0));
	snprintf(name, sizeof name, "%s", db_col_text(st, 5));
	char *url = xstrdup(db_col_text(st, 1)), *secret = xstrdup(db_col_text(st, 2));
	int enabled = (int)db_col_int(st, 3), rate = (int)db_col_int(st, 4);
	db_done(st);
	int result;
	if (!enabled) {
		snprintf(err, CHANNEL_ERROR_SIZE, "robot disabled");
		result = OUT_PERMANENT;
	} else if (db_int(c->db, 0, sql_robot_recent, "ll", k->webhook_id, c->now - 60) >= rate) {
		result = OUT_DEFER;
	} else {
		int sent = channel_robot_send(kind, url, secret, "同心通知", text, err);
		if (sent == 0)
			result = OUT_SENT;
		else
			result = sent == -2 || permanent(err) ? OUT_PERMANENT : OUT_RETRY;
	}
	free(url);
	free(secret);
	return result;
}

/* Reads the SMTP settings; 0 when a host is set. */
static int smtp_settings(struct ctx *c, struct smtp_settings *s)
{
	static const struct {
		const char *name;
		size_t off, size;
	} fields[] = {
		{"smtp_host", offsetof(struct smtp_settings, host), sizeof s->host},
		{"smtp_tls", offsetof(struct smtp_settings, tls), sizeof s->tls},
		{"smtp_user", offsetof(struct smtp_settings, user), sizeof s->user},
		{"smtp_password", offsetof(struct smtp_settings, password), sizeof s->password},
		{"smtp_from", offsetof(struct smtp_settings, from), sizeof s->from},
	};
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		struct db_stmt *st = db_query(c->db, sql_setting, "s", fields[i].name);
		if (db_step(st) == DB_ROW)
			snprintf((char *)s + fields[i].off, fields[i].size, "%s", db_col_text(st, 0));
		db_done(st);
	}
	s->port = (int)db_int(c->db, 25, "SELECT CAST(value AS BIGINT) FROM notify_setting "
					 "WHERE name = 'smtp_port'", "");
	if (!s->tls[0])
		strcpy(s->tls, "none");
	return s->host[0] ? 0 : -1;
}

static int send_email(struct ctx *c, const struct claimed *k, const char *text, char *err)
{
	struct smtp_settings s;
	if (smtp_settings(c, &s) != 0) {
		snprintf(err, CHANNEL_ERROR_SIZE, "SMTP is not configured");
		return OUT_PERMANENT;
	}
	return channel_email_send(&s, k->target, "同心平台通知", text, err) == 0 ? OUT_SENT
										: OUT_RETRY;
}

static void record(struct ctx *c, const struct claimed *k, int outcome, const char *err)
{
	int64_t now = clock_now();
	if (outcome == OUT_SENT) {
		db_run(c->db, sql_mark_sent, "ll", k->id, now);
	} else if (outcome == OUT_DEFER) {
		db_run(c->db, sql_defer, "ll", k->id, now + 5);
	} else if (outcome == OUT_PERMANENT || k->attempts >= DELIVERY_MAX_ATTEMPTS) {
		db_run(c->db, sql_mark_failed, "ls", k->id, err);
	} else {
		int64_t delay = (int64_t)5 << (k->attempts - 1 < 10 ? k->attempts - 1 : 10);
		db_run(c->db, sql_mark_retry, "lls", k->id, now + (delay < 3600 ? delay : 3600), err);
	}
}

int notify_deliver_due(struct ctx *c, int max)
{
	int handled = 0;
	while (handled < max) {
		struct claimed batch[CLAIM_BATCH];
		const char *base = notify_public_url(c);
		int n = claim(c, batch);
		if (n < 0)
			return handled ? handled : -1;
		for (int i = 0; i < n; i++) {
			struct claimed *k = &batch[i];
			char err[CHANNEL_ERROR_SIZE] = "";
			char *text = render(k, base);
			int outcome = strcmp(k->channel, "webhook") == 0 ? send_robot(c, k, text, err)
									 : send_email(c, k, text, err);
			record(c, k, outcome, err);
			free(text);
			free(k->channel), free(k->target), free(k->kind), free(k->params), free(k->link);
		}
		handled += n;
		if (n < CLAIM_BATCH)
			break;
		c->now = clock_now();
	}
	return handled;
}

int notify_deliver_task(struct ctx *c)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return notify_deliver_due(c, 10000);
}

/* ---- the thread: wakes every second; sends until nothing is due ---- */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int running, stopping;
} delivery = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *delivery_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&delivery.lock);
	while (!delivery.stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&delivery.wake, &delivery.lock, &until);
		if (delivery.stopping)
			break;
		pthread_mutex_unlock(&delivery.lock);
		struct error dberr = {0};
		struct db *db = db_thread(&dberr);
		if (db) {
			struct principal who;
			principal_system(&who);
			struct ctx c = {.arena = arena_new(), .db = db, .who = &who, .lang = LANG_ZH,
					.now = clock_now(), .remote_addr = "delivery"};
			if (notify_deliver_due(&c, 1000) < 0)
				fprintf(stderr, "tongxin: notification delivery: %s\n", c.err.log);
			arena_free(c.arena);
		}
		pthread_mutex_lock(&delivery.lock);
	}
	pthread_mutex_unlock(&delivery.lock);
	return NULL;
}

int notify_delivery_start(void)
{
	if (delivery.running)
		return 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	delivery.stopping = 0;
	if (pthread_create(&delivery.thread, NULL, delivery_main, NULL) != 0)
		return -1;
	delivery.running = 1;
	return 0;
}

void notify_delivery_stop(void)
{
	if (!delivery.running)
		return;
	pthread_mutex_lock(&delivery.lock);
	delivery.stopping = 1;
	pthread_cond_signal(&delivery.wake);
	pthread_mutex_unlock(&delivery.lock);
	pthread_join(delivery.thread, NULL);
	delivery.running = 0;
}
