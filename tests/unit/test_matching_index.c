/* Unit tests for candidate generation (src/matching/index.c): the index finds what a scan of
 * all pairs would find on a small district, never offers a pair that fails a hard condition,
 * and works from either side. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "matching/matching.h"

#define N_ITEMS 300
#define MANY_NEEDS 1100 /* more than one block of a global run's threads (512) */

/* The fields and tokens the items point to: resources first, needs after them. */
static uint16_t fields[N_ITEMS + MANY_NEEDS][2];
static uint32_t tokens[N_ITEMS + MANY_NEEDS][4];

/* A small district: 3 streets x 4 communities, volunteers / expertise / training / funds. Items
 * made with a salt of 0 are resources and use the first N_ITEMS rows of storage, the others
 * (needs) the rows after them. */
static void make_items(struct matching_item *items, size_t n, unsigned salt)
{
	uint16_t(*fields_of)[2] = salt ? fields + N_ITEMS : fields;
	uint32_t(*tokens_of)[4] = salt ? tokens + N_ITEMS : tokens;
	static const enum matching_category cats[] = {MATCHING_VOLUNTEERS, MATCHING_EXPERTISE,
						      MATCHING_TRAINING, MATCHING_FUNDS};
	for (size_t i = 0; i < n; i++) {
		unsigned h = (unsigned)(i * 2654435761u) ^ salt;
		enum matching_category c = cats[h % 4];
		fields_of[i][0] = (uint16_t)(1 + h % 5);
		fields_of[i][1] = (uint16_t)(6 + (h >> 4) % 5);
		for (int t = 0; t < 4; t++)
			tokens_of[i][t] = (uint32_t)(t * 50 + (h >> (t + 3)) % 50);
		items[i] = (struct matching_item){
			.id = (int64_t)i, .org_id = (int64_t)(h % 40), .org_type = h % 3,
			.grade = (int)(h % 6), .category = c, .fields = fields_of[i], .n_fields = 2,
			.tokens = tokens_of[i], .n_tokens = 4,
			.community = 110105000000LL + (1 + h % 3) * 1000 + (1 + (h >> 8) % 4),
			.lat = NAN, .lon = NAN, .quantity = 1 + h % 20,
			.unit = c == MATCHING_FUNDS ? MATCHING_YUAN
				: c == MATCHING_VOLUNTEERS ? MATCHING_PEOPLE : MATCHING_HOURS,
			.min_grade = h % 7 == 0 ? 3 : 0,
		};
	}
}

static void test_suggestions_equal_the_brute_force_top_k(void **state)
{
	(void)state;
	static struct matching_item res[N_ITEMS], needs[20];
	make_items(res, N_ITEMS, 0);
	make_items(needs, 20, 0x5bd1e995u);
	struct matching_weights w;
	matching_weights_default(&w);
	struct matching_index *ix = matching_index_build(res, N_ITEMS, MATCHING_SIDE_RESOURCES);
	assert_non_null(ix);
	for (size_t q = 0; q < 20; q++) {
		struct matching_suggestion top[5];
		int n = matching_suggest(ix, &needs[q], &w, 5, 0, top);
		/* brute force: every pair scored */
		double best[5] = {-1, -1, -1, -1, -1};
		int eligible = 0;
		for (size_t r = 0; r < N_ITEMS; r++) {
			struct matching_score s;
			if (!matching_score_pair(&needs[q], &res[r], &w, matching_index_idf(ix), &s))
				continue;
			eligible++;
			for (int k = 0; k < 5; k++)
				if (s.total > best[k]) {
					memmove(best + k + 1, best + k, (size_t)(4 - k) * sizeof *best);
					best[k] = s.total;
					break;
				}
		}
		assert_int_equal(n, eligible < 5 ? eligible : 5);
		for (int k = 0; k < n; k++) {
			assert_true(fabs(top[k].score.total - best[k]) < 1e-12);
			assert_null(top[k].score.reject);
			assert_true(res[top[k].item].org_id != needs[q].org_id);
		}
	}
	matching_index_free(ix);
}

static void test_an_index_of_needs_serves_a_resource(void **state)
{
	(void)state;
	static struct matching_item needs[N_ITEMS];
	make_items(needs, N_ITEMS, 7);
	struct matching_item offer = needs[0];
	offer.org_id = 999; /* not one of the needs' organizations */
	offer.category = MATCHING_TRAINING; /* serves training and expertise needs */
	offer.unit = MATCHING_HOURS;
	offer.quantity = 100;
	offer.min_grade = 0;
	struct matching_weights w;
	matching_weights_default(&w);
	struct matching_index *ix = matching_index_build(needs, N_ITEMS, MATCHING_SIDE_NEEDS);
	struct matching_suggestion top[10];
	int n = matching_suggest(ix, &offer, &w, 10, 0, top);
	assert_true(n > 0);
	for (int k = 0; k < n; k++) {
		enum matching_category c = needs[top[k].item].category;
		assert_true(c == MATCHING_TRAINING || c == MATCHING_EXPERTISE);
		if (k > 0)
			assert_true(top[k - 1].score.total >= top[k].score.total);
	}
	matching_index_free(ix);
}

static void test_candidate_graph_feeds_the_allocation(void **state)
{
	(void)state;
	static struct matching_item res[N_ITEMS], needs[50];
	make_items(res, N_ITEMS, 0);
	make_items(needs, 50, 99);
	struct matching_weights w;
	matching_weights_default(&w);
	struct matching_index *ix = matching_index_build(res, N_ITEMS, MATCHING_SIDE_RESOURCES);
	struct matching_edge *edges;
	size_t ne;
	assert_int_equal(matching_candidates(ix, needs, 50, &w, 4, &edges, &ne), 0);
	assert_true(ne > 0 && ne <= 200);
	int64_t nq[50], rq[N_ITEMS];
	for (size_t i = 0; i < 50; i++)
		nq[i] = needs[i].quantity;
	for (size_t j = 0; j < N_ITEMS; j++)
		rq[j] = res[j].quantity;
	for (size_t e = 0; e < ne; e++) {
		assert_true(edges[e].score > 0 && edges[e].score <= MATCHING_SCORE_SCALE);
		assert_true(edges[e].capacity <= nq[edges[e].need]);
	}
	struct matching_flow_input in = {50, N_ITEMS, nq, rq, edges, ne};
	struct matching_allocation a;
	assert_int_equal(matching_allocate(&in, &a), 0);
	assert_true(a.total_score > 0);
	matching_allocation_free(&a);
	free(edges);
	matching_index_free(ix);
}

/* A global run's candidates, computed by two threads in blocks, are exactly each need's own
 * suggestions (same budget), in need order. */
static void test_candidates_are_each_need_s_suggestions_in_order(void **state)
{
	(void)state;
	static struct matching_item res[N_ITEMS], needs[MANY_NEEDS];
	make_items(res, N_ITEMS, 0);
	make_items(needs, MANY_NEEDS, 31);
	struct matching_weights w;
	matching_weights_default(&w);
	struct matching_index *ix = matching_index_build(res, N_ITEMS, MATCHING_SIDE_RESOURCES);
	struct matching_edge *edges;
	size_t ne, at = 0;
	assert_int_equal(matching_candidates(ix, needs, MANY_NEEDS, &w, 3, &edges, &ne), 0);
	for (size_t i = 0; i < MANY_NEEDS; i++) {
		struct matching_suggestion top[3];
		int n = matching_suggest(ix, &needs[i], &w, 3, MATCHING_CANDIDATE_BUDGET, top);
		for (int k = 0; k < n; k++, at++) {
			assert_true(at < ne);
			assert_int_equal(edges[at].need, i);
			assert_int_equal(edges[at].resource, top[k].item);
			assert_int_equal(edges[at].score, matching_edge_score(top[k].score.total));
		}
	}
	assert_int_equal(at, ne);
	free(edges);
	matching_index_free(ix);
}

/* A small budget is spent on partners that can be suggested: among many funds and volunteer
 * resources (other units; their lists are read first) that share the need's street and fields,
 * the few expertise resources counted in hours, like the need, are all found. */
static void test_a_small_budget_is_spent_on_the_need_s_unit(void **state)
{
	(void)state;
	static struct matching_item res[N_ITEMS];
	static const enum matching_category other[] = {MATCHING_FUNDS, MATCHING_VOLUNTEERS};
	static const enum matching_unit other_unit[] = {MATCHING_YUAN, MATCHING_PEOPLE};
	make_items(res, N_ITEMS, 0);
	for (size_t i = 0; i < N_ITEMS; i++) {
		int hours = i >= N_ITEMS - 10;
		res[i].community = 110105001001LL, res[i].min_grade = 0, res[i].eligible_org_types = 0;
		res[i].org_id = (int64_t)i + 1, res[i].fields = fields[0];
		res[i].category = hours ? MATCHING_EXPERTISE : other[i % 2];
		res[i].unit = hours ? MATCHING_HOURS : other_unit[i % 2];
	}
	struct matching_item need = res[0];
	need.org_id = 0, need.category = MATCHING_EXPERTISE, need.unit = MATCHING_HOURS;
	struct matching_weights w;
	matching_weights_default(&w);
	struct matching_index *ix = matching_index_build(res, N_ITEMS, MATCHING_SIDE_RESOURCES);
	struct matching_suggestion top[20];
	int n = matching_suggest(ix, &need, &w, 20, 20, top);
	assert_int_equal(n, 10);
	for (int k = 0; k < n; k++)
		assert_true(top[k].item >= N_ITEMS - 10);
	matching_index_free(ix);
}

static void test_empty_index(void **state)
{
	(void)state;
	struct matching_index *ix = matching_index_build(NULL, 0, MATCHING_SIDE_RESOURCES);
	assert_non_null(ix);
	struct matching_item q = {.lat = NAN, .lon = NAN, .quantity = 1};
	struct matching_weights w;
	struct matching_suggestion top[3];
	matching_weights_default(&w);
	assert_int_equal(matching_suggest(ix, &q, &w, 3, 0, top), 0);
	matching_index_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suggestions_equal_the_brute_force_top_k),
		cmocka_unit_test(test_an_index_of_needs_serves_a_resource),
		cmocka_unit_test(test_candidate_graph_feeds_the_allocation),
		cmocka_unit_test(test_candidates_are_each_need_s_suggestions_in_order),
		cmocka_unit_test(test_a_small_budget_is_spent_on_the_need_s_unit),
		cmocka_unit_test(test_empty_index),
	};
	return cmocka_run_group_tests_name("matching_index", tests, NULL, NULL);
}
