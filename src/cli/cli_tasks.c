/*
 * tongxin tasks — lists the periodic tasks and runs one (or all) now. The server runs them by
 * itself; this is for tests, for cron when the server is not the one to do it, and for an
 * operator who wants the reminders out now.
 */
#include <stdio.h>
#include <string.h>
#include "app/tasks.h"
#include "cli/cli.h"

static const char tasks_help[] =
	"用法 usage: tongxin tasks list | tongxin tasks run NAME|all [--database URL | --data-dir DIR]\n"
	"                                 [--files-dir DIR] [--public-url URL]\n\n"
	"list：列出定期任务及其间隔；run：立即运行一个（或全部）任务。\n"
	"list: the periodic tasks and how often the server runs them; run: run one (or all) now.\n";

static int run_named(struct ctx *c, const char *name)
{
	int status = 0, found = strcmp(name, "all") == 0;
	for (const struct task *t = app_tasks; t->name; t++) {
		if (strcmp(name, "all") != 0 && strcmp(name, t->name) != 0)
			continue;
		found = 1;
		int n = tasks_run(c, t);
		if (n < 0) {
			fprintf(stderr, "%s: ", t->name);
			cli_print_error(&c->err);
			status = 1;
		} else {
			printf("%s: %d\n", t->name, n);
		}
	}
	if (!found) {
		fprintf(stderr, "tongxin tasks: 没有这个任务 no such task: %s\n", name);
		return 2;
	}
	return status;
}

static int run_step(struct ctx *c, void *name)
{
	return run_named(c, name);
}

int cli_tasks(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	if (o.help || argc < 2) {
		fputs(tasks_help, o.help ? stdout : stderr);
		return o.help ? 0 : 2;
	}
	if (strcmp(argv[1], "list") == 0) {
		for (const struct task *t = app_tasks; t->name; t++)
			printf("%-28s %6d s  %s\n", t->name, t->interval_seconds, t->summary);
		return 0;
	}
	if (strcmp(argv[1], "run") != 0 || argc != 3) {
		fputs(tasks_help, stderr);
		return 2;
	}
	return cli_with_ctx(&o, run_step, argv[2]);
}
