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

/* Seconds an index over open items is reused before it is rebuilt. Writes since the build
 * are seen at once all the same: suggestions overlay the items changed since (matching_db.c),
 * and rebuild when more than MATCHING_OVERLAY_MAX (+ a tenth of the set) changed. */
#define MATCHING_CACHE_TTL 600
#define MATCHING_OVERLAY_MAX 2000
/* Seconds before the build from which changed items are overlaid (a slow transaction). */
#define MATCHING_OVERLAY_MARGIN 120

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

/* Queues a global allocation run with body {categories?: [...], streets?: [...], k?: 1..50}
 * and the weights in force (audited); the "matching.runs" task computes it (matching_runs.c).
 * ACT_MATCHING_RUN. 0 and *id; -1 with c->err: 422 fields, 409 matching.run_busy when a run
 * is already queued or running. */
int matching_run_start(struct ctx *c, json_t *body, int64_t *id);
/* The task: re-queues (once) or fails interrupted runs, then computes queued runs one by one,
 * recording phase and progress in the row. Returns the number finished, or -1 with c->err. */
int matching_runs_task(struct ctx *c);
/* One run's summary: parameters, weights, status, phase and progress, totals, n_allocated,
 * error and error_message (c->lang). 404 matching.run_not_found. */
json_t *matching_run_json(struct ctx *c, int64_t id);
/* A page of the run's candidate edges (allocated: only those with flow > 0), in seq order,
 * each with both items' quantities as the run saw them, titles, organizations and a live
 * docking_id: {items, total, page, per_page}. 404. */
json_t *matching_run_edges_json(struct ctx *c, int64_t id, int allocated, int64_t page,
				int64_t per_page);
/* Every edge of the run as CSV (seq, need_id, resource_id, score, capacity, flow,
 * need_quantity, resource_quantity; CRLF lines, a header line): the whole candidate graph of a
 * big run in one download, for re-checking. _open checks the policy and the run (NULL with
 * c->err: 403, 404) and reads in a detached context (ctx_detach), so the reader can outlive the
 * request's handler; _read gives the next bytes in bounded memory (> 0 bytes, 0 at the end,
 * -1 on a database error); _close frees everything (NULL is fine). */
struct run_edges_csv;
struct run_edges_csv *matching_run_edges_csv_open(struct ctx *c, int64_t id);
long matching_run_edges_csv_read(struct run_edges_csv *e, char *out, size_t max);
void matching_run_edges_csv_close(struct run_edges_csv *e);
/* Runs, newest first: {items, total, page, per_page}. */
json_t *matching_runs_json(struct ctx *c, int64_t page, int64_t per_page);

/* Times loading and indexing every open resource, then `queries` suggestions for random open
 * needs; prints one JSON object on out. For bench/. 0 or -1. */
int matching_db_bench(struct ctx *c, int queries, FILE *out);

#endif
