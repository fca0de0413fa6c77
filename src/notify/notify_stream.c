/*
 * Live delivery to open browsers over Server-Sent Events (GET /api/v1/notifications/stream).
 *
 * Cost model: an idle stream is one suspended MHD connection plus one struct sse_sub (under
 * 200 bytes) — no thread, no timer, no polling per connection. The MHD content-reader callback
 * produces bytes when there are some, and otherwise suspends its own connection; it is resumed
 * only when something is for it (a new notification of its user, a heartbeat, shutdown).
 *
 * Publication: one hub thread per process asks the database every 100 ms for notification
 * rows with an id above the highest it has seen (an index range scan that returns nothing when
 * nothing happened) and wakes the streams of those rows' users. Polling the table, rather than
 * publishing from notify_user(), is deliberate:
 *   - only committed rows are visible, so a notification whose transaction rolls back is never
 *     shown, and no after-commit hook is needed in the data layer;
 *   - it needs no PostgreSQL-only LISTEN/NOTIFY, so it works the same on SQLite;
 *   - a second server instance on the same database sees the rows another instance or the CLI
 *     wrote, within the same 100 ms.
 * Known limit: on PostgreSQL two transactions can commit ids out of order (id 10 after id 11);
 * a stream that already sent 11 does not send 10 live. The row is still in the list, and the
 * unread count each event carries is computed fresh, so the bell stays right.
 *
 * Heartbeat: every 25 s the hub wakes every stream, which writes an SSE comment; this keeps
 * proxies from closing idle streams and is when a vanished client is noticed (MHD does not
 * watch a suspended socket).
 *
 * Limits: a stream holds a connection for as long as the tab is open, so streams are the one
 * way a single client can hold many of MHD's connections. Once, one resident holding ~511
 * streams filled MHD's per-address limit for a minute — /healthz included, and behind the
 * proxy every user shares that address. So, checked when a stream opens (stream_admit):
 *   - per account (TONGXIN_STREAMS_PER_USER, default 4): the account's oldest stream is ended
 *     with a last `event: closed` {"reason":"superseded"} (the web client then stops
 *     reconnecting that tab) and the new one opens: the newest tab is the one in use;
 *   - per client address (TONGXIN_STREAMS_PER_CLIENT, default 128), the real client behind a
 *     trusted proxy (r->c.remote_addr): above it the new stream is refused with 429 — an
 *     office behind one NAT keeps its streams, and MHD's per-address limit (512 when serving
 *     directly) keeps 384 connections for that address's other requests;
 *   - in all (TONGXIN_STREAMS_MAX, default three quarters of MHD's connection limit): above it
 *     429 too, so a quarter of the connections stay for /healthz, sign-in and every other page.
 * A finished stream closes its connection (Connection: close), so an ended stream frees its
 * slot at once instead of idling until the connection timeout.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "http/http.h"
#include "notify/notify.h"
#include "notify/notify_stream.h"

enum {
	SSE_POLL_MS = 100, /* a cheap index probe: ~10 queries a second when idle */
	SSE_HEARTBEAT_S = 25,
	SSE_BATCH = 50,      /* notifications rendered per wake-up; more wakes again */
	SSE_BLOCK = 4096,    /* MHD's buffer per stream */
	SSE_SCAN_LIMIT = 5000,
};

struct sse_sub {
	struct sse_sub *prev, *next;
	struct MHD_Connection *conn;
	int64_t user_id;
	char client[48];     /* the client's address (behind a trusted proxy, the real one) */
	int64_t last_id;     /* the newest notification id this stream has sent */
	enum lang lang;
	int suspended;       /* suspended by the reader, not yet resumed (under hub.lock) */
	int wake;            /* notifications may be waiting */
	int heartbeat_due;
	int closing;         /* end the stream: the server is stopping, or superseded */
	int superseded;      /* a newer stream of the same account replaced this one */
	struct buf out;      /* bytes produced and not yet handed to MHD */
	size_t out_off;
};

/* The hub: the process's one list of open streams. Owned by this module; lives from
 * notify_stream_start() to notify_stream_stop(). */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct sse_sub *head;
	int count;
	int running, stopping;
	int64_t seen_id;
	pthread_t thread;
	int per_user, per_client, max_total; /* the limits, read at start (see the top comment) */
} hub = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static const char sql_since[] = "SELECT " NOTIFY_ITEM_COLUMNS " FROM notification "
				"WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3";
static const char sql_unread[] =
	"SELECT count(*) FROM notification WHERE user_id = $1 AND read_at IS NULL";
static const char sql_max_id[] = "SELECT COALESCE(max(id), 0) FROM notification";
static const char sql_user_max_id[] =
	"SELECT COALESCE(max(id), 0) FROM notification WHERE user_id = $1";
static const char sql_new_rows[] =
	"SELECT id, user_id FROM notification WHERE id > $1 ORDER BY id LIMIT $2";

/* ---- producing events (on the MHD thread that serves the stream) ---- */

/* Renders the user's notifications after sub->last_id into sub->out. Returns how many. */
static int render_new(struct sse_sub *sub, struct db *db)
{
	int64_t unread = db_int(db, 0, sql_unread, "l", sub->user_id);
	struct db_stmt *st = db_query(db, sql_since, "lll", sub->user_id, sub->last_id,
				      (int64_t)SSE_BATCH);
	int n = 0;
	while (db_step(st) == DB_ROW) {
		json_t *ev = json_pack("{s:o, s:I}", "item", notify_item_json(st, sub->lang),
				       "unread_count", (json_int_t)unread);
		char *data = json_dumps(ev, JSON_COMPACT);
		sub->last_id = db_col_int(st, 0);
		buf_printf(&sub->out, "id: %lld\nevent: notification\ndata: %s\n\n",
			   (long long)sub->last_id, data);
		free(data);
		json_decref(ev);
		n++;
	}
	db_done(st);
	return n;
}

/* Hands out what is buffered; frees the buffer once it is all out (idle streams hold none). */
static ssize_t drain(struct sse_sub *sub, char *buf, size_t max)
{
	size_t left = sub->out.len - sub->out_off;
	size_t n = left < max ? left : max;
	memcpy(buf, sub->out.data + sub->out_off, n);
	sub->out_off += n;
	if (sub->out_off == sub->out.len) {
		buf_free(&sub->out);
		sub->out_off = 0;
	}
	return (ssize_t)n;
}

/* MHD's content reader: bytes when there are some, else suspend until the hub resumes us. */
static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct sse_sub *sub = cls;
	pthread_mutex_lock(&hub.lock);
	if (sub->out.len > sub->out_off) {
		ssize_t n = drain(sub, buf, max);
		pthread_mutex_unlock(&hub.lock);
		return n;
	}
	if (sub->closing && sub->superseded == 1) {
		/* a last word, so the client knows not to reconnect this tab */
		sub->superseded = 2;
		buf_puts(&sub->out, "event: closed\ndata: {\"reason\":\"superseded\"}\n\n");
		ssize_t n = drain(sub, buf, max);
		pthread_mutex_unlock(&hub.lock);
		return n;
	}
	if (sub->closing) {
		pthread_mutex_unlock(&hub.lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	int wake = sub->wake, beat = sub->heartbeat_due, more = 0;
	sub->wake = sub->heartbeat_due = 0;
	pthread_mutex_unlock(&hub.lock);
	if (wake) {
		struct error err = {0};
		struct db *db = db_thread(&err);
		more = db && render_new(sub, db) == SSE_BATCH; /* the next call renders the rest */
	}
	if (beat)
		buf_puts(&sub->out, ": keep-alive\n\n");
	pthread_mutex_lock(&hub.lock);
	sub->wake |= more;
	ssize_t n = 0;
	if (sub->out.len > sub->out_off) {
		n = drain(sub, buf, max);
	} else if (!sub->wake && !sub->heartbeat_due && !sub->closing) {
		/* Nothing to say: park the connection. The hub sets a flag and resumes us. */
		sub->suspended = 1;
		MHD_suspend_connection(sub->conn);
	}
	pthread_mutex_unlock(&hub.lock);
	return n;
}

/* MHD frees the response (connection closed, by either side): forget the stream. */
static void sse_free(void *cls)
{
	struct sse_sub *sub = cls;
	pthread_mutex_lock(&hub.lock);
	if (sub->prev)
		sub->prev->next = sub->next;
	else if (hub.head == sub)
		hub.head = sub->next;
	if (sub->next)
		sub->next->prev = sub->prev;
	hub.count--;
	pthread_mutex_unlock(&hub.lock);
	buf_free(&sub->out);
	free(sub);
}

/* ---- the hub thread ---- */

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Under hub.lock: collects the suspended streams that `want` selects and marks them
 * resumed; the caller resumes them after unlocking. A suspended connection cannot close, so
 * the pointers stay valid until resumed. Returns how many. */
static size_t collect_resumable(struct MHD_Connection **out, size_t max)
{
	size_t n = 0;
	for (struct sse_sub *s = hub.head; s && n < max; s = s->next) {
		if (s->suspended && (s->wake || s->heartbeat_due || s->closing)) {
			s->suspended = 0;
			out[n++] = s->conn;
		}
	}
	return n;
}

static void resume_flagged(void)
{
	for (;;) {
		struct MHD_Connection *conns[256];
		pthread_mutex_lock(&hub.lock);
		size_t n = collect_resumable(conns, 256);
		pthread_mutex_unlock(&hub.lock);
		for (size_t i = 0; i < n; i++)
			MHD_resume_connection(conns[i]);
		if (n < 256)
			return;
	}
}

/* Reads the rows committed since the last scan and flags their users' streams. */
static void scan_new(struct db *db)
{
	struct db_stmt *st = db_query(db, sql_new_rows, "ll", hub.seen_id, (int64_t)SSE_SCAN_LIMIT);
	int64_t *users = NULL;
	size_t n = 0, cap = 0;
	while (db_step(st) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			users = xrealloc(users, cap * sizeof *users);
		}
		hub.seen_id = db_col_int(st, 0);
		users[n++] = db_col_int(st, 1);
	}
	db_done(st);
	if (n == 0)
		return;
	qsort(users, n, sizeof *users, cmp_id);
	pthread_mutex_lock(&hub.lock);
	for (struct sse_sub *s = hub.head; s; s = s->next)
		if (bsearch(&s->user_id, users, n, sizeof *users, cmp_id))
			s->wake = 1;
	pthread_mutex_unlock(&hub.lock);
	free(users);
}

static void heartbeat_all(void)
{
	pthread_mutex_lock(&hub.lock);
	for (struct sse_sub *s = hub.head; s; s = s->next)
		s->heartbeat_due = 1;
	pthread_mutex_unlock(&hub.lock);
}

static void *hub_main(void *arg)
{
	(void)arg;
	struct error err = {0};
	time_t last_beat = time(NULL);
	int primed = 0;
	pthread_mutex_lock(&hub.lock);
	while (!hub.stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += SSE_POLL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&hub.wake, &hub.lock, &until);
		if (hub.stopping)
			break;
		pthread_mutex_unlock(&hub.lock);
		struct db *db = db_thread(&err);
		if (db && !primed) {
			hub.seen_id = db_int(db, 0, sql_max_id, "");
			primed = 1;
		} else if (db) {
			scan_new(db);
		}
		if (time(NULL) - last_beat >= SSE_HEARTBEAT_S) {
			last_beat = time(NULL);
			heartbeat_all();
		}
		resume_flagged();
		pthread_mutex_lock(&hub.lock);
	}
	pthread_mutex_unlock(&hub.lock);
	return NULL;
}

static int env_limit(const char *name, int fallback)
{
	const char *v = getenv(name);
	char *end;
	long n = v && *v ? strtol(v, &end, 10) : 0;
	return v && *v && !*end && n > 0 && n < 1000000 ? (int)n : fallback;
}

int notify_stream_start(void)
{
	if (hub.running)
		return 0;
	const struct server_config *cfg = server_config();
	unsigned connections = cfg && cfg->connection_limit ? cfg->connection_limit : 4096;
	hub.per_user = env_limit("TONGXIN_STREAMS_PER_USER", 4);
	hub.per_client = env_limit("TONGXIN_STREAMS_PER_CLIENT", 128);
	hub.max_total = env_limit("TONGXIN_STREAMS_MAX", (int)(connections - connections / 4));
	hub.stopping = 0;
	if (pthread_create(&hub.thread, NULL, hub_main, NULL) != 0)
		return -1;
	hub.running = 1;
	return 0;
}

void notify_stream_stop(void)
{
	if (!hub.running)
		return;
	pthread_mutex_lock(&hub.lock);
	hub.stopping = 1;
	for (struct sse_sub *s = hub.head; s; s = s->next)
		s->closing = 1;
	pthread_cond_signal(&hub.wake);
	pthread_mutex_unlock(&hub.lock);
	pthread_join(hub.thread, NULL);
	hub.running = 0;
	resume_flagged(); /* MHD must have every connection resumed before it stops */
}

int notify_stream_count(void)
{
	pthread_mutex_lock(&hub.lock);
	int n = hub.count;
	pthread_mutex_unlock(&hub.lock);
	return n;
}

/*
 * Under hub.lock: decides whether `sub` may join (see the limits in the top comment). When the
 * account is at its limit its oldest live stream is marked superseded and the hub is woken to
 * resume it (it then says goodbye and ends). Returns 0, or -1 with err set (429).
 */
static int stream_admit(const struct sse_sub *sub, struct error *err)
{
	int live = 0, mine = 0, from_client = 0;
	struct sse_sub *oldest = NULL; /* the list is newest first: the last match is the oldest */
	for (struct sse_sub *s = hub.head; s; s = s->next) {
		if (s->closing)
			continue; /* ending: its connection goes in a moment */
		live++;
		if (s->user_id == sub->user_id) {
			mine++;
			oldest = s;
		}
		if (strcmp(s->client, sub->client) == 0)
			from_client++;
	}
	int replaces = mine >= hub.per_user && oldest;
	if (replaces) {
		live--;
		if (strcmp(oldest->client, sub->client) == 0)
			from_client--;
	}
	if (live >= hub.max_total) {
		err->retry_after = 30;
		return error_set(err, E_THROTTLED, "notify.streams_full");
	}
	if (from_client >= hub.per_client) {
		err->retry_after = 30;
		return error_set(err, E_THROTTLED, "notify.streams_per_client");
	}
	if (replaces) {
		oldest->closing = 1;
		oldest->superseded = 1;
		pthread_cond_signal(&hub.wake); /* the hub resumes it if it is parked */
	}
	return 0;
}

/* ---- the route ---- */

static int wants_event_stream(struct req *r)
{
	const char *accept = req_header(r, "Accept");
	return accept && strstr(accept, "text/event-stream") != NULL;
}

/* Where the stream starts: after Last-Event-ID (the browser sends it when it reconnects) or
 * ?last_event_id=, else after the user's newest notification (only news from now on). */
static int stream_start_id(struct req *r, int64_t *last_id)
{
	const char *h = req_header(r, "Last-Event-ID");
	if (h && *h) {
		char *end;
		long long v = strtoll(h, &end, 10);
		if (*end || v < 0)
			return error_set(&r->c.err, E_BAD_REQUEST, "notify.bad_last_event_id");
		*last_id = v;
		return 0;
	}
	if (req_query(r, "last_event_id"))
		return req_query_int(r, "last_event_id", 0, 0, INT64_MAX, last_id) ? -1 : 0;
	*last_id = db_int(r->c.db, -1, sql_user_max_id, "l", r->who.user_id);
	return *last_id < 0 ? ctx_db_error(&r->c) : 0;
}

/*
 * GET /api/v1/notifications/stream — any signed-in user. Needs `Accept: text/event-stream`
 * (EventSource sends it). Optional Last-Event-ID header or ?last_event_id= to catch up.
 * A text/event-stream: first `event: ready` with {unread_count}, then `event: notification`
 * with {item, unread_count} (id: the notification id) for each new notification of the
 * caller, and a `: keep-alive` comment every 25 s.
 * At most TONGXIN_STREAMS_PER_USER (4) streams per account: opening one more ends the oldest
 * with `event: closed` {"reason":"superseded"}.
 * Errors: 400 without the Accept header or with a bad Last-Event-ID, 401, 429 (Retry-After)
 * when the client's address holds its limit of streams or the server its stream capacity,
 * 503 while stopping.
 */
int notify_stream_get(struct req *r)
{
	if (!wants_event_stream(r))
		return error_set(&r->c.err, E_BAD_REQUEST, "notify.stream_accept");
	int64_t last_id = 0;
	if (stream_start_id(r, &last_id) != 0)
		return -1;
	int64_t unread = notify_unread_count(&r->c);
	if (unread < 0)
		return -1;
	struct sse_sub *sub = xcalloc(1, sizeof *sub);
	sub->conn = r->conn;
	sub->user_id = r->who.user_id;
	snprintf(sub->client, sizeof sub->client, "%s", r->c.remote_addr ? r->c.remote_addr : "?");
	sub->last_id = last_id;
	sub->lang = r->c.lang;
	sub->wake = 1; /* catch up at once after Last-Event-ID */
	buf_printf(&sub->out, "retry: 3000\nevent: ready\ndata: {\"unread_count\":%lld}\n\n",
		   (long long)unread);
	pthread_mutex_lock(&hub.lock);
	int refused = hub.stopping || !hub.running ? error_set(&r->c.err, E_UNAVAILABLE, NULL)
						   : stream_admit(sub, &r->c.err);
	if (!refused) {
		sub->next = hub.head;
		if (hub.head)
			hub.head->prev = sub;
		hub.head = sub;
		hub.count++;
	}
	pthread_mutex_unlock(&hub.lock);
	if (refused) {
		buf_free(&sub->out);
		free(sub);
		return -1;
	}
	struct MHD_Response *resp =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, SSE_BLOCK, sse_read, sub, sse_free);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	/* an ended stream (superseded, or the server stopping) frees its connection at once */
	MHD_add_response_header(resp, "Connection", "close");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	r->status = 200;
	r->response = resp; /* queued as it is by the HTTP layer */
	return 0;
}
