/*
 * The engine-neutral half of the data layer: statement cache, bindings, one-liners,
 * transactions, per-thread connections and migrations. See db.h for the contract.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db/db_internal.h"
#include "lib/embedded.h"
#include "lib/mem.h"

void db_set_error(struct db *db, enum db_error_class cls, const char *msg)
{
	db->err_class = cls;
	snprintf(db->errmsg, sizeof db->errmsg, "%s", msg ? msg : "");
	size_t n = strlen(db->errmsg);
	while (n && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' '))
		db->errmsg[--n] = 0;
}

int db_is_postgres_url(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

/* Highest $n in the text, skipping quoted literals and identifiers. */
int db_sql_max_param(const char *sql)
{
	int max = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && isdigit((unsigned char)p[1])) {
			int n = atoi(p + 1);
			if (n > max)
				max = n;
		}
	}
	return max > DB_MAX_PARAMS ? DB_MAX_PARAMS : max;
}

struct db *db_open(const char *url, struct error *err)
{
	struct db *db = xcalloc(1, sizeof *db);
	db->url = xstrdup(url);
	db->engine = db_is_postgres_url(url) ? DB_POSTGRES : DB_SQLITE;
	int rc = db->engine == DB_POSTGRES ? pg_open(db, url) : lite_open(db, url);
	if (rc != 0) {
		if (err) {
			error_set(err, E_UNAVAILABLE, NULL);
			snprintf(err->log, sizeof err->log, "cannot open database: %s", db->errmsg);
		}
		db_close(db);
		return NULL;
	}
	return db;
}

struct db *db_reopen(const struct db *db, struct error *err)
{
	return db_open(db->url, err);
}

static void stmt_free(struct db_stmt *st)
{
	if (st->db->engine == DB_POSTGRES)
		pg_finalize(st);
	else
		lite_finalize(st);
	free(st->sql);
	free(st);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int b = 0; b < DB_CACHE_BUCKETS; b++) {
		struct db_stmt *st = db->cache[b];
		while (st) {
			struct db_stmt *next = st->next;
			stmt_free(st);
			st = next;
		}
	}
	if (db->engine == DB_POSTGRES)
		pg_close(db);
	else
		lite_close(db);
	free(db->url);
	free(db);
}

enum db_engine db_engine(const struct db *db)
{
	return db->engine;
}

const char *db_engine_name(const struct db *db)
{
	return db->engine == DB_POSTGRES ? "postgresql" : "sqlite";
}

enum db_error_class db_error_class(const struct db *db)
{
	return db->err_class;
}

const char *db_error_message(const struct db *db)
{
	return db->errmsg;
}

/* ---------------------------------------------------------------- per-thread connections */

static char *thread_url;
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static _Thread_local struct db *thread_db;

static void thread_db_destroy(void *p)
{
	db_close(p);
}

static void thread_key_make(void)
{
	pthread_key_create(&thread_key, thread_db_destroy);
}

void db_thread_init(const char *url)
{
	free(thread_url);
	thread_url = xstrdup(url);
	pthread_once(&thread_key_once, thread_key_make);
}

struct db *db_thread(struct error *err)
{
	if (thread_db)
		return thread_db;
	thread_db = db_open(thread_url, err);
	if (thread_db)
		pthread_setspecific(thread_key, thread_db);
	return thread_db;
}

/* ---------------------------------------------------------------- statements */

/* FNV-1a over the text: statements are cached by what they say, not by where the text
 * lives, so SQL built at run time (in a buffer that is later reused for other text) can never
 * be answered by another text's statement. */
static uint32_t text_hash(const char *sql)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static struct db_stmt *stmt_new(struct db *db, const char *sql, uint32_t hash, int cached)
{
	struct db_stmt *st = xcalloc(1, sizeof *st);
	st->db = db;
	st->sql = xstrdup(sql); /* the statement owns its text: the caller's may be a buffer */
	st->hash = hash;
	st->cached = cached;
	st->nparams = db_sql_max_param(sql);
	st->row = -1;
	if (db->engine == DB_POSTGRES) {
		st->values = xcalloc((size_t)st->nparams + 1, sizeof(char *));
	} else if (lite_prepare(st) != 0) {
		st->failed = 1;
	}
	return st;
}

static int same_text(const struct db_stmt *st, const char *sql, uint32_t hash)
{
	return st->hash == hash && strcmp(st->sql, sql) == 0;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	uint32_t hash = text_hash(sql);
	unsigned b = hash % DB_CACHE_BUCKETS;
	for (struct db_stmt *st = db->cache[b]; st; st = st->next) {
		if (!same_text(st, sql, hash))
			continue;
		if (st->in_use)
			break; /* nested use of the same text: a private, uncached statement */
		st->in_use = 1;
		return st;
	}
	int cache = 1;
	for (struct db_stmt *st = db->cache[b]; st; st = st->next)
		if (same_text(st, sql, hash))
			cache = 0;
	struct db_stmt *st = stmt_new(db, sql, hash, cache);
	if (cache && !st->failed) {
		st->next = db->cache[b];
		db->cache[b] = st;
	}
	if (st->failed)
		st->cached = 0;
	st->in_use = 1;
	return st;
}

static void bind_value(struct db_stmt *st, int n, char type, int64_t i, double f, const char *s)
{
	if (st->failed || n < 1 || n > st->nparams)
		return;
	if (st->db->engine == DB_SQLITE) {
		lite_bind(st, n, type, i, f, s);
		return;
	}
	char tmp[40];
	free(st->values[n - 1]);
	st->values[n - 1] = NULL;
	if (type == 'l') {
		snprintf(tmp, sizeof tmp, "%lld", (long long)i);
		st->values[n - 1] = xstrdup(tmp);
	} else if (type == 'f') {
		snprintf(tmp, sizeof tmp, "%.17g", f);
		st->values[n - 1] = xstrdup(tmp);
	} else if (type == 's' && s) {
		st->values[n - 1] = xstrdup(s);
	}
}

void db_bind_int(struct db_stmt *st, int n, int64_t v)
{
	bind_value(st, n, 'l', v, 0, NULL);
}

void db_bind_double(struct db_stmt *st, int n, double v)
{
	bind_value(st, n, 'f', 0, v, NULL);
}

void db_bind_text(struct db_stmt *st, int n, const char *s)
{
	bind_value(st, n, 's', 0, 0, s);
}

void db_bind_null(struct db_stmt *st, int n)
{
	bind_value(st, n, 's', 0, 0, NULL);
}

int db_step(struct db_stmt *st)
{
	if (st->failed)
		return DB_ERROR;
	return st->db->engine == DB_POSTGRES ? pg_step(st) : lite_step(st);
}

int db_col_count(struct db_stmt *st)
{
	if (st->db->engine == DB_POSTGRES)
		return st->res ? PQnfields(st->res) : 0;
	return sqlite3_column_count(st->lite);
}

int db_col_isnull(struct db_stmt *st, int i)
{
	if (st->db->engine == DB_POSTGRES)
		return PQgetisnull(st->res, st->row, i);
	return sqlite3_column_type(st->lite, i) == SQLITE_NULL;
}

int64_t db_col_int(struct db_stmt *st, int i)
{
	if (st->db->engine == DB_POSTGRES) {
		if (PQgetisnull(st->res, st->row, i))
			return 0;
		return strtoll(PQgetvalue(st->res, st->row, i), NULL, 10);
	}
	return sqlite3_column_int64(st->lite, i);
}

double db_col_double(struct db_stmt *st, int i)
{
	if (st->db->engine == DB_POSTGRES) {
		if (PQgetisnull(st->res, st->row, i))
			return 0;
		return strtod(PQgetvalue(st->res, st->row, i), NULL);
	}
	return sqlite3_column_double(st->lite, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
	if (st->db->engine == DB_POSTGRES) {
		if (PQgetisnull(st->res, st->row, i))
			return NULL;
		return PQgetvalue(st->res, st->row, i);
	}
	return (const char *)sqlite3_column_text(st->lite, i);
}

const char *db_col_name(struct db_stmt *st, int i)
{
	if (st->db->engine == DB_POSTGRES)
		return PQfname(st->res, i);
	return sqlite3_column_name(st->lite, i);
}

int64_t db_last_insert_id(struct db *db)
{
	return db->engine == DB_SQLITE ? sqlite3_last_insert_rowid(db->lite) : 0;
}

int64_t db_changes(struct db_stmt *st)
{
	return st->changes;
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	st->changes = 0;
	if (!st->cached) {
		stmt_free(st);
		return;
	}
	if (st->db->engine == DB_POSTGRES)
		pg_reset(st);
	else
		lite_reset(st);
	st->in_use = 0;
}

/* ---------------------------------------------------------------- one-liners */

static void bind_args(struct db_stmt *st, const char *types, va_list ap)
{
	for (int n = 1; types && types[n - 1]; n++) {
		switch (types[n - 1]) {
		case 'l':
			db_bind_int(st, n, va_arg(ap, int64_t));
			break;
		case 'i':
			db_bind_int(st, n, va_arg(ap, int));
			break;
		case 'f':
			db_bind_double(st, n, va_arg(ap, double));
			break;
		case 's':
			db_bind_text(st, n, va_arg(ap, const char *));
			break;
		default:
			abort(); /* a programming error in the caller's type string */
		}
	}
}

struct db_stmt *db_query(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st = db_prepare(db, sql);
	va_list ap;
	va_start(ap, types);
	bind_args(st, types, ap);
	va_end(ap);
	return st;
}

int64_t db_run(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st = db_prepare(db, sql);
	va_list ap;
	va_start(ap, types);
	bind_args(st, types, ap);
	va_end(ap);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	int64_t changes = rc == DB_DONE ? db_changes(st) : -1;
	db_done(st);
	return changes;
}

int64_t db_int(struct db *db, int64_t fallback, const char *sql, const char *types, ...)
{
	struct db_stmt *st = db_prepare(db, sql);
	va_list ap;
	va_start(ap, types);
	bind_args(st, types, ap);
	va_end(ap);
	int64_t v = fallback;
	if (db_step(st) == DB_ROW && !db_col_isnull(st, 0))
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

int db_exists(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st = db_prepare(db, sql);
	va_list ap;
	va_start(ap, types);
	bind_args(st, types, ap);
	va_end(ap);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---------------------------------------------------------------- transactions */

int db_exec_script(struct db *db, const char *sql)
{
	return db->engine == DB_POSTGRES ? pg_exec(db, sql) : lite_exec(db, sql);
}

int db_begin(struct db *db)
{
	memset(&db->tx_memo, 0, sizeof db->tx_memo);
	if (db_exec_script(db, db->engine == DB_POSTGRES ? "BEGIN" : "BEGIN IMMEDIATE") != 0)
		return -1;
	db->in_tx = 1;
	return 0;
}

int db_begin_read(struct db *db)
{
	const char *sql = db->engine == DB_POSTGRES
				  ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
				  : "BEGIN";
	memset(&db->tx_memo, 0, sizeof db->tx_memo);
	if (db_exec_script(db, sql) != 0)
		return -1;
	db->in_tx = 1;
	return 0;
}

int db_commit(struct db *db)
{
	int rc = db_exec_script(db, "COMMIT");
	if (rc != 0)
		db_exec_script(db, "ROLLBACK");
	db->in_tx = 0;
	memset(&db->tx_memo, 0, sizeof db->tx_memo);
	return rc;
}

int db_rollback(struct db *db)
{
	int rc = db_exec_script(db, "ROLLBACK");
	db->in_tx = 0;
	memset(&db->tx_memo, 0, sizeof db->tx_memo);
	return rc;
}

void *db_tx_memo(struct db *db, size_t size)
{
	if (size > sizeof db->tx_memo.bytes)
		abort();
	return db->tx_memo.bytes;
}

int db_in_transaction(const struct db *db)
{
	return db->in_tx;
}

/* ---------------------------------------------------------------- migrations */

static const char migrations_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

int db_schema_version(struct db *db)
{
	return (int)db_int(db, 0, "SELECT MAX(version) FROM schema_migrations", "");
}

static int migrate_one(struct db *db, const struct embedded_file *f, int version,
		       const char *name, struct error *err)
{
	/* Look first without a lock: a CLI command on a database the server is writing to must
	 * not queue behind the server's write transaction when there is nothing to apply. */
	if (db_exists(db, "SELECT 1 FROM schema_migrations WHERE version = $1", "i", version) == 1)
		return 0;
	if (db_begin(db) != 0)
		goto fail;
	if (db->engine == DB_POSTGRES &&
	    db_exists(db, "SELECT pg_advisory_xact_lock(74210001)", "") < 0)
		goto fail;
	int done = db_exists(db, "SELECT 1 FROM schema_migrations WHERE version = $1", "i",
			     version);
	if (done < 0)
		goto fail;
	if (done == 1) {
		db_rollback(db);
		return 0;
	}
	if (db_exec_script(db, f->data) != 0)
		goto fail;
	if (db_run(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		   "isl", version, name, (int64_t)time(NULL)) < 0)
		goto fail;
	if (db_commit(db) != 0)
		goto fail;
	return 1;
fail:
	error_internal(err, "migration %s failed: %s", name, db->errmsg);
	if (db->in_tx)
		db_rollback(db);
	return -1;
}

int db_migrate(struct db *db, struct error *err)
{
	if (db_exec_script(db, migrations_table) != 0)
		return error_internal(err, "cannot create schema_migrations: %s", db->errmsg);
	const char *dir = db->engine == DB_POSTGRES ? "src/db/migrations/postgres/"
						    : "src/db/migrations/sqlite/";
	size_t dirlen = strlen(dir);
	int applied = 0;
	/* embedded_files lists migrations sorted by path, so numbering gives the order */
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, dir, dirlen) != 0)
			continue;
		const char *name = f->path + dirlen;
		int version = atoi(name);
		if (version <= 0)
			continue;
		int rc = migrate_one(db, f, version, name, err);
		if (rc < 0)
			return -1;
		applied += rc;
	}
	return applied;
}
