/*
 * docking_sides.h — inside src/resources only: the two sides of a docking as docking.c needs
 * them (a need, and a resource or an expert of the pool) and the rules between them: units,
 * categories, quantity, self-docking, and each side's conditions on the other's organization
 * (eligible organization types, a minimum grade still valid today).
 */
#ifndef TONGXIN_RESOURCES_DOCKING_SIDES_H
#define TONGXIN_RESOURCES_DOCKING_SIDES_H
#include <jansson.h>
#include "core/ctx.h"

/* What a docking needs to know of one of its items: the item, and the organization's type and
 * grade for the other side's conditions. */
struct side_item {
	int64_t id, org_id, remaining;
	const char *kind, *street, *status, *unit, *category, *title, *org_name;
	const char *eligible, *min_grade, *org_type, *grade;
	int expert;      /* an expert of the talent pool (id = talent id), not a resource */
	int64_t user_id; /* the expert's own account, 0 when none */
};

/* Loads res_item `id` with its organization's type and live grade: 0, 1 when there is none,
 * -1 with c->err. Strings are arena copies. */
int docking_side_load(struct ctx *c, int64_t id, struct side_item *s);
/* Loads talent `id` as an offering side (expert = 1): 0, 1 when none, -1. */
int docking_expert_load(struct ctx *c, int64_t id, struct side_item *s);
/* The offering side of a docking read as JSON: its resource, or its expert. */
int docking_offer_load(struct ctx *c, json_t *o, struct side_item *s);
/* Both sides' conditions on each other: 0, or -1 with 422 field errors on need_id/resource_id. */
int docking_check_both(struct ctx *c, const struct side_item *need, const struct side_item *res);
/* Every rule between the pair for `quantity`, as field errors (the caller calls error_check). */
void docking_check_pair(struct ctx *c, const struct side_item *need, const struct side_item *res,
			int64_t quantity);
/* Loads the need and the offering side (talent_id != 0: an expert), with field errors when one
 * is missing or of the wrong kind. 0 or -1. */
int docking_pair_load(struct ctx *c, int64_t need_id, int64_t res_id, int64_t talent_id,
		      struct side_item *need, struct side_item *res);

#endif
