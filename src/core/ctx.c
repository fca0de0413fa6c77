#include <stdio.h>
#include <stdlib.h>
#include "core/ctx.h"

int ctx_db_error(struct ctx *c)
{
	enum db_error_class cls = db_error_class(c->db);
	error_set(&c->err, cls == DBE_CONNECTION || cls == DBE_BUSY ? E_UNAVAILABLE : E_INTERNAL,
		  NULL);
	snprintf(c->err.log, sizeof c->err.log, "database: %s", db_error_message(c->db));
	return -1;
}

struct ctx_detached *ctx_detach(struct ctx *c)
{
	struct db *db = db_reopen(c->db, &c->err);
	if (!db)
		return NULL;
	struct ctx_detached *d = xcalloc(1, sizeof *d);
	d->who = *c->who;
	snprintf(d->remote_addr, sizeof d->remote_addr, "%s", c->remote_addr ? c->remote_addr : "");
	d->c = (struct ctx){.arena = arena_new(), .db = db, .who = &d->who, .lang = c->lang,
			    .now = c->now, .remote_addr = d->remote_addr,
			    .user_agent = "tongxin-detached"};
	return d;
}

void ctx_detached_free(struct ctx_detached *d)
{
	if (!d)
		return;
	db_close(d->c.db);
	arena_free(d->c.arena);
	free(d);
}

int ctx_tx(struct ctx *c, int (*step)(struct ctx *c, void *arg), void *arg)
{
	if (db_begin(c->db) != 0)
		return ctx_db_error(c);
	int rc = step(c, arg);
	if (rc != 0 && c->err.kind == E_NONE)
		ctx_db_error(c);
	if (rc == 0 && db_commit(c->db) != 0)
		rc = ctx_db_error(c);
	if (rc != 0 && db_in_transaction(c->db))
		db_rollback(c->db);
	return rc == 0 ? 0 : -1;
}
