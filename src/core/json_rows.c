/* Rows of a query as JSON (see json_rows.h). */
#include "core/json_rows.h"

json_t *json_row(struct db_stmt *st, const char *spec)
{
	json_t *o = json_object();
	for (int i = 0; spec[i]; i++) {
		json_t *v;
		if (db_col_isnull(st, i))
			v = json_null();
		else if (spec[i] == 'l')
			v = json_integer(db_col_int(st, i));
		else if (spec[i] == 'f')
			v = json_real(db_col_double(st, i));
		else if (spec[i] == 'b')
			v = json_boolean(db_col_int(st, i));
		else
			v = json_string(db_col_text(st, i));
		json_object_set_new(o, db_col_name(st, i), v);
	}
	return o;
}

json_t *json_rows_arg(struct ctx *c, struct db_stmt *st,
		      json_t *(*row)(struct db_stmt *, const void *arg), const void *arg)
{
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, row(st, arg));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return items;
}

static json_t *call_row(struct db_stmt *st, const void *arg)
{
	json_t *(*const *row)(struct db_stmt *) = arg;
	return (*row)(st);
}

json_t *json_rows(struct ctx *c, struct db_stmt *st, json_t *(*row)(struct db_stmt *))
{
	return json_rows_arg(c, st, call_row, &row);
}
