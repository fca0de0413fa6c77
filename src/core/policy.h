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
	ACT_LIAISON_READ,     /* an organization's officers, contacts, follow-ups (obj NULL: lists,
			       * which the domain filters to the reader's jurisdiction or own orgs) */
	ACT_LIAISON_CONTACT,  /* log a contact, close a follow-up (obj.responsible: assigned officer
			       * of the organization, or the follow-up's owner) */
	ACT_LIAISON_ASSIGN,   /* assign and end officers, flag key organizations */
	ACT_LIAISON_RULES,    /* contact-frequency rules: district-wide configuration */
	ACT_MEETING_MANAGE,   /* meetings: create, edit, invite, minutes, check-in by staff (jurisdiction) */
	ACT_MEETING_READ_ALL, /* meetings: see every meeting, its invitations and attendance */
	/* announcements and boards (src/announce, src/boards) */
	ACT_ANNOUNCE_WRITE,   /* draft, publish, remind; obj street = the announcement's scope */
	ACT_ANNOUNCE_STATS,   /* who has and has not read */
	ACT_ANNOUNCE_INBOX,   /* an organization's inbox and acknowledgement; obj org = that org */
	ACT_BOARD_MANAGE,     /* create boards, invite users */
	ACT_BOARD_MODERATE,   /* hide, lock; see hidden content; obj street = a street board's */
	ACT_BOARD_READ_ALL,   /* every board whatever its visibility */
	ACT_BOARD_POST,       /* write threads and replies (the board's visibility is checked too) */
	ACT_DM_STAFF,         /* message a staff member, liaison or administrator */
	ACT_DM_ORG,           /* message an organization user */
	ACT_DM_ANY,           /* message anyone */
	/* resources, needs, talent pool, dockings (src/resources) */
	ACT_RES_WRITE,           /* post/edit a resource or need of obj's organization */
	ACT_RES_READ_DISTRICT,   /* items visible "within the district" (not residents) */
	ACT_RES_READ_RESTRICTED, /* items visible to staff only (or to obj's organization) */
	ACT_RES_READ_CONTACT,    /* an item's contact unmasked */
	ACT_RES_EXPORT,          /* export the lists */
	ACT_TALENT_WRITE,        /* add/edit any talent pool entry */
	ACT_TALENT_EDIT_SELF,    /* an expert edits the entry linked to their own account */
	ACT_TALENT_READ_CONTACT, /* talent phone/e-mail unmasked */
	ACT_DOCKING_WRITE,       /* propose/accept/progress/close a docking for obj's org */
	ACT_DOCKING_READ,        /* a docking involving obj's organization */
	ACT_NOTIFY_OWN,       /* read and mark one's own notifications, set one's preferences */
	ACT_NOTIFY_ROBOTS,    /* manage group-robot webhooks: obj org = the robot's organization
			       * (staff of its street, its org admins); org 0 = a scope robot
			       * (district staff); obj NULL = may manage some (the list) */
	ACT_NOTIFY_ADMIN,     /* SMTP settings, the delivery outbox and its retries (admin) */
	ACT_MATCHING_SUGGEST,    /* suggestions for an item of obj's organization (staff, its users) */
	ACT_MATCHING_RUN,        /* start and read global allocation runs */
	ACT_MATCHING_WEIGHTS,    /* read and change the matching weights */
	ACT_TALENT_USER_LOOKUP,  /* search accounts (id, username, name) to link a talent entry */
	ACT__MAX
};

struct policy_object {
	int64_t org_id;          /* 0 when the action is not about one organization */
	const char *street_code; /* the object's street (12 digits) or NULL when unknown/none */
	int responsible;         /* liaison: the principal is an assigned officer of org_id (or owns
				  * the follow-up); filled by the liaison domain, 0 elsewhere */
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
