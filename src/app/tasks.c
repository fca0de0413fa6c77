#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "lib/clock.h"
#include "app/tasks.h"
#include "core/principal.h"
#include "liaison/liaison.h"
#include "matching/matching_db.h"
#include "meetings/meetings.h"
#include "notify/notify_admin.h"
#include "notify/notify_delivery.h"
#include "registry/org.h"
#include "resources/resources.h"

/* Every feature's periodic work. Add a line when a feature brings one. */
const struct task app_tasks[] = {
	/* hourly: a grade's period begins and ends at the district's midnight */
	{"registry.grades", 3600, org_grade_lapse_task,
	 "等级生效或过期后重算当前等级 recompute current grades when a grade begins or lapses"},
	{"liaison.reminders", 3600, liaison_reminders_run,
	 "提醒联络员超期组织与逾期跟进 remind officers of overdue organizations and follow-ups"},
	{"meetings.horizon", 86400, meetings_task_horizon,
	 "会议：把重复会议的场次延展到未来一年 meetings: materialize series a year ahead"},
	{"meetings.overdue", 3600, meetings_task_overdue,
	 "会议：决议事项逾期时提醒负责方（每项一次） meetings: tell owners once when an action item is overdue"},
	{"resources.expire", 600, res_item_expire,
	 "资源与需求的时间窗口结束后标为已过期 expire resources and needs past their window"},
	{"notify.digest", 86400, notify_digest_run,
	 "通知每日摘要邮件 one digest e-mail per user with notifications waiting"},
	{"notify.deliver", 60, notify_deliver_task,
	 "发送队列中到期的邮件与群机器人消息 send due e-mails and robot posts now"},
	{"matching.runs", 1, matching_runs_task,
	 "计算排队中的全局分配运行 compute queued global allocation runs"},
	{NULL, 0, NULL, NULL},
};

const struct task *tasks_find(const char *name)
{
	for (const struct task *t = app_tasks; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

int tasks_run(struct ctx *c, const struct task *t)
{
	c->now = clock_now();
	error_clear(&c->err);
	int n = t->run(c);
	if (db_in_transaction(c->db))
		db_rollback(c->db); /* a task that failed half-way leaves nothing behind */
	return n;
}

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int running, stopping;

static void run_due(struct db *db, int64_t *last_run, int64_t now)
{
	for (int i = 0; app_tasks[i].name; i++) {
		const struct task *t = &app_tasks[i];
		if (now - last_run[i] < t->interval_seconds)
			continue;
		last_run[i] = now;
		struct principal who;
		principal_system(&who);
		struct ctx c = {.arena = arena_new(), .db = db, .who = &who, .lang = LANG_ZH,
				.remote_addr = "task", .user_agent = "tongxin-task"};
		int n = tasks_run(&c, t);
		if (n < 0)
			fprintf(stderr, "tongxin: task %s failed: %s\n", t->name,
				c.err.log[0] ? c.err.log : error_code(c.err.kind));
		else if (n > 0)
			fprintf(stderr, "tongxin: task %s: %d done\n", t->name, n);
		arena_free(c.arena);
	}
}

static void *task_thread(void *arg)
{
	(void)arg;
	int64_t last_run[64];
	int64_t start = clock_now();
	for (int i = 0; i < 64; i++)
		last_run[i] = start;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&wake, &lock, &until);
		if (stopping)
			break;
		pthread_mutex_unlock(&lock);
		struct error err = {0};
		struct db *db = db_thread(&err);
		if (db)
			run_due(db, last_run, clock_now());
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int tasks_start(const char *database_url)
{
	int n = 0;
	while (app_tasks[n].name)
		n++;
	if (n > 64 || running)
		return -1;
	(void)database_url; /* db_thread() uses the URL the server set with db_thread_init() */
	stopping = 0;
	if (pthread_create(&thread, NULL, task_thread, NULL) != 0)
		return -1;
	running = 1;
	return 0;
}

void tasks_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
}
