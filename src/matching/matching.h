/*
 * matching.h — the matching engine's interface for the wiring layer (lists, dockings, API):
 *
 *   1. Load the open items of one side into an array of struct matching_item (score.h) and build
 *      an index over them: matching_index_build(). The index borrows the array.
 *   2. Suggestions for one need (index over resources) or one resource (index over needs):
 *      matching_suggest() -> the top k by score, each with its explained parts.
 *   3. The global allocation: matching_candidates() builds the sparse candidate graph (top k
 *      resources per need), matching_allocate() (flow.h) allocates quantities on it.
 *
 * Candidates come from posting lists, never from a scan of all pairs: (category, field),
 * (category, street), rare text tokens, and the category as a last resort; each list read up
 * to a budget, and only the candidates found are scored. Everything is in memory, no database,
 * no globals; an index is read-only after it is built, so any number of threads may query it.
 */
#ifndef TONGXIN_MATCHING_MATCHING_H
#define TONGXIN_MATCHING_MATCHING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "matching/flow.h"
#include "matching/score.h"

enum matching_side { MATCHING_SIDE_NEEDS, MATCHING_SIDE_RESOURCES };

/* Candidates scored per query at most: on-demand suggestions, and per need in a global run. */
#define MATCHING_SUGGEST_BUDGET 12000
#define MATCHING_CANDIDATE_BUDGET 600

struct matching_index;

/*
 * Indexes n items of one side (the array and what its items point to are borrowed: keep them
 * alive and unchanged until matching_index_free). Document frequencies for the text part are
 * counted over these items. Returns the index (free with matching_index_free), or NULL when
 * memory runs out or n exceeds UINT32_MAX.
 */
struct matching_index *matching_index_build(const struct matching_item *items, size_t n,
					    enum matching_side side);

void matching_index_free(struct matching_index *ix);

/* The index's document frequencies (valid while the index lives). */
const struct matching_idf *matching_index_idf(const struct matching_index *ix);

struct matching_suggestion {
	size_t item; /* position in the indexed array */
	struct matching_score score;
};

/*
 * The best k items of the index for `query` (a need when the index holds resources, a resource
 * when it holds needs), by score, best first (ties: lower position first); pairs failing a hard
 * condition are never returned. Scores at most `budget` candidates (0 = MATCHING_SUGGEST_BUDGET).
 * out has room for k. Returns the number written (0..k), or -1 when memory runs out.
 */
int matching_suggest(const struct matching_index *ix, const struct matching_item *query,
		     const struct matching_weights *w, size_t k, size_t budget,
		     struct matching_suggestion *out);

/*
 * The candidate graph of a global run: for each need, its top k resources of `resources` (an
 * index over resources), scored with a budget of MATCHING_CANDIDATE_BUDGET. Edge e joins
 * needs[e.need] and the indexed resource e.resource, with score matching_edge_score(total) per
 * unit and capacity min(need quantity, resource quantity); edges are in need order. Runs on two
 * threads (the index is only read). *edges is malloc'd (caller frees).
 * Returns 0, or -1 when memory runs out (*edges NULL).
 */
int matching_candidates(const struct matching_index *resources, const struct matching_item *needs,
			size_t n_needs, const struct matching_weights *w, size_t k,
			struct matching_edge **edges, size_t *n_edges);

/* ---- benchmarks (bench.c): a synthetic district in memory -------------------------------- */

struct matching_bench_opts {
	size_t n_needs, n_resources, k, queries;
	uint64_t seed;
	int flow_only; /* only the allocation, on random edges */
};

/* Generates the district, times index build, suggestions (p50/p99), candidate generation and
 * the allocation, and prints one JSON object on out. Returns 0, or -1 on failure. */
int matching_bench_run(const struct matching_bench_opts *o, FILE *out);

#endif
