/*
 * Rows of a query as JSON: the two shapes every detail and list reply is made of, in one place
 * for every feature.
 */
#ifndef TONGXIN_CORE_JSON_ROWS_H
#define TONGXIN_CORE_JSON_ROWS_H
#include <jansson.h>
#include "core/ctx.h"

/* The current row as an object: column i under the query's own name for it, typed by spec[i]
 * ('l' integer, 'f' real, 'b' boolean, anything else a string); SQL NULL is null. The caller
 * owns the result. */
json_t *json_row(struct db_stmt *st, const char *spec);

/* Every remaining row of st made into a value by row(), as an array; st is done afterwards.
 * NULL (c->err filled by ctx_db_error) on a database error. */
json_t *json_rows(struct ctx *c, struct db_stmt *st, json_t *(*row)(struct db_stmt *));
/* The same with an argument handed to every row() (e.g. today's date for an "overdue" flag). */
json_t *json_rows_arg(struct ctx *c, struct db_stmt *st,
		      json_t *(*row)(struct db_stmt *, const void *arg), const void *arg);

#endif
