/*
 * flow.h — the global allocation of the matching engine: how much of each open resource goes to
 * each open need, so that the total score is as large as possible under the quantity limits.
 *
 * The problem is a min-cost flow on the sparse candidate graph (see docs/architecture.md,
 * "Matching engine"). Every need starts with its quantity as supply; one sink takes it all:
 *
 *   need --(edge capacity, cost -score)--> resource --(resource quantity, cost 0)--> sink
 *   need --(need quantity, cost 0)--> sink                       ("left unallocated")
 *
 * so the solver never has to push quantity through an edge without gain: it allocates exactly
 * as much as raises the total score. Quantity on an edge whose score is <= 0 is never allocated
 * (such edges are left out of the graph).
 *
 * Algorithm: Goldberg's cost-scaling push-relabel (refine with FIFO discharge, alpha 16,
 * look-ahead, global price updates, arc fixing). Costs are multiplied by (nodes + 1) so that a
 * phase at epsilon 1 would prove exact optimality for integer scores; in practice the phases stop
 * once eps is about two original units: an exact price check proves the flow optimal, or a
 * successive-shortest-path repair completes it (see flow.c). Memory: 32 bytes per arc, two arcs
 * per edge, plus about 100 bytes per node.
 *
 * Scores are integers per unit of quantity: a candidate score in [0, 1] (score.h) becomes
 * llround(score * MATCHING_SCORE_SCALE) per unit; see matching_edge_score().
 *
 * The candidate graph is first split into its connected parts, each solved on its own (the
 * optimum of the whole is the sum of theirs), on up to two threads the call starts and joins.
 *
 * Pure C over arrays: no database, no globals, safe from any thread (one call per input).
 */
#ifndef TONGXIN_MATCHING_FLOW_H
#define TONGXIN_MATCHING_FLOW_H

#include <stddef.h>
#include <stdint.h>

/* Integer score units per 1.0 of a candidate score (4 decimals survive the rounding). */
#define MATCHING_SCORE_SCALE 10000
/* Limits the solver accepts, so that no intermediate value can overflow 64 bits. */
#define MATCHING_SCORE_MAX 1000000         /* |score per unit| */
#define MATCHING_QUANTITY_MAX 1000000000LL /* one need, one resource or one edge */
#define MATCHING_NODES_MAX 20000000        /* needs + resources */
#define MATCHING_EDGES_MAX 200000000

/* One candidate edge: `capacity` units of resource `resource` may go to need `need` (indexes into
 * the quantity arrays), each unit worth `score`. Several edges between one pair are allowed. */
struct matching_edge {
	uint32_t need;
	uint32_t resource;
	int64_t score;
	int64_t capacity;
};

struct matching_flow_input {
	size_t n_needs;
	size_t n_resources;
	const int64_t *need_quantity;     /* n_needs remaining quantities, >= 0 */
	const int64_t *resource_quantity; /* n_resources remaining quantities, >= 0 */
	const struct matching_edge *edges;
	size_t n_edges;
};

struct matching_allocation {
	int64_t *flow;          /* n_edges units allocated per input edge (malloc'd; caller frees
	                           with matching_allocation_free) */
	int64_t total_score;    /* sum of flow[e] * edges[e].score: the maximum */
	int64_t total_quantity; /* sum of flow[e] */
	/* statistics, for benchmarks */
	int64_t pushes;
	int64_t relabels;
	int64_t price_updates;
	int64_t phases;   /* refine phases run */
	int proven_early; /* 1 when optimality was proven before the last phase (eps = 1) */
	int repaired;     /* when the shortest-path repair completed the flow (then proven): 1 over
			     the live arcs, 2 over every arc (the live one was not optimal); else 0 */
	int64_t repair_paths;  /* shortest paths the repairs routed (0: rounding alone did) */
	int64_t phases_cut;    /* phases that left their last few active nodes to what followed */
	int64_t arcs_fixed;    /* arcs left out of a phase's scans, summed over phases */
	int64_t nodes_unfixed; /* times a node's fixed arcs had to be made live again */
	int64_t arcs_unsound;  /* arcs that broke a finished phase's eps-optimality: always 0 */
};

/*
 * Computes an allocation of maximum total score: flow[e] in [0, capacity], per need at most its
 * quantity, per resource at most its quantity. Needs nothing else; allocates working memory of
 * about 32 bytes x 2 x (edges + needs + resources) + 100 per node, and frees it before returning.
 * Returns 0 with *out filled (free with matching_allocation_free), or -1 with *out zeroed when the
 * input is invalid (an index out of range, a negative or too large quantity or capacity, |score|
 * above MATCHING_SCORE_MAX, sizes above the limits, a total that could overflow 64 bits) or
 * when memory runs out — nothing stays allocated then.
 */
int matching_allocate(const struct matching_flow_input *in, struct matching_allocation *out);

/* matching_allocate() with the repair's budget given, in arc scans per arc (the default is 64;
 * 0 makes every repair give up at once, so that tests can reach the fall-back to the phases).
 * Same result, same contract. */
int matching_allocate_budget(const struct matching_flow_input *in, int64_t repair_budget,
			     struct matching_allocation *out);

/* Frees out->flow and zeroes *out. Safe on a zeroed or already freed allocation. */
void matching_allocation_free(struct matching_allocation *out);

/* The integer score per unit for a candidate score in [0, 1] (clamped): llround(s * SCALE). */
int64_t matching_edge_score(double score);

#endif
