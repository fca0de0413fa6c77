/* Unit tests for the global allocation (src/matching/flow.c): tiny instances whose optimum is
 * known by hand, the edge cases, and invalid input. The random instances against networkx are
 * in tests/matching/check_optimal.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
		cmocka_unit_test(test_invalid_input_is_refused),
		cmocka_unit_test(test_edge_score_scaling),
	};
	return cmocka_run_group_tests_name("matching_flow", tests, NULL, NULL);
}
