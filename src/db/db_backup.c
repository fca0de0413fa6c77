/*
 * Online backup (`tongxin backup FILE`), on both engines. See db_backup() in db.h.
 *
 * Both engines write into "FILE.partial" and rename it over FILE only when complete, so a
 * failed or interrupted backup never leaves a truncated file under the name an operator
 * would restore from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "db/db_internal.h"
#include "lib/mem.h"

/* Pages copied per sqlite3_backup_step: small enough that the copy makes visible progress
 * and the destination's writes interleave with the server's, large enough to be fast. */
enum { BACKUP_PAGES_PER_STEP = 1024 };

/*
 * SQLite: the online backup API, stepped in chunks. The source is in WAL mode, where a reader
 * never blocks writers; we hold ONE read transaction on the source across all steps, so every
 * page comes from the same snapshot (a consistent copy) and the backup never restarts because
 * the server committed meanwhile (which, without the held snapshot, a busy server could make
 * happen forever). The server keeps writing throughout; only checkpoints wait for us.
 */
static int lite_backup(struct db *db, const char *tmp, struct error *err)
{
	sqlite3 *dest = NULL;
	if (sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		error_internal(err, "cannot create %s: %s", tmp,
		               dest ? sqlite3_errmsg(dest) : "out of memory");
		sqlite3_close(dest);
		return -1;
	}
	int own_tx = !db->in_tx;
	/* BEGIN + a read starts the snapshot; backup_step then keeps using it */
	if (own_tx && (lite_exec(db, "BEGIN") != 0 ||
	               lite_exec(db, "SELECT COUNT(*) FROM sqlite_master") != 0)) {
		error_internal(err, "cannot start a read transaction: %s", db->errmsg);
		sqlite3_close(dest);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->lite, "main");
	int rc = b ? SQLITE_OK : sqlite3_errcode(dest);
	while (b && (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)) {
		if (rc != SQLITE_OK)
			sqlite3_sleep(10);
		rc = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP);
	}
	if (b)
		sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		rc = sqlite3_errcode(dest);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		error_internal(err, "backup failed: %s", sqlite3_errmsg(dest));
	if (own_tx)
		lite_exec(db, "ROLLBACK");
	if (sqlite3_close(dest) != SQLITE_OK && rc == SQLITE_OK)
		rc = error_internal(err, "cannot close %s", tmp);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? 0 : -1;
}

/* "--name=value", malloc'd. */
static char *option(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s", name, value);
	return s;
}

/* PostgreSQL: pg_dump in its custom format (restore with pg_restore), run without a shell.
 * Its stderr goes to a pipe so its complaint can be reported (first line kept in err->log). */
static int pg_backup(struct db *db, const char *tmp, struct error *err)
{
	int fds[2];
	if (pipe(fds) != 0)
		return error_internal(err, "pipe: %s", strerror(errno));
	char *file_arg = option("--file=", tmp), *db_arg = option("--dbname=", db->url);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execlp("pg_dump", "pg_dump", "--format=custom", file_arg, db_arg, (char *)NULL);
		fprintf(stderr, "cannot run pg_dump: %s (install postgresql-client)\n",
		        strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	free(file_arg);
	free(db_arg);
	/* keep the start of pg_dump's complaint; read the rest too so it never blocks on a full
	 * pipe */
	char msg[1024], chunk[512];
	size_t got = 0;
	ssize_t k;
	while ((k = read(fds[0], chunk, sizeof chunk)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		size_t take = (size_t)k < sizeof msg - 1 - got ? (size_t)k : sizeof msg - 1 - got;
		memcpy(msg + got, chunk, take);
		got += take;
	}
	msg[got] = 0;
	close(fds[0]);
	int status = 0;
	if (pid < 0)
		return error_internal(err, "fork: %s", strerror(errno));
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = 0;
	return error_internal(err, "pg_dump failed (exit %d): %s",
	                      WIFEXITED(status) ? WEXITSTATUS(status) : -1, msg);
}

int db_backup(struct db *db, const char *path, struct error *err)
{
	size_t n = strlen(path) + 9;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.partial", path);
	unlink(tmp);
	int rc = db->engine == DB_POSTGRES ? pg_backup(db, tmp, err) : lite_backup(db, tmp, err);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = error_internal(err, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
