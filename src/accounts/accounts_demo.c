/*
 * The demo district's accounts: one per role, all with the same demo password, printed by
 * `tongxin demo` and `make run` so a newcomer can sign in as anyone.
 */
#include <stdio.h>
#include <string.h>
#include "accounts/accounts.h"

const char accounts_demo_password[] = "Tongxin@2026";

static const struct {
	const char *username, *display_name;
	enum role role;
	int street_limited; /* jurisdiction = the demo street */
	int with_org;       /* org_admin / org_member of the demo organization */
} demo_users[] = {
	{"admin", "系统管理员 王立", ROLE_ADMIN, 0, 0},
	{"staff", "统战部 李明", ROLE_STAFF, 0, 0},
	{"street", "街道统战委员 赵敏", ROLE_STAFF, 1, 0},
	{"liaison", "联络员 陈静", ROLE_LIAISON, 1, 0},
	{"orgadmin", "组织管理员 刘洋", ROLE_ORG_ADMIN, 0, 1},
	{"member", "组织成员 周婷", ROLE_ORG_MEMBER, 0, 1},
	{"expert", "专家 孙教授", ROLE_EXPERT, 0, 0},
	{"mediator", "调解员 吴刚", ROLE_MEDIATOR, 0, 0},
	{"officer", "民政局 郑华", ROLE_GOV_OFFICER, 0, 0},
	{"resident", "居民 钱芳", ROLE_RESIDENT, 0, 0},
	{"supervisor", "监督员 冯军", ROLE_SUPERVISOR, 0, 0},
};

int accounts_demo_load(struct ctx *c, int64_t org_id, const char *street)
{
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		if (demo_users[i].with_org && org_id == 0)
			continue; /* a district without organizations (demo --scale 0) */
		struct user_input in = {0};
		in.username = demo_users[i].username;
		in.display_name = demo_users[i].display_name;
		in.password = accounts_demo_password;
		in.roles = ROLE_BIT(demo_users[i].role);
		in.jurisdiction = demo_users[i].street_limited ? street : "";
		in.org_id = demo_users[i].with_org ? org_id : 0;
		int64_t id;
		if (accounts_user_create_in_tx(c, &in, &id) != 0)
			return -1;
	}
	return 0;
}

void accounts_demo_print(FILE *out)
{
	fprintf(out, "演示账户 demo accounts (密码 password: %s)\n", accounts_demo_password);
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
		fprintf(out, "  %-11s %-10s %s\n", demo_users[i].username,
			role_name(demo_users[i].role), demo_users[i].display_name);
}
