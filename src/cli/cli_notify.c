/*
 * tongxin notify test USER — sends a test notification (or many) to a user, through the same
 * domain function and transaction rules as everything else. Operators use it to check that
 * the bell, e-mail and robots work; tests and benchmarks use it to make notifications.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accounts/accounts.h"
#include "cli/cli.h"
#include "notify/notify.h"

static const char notify_help[] =
	"用法 usage: tongxin notify test USERNAME [--message TEXT] [--count N] [--database URL]\n"
	"            tongxin notify robots (--scope SCOPE | --org ID) [--message TEXT] [--count N]\n\n"
	"robots：向绑定到范围或组织的群机器人发送测试消息（经发送队列）。\n"
	"robots: queue test posts to the group robots of a scope or an organization.\n"
	"向用户发送测试通知（N 条，默认 1，最多 100000，同一事务内写入）。\n"
	"Sends a test notification (N of them, default 1, at most 100000, in one transaction).\n";

static int notify_test(struct ctx *c, const char *username, const char *message, int count)
{
	int64_t user_id = accounts_user_id(c, username);
	if (user_id <= 0) {
		fprintf(stderr, "tongxin notify: 没有这个用户 no such user: %s\n", username);
		return 1;
	}
	if (notify_send_test(c, user_id, message, count) != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	printf("%d\n", count);
	return 0;
}

struct notify_args {
	int robots;
	const char *username, *message, *scope;
	int count;
	int64_t org_id;
};

static int notify_step(struct ctx *c, void *arg)
{
	const struct notify_args *a = arg;
	if (!a->robots)
		return notify_test(c, a->username, a->message, a->count);
	if (notify_send_test_robots(c, a->org_id, a->scope, a->message, a->count) != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	printf("%d\n", a->count);
	return 0;
}

int cli_notify(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	int robots = argc >= 2 && strcmp(argv[1], "robots") == 0;
	if (o.help || argc < 3 || (strcmp(argv[1], "test") != 0 && !robots)) {
		fputs(notify_help, o.help ? stdout : stderr);
		return o.help ? 0 : 2;
	}
	const char *message = "", *scope = NULL;
	int count = 1;
	int64_t org_id = 0;
	for (int i = robots ? 2 : 3; i < argc; i++) {
		if (strcmp(argv[i], "--message") == 0 && i + 1 < argc)
			message = argv[++i];
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (robots && strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
			scope = argv[++i];
		else if (robots && strcmp(argv[i], "--org") == 0 && i + 1 < argc)
			org_id = atoll(argv[++i]);
		else {
			fputs(notify_help, stderr);
			return 2;
		}
	}
	struct notify_args a = {robots, argv[2], message, scope, count, org_id};
	return cli_with_ctx(&o, notify_step, &a);
}
