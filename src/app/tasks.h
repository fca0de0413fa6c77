/*
 * Periodic tasks: reminders, digests, expiries — work nobody asks for by a request.
 *
 * Each feature adds its task to app_tasks[] in app/tasks.c. `tongxin serve` runs a background
 * thread that starts every task when its interval has passed (first run one interval after
 * start, so a restart loop does not hammer anything); `tongxin tasks run NAME` runs one now
 * (tests and cron use that).
 *
 * A task runs as the system principal, opens its own transactions (it may work in batches) and
 * must be idempotent: two server instances on one database may both run it, and a crash may
 * repeat it. Remember in the database what has been done (e.g. "reminded at"), never in memory.
 */
#ifndef TONGXIN_APP_TASKS_H
#define TONGXIN_APP_TASKS_H
#include "core/ctx.h"

struct task {
	const char *name;     /* "liaison.reminders": feature.what */
	int interval_seconds; /* how often the server runs it */
	/* Does the work. Returns the number of things done (for the log), or -1 with c->err. */
	int (*run)(struct ctx *c);
	const char *summary;  /* one line, Chinese then English, for `tongxin tasks list` */
};

/* NULL-name-terminated list of every task. */
extern const struct task app_tasks[];

/* The task with that name, or NULL. */
const struct task *tasks_find(const char *name);
/* Runs one task now on c (system principal). Returns what the task returned. */
int tasks_run(struct ctx *c, const struct task *t);

/* Starts the background thread that runs due tasks on its own connection to database_url.
 * Returns 0 or -1. tasks_stop() asks it to finish the running task and joins it. */
int tasks_start(const char *database_url);
void tasks_stop(void);

#endif
