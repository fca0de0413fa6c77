/* Unit tests for the global allocation (src/matching/flow.c): tiny instances whose optimum is
 * known by hand, the edge cases, and invalid input. The random instances against networkx are
 * in tests/matching/check_optimal.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "matching/flow.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct matching_allocation solve(const int64_t *nq, size_t nn, const int64_t *rq, size_t nr,
					const struct matching_edge *e, size_t ne)
{
	struct matching_flow_input in = {nn, nr, nq, rq, e, ne};
	struct matching_allocation a;
	assert_int_equal(matching_allocate(&in, &a), 0);
	return a;
}

static void test_no_edges_allocates_nothing(void **state)
{
	(void)state;
	int64_t nq[] = {5, 3}, rq[] = {4};
	struct matching_allocation a = solve(nq, 2, rq, 1, NULL, 0);
	assert_int_equal(a.total_score, 0);
	assert_int_equal(a.total_quantity, 0);
	matching_allocation_free(&a);
}

static void test_empty_instance_is_fine(void **state)
{
	(void)state;
	struct matching_allocation a = solve(NULL, 0, NULL, 0, NULL, 0);
	assert_int_equal(a.total_score, 0);
	matching_allocation_free(&a);
}

static void test_zero_quantities_carry_nothing(void **state)
{
	(void)state;
	int64_t nq[] = {0, 4}, rq[] = {6, 0};
	struct matching_edge e[] = {{0, 0, 100, 5}, {1, 1, 100, 5}, {1, 0, 10, 0}};
	struct matching_allocation a = solve(nq, 2, rq, 2, e, N(e));
	assert_int_equal(a.flow[0], 0); /* the need has nothing left */
	assert_int_equal(a.flow[1], 0); /* the resource has nothing left */
	assert_int_equal(a.flow[2], 0); /* the edge has no capacity */
	assert_int_equal(a.total_score, 0);
	matching_allocation_free(&a);
}

static void test_a_need_is_covered_by_several_resources(void **state)
{
	(void)state;
	int64_t nq[] = {10}, rq[] = {4, 3, 8};
	struct matching_edge e[] = {{0, 0, 50, 10}, {0, 1, 40, 10}, {0, 2, 30, 10}};
	struct matching_allocation a = solve(nq, 1, rq, 3, e, N(e));
	/* best first: 4 units at 50, 3 at 40, the last 3 at 30 */
	assert_int_equal(a.flow[0], 4);
	assert_int_equal(a.flow[1], 3);
	assert_int_equal(a.flow[2], 3);
	assert_int_equal(a.total_score, 4 * 50 + 3 * 40 + 3 * 30);
	assert_int_equal(a.total_quantity, 10);
	matching_allocation_free(&a);
}

static void test_negative_and_zero_gain_edges_stay_unused(void **state)
{
	(void)state;
	int64_t nq[] = {5, 5}, rq[] = {5, 5};
	struct matching_edge e[] = {{0, 0, -30, 5}, {1, 1, 0, 5}, {0, 1, 7, 2}};
	struct matching_allocation a = solve(nq, 2, rq, 2, e, N(e));
	assert_int_equal(a.flow[0], 0);
	assert_int_equal(a.flow[1], 0);
	assert_int_equal(a.flow[2], 2);
	assert_int_equal(a.total_score, 14);
	matching_allocation_free(&a);
}

/* Greedy would give resource 0 to need 0 (score 10) and leave need 1 with nothing; the optimum
 * sends need 0 to resource 1 instead: 9 + 8 = 17 > 10 + 0. */
static void test_the_optimum_is_not_the_greedy_choice(void **state)
{
	(void)state;
	int64_t nq[] = {1, 1}, rq[] = {1, 1};
	struct matching_edge e[] = {{0, 0, 10, 1}, {0, 1, 9, 1}, {1, 0, 8, 1}};
	struct matching_allocation a = solve(nq, 2, rq, 2, e, N(e));
	assert_int_equal(a.total_score, 17);
	assert_int_equal(a.flow[0], 0);
	assert_int_equal(a.flow[1], 1);
	assert_int_equal(a.flow[2], 1);
	matching_allocation_free(&a);
}

static void test_parallel_edges_and_capacity_limits(void **state)
{
	(void)state;
	int64_t nq[] = {10}, rq[] = {10};
	struct matching_edge e[] = {{0, 0, 5, 3}, {0, 0, 9, 2}};
	struct matching_allocation a = solve(nq, 1, rq, 1, e, N(e));
	assert_int_equal(a.flow[0], 3);
	assert_int_equal(a.flow[1], 2);
	assert_int_equal(a.total_score, 33);
	matching_allocation_free(&a);
}

/* ---- an independent reference: successive shortest paths with Bellman-Ford ------------------ */

struct ref_arc {
	int to, rev;
	int64_t cap, cost;
};

struct ref_graph {
	struct ref_arc *arcs;
	int *next, *first, n_arcs, n;
};

static void ref_add(struct ref_graph *g, int u, int v, int64_t cap, int64_t cost)
{
	int a = g->n_arcs++, b = g->n_arcs++;
	g->arcs[a] = (struct ref_arc){v, b, cap, cost};
	g->arcs[b] = (struct ref_arc){u, a, 0, -cost};
	g->next[a] = g->first[u], g->first[u] = a;
	g->next[b] = g->first[v], g->first[v] = b;
}

/* One Bellman-Ford from s; augments along the cheapest s-t path. 0 when t is unreachable. */
static int ref_augment(struct ref_graph *g, int s, int t, int64_t *cost)
{
	int64_t *d = malloc((size_t)g->n * sizeof *d);
	int *via = malloc((size_t)g->n * sizeof *via), changed = 1;
	for (int v = 0; v < g->n; v++)
		d[v] = INT64_MAX, via[v] = -1;
	d[s] = 0;
	for (int round = 0; changed && round < g->n; round++) {
		changed = 0;
		for (int a = 0; a < g->n_arcs; a++) {
			int u = g->arcs[g->arcs[a].rev].to, v = g->arcs[a].to;
			if (g->arcs[a].cap > 0 && d[u] != INT64_MAX && d[u] + g->arcs[a].cost < d[v])
				d[v] = d[u] + g->arcs[a].cost, via[v] = a, changed = 1;
		}
	}
	int found = d[t] != INT64_MAX;
	int64_t amount = INT64_MAX;
	for (int v = t; found && v != s; v = g->arcs[g->arcs[via[v]].rev].to)
		amount = g->arcs[via[v]].cap < amount ? g->arcs[via[v]].cap : amount;
	for (int v = t; found && v != s; v = g->arcs[g->arcs[via[v]].rev].to) {
		g->arcs[via[v]].cap -= amount;
		g->arcs[g->arcs[via[v]].rev].cap += amount;
	}
	if (found)
		*cost += amount * d[t];
	free(d), free(via);
	return found;
}

/* The maximum total score by plain successive shortest paths (small instances only). */
static int64_t ref_optimum(const struct matching_flow_input *in)
{
	int nn = (int)in->n_needs, nr = (int)in->n_resources, s = nn + nr, t = s + 1;
	int max_arcs = 2 * (2 * nn + nr + (int)in->n_edges);
	struct ref_graph g = {malloc((size_t)max_arcs * sizeof *g.arcs),
			      malloc((size_t)max_arcs * sizeof(int)), malloc((size_t)(t + 1) * sizeof(int)),
			      0, t + 1};
	for (int v = 0; v <= t; v++)
		g.first[v] = -1;
	for (int i = 0; i < nn; i++) {
		ref_add(&g, s, i, in->need_quantity[i], 0);
		ref_add(&g, i, t, in->need_quantity[i], 0);
	}
	for (int j = 0; j < nr; j++)
		ref_add(&g, nn + j, t, in->resource_quantity[j], 0);
	for (size_t e = 0; e < in->n_edges; e++)
		ref_add(&g, (int)in->edges[e].need, nn + (int)in->edges[e].resource,
			in->edges[e].capacity, -in->edges[e].score);
	int64_t cost = 0;
	while (ref_augment(&g, s, t, &cost))
		;
	free(g.arcs), free(g.next), free(g.first);
	return -cost;
}

static uint64_t test_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/* Random contested instances: the total equals the reference, and on most of them the exact
 * check ends the phases early (proven_early), which is what makes the solver fast. */
static void test_random_instances_match_the_reference(void **state)
{
	(void)state;
	uint64_t seed = 7;
	int early = 0, repaired = 0;
	for (int round = 0; round < 12; round++) {
		size_t nn = 20 + test_rand(&seed) % 40, nr = 20 + test_rand(&seed) % 40, k = 4;
		int64_t nq[64], rq[64];
		struct matching_edge e[64 * 4];
		for (size_t i = 0; i < nn; i++)
			nq[i] = 1 + (int64_t)(test_rand(&seed) % 30);
		for (size_t j = 0; j < nr; j++)
			rq[j] = (int64_t)(test_rand(&seed) % 30); /* some resources are empty */
		for (size_t x = 0; x < nn * k; x++) /* ties in score are common: 1..50 */
			e[x] = (struct matching_edge){(uint32_t)(x / k),
						      (uint32_t)(test_rand(&seed) % nr),
						      1 + (int64_t)(test_rand(&seed) % 50),
						      1 + (int64_t)(test_rand(&seed) % 20)};
		struct matching_flow_input in = {nn, nr, nq, rq, e, nn * k};
		struct matching_allocation a = solve(nq, nn, rq, nr, e, nn * k);
		assert_int_equal(a.total_score, ref_optimum(&in));
		early += a.proven_early;
		repaired += a.repaired;
		matching_allocation_free(&a);
	}
	assert_true(early > 0);
}

enum { NN = 300, K = 10, NN_MAX = 8200 };

/* The benchmark's shape at size n x n: k random candidates per need, scores 1..10000,
 * quantities and capacities 1..50 (static storage: one instance at a time, n <= NN_MAX). */
static struct matching_flow_input contested_sized(uint64_t *seed, size_t n, size_t k)
{
	static int64_t nq[NN_MAX], rq[NN_MAX];
	static struct matching_edge e[NN_MAX * K];
	for (size_t i = 0; i < n; i++)
		nq[i] = 1 + (int64_t)(test_rand(seed) % 50), rq[i] = 1 + (int64_t)(test_rand(seed) % 50);
	for (size_t x = 0; x < n * k; x++)
		e[x] = (struct matching_edge){(uint32_t)(x / k), (uint32_t)(test_rand(seed) % n),
					      1 + (int64_t)(test_rand(seed) % 10000),
					      1 + (int64_t)(test_rand(seed) % 50)};
	return (struct matching_flow_input){n, n, nq, rq, e, n * k};
}

/* The benchmark's shape, small: 300 x 300, 10 candidates per need. */
static struct matching_flow_input contested_instance(uint64_t *seed)
{
	return contested_sized(seed, NN, K);
}

/* The benchmark's shape (contested: random scores 1..10000, 10 candidates per need): here the
 * phases end with the shortest-path repair on some seeds, and phases leave their last active
 * nodes to the next phase or the repair; the total must still be exact. */
static void test_contested_instances_are_repaired_exactly(void **state)
{
	(void)state;
	uint64_t seed = 11;
	int repaired = 0, cut = 0;
	for (int round = 0; round < 4; round++) {
		struct matching_flow_input in = contested_instance(&seed);
		struct matching_allocation a;
		assert_int_equal(matching_allocate(&in, &a), 0);
		assert_int_equal(a.total_score, ref_optimum(&in));
		assert_int_equal(a.proven_early, 1);
		repaired += a.repaired;
		cut += a.phases_cut > 0;
		matching_allocation_free(&a);
	}
	assert_true(repaired > 0);
	assert_true(cut > 0);
}

/* Feasibility of an allocation: every flow within its edge, need and resource limits. */
static void assert_feasible(const struct matching_flow_input *in, const struct matching_allocation *a)
{
	static int64_t used_n[NN_MAX], used_r[NN_MAX];
	int64_t total = 0;
	memset(used_n, 0, sizeof used_n), memset(used_r, 0, sizeof used_r);
	for (size_t e = 0; e < in->n_edges; e++) {
		assert_true(a->flow[e] >= 0 && a->flow[e] <= in->edges[e].capacity);
		used_n[in->edges[e].need] += a->flow[e];
		used_r[in->edges[e].resource] += a->flow[e];
		total += a->flow[e] * in->edges[e].score;
	}
	for (size_t i = 0; i < in->n_needs; i++)
		assert_true(used_n[i] <= in->need_quantity[i]);
	for (size_t j = 0; j < in->n_resources; j++)
		assert_true(used_r[j] <= in->resource_quantity[j]);
	assert_int_equal(total, a->total_score);
}

/* Optimality of a feasible allocation, checked directly: its residual network (needs,
 * resources, the sink) has no cycle of negative cost. Bellman-Ford from every node at once:
 * still improving after as many rounds as there are nodes means such a cycle exists. */
static int is_optimal(const struct matching_flow_input *in, const struct matching_allocation *a)
{
	static int64_t used_n[NN_MAX], used_r[NN_MAX], d[2 * NN_MAX + 1];
	struct res_arc {
		int from, to;
		int64_t cost;
	};
	static struct res_arc arcs[2 * NN_MAX * K + 4 * NN_MAX];
	size_t nn = in->n_needs, nr = in->n_resources, t = nn + nr, m = 0;
	memset(used_n, 0, sizeof used_n), memset(used_r, 0, sizeof used_r);
	for (size_t e = 0; e < in->n_edges; e++) {
		const struct matching_edge *ed = &in->edges[e];
		used_n[ed->need] += a->flow[e], used_r[ed->resource] += a->flow[e];
		if (a->flow[e] < ed->capacity)
			arcs[m++] = (struct res_arc){(int)ed->need, (int)(nn + ed->resource), -ed->score};
		if (a->flow[e] > 0)
			arcs[m++] = (struct res_arc){(int)(nn + ed->resource), (int)ed->need, ed->score};
	}
	for (size_t i = 0; i < nn; i++) { /* need -> sink carries what is left unallocated */
		if (used_n[i] > 0)
			arcs[m++] = (struct res_arc){(int)i, (int)t, 0};
		if (used_n[i] < in->need_quantity[i])
			arcs[m++] = (struct res_arc){(int)t, (int)i, 0};
	}
	for (size_t j = 0; j < nr; j++) {
		if (used_r[j] < in->resource_quantity[j])
			arcs[m++] = (struct res_arc){(int)(nn + j), (int)t, 0};
		if (used_r[j] > 0)
			arcs[m++] = (struct res_arc){(int)t, (int)(nn + j), 0};
	}
	memset(d, 0, sizeof d);
	int improved = 1;
	for (size_t round = 0; improved && round <= t + 1; round++) {
		improved = 0;
		for (size_t x = 0; x < m; x++)
			if (d[arcs[x].from] + arcs[x].cost < d[arcs[x].to])
				d[arcs[x].to] = d[arcs[x].from] + arcs[x].cost, improved = 1;
	}
	return !improved;
}

/* Arc fixing leaves out of a phase the arcs whose reduced cost is far from zero; when a node's
 * price falls towards them, they are made live again. On larger contested instances that
 * happens, and the allocation must stay feasible and optimal. */
static void test_fixed_arcs_made_live_again_keep_the_optimum(void **state)
{
	(void)state;
	uint64_t seed = 5;
	int unfixed = 0;
	for (int round = 0; round < 6; round++) {
		struct matching_flow_input in = contested_sized(&seed, 800, K);
		struct matching_allocation a;
		assert_int_equal(matching_allocate(&in, &a), 0);
		assert_true(a.arcs_fixed > 0);
		assert_int_equal(a.arcs_unsound, 0);
		assert_feasible(&in, &a);
		assert_true(is_optimal(&in, &a));
		unfixed += a.nodes_unfixed > 0;
		matching_allocation_free(&a);
	}
	assert_true(unfixed > 0);
}

/* The optimality check itself: it refuses an allocation moved off the optimum. */
static void test_the_optimality_check_sees_a_worse_allocation(void **state)
{
	(void)state;
	uint64_t seed = 5;
	struct matching_flow_input in = contested_sized(&seed, 800, K);
	struct matching_allocation a;
	assert_int_equal(matching_allocate(&in, &a), 0);
	assert_true(is_optimal(&in, &a));
	size_t e = 0; /* one unit less on a used edge: feasible, and worse */
	while (a.flow[e] == 0)
		e++;
	a.flow[e]--;
	a.total_score -= in.edges[e].score;
	assert_feasible(&in, &a);
	assert_false(is_optimal(&in, &a));
	matching_allocation_free(&a);
}

/* Three contested instances woven into one input (node i of part p becomes 3i + p, so every
 * part's nodes are spread over the whole index range, and the edges are interleaved too):
 * the solver splits them into independent parts, solves them on two threads, and the total
 * is the sum of the parts' reference optima, with every flow back on its own input edge. */
static void test_independent_parts_are_solved_apart_exactly(void **state)
{
	(void)state;
	static int64_t nq[NN * 3], rq[NN * 3];
	static struct matching_edge e[NN * K * 3];
	uint64_t seed = 23;
	int64_t want = 0;
	for (uint32_t p = 0; p < 3; p++) {
		struct matching_flow_input part = contested_instance(&seed);
		want += ref_optimum(&part);
		for (size_t i = 0; i < NN; i++)
			nq[3 * i + p] = part.need_quantity[i], rq[3 * i + p] = part.resource_quantity[i];
		for (size_t x = 0; x < NN * K; x++)
			e[3 * x + p] = (struct matching_edge){3 * part.edges[x].need + p,
							      3 * part.edges[x].resource + p,
							      part.edges[x].score, part.edges[x].capacity};
	}
	struct matching_flow_input in = {NN * 3, NN * 3, nq, rq, e, NN * K * 3};
	struct matching_allocation a;
	assert_int_equal(matching_allocate(&in, &a), 0);
	assert_int_equal(a.total_score, want);
	assert_feasible(&in, &a);
	assert_true(a.phases > 0);
	matching_allocation_free(&a);
}

/* A repair that runs out of budget leaves a valid start: the phases go on and stay exact. With
 * a budget of 0 no repair can route a path, so where the default run's repair routed paths, the
 * run goes on: more phases, then either a repair that rounding alone completes (finer phases
 * leave almost nothing to route) or the textbook phases down to eps = 1. */
static void test_a_repair_over_budget_falls_back_to_the_phases(void **state)
{
	(void)state;
	uint64_t seed = 11;
	int fell_back = 0;
	for (int round = 0; round < 6; round++) {
		struct matching_flow_input in = contested_instance(&seed);
		struct matching_allocation a;
		assert_int_equal(matching_allocate(&in, &a), 0);
		int64_t want = a.total_score, phases = a.phases;
		int routed = a.repaired && a.repair_paths > 0;
		matching_allocation_free(&a);
		if (!routed)
			continue;
		assert_int_equal(matching_allocate_budget(&in, 0, &a), 0);
		assert_int_equal(a.total_score, want);
		assert_feasible(&in, &a);
		assert_true(a.phases > phases);
		matching_allocation_free(&a);
		fell_back++;
	}
	assert_true(fell_back > 0);
}

/* A part above SMALL_PART (16,384) nodes ends the large parts' way: phases below one original
 * unit, then the repair. Its total must equal the one reached with no repair budget at all
 * (budget 0: the first repair stops after one path, and the phases go on from another state
 * until the proof or eps = 1, which proves optimality by itself). */
static void test_a_large_part_is_solved_exactly(void **state)
{
	(void)state;
	uint64_t seed = 5;
	struct matching_flow_input in = contested_sized(&seed, 8200, K);
	struct matching_allocation a, b;
	assert_int_equal(matching_allocate(&in, &a), 0);
	assert_feasible(&in, &a);
	assert_int_equal(a.proven_early, 1);
	assert_int_equal(a.arcs_unsound, 0);
	assert_true(a.repair_paths > 0); /* the repair ran (on this seed: over its first budget) */
	assert_int_equal(matching_allocate_budget(&in, 0, &b), 0);
	assert_feasible(&in, &b);
	assert_int_equal(b.total_score, a.total_score);
	matching_allocation_free(&a);
	matching_allocation_free(&b);
}

/* With costs so small that the first phase already has eps = 1, no early proof is tried. */
static void test_tiny_costs_run_one_phase_without_early_stop(void **state)
{
	(void)state;
	int64_t nq[] = {1, 1}, rq[] = {1, 1};
	/* 5 nodes: costs scale by 6, so eps starts at 6 and the first phase divides it to 1 */
	struct matching_edge e[] = {{0, 0, 1, 1}, {0, 1, 1, 1}, {1, 0, 1, 1}};
	struct matching_allocation a = solve(nq, 2, rq, 2, e, N(e));
	assert_int_equal(a.total_score, 2); /* not need 0 -> resource 0, which leaves need 1 out */
	assert_int_equal(a.phases, 1);
	assert_int_equal(a.proven_early, 0);
	matching_allocation_free(&a);
}

static void test_invalid_input_is_refused(void **state)
{
	(void)state;
	int64_t nq[] = {1}, rq[] = {1}, neg[] = {-1}, huge[] = {MATCHING_QUANTITY_MAX + 1};
	struct matching_edge out_of_range[] = {{0, 1, 5, 1}};
	struct matching_edge bad_score[] = {{0, 0, MATCHING_SCORE_MAX + 1, 1}};
	struct matching_edge bad_cap[] = {{0, 0, 5, -1}};
	struct matching_flow_input cases[] = {
		{1, 1, nq, rq, out_of_range, 1}, {1, 1, nq, rq, bad_score, 1},
		{1, 1, nq, rq, bad_cap, 1},      {1, 1, neg, rq, NULL, 0},
		{1, 1, nq, huge, NULL, 0},
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct matching_allocation a;
		assert_int_equal(matching_allocate(&cases[i], &a), -1);
		assert_null(a.flow);
	}
}

static void test_edge_score_scaling(void **state)
{
	(void)state;
	assert_int_equal(matching_edge_score(0.12345), 1235);
	assert_int_equal(matching_edge_score(1.5), MATCHING_SCORE_SCALE);
	assert_int_equal(matching_edge_score(-0.2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_edges_allocates_nothing),
		cmocka_unit_test(test_empty_instance_is_fine),
		cmocka_unit_test(test_zero_quantities_carry_nothing),
		cmocka_unit_test(test_a_need_is_covered_by_several_resources),
		cmocka_unit_test(test_negative_and_zero_gain_edges_stay_unused),
		cmocka_unit_test(test_the_optimum_is_not_the_greedy_choice),
		cmocka_unit_test(test_parallel_edges_and_capacity_limits),
		cmocka_unit_test(test_random_instances_match_the_reference),
		cmocka_unit_test(test_contested_instances_are_repaired_exactly),
		cmocka_unit_test(test_a_repair_over_budget_falls_back_to_the_phases),
		cmocka_unit_test(test_a_large_part_is_solved_exactly),
		cmocka_unit_test(test_independent_parts_are_solved_apart_exactly),
		cmocka_unit_test(test_fixed_arcs_made_live_again_keep_the_optimum),
		cmocka_unit_test(test_the_optimality_check_sees_a_worse_allocation),
		cmocka_unit_test(test_tiny_costs_run_one_phase_without_early_stop),
		cmocka_unit_test(test_invalid_input_is_refused),
		cmocka_unit_test(test_edge_score_scaling),
	};
	return cmocka_run_group_tests_name("matching_flow", tests, NULL, NULL);
}
