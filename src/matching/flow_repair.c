/*
 * flow_repair.c — how the phases of flow.c end before eps = 1, exactly: a proof that a flow is
 * optimal for the original integer costs (flow_proven_optimal) and a repair that completes a
 * nearly optimal pseudoflow by successive shortest paths (flow_exact_repair). flow.c's solve()
 * decides when each runs; the residual graph they work on is flow_internal.h's.
 *
 * A file of its own because this is another algorithm than the phases: it works in original
 * units, not in eps, with searches of its own (a FIFO Bellman-Ford; Dijkstra over a bucket
 * queue), and shares nothing with the phases but the graph and the saturation of negative arcs.
 * Both are exact: a flow is believed optimal only once integer prices checked over every
 * residual arc prove it, and a repair that runs over its budget leaves a valid start for the
 * next phase, so the worst case stays the textbook one.
 */
#include <stdlib.h>
#include <string.h>
#include "matching/flow_internal.h"

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
int flow_proven_optimal(struct residual *g, int64_t scale, int64_t budget)
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
	int live_only; /* 1: search the live arcs only (see flow_exact_repair) */
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
 * flow_proven_optimal() says so; if not, a repair over every arc starts from that state. A source
 * that reaches no deficit over the live arcs keeps its excess for that repair; the others are
 * routed meanwhile (REPAIR_STUCK then).
 */
enum repair_result flow_exact_repair(struct residual *g, int64_t budget, int live_only)
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
	flow_saturate_negative(g, 0);
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

