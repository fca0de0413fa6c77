/*
 * The HTTP layer: libmicrohttpd glue, the router, requests and replies.
 *
 * A request walks one line: MHD callback -> body read (bounded) -> route match -> principal
 * (session cookie or bearer token) -> route role filter -> CSRF check for cookie writes ->
 * handler -> reply. Handlers return 0 with a reply set, or -1 with r->c.err filled; the layer
 * alone turns errors into RFC 9457 problem+json (http/reply.c).
 *
 * Routes flagged ROUTE_SLOW (password hashing) run on a worker pool while the connection is
 * suspended, so they never stall the polling threads that serve everyone else.
 */
#ifndef TONGXIN_HTTP_HTTP_H
#define TONGXIN_HTTP_HTTP_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

struct req;
typedef int (*route_handler)(struct req *r);

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,  /* no sign-in needed */
	ROUTE_SLOW = 1 << 1,    /* runs on the worker pool (argon2id, long work) */
	ROUTE_UPLOAD = 1 << 2,  /* raw body up to the upload limit (CSV import), not JSON */
	ROUTE_NO_CSRF = 1 << 3, /* a cookie write that needs no CSRF token (sign-in itself) */
};

struct route {
	const char *method;   /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *path;     /* "/api/v1/orgs/{id}"; {name} matches one segment */
	route_handler handler;
	unsigned roles;       /* ROLE_BIT()s that may call it (ROLES_ALL: any signed-in user) */
	unsigned flags;
	const char *summary;  /* one line, Chinese first; the OpenAPI document must match */
};

enum { REQ_MAX_PARAMS = 4, REQ_MAX_HEADERS = 8 };

struct req {
	struct ctx c;
	struct principal who;
	const char *method;
	const char *path;
	struct MHD_Connection *conn;
	const struct route *route;
	const char *param_names[REQ_MAX_PARAMS];
	const char *param_values[REQ_MAX_PARAMS];
	int nparams;
	struct buf body;
	size_t body_limit;
	int body_too_large;
	json_t *json; /* parsed body, owned by the request */
	/* the reply */
	int status;
	struct buf out;
	const char *content_type;
	const char *header_names[REQ_MAX_HEADERS];
	const char *header_values[REQ_MAX_HEADERS];
	int nheaders;
	/* a streamed reply (exports): called until it returns -1 (end) or -2 (error) */
	ssize_t (*stream_read)(void *arg, uint64_t pos, char *buf, size_t max);
	void *stream_arg;
	void (*stream_free)(void *arg);
	/* bookkeeping */
	int64_t start_us;
	int phase;
	int authorized; /* principal, role and CSRF already checked (see server.c authorize) */
	void *response; /* struct MHD_Response *, prepared by a worker */
	struct req *next_job;
};

/* ---- reading the request (all returned strings live in the request's arena or MHD) */
const char *req_param(struct req *r, const char *name);          /* path {name} */
const char *req_query(struct req *r, const char *name);          /* ?name= */
/* Every query argument and path parameter must be clean UTF-8 (no NUL or control characters):
 * a database would refuse the bytes later (PostgreSQL), or store them. The server checks this
 * before any handler runs: -1 with a 422 naming each bad one. */
int req_check_text(struct req *r);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
/* A path parameter that must be a positive integer id; -1 with a 404 error otherwise. */
int req_param_id(struct req *r, const char *name, int64_t *id);
/* An optional integer query parameter within [min, max]; missing -> fallback. On a bad value
 * adds a field error named after the parameter and returns -1. */
/* The list paging every route shares: page (1..100000, default 1) and per_page (1..100,
 * default 20), field errors named after them. Returns 0 or -1. */
int req_query_paging(struct req *r, int64_t *page, int64_t *per_page);
/* Query parameters of the common shapes; each names the parameter in a 422 field error on a
 * bad value and returns NULL then, as it does when the parameter is absent or empty:
 * one of `codes` (returns the code's own static string), a 12-digit division code, and free
 * text for a search (leading blanks dropped, clean text of at most 100 characters). */
const char *req_query_choice(struct req *r, const char *name, const char *const *codes);
const char *req_query_division(struct req *r, const char *name);
const char *req_query_text(struct req *r, const char *name);
int req_query_int(struct req *r, const char *name, int64_t fallback, int64_t min, int64_t max,
		  int64_t *out);
/* The JSON body, which must be an object; -1 with E_BAD_JSON/E_UNSUPPORTED_TYPE otherwise. */
int req_json_object(struct req *r, json_t **obj);

/* ---- replying */
/* Steals `body` (json_decref'd here) and replies with it and the status. Returns 0. */
int reply_json(struct req *r, int status, json_t *body);
int reply_no_content(struct req *r);
/* Replies with bytes copied from data, with the given content type. */
int reply_bytes(struct req *r, int status, const char *content_type, const void *data, size_t n);
void reply_header(struct req *r, const char *name, const char *value); /* value copied */
/*
 * Streams a file that `write_file(arg, path, &why)` writes (an XLSX workbook: its writer needs a
 * path, not a stream). The file is created empty under $TMPDIR (else /tmp) with `suffix`,
 * written, reopened and unlinked at once, so it disappears when the stream is closed, whatever
 * happens. Sets the stream and status 200; the caller sets the content type and headers.
 * Returns 0, or -1 with an internal error naming `why`.
 */
int reply_stream_temp_file(struct req *r, const char *suffix,
			   int (*write_file)(void *arg, const char *path, const char **why),
			   void *arg);
/* Renders c.err as application/problem+json (RFC 9457) in the request's language. */
void reply_problem(struct req *r);
/* The problem document for an error, in a language (also used by the CLI). Caller decrefs. */
json_t *problem_json(const struct error *e, enum lang lang, const char *instance);

/* ---- the server */
struct server_config {
	const char *listen;       /* "127.0.0.1:8080" */
	const char *database_url;
	unsigned threads;         /* polling threads (default: number of cores) */
	unsigned workers;         /* worker threads for ROUTE_SLOW (default 4) */
	unsigned connection_limit;
	unsigned per_ip_limit;
	unsigned timeout_seconds;
	size_t body_limit;        /* JSON bodies */
	size_t upload_limit;      /* ROUTE_UPLOAD bodies */
	int secure_cookies;       /* behind TLS: mark cookies Secure */
	int access_log;           /* one line per request on stderr */
	const char *trusted_proxy; /* the reverse proxy's address: trust its X-Forwarded-For */
	const struct route *const *tables; /* NULL-terminated list of route tables */
	/* Fills r->who from the session cookie or bearer token; leaves it anonymous when absent.
	 * Returns -1 with r->c.err set for an invalid/expired credential. */
	int (*resolve_principal)(struct req *r);
	/* Called first thing in server_stop(), before MHD stops: a module that parks (suspends)
	 * connections, such as live streams, ends and resumes them here. May be NULL. */
	void (*before_stop)(void);
};

/* Starts serving; returns -1 (with a message on stderr) if the address cannot be bound. */
int server_start(const struct server_config *cfg);
/* The port being listened on: the one the system chose when the address asked for port 0. */
int server_port(void);
/* Serves until SIGINT/SIGTERM, then stops cleanly. */
void server_wait(void);
void server_stop(void);
const struct server_config *server_config(void);

/* ---- the browser application (http/static.c) */
/* For a GET/HEAD that matched no route and is not under /api/ or /healthz: replies with the
 * embedded web/dist file for the path, or index.html for an application path (SPA fallback).
 * Returns 0 when it replied, -1 when the request is not its (the caller answers 404). */
int static_serve(struct req *r);

/* ---- routing (http/router.c) */
/* Finds the route for method+path. Returns it, or NULL with *path_matched set to 1 when the
 * path exists with another method (405). Fills the request's path parameters. */
const struct route *router_match(const struct route *const *tables, const char *method,
				 const char *path, struct req *r, int *path_matched);
/* Iterates every route: calls fn for each. */
void router_each(const struct route *const *tables, void (*fn)(const struct route *, void *),
		 void *arg);

#endif
