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
	[ACT_LIAISON_READ] = "liaison.read",
	[ACT_LIAISON_CONTACT] = "liaison.contact",
	[ACT_LIAISON_ASSIGN] = "liaison.assign",
	[ACT_LIAISON_RULES] = "liaison.rules",
	[ACT_MEETING_MANAGE] = "meeting.manage",
	[ACT_MEETING_READ_ALL] = "meeting.read_all",
	[ACT_ANNOUNCE_WRITE] = "announce.write",
	[ACT_ANNOUNCE_STATS] = "announce.stats",
	[ACT_ANNOUNCE_INBOX] = "announce.inbox",
	[ACT_BOARD_MANAGE] = "board.manage",
	[ACT_BOARD_MODERATE] = "board.moderate",
	[ACT_BOARD_READ_ALL] = "board.read_all",
	[ACT_BOARD_POST] = "board.post",
	[ACT_DM_STAFF] = "dm.staff",
	[ACT_DM_ORG] = "dm.org",
	[ACT_DM_ANY] = "dm.any",
	[ACT_RES_WRITE] = "resource.write",
	[ACT_RES_READ_DISTRICT] = "resource.read_district",
	[ACT_RES_READ_RESTRICTED] = "resource.read_restricted",
	[ACT_RES_READ_CONTACT] = "resource.read_contact",
	[ACT_RES_EXPORT] = "resource.export",
	[ACT_TALENT_WRITE] = "talent.write",
	[ACT_TALENT_EDIT_SELF] = "talent.edit_self",
	[ACT_TALENT_READ_CONTACT] = "talent.read_contact",
	[ACT_DOCKING_WRITE] = "docking.write",
	[ACT_DOCKING_READ] = "docking.read",
	[ACT_NOTIFY_OWN] = "notify.own",
	[ACT_NOTIFY_ROBOTS] = "notify.robots",
	[ACT_NOTIFY_ADMIN] = "notify.admin",
	[ACT_MATCHING_SUGGEST] = "matching.suggest",
	[ACT_MATCHING_RUN] = "matching.run",
	[ACT_MATCHING_WEIGHTS] = "matching.weights",
	[ACT_TALENT_USER_LOOKUP] = "talent.user_lookup",
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
	       a == ACT_PERSON_READ_PII || a == ACT_AUDIT_READ || a == ACT_ORG_EXPORT ||
	       a == ACT_LIAISON_READ || a == ACT_MEETING_READ_ALL || a == ACT_ANNOUNCE_STATS ||
	       a == ACT_BOARD_READ_ALL || a == ACT_RES_READ_DISTRICT || a == ACT_RES_READ_RESTRICTED ||
	       a == ACT_RES_READ_CONTACT || a == ACT_RES_EXPORT || a == ACT_TALENT_READ_CONTACT ||
	       a == ACT_DOCKING_READ;
}

/* Resources, needs, talent and dockings (issue 5). Staff: reads everywhere, writes inside
 * their jurisdiction; liaison: reads, contacts inside their jurisdiction; organization roles:
 * their own organization's items and dockings (writes: org_admin only); an expert edits the
 * talent entry linked to their account (the domain checks the link). */
static int resources_allows(const struct principal *p, enum action a,
			    const struct policy_object *o)
{
	int staff = principal_has(p, ROLE_STAFF), liaison = principal_has(p, ROLE_LIAISON);
	int inside = o ? policy_in_jurisdiction(p, o->street_code) : !p->jurisdiction[0];
	int64_t org = o ? o->org_id : 0;
	int member = org && (principal_member_of(p, org) || principal_administers(p, org));
	int org_admin = org && principal_has(p, ROLE_ORG_ADMIN) && principal_administers(p, org);
	switch (a) {
	case ACT_RES_READ_DISTRICT: /* everyone signed in but a resident without other roles */
		return (p->roles & ~ROLE_BIT(ROLE_RESIDENT)) != 0;
	case ACT_RES_READ_RESTRICTED:
	case ACT_DOCKING_READ:
		return staff || liaison || member;
	case ACT_RES_READ_CONTACT:
		return ((staff || liaison) && inside) || member;
	case ACT_RES_EXPORT:
	case ACT_TALENT_WRITE:
	case ACT_TALENT_USER_LOOKUP: /* those who may link an entry to an account */
		return staff;
	case ACT_TALENT_READ_CONTACT:
		return staff || liaison;
	case ACT_TALENT_EDIT_SELF:
		return principal_has(p, ROLE_EXPERT);
	case ACT_RES_WRITE:
	case ACT_DOCKING_WRITE:
		return (staff && o && inside) || org_admin;
	case ACT_MATCHING_SUGGEST:
		return staff || member;
	case ACT_MATCHING_RUN:
	case ACT_MATCHING_WEIGHTS:
		return staff;
	default:
		return 0;
	}
}

/* Staff rights: the directory everywhere, the rest inside the jurisdiction. */
static int staff_allows(const struct principal *p, enum action a, const struct policy_object *o)
{
	switch (a) {
	case ACT_ORG_READ:
	case ACT_PERSON_READ:
	case ACT_ORG_EXPORT:
	case ACT_ORG_IMPORT:
	case ACT_MEETING_READ_ALL:
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
	case ACT_MEETING_MANAGE:
		return o && policy_in_jurisdiction(p, o->street_code);
	case ACT_LIAISON_READ:
	case ACT_LIAISON_CONTACT: /* staff may also act as an assigned officer elsewhere */
		return o ? o->responsible || policy_in_jurisdiction(p, o->street_code)
			 : a == ACT_LIAISON_READ;
	case ACT_LIAISON_ASSIGN:
		return o && policy_in_jurisdiction(p, o->street_code);
	case ACT_LIAISON_RULES:
		return p->jurisdiction[0] == 0; /* district-wide settings: district staff only */
	case ACT_ANNOUNCE_STATS:
	case ACT_BOARD_MANAGE:
	case ACT_BOARD_READ_ALL:
	case ACT_DM_ANY:
		return 1;
	case ACT_ANNOUNCE_WRITE:
	case ACT_BOARD_MODERATE: /* district boards (no street): district staff only */
		return !o || policy_in_jurisdiction(p, o->street_code ? o->street_code : "");
	default:
		return 0;
	}
}

/*
 * Who may message whom (direct messages): anyone may write to staff, liaison officers and
 * administrators; organization users may also write to each other; staff, liaison officers and
 * administrators may write to anyone. Everyone else (experts, residents, ...) writes only to
 * staff. A reply in an existing conversation is always allowed (src/boards/dm.c).
 */
static int communication_allows(const struct principal *p, enum action a)
{
	switch (a) {
	case ACT_DM_STAFF:
		return 1;
	case ACT_DM_ORG:
		return principal_has(p, ROLE_ORG_ADMIN) || principal_has(p, ROLE_ORG_MEMBER) ||
		       principal_has(p, ROLE_LIAISON);
	case ACT_DM_ANY:
		return principal_has(p, ROLE_LIAISON);
	case ACT_BOARD_POST:
		return p->roles != ROLE_BIT(ROLE_SUPERVISOR); /* a supervisor only reads */
	default:
		return 0;
	}
}

/* Liaison officers: read inside their jurisdiction or where assigned; write only where
 * assigned (staff assign them, so an officer may look after an organization of any street). */
static int liaison_allows(const struct principal *p, enum action a, const struct policy_object *o)
{
	if (a == ACT_LIAISON_READ)
		return !o || o->responsible || policy_in_jurisdiction(p, o->street_code);
	if (a == ACT_LIAISON_CONTACT)
		return o && o->responsible;
	return 0;
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
	case ACT_ANNOUNCE_INBOX:
		return !org || principal_member_of(p, org) || principal_administers(p, org);
	default:
		return 0;
	}
}

/*
 * Group robots (webhooks). obj NULL asks "may this user manage robots at all?" (the list,
 * which the domain then filters robot by robot). A robot bound to an organization: staff whose
 * jurisdiction holds the organization's street, and that organization's administrators. A
 * robot bound to a feature's scope (a board, ...) speaks for the district: district-wide staff.
 */
static int robots_allows(const struct principal *p, const struct policy_object *o)
{
	int staff = principal_has(p, ROLE_STAFF);
	if (!o)
		return staff || principal_has(p, ROLE_ORG_ADMIN);
	if (!o->org_id)
		return staff && p->jurisdiction[0] == 0;
	if (staff && policy_in_jurisdiction(p, o->street_code))
		return 1;
	return principal_has(p, ROLE_ORG_ADMIN) && principal_administers(p, o->org_id);
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
		return robots_allows(p, obj);
	if (principal_has(p, ROLE_SUPERVISOR) && is_read(a))
		return 1;
	if (principal_has(p, ROLE_STAFF) && staff_allows(p, a, obj))
		return 1;
	if ((a >= ACT_RES_WRITE && a <= ACT_DOCKING_READ) ||
	    (a >= ACT_MATCHING_SUGGEST && a <= ACT_MATCHING_WEIGHTS) || a == ACT_TALENT_USER_LOOKUP)
		return resources_allows(p, a, obj);
	if (principal_has(p, ROLE_LIAISON)) {
		if (liaison_allows(p, a, obj))
			return 1;
		if (a == ACT_ORG_READ || a == ACT_MEETING_READ_ALL)
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
	if (communication_allows(p, a))
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
