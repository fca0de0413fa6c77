#include <string.h>
#include "core/principal.h"

static const struct {
	const char *name, *zh, *en;
} roles[ROLE__MAX] = {
	[ROLE_ADMIN] = {"admin", "系统管理员", "System administrator"},
	[ROLE_STAFF] = {"staff", "统战部干部", "Department staff"},
	[ROLE_LIAISON] = {"liaison", "联络员", "Liaison officer"},
	[ROLE_ORG_ADMIN] = {"org_admin", "组织管理员", "Organization administrator"},
	[ROLE_ORG_MEMBER] = {"org_member", "组织成员", "Organization member"},
	[ROLE_EXPERT] = {"expert", "专家", "Expert"},
	[ROLE_MEDIATOR] = {"mediator", "调解员", "Mediator"},
	[ROLE_GOV_OFFICER] = {"gov_officer", "政府部门工作人员", "Government officer"},
	[ROLE_RESIDENT] = {"resident", "居民/志愿者", "Resident / volunteer"},
	[ROLE_SUPERVISOR] = {"supervisor", "监督员", "Supervisor"},
};

const char *role_name(enum role r)
{
	return r < ROLE__MAX ? roles[r].name : "unknown";
}

int role_from_name(const char *name)
{
	for (int r = 0; r < ROLE__MAX; r++)
		if (name && strcmp(name, roles[r].name) == 0)
			return r;
	return -1;
}

const char *role_label(enum role r, int english)
{
	if (r >= ROLE__MAX)
		return "?";
	return english ? roles[r].en : roles[r].zh;
}

void principal_system(struct principal *p)
{
	memset(p, 0, sizeof *p);
	p->user_id = PRINCIPAL_SYSTEM;
	strcpy(p->username, "system");
	strcpy(p->display_name, "系统 (命令行)");
	p->roles = ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF);
}

int principal_has(const struct principal *p, enum role r)
{
	return (p->roles & ROLE_BIT(r)) != 0;
}

int principal_administers(const struct principal *p, int64_t org_id)
{
	for (int i = 0; i < p->norgs; i++)
		if (p->org_ids[i] == org_id)
			return 1;
	return 0;
}

int principal_member_of(const struct principal *p, int64_t org_id)
{
	if (principal_administers(p, org_id))
		return 1;
	for (int i = 0; i < p->nmember_orgs; i++)
		if (p->member_org_ids[i] == org_id)
			return 1;
	return 0;
}
