/*
 * matching_db.h — the matching engine wired to the database: items loaded from the lists
 * (0012), an in-process cache of indexes over open items, suggestions, weights and global
 * allocation runs (0013). Every function checks the policy for c->who itself.
 */
#ifndef TONGXIN_MATCHING_MATCHING_DB_H
#define TONGXIN_MATCHING_MATCHING_DB_H
#include <jansson.h>
#include "core/ctx.h"
#include "matching/matching.h"

/* Seconds an index over open items is reused before it is rebuilt (a new item — a higher
 * id — rebuilds it at once; edits and closes are caught here or by the row check). */
#define MATCHING_CACHE_TTL 60

/* The weights in force (defaults when staff never set any) and their version (0 = defaults).
 * 0 or -1 with c->err. */
int matching_weights_load(struct ctx *c, struct matching_weights *w, int64_t *version);
/* {version, weights:{category..trust, fairness_k}}; ACT_MATCHING_WEIGHTS. */
json_t *matching_weights_json(struct ctx *c);
/* Validates body {category, fields, text, proximity, time, quantity, trust: 0..1 (at least
 * one > 0), fairness_k?: 0..1} and stores it as a new version (audited). 0 or -1. */
int matching_weights_save(struct ctx *c, json_t *body);

/* Suggestions for the item `id` of `kind` ("need" or "resource"): at most k candidates of the
 * other side that c->who may see, best first, each with parts and reasons in c->lang.
 * ACT_MATCHING_SUGGEST on the item's organization. New reference or NULL with c->err. */
json_t *matching_suggest_json(struct ctx *c, const char *kind, int64_t id, size_t k);

/* A global allocation run with body {categories?: [...], streets?: [...], k?: 1..50},
 * computed now and stored (audited). ACT_MATCHING_RUN. 0 and *id, or -1 with c->err. */
int matching_run_start(struct ctx *c, json_t *body, int64_t *id);
/* One run: parameters, totals, items, every edge and the allocation. */
json_t *matching_run_json(struct ctx *c, int64_t id);
/* Runs, newest first: {items, total, page, per_page}. */
json_t *matching_runs_json(struct ctx *c, int64_t page, int64_t per_page);

/* Times loading and indexing every open resource, then `queries` suggestions for random open
 * needs; prints one JSON object on out. For bench/. 0 or -1. */
int matching_db_bench(struct ctx *c, int queries, FILE *out);

#endif
