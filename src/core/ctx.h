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

#endif
