/*
 * libmicrohttpd glue.
 *
 * Mode: an internal polling thread pool with epoll (the fastest mode for short handlers on this
 * machine, see LIBRARIES.md). Keep-alive needs the reply queued on the second call of the
 * access handler, never the first: the first call only sees the headers.
 *
 * Slow routes: a worker pool. The connection is suspended, a worker runs the handler (argon2id
 * takes ~0.1 s and 64 MiB), builds the MHD response, and resumes the connection; MHD then calls
 * the access handler again and the ready response is queued. The number of workers caps how
 * many password hashes run at once (and so their memory).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>
#include "lib/clock.h"
#include "http/http.h"

enum phase { PHASE_NEW, PHASE_BODY, PHASE_WAITING, PHASE_READY, PHASE_QUEUED };

/*
 * Request-line and header limits we answer ourselves, as problem+json (414, 431). MHD keeps
 * the request line and headers in the connection's memory pool (CONNECTION_MEMORY, 64 KiB)
 * and answers a request that does not fit with its own fixed HTML page, before the access
 * handler is ever called; these limits sit well inside the pool so that every realistic
 * oversize request reaches our handler and gets our document. See docs/architecture.md,
 * "Errors libmicrohttpd answers itself".
 */
enum { URI_LIMIT = 8 << 10, HEADERS_LIMIT = 24 << 10, CONNECTION_MEMORY = 64 << 10 };
/* Oversize bodies up to this size are read and dropped before the 413 (see access_handler). */
enum { DRAIN_LIMIT = 16 << 20 };
/* Bodies above this size are authorized before they are read (see authorize_early). */
enum { EARLY_AUTH_BYTES = 64 << 10 };

static struct server_config config;
static struct MHD_Daemon *daemon_handle;

/* Two worker pools: one for password hashing (its size caps the 64 MiB hashes running at
 * once), one for writes (so a burst of sign-ins never delays a save, and the reverse). */
struct pool {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct req *head, *tail;
	int stopping;
	pthread_t *threads;
	unsigned nthreads;
};
static struct pool slow_pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
static struct pool write_pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

const struct server_config *server_config(void)
{
	return &config;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int is_write_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/*
 * Replaces addr (the trusted proxy's) with the last X-Forwarded-For entry when that entry is
 * an IPv4 or IPv6 address, written in its canonical form; anything else ("unknown", a host
 * name, a made-up string that would be a fresh throttling key on every request) is ignored
 * and the proxy's own address stays. addr has INET6_ADDRSTRLEN bytes.
 */
static void forwarded_client(struct MHD_Connection *conn, char *addr)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	const char *last = xff ? strrchr(xff, ',') : NULL;
	last = last ? last + 1 : xff;
	while (last && (*last == ' ' || *last == '\t'))
		last++;
	if (!last)
		return;
	char text[INET6_ADDRSTRLEN];
	size_t n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof text || last[n + strspn(last + n, " \t")] != 0)
		return;
	memcpy(text, last, n);
	text[n] = 0;
	unsigned char bin[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, text, bin) == 1)
		inet_ntop(AF_INET, bin, addr, INET6_ADDRSTRLEN);
	else if (inet_pton(AF_INET6, text, bin) == 1)
		inet_ntop(AF_INET6, bin, addr, INET6_ADDRSTRLEN);
}

static struct req *req_new(struct MHD_Connection *conn, const char *url, const char *method)
{
	struct req *r = xcalloc(1, sizeof *r);
	r->start_us = now_us();
	r->c.arena = arena_new();
	r->c.now = clock_now();
	r->c.who = &r->who;
	r->conn = conn;
	r->method = arena_strdup(r->c.arena, method);
	r->path = arena_strdup(r->c.arena, url);
	r->c.lang = msg_lang_from_header(
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language"));
	r->c.user_agent = arena_strdup(
		r->c.arena, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "User-Agent"));
	char addr[INET6_ADDRSTRLEN] = "?";
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr,
				  sizeof addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr,
				  sizeof addr);
	}
	/* Behind a reverse proxy every request comes from the proxy: take the address the proxy
	 * saw (the last X-Forwarded-For entry, the one it appended) so throttling, the audit
	 * trail and the access log name the real client. Only for the configured proxy. */
	if (config.trusted_proxy && strcmp(addr, config.trusted_proxy) == 0)
		forwarded_client(conn, addr);
	r->c.remote_addr = arena_strdup(r->c.arena, addr);
	r->status = 200;
	return r;
}

static void req_free(struct req *r)
{
	if (r->response)
		MHD_destroy_response(r->response);
	if (r->stream_free && r->stream_arg)
		r->stream_free(r->stream_arg);
	json_decref(r->json);
	buf_free(&r->body);
	buf_free(&r->out);
	arena_free(r->c.arena);
	free(r);
}

/*
 * Every non-upload body is JSON, checked here once for every route, so no handler can forget:
 * the content type must say JSON (415 otherwise — this also keeps cross-site HTML forms out),
 * the text must parse without duplicate keys (jansson refuses invalid UTF-8, NUL escapes and
 * nesting deeper than 2048), and the top level must be an object.
 */
static int parse_json_body(struct req *r)
{
	if (r->body.len == 0 || (r->route->flags & ROUTE_UPLOAD))
		return 0;
	json_t *obj;
	return req_json_object(r, &obj);
}

/* Decides who asks and whether they may call the route: the principal (cookie or token), the
 * route's role filter, and the CSRF token of cookie writes. 0, or -1 with r->c.err set. */
static int authorize(struct req *r)
{
	const struct route *rt = r->route;
	r->authorized = 1;
	if (config.resolve_principal && config.resolve_principal(r) != 0)
		return -1;
	if (!(rt->flags & ROUTE_PUBLIC)) {
		if (r->who.user_id == PRINCIPAL_ANONYMOUS)
			return error_set(&r->c.err, E_UNAUTHENTICATED, NULL);
		if ((rt->roles & r->who.roles) == 0)
			return error_set(&r->c.err, E_FORBIDDEN, "error.role_forbidden");
	}
	if (r->who.session_id && is_write_method(r->method) && !(rt->flags & ROUTE_NO_CSRF)) {
		const char *sent = req_header(r, "X-CSRF-Token");
		size_t n = strlen(r->who.csrf_token);
		if (!sent || strlen(sent) != n || n == 0 ||
		    memcmp(sent, r->who.csrf_token, n) != 0) /* both are public-length tokens */
			return error_set(&r->c.err, E_CSRF, NULL);
	}
	return 0;
}

/* Uploads and large bodies are authorized before a byte of the body is read, so nobody
 * without the right can make the server buffer megabytes. Small bodies are read first: a
 * client still sending when the answer comes cannot read it. */
static int authorize_early(struct req *r, unsigned long long length)
{
	if (!r->route || (r->route->flags & ROUTE_PUBLIC))
		return 0;
	if (!(r->route->flags & ROUTE_UPLOAD) && length <= EARLY_AUTH_BYTES)
		return 0;
	struct error dberr = {0};
	r->c.db = db_thread(&dberr);
	if (!r->c.db) {
		r->c.err = dberr;
		return -1;
	}
	return authorize(r);
}

/* Runs an authorized (or to be authorized) request's handler and prepares the reply. */
static void run_request(struct req *r)
{
	struct error dberr = {0};
	const struct route *rt = r->route;
	r->c.db = db_thread(&dberr);
	if (!r->c.db) {
		r->c.err = dberr;
		goto fail;
	}
	if (!rt && r->status != 405 && static_serve(r) == 0)
		return; /* a file of the browser application */
	if (!rt) {
		int path_matched = r->status == 405;
		error_set(&r->c.err, path_matched ? E_METHOD : E_NOT_FOUND,
			  path_matched ? NULL : "error.route_not_found");
		goto fail;
	}
	if (!r->authorized && authorize(r) != 0)
		goto fail;
	if (req_check_text(r) != 0)
		goto fail;
	if (parse_json_body(r) != 0)
		goto fail;
	if (rt->handler(r) != 0)
		goto fail;
	if (db_in_transaction(r->c.db)) {
		fprintf(stderr, "tongxin: %s %s left a transaction open; rolled back\n", r->method,
			r->path);
		db_rollback(r->c.db);
	}
	return;
fail:
	if (r->c.db && db_in_transaction(r->c.db))
		db_rollback(r->c.db);
	if (r->stream_free && r->stream_arg)
		r->stream_free(r->stream_arg);
	r->stream_read = NULL;
	r->stream_arg = NULL;
	if (r->c.err.kind == E_INTERNAL || r->c.err.kind == E_UNAVAILABLE)
		fprintf(stderr, "tongxin: %s %s: %s\n", r->method, r->path,
			r->c.err.log[0] ? r->c.err.log : "internal error");
	reply_problem(r);
}

static void security_headers(struct MHD_Response *resp, const struct req *r)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Language", r->c.lang == LANG_EN ? "en" : "zh-CN");
	if (strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/healthz") == 0)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static struct MHD_Response *build_response(struct req *r)
{
	struct MHD_Response *resp;
	if (r->stream_read) {
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, r->stream_read,
							 r->stream_arg, r->stream_free);
		r->stream_arg = NULL; /* the response owns it now */
		r->stream_free = NULL;
	} else {
		size_t len;
		char *data = buf_steal(&r->out, &len);
		resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		r->out.len = len; /* kept for the access log */
	}
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	security_headers(resp, r);
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->header_names[i], r->header_values[i]);
	return resp;
}

static enum MHD_Result queue(struct req *r)
{
	struct MHD_Response *resp = r->response ? r->response : build_response(r);
	r->response = NULL;
	r->phase = PHASE_QUEUED;
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void *worker_main(void *arg)
{
	struct pool *pool = arg;
	for (;;) {
		pthread_mutex_lock(&pool->lock);
		while (!pool->head && !pool->stopping)
			pthread_cond_wait(&pool->wake, &pool->lock);
		struct req *r = pool->head;
		if (!r) {
			pthread_mutex_unlock(&pool->lock);
			return NULL;
		}
		pool->head = r->next_job;
		if (!pool->head)
			pool->tail = NULL;
		pthread_mutex_unlock(&pool->lock);

		run_request(r);
		r->response = build_response(r);
		r->phase = PHASE_READY;
		MHD_resume_connection(r->conn);
	}
}

static void pool_push(struct pool *pool, struct req *r)
{
	pthread_mutex_lock(&pool->lock);
	r->next_job = NULL;
	if (pool->tail)
		pool->tail->next_job = r;
	else
		pool->head = r;
	pool->tail = r;
	pthread_cond_signal(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
}

static void pool_start(struct pool *pool, unsigned n)
{
	pool->stopping = 0;
	pool->nthreads = n;
	pool->threads = xcalloc(n, sizeof(pthread_t));
	for (unsigned i = 0; i < n; i++)
		pthread_create(&pool->threads[i], NULL, worker_main, pool);
}

/* Finishes every queued request (resuming its connection), then joins the workers. */
static void pool_stop(struct pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	pool->stopping = 1;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	for (unsigned i = 0; i < pool->nthreads; i++)
		pthread_join(pool->threads[i], NULL);
	free(pool->threads);
	pool->threads = NULL;
	pool->nthreads = 0;
}

struct header_counter {
	const char *name; /* count this header; NULL: only add up sizes */
	int n;
	size_t bytes; /* "key: value\r\n" of every value seen */
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind;
	struct header_counter *hc = cls;
	if (key && hc->name && strcasecmp(key, hc->name) == 0)
		hc->n++;
	hc->bytes += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* How many times the request carries the header `name` (MHD_lookup sees only the first). */
static int header_count(struct MHD_Connection *conn, const char *name)
{
	struct header_counter hc = {name, 0, 0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &hc);
	return hc.n;
}

/* Refuses a request line or headers above our limits (see URI_LIMIT): 0, or -1 with
 * r->c.err set. The URI is measured as MHD parsed it: the path plus each query argument. */
static int check_request_size(struct req *r, const char *url)
{
	struct header_counter args = {NULL, 0, strlen(url)};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, count_header, &args);
	if (args.bytes > URI_LIMIT) {
		r->c.err.arg = URI_LIMIT >> 10;
		return error_set(&r->c.err, E_URI_TOO_LONG, "error.uri_limit_kb");
	}
	struct header_counter headers = {NULL, 0, 0};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_header, &headers);
	if (headers.bytes > HEADERS_LIMIT) {
		r->c.err.arg = HEADERS_LIMIT >> 10;
		return error_set(&r->c.err, E_HEADERS_TOO_LARGE, "error.headers_limit_kb");
	}
	return 0;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size,
				      void **con_cls)
{
	(void)cls;
	(void)version;
	struct req *r = *con_cls;
	if (!r) {
		r = req_new(conn, url, method);
		*con_cls = r;
		int path_matched = 0;
		r->route = router_match(config.tables, method, url, r, &path_matched);
		if (!r->route && path_matched)
			r->status = 405;
		r->body_limit = r->route && (r->route->flags & ROUTE_UPLOAD) ? config.upload_limit
									     : config.body_limit;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     "Content-Length");
		unsigned long long length = cl ? strtoull(cl, NULL, 10) : 0;
		if (check_request_size(r, url) != 0) {
			reply_problem(r);
			return queue(r);
		}
		int lengths = header_count(conn, "Content-Length");
		if (lengths > 1 || (lengths == 1 && header_count(conn, "Transfer-Encoding") > 0)) {
			/* Which one frames the body? A proxy in front may have picked the other:
			 * request smuggling. Refused, and MHD closes the connection (body unread). */
			error_set(&r->c.err, E_BAD_REQUEST,
				  lengths > 1 ? "error.content_length_conflict"
					      : "error.content_length_with_chunked");
			reply_problem(r);
			return queue(r);
		}
		if (length > r->body_limit && length <= DRAIN_LIMIT) {
			/* Read and drop the body, then answer 413 on a connection that stays usable:
			 * most clients cannot read an answer sent while they are still sending. */
			r->body_too_large = 1;
		} else if (length > r->body_limit) {
			/* Too big to drain: refuse before reading a byte; MHD then closes. */
			error_set(&r->c.err, E_TOO_LARGE, "error.payload_limit_mb");
			r->c.err.arg = (long long)((r->body_limit + (1u << 20) - 1) >> 20);
			reply_problem(r);
			return queue(r);
		}
		if (authorize_early(r, length) != 0) {
			reply_problem(r);
			return queue(r);
		}
		r->phase = PHASE_BODY;
		return MHD_YES;
	}
	if (r->phase == PHASE_READY)
		return queue(r);
	if (r->phase != PHASE_BODY)
		return MHD_YES;
	if (*upload_data_size) {
		if (r->body.len + *upload_data_size > r->body_limit)
			r->body_too_large = 1; /* keep reading (and dropping) to answer cleanly */
		else
			buf_append(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->body_too_large) {
		error_set(&r->c.err, E_TOO_LARGE, "error.payload_limit_mb");
		r->c.err.arg = (long long)((r->body_limit + (1u << 20) - 1) >> 20);
		reply_problem(r);
		return queue(r);
	}
	/* Writes run on the worker pool too: on SQLite a writer may wait for the write lock (an
	 * import holds it for its whole, all-or-nothing run), and a polling thread that waits
	 * stalls every connection it serves. Reads never wait (WAL) and stay on the pollers. */
	if (r->route && ((r->route->flags & ROUTE_SLOW) || is_write_method(r->method))) {
		r->phase = PHASE_WAITING;
		MHD_suspend_connection(conn);
		pool_push(r->route->flags & ROUTE_SLOW ? &slow_pool : &write_pool, r);
		return MHD_YES;
	}
	run_request(r);
	return queue(r);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	struct req *r = *con_cls;
	if (!r)
		return;
	if (config.access_log) {
		double ms = (double)(now_us() - r->start_us) / 1000.0;
		fprintf(stderr, "%s %s %s %d %.2fms %zu %s%s\n", r->c.remote_addr, r->method, r->path,
			r->status, ms, r->out.len, r->who.username[0] ? r->who.username : "-",
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	}
	req_free(r);
	*con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = 0;
	/* digits only; 0 asks the system for a free port (see server_port) */
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end || port > 65535)
		return -1;
	if (host[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		size_t n = strlen(host);
		if (host[n - 1] != ']')
			return -1;
		host[n - 1] = 0;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	return inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &s4->sin_addr) == 1 ? 0 : -1;
}

/* libmicrohttpd's own messages. A client that goes away mid-reply is everyday life, not an
 * error: a browser tab that closes its notification stream makes MHD report that the socket
 * is gone, once or twice per closed stream (thousands a day), burying the lines that matter.
 * Those are dropped; everything else MHD says is logged as before. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (strstr(fmt, "socket is no longer available") ||
	    (strstr(fmt, "Failed to send") && strstr(fmt, "Error: %s")))
		return;
	vfprintf(stderr, fmt, ap);
}

int server_start(const struct server_config *cfg)
{
	config = *cfg;
	if (!config.threads)
		config.threads = (unsigned)get_nprocs();
	if (!config.workers)
		config.workers = 4;
	if (!config.connection_limit)
		config.connection_limit = 4096;
	/* MHD's per-address limit sees the socket's peer. Serving directly, one address may hold
	 * 512 connections (its live streams at most 128 of them: notify_stream.c). Behind the
	 * trusted proxy every connection comes from the proxy, so that limit would be a second,
	 * smaller connection limit shared by everyone: it is lifted to the connection limit, and
	 * the per-client limits that matter (streams, sign-in throttle) use the real client. */
	if (!config.per_ip_limit)
		config.per_ip_limit = config.trusted_proxy ? config.connection_limit : 512;
	if (!config.timeout_seconds)
		config.timeout_seconds = 60;
	if (!config.body_limit)
		config.body_limit = 1 << 20;
	if (!config.upload_limit)
		config.upload_limit = 64u << 20;
	struct sockaddr_storage ss;
	if (parse_listen(config.listen, &ss) != 0) {
		fprintf(stderr, "tongxin: cannot parse listen address '%s' (want HOST:PORT)\n",
			config.listen);
		return -1;
	}
	db_thread_init(config.database_url);
	json_object_seed(0);

	/* Signals are taken by server_wait() alone: block them before any thread starts. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	pool_start(&slow_pool, config.workers);
	pool_start(&write_pool, config.workers);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	daemon_handle = MHD_start_daemon(
		flags, 0, NULL, NULL, access_handler, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, config.threads,
		MHD_OPTION_CONNECTION_LIMIT, config.connection_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, config.per_ip_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, config.timeout_seconds,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL, MHD_OPTION_END);
	if (!daemon_handle) {
		fprintf(stderr, "tongxin: cannot listen on %s (in use, or not allowed)\n",
			config.listen);
		server_stop();
		return -1;
	}
	return 0;
}

int server_port(void)
{
	const union MHD_DaemonInfo *info =
		daemon_handle ? MHD_get_daemon_info(daemon_handle, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	return info ? (int)info->port : 0;
}

void server_wait(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "tongxin: signal %d, stopping\n", sig);
	server_stop();
}

void server_stop(void)
{
	if (config.before_stop)
		config.before_stop();
	/* Workers finish every queued request (resuming its connection) before MHD stops, as
	 * MHD requires all suspended connections resumed before MHD_stop_daemon. */
	pool_stop(&slow_pool);
	pool_stop(&write_pool);
	if (daemon_handle)
		MHD_stop_daemon(daemon_handle);
	daemon_handle = NULL;
}
