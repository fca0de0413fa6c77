/*
 * tongxin — one binary for the whole platform (the way Fossil and Redis ship): a web server,
 * the database tools and the operator's commands, chosen by the first argument.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "app/app.h"
#include "cli/cli.h"

static int cli_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("用法 usage: tongxin version\n\n显示版本号。Prints the version.");
		return 0;
	}
	printf("tongxin %s\n", TONGXIN_VERSION);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"serve", cli_serve, "启动 HTTP 服务（JSON API 与网页）  serve the API and the web UI"},
	{"init", cli_init, "创建或升级数据库  create or migrate a database"},
	{"demo", cli_demo, "载入演示辖区数据  load the demonstration district"},
	{"user", cli_user, "账户管理：add/passwd/roles/list  manage accounts"},
	{"import", cli_import, "导入组织（CSV）  import organizations from CSV"},
	{"export", cli_export, "导出组织（CSV/Excel）  export organizations"},
	{"audit", cli_audit, "审计链校验与查询  verify the audit chain"},
	{"backup", cli_backup, "在线备份数据库  online backup"},
	{"tasks", cli_tasks, "定期任务：list/run  list or run the periodic tasks"},
	{"matching", cli_matching, "匹配引擎：solve/bench  the matching engine (no database)"},
	{"notify", cli_notify, "发送测试通知  send a test notification"},
	{"routes", cli_routes, "列出全部接口路由（JSON）  list every API route"},
	{"openapi", cli_openapi, "输出 OpenAPI 文档（JSON）  print the OpenAPI document"},
	{"version", cli_version, "显示版本  print the version"},
};

static void usage(FILE *out)
{
	fprintf(out, "同心 Tongxin — 社会组织协同治理平台\n\n用法 usage: tongxin COMMAND [options]\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n通用选项 common options:\n"
		     "  --database URL   SQLite 文件路径或 postgres:// URL (TONGXIN_DATABASE)\n"
		     "  --data-dir DIR   数据目录，默认 data (TONGXIN_DATA_DIR)\n"
		     "  --listen ADDR    监听地址，默认 127.0.0.1:8080 (TONGXIN_LISTEN)\n"
		     "  --help           每个命令都有帮助  every command has --help\n");
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("tongxin: libsodium failed to initialise\n", stderr);
		return 1;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cli_version(argc, argv);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tongxin: 未知命令 unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
