/*
 * tongxin user add|list|passwd|roles|disable|enable — account administration from the shell. The CLI acts
 * as the system operator (or --as USER) and goes through the same domain functions, so the
 * same validation, policy and audit apply as on the web.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "accounts/accounts.h"
#include "cli/cli.h"

static const char user_help[] =
	"用法 usage:\n"
	"  tongxin user add USERNAME --name 显示名 --role ROLE[,ROLE...] [--org ID] [--street CODE]\n"
	"                  [--email E] [--phone P] (--password P | --password-stdin)\n"
	"  tongxin user list\n"
	"  tongxin user passwd USERNAME (--password P | --password-stdin)\n"
	"  tongxin user roles USERNAME --set ROLE[,ROLE...] [--org ID] [--street CODE]\n"
	"  tongxin user disable USERNAME    停用账户并结束其所有会话 disable, ending its sessions\n"
	"  tongxin user enable USERNAME     重新启用 enable again\n\n"
	"角色 roles: admin staff liaison org_admin org_member expert mediator gov_officer\n"
	"            resident supervisor\n"
	"--street 把统战部干部/联络员限定在一个街道（12 位代码，\"\" 表示全区）；\n"
	"--org 为组织管理员/成员指定组织。roles --set 替换该用户的全部角色。\n"
	"--street limits staff/liaison to one street (12 digits, \"\" = whole district); --org names\n"
	"the organization of org_admin/org_member; roles --set replaces all of the user's roles.\n"
	"通用选项 common: --database URL, --data-dir DIR, --as USER (act as that account).\n";

/* Reads one line from stdin (the password), without its newline. */
static char *read_password_stdin(void)
{
	static char line[256];
	if (!fgets(line, sizeof line, stdin))
		return NULL;
	line[strcspn(line, "\r\n")] = 0;
	return line;
}

static int parse_roles(const char *list, unsigned *roles)
{
	char copy[256];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int r = role_from_name(tok);
		if (r < 0) {
			fprintf(stderr, "tongxin user: 未知角色 unknown role '%s'\n", tok);
			return -1;
		}
		*roles |= ROLE_BIT(r);
	}
	return 0;
}

static int user_add(struct ctx *c, int argc, char **argv)
{
	struct user_input in = {0};
	if (argc < 2 || argv[1][0] == '-') {
		fputs(user_help, stderr);
		return 2;
	}
	in.username = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--password-stdin") == 0) {
			in.password = read_password_stdin();
			continue;
		}
		if (!v) {
			fprintf(stderr, "tongxin user add: %s 需要一个值 needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--name") == 0)
			in.display_name = v;
		else if (strcmp(a, "--role") == 0) {
			if (parse_roles(v, &in.roles) != 0)
				return 2;
		} else if (strcmp(a, "--org") == 0)
			in.org_id = atoll(v);
		else if (strcmp(a, "--street") == 0)
			in.jurisdiction = v;
		else if (strcmp(a, "--email") == 0)
			in.email = v;
		else if (strcmp(a, "--phone") == 0)
			in.phone = v;
		else if (strcmp(a, "--password") == 0)
			in.password = v;
		else {
			fprintf(stderr, "tongxin user add: 未知选项 unknown option %s\n", a);
			return 2;
		}
	}
	int64_t id;
	if (accounts_user_create(c, &in, &id) != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	printf("已创建用户 created user %s (id %lld)\n", in.username, (long long)id);
	return 0;
}

static int user_list(struct ctx *c)
{
	struct db_stmt *st = db_query(
		c->db,
		"SELECT u.id, u.username, u.display_name, u.status, u.jurisdiction, "
		"(SELECT COUNT(*) FROM user_role r WHERE r.user_id = u.id) FROM app_user u "
		"ORDER BY u.username",
		"");
	printf("%-6s %-16s %-9s %-13s %s\n", "id", "username", "status", "jurisdiction", "name");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		printf("%-6lld %-16s %-9s %-13s %s\n", (long long)db_col_int(st, 0),
		       db_col_text(st, 1), db_col_text(st, 3),
		       *db_col_text(st, 4) ? db_col_text(st, 4) : "(全区)", db_col_text(st, 2));
	db_done(st);
	if (rc == DB_ERROR) {
		ctx_db_error(c);
		cli_print_error(&c->err);
		return 1;
	}
	return 0;
}

/* Looks a user name up; prints the error and returns 0 when there is none. */
static int64_t user_id_or_complain(struct ctx *c, const char *username)
{
	int64_t id = accounts_user_id(c, username);
	if (!id) {
		error_set(&c->err, E_NOT_FOUND, "accounts.no_such_user");
		cli_print_error(&c->err);
	}
	return id;
}

static int user_passwd(struct ctx *c, int argc, char **argv)
{
	if (argc < 3) {
		fputs(user_help, stderr);
		return 2;
	}
	const char *password = NULL;
	if (strcmp(argv[2], "--password-stdin") == 0)
		password = read_password_stdin();
	else if (strcmp(argv[2], "--password") == 0 && argc > 3)
		password = argv[3];
	int64_t id = user_id_or_complain(c, argv[1]);
	if (!id)
		return 1;
	if (accounts_set_password(c, id, password, 0) != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	printf("已设置新密码 password set for %s; 其他会话已退出 other sessions ended\n", argv[1]);
	return 0;
}

static int user_apply(struct ctx *c, const char *username, const struct user_patch *p,
		      const char *done)
{
	int64_t id = user_id_or_complain(c, username);
	if (!id)
		return 1;
	if (accounts_user_update(c, id, p) != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	printf("%s: %s\n", username, done);
	return 0;
}

static int user_roles(struct ctx *c, int argc, char **argv)
{
	unsigned roles = 0;
	int64_t org = 0;
	struct user_patch p = {0};
	if (argc < 2 || argv[1][0] == '-') {
		fputs(user_help, stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "tongxin user roles: %s 需要一个值 needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--set") == 0) {
			if (parse_roles(v, &roles) != 0)
				return 2;
			p.set_roles = 1;
		} else if (strcmp(a, "--org") == 0)
			org = atoll(v);
		else if (strcmp(a, "--street") == 0)
			p.jurisdiction = v;
		else {
			fprintf(stderr, "tongxin user roles: 未知选项 unknown option %s\n", a);
			return 2;
		}
	}
	if (!p.set_roles && !p.jurisdiction) {
		fputs(user_help, stderr);
		return 2;
	}
	struct role_grant grants[ACCOUNTS_MAX_GRANTS];
	p.ngrants = accounts_grants_from_mask(roles, org, grants);
	p.grants = grants;
	return user_apply(c, argv[1], &p, "角色已更新 roles updated");
}

static int user_status(struct ctx *c, int argc, char **argv, int enable)
{
	if (argc != 2) {
		fputs(user_help, stderr);
		return 2;
	}
	struct user_patch p = {0};
	p.status = enable ? "active" : "disabled";
	return user_apply(c, argv[1], &p,
			  enable ? "已启用 enabled" : "已停用，会话已结束 disabled, sessions ended");
}

struct user_args {
	int argc;
	char **argv;
};

/* The subcommand argv[1] of `tongxin user`. */
static int user_step(struct ctx *c, void *arg)
{
	const struct user_args *a = arg;
	int argc = a->argc;
	char **argv = a->argv;
	if (strcmp(argv[1], "add") == 0)
		return user_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return user_list(c);
	if (strcmp(argv[1], "passwd") == 0)
		return user_passwd(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "roles") == 0)
		return user_roles(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "disable") == 0 || strcmp(argv[1], "enable") == 0)
		return user_status(c, argc - 1, argv + 1, argv[1][0] == 'e');
	fprintf(stderr, "tongxin user: 未知子命令 unknown subcommand %s\n\n%s", argv[1], user_help);
	return 2;
}

int cli_user(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	if (o.help || argc < 2) {
		fputs(user_help, o.help ? stdout : stderr);
		return o.help ? 0 : 2;
	}
	struct user_args a = {argc, argv};
	return cli_with_ctx(&o, user_step, &a);
}
