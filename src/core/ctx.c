#include <stdio.h>
#include "core/ctx.h"

int ctx_db_error(struct ctx *c)
{
	enum db_error_class cls = db_error_class(c->db);
	error_set(&c->err, cls == DBE_CONNECTION || cls == DBE_BUSY ? E_UNAVAILABLE : E_INTERNAL,
		  NULL);
	snprintf(c->err.log, sizeof c->err.log, "database: %s", db_error_message(c->db));
	return -1;
}
