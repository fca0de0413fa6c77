/*
 * PostgreSQL backend (libpq). Parameterized statements only: every statement is prepared once
 * per connection with PQprepare and run with PQexecPrepared; values travel as text and the
 * server infers their types (use CAST($n AS ...) in SQL where it cannot).
 *
 * Reconnection: when the server restarts, the next statement outside a transaction finds the
 * connection bad, calls PQreset, forgets which statements were prepared, and retries once. A
 * statement inside a transaction fails (DBE_CONNECTION); the transaction is lost and the caller
 * answers 503, because replaying half a transaction on a fresh connection would be wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db_internal.h"
#include "lib/mem.h"

static void pg_notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* "relation already exists, skipping" and friends are not news */
}

int pg_open(struct db *db, const char *url)
{
	db->pg = PQconnectdb(url);
	if (PQstatus(db->pg) != CONNECTION_OK) {
		db_set_error(db, DBE_CONNECTION, PQerrorMessage(db->pg));
		return -1;
	}
	PQsetNoticeProcessor(db->pg, pg_notice_quiet, NULL);
	PGresult *r = PQexec(db->pg, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
	PQclear(r);
	return 0;
}

void pg_close(struct db *db)
{
	if (db->pg)
		PQfinish(db->pg);
	db->pg = NULL;
}

static void pg_error(struct db *db, const PGresult *res)
{
	enum db_error_class cls = DBE_OTHER;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(db->pg) != CONNECTION_OK)
		cls = DBE_CONNECTION;
	else if (state) {
		if (strcmp(state, "23505") == 0)
			cls = DBE_UNIQUE;
		else if (strcmp(state, "23503") == 0)
			cls = DBE_FOREIGN_KEY;
		else if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0)
			cls = DBE_CHECK;
		else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
			 strcmp(state, "55P03") == 0)
			cls = DBE_BUSY;
		else if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
			cls = DBE_CONNECTION;
	}
	db_set_error(db, cls, res ? PQresultErrorMessage(res) : PQerrorMessage(db->pg));
}

/* After a reset no statement is prepared on the new session. */
static void pg_forget_prepared(struct db *db)
{
	for (int b = 0; b < DB_CACHE_BUCKETS; b++)
		for (struct db_stmt *st = db->cache[b]; st; st = st->next)
			st->pg_prepared = 0;
}

static int pg_ensure_connection(struct db *db)
{
	if (PQstatus(db->pg) == CONNECTION_OK)
		return 0;
	if (db->in_tx)
		return -1;
	PQreset(db->pg);
	pg_forget_prepared(db);
	if (PQstatus(db->pg) != CONNECTION_OK)
		return -1;
	PQsetNoticeProcessor(db->pg, pg_notice_quiet, NULL);
	PGresult *r = PQexec(db->pg, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
	PQclear(r);
	return 0;
}

static PGresult *pg_execute(struct db_stmt *st)
{
	struct db *db = st->db;
	const char *const *values = (const char *const *)st->values;
	if (!st->cached)
		return PQexecParams(db->pg, st->sql, st->nparams, NULL, values, NULL, NULL, 0);
	if (!st->pg_prepared) {
		snprintf(st->name, sizeof st->name, "s%d", ++db->statement_counter);
		PGresult *p = PQprepare(db->pg, st->name, st->sql, 0, NULL);
		if (PQresultStatus(p) != PGRES_COMMAND_OK)
			return p;
		PQclear(p);
		st->pg_prepared = 1;
	}
	return PQexecPrepared(db->pg, st->name, st->nparams, values, NULL, NULL, 0);
}

int pg_step(struct db_stmt *st)
{
	struct db *db = st->db;
	if (!st->executed) {
		st->executed = 1;
		for (int attempt = 0; attempt < 2; attempt++) {
			if (pg_ensure_connection(db) != 0) {
				db_set_error(db, DBE_CONNECTION, PQerrorMessage(db->pg));
				return DB_ERROR;
			}
			st->res = pg_execute(st);
			ExecStatusType status = PQresultStatus(st->res);
			if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
				break;
			pg_error(db, st->res);
			PQclear(st->res);
			st->res = NULL;
			/* Retry once only when the connection itself was lost outside a transaction. */
			if (db->err_class != DBE_CONNECTION || db->in_tx || attempt == 1)
				return DB_ERROR;
		}
		st->row = -1;
		st->nrows = PQresultStatus(st->res) == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
		const char *tuples = PQcmdTuples(st->res);
		st->changes = tuples && *tuples ? atoll(tuples) : 0;
	}
	if (!st->res)
		return DB_ERROR;
	if (st->row + 1 < st->nrows) {
		st->row++;
		return DB_ROW;
	}
	return DB_DONE;
}

void pg_reset(struct db_stmt *st)
{
	if (st->res)
		PQclear(st->res);
	st->res = NULL;
	st->executed = 0;
	st->row = -1;
	st->nrows = 0;
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
	}
}

void pg_finalize(struct db_stmt *st)
{
	pg_reset(st);
	free(st->values);
	st->values = NULL;
	/* The prepared statement dies with the session; no DEALLOCATE needed at close. */
}

int pg_exec(struct db *db, const char *sql)
{
	if (pg_ensure_connection(db) != 0) {
		db_set_error(db, DBE_CONNECTION, PQerrorMessage(db->pg));
		return -1;
	}
	PGresult *r = PQexec(db->pg, sql);
	ExecStatusType s = PQresultStatus(r);
	int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
	if (!ok)
		pg_error(db, r);
	PQclear(r);
	return ok ? 0 : -1;
}
