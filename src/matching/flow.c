/*
 * flow.c — maximum-score allocation as a min-cost flow, solved by cost-scaling
 * push-relabel (A. V. Goldberg, "An efficient implementation of a scaling minimum-cost flow
 * algorithm", J. Algorithms 22, 1997). See flow.h for the network.
 *
 * Why this algorithm: successive shortest paths from scratch needs one Dijkstra per augmenting
 * path, and a run over 100,000 needs finds hundreds of thousands of paths whose searches grow as
 * resources run out (measured: 24 s CPU at 20,000 x 20,000). Cost scaling does a handful of
 * phases (log_alpha of n*C), each a sweep of local pushes, in the memory of the residual graph.
 * Network simplex (LEMON's, measured on the same instances: 2.4 s at 20,000, over 5 minutes at
 * 100,000) does not scale.
 *
 * How it ends (the part that matters on contested instances, where every phase costs about 50
 * relabels per node): the phases do not run down to eps = 1. Once eps is about 17 original
 * units (on a small part, schedule()) or below one (on a large part), the flow is either
 * already optimal — proven_optimal() finds integer prices that prove it — or a few thousand
 * short paths from it: exact_repair() rounds the prices, saturates what they still violate and
 * finishes with successive shortest paths, which are local at that point (searches in original
 * units, over a bucket queue). Both are exact and verified; when the repair runs over its
 * budget, the phases go on from the repaired state (a valid start), so the worst case stays the
 * textbook one. On a small part the phases also leave their tails to what follows: a phase ends
 * once only a few nodes are still active (see stop_active), and their excess is carried into
 * the next phase or the repair, both of which start from any pseudoflow.
 *
 * Arc fixing (Goldberg's heuristic, made exact here): in the late phases most arcs have a reduced
 * cost far from zero, hundreds of eps, and the flow on them will not change; relabels and price
 * updates still scanned them. At the start of each phase, arcs with |rc| >= fix_eps x eps are
 * moved behind the live arcs of their node and left out of every scan. The price of every node
 * may fall by less than that much before its arcs are made live again (unfix()), so a fixed arc
 * never becomes admissible or breaks eps-optimality: the phase is the same refine over the whole
 * graph, only cheaper. The proof and the repair always look at every arc.
 *
 * Conventions: reduced cost rc(a) = cost(a) + price(tail) - price(head); an arc is admissible
 * when it has residual capacity and rc < 0. A flow is eps-optimal when every residual arc has
 * rc >= -eps. Costs are multiplied by (n + 1): an eps = 1 optimal flow is then 1/(n+1)-optimal for
 * the original integer costs, so every residual cycle (at most n arcs) costs more than -1, i.e.
 * at least 0: the flow is optimal. Arcs keep their cost in original units (32 bits) and the
 * scale is applied when a reduced cost is computed.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "lib/mem.h"
#include "matching/flow.h"

#define ALPHA 16 /* epsilon shrinks by at most this factor per phase */
/* How the phases end depends on the part's size, because the repair's searches grow with the
 * graph: on a small part a repair from eps of about 17 units is cheaper than the phases below
 * it; on a large one (the district's big parts, the 100,000 x 100,000 stress instance) its
 * paths search most of the graph, and the phases are cheaper. Measured on the benchmark's
 * shape, instructions per solve, small parts' ending against large parts': 6,000 per side
 * (12,001 nodes) 377 M / 482 M; 7,000: 468 / 602 M; 8,000: 471 / 702 M; time at 15,000 per side
 * 0.50-0.52 / 0.56-0.59 s; at 20,000 per side 1.5-1.9 / 0.65-1.0 s (the first repair ran over
 * its budget). */
#define SMALL_PART 16384 /* nodes */
/* Small parts: the first repair is tried once eps is about this many original units (see
 * schedule(): from scores of 10,000, three divisions by 8.4). Measured at 2,000 x 2,000,
 * instructions summed over seeds 1-8 (millions), with the phases' tails cut and the repair's
 * own fixing (REPAIR_FIX, 100 to 300 units by where the repair starts): 2 units: 1,055;
 * 5: 1,034; 8: 957; 12: 952; 14: 913; 17: 875; 20: 917; 25: 967. Without either, 2 units was
 * the best (1,104 on the same seeds). */
#define REPAIR_AT 17.0
/* ... and the repair after it searches only the arcs whose |reduced cost| is below this many
 * units (fixed arcs stay out, as in a phase; the proof over every arc decides). The last
 * phase's own fixing, 250 eps = 4,250 units, leaves too many arcs live. Seeds 1-8: 200 units
 * 898 M, 250: 875, 300: 879, 400: 889; the phase's fixing kept: 1,400. */
#define REPAIR_FIX 250
/* Small parts: a phase ends once at most n / 2^STOP_SHIFT nodes are active, the last planned
 * one at n / 2^STOP_SHIFT_LAST. Its last active nodes wander far with many relabels before
 * they reach a deficit (in one measured phase, 15,000 of 72,000 relabels came with at most
 * three active nodes); the next phase's saturation and price update, or the repair's paths,
 * route them for much less. Seeds 1-8 at 4,001 nodes (repair at 17 units, fixing at 250-300),
 * ending at (early, last) active nodes: (64, 16) 879 M; (48, 16) 894; (100, 16) 907;
 * (32, 16) 940; (64, 8) 887; (64, 32) 920; (64, 0) 949; (64, 64) 964; never: 1,047. */
#define STOP_SHIFT 6
#define STOP_SHIFT_LAST 8
/* Large parts: phases divide eps by ALPHA, and the one that takes it below one original unit by
 * LAST_ALPHA only (measured at 2,000 x 2,000, best of 5 over seeds 1-5, before the small-part
 * ending: 2: 36-44 ms, 4: 35-42 ms, 6: 34-43 ms, 16: 34-50 ms) */
#define LAST_ALPHA 4
/* The exact repair's budget in arc scans, per arc of the graph: a phase scans about 50 times
 * the arcs on contested instances, a repair after the eps < scale phase about 20 times. */
#define REPAIR_BUDGET 64
/* ... and the first repair's (see solve()). Small parts: the repair from about 17 units needed
 * 3.6 to 11.3 passes on seeds 1-16 at 2,000 x 2,000; a repair over the budget costs one more
 * phase, so the budget leaves room. Large parts: the 100,000 x 100,000 district, allocation
 * CPU: 2: 2.46 s, 4: 2.45 s, 8: 2.91 s, 64: 4.1 s. */
#define QUICK_REPAIR_SMALL 32
#define QUICK_REPAIR_LARGE 4
/* Arcs whose |reduced cost| is at least this many eps at the start of a phase are fixed. Prices
 * fell by up to ~900 eps in a phase on the benchmark's instances, but by far less on most nodes.
 * Large parts, measured at 2,000 x 2,000 with their ending (instructions per solve): 100 eps
 * 259M, 200 255M, 500 188M, 1,000 213M, 2,000 243M, against 258M without fixing (at 20,000 x
 * 20,000, 250 took 1.1-1.2 s against 0.74 s for 500). Small parts, with their phases ending at
 * 17 units and cut tails, summed over seeds 1-16 (millions): 40 eps 1,719; 60 1,679; 90 1,717;
 * 120 1,752; 150 1,711; 250 1,766 (at 3,000 and 4,000 per side, 60 and 250: within 3 %). 60
 * and 150 are within the noise of a changed path (single seeds move by 10 %); 150 is the faster
 * on the benchmark's default instance (seed 1: 109 M against 120 M). The last phase fixes from
 * 150 x 17 = 2,550 units; the repair fixes its own (REPAIR_FIX). */
#define FIX_EPS_SMALL 150
#define FIX_EPS_LARGE 500
/* The repair's searches keep distances below this many units in buckets (see struct repair). */
#define REPAIR_LEVELS 256

/* Arcs keep residual capacities and original costs in 32 bits. */
_Static_assert(MATCHING_QUANTITY_MAX <= INT32_MAX, "quantities must fit an arc's int32_t");
_Static_assert(MATCHING_SCORE_MAX <= INT32_MAX, "scores must fit an arc's int32_t cost");

int64_t matching_edge_score(double score)
{
	if (!(score > 0))
		return 0;
	if (score > 1)
		score = 1;
	return llround(score * MATCHING_SCORE_SCALE);
}

void matching_allocation_free(struct matching_allocation *out)
{
	free(out->flow);
	memset(out, 0, sizeof *out);
}

/* ---- input checks -------------------------------------------------------------------------- */

static int quantities_valid(const int64_t *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (q[i] < 0 || q[i] > MATCHING_QUANTITY_MAX)
			return 0;
	return 1;
}

/* 1 when every edge is in range; *max_score receives the largest |score|. */
static int edges_valid(const struct matching_flow_input *in, int64_t *max_score)
{
	*max_score = 0;
	for (size_t e = 0; e < in->n_edges; e++) {
		const struct matching_edge *ed = &in->edges[e];
		if (ed->need >= in->n_needs || ed->resource >= in->n_resources || ed->capacity < 0 ||
		    ed->capacity > MATCHING_QUANTITY_MAX || ed->score > MATCHING_SCORE_MAX ||
		    ed->score < -MATCHING_SCORE_MAX)
			return 0;
		int64_t a = ed->score < 0 ? -ed->score : ed->score;
		if (a > *max_score)
			*max_score = a;
	}
	return 1;
}

static int input_valid(const struct matching_flow_input *in, int64_t *max_score)
{
	if (in->n_needs + in->n_resources > MATCHING_NODES_MAX || in->n_edges > MATCHING_EDGES_MAX)
		return 0;
	if ((in->n_needs && !in->need_quantity) || (in->n_resources && !in->resource_quantity) ||
	    (in->n_edges && !in->edges))
		return 0;
	if (!quantities_valid(in->need_quantity, in->n_needs) ||
	    !quantities_valid(in->resource_quantity, in->n_resources))
		return 0;
	return edges_valid(in, max_score);
}

/* ---- the residual graph -------------------------------------------------------------------- */

/*
 * Nodes: needs 0 .. nn-1, resources nn .. nn+nr-1, the sink t = nn+nr. Arcs (forward-star, each
 * with its reverse): need -> resource per useful edge (cost -score x scale), resource -> t
 * (resource quantity, cost 0), need -> t, the "leave it unallocated" arc (need quantity, cost 0).
 * Every need starts with an excess of its quantity and t with the opposite deficit. There is no
 * source node and no closing arc: the one hub, t, is a pure deficit, never active, so it is
 * never relabelled or discharged (a source hub sloshing flow back and forth was the slow part of
 * the circulation formulation).
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
	int proven_early; /* 1 when proven_optimal() ended the phases before eps = 1 */
	int repaired;     /* exact_repair() completed the flow: 1 over the live arcs, 2 over all */
	int fixing;       /* 1 while arc fixing is on (see arc_fix) */
	int64_t fix_eps;  /* FIX_EPS_SMALL or FIX_EPS_LARGE, by the part's size */
	int64_t max_cost; /* the largest |cost|, scaled */
	int64_t fixed_now; /* arcs the last arc_fix() fixed (some may be live again since) */
	int64_t eps_done; /* eps of the phase just ended (0: none, or the repair changed prices) */
	int64_t fixed, unfixed; /* statistics: arcs fixed at phase starts, nodes made live again */
	int64_t repair_paths;   /* statistics: paths routed by exact_repair() */
	int64_t phases_cut;     /* statistics: phases that ended with active nodes left */
	int64_t unsound; /* arcs found breaking the eps-optimality a phase ended with (a bug) */
	/* price update: a Dijkstra over buckets; per node, and per level */
	int32_t *dist, *b_next, *b_prev, *bucket;
	uint8_t *done;
	/* the working arrays of proven_optimal() (per node) and exact_repair() (per node, per
	 * level, per arc): carved here, so that a solve's first proof and repair do not fault
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

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* An edge worth carrying flow: positive gain and capacity on all three of its arcs. */
static int edge_useful(const struct matching_flow_input *in, const struct matching_edge *e)
{
	return e->score > 0 && e->capacity > 0 && in->need_quantity[e->need] > 0 &&
	       in->resource_quantity[e->resource] > 0;
}

/* Adds u -> v and its reverse; `edge` is the input edge the forward arc carries, or -1. */
static void add_arc(struct residual *g, int32_t *pos, int32_t u, int32_t v, int64_t cap,
		    int64_t cost, int32_t edge)
{
	int32_t a = pos[u]++, b = pos[v]++;
	g->arcs[a] = (struct arc){v, b, (int32_t)cap, (int32_t)cap, (int32_t)cost};
	g->arcs[b] = (struct arc){u, a, 0, (int32_t)cap, (int32_t)-cost};
	g->arc_edge[a] = edge, g->arc_edge[b] = -1;
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

static void residual_free(struct residual *g)
{
	free(g->block);
}

/* Carves `count` elements of `size` bytes from *at (64-byte aligned: one cache line). */
static void *carve(char **at, size_t count, size_t size)
{
	void *p = *at;
	*at += (count * size + 63) / 64 * 64;
	return p;
}

/* Every array of the graph in one large block: one allocation, and huge pages (mem_large). */
static int residual_alloc(struct residual *g, int32_t n, size_t arcs)
{
	memset(g, 0, sizeof *g);
	g->n = n;
	g->sink = n - 1;
	size_t nodes = (size_t)n + 1,
	       bytes = 64 * 29 + (arcs + 1) * (sizeof(struct arc) + 3 * sizeof(int32_t)) +
		       nodes * (6 * sizeof(int64_t) + 13 * sizeof(int32_t) + 3) +
		       REPAIR_LEVELS * sizeof(int32_t);
	char *at = g->block = mem_large(bytes);
	if (!at)
		return -1;
	g->first = carve(&at, nodes, sizeof *g->first);
	g->arcs = carve(&at, arcs, sizeof *g->arcs);
	g->arc_edge = carve(&at, arcs, sizeof *g->arc_edge);
	g->live = carve(&at, nodes, sizeof *g->live);
	g->floor = carve(&at, nodes, sizeof *g->floor);
	g->excess = carve(&at, nodes, sizeof *g->excess);
	g->price = carve(&at, nodes, sizeof *g->price);
	g->current = carve(&at, nodes, sizeof *g->current);
	g->queue = carve(&at, nodes, sizeof *g->queue);
	g->dist = carve(&at, nodes, sizeof *g->dist);
	g->b_next = carve(&at, nodes, sizeof *g->b_next);
	g->b_prev = carve(&at, nodes, sizeof *g->b_prev);
	g->bucket = carve(&at, nodes, sizeof *g->bucket);
	g->done = carve(&at, nodes, sizeof *g->done);
	g->proof_price = carve(&at, nodes, sizeof *g->proof_price);
	g->proof_len = carve(&at, nodes, sizeof *g->proof_len);
	g->proof_queue = carve(&at, nodes, sizeof *g->proof_queue);
	g->proof_queued = carve(&at, nodes, sizeof *g->proof_queued);
	g->repair_price = carve(&at, nodes, sizeof *g->repair_price);
	g->repair_dist = carve(&at, nodes, sizeof *g->repair_dist);
	g->repair_via = carve(&at, nodes, sizeof *g->repair_via);
	g->repair_touched = carve(&at, nodes, sizeof *g->repair_touched);
	g->repair_sources = carve(&at, nodes, sizeof *g->repair_sources);
	g->repair_bucket = carve(&at, REPAIR_LEVELS, sizeof *g->repair_bucket);
	g->repair_entry_node = carve(&at, arcs + 1, sizeof *g->repair_entry_node);
	g->repair_entry_next = carve(&at, arcs + 1, sizeof *g->repair_entry_next);
	g->repair_settled = carve(&at, nodes, sizeof *g->repair_settled);
	memset(g->first, 0, nodes * sizeof *g->first);
	memset(g->excess, 0, nodes * sizeof *g->excess);
	memset(g->price, 0, nodes * sizeof *g->price);
	for (size_t v = 0; v < nodes; v++)
		g->floor[v] = INT64_MIN;
	return 0;
}

/* Arc counts per node -> first[]; pos[] (n slots) receives a copy as the insertion cursor. */
static void count_arcs(struct residual *g, const struct matching_flow_input *in, int32_t *pos)
{
	int32_t nn = (int32_t)in->n_needs;
	memset(pos, 0, (size_t)g->n * sizeof *pos);
	for (int32_t i = 0; i < nn; i++)
		pos[i]++, pos[g->sink]++;
	for (size_t j = 0; j < in->n_resources; j++)
		pos[nn + (int32_t)j]++, pos[g->sink]++;
	for (size_t e = 0; e < in->n_edges; e++)
		if (edge_useful(in, &in->edges[e]))
			pos[in->edges[e].need]++, pos[nn + (int32_t)in->edges[e].resource]++;
	for (int32_t v = 0; v < g->n; v++)
		g->first[v + 1] = g->first[v] + pos[v], g->live[v] = g->first[v + 1];
	memcpy(pos, g->first, (size_t)g->n * sizeof *pos);
}

/* Builds the residual graph; an edge that can carry no useful flow is left out. */
static int residual_build(struct residual *g, const struct matching_flow_input *in, int64_t scale)
{
	int32_t nn = (int32_t)in->n_needs, n = nn + (int32_t)in->n_resources + 1;
	size_t useful = 0;
	for (size_t e = 0; e < in->n_edges; e++)
		useful += (size_t)edge_useful(in, &in->edges[e]);
	if (residual_alloc(g, n, 2 * (useful + in->n_needs + in->n_resources)) != 0)
		return -1;
	g->scale = scale;
	int32_t *pos = malloc((size_t)n * sizeof *pos);
	if (!pos) {
		residual_free(g);
		return -1;
	}
	count_arcs(g, in, pos);
	for (int32_t i = 0; i < nn; i++) {
		add_arc(g, pos, i, g->sink, in->need_quantity[i], 0, -1);
		g->excess[i] = in->need_quantity[i];
		g->excess[g->sink] -= in->need_quantity[i];
	}
	for (size_t j = 0; j < in->n_resources; j++)
		add_arc(g, pos, nn + (int32_t)j, g->sink, in->resource_quantity[j], 0, -1);
	for (size_t e = 0; e < in->n_edges; e++) {
		const struct matching_edge *ed = &in->edges[e];
		if (!edge_useful(in, ed))
			continue;
		int64_t cap = min64(ed->capacity, min64(in->need_quantity[ed->need],
							 in->resource_quantity[ed->resource]));
		add_arc(g, pos, (int32_t)ed->need, nn + (int32_t)ed->resource, cap, -ed->score,
			(int32_t)e);
	}
	free(pos);
	return 0;
}

/* ---- arc fixing ---------------------------------------------------------------------------- */

/* Swaps arcs x and y (of one node), keeping their reverses pointing at them. */
static void arc_swap(struct residual *g, int32_t x, int32_t y)
{
	struct arc t = g->arcs[x];
	int32_t te = g->arc_edge[x];
	g->arcs[x] = g->arcs[y], g->arc_edge[x] = g->arc_edge[y];
	g->arcs[y] = t, g->arc_edge[y] = te;
	g->arcs[g->arcs[x].rev].rev = x;
	g->arcs[g->arcs[y].rev].rev = y;
}

/*
 * At a phase start (every arc with rc < 0 saturated): fixes every arc with |rc| >= limit, i.e.
 * moves it behind live[v]. An arc and its reverse have opposite reduced costs, so they are fixed
 * together; the one with rc <= -limit has no residual capacity. Each node's floor is its price
 * less `limit`: while every price stays above its floor, a fixed arc with capacity keeps
 * rc > limit - limit = 0 (its tail fell by less than limit, a fall of its head only raises rc).
 * limit = INT64_MAX makes every arc live.
 */
static int arc_fixed(const struct residual *g, int32_t v, int32_t a, int64_t limit)
{
	int64_t rc = reduced_cost(g, v, a);
	return rc >= limit || rc <= -limit;
}

static void arc_fix(struct residual *g, int64_t limit)
{
	int64_t fixed = 0;
	for (int32_t v = 0; v < g->n; v++) {
		/* arcs still where they belong (most, from the phase before) are not moved */
		int32_t lo = g->first[v], hi = g->first[v + 1];
		for (;;) {
			while (lo < hi && !arc_fixed(g, v, lo, limit))
				lo++;
			while (lo < hi && arc_fixed(g, v, hi - 1, limit))
				hi--;
			if (lo >= hi)
				break;
			arc_swap(g, lo++, --hi);
		}
		fixed += g->first[v + 1] - lo;
		g->live[v] = lo;
		g->floor[v] = limit == INT64_MAX ? INT64_MIN : g->price[v] - limit;
	}
	g->fixed += fixed;
	g->fixed_now = fixed;
}

/* Makes every arc of v live again, each with its reverse, before v's price reaches its floor.
 * A reverse moves to the end of its node's live arcs: after current[], so it is seen. */
static void unfix(struct residual *g, int32_t v)
{
	for (int32_t a = g->live[v]; a < g->first[v + 1]; a++) {
		int32_t b = g->arcs[a].rev, w = g->arcs[a].head;
		if (b >= g->live[w])
			arc_swap(g, b, g->live[w]++);
	}
	g->live[v] = g->first[v + 1];
	g->floor[v] = INT64_MIN;
	g->unfixed++;
}

/* ---- price update --------------------------------------------------------------------------- */

/*
 * Why: without it, prices creep down one relabel at a time and bipartite graphs start "price
 * wars" (hundreds of relabels per node per phase). This is Goldberg's global price update: the
 * distance of every node to the nearest deficit in the residual graph, with arc lengths
 * floor(rc / eps) + 1 (0 for admissible arcs), found by a Dijkstra over buckets; each node's price
 * then drops by distance * eps. eps-optimality is kept (d(v) <= d(w) + length(v, w)), and every
 * active node gets an admissible path towards a deficit. The search stops once every active node
 * is reached; nodes not reached drop by the last level, which keeps the bound too.
 */
static void bucket_put(struct residual *g, int32_t level, int32_t v)
{
	g->dist[v] = level;
	g->b_prev[v] = -1;
	g->b_next[v] = g->bucket[level];
	if (g->bucket[level] >= 0)
		g->b_prev[g->bucket[level]] = v;
	g->bucket[level] = v;
}

static void bucket_take(struct residual *g, int32_t v)
{
	if (g->b_prev[v] >= 0)
		g->b_next[g->b_prev[v]] = g->b_next[v];
	else
		g->bucket[g->dist[v]] = g->b_next[v];
	if (g->b_next[v] >= 0)
		g->b_prev[g->b_next[v]] = g->b_prev[v];
}

/* Relaxes the residual arcs INTO w (w finalized at `level`); levels above `top` are not kept. */
static void scan_into(struct residual *g, int32_t w, int32_t level, int32_t top)
{
	for (int32_t a = g->first[w]; a < g->live[w]; a++) {
		int32_t v = g->arcs[a].head;
		if (g->done[v] || g->arcs[a].pair - g->arcs[a].res <= 0)
			continue; /* the arc v -> w has no residual capacity */
		int64_t rc = -g->arcs[a].cost * g->scale + g->price[v] - g->price[w];
		int64_t len = rc < 0 ? 0 : rc / g->eps + 1;
		if (len > top - level || level + len >= g->dist[v])
			continue;
		if (g->dist[v] <= top)
			bucket_take(g, v);
		bucket_put(g, level + (int32_t)len, v);
	}
}

static void price_update(struct residual *g)
{
	int32_t n = g->n, top = n, active = 0, level = 0;
	for (int32_t v = 0; v <= top; v++)
		g->bucket[v] = -1;
	for (int32_t v = 0; v < n; v++) {
		g->done[v] = 0;
		g->dist[v] = INT32_MAX;
		if (g->excess[v] < 0)
			bucket_put(g, 0, v);
		active += g->excess[v] > 0;
	}
	for (; level <= top && active > 0; level++) {
		int32_t w;
		while (active > 0 && (w = g->bucket[level]) >= 0) {
			bucket_take(g, w);
			g->done[w] = 1;
			active -= g->excess[w] > 0;
			scan_into(g, w, level, top);
		}
		if (active == 0)
			break;
	}
	int again = 0; /* a node that would fall to its floor: its arcs live, and search again */
	for (int32_t v = 0; v < n; v++) {
		int64_t d = g->done[v] ? g->dist[v] : level;
		if (g->price[v] - d * g->eps <= g->floor[v] && g->live[v] < g->first[v + 1])
			unfix(g, v), again = 1;
	}
	if (again) {
		price_update(g);
		return;
	}
	for (int32_t v = 0; v < n; v++) {
		int64_t d = g->done[v] ? g->dist[v] : level;
		g->price[v] -= d * g->eps;
		g->current[v] = g->first[v];
	}
	g->relabels_since_update = 0;
	g->price_updates++;
}

/* ---- push-relabel ------------------------------------------------------------------------- */

static void enqueue(struct residual *g, int32_t v)
{
	int32_t at = g->q_head + g->q_len; /* a ring of n slots; no division in the hot path */
	g->queue[at < g->n ? at : at - g->n] = v;
	g->q_len++;
}

static int32_t dequeue(struct residual *g)
{
	int32_t v = g->queue[g->q_head];
	g->q_head = g->q_head + 1 < g->n ? g->q_head + 1 : 0;
	g->q_len--;
	return v;
}

static void push(struct residual *g, int32_t v, int32_t a, int64_t amount)
{
	int32_t w = g->arcs[a].head;
	g->arcs[a].res -= (int32_t)amount;
	g->arcs[g->arcs[a].rev].res += (int32_t)amount;
	g->excess[v] -= amount;
	if (g->excess[w] <= 0 && g->excess[w] + amount > 0)
		enqueue(g, w);
	g->excess[w] += amount;
	g->pushes++;
}

/* The best arc_value() over the residual arcs in [from, to) (of one node). */
static int64_t best_value(const struct residual *g, int32_t from, int32_t to)
{
	int64_t best = INT64_MIN, scale = g->scale;
	const struct arc *arc = g->arcs;
	const int64_t *price = g->price;
	for (int32_t a = from; a < to; a++) {
		int64_t val = arc_value(arc, price, scale, a);
		if (arc[a].res > 0 && val > best)
			best = val;
	}
	return best;
}

/*
 * Lowers price(v) as far as eps-optimality allows: the best residual arc becomes admissible
 * with rc = -eps. Only called when v has no admissible arc, so the price drops by >= eps. When
 * the price would reach v's floor (or no live arc has capacity), v's arcs are made live first.
 * `best` is the best value already seen over the live arcs [seen_from, seen_to) by the caller's
 * scan (INT64_MIN and an empty range: none): only the rest is scanned. A value seen before a
 * neighbour's price fell is higher than the present one, which only makes the fall smaller.
 */
static void relabel_seen(struct residual *g, int32_t v, int64_t best, int32_t seen_from,
			 int32_t seen_to)
{
	int64_t rest = best_value(g, g->first[v], seen_from);
	int64_t tail = best_value(g, seen_to, g->live[v]);
	best = rest > best ? rest : best;
	best = tail > best ? tail : best;
	g->current[v] = g->first[v];
	if ((best == INT64_MIN || best - g->eps <= g->floor[v]) && g->live[v] < g->first[v + 1]) {
		unfix(g, v);
		relabel_seen(g, v, INT64_MIN, g->first[v], g->first[v]); /* all live now */
		return;
	}
	if (best == INT64_MIN)
		return; /* no residual arc: nothing to lower the price towards */
	g->price[v] = best - g->eps;
	g->relabels++;
	g->relabels_since_update++;
}

/* Goldberg's look-ahead: pushing into a node that could not pass the flow on just makes it
 * push back; relabel it first and push only if the arc stays admissible. One scan of w's arcs
 * looks for an admissible arc (value above w's price) and keeps the best value for the relabel. */
static int worth_pushing(struct residual *g, int32_t v, int32_t a)
{
	int32_t w = g->arcs[a].head;
	if (g->excess[w] < 0)
		return 1;
	const struct arc *arc = g->arcs;
	const int64_t *price = g->price;
	int64_t pw = price[w], scale = g->scale, best = INT64_MIN;
	int32_t from = g->current[w], end = g->live[w];
	for (int32_t b = from; b < end; b++) {
		if (arc[b].res <= 0)
			continue;
		int64_t val = arc_value(arc, price, scale, b);
		if (val > pw) {
			g->current[w] = b;
			return 1;
		}
		best = val > best ? val : best;
	}
	g->current[w] = end;
	relabel_seen(g, w, best, from, end);
	return reduced_cost(g, v, a) < 0;
}

static void discharge(struct residual *g, int32_t v)
{
	const struct arc *arc = g->arcs;
	const int64_t *price = g->price;
	int64_t scale = g->scale;
	while (g->excess[v] > 0) {
		int32_t from = g->current[v], a = from, end = g->live[v];
		int64_t pv = price[v], best = INT64_MIN; /* pv: only v's own relabel changes it */
		for (; a < end; a++) {
			if (arc[a].res <= 0)
				continue;
			int64_t val = arc_value(arc, price, scale, a);
			if (val <= pv || !worth_pushing(g, v, a)) { /* not admissible (any more) */
				val = arc_value(arc, price, scale, a); /* w's price may have fallen */
				best = val > best ? val : best;
				continue;
			}
			push(g, v, a, min64(g->excess[v], arc[a].res));
			if (g->excess[v] == 0)
				break;
		}
		if (g->excess[v] == 0) {
			g->current[v] = a < end ? a : end;
			return;
		}
		relabel_seen(g, v, best, from, end);
	}
}

/* Saturates every residual arc with rc < 0: the pseudoflow is then 0-optimal (excesses move).
 * Counts in g->unsound the arcs that break `was_eps`-optimality (the previous phase's promise,
 * fixed arcs included; 0: nothing is checked). */
static void saturate_negative(struct residual *g, int64_t was_eps)
{
	for (int32_t v = 0; v < g->n; v++)
		for (int32_t a = g->first[v]; a < g->first[v + 1]; a++) {
			if (g->arcs[a].res <= 0)
				continue;
			int64_t rc = reduced_cost(g, v, a);
			if (rc >= 0)
				continue;
			g->unsound += was_eps > 0 && rc < -was_eps;
			int32_t r = g->arcs[a].res;
			g->arcs[a].res = 0;
			g->arcs[g->arcs[a].rev].res += r;
			g->excess[v] -= r;
			g->excess[g->arcs[a].head] += r;
		}
}

/* One phase: from a (alpha * eps)-optimal circulation to an eps-optimal one — or, with
 * stop_active, to an eps-optimal pseudoflow whose last few active nodes keep their excess. */
static void refine(struct residual *g)
{
	saturate_negative(g, g->eps_done);
	/* a limit above twice the largest cost fixes next to nothing (none in the first two phases
	 * at 2,000 x 2,000), and the pass over every arc cost 3 % of the solve: skipped while no
	 * arc is fixed */
	int64_t limit = g->fixing ? g->fix_eps * g->eps : INT64_MAX;
	if (g->fixed_now > 0 || limit / 2 <= g->max_cost)
		arc_fix(g, limit);
	for (int32_t v = 0; v < g->n; v++)
		g->current[v] = g->first[v];
	g->q_head = g->q_len = 0;
	for (int32_t v = 0; v < g->n; v++)
		if (g->excess[v] > 0)
			enqueue(g, v);
	price_update(g);
	while (g->q_len > g->stop_active) {
		if (g->relabels_since_update > 4 * (int64_t)g->n)
			price_update(g);
		discharge(g, dequeue(g));
	}
	g->phases_cut += g->q_len > 0;
	g->eps_done = g->eps;
}

/* ---- early stop: a proof of optimality for the original integer costs ------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/*
 * Why: the phases run down to eps = 1 only because that PROVES optimality in the worst case; on
 * real instances the flow is optimal phases earlier. A feasible flow is optimal exactly when some
 * integer prices give every residual arc a reduced cost >= 0 in ORIGINAL units (no negative
 * residual cycle). Starting from the scaled prices divided by `scale` (off by at most a little
 * per arc once eps < scale), a FIFO Bellman-Ford repairs them; it gives up after `budget` arc
 * scans or when a path grows longer than n arcs (a negative cycle). On success the prices are
 * checked over every residual arc before the answer is believed. Returns 1 when proven optimal
 * (never while a node still has excess: a phase that ended early leaves a pseudoflow).
 */
static int proven_optimal(struct residual *g, int64_t scale, int64_t budget)
{
	int32_t n = g->n;
	int64_t *pi = g->proof_price;
	int32_t *len = g->proof_len, *q = g->proof_queue;
	uint8_t *in_q = g->proof_queued;
	int ok = 1;
	int32_t head = 0, count = 0;
	memset(len, 0, (size_t)n * sizeof *len);
	memset(in_q, 0, (size_t)n);
	for (int32_t v = 0; v < n; v++)
		if (g->excess[v] > 0)
			return 0; /* a phase ended early: not a flow yet */
	for (int32_t v = 0; v < n; v++)
		pi[v] = floor_div(g->price[v], scale);
	for (int32_t v = 0; v < n; v++)
		for (int32_t a = g->first[v]; a < g->first[v + 1]; a++)
			if (g->arcs[a].res > 0 &&
			    g->arcs[a].cost + pi[v] - pi[g->arcs[a].head] < 0) {
				q[(head + count++) % n] = v, in_q[v] = 1;
				break;
			}
	while (ok && count > 0) {
		int32_t v = q[head];
		head = (head + 1) % n, count--, in_q[v] = 0;
		budget -= g->first[v + 1] - g->first[v];
		if (budget < 0) {
			ok = 0;
			break;
		}
		for (int32_t a = g->first[v]; a < g->first[v + 1]; a++) {
			int32_t w = g->arcs[a].head;
			int64_t l = g->arcs[a].cost + pi[v] - pi[w];
			if (g->arcs[a].res <= 0 || l >= 0)
				continue;
			pi[w] += l; /* lowering w's price by -l makes the arc tight */
			len[w] = len[v] + 1;
			if (len[w] >= n) {
				ok = 0;
				break;
			}
			if (!in_q[w])
				q[(head + count++) % n] = w, in_q[w] = 1;
		}
	}
	for (int32_t v = 0; ok && v < n; v++)
		for (int32_t a = g->first[v]; ok && a < g->first[v + 1]; a++)
			ok = g->arcs[a].res <= 0 ||
			     g->arcs[a].cost + pi[v] - pi[g->arcs[a].head] >= 0;
	return ok;
}

/* ---- exact repair: successive shortest paths from a nearly optimal flow ------------------ */

/* A binary min-heap of (key, node) with lazy deletion: stale entries are skipped when popped. */
struct heap {
	int64_t *key;
	int32_t *node;
	size_t len, cap;
};

static int heap_push(struct heap *h, int64_t key, int32_t v)
{
	if (h->len == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		int64_t *k = realloc(h->key, cap * sizeof *k);
		if (!k)
			return -1;
		h->key = k;
		int32_t *nd = realloc(h->node, cap * sizeof *nd);
		if (!nd)
			return -1;
		h->node = nd, h->cap = cap;
	}
	size_t i = h->len++;
	while (i > 0 && h->key[(i - 1) / 2] > key) {
		h->key[i] = h->key[(i - 1) / 2], h->node[i] = h->node[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->key[i] = key, h->node[i] = v;
	return 0;
}

static int32_t heap_pop(struct heap *h, int64_t *key)
{
	int32_t top = h->node[0];
	*key = h->key[0];
	int64_t k = h->key[--h->len];
	int32_t v = h->node[h->len];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->len)
			break;
		if (c + 1 < h->len && h->key[c + 1] < h->key[c])
			c++;
		if (h->key[c] >= k)
			break;
		h->key[i] = h->key[c], h->node[i] = h->node[c];
		i = c;
	}
	if (h->len > 0)
		h->key[i] = k, h->node[i] = v;
	return top;
}

/*
 * The repair works in original units: its prices are the scaled ones divided by the scale (whole
 * after rounding), so every reduced cost and distance is a small integer. That lets the
 * searches use a bucket queue (Dial's): one bucket per distance up to REPAIR_LEVELS, the heap
 * beyond. Paths after the last phase are a few units long, so nearly every entry is a bucket's.
 */

/* The search's state; the arrays are the graph's (residual.repair_*), the heap its own. */
struct repair {
	int64_t *pu;     /* per node: its price in original units (written back at the end) */
	int64_t *dist;   /* per node, in units; INT64_MAX when untouched */
	int32_t *via;    /* per node: the arc it was reached by */
	uint8_t *settled;
	int32_t *touched;
	size_t n_touched;
	int32_t *bucket;       /* per level below REPAIR_LEVELS: its first entry, or -1 */
	int32_t top;           /* the highest level with an entry in this search (-1: none) */
	int32_t *entry_node;   /* entries: one per improved distance, at most one per arc */
	int32_t *entry_next;
	int32_t n_entries;
	struct heap heap;      /* entries at REPAIR_LEVELS and beyond */
	int live_only; /* 1: search the live arcs only (see exact_repair) */
};

static int repair_put(struct repair *r, int64_t level, int32_t v)
{
	if (level >= REPAIR_LEVELS)
		return heap_push(&r->heap, level, v);
	int32_t e = r->n_entries++;
	r->entry_node[e] = v, r->entry_next[e] = r->bucket[level], r->bucket[level] = e;
	if (level > r->top)
		r->top = (int32_t)level;
	return 0;
}

/* The entry of the lowest level from *level on (buckets, then the heap); -1 when none. */
static int32_t repair_take(struct repair *r, int64_t *level)
{
	for (; *level <= r->top; ++*level) {
		int32_t e = r->bucket[*level];
		if (e >= 0) {
			r->bucket[*level] = r->entry_next[e];
			return r->entry_node[e];
		}
	}
	return r->heap.len > 0 ? heap_pop(&r->heap, level) : -1;
}

/*
 * Dijkstra from s over residual arcs by reduced cost (all >= 0) until a node with a deficit is
 * settled: returns it (its distance in *dist_t), or -1 when none is reachable or memory runs
 * out. *scans counts the arcs looked at.
 */
static int32_t repair_search(struct residual *g, struct repair *r, int32_t s, int64_t *dist_t,
			     int64_t *scans)
{
	/* the hot loop keeps every array in a local: stores through r would make the compiler
	 * reload them after each one */
	const struct arc *arc = g->arcs;
	const int64_t *excess = g->excess, *pu = r->pu;
	const int32_t *first = g->first, *stop = r->live_only ? g->live : first + 1;
	int64_t *dist = r->dist, d = 0;
	int32_t *via = r->via, *touched = r->touched, found = -1, v;
	uint8_t *settled = r->settled;
	size_t n_touched = 0;
	r->heap.len = 0, r->n_entries = 0, r->top = -1;
	dist[s] = 0, via[s] = -1, touched[n_touched++] = s;
	int ok = repair_put(r, 0, s) == 0;
	while (ok && found < 0 && (v = repair_take(r, &d)) >= 0) {
		if (settled[v] || d > dist[v])
			continue; /* a stale entry */
		settled[v] = 1;
		if (excess[v] < 0) {
			found = v;
			break;
		}
		int32_t end = stop[v];
		int64_t base = d + pu[v];
		*scans += end - first[v];
		for (int32_t a = first[v]; a < end; a++) {
			int32_t w = arc[a].head;
			if (arc[a].res <= 0 || settled[w])
				continue;
			int64_t dw = base + arc[a].cost - pu[w];
			if (dw >= dist[w])
				continue;
			if (dist[w] == INT64_MAX)
				touched[n_touched++] = w;
			dist[w] = dw, via[w] = a;
			if (dw == d && excess[w] < 0) { /* a tight arc to a deficit: final already */
				settled[w] = 1;
				found = w;
				break;
			}
			if (repair_put(r, dw, w) != 0) {
				ok = 0;
				break;
			}
		}
	}
	r->n_touched = n_touched;
	for (int32_t l = 0; l <= r->top; l++)
		r->bucket[l] = -1;
	*dist_t = d;
	return found;
}

/*
 * One successive-shortest-path step from s: search, then change the price of every settled node
 * v by dist(v) - D (D = the deficit's distance; reduced costs stay >= 0 and the path becomes
 * tight) and send what the path, s's excess and t's deficit allow. Adds the arcs scanned to
 * *scans; returns 0 when no deficit is reachable (nothing changed then), else 1.
 */
static int repair_path(struct residual *g, struct repair *r, int32_t s, int64_t *scans)
{
	int64_t big_d = 0;
	int32_t t = repair_search(g, r, s, &big_d, scans);
	for (size_t i = 0; i < r->n_touched; i++) {
		int32_t v = r->touched[i];
		if (t >= 0 && r->settled[v])
			r->pu[v] += r->dist[v] - big_d;
		r->settled[v] = 0;
		r->dist[v] = INT64_MAX;
	}
	if (t < 0)
		return 0;
	int64_t amount = min64(g->excess[s], -g->excess[t]);
	for (int32_t v = t; v != s; v = g->arcs[g->arcs[r->via[v]].rev].head)
		amount = min64(amount, g->arcs[r->via[v]].res);
	for (int32_t v = t; v != s; v = g->arcs[g->arcs[r->via[v]].rev].head) {
		g->arcs[r->via[v]].res -= (int32_t)amount;
		g->arcs[g->arcs[r->via[v]].rev].res += (int32_t)amount;
	}
	g->excess[s] -= amount, g->excess[t] += amount;
	return 1;
}

enum repair_result {
	REPAIR_COMPLETE,    /* every excess routed */
	REPAIR_STUCK,       /* an excess reaches no deficit (over the live arcs, or at all) */
	REPAIR_OVER_BUDGET, /* the scans ran over the budget */
};

/*
 * Why: the last phases of cost scaling move prices by small steps all over the graph to fix a
 * flow that is already within a few units of the optimum. Instead: round the prices to whole
 * original units, saturate every residual arc that is still negative (the pseudoflow is then
 * exactly optimal for its excesses), and route each excess to a deficit along a shortest path
 * (successive shortest paths; each search is local). Gives up after `budget` arc scans
 * (REPAIR_OVER_BUDGET); the state is then still a valid start for the next phase (a 0-optimal
 * pseudoflow). Returns REPAIR_COMPLETE when the flow is complete, hence optimal.
 * With `live_only`, the searches leave the fixed arcs out (nine in ten after the last phase):
 * cheaper, but the paths are shortest only among the live arcs, so the result is optimal only if
 * proven_optimal() says so; if not, a repair over every arc starts from that state. A source
 * that reaches no deficit over the live arcs keeps its excess for that repair; the others are
 * routed meanwhile (REPAIR_STUCK then).
 */
static enum repair_result exact_repair(struct residual *g, int64_t budget, int live_only)
{
	int32_t n = g->n, *sources = g->repair_sources, n_sources = 0;
	struct repair r = {
		.pu = g->repair_price,
		.dist = g->repair_dist,
		.via = g->repair_via,
		.settled = g->repair_settled,
		.touched = g->repair_touched,
		.bucket = g->repair_bucket,
		.entry_node = g->repair_entry_node,
		.entry_next = g->repair_entry_next,
		.live_only = live_only,
	};
	memset(r.settled, 0, (size_t)n);
	for (int32_t l = 0; l < REPAIR_LEVELS; l++)
		r.bucket[l] = -1;
	for (int32_t v = 0; v < n; v++) {
		r.pu[v] = floor_div(g->price[v], g->scale);
		g->price[v] = r.pu[v] * g->scale;
		r.dist[v] = INT64_MAX;
	}
	saturate_negative(g, 0);
	g->eps_done = 0; /* prices rounded: the last phase's promise no longer applies */
	for (int32_t v = 0; v < n; v++)
		if (g->excess[v] > 0)
			sources[n_sources++] = v;
	int ok = 1, stuck = 0;
	int64_t scans = 0;
	for (int32_t i = 0; ok && i < n_sources; i++)
		while (ok && g->excess[sources[i]] > 0) {
			int routed = repair_path(g, &r, sources[i], &scans);
			ok = scans <= budget && (routed || live_only);
			if (!routed) { /* no deficit within reach: the next source */
				stuck = 1;
				break;
			}
			g->repair_paths++;
		}
	for (int32_t v = 0; v < n; v++)
		g->price[v] = r.pu[v] * g->scale;
	free(r.heap.key), free(r.heap.node);
	return scans > budget ? REPAIR_OVER_BUDGET : ok && !stuck ? REPAIR_COMPLETE : REPAIR_STUCK;
}

/*
 * The phases' schedule on a small part: the first repair is tried once eps is about REPAIR_AT
 * original units; P equal divisions from max_cost get there, P the fewest that divide by no
 * more than ALPHA each (benchmark: max_cost 10,000 units, so four divisions by 8.4). Returns P
 * (0 when max_cost is already that small) and the division in *ratio.
 */
static int schedule(int64_t max_cost, int64_t scale, double *ratio)
{
	double span = (double)max_cost / ((double)scale * REPAIR_AT);
	*ratio = ALPHA;
	if (span <= 1)
		return 0;
	int phases = (int)ceil(log(span) / log(ALPHA));
	*ratio = pow(span, 1.0 / phases);
	return phases;
}

/* Phases from eps = the largest |cost| (where the zero flow is eps-optimal) down to 1, stopping
 * early once the flow is proven optimal. */
static void solve(struct residual *g, int64_t max_cost, int64_t scale, int64_t repair_budget)
{
	int64_t arcs = g->first[g->n];
	int small = g->n <= SMALL_PART, tries = 0; /* tries: proofs and repairs so far */
	double ratio = ALPHA; /* schedule() sets it; the initializer only quiets the compiler */
	int planned = small ? schedule(max_cost, scale, &ratio) : 0, done = 0;
	g->fix_eps = small ? FIX_EPS_SMALL : FIX_EPS_LARGE;
	g->max_cost = max_cost;
	g->eps = max_cost;
	while (g->eps > 1) {
		int64_t next;
		g->stop_active = 0;
		if (done < planned) {
			next = llround((double)max_cost / pow(ratio, ++done));
			g->stop_active = g->n >> (done == planned ? STOP_SHIFT_LAST : STOP_SHIFT);
		} else {
			/* a large part's phase that first takes eps below one original unit divides it
			 * by LAST_ALPHA only: a phase at a fraction of a unit costs more than the
			 * repair after it saves */
			int last = tries == 0 && g->eps / ALPHA < scale && g->eps / LAST_ALPHA < scale;
			next = g->eps / (last ? LAST_ALPHA : ALPHA);
		}
		g->eps = next > 1 ? next : 1;
		refine(g);
		g->phases++;
		/* from here the flow is usually optimal or a few thousand short paths from it: the
		 * proof costs about one pass over the arcs, the repair less than a phase */
		int due = tries == 0 && planned > 0 ? done == planned : g->eps < scale;
		if (g->eps == 1 || !due)
			continue;
		/* the first repair gets a few passes only: where it would need more (a district's
		 * large parts with many equal scores), one more phase is cheaper than the paths */
		int64_t quick = small ? QUICK_REPAIR_SMALL : QUICK_REPAIR_LARGE;
		int64_t budget = tries++ == 0 ? min64(quick, repair_budget) : repair_budget;
		if (proven_optimal(g, scale, arcs)) {
			g->eps = 1, g->proven_early = 1;
			continue;
		}
		if (tries == 1 && planned > 0)
			arc_fix(g, REPAIR_FIX * scale); /* see REPAIR_FIX */
		enum repair_result live = exact_repair(g, budget * arcs, 1);
		if (live == REPAIR_COMPLETE && proven_optimal(g, scale, arcs)) {
			g->repaired = 1;
			g->eps = 1, g->proven_early = 1;
		} else if (tries == 1 && (planned == 0 || live == REPAIR_OVER_BUDGET)) {
			/* one more phase, arcs still fixed, then a repair with the full budget (on a
			 * small part that the live arcs left stuck, the full repair follows at once:
			 * it has only the sources they could not serve) */
			continue;
		} else if (exact_repair(g, repair_budget * arcs, 0) == REPAIR_COMPLETE) {
			g->repaired = 2;
			if (proven_optimal(g, scale, arcs))
				g->eps = 1, g->proven_early = 1;
			else
				g->fixing = 0;
		} else {
			g->fixing = 0; /* the textbook phases from here on, down to eps = 1 */
		}
	}
}

/* ---- the entry point ---------------------------------------------------------------------- */

/* The flow of each input edge: its arc's capacity (pair) less its residual capacity. */
static void collect(const struct residual *g, const struct matching_flow_input *in,
		    struct matching_allocation *out)
{
	memset(out->flow, 0, in->n_edges * sizeof *out->flow);
	for (int32_t a = 0; a < g->first[g->n]; a++)
		if (g->arc_edge[a] >= 0)
			out->flow[g->arc_edge[a]] = g->arcs[a].pair - g->arcs[a].res;
}

/* One connected part (or the whole input): builds the residual graph, solves, collects. The
 * input was validated by the caller; out->flow has room for in->n_edges. */
static int allocate_connected(const struct matching_flow_input *in, int64_t max_score,
			      int64_t repair_budget, struct matching_allocation *out)
{
	double n = (double)(in->n_needs + in->n_resources + 1); /* overflow: checked on the whole */
	struct residual g;
	int ok = residual_build(&g, in, (int64_t)n + 1) == 0;
	if (ok) {
		g.fixing = 1;
		solve(&g, max_score * ((int64_t)n + 1), (int64_t)n + 1, repair_budget);
		out->pushes = g.pushes;
		out->relabels = g.relabels;
		out->price_updates = g.price_updates;
		out->phases = g.phases;
		out->proven_early = g.proven_early;
		out->repaired = g.repaired;
		out->arcs_fixed = g.fixed;
		out->nodes_unfixed = g.unfixed;
		out->arcs_unsound = g.unsound;
		out->repair_paths = g.repair_paths;
		out->phases_cut = g.phases_cut;
		collect(&g, in, out);
		residual_free(&g);
	}
	return ok ? 0 : -1;
}

/* ---- independent parts, solved apart and in parallel ------------------------------------ */

/*
 * Why: a need and a resource of different units never share an edge, nor do far-apart parts
 * of a district, so a real candidate graph falls into connected parts: one per unit at least.
 * The optimum of the whole is the sum of the parts' optima. Solving them apart makes each
 * problem smaller (fewer phases: the cost scale is the part's size; a cache-sized working set)
 * and lets the parts run on both cores. The split is deterministic, so the result does not
 * depend on which thread solves which part.
 */
struct part_size {
	size_t edges, part;
};

struct parts {
	const struct matching_flow_input *in;
	int64_t max_score, repair_budget;
	size_t n_parts;
	uint32_t *part_of;   /* per node (needs, then resources): its part, or UINT32_MAX */
	size_t *edge_start;  /* per part + 1: its edges in `edges` */
	size_t *edges;       /* useful edge indexes grouped by part, in input order */
	size_t *node_start;  /* per part + 1: its nodes in `nodes` */
	uint32_t *nodes;     /* nodes grouped by part, needs first, in input order */
	uint32_t *local;     /* per node: its index among its part's needs or resources */
	struct part_size *order; /* parts by falling edge count: the big ones start first */
	size_t next;         /* the next entry of `order` to solve (under mu) */
	pthread_mutex_t mu;
	struct matching_allocation *out;
	int status;
};

static uint32_t find_root(uint32_t *up, uint32_t v)
{
	while (up[v] != v)
		v = up[v] = up[up[v]]; /* path halving */
	return v;
}

/* Union-find over the useful edges, then parts numbered in order of their first node. */
static int parts_label(struct parts *p)
{
	const struct matching_flow_input *in = p->in;
	size_t nn = in->n_needs, n = nn + in->n_resources;
	uint32_t *up = malloc((n + 1) * sizeof *up);
	p->part_of = malloc((n + 1) * sizeof *p->part_of);
	if (!up || !p->part_of)
		return free(up), -1;
	for (size_t v = 0; v < n; v++)
		up[v] = (uint32_t)v, p->part_of[v] = UINT32_MAX;
	for (size_t e = 0; e < in->n_edges; e++) {
		if (!edge_useful(in, &in->edges[e]))
			continue;
		uint32_t a = find_root(up, in->edges[e].need),
			 b = find_root(up, (uint32_t)(nn + in->edges[e].resource));
		if (a != b)
			up[a < b ? b : a] = a < b ? a : b;
	}
	for (size_t e = 0; e < in->n_edges; e++) /* only nodes with a useful edge get a part */
		if (edge_useful(in, &in->edges[e]))
			p->part_of[in->edges[e].need] = 0, p->part_of[nn + in->edges[e].resource] = 0;
	/* a root is the smallest node of its part (unions keep the smaller), so it is numbered
	 * before any other node of the part */
	for (size_t v = 0; v < n; v++) {
		if (p->part_of[v] == UINT32_MAX)
			continue;
		uint32_t r = find_root(up, (uint32_t)v);
		p->part_of[v] = r == v ? (uint32_t)p->n_parts++ : p->part_of[r];
	}
	free(up);
	return 0;
}

/* Groups nodes and useful edges by part (counting sort, input order kept). */
static int parts_group(struct parts *p)
{
	const struct matching_flow_input *in = p->in;
	size_t nn = in->n_needs, n = nn + in->n_resources, np = p->n_parts;
	p->edge_start = calloc(np + 2, sizeof *p->edge_start);
	p->node_start = calloc(np + 2, sizeof *p->node_start);
	p->edges = malloc((in->n_edges + 1) * sizeof *p->edges);
	p->nodes = malloc((n + 1) * sizeof *p->nodes);
	p->local = malloc((n + 1) * sizeof *p->local);
	p->order = malloc((np + 1) * sizeof *p->order);
	if (!p->edge_start || !p->node_start || !p->edges || !p->nodes || !p->local || !p->order)
		return -1;
	for (size_t e = 0; e < in->n_edges; e++)
		if (edge_useful(in, &in->edges[e]))
			p->edge_start[p->part_of[in->edges[e].need] + 2]++;
	for (size_t v = 0; v < n; v++)
		if (p->part_of[v] != UINT32_MAX)
			p->node_start[p->part_of[v] + 2]++;
	for (size_t k = 2; k < np + 2; k++)
		p->edge_start[k] += p->edge_start[k - 1], p->node_start[k] += p->node_start[k - 1];
	for (size_t e = 0; e < in->n_edges; e++)
		if (edge_useful(in, &in->edges[e]))
			p->edges[p->edge_start[p->part_of[in->edges[e].need] + 1]++] = e;
	/* needs come before resources in node order, so each part lists its needs first and a
	 * node's local index is its rank among the part's needs or among its resources */
	for (size_t v = 0; v < n; v++) {
		if (p->part_of[v] == UINT32_MAX)
			continue;
		size_t at = p->node_start[p->part_of[v] + 1]++;
		p->nodes[at] = (uint32_t)v;
	}
	for (size_t k = 0; k < np; k++) {
		uint32_t needs = 0, resources = 0;
		for (size_t i = p->node_start[k]; i < p->node_start[k + 1]; i++)
			p->local[p->nodes[i]] = p->nodes[i] < nn ? needs++ : resources++;
		p->order[k] = (struct part_size){p->edge_start[k + 1] - p->edge_start[k], k};
	}
	return 0;
}

static int part_by_size(const void *a, const void *b)
{
	const struct part_size *x = a, *y = b;
	if (x->edges != y->edges)
		return x->edges > y->edges ? -1 : 1;
	return x->part < y->part ? -1 : x->part > y->part;
}

/* Solves part k: its own input (local indexes), then its flows into out->flow. */
static int part_solve(struct parts *p, size_t k, struct matching_allocation *stats)
{
	const struct matching_flow_input *in = p->in;
	size_t nn = in->n_needs, ne = p->edge_start[k + 1] - p->edge_start[k];
	size_t nodes = p->node_start[k + 1] - p->node_start[k], sub_nn = 0;
	while (sub_nn < nodes && p->nodes[p->node_start[k] + sub_nn] < nn)
		sub_nn++;
	int64_t *q = malloc((nodes + 1) * sizeof *q);
	struct matching_edge *ed = malloc((ne + 1) * sizeof *ed);
	struct matching_allocation a = {calloc(ne + 1, sizeof *a.flow)};
	int rc = q && ed && a.flow ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < nodes; i++) {
		uint32_t v = p->nodes[p->node_start[k] + i];
		q[i] = v < nn ? in->need_quantity[v] : in->resource_quantity[v - nn];
	}
	for (size_t x = 0; rc == 0 && x < ne; x++) {
		const struct matching_edge *e = &in->edges[p->edges[p->edge_start[k] + x]];
		ed[x] = (struct matching_edge){p->local[e->need], p->local[nn + e->resource], e->score,
					       e->capacity};
	}
	struct matching_flow_input sub = {sub_nn, nodes - sub_nn, q, q + sub_nn, ed, ne};
	if (rc == 0)
		rc = allocate_connected(&sub, p->max_score, p->repair_budget, &a);
	for (size_t x = 0; rc == 0 && x < ne; x++)
		p->out->flow[p->edges[p->edge_start[k] + x]] = a.flow[x];
	stats->pushes += a.pushes, stats->relabels += a.relabels;
	stats->price_updates += a.price_updates;
	stats->phases = a.phases > stats->phases ? a.phases : stats->phases;
	stats->proven_early |= a.proven_early;
	stats->repaired = a.repaired > stats->repaired ? a.repaired : stats->repaired;
	stats->repair_paths += a.repair_paths;
	stats->phases_cut += a.phases_cut;
	free(q), free(ed), free(a.flow);
	return rc;
}

static void *parts_worker(void *arg)
{
	struct parts *p = arg;
	struct matching_allocation stats = {0};
	int rc = 0;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t at = p->status == 0 ? p->next++ : p->n_parts;
		pthread_mutex_unlock(&p->mu);
		if (at >= p->n_parts)
			break;
		rc = part_solve(p, p->order[at].part, &stats);
		pthread_mutex_lock(&p->mu);
		p->status |= rc;
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_lock(&p->mu);
	p->out->pushes += stats.pushes, p->out->relabels += stats.relabels;
	p->out->price_updates += stats.price_updates;
	p->out->phases = stats.phases > p->out->phases ? stats.phases : p->out->phases;
	p->out->proven_early |= stats.proven_early;
	p->out->repaired = stats.repaired > p->out->repaired ? stats.repaired : p->out->repaired;
	p->out->repair_paths += stats.repair_paths;
	p->out->phases_cut += stats.phases_cut;
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Why two: the machine this runs on has two cores, and candidates use both already. */
#define SOLVE_THREADS 2

static int allocate_parts(struct parts *p)
{
	if (parts_label(p) != 0)
		return -1;
	if (p->n_parts <= 1) /* one part (the benchmark's random graphs): no copy */
		return allocate_connected(p->in, p->max_score, p->repair_budget, p->out);
	if (parts_group(p) != 0)
		return -1;
	qsort(p->order, p->n_parts, sizeof *p->order, part_by_size);
	pthread_t threads[SOLVE_THREADS];
	int started[SOLVE_THREADS] = {0};
	for (int t = 1; t < SOLVE_THREADS && p->n_parts > 1; t++)
		started[t] = pthread_create(&threads[t], NULL, parts_worker, p) == 0;
	parts_worker(p);
	for (int t = 1; t < SOLVE_THREADS; t++)
		if (started[t])
			pthread_join(threads[t], NULL);
	return p->status;
}

static void parts_free(struct parts *p)
{
	free(p->part_of), free(p->edge_start), free(p->edges), free(p->node_start);
	free(p->nodes), free(p->local), free(p->order);
	pthread_mutex_destroy(&p->mu);
}

/* ---- the entry point ---------------------------------------------------------------------- */

int matching_allocate(const struct matching_flow_input *in, struct matching_allocation *out)
{
	return matching_allocate_budget(in, REPAIR_BUDGET, out);
}

int matching_allocate_budget(const struct matching_flow_input *in, int64_t repair_budget,
			     struct matching_allocation *out)
{
	memset(out, 0, sizeof *out);
	int64_t max_score;
	if (!input_valid(in, &max_score))
		return -1;
	double supply = 0; /* the total score must fit in 64 bits */
	for (size_t i = 0; i < in->n_needs; i++)
		supply += (double)in->need_quantity[i];
	if (supply * (double)max_score > 4e18)
		return -1;
	/* prices fall by at most ~3n eps per phase, 2 eps0 summed over phases (Goldberg); checked
	 * on the whole input, so that what is refused does not depend on its parts */
	double n = (double)(in->n_needs + in->n_resources + 1);
	if (6.0 * n * (n + 1) * (double)max_score > 4e18)
		return -1;
	out->flow = mem_large((in->n_edges + 1) * sizeof *out->flow);
	if (out->flow)
		memset(out->flow, 0, (in->n_edges + 1) * sizeof *out->flow);
	struct parts p = {in, max_score, repair_budget, .out = out};
	int rc = out->flow && pthread_mutex_init(&p.mu, NULL) == 0 ? 0 : -1;
	if (rc == 0) {
		rc = allocate_parts(&p);
		parts_free(&p);
	}
	for (size_t e = 0; rc == 0 && e < in->n_edges; e++) {
		out->total_quantity += out->flow[e];
		out->total_score += out->flow[e] * in->edges[e].score;
	}
	if (rc != 0)
		matching_allocation_free(out);
	return rc;
}
