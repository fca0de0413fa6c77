#include <stdio.h>
#include "cli/cli.h"

int cli_init(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	if (o.help || argc > 1) {
		fputs("用法 usage: tongxin init [--database URL | --data-dir DIR]\n\n"
		      "创建数据库或把它升级到当前版本（可重复执行）。\n"
		      "Creates the database, or migrates it to this version (safe to repeat).\n",
		      o.help ? stdout : stderr);
		return o.help ? 0 : 2;
	}
	struct error err = {0};
	struct db *db = db_open(cli_database_url(&o), &err);
	if (!db) {
		cli_print_error(&err);
		return 1;
	}
	int applied = db_migrate(db, &err);
	if (applied < 0) {
		cli_print_error(&err);
		db_close(db);
		return 1;
	}
	printf("数据库就绪 database ready: %s (%s), schema %d, %d migration(s) applied\n",
	       db_is_postgres_url(o.database) ? "postgresql" : o.database, db_engine_name(db),
	       db_schema_version(db), applied);
	db_close(db);
	return 0;
}
