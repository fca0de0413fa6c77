#include <string.h>
#include "core/policy.h"

static const char *const action_names[ACT__MAX] = {
	[ACT_ORG_READ] = "org.read",
	[ACT_ORG_READ_PRIVATE] = "org.read_private",
	[ACT_ORG_CREATE] = "org.create",
	[ACT_ORG_UPDATE] = "org.update",
	[ACT_ORG_ARCHIVE] = "org.archive",
	[ACT_ORG_GRADE] = "org.grade",
	[ACT_ORG_IMPORT] = "org.import",
	[ACT_ORG_EXPORT] = "org.export",
	[ACT_CREDIT_OVERRIDE] = "org.credit_override",
	[ACT_PERSON_READ] = "person.read",
	[ACT_PERSON_READ_PII] = "person.read_pii",
	[ACT_PERSON_WRITE] = "person.write",
	[ACT_USER_ADMIN] = "user.admin",
	[ACT_AUDIT_READ] = "audit.read",
	[ACT_SYSTEM] = "system",
	[ACT_NOTIFY_OWN] = "notify.own",
	[ACT_NOTIFY_ROBOTS] = "notify.robots",
	[ACT_NOTIFY_ADMIN] = "notify.admin",
};

const char *action_name(enum action a)
{
	return a < ACT__MAX ? action_names[a] : "unknown";
}

int policy_in_jurisdiction(const struct principal *p, const char *street_code)
{
	if (p->jurisdiction[0] == 0)
		return 1;
	if (!street_code)
		return 0;
	/* a street code is 12 digits; its first 9 identify the street, communities share them */
	return strncmp(p->jurisdiction, street_code, 9) == 0;
}

static int is_read(enum action a)
{
	return a == ACT_ORG_READ || a == ACT_ORG_READ_PRIVATE || a == ACT_PERSON_READ ||
	       a == ACT_PERSON_READ_PII || a == ACT_AUDIT_READ || a == ACT_ORG_EXPORT;
}

/* Staff rights: the directory everywhere, the rest inside the jurisdiction. */
static int staff_allows(const struct principal *p, enum action a, const struct policy_object *o)
{
	switch (a) {
	case ACT_ORG_READ:
	case ACT_PERSON_READ:
	case ACT_ORG_EXPORT:
	case ACT_ORG_IMPORT:
		return 1; /* import and export check each row's street themselves */
	case ACT_ORG_CREATE:
		return !o || !o->street_code || policy_in_jurisdiction(p, o->street_code);
	case ACT_ORG_READ_PRIVATE:
	case ACT_ORG_UPDATE:
	case ACT_ORG_ARCHIVE:
	case ACT_ORG_GRADE:
	case ACT_CREDIT_OVERRIDE:
	case ACT_PERSON_READ_PII:
	case ACT_PERSON_WRITE:
		return o && policy_in_jurisdiction(p, o->street_code);
	default:
		return 0;
	}
}

static int org_role_allows(const struct principal *p, enum action a, const struct policy_object *o)
{
	int64_t org = o ? o->org_id : 0;
	switch (a) {
	case ACT_ORG_READ:
		return 1;
	case ACT_ORG_READ_PRIVATE:
	case ACT_PERSON_READ: /* people belong to their organization's private data */
		return org && principal_member_of(p, org);
	case ACT_ORG_UPDATE:
	case ACT_PERSON_WRITE:
	case ACT_PERSON_READ_PII:
		return org && principal_has(p, ROLE_ORG_ADMIN) && principal_administers(p, org);
	default:
		return 0;
	}
}

int policy_allows(const struct principal *p, enum action a, const struct policy_object *obj)
{
	if (!p || p->user_id == PRINCIPAL_ANONYMOUS || a >= ACT__MAX)
		return 0;
	if (principal_has(p, ROLE_ADMIN))
		return 1;
	if (a == ACT_NOTIFY_OWN) /* the rows are filtered by user: everyone has their own */
		return 1;
	if (a == ACT_NOTIFY_ROBOTS)
		return principal_has(p, ROLE_STAFF);
	if (principal_has(p, ROLE_SUPERVISOR) && is_read(a))
		return 1;
	if (principal_has(p, ROLE_STAFF) && staff_allows(p, a, obj))
		return 1;
	if (principal_has(p, ROLE_LIAISON)) {
		if (a == ACT_ORG_READ)
			return 1;
		/* people and private data: inside the liaison's jurisdiction (a list with no
		 * object: only a liaison for the whole district) */
		int inside = obj ? policy_in_jurisdiction(p, obj->street_code) : !p->jurisdiction[0];
		if ((a == ACT_PERSON_READ || a == ACT_ORG_READ_PRIVATE || a == ACT_PERSON_READ_PII) &&
		    inside)
			return 1;
	}
	if ((principal_has(p, ROLE_ORG_ADMIN) || principal_has(p, ROLE_ORG_MEMBER)) &&
	    org_role_allows(p, a, obj))
		return 1;
	/* every signed-in user may read the public directory */
	return a == ACT_ORG_READ;
}

int policy_check(struct ctx *c, enum action a, const struct policy_object *obj)
{
	if (policy_allows(c->who, a, obj))
		return 0;
	if (c->who->user_id == PRINCIPAL_ANONYMOUS)
		return error_set(&c->err, E_UNAUTHENTICATED, NULL);
	return error_set(&c->err, E_FORBIDDEN, NULL);
}
