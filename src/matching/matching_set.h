/*
 * matching_set.h — inside the matching module only (matching_db.c, matching_runs.c): the open
 * items of one kind loaded from the lists into engine items, with the pools they point into,
 * their token vocabulary and (once built) their index.
 */
#ifndef TONGXIN_MATCHING_MATCHING_SET_H
#define TONGXIN_MATCHING_MATCHING_SET_H
#include <time.h>
#include "core/ctx.h"
#include "matching/matching.h"

struct vocab {
	char **keys; /* open addressing, cap a power of two */
	uint32_t *ids;
	size_t cap, n;
};

struct matching_set {
	struct matching_item *items;
	int *vis_rank;
	size_t n, cap;
	uint16_t *fields; /* pools; items point into them once loading is over */
	size_t n_fields, cap_fields;
	uint32_t *tokens;
	size_t n_tokens, cap_tokens;
	size_t *field_at, *token_at; /* per item: offset into the pools */
	struct vocab vocab;
	struct matching_index *ix;
	int64_t max_id;
	int64_t built_at; /* c->now of the build: the overlay reads items changed since (minus a margin) */
	time_t built;
	int refs;
	double load_ms, index_ms;
};

/* Which rows matching_set_load reads. */
struct matching_set_query {
	int64_t one;           /* only this item (any status); 0 = not this mode */
	int64_t changed_since; /* with after_id: open or not, items changed at or after this time */
	int64_t after_id;      /* ... or with an id above this */
};

/*
 * Loads the items of `kind` ("need" or "resource") chosen by q (NULL: every open item with
 * remaining > 0), ordered by id. With vocab_of, tokens are mapped through that set's
 * vocabulary (unknown tokens do not grow it; they match nothing). Returns a set without an
 * index (free with matching_set_free), or NULL with c->err.
 */
struct matching_set *matching_set_load(struct ctx *c, const char *kind,
				       const struct matching_set_query *q,
				       struct matching_set *vocab_of);
/* Builds s->ix. 0 or -1 with c->err. */
int matching_set_index(struct ctx *c, struct matching_set *s, enum matching_side side);
void matching_set_free(struct matching_set *s);

/* {category..trust, fairness_k} of w (new reference). */
json_t *matching_weights_to_json(const struct matching_weights *w);
/* Sets the parts of w that j (as matching_weights_to_json writes it) holds. */
void matching_weights_from_json(struct matching_weights *w, json_t *j);
/* Milliseconds since t0 (CLOCK_MONOTONIC). */
double matching_ms_since(const struct timespec *t0);

#endif
