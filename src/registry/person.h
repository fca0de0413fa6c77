/*
 * People (contacts) of the registry and their roles in organizations. Domain API, no HTTP.
 *
 * Personal data: phone, e-mail and ID number are shown in full only to a principal with
 * ACT_PERSON_READ_PII for one of the person's organizations (or, for a person linked to no
 * organization, a district-wide one); everyone else sees them masked. Writes need
 * ACT_PERSON_WRITE on one of the person's organizations (create: on the organization the new
 * person is linked to, or district-wide rights for an unlinked person).
 */
#ifndef TONGXIN_REGISTRY_PERSON_H
#define TONGXIN_REGISTRY_PERSON_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

struct person_input {
	const char *name, *gender, *phone, *email, *id_number, *uf_category, *note;
	int64_t version; /* update only */
	/* create only: link to this organization at once (0 = none) */
	int64_t org_id;
	const char *role_title, *since;
	json_t *given;   /* the JSON object (borrowed): which keys were sent */
};

/* Reads and validates a person; all bad fields at once. Arena strings. */
int person_input_from_json(struct ctx *c, json_t *obj, int for_update, struct person_input *in);
/* 1 if s is a valid 18-character resident ID number (GB 11643 check character). Pure. */
int person_id_number_valid(const char *s);
/* Masks an ID number (keeps the first 3 and last 4 characters). Arena copy. */
const char *person_mask_id_number(struct ctx *c, const char *id_number);

int person_create(struct ctx *c, const struct person_input *in, int64_t *id);
int person_create_in_tx(struct ctx *c, const struct person_input *in, int64_t *id);
int person_update(struct ctx *c, int64_t id, const struct person_input *in);
/* Links a person to an organization with a role title (E_DUPLICATE when already linked). */
int person_link(struct ctx *c, int64_t person_id, int64_t org_id, const char *role_title,
		const char *since);
int person_link_in_tx(struct ctx *c, int64_t person_id, int64_t org_id, const char *role_title,
		      const char *since);
int person_unlink(struct ctx *c, int64_t person_id, int64_t org_id);

/* The person's full ID number (ACT_PERSON_READ_PII), for one look: the access is written to the
 * audit trail in the same transaction (DOMAIN.md: ID numbers are masked, access logged).
 * *id_number is an arena string. 404 when the person has none. Returns 0 or -1. */
int person_reveal_id_number(struct ctx *c, int64_t id, const char **id_number);
/* One person as c->who may see them (the ID number always masked). New reference or NULL with
 * c->err. */
json_t *person_get_json(struct ctx *c, int64_t id);

struct person_list_query {
	const char *q;          /* part of the name */
	int64_t org_id;         /* 0 = any */
	const char *uf_category;
	int64_t page, per_page;
};
/* {items, total, page, per_page}; ACT_PERSON_READ. */
json_t *person_list_json(struct ctx *c, const struct person_list_query *q);
/* The people of one organization with their role titles: {items}. */
json_t *org_people_json(struct ctx *c, int64_t org_id);

#endif
