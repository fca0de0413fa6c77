/*
 * The organization registry: the domain API (no HTTP here). Used by registry_api.c, the
 * importer/exporter (src/io) and the demo generator.
 *
 * Transactions: the *_in_tx functions run inside a write transaction the caller holds (an
 * import runs thousands of them in one transaction, all or nothing); the plain functions open
 * and commit their own. Every write checks the policy (core/policy.h) for c->who, appends an
 * audit record (audit/audit.h) and keeps the search index in step, in the same transaction.
 */
#ifndef TONGXIN_REGISTRY_ORG_H
#define TONGXIN_REGISTRY_ORG_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

/* Organization types: stable codes stored in the database and used by the API. */
extern const char *const org_type_codes[];  /* NULL-terminated: "social_group", ... */
/* The 14 civil-affairs fields of work (DOMAIN.md): "science", "environment", ... */
extern const char *const org_field_codes[];
extern const char *const org_status_codes[]; /* "active", "suspended", "deregistered" */
extern const char *const org_grade_codes[];  /* "5A", "4A", "3A", "2A", "1A" */
/* Chinese/English label of a type, field, status or grade code (NULL if unknown). */
const char *org_label(const char *code, enum lang lang);

/* Every field a client can set, in JSON names. NULL-terminated. */
extern const char *const org_input_fields[];

/* What a client sends to create or update an organization. Strings are arena-owned; NULL
 * means "not given" on update (see `given`), "empty" after validation of a given null. */
struct org_input {
	const char *name, *short_name, *credit_code, *type, *street_code, *community_code;
	const char *address, *legal_representative, *contact_person, *contact_phone;
	const char *contact_email, *founded_on, *registration_authority, *supervising_unit;
	const char *description, *status, *credit_override_reason;
	const char **fields; /* NULL-terminated codes */
	const char **tags;   /* NULL-terminated free tags */
	int64_t staff_count, volunteer_count, annual_budget; /* budget in yuan */
	int has_party_org;
	int64_t version;     /* required on update: the version the client last read */
	json_t *given;       /* the JSON object the input came from (borrowed): which keys were sent */
	int credit_needs_override; /* set by validation: the check character is wrong and a
				    * reason was given; create/update then need ACT_CREDIT_OVERRIDE */
};
/* staff_count, volunteer_count and annual_budget hold ORG_NO_NUMBER when not known. */
#define ORG_NO_NUMBER (-1)

/* Reads and validates a JSON object into *in (field types, lengths, choices, dates, phone,
 * e-mail, credit code format and check, division codes inside the configured district,
 * community inside street). Collects every field error into c->err and returns -1 if any.
 * `for_update`: fields are optional and `version` is required. Does not touch the database
 * except to check division codes. */
int org_input_from_json(struct ctx *c, json_t *obj, int for_update, struct org_input *in);

/* Creates an organization. Checks ACT_ORG_CREATE for the street, a duplicate credit code is
 * E_DUPLICATE with a field error on credit_code. Returns 0 and *id, or -1. */
int org_create_in_tx(struct ctx *c, const struct org_input *in, int64_t *id);
int org_create(struct ctx *c, const struct org_input *in, int64_t *id);

/* Applies the given fields of `in` to organization id if in->version matches (else E_STALE);
 * ACT_ORG_UPDATE. */
int org_update(struct ctx *c, int64_t id, const struct org_input *in);

/* Archives (status 'deregistered' + archived flag) or restores; ACT_ORG_ARCHIVE; version. */
int org_archive(struct ctx *c, int64_t id, int64_t version, int archived);

/* The organization as the API shows it to c->who (private fields only when
 * ACT_ORG_READ_PRIVATE allows; personal data masked otherwise). New reference, or NULL with
 * E_NOT_FOUND / E_FORBIDDEN. */
json_t *org_get_json(struct ctx *c, int64_t id);

/* Recomputes an organization's search tokens (name, short name, description, tags, credit
 * code, address) inside the caller's transaction. */
int org_reindex_in_tx(struct ctx *c, int64_t id);

/* Masks a phone number for people who may not see it: 138****5678. Arena copy. */
const char *org_mask_phone(struct ctx *c, const char *phone);

/* Upper-cases and checks a credit code. Returns the creditcode_validate() status; *out is an
 * arena copy of the normalized code. Pure apart from the arena. */
int org_credit_normalize(struct ctx *c, const char *raw, const char **out);

/* 1 if the principal may see the organization's private fields (ACT_ORG_READ_PRIVATE). */
int org_may_read_private(struct ctx *c, int64_t id, const char *street_code);

/* The street of an organization (arena copy) for policy checks; NULL with E_NOT_FOUND. */
const char *org_street_of(struct ctx *c, int64_t id);

/* ---- the directory list (org_list.c) */
enum org_sort { ORG_SORT_NEWEST, ORG_SORT_OLDEST, ORG_SORT_NAME, ORG_SORT_NAME_DESC,
		ORG_SORT_GRADE, ORG_SORT_GRADE_DESC };
struct org_list_query {
	const char *type, *field, *street, *community, *grade, *status; /* NULL = any */
	const char *q;     /* full-text words, NULL = none */
	int archived;      /* 0: current organizations, 1: archived ones */
	enum org_sort sort;
	int64_t page, per_page;
};
/* The sort named by the API ("name", "-name", "created", "-created", "grade", "-grade");
 * -1 when unknown. */
int org_sort_from_name(const char *name);
/* {items, total, page, per_page}: directory fields only (ACT_ORG_READ). New reference or NULL
 * with c->err. */
json_t *org_list_json(struct ctx *c, const struct org_list_query *q);

/* ---- evaluation grades (org_grade.c) */
struct org_grade_input {
	const char *grade, *announced_on, *valid_from, *valid_to, *note;
};
/* The default validity of a grade announced on `announced_on` (YYYY-MM-DD): from 1 January of
 * the next year to 31 December of the fifth year (DOMAIN.md). Pure. Returns 0, or -1 for a bad
 * date. */
int org_grade_default_validity(const char *announced_on, char from[11], char to[11]);
/* Reads {grade, announced_on, valid_from?, valid_to?, note?}; fills the default validity. */
int org_grade_input_from_json(struct ctx *c, json_t *obj, struct org_grade_input *in);
/* Records a grade (ACT_ORG_GRADE), recomputes the organization's current grade, bumps its
 * version; audited. In the caller's transaction. */
int org_grade_add_in_tx(struct ctx *c, int64_t org_id, const struct org_grade_input *in,
			int64_t *grade_id);
int org_grade_add(struct ctx *c, int64_t org_id, const struct org_grade_input *in,
		  int64_t *grade_id);
/* The district's date today (UTC+8), YYYY-MM-DD: grades are valid by calendar day, so every
 * reader of "the grade that counts today" asks this. */
void org_today(struct ctx *c, char out[11]);
/* The same in the caller's arena, for a bind parameter. */
const char *org_today_text(struct ctx *c);
/* The periodic task "registry.grades": organizations whose current grade is no longer the one
 * that counts today — it lapsed (its validity ended), or a grade announced earlier for a later
 * period has begun — get their current grade recomputed (the grade valid today, or none) with
 * the liaison due date, the counters, the search facets and an audit record
 * ("org.grade_lapsed" or "org.grade_started"), in batches of 200 per transaction. Needs ACT_ORG_GRADE (the task runs as the system). Idempotent.
 * Returns the number of organizations changed, or -1. */
int org_grade_lapse_task(struct ctx *c);
/* The grade history, newest first (ACT_ORG_READ), each with its period today: "upcoming"
 * (announced for a later period), "valid" or "ended". New reference or NULL. */
json_t *org_grades_json(struct ctx *c, int64_t org_id);

/* The 360° view: the organization plus counts of what is linked to it. */
json_t *org_overview_json(struct ctx *c, int64_t id);

/* ---- jurisdiction and choices (registry_info.c) */
/* The configured district with its streets, each with its communities. */
json_t *registry_divisions_json(struct ctx *c);
/* Codes with zh/en labels: types, fields, statuses, grades, uf_categories. */
json_t *registry_options_json(struct ctx *c);
/* Name of a division code (arena copy) or NULL. */
const char *registry_division_name(struct ctx *c, const char *code);

#endif
