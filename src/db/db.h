/*
 * One data layer, two engines.
 *
 * All domain code talks to `struct db` (one connection) and `struct db_stmt` (a statement with
 * its bindings and its current row). The same SQL text runs on SQLite and PostgreSQL: write
 * parameters as $1, $2 ... (SQLite binds them by name), use CAST($n AS BIGINT/TEXT) where
 * PostgreSQL cannot infer a parameter's type, take ids from `RETURNING id`, keep timestamps as
 * BIGINT Unix seconds computed in C, and booleans as INTEGER 0/1. Where the engines truly differ
 * (full-text search, DDL), branch on db_engine() next to the SQL.
 *
 * Ownership and threads: a connection belongs to one thread at a time. The server gives every
 * thread its own connection through db_thread(); statements are prepared once per connection
 * and cached by their SQL text (the statement keeps its own copy), so text built at run time
 * from fixed fragments is as safe as a literal: each distinct text gets its own statement.
 * Never build SQL text from input: values are always bound.
 *
 * Usage:
 *     struct db_stmt *st = db_prepare(db, "SELECT name FROM org WHERE id = $1");
 *     db_bind_int(st, 1, id);
 *     while (db_step(st) == DB_ROW) use(db_col_text(st, 0));
 *     db_done(st);            // always: resets and returns it to the cache
 *
 * Errors: db_step() returns DB_ERROR and db_error_class() tells unique/foreign-key violations
 * (which domain code turns into 409/422) from the rest (500 or 503).
 */
#ifndef TONGXIN_DB_DB_H
#define TONGXIN_DB_DB_H
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

enum db_engine { DB_SQLITE, DB_POSTGRES };
enum db_step_result { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };
enum db_error_class {
	DBE_NONE,
	DBE_UNIQUE,      /* unique or primary key violation */
	DBE_FOREIGN_KEY, /* foreign key violation */
	DBE_CHECK,       /* CHECK or NOT NULL violation */
	DBE_BUSY,        /* lock timeout / serialization failure: retrying may help */
	DBE_CONNECTION,  /* the server went away */
	DBE_OTHER,
};

struct db;
struct db_stmt;

/* Opens a connection. `url` is a SQLite file path (created if missing) or a postgres:// or
 * postgresql:// URL. On failure returns NULL and fills err (E_UNAVAILABLE with the engine's
 * message in err->log). The caller closes it with db_close(). */
struct db *db_open(const char *url, struct error *err);
void db_close(struct db *db);
/* A new connection to the database `db` is connected to (the same URL), for work that must
 * not share the caller's connection (see ctx_detach). NULL with err filled, as db_open. */
struct db *db_reopen(const struct db *db, struct error *err);
enum db_engine db_engine(const struct db *db);
const char *db_engine_name(const struct db *db); /* "sqlite" or "postgresql" */
int db_is_postgres_url(const char *url);

/* The calling thread's connection to the server's database (set by db_thread_init), opened on
 * first use and closed when the thread exits. NULL (and err filled) if it cannot be opened. */
void db_thread_init(const char *url);
struct db *db_thread(struct error *err);

/* Transactions. db_begin() starts a write transaction (SQLite: BEGIN IMMEDIATE, so it never
 * fails half-way with SQLITE_BUSY_SNAPSHOT). db_begin_read() starts a read snapshot. Not
 * nestable. Each returns 0 or -1. */
int db_begin(struct db *db);
int db_begin_read(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
int db_in_transaction(const struct db *db);

/* Runs SQL text without parameters, possibly several statements (migrations). 0 or -1. */
int db_exec_script(struct db *db, const char *sql);

/* Prepares (or takes from the cache, by text) a statement. Never NULL: a statement that failed
 * to prepare reports DB_ERROR on its first step. The text is copied: a buffer may be reused. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
void db_bind_int(struct db_stmt *st, int n, int64_t v);   /* n is the $n number, from 1 */
void db_bind_double(struct db_stmt *st, int n, double v);
void db_bind_text(struct db_stmt *st, int n, const char *s); /* NULL binds NULL; copied */
void db_bind_null(struct db_stmt *st, int n);
int db_step(struct db_stmt *st);
int db_col_count(struct db_stmt *st);
int db_col_isnull(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i); /* NULL for NULL; valid until next step */
const char *db_col_name(struct db_stmt *st, int i);
/* SQLite only: the rowid of the last INSERT on this connection (0 on PostgreSQL: use
 * RETURNING there). For hot inserts where RETURNING's statement savepoint costs too much. */
int64_t db_last_insert_id(struct db *db);
/* Rows changed by the last INSERT/UPDATE/DELETE this statement ran. */
int64_t db_changes(struct db_stmt *st);
/* Resets the statement, clears its bindings, and returns it to the cache. */
void db_done(struct db_stmt *st);

/* The last error on this connection. */
enum db_error_class db_error_class(const struct db *db);
const char *db_error_message(const struct db *db);

/* One-liners. `types` has one letter per parameter: 'l' int64_t, 'i' int, 'f' double,
 * 's' const char * (NULL binds NULL). */
struct db_stmt *db_query(struct db *db, const char *sql, const char *types, ...);
/* Runs to completion; returns rows changed, or -1. */
int64_t db_run(struct db *db, const char *sql, const char *types, ...);
/* First column of the first row as an integer; `fallback` when there is no row or on error. */
int64_t db_int(struct db *db, int64_t fallback, const char *sql, const char *types, ...);
/* 1 if the query returns a row, 0 if not, -1 on error. */
int db_exists(struct db *db, const char *sql, const char *types, ...);

/* Applies pending embedded migrations for this engine in order, each in its own transaction,
 * recording them in schema_migrations. Returns the number applied, or -1 (err filled). Safe to
 * run from several instances at once (PostgreSQL: advisory lock; SQLite: write lock). */
int db_migrate(struct db *db, struct error *err);
/* Highest applied migration number (0 when none). */
int db_schema_version(struct db *db);

/* ---- added for the audit trail and backups (src/audit, src/db/db_backup.c) ---- */

/* A per-transaction scratch area of `size` bytes (at most DB_TX_MEMO_SIZE: a larger request
 * is a programming error and aborts) owned by the connection and zeroed at every BEGIN,
 * COMMIT and ROLLBACK, for a module that must remember something true only inside the current
 * transaction. Its one user: audit_append keeps the chain's head there, which stays true only
 * while this transaction holds the append lock. */
enum { DB_TX_MEMO_SIZE = 128 };
void *db_tx_memo(struct db *db, size_t size);

/* Copies the database to `path` while others keep using it. SQLite: the online backup API,
 * a few hundred pages per step with the lock released between steps, giving a consistent,
 * openable copy; `path` must not exist (the caller decides about overwriting). PostgreSQL:
 * runs `pg_dump --format=custom --file path URL`. Returns 0, or -1 with err filled
 * (E_UNAVAILABLE / E_INTERNAL with the engine's or pg_dump's message in err->log). */
int db_backup(struct db *db, const char *path, struct error *err);

/* ---- end of audit additions ---- */

#endif
