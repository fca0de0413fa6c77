/*
 * flow_parts.c — the candidate graph split into its connected parts, each solved on its own by
 * flow.c (flow_allocate_connected), on up to two threads.
 *
 * Why: a need and a resource of different units never share an edge, nor do far-apart parts
 * of a district, so a real candidate graph falls into connected parts: one per unit at least.
 * The optimum of the whole is the sum of the parts' optima. Solving them apart makes each
 * problem smaller (fewer phases: the cost scale is the part's size; a cache-sized working set)
 * and lets the parts run on both cores. The split is deterministic, so the result does not
 * depend on which thread solves which part.
 *
 * A file of its own because the split knows nothing of prices or residual arcs: it is
 * bookkeeping over the input (union-find, counting sorts, index maps) and the threads that
 * share the parts out; the solver sees each part as a whole input of its own.
 */
#include <pthread.h>
#include <stdlib.h>
#include "matching/flow_internal.h"

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
		rc = flow_allocate_connected(&sub, p->max_score, p->repair_budget, &a);
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

static int parts_run(struct parts *p)
{
	if (parts_label(p) != 0)
		return -1;
	if (p->n_parts <= 1) /* one part (the benchmark's random graphs): no copy */
		return flow_allocate_connected(p->in, p->max_score, p->repair_budget, p->out);
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

int flow_allocate_parts(const struct matching_flow_input *in, int64_t max_score,
			int64_t repair_budget, struct matching_allocation *out)
{
	struct parts p = {in, max_score, repair_budget, .out = out};
	if (pthread_mutex_init(&p.mu, NULL) != 0)
		return -1;
	int rc = parts_run(&p);
	parts_free(&p);
	return rc;
}
