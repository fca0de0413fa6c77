/*
 * Registry statistics from precomputed counters (table org_counter, migration 0007).
 *
 * Aggregate pages read counters, never scan: every write that changes a counted value of an
 * organization (create, update of type/street/status/fields, archive, restore, a grade that
 * changes current_grade) moves the counters in its own transaction, so the dashboard reads a
 * few dozen rows whatever the size of the registry. org_stats_verify() recomputes the counts
 * with GROUP BY to prove the two agree.
 *
 * Counted per (dimension, key, archived): all (key ''), type, street, grade ('' = ungraded),
 * status, field (one per field of work an organization has), month (YYYY-MM of created_at in
 * the district's calendar, UTC+8).
 *
 * Write paths call the *_in_tx hooks AFTER audit_append(): on PostgreSQL the audit trail's
 * transaction lock then orders every counter writer, so two transactions can never wait for
 * each other's counter rows (a deadlock an import holding many counters could otherwise meet).
 */
#ifndef TONGXIN_REGISTRY_ORG_STATS_H
#define TONGXIN_REGISTRY_ORG_STATS_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"
#include "registry/org_internal.h"

/* What the counters know of one organization. Strings borrowed; grade NULL or "" means
 * ungraded; fields is NULL-terminated (NULL = none). */
struct org_facts {
	const char *type, *street, *status, *grade;
	const char *const *fields;
	int64_t created_at;
	int archived;
};

/* Moves the counters from `before` to `after` (either may be NULL: a create has no before)
 * inside the caller's write transaction: -1 for every counted value of before, +1 for every
 * one of after; values that did not change cost nothing. Returns 0, or -1 with c->err. */
int org_stats_apply_in_tx(struct ctx *c, const struct org_facts *before,
			  const struct org_facts *after);

/* The facts of a loaded (or merged, about to be stored) row. Borrows row's strings. */
void org_facts_of_row(const struct org_row *row, struct org_facts *out);
/* Loads organization id's facts (arena strings); -1 with E_NOT_FOUND when there is none. */
int org_facts_load(struct ctx *c, int64_t id, struct org_facts *out);

/* ---- hooks for the write paths: one call each, after audit_append() */

/* A new organization stored from `in` at c->now, not archived and ungraded. */
int org_stats_created_in_tx(struct ctx *c, const struct org_input *in);
/* A stored row changed from `before` to `after` (an update). */
int org_stats_rows_in_tx(struct ctx *c, const struct org_row *before,
			 const struct org_row *after);
/* The stored row `before` was archived or restored, its status set to `status`. */
int org_stats_archived_in_tx(struct ctx *c, const struct org_row *before, int archived,
			     const char *status);
/* Organization id changed since `before` was loaded (a grade): re-reads it and applies. */
int org_stats_reload_in_tx(struct ctx *c, int64_t id, const struct org_facts *before);

/* ---- reading */

/* The dashboard numbers for non-archived organizations (ACT_ORG_READ): {total, by_type,
 * by_street, by_grade, by_status, by_field: [{key, label|name, n}] (every code, zeros
 * included, in code order; by_grade ends with key "" = ungraded), by_month: [{month, n}] for
 * the 24 months up to this one, oldest first}. Labels in c->lang. New reference or NULL. */
json_t *org_stats_json(struct ctx *c);

/* Recomputes every counter with GROUP BY over org and org_field (one statement, one
 * snapshot) and compares with org_counter, archived rows included. ACT_SYSTEM (admins).
 * Returns {consistent, checked, differences: [{dimension, key, archived, expected,
 * counted}]} (new reference) or NULL with c->err. */
json_t *org_stats_verify_json(struct ctx *c);
/* The same, as a flag: *ok = 1 when every counter matches. Returns 0, or -1 with c->err. */
int org_stats_verify(struct ctx *c, int *ok);
/* Verifies and, when a counter is wrong, recounts every counter from the organizations in one
 * write transaction, audited as "stats.repair" with the differences found (ACT_SYSTEM). The
 * verify result plus "repaired": true|false. New reference, or NULL with c->err. */
json_t *org_stats_repair_json(struct ctx *c);

#endif
