/* Shared between db.c and the two engine backends; nothing outside src/db includes this. */
#ifndef TONGXIN_DB_INTERNAL_H
#define TONGXIN_DB_INTERNAL_H
#include <libpq-fe.h>
#include <sqlite3.h>
#include "db/db.h"

/* DB_MAX_PARAMS: the most $n a statement may use; multi-row INSERTs (a matching run stores 500
 * edges of 7 columns per statement) need more than a handful. Both engines allow far more
 * (SQLite 32,766, PostgreSQL 65,535). */
enum { DB_CACHE_BUCKETS = 128, DB_MAX_PARAMS = 4096 };

struct db_stmt {
	struct db *db;
	char *sql;            /* owned copy of the text: the cache key, with hash */
	uint32_t hash;
	struct db_stmt *next; /* cache bucket chain */
	int cached;           /* lives in the cache (else freed by db_done) */
	int in_use;
	int nparams;          /* highest $n in the text */
	int failed;           /* preparation failed; step reports DB_ERROR */
	int64_t changes;
	/* SQLite */
	sqlite3_stmt *lite;
	int *lite_index; /* $n -> sqlite parameter index (0 = not present) */
	int lite_last;   /* result of the last sqlite3_step */
	/* PostgreSQL */
	char name[24];
	int pg_prepared;
	char **values; /* nparams bound values (malloc'd copies), NULL = SQL NULL */
	PGresult *res;
	int row, nrows, executed;
};

struct db {
	enum db_engine engine;
	char *url;
	sqlite3 *lite;
	PGconn *pg;
	int in_tx;
	int statement_counter;
	enum db_error_class err_class;
	char errmsg[512];
	struct db_stmt *cache[DB_CACHE_BUCKETS];
	union {
		unsigned char bytes[DB_TX_MEMO_SIZE];
		int64_t align;
	} tx_memo; /* db_tx_memo(): zeroed at every transaction boundary */
};

void db_set_error(struct db *db, enum db_error_class cls, const char *msg);
int db_sql_max_param(const char *sql);

int lite_open(struct db *db, const char *path);
void lite_close(struct db *db);
int lite_prepare(struct db_stmt *st);
void lite_finalize(struct db_stmt *st);
int lite_step(struct db_stmt *st);
void lite_bind(struct db_stmt *st, int n, char type, int64_t i, double f, const char *s);
void lite_reset(struct db_stmt *st);
int lite_exec(struct db *db, const char *sql);

int pg_open(struct db *db, const char *url);
void pg_close(struct db *db);
int pg_step(struct db_stmt *st);
void pg_reset(struct db_stmt *st);
void pg_finalize(struct db_stmt *st);
int pg_exec(struct db *db, const char *sql);
#endif
