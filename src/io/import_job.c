/*
 * Import jobs: an uploaded file is imported on a background thread, so the request that
 * brought it returns at once (202) and no polling thread is held for the seconds a large file
 * takes. The client polls the job for its progress and, at the end, its report.
 *
 * One job at a time per process: an import holds the database's write transaction for its
 * whole run anyway (all or nothing), so a second one could only wait. A second upload while
 * one runs is refused with 409.
 *
 * Progress (processed/total) lives in this process's memory, updated every 1,000 rows; the
 * job row in import_job keeps the status and, at the end, the report. With several
 * instances, only the instance running a job knows its progress; others report it running.
 *
 * The thread has its own database connection and a copy of the principal (the policy still
 * applies to every row). At process exit, io_jobs_shutdown() (registered with atexit) asks a
 * running import to stop — it rolls back — and waits for the thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lib/clock.h"
#include "io/io.h"
#include "lib/text.h"

struct job {
	int64_t id;
	char *data; /* the uploaded file (malloc'd, owned) */
	size_t len;
	int dry_run;
	struct ctx_detached *d; /* the job's own connection and arena, the requester's principal */
};

/* The running job of this process. */
static struct {
	pthread_mutex_t lock;
	int busy;      /* a job is running (or being started) */
	int stop;      /* the process is exiting: stop at the next progress report */
	int joinable;  /* `thread` has not been joined yet */
	pthread_t thread;
	int64_t id, processed, total;
	char instance[40];
} jobs = {.lock = PTHREAD_MUTEX_INITIALIZER};

static pthread_once_t jobs_once = PTHREAD_ONCE_INIT;

void io_jobs_shutdown(void)
{
	pthread_mutex_lock(&jobs.lock);
	jobs.stop = 1;
	int joinable = jobs.joinable;
	jobs.joinable = 0;
	pthread_mutex_unlock(&jobs.lock);
	if (joinable)
		pthread_join(jobs.thread, NULL);
}

/* Names this process in import_job.instance: pid and start time are unique enough to tell a
 * job of a process that has gone away from one of a live process. */
static void jobs_init(void)
{
	snprintf(jobs.instance, sizeof jobs.instance, "%ld-%lld", (long)getpid(),
		 (long long)time(NULL));
	atexit(io_jobs_shutdown);
}

static int job_progress(void *arg, int64_t processed, int64_t total)
{
	(void)arg;
	pthread_mutex_lock(&jobs.lock);
	jobs.processed = processed;
	jobs.total = total;
	int stop = jobs.stop;
	pthread_mutex_unlock(&jobs.lock);
	return stop;
}

/* A report for a job that ended without one (database failure, shutdown). */
static json_t *failure_report(enum lang lang, const char *key, long long arg, int dry_run)
{
	struct buf m = {0};
	msg_render(&m, key, lang, arg);
	json_t *rep = json_pack("{s:b, s:i, s:i, s:i, s:[{s:n, s:n, s:n, s:s}], s:i}", "dry_run",
				dry_run, "total_rows", 0, "valid_rows", 0, "imported", 0, "errors",
				"row", "column", "field", "message", m.data ? m.data : "", "errors_omitted",
				0);
	buf_free(&m);
	return rep;
}

static void job_finish(struct ctx *c, int64_t id, const char *status, json_t *report)
{
	char *text = json_dumps(report, JSON_COMPACT);
	json_t *rows = json_object_get(report, "total_rows");
	if (db_run(c->db,
		   "UPDATE import_job SET status = $2, report = $3, total_rows = $4, finished_at = $5 "
		   "WHERE id = $1",
		   "lssll", id, status, text, (int64_t)json_integer_value(rows),
		   clock_now()) < 0)
		fprintf(stderr, "tongxin: import job %lld: cannot store the report: %s\n",
			(long long)id, db_error_message(c->db));
	free(text);
}

static void job_run(struct job *job, struct ctx *c)
{
	FILE *in = fmemopen(job->data, job->len, "rb");
	json_t *report = NULL;
	struct io_import_opts opts = {job->dry_run, job_progress, job};
	int rc = in ? io_import_orgs(c, in, &opts, &report)
		    : error_internal(&c->err, "fmemopen failed");
	if (in)
		fclose(in);
	if (rc != 0)
		report = failure_report(c->lang, c->err.key ? c->err.key : error_default_key(c->err.kind),
					c->err.arg, job->dry_run);
	int stopped = json_is_true(json_object_get(report, "stopped"));
	job_finish(c, job->id, rc == 0 && !stopped ? "done" : "failed", report);
	json_decref(report);
}

static void *job_main(void *arg)
{
	struct job *job = arg;
	struct ctx *c = &job->d->c;
	c->now = clock_now();
	c->user_agent = "tongxin-import";
	job_run(job, c);
	text_thread_cleanup();
	ctx_detached_free(job->d);
	free(job->data);
	free(job);
	pthread_mutex_lock(&jobs.lock);
	jobs.busy = 0;
	pthread_mutex_unlock(&jobs.lock);
	return NULL;
}

/* Takes the job slot; E_CONFLICT when an import runs. */
static int reserve_slot(struct ctx *c)
{
	pthread_once(&jobs_once, jobs_init);
	pthread_mutex_lock(&jobs.lock);
	int busy = jobs.busy || jobs.stop;
	int joinable = !busy && jobs.joinable;
	if (!busy) {
		jobs.busy = 1;
		jobs.joinable = 0;
	}
	pthread_mutex_unlock(&jobs.lock);
	if (busy)
		return error_set(&c->err, E_CONFLICT, "io.import_running");
	if (joinable) /* the previous job's thread has finished (busy was 0): reap it */
		pthread_join(jobs.thread, NULL);
	return 0;
}

static void release_slot(void)
{
	pthread_mutex_lock(&jobs.lock);
	jobs.busy = 0;
	pthread_mutex_unlock(&jobs.lock);
}

int io_job_start(struct ctx *c, char *data, size_t len, int dry_run, int64_t *id)
{
	if (reserve_slot(c) != 0) {
		free(data);
		return -1;
	}
	struct ctx_detached *d = ctx_detach(c);
	if (!d) {
		free(data);
		release_slot();
		return -1;
	}
	struct db_stmt *st = db_query(c->db,
				      "INSERT INTO import_job (user_id, dry_run, status, instance, "
				      "created_at) VALUES ($1, $2, 'running', $3, $4) RETURNING id",
				      "lisl", c->who->user_id, dry_run ? 1 : 0, jobs.instance, c->now);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW) {
		free(data);
		ctx_detached_free(d);
		release_slot();
		return ctx_db_error(c);
	}
	struct job *job = xcalloc(1, sizeof *job);
	*job = (struct job){*id, data, len, dry_run, d};
	pthread_mutex_lock(&jobs.lock);
	jobs.id = *id;
	jobs.processed = 0;
	jobs.total = -1;
	int started = pthread_create(&jobs.thread, NULL, job_main, job) == 0;
	jobs.joinable = started;
	jobs.busy = started;
	pthread_mutex_unlock(&jobs.lock);
	if (!started) {
		free(job->data);
		ctx_detached_free(job->d);
		free(job);
		db_run(c->db, "UPDATE import_job SET status = 'failed' WHERE id = $1", "l", *id);
		return error_set(&c->err, E_UNAVAILABLE, NULL);
	}
	return 0;
}

/* Live progress of job id if this process runs it: 1 and the numbers, else 0. */
static int live_progress(int64_t id, int64_t *processed, int64_t *total)
{
	pthread_mutex_lock(&jobs.lock);
	int live = jobs.busy && jobs.id == id;
	*processed = jobs.processed;
	*total = jobs.total;
	pthread_mutex_unlock(&jobs.lock);
	return live;
}

static json_t *count_or_null(int64_t n)
{
	return n >= 0 ? json_integer(n) : json_null();
}

/* The job as the API shows it; `row` columns: status, dry_run, report, instance, created_at,
 * finished_at, total_rows. */
static json_t *job_json(struct ctx *c, int64_t id, struct db_stmt *st)
{
	const char *status = db_col_text(st, 0);
	json_t *report = NULL;
	int64_t processed = -1, total = -1;
	if (strcmp(status, "running") == 0) {
		pthread_once(&jobs_once, jobs_init);
		if (!live_progress(id, &processed, &total) &&
		    strcmp(db_col_text(st, 3), jobs.instance) == 0) {
			/* ours, yet not running: the thread ended without storing its report */
			status = "failed";
			report = failure_report(c->lang, "io.job_lost", 0, (int)db_col_int(st, 1));
		}
	} else if (!db_col_isnull(st, 2)) {
		report = json_loads(db_col_text(st, 2), 0, NULL);
		processed = total = db_col_isnull(st, 6) ? -1 : db_col_int(st, 6);
	}
	return json_pack("{s:I, s:s, s:b, s:o, s:o, s:o, s:I, s:o}", "id", (json_int_t)id,
			 "status", status, "dry_run", (int)db_col_int(st, 1), "processed",
			 count_or_null(processed), "total", count_or_null(total), "report",
			 report ? report : json_null(), "created_at",
			 (json_int_t)db_col_int(st, 4), "finished_at",
			 db_col_isnull(st, 5) ? json_null() : json_integer(db_col_int(st, 5)));
}

json_t *io_job_json(struct ctx *c, int64_t id)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT status, dry_run, report, instance, created_at, "
				      "finished_at, total_rows, user_id FROM import_job WHERE id = $1",
				      "l", id);
	int rc = db_step(st);
	json_t *out = NULL;
	/* someone else's job is "not found", except for an administrator */
	if (rc == DB_ROW && (db_col_int(st, 7) == c->who->user_id ||
			     principal_has(c->who, ROLE_ADMIN)))
		out = job_json(c, id, st);
	db_done(st);
	if (rc == DB_ERROR)
		ctx_db_error(c);
	else if (!out)
		error_set(&c->err, E_NOT_FOUND, "io.job_not_found");
	return out;
}
