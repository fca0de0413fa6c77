/*
 * The registry's part of the demonstration district (`tongxin demo`): the jurisdiction
 * (同心区, code 330602, its streets and communities), organizations of every type with valid
 * credit codes, grade histories, people and their links. Deterministic for a seed.
 */
#ifndef TONGXIN_REGISTRY_DEMO_H
#define TONGXIN_REGISTRY_DEMO_H
#include <stdint.h>
#include "core/ctx.h"

#define REGISTRY_DEMO_DISTRICT "330602000000"
/* The first street (和平街道): give a street-limited demo staff account this jurisdiction. */
#define REGISTRY_DEMO_FIRST_STREET "330602001000"

/*
 * Loads the district and `organizations` organizations (with 2-4 people each) through the
 * domain functions (validation, audit, search index), in transactions of 500 organizations;
 * c->who must be allowed to create everywhere (the CLI's system principal). `progress` (may
 * be NULL) is called after each transaction with the organizations done so far. Refuses
 * (E_CONFLICT) when the database already holds organizations. Returns 0 or -1 (c->err).
 */
int registry_demo_load(struct ctx *c, int organizations, unsigned seed,
		       void (*progress)(void *arg, int done, int total), void *arg);

/* The organization a demo organization administrator should administer: the first demo
 * organization (a 社会团体 in 和平街道). Returns 0 and *id, or -1 (E_NOT_FOUND). */
int registry_demo_first_org(struct ctx *c, int64_t *id);

#endif
