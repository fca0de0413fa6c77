/*
 * tongxin demo [--scale N] [--seed S]: loads the demonstration district (registry data, then
 * one account per role). Interim version from the registry branch; the lead's CLI replaces it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "accounts/accounts.h"
#include "cli/cli.h"
#include "registry/registry_demo.h"

static void show_progress(void *arg, int done, int total)
{
	(void)arg;
	fprintf(stderr, "\r组织 organizations: %d/%d", done, total);
	if (done == total)
		fputc('\n', stderr);
}

int cli_demo(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	int scale = 300;
	unsigned seed = 2026;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = (unsigned)strtoul(argv[++i], NULL, 10);
		else
			o.help = 2;
	}
	if (o.help || scale < 0) {
		fputs("用法 usage: tongxin demo [--scale N] [--seed S]\n", o.help == 1 ? stdout : stderr);
		return o.help == 1 ? 0 : 2;
	}
	struct db *db = cli_open_db(&o);
	if (!db)
		return 1;
	struct ctx c;
	struct principal who;
	int rc = 1;
	if (cli_ctx_init(&c, &who, &o, db) == 0) {
		int64_t org = 0;
		if (registry_demo_load(&c, scale, seed, isatty(2) ? show_progress : NULL, NULL) != 0 ||
		    registry_demo_first_org(&c, &org) != 0 || db_begin(db) != 0 ||
		    accounts_demo_load(&c, org, REGISTRY_DEMO_FIRST_STREET) != 0 || db_commit(db) != 0) {
			if (db_in_transaction(db))
				db_rollback(db);
			cli_print_error(&c.err);
		} else {
			accounts_demo_print(stdout);
			rc = 0;
		}
	}
	cli_ctx_free(&c);
	db_close(db);
	return rc;
}
