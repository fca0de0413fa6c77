/*
 * Liaison officers (联络员): who looks after which organization, how often they must be in
 * touch, what was said and what was promised.
 *
 * The model:
 * - liaison_assignment: an officer (a user with the liaison or staff role) is the primary or a
 *   deputy officer of an organization from start_on to end_on (NULL = open); ended rows stay.
 * - liaison_rule: contact-frequency rules. A rule matches an organization when each condition
 *   it sets holds (org_type equal; current grade at least min_grade; key_only = the organization
 *   is flagged key). The most specific match wins (key 4 + grade 2 + type 1; ties: the shorter
 *   interval); the rule with no condition is the district default (90 days shipped).
 * - liaison_org: one row per organization under the regime, holding last_contact_on and
 *   due_on = (last contact or the first assignment's start) + the rule's interval. Every write
 *   that changes one of them recomputes due_on in its own transaction, so "overdue" is
 *   due_on < today: one index walk, never a scan of the contacts.
 * - liaison_contact / liaison_followup: the contact log and its follow-ups (owner, due date,
 *   closed with a note).
 *
 * Every function checks the policy itself (ACT_LIAISON_*), so the CLI, the demo and the API
 * obey the same rules. Functions returning json_t* give a new reference (NULL with c->err).
 */
#ifndef TONGXIN_LIAISON_LIAISON_H
#define TONGXIN_LIAISON_LIAISON_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"
#include "core/policy.h"

extern const char *const liaison_kind_codes[]; /* visit, call, meeting, online, other */
extern const char *const liaison_role_codes[]; /* primary, deputy */

/* ---- rules (liaison_rules.c) */
struct liaison_rule_input {
	const char *name;
	const char *org_type;  /* NULL = any type */
	const char *min_grade; /* NULL = any grade */
	int key_only;
	int64_t interval_days; /* 1..730 */
};
/* Reads and validates a rule body (all fields, every error at once). 0 or -1 (422). */
int liaison_rule_from_json(struct ctx *c, json_t *obj, struct liaison_rule_input *in);
json_t *liaison_rules_json(struct ctx *c);
/* Create / replace / delete (ACT_LIAISON_RULES). Each recomputes every organization's due
 * date in the same transaction. Same conditions twice: E_DUPLICATE; deleting the default:
 * E_CONFLICT. */
int liaison_rule_create(struct ctx *c, const struct liaison_rule_input *in, int64_t *id);
int liaison_rule_update(struct ctx *c, int64_t id, const struct liaison_rule_input *in);
int liaison_rule_delete(struct ctx *c, int64_t id);
json_t *liaison_rule_get_json(struct ctx *c, int64_t id);
/* Recomputes one organization's rule, interval and due date (caller's transaction). Creates
 * its liaison_org row with since_on when it has none (since_on NULL: today). */
int liaison_org_refresh_in_tx(struct ctx *c, int64_t org_id, const char *since_on);
/* The registry changed an organization's type, grade or street (called by src/registry in
 * the transaction of that change, after its own policy check): recomputes the organization's
 * rule and due date at once when it is under the liaison regime; does nothing otherwise.
 * 0 or -1 with c->err. */
int liaison_org_changed_in_tx(struct ctx *c, int64_t org_id);
/* Recomputes the organizations whose registry row changed since (or in the same second as)
 * their due date was computed
 * (a new type or grade moves the rule). Returns how many, or -1. The reminders task runs it
 * first as a safety net for changes made behind the program's back (registry writes call
 * liaison_org_changed_in_tx themselves). */
int liaison_refresh_changed_in_tx(struct ctx *c);

/* ---- organizations and officers (liaison_officers.c) */
struct liaison_assign_input {
	int64_t user_id;
	const char *role;     /* primary | deputy */
	const char *start_on; /* NULL = today */
	const char *end_on;   /* NULL = open */
};
int liaison_assign_from_json(struct ctx *c, json_t *obj, struct liaison_assign_input *in);
/* ACT_LIAISON_ASSIGN on the organization. The user must hold the liaison or staff role
 * (field error user_id); one open assignment per user and organization (E_DUPLICATE); one
 * open primary (E_CONFLICT). Tells the officer. */
int liaison_assign_in_tx(struct ctx *c, int64_t org_id, const struct liaison_assign_input *in,
                         int64_t *id);
int liaison_assign(struct ctx *c, int64_t org_id, const struct liaison_assign_input *in,
                   int64_t *id);
/* Ends an open assignment today (E_CONFLICT when already ended). */
int liaison_assignment_end(struct ctx *c, int64_t id);
/* Flags or unflags a key organization (ACT_LIAISON_ASSIGN); recomputes its due date. */
int liaison_org_set_key(struct ctx *c, int64_t org_id, int is_key);
/* The organization's liaison summary: key flag, rule, last contact, due date, officers
 * (current and past), open follow-ups (ACT_LIAISON_READ). */
json_t *liaison_org_json(struct ctx *c, int64_t org_id);
/* Users who may be assigned (liaison or staff role, active). ACT_LIAISON_ASSIGN (obj NULL). */
json_t *liaison_candidates_json(struct ctx *c);
/* Officers with their workloads; street staff see officers of their street. */
json_t *liaison_officers_json(struct ctx *c);
/* One officer's workload, organizations and open follow-ups (the officer, or staff). */
json_t *liaison_officer_json(struct ctx *c, int64_t user_id);

/* ---- contacts and follow-ups (liaison_contacts.c) */
struct liaison_contact_input {
	const char *kind, *contact_on, *summary, *issues;
	const char *followup, *followup_due_on; /* both or neither */
	int64_t followup_owner_id;              /* 0 = the author */
};
int liaison_contact_from_json(struct ctx *c, json_t *obj, struct liaison_contact_input *in);
/* ACT_LIAISON_CONTACT on the organization (its officers, staff in jurisdiction, admins).
 * Updates last contact and due date; a follow-up's owner is told. */
int liaison_contact_create_in_tx(struct ctx *c, int64_t org_id,
                                 const struct liaison_contact_input *in, int64_t *id);
int liaison_contact_create(struct ctx *c, int64_t org_id, const struct liaison_contact_input *in,
                           int64_t *id);
json_t *liaison_contact_get_json(struct ctx *c, int64_t id);
json_t *liaison_contacts_json(struct ctx *c, int64_t org_id, int64_t page, int64_t per_page);
/* Closes an open follow-up with a note (its organization's officers, its owner, staff). */
int liaison_followup_close(struct ctx *c, int64_t id, const char *note);

/* ---- overdue lists (liaison_overdue.c) */
struct liaison_overdue_query {
	const char *street; /* 12-digit street code or NULL */
	int64_t officer_id; /* 0 = any */
	int64_t page, per_page;
};
/* Organizations past their due date / open follow-ups past due, oldest first. Staff see their
 * jurisdiction; an officer who is not staff sees their own organizations and follow-ups. */
json_t *liaison_overdue_orgs_json(struct ctx *c, const struct liaison_overdue_query *q);
json_t *liaison_overdue_followups_json(struct ctx *c, const struct liaison_overdue_query *q);

/* ---- reminders (liaison_remind.c): the "liaison.reminders" task */
/* Tells each officer (and the staff of the street, or the district staff when the street has
 * none) of overdue organizations and follow-ups not reminded in the past 7 days, and records
 * reminded_at. Returns the number of organizations and follow-ups reminded, or -1. */
int liaison_reminders_run(struct ctx *c);

/* ---- demo (liaison_demo.c) */
/* Officers for the demo organizations, a year of contacts, some organizations overdue, open
 * follow-ups (some past due). Runs in its own transaction; deterministic for a seed. */
int liaison_demo_load(struct ctx *c, unsigned seed);

/* ---- shared inside src/liaison (liaison_common.c) */
/* The district's date today (UTC+8), YYYY-MM-DD, and a date moved by days (into out[11]). */
void liaison_today(struct ctx *c, char out[11]);
int liaison_date_add(const char *date, int64_t days, char out[11]);
/* The organization's street (E_NOT_FOUND when none) and whether the caller is one of its
 * open officers; fills obj for policy_check. */
int liaison_org_object(struct ctx *c, int64_t org_id, struct policy_object *obj);
/* 1 when the caller reads as an officer only (liaison without staff/admin/supervisor): lists
 * show their own organizations. */
int liaison_officer_only(struct ctx *c);
#endif
