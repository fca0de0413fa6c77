#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/app.h"
#include "app/tasks.h"
#include "cli/cli.h"
#include "notify/notify_admin.h"
#include "notify/notify_delivery.h"
#include "notify/notify_robot_url.h"
#include "notify/notify_stream.h"

static const char serve_help[] =
	"用法 usage: tongxin serve [--listen HOST:PORT] [--database URL] [--data-dir DIR]\n"
	"                     [--threads N] [--workers N] [--quiet] [--secure-cookies]\n\n"
	"启动 HTTP 服务：JSON API（/api/v1）与网页界面。启动时自动升级数据库结构。\n"
	"Serves the JSON API under /api/v1 and the web UI; migrates the database on start.\n"
	"  --listen HOST:PORT 监听地址；端口写 0 时由系统选一个空闲端口，启动行写出实际地址\n"
	"                     port 0: the system picks a free port, named in the start line\n"
	"  --threads N        轮询线程数（默认 CPU 核数）polling threads (default: cores)\n"
	"  --workers N        慢请求（密码哈希）工作线程数，默认 4  workers for slow requests\n"
	"  --quiet            不输出访问日志  no access log\n"
	"  --secure-cookies   仅通过 HTTPS 发送会话 Cookie（部署在 TLS 之后时使用）\n"
	"  --trusted-proxy IP 反向代理的地址：信任它的 X-Forwarded-For（限流、审计用真实客户端地址）\n"
	"  --data-dir DIR     数据目录：SQLite 数据库文件与附件（DIR/files）data directory\n"
	"  --files-dir DIR    附件目录（默认 DIR/files）attachment store (default DIR/files)\n"
	"  --public-url URL   平台的公开地址，如 https://tongxin.example.gov.cn：邮件和群机器人消息中的\n"
	"                     链接据此写成完整网址（管理员在“通知设置”中填写的地址优先）\n"
	"                     public base URL of links in e-mails, robot messages and QR codes\n"
	"每个选项与其环境变量含义相同，选项优先；其他子命令（tasks、backup……）读取同样的选项\n"
	"each flag means what its variable means (the flag wins), for every subcommand\n"
	"环境变量 environment: TONGXIN_DATABASE, TONGXIN_LISTEN, TONGXIN_DATA_DIR,\n"
	"  TONGXIN_FILES_DIR (附件目录，默认 DIR/files), TONGXIN_PUBLIC_URL,\n"
	"  TONGXIN_SECURE_COOKIES=1, TONGXIN_TRUSTED_PROXY\n";

int cli_serve(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	if (o.help) {
		fputs(serve_help, stdout);
		return 0;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct server_config cfg = {0};
	cfg.access_log = 1;
	const char *secure = getenv("TONGXIN_SECURE_COOKIES");
	cfg.secure_cookies = secure && strcmp(secure, "1") == 0;
	cfg.trusted_proxy = getenv("TONGXIN_TRUSTED_PROXY");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			cfg.threads = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
			cfg.workers = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--quiet") == 0)
			cfg.access_log = 0;
		else if (strcmp(argv[i], "--secure-cookies") == 0)
			cfg.secure_cookies = 1;
		else if (strcmp(argv[i], "--trusted-proxy") == 0 && i + 1 < argc)
			cfg.trusted_proxy = argv[++i];
		else {
			fprintf(stderr, "tongxin serve: 未知选项 unknown option %s\n\n%s", argv[i],
				serve_help);
			return 2;
		}
	}
	/* test-only: robots may post to a local receiver (never honored outside a test server;
	 * src/notify/notify_robot_url.h says which conditions make it one) */
	if (notify_robot_url_allow_test_hosts(getenv("TONGXIN_TEST_ALLOW_ROBOT_HOSTS"), o.listen,
					      stderr) != 0)
		return 2;
	struct db *db = cli_open_db(&o);
	if (!db)
		return 1;
	db_close(db);
	cfg.listen = o.listen;
	cfg.database_url = o.database;
	cfg.tables = app_routes;
	cfg.resolve_principal = accounts_resolve_principal;
	cfg.before_stop = notify_stream_stop;
	if (server_start(&cfg) != 0)
		return 1;
	if (notify_stream_start() != 0 || notify_delivery_start() != 0) {
		fputs("tongxin: 无法启动通知推送线程 cannot start the notification stream hub\n", stderr);
		server_stop();
		return 1;
	}
	if (tasks_start(o.database) != 0) {
		fputs("tongxin: 无法启动定期任务线程 cannot start the task thread\n", stderr);
		server_stop();
		return 1;
	}
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* the real port: with HOST:0 the system chose it, and this line is how a caller (the
	 * tests) learns it without racing another process for a port it picked */
	const char *colon = strrchr(o.listen, ':');
	int host_len = colon ? (int)(colon - o.listen) : (int)strlen(o.listen);
	fprintf(stderr, "tongxin: serving http://%.*s:%d/ (database %s, ready in %.1f ms)\n",
		host_len, o.listen, server_port(),
		db_is_postgres_url(o.database) ? "postgresql" : o.database, ms);
	server_wait();
	notify_delivery_stop();
	tasks_stop();
	return 0;
}
