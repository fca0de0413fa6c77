/*
 * Authorization, decided in one place. Every domain function that reads or writes an object
 * calls policy_check() with the action and what it knows of the object (its organization and
 * street). Route tables add a coarse role filter in front; this is the rule that counts.
 *
 * The rules (docs/architecture.md repeats them in prose):
 * - admin: everything.
 * - supervisor: every read, including personal data and the audit trail; no write.
 * - staff: every read of the directory; writes and personal data only inside their
 *   jurisdiction (empty = whole district; else one street: the object's street code must match).
 * - liaison: the directory, and personal data inside their jurisdiction; no registry writes.
 * - org_admin: the directory; their own organizations' private data, edits and people.
 * - org_member: the directory; their own organizations' private data.
 * - expert, mediator, gov_officer, resident: the directory (public fields) only.
 */
#ifndef TONGXIN_CORE_POLICY_H
#define TONGXIN_CORE_POLICY_H
#include <stdint.h>
#include "core/ctx.h"
#include "core/principal.h"

enum action {
	ACT_ORG_READ,         /* the directory entry: names, type, fields, street, grade, description */
	ACT_ORG_READ_PRIVATE, /* contact phone/email, legal representative, budget, people */
	ACT_ORG_CREATE,
	ACT_ORG_UPDATE,
	ACT_ORG_ARCHIVE,      /* archive and restore */
	ACT_ORG_GRADE,        /* record an evaluation grade */
	ACT_ORG_IMPORT,
	ACT_ORG_EXPORT,
	ACT_CREDIT_OVERRIDE,  /* accept a credit code that fails its check, with a reason */
	ACT_PERSON_READ,      /* people, phones masked */
	ACT_PERSON_READ_PII,  /* full phone and ID numbers */
	ACT_PERSON_WRITE,
	ACT_USER_ADMIN,       /* accounts, roles, password resets */
	ACT_AUDIT_READ,       /* list and verify the audit trail */
	ACT_SYSTEM,           /* backups, configuration */
	ACT_NOTIFY_OWN,       /* read and mark one's own notifications, set one's preferences */
	ACT_NOTIFY_ROBOTS,    /* manage group-robot webhooks (admin, staff) */
	ACT_NOTIFY_ADMIN,     /* SMTP settings, the delivery outbox and its retries (admin) */
	ACT__MAX
};

struct policy_object {
	int64_t org_id;          /* 0 when the action is not about one organization */
	const char *street_code; /* the object's street (12 digits) or NULL when unknown/none */
};

/* 1 if the principal may do the action on the object (obj may be NULL for actions that are
 * not about one object, e.g. ACT_ORG_CREATE before the street is known). */
int policy_allows(const struct principal *p, enum action a, const struct policy_object *obj);
/* 0 if allowed; else fills c->err with 403 (401 for anonymous) and returns -1. */
int policy_check(struct ctx *c, enum action a, const struct policy_object *obj);
/* 1 if a street is inside the principal's jurisdiction (empty jurisdiction = everywhere). */
int policy_in_jurisdiction(const struct principal *p, const char *street_code);
const char *action_name(enum action a);

#endif
