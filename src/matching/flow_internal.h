/*
 * flow_internal.h — what the three files of the allocation solver share, and nothing else may
 * use (the public API is flow.h):
 *
 *   flow.c         the entry point, the residual graph and the phases of cost-scaling
 *                  push-relabel (price update, arc fixing), and the schedule that ends them;
 *   flow_repair.c  how the phases end early: the proof of optimality and the exact repair by
 *                  successive shortest paths;
 *   flow_parts.c   the connected parts of the candidate graph, solved apart on two threads.
 *
 * The residual graph and its conventions are here because the phases and the repair both work
 * on it. Small helpers that the hot loops of more than one file call are `static inline` here,
 * so that each file's loops keep them inlined as they were when the solver was one file.
 */
#ifndef TONGXIN_MATCHING_FLOW_INTERNAL_H
#define TONGXIN_MATCHING_FLOW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "matching/flow.h"

/* The repair's searches keep distances below this many units in buckets (see struct repair in
 * flow_repair.c); the graph's block carries the buckets (residual_alloc). */
#define REPAIR_LEVELS 256

/*
 * Nodes: needs 0 .. nn-1, resources nn .. nn+nr-1, the sink t = nn+nr. Arcs (forward-star, each
 * with its reverse): need -> resource per useful edge (cost -score x scale), resource -> t
 * (resource quantity, cost 0), need -> t, the "leave it unallocated" arc (need quantity, cost 0).
 * Every need starts with an excess of its quantity and t with the opposite deficit. There is no
 * source node and no closing arc: the one hub, t, is a pure deficit, never active, so it is
 * never relabelled or discharged (a source hub sloshing flow back and forth was the slow part of
 * the circulation formulation).
 *
 * Conventions: reduced cost rc(a) = cost(a) + price(tail) - price(head); an arc is admissible
 * when it has residual capacity and rc < 0. A flow is eps-optimal when every residual arc has
 * rc >= -eps. Arcs keep their cost in original units (32 bits) and the scale is applied when a
 * reduced cost is computed.
 */
struct arc {
	int32_t head;
	int32_t rev;
	int32_t res;  /* residual capacity */
	int32_t pair; /* res + the reverse arc's res: the reverse residual without touching it */
	int32_t cost; /* per unit, in ORIGINAL units (scaled by residual.scale when used) */
};

struct residual {
	int32_t n, sink;
	int64_t scale; /* costs are multiplied by this (n + 1) in every reduced cost */
	int32_t *first;   /* n + 1: arcs of v are first[v] .. first[v+1]-1 */
	int32_t *live;    /* per node: its arcs live[v] .. first[v+1]-1 are fixed (arc_fix) */
	int64_t *floor;   /* per node: its arcs are made live before its price reaches this */
	int32_t *arc_edge; /* per arc: the input edge it carries, or -1 */
	struct arc *arcs;
	int64_t *excess;  /* per node */
	int64_t *price;   /* per node */
	int32_t *current; /* per node: arcs before it are not admissible */
	int32_t *queue;   /* FIFO of active nodes (a ring of n slots) */
	int32_t q_head, q_len;
	int32_t stop_active; /* a phase ends once at most this many nodes are active (0: none) */
	int64_t eps;
	int64_t pushes, relabels, relabels_since_update, price_updates, phases;
	int proven_early; /* 1 when flow_proven_optimal() ended the phases before eps = 1 */
	int repaired;     /* flow_exact_repair() completed the flow: 1 over the live arcs, 2 over all */
	int fixing;       /* 1 while arc fixing is on (see arc_fix) */
	int64_t fix_eps;  /* FIX_EPS_SMALL or FIX_EPS_LARGE, by the part's size */
	int64_t max_cost; /* the largest |cost|, scaled */
	int64_t fixed_now; /* arcs the last arc_fix() fixed (some may be live again since) */
	int64_t eps_done; /* eps of the phase just ended (0: none, or the repair changed prices) */
	int64_t fixed, unfixed; /* statistics: arcs fixed at phase starts, nodes made live again */
	int64_t repair_paths;   /* statistics: paths routed by flow_exact_repair() */
	int64_t phases_cut;     /* statistics: phases that ended with active nodes left */
	int64_t unsound; /* arcs found breaking the eps-optimality a phase ended with (a bug) */
	/* price update: a Dijkstra over buckets; per node, and per level */
	int32_t *dist, *b_next, *b_prev, *bucket;
	uint8_t *done;
	/* the working arrays of flow_proven_optimal() (per node) and flow_exact_repair() (per node,
	 * per level, per arc): carved here, so that a solve's first proof and repair do not fault
	 * pages in one by one (see mem_large) */
	int64_t *proof_price;
	int32_t *proof_len, *proof_queue;
	uint8_t *proof_queued;
	int64_t *repair_price, *repair_dist;
	int32_t *repair_via, *repair_touched, *repair_sources, *repair_bucket;
	int32_t *repair_entry_node, *repair_entry_next;
	uint8_t *repair_settled;
	void *block; /* owns every array above */
};

static inline int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* An edge worth carrying flow: positive gain and capacity on all three of its arcs. The graph's
 * build and the parts' split both ask, once per edge per pass. */
static inline int edge_useful(const struct matching_flow_input *in, const struct matching_edge *e)
{
	return e->score > 0 && e->capacity > 0 && in->need_quantity[e->need] > 0 &&
	       in->resource_quantity[e->resource] > 0;
}

/* What arc a offers its tail: price(head) - scaled cost. The arc is admissible when this is
 * above the tail's price. (The hot loops pass the arrays they keep in registers.) */
static inline int64_t arc_value(const struct arc *arc, const int64_t *price, int64_t scale,
				int32_t a)
{
	return price[arc[a].head] - arc[a].cost * scale;
}

/* The reduced cost of arc a out of v: scaled cost + price(v) - price(head). */
static inline int64_t reduced_cost(const struct residual *g, int32_t v, int32_t a)
{
	return g->price[v] - arc_value(g->arcs, g->price, g->scale, a);
}

/* ---- flow.c ----------------------------------------------------------------------------- */

/* Saturates every residual arc with rc < 0 (a phase's start, the repair's); see flow.c. */
void flow_saturate_negative(struct residual *g, int64_t was_eps);

/* One connected part (or the whole input): builds the residual graph, solves, collects. The
 * input was validated by the caller; out->flow has room for in->n_edges (the rest of *out, the
 * statistics, is overwritten). Returns 0, or -1 when memory runs out. */
int flow_allocate_connected(const struct matching_flow_input *in, int64_t max_score,
			    int64_t repair_budget, struct matching_allocation *out);

/* ---- flow_repair.c ---------------------------------------------------------------------- */

/* 1 when integer prices prove the flow optimal for the original costs, found within `budget`
 * arc scans; 0 otherwise (also while a node still has excess). Uses the graph's proof_* arrays;
 * changes nothing else. */
int flow_proven_optimal(struct residual *g, int64_t scale, int64_t budget);

enum repair_result {
	REPAIR_COMPLETE,    /* every excess routed */
	REPAIR_STUCK,       /* an excess reaches no deficit (over the live arcs, or at all) */
	REPAIR_OVER_BUDGET, /* the scans ran over the budget */
};

/* Completes the flow by successive shortest paths from rounded prices, within `budget` arc
 * scans, over the live arcs only or over every arc; see flow_repair.c. Whatever it returns, the
 * state is a valid start for another phase. */
enum repair_result flow_exact_repair(struct residual *g, int64_t budget, int live_only);

/* ---- flow_parts.c ----------------------------------------------------------------------- */

/* Solves the validated input part by part (on up to two threads) into out->flow (zeroed, room
 * for in->n_edges) and adds up the statistics in *out. Returns 0, or -1 when memory runs out. */
int flow_allocate_parts(const struct matching_flow_input *in, int64_t max_score,
			int64_t repair_budget, struct matching_allocation *out);

#endif
