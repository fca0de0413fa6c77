/*
 * flow.c — maximum-score allocation as a min-cost flow, solved by cost-scaling
 * push-relabel (A. V. Goldberg, "An efficient implementation of a scaling minimum-cost flow
 * algorithm", J. Algorithms 22, 1997). See flow.h for the network.
 *
 * This file holds the entry point, the residual graph and the phases (push-relabel with
 * look-ahead, global price updates, arc fixing) with the schedule that ends them. How they end
 * early, exactly — the proof and the repair by shortest paths — is flow_repair.c; the split into
 * connected parts and the threads that solve them is flow_parts.c; what the three share is
 * flow_internal.h. The figures behind the constants below are in docs/benchmarks.md ("Matching
 * engine", "Where the solver's constants come from").
 *
 * Why this algorithm: successive shortest paths from scratch needs one Dijkstra per augmenting
 * path, and a run over 100,000 needs finds hundreds of thousands of paths whose searches grow as
 * resources run out (24 s CPU at 20,000 x 20,000). Cost scaling does a handful of phases
 * (log_alpha of n*C), each a sweep of local pushes, in the memory of the residual graph. Network
 * simplex (LEMON's: 2.4 s at 20,000, over 5 minutes at 100,000) does not scale.
 *
 * How it ends (the part that matters on contested instances, where every phase costs about 50
 * relabels per node): the phases do not run down to eps = 1. Once eps is about 17 original
 * units (on a small part, schedule()) or below one (on a large part), the flow is either
 * already optimal — flow_proven_optimal() finds integer prices that prove it — or a few
 * thousand short paths from it: flow_exact_repair() rounds the prices, saturates what they still
 * violate and finishes with successive shortest paths, which are local at that point (searches
 * in original units, over a bucket queue). Both are exact and verified; when the repair runs
 * over its budget, the phases go on from the repaired state (a valid start), so the worst case
 * stays the textbook one. On a small part the phases also leave their tails to what follows: a
 * phase ends once only a few nodes are still active (see stop_active), and their excess is
 * carried into the next phase or the repair, both of which start from any pseudoflow.
 *
 * Arc fixing (Goldberg's heuristic, made exact here): in the late phases most arcs have a reduced
 * cost far from zero, hundreds of eps, and the flow on them will not change; relabels and price
 * updates still scanned them. At the start of each phase, arcs with |rc| >= fix_eps x eps are
 * moved behind the live arcs of their node and left out of every scan. The price of every node
 * may fall by less than that much before its arcs are made live again (unfix()), so a fixed arc
 * never becomes admissible or breaks eps-optimality: the phase is the same refine over the whole
 * graph, only cheaper. The proof always looks at every arc (the first repair may leave the fixed
 * arcs out: the proof decides).
 *
 * Costs are multiplied by (n + 1) (conventions: flow_internal.h): an eps = 1 optimal flow is
 * then 1/(n+1)-optimal for the original integer costs, so every residual cycle (at most n arcs)
 * costs more than -1, i.e. at least 0: the flow is optimal.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lib/mem.h"
#include "matching/flow_internal.h"

#define ALPHA 16 /* epsilon shrinks by at most this factor per phase */
/* How the phases end depends on the part's size, because the repair's searches grow with the
 * graph: on a small part a repair from eps of about 17 units is cheaper than the phases below
 * it; on a large one (the district's big parts, the 100,000 x 100,000 stress instance) its
 * paths search most of the graph, and the phases are cheaper. The small parts' ending still won
 * at 15,000 per side and lost at 20,000 (1.5-1.9 s against 0.65-1.0 s); this bound stays well
 * below that turn. */
#define SMALL_PART 16384 /* nodes */
/* Small parts: the first repair is tried once eps is about this many original units (see
 * schedule(): from scores of 10,000, three divisions by 8.4). Higher, the repair has more
 * paths to route; lower, the phases cost more than the repair saves (the best of 2 to 25). */
#define REPAIR_AT 17.0
/* ... and the repair after it searches only the arcs whose |reduced cost| is below this many
 * units (fixed arcs stay out, as in a phase; the proof over every arc decides). The last
 * phase's own fixing, thousands of units, leaves too many arcs live (1.6 times the instructions);
 * 200 to 400 units are within 3 % of each other. */
#define REPAIR_FIX 250
/* Small parts: a phase ends once at most n / 2^STOP_SHIFT nodes are active, the last planned
 * one at n / 2^STOP_SHIFT_LAST. Its last active nodes wander far with many relabels before
 * they reach a deficit (in one measured phase, a fifth of its relabels came with at most three
 * active nodes); the next phase's saturation and price update, or the repair's paths, route
 * them for much less. Never cutting cost 19 % more than these shifts, the best pair tried. */
#define STOP_SHIFT 6
#define STOP_SHIFT_LAST 8
/* Large parts: phases divide eps by ALPHA, and the one that takes it below one original unit by
 * LAST_ALPHA only (see solve(); 2 to 16 measured within the noise, 4 kept) */
#define LAST_ALPHA 4
/* The exact repair's budget in arc scans, per arc of the graph: a phase scans about 50 times
 * the arcs on contested instances, a repair after the eps < scale phase about 20 times. */
#define REPAIR_BUDGET 64
/* ... and the first repair's (see solve()). Small parts: the repair from about 17 units needs 4
 * to 11 passes on the benchmark's instances; a repair over the budget costs one more phase, so
 * the budget leaves room. Large parts: where the first repair needs more than a few passes (the
 * district's large parts, many equal scores), one more phase is cheaper (allocation 2.5 s with
 * 4 passes, 4.1 s with 64). */
#define QUICK_REPAIR_SMALL 32
#define QUICK_REPAIR_LARGE 4
/* Arcs whose |reduced cost| is at least this many eps at the start of a phase are fixed. Prices
 * fell by up to ~900 eps in a phase on the benchmark's instances, but by far less on most nodes:
 * too low a limit unfixes nodes over and over, too high fixes little. Large parts: 500 eps took
 * 27 % fewer instructions than no fixing, the best of 100 to 2,000. Small parts, whose phases end
 * at 17 units: 60 to 250 eps are within a few percent, 150 the faster on the benchmark's
 * default instance. The repair fixes its own (REPAIR_FIX). */
#define FIX_EPS_SMALL 150
#define FIX_EPS_LARGE 500

/* Arcs keep residual capacities and original costs in 32 bits. */
_Static_assert(MATCHING_QUANTITY_MAX <= INT32_MAX, "quantities must fit an arc's int32_t");
_Static_assert(MATCHING_SCORE_MAX <= INT32_MAX, "scores must fit an arc's int32_t cost");

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

/* (struct arc and struct residual, with the conventions: flow_internal.h) */

/* Adds u -> v and its reverse; `edge` is the input edge the forward arc carries, or -1. */
static void add_arc(struct residual *g, int32_t *pos, int32_t u, int32_t v, int64_t cap,
		    int64_t cost, int32_t edge)
{
	int32_t a = pos[u]++, b = pos[v]++;
	g->arcs[a] = (struct arc){v, b, (int32_t)cap, (int32_t)cap, (int32_t)cost};
	g->arcs[b] = (struct arc){u, a, 0, (int32_t)cap, (int32_t)-cost};
	g->arc_edge[a] = edge, g->arc_edge[b] = -1;
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
void flow_saturate_negative(struct residual *g, int64_t was_eps)
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
	flow_saturate_negative(g, g->eps_done);
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

/* ---- the schedule: phases, and where they end ------------------------------------------- */

/*
 * The phases' schedule on a small part: the first repair is tried once eps is about REPAIR_AT
 * original units; P equal divisions from max_cost get there, P the fewest that divide by no
 * more than ALPHA each (benchmark: max_cost 10,000 units, so three divisions by 8.4). Returns P
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
		if (flow_proven_optimal(g, scale, arcs)) {
			g->eps = 1, g->proven_early = 1;
			continue;
		}
		if (tries == 1 && planned > 0)
			arc_fix(g, REPAIR_FIX * scale); /* see REPAIR_FIX */
		enum repair_result live = flow_exact_repair(g, budget * arcs, 1);
		if (live == REPAIR_COMPLETE && flow_proven_optimal(g, scale, arcs)) {
			g->repaired = 1;
			g->eps = 1, g->proven_early = 1;
		} else if (tries == 1 && (planned == 0 || live == REPAIR_OVER_BUDGET)) {
			/* one more phase, arcs still fixed, then a repair with the full budget (on a
			 * small part that the live arcs left stuck, the full repair follows at once:
			 * it has only the sources they could not serve) */
			continue;
		} else if (flow_exact_repair(g, repair_budget * arcs, 0) == REPAIR_COMPLETE) {
			g->repaired = 2;
			if (flow_proven_optimal(g, scale, arcs))
				g->eps = 1, g->proven_early = 1;
			else
				g->fixing = 0;
		} else {
			g->fixing = 0; /* the textbook phases from here on, down to eps = 1 */
		}
	}
}

/* ---- one connected part ------------------------------------------------------------------ */

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
int flow_allocate_connected(const struct matching_flow_input *in, int64_t max_score,
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
	int rc = out->flow ? flow_allocate_parts(in, max_score, repair_budget, out) : -1;
	for (size_t e = 0; rc == 0 && e < in->n_edges; e++) {
		out->total_quantity += out->flow[e];
		out->total_score += out->flow[e] * in->edges[e].score;
	}
	if (rc != 0)
		matching_allocation_free(out);
	return rc;
}

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
