/*
 * tongxin demo — loads the demonstration district: streets, communities, organizations of every
 * type with valid credit codes, their people and grades (registry_demo.c), and one account per
 * role (accounts_demo.c). Deterministic: the same --seed gives the same district.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "accounts/accounts.h"
#include "announce/announce.h"
#include "boards/boards.h"
#include "cli/cli.h"
#include "liaison/liaison.h"
#include "meetings/meetings.h"
#include "registry/registry_demo.h"
#include "resources/resources.h"

static const char demo_help[] =
	"用法 usage: tongxin demo [--scale N] [--seed S] [--board-posts N] [--if-empty] [--database URL]\n\n"
	"载入演示辖区：街道、社区、各类社会组织（有效的统一社会信用代码）、人员、等级评估，\n"
	"以及每种角色一个演示账户（密码见下）。--scale N 生成 N 个组织（默认 320，压测可用 100000；0 = 只建街道社区与账户）。\n"
	"--if-empty：数据库中已有组织时什么也不做（make run 用它）。\n"
	"Loads the demo district and one account per role; --scale N organizations (default 320).\n"
	"--board-posts N 另生成 N 个交流帖子（检索压测用） generates N more board posts (search benchmark).\n";

static int show_progress;

static void progress(void *arg, int done, int total)
{
	(void)arg;
	if (show_progress)
		fprintf(stderr, "\r  组织 organizations %d/%d", done, total);
}

int cli_demo(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	int scale = 320, if_empty = 0;
	long board_posts = 0;
	unsigned seed = 2026;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--board-posts") == 0 && i + 1 < argc)
			board_posts = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--if-empty") == 0)
			if_empty = 1;
		else {
			fprintf(stderr, "tongxin demo: 未知选项 unknown option %s\n\n%s", argv[i],
				demo_help);
			return 2;
		}
	}
	if (o.help) {
		fputs(demo_help, stdout);
		return 0;
	}
	if (scale < 0 || scale > 2000000) {
		fputs("tongxin demo: --scale 应在 0 到 2000000 之间 must be 0..2000000\n", stderr);
		return 2;
	}
	struct db *db = cli_open_db(&o);
	if (!db)
		return 1;
	int status = 1;
	struct ctx c;
	struct principal who;
	if (cli_ctx_init(&c, &who, &o, db) != 0)
		goto out;
	if (db_int(db, 0, "SELECT COUNT(*) FROM app_user", "") > 0 ||
	    db_int(db, 0, "SELECT COUNT(*) FROM org", "") > 0) {
		if (if_empty) {
			printf("数据库已有数据，未载入演示数据 the database is not empty; demo not loaded\n");
			accounts_demo_print(stdout);
			status = 0;
			goto out;
		}
		fputs("tongxin demo: 数据库不是空的；演示数据只能载入空数据库 "
		      "the database is not empty; load the demo into a new one\n",
		      stderr);
		goto out;
	}
	show_progress = isatty(2);
	time_t t0 = time(NULL);
	if (registry_demo_load(&c, scale, seed, progress, NULL) != 0) {
		cli_print_error(&c.err);
		goto out;
	}
	if (show_progress)
		fputc('\n', stderr);
	int64_t org_id = 0;
	const char *street = REGISTRY_DEMO_FIRST_STREET;
	if (scale > 0 && registry_demo_first_org(&c, &org_id) != 0) {
		cli_print_error(&c.err);
		goto out;
	}
	if (db_begin(db) != 0 || accounts_demo_load(&c, org_id, street) != 0 || db_commit(db) != 0) {
		if (c.err.kind == E_NONE)
			ctx_db_error(&c);
		cli_print_error(&c.err);
		if (db_in_transaction(db))
			db_rollback(db);
		goto out;
	}
	/* the features' demo data need the accounts and organizations above */
	if (liaison_demo_load(&c, seed) != 0 || meetings_demo_load(&c, seed) != 0 ||
	    resources_demo_load(&c, seed) != 0 ||
	    (scale > 0 && (announce_demo_load(&c, seed) != 0 ||
			   boards_demo_load(&c, seed, board_posts) != 0))) {
		if (c.err.kind == E_NONE)
			ctx_db_error(&c);
		cli_print_error(&c.err);
		goto out;
	}
	/* A bulk load outruns autovacuum: without fresh statistics PostgreSQL plans the first
	 * minute of searches blind (measured: board search at 3 requests/s instead of hundreds).
	 * SQLite's planner needs no statistics for these queries, and sqlite_stat1 would change
	 * plans that are measured without it. */
	if (db_engine(db) == DB_POSTGRES && db_exec_script(db, "ANALYZE") != 0)
		fprintf(stderr, "tongxin demo: ANALYZE failed (statistics come with autovacuum)\n");
	printf("已载入演示辖区 demo district loaded: %d 个组织 organizations (%lds)\n", scale,
	       (long)(time(NULL) - t0));
	accounts_demo_print(stdout);
	if (scale > 0)
		printf("  liaison2    liaison    联络员 黄磊（第二个街道）\n"
		       "  liaison3    liaison    联络员 林芳（全区）\n");
	status = 0;
out:
	cli_ctx_free(&c);
	db_close(db);
	return status;
}
