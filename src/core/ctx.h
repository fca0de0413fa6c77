/*
 * The context a domain function runs in: who asks, in what language, on which connection, with
 * which arena, and where to put the error. The HTTP layer builds one per request; the CLI builds
 * one per command. Domain functions return 0, or -1 with c->err filled.
 */
#ifndef TONGXIN_CORE_CTX_H
#define TONGXIN_CORE_CTX_H
#include <stdint.h>
#include "core/error.h"
#include "core/msg.h"
#include "core/principal.h"
#include "db/db.h"
#include "lib/mem.h"

struct ctx {
	struct arena *arena;          /* request- or command-scoped allocations */
	struct db *db;                /* this thread's connection */
	const struct principal *who;  /* never NULL */
	enum lang lang;
	struct error err;
	int64_t now;                  /* Unix seconds, fixed for the whole request */
	const char *remote_addr;      /* "127.0.0.1" or "cli" */
	const char *user_agent;
};

/* Fills err as an internal/unavailable database error from the connection's last error:
 * DBE_CONNECTION and DBE_BUSY become E_UNAVAILABLE (503), the rest E_INTERNAL. Returns -1. */
int ctx_db_error(struct ctx *c);

/*
 * The one way to run a write transaction: begins (SQLite: BEGIN IMMEDIATE, so it never fails
 * half-way on a lock upgrade), runs step(c, arg), commits. On any failure (begin, step or
 * commit) it rolls back and returns -1 with c->err filled: a step fills it itself (a step that
 * returns -1 without saying why counts as a database error), a failed begin or commit becomes
 * ctx_db_error (503 for a lost connection or a lock timeout, else 500). Everything a write
 * records (its audit record, counters, the search index, outbox rows) is written by the step,
 * so it commits or vanishes with the change. Not nestable: a step calls other features'
 * *_in_tx functions, never ctx_tx. Copy from src/meetings/meeting_checkin.c.
 */
int ctx_tx(struct ctx *c, int (*step)(struct ctx *c, void *arg), void *arg);

/*
 * Work that outlives its request (a streamed export read page by page after the handler has
 * returned; an import on its own thread) runs in a detached context: its own connection to the
 * same database (db_reopen), its own arena, and copies of the principal, the language, the time
 * and the client's address, so the policy decides exactly as it did in the request. This is the
 * one way a handler hands work on; no handler opens a database from the server's settings.
 * The caller owns the result and frees it with ctx_detached_free (connection closed, arena
 * freed) on the thread that used it last. NULL with c->err filled when the connection cannot
 * be opened.
 */
struct ctx_detached {
	struct ctx c;
	struct principal who;
	char remote_addr[64];
};
struct ctx_detached *ctx_detach(struct ctx *c);
void ctx_detached_free(struct ctx_detached *d);

#endif
