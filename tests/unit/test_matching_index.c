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

static uint16_t fields[N_ITEMS][2];
static uint32_t tokens[N_ITEMS][4];

/* A small district: 3 streets x 4 communities, volunteers / expertise / training / funds. */
static void make_items(struct matching_item *items, size_t n, unsigned salt)
{
	static const enum matching_category cats[] = {MATCHING_VOLUNTEERS, MATCHING_EXPERTISE,
						      MATCHING_TRAINING, MATCHING_FUNDS};
	for (size_t i = 0; i < n; i++) {
		unsigned h = (unsigned)(i * 2654435761u) ^ salt;
		enum matching_category c = cats[h % 4];
		fields[i][0] = (uint16_t)(1 + h % 5);
		fields[i][1] = (uint16_t)(6 + (h >> 4) % 5);
		for (int t = 0; t < 4; t++)
			tokens[i][t] = (uint32_t)(t * 50 + (h >> (t + 3)) % 50);
		items[i] = (struct matching_item){
			.id = (int64_t)i, .org_id = (int64_t)(h % 40), .org_type = h % 3,
			.grade = (int)(h % 6), .category = c, .fields = fields[i], .n_fields = 2,
			.tokens = tokens[i], .n_tokens = 4,
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
		cmocka_unit_test(test_empty_index),
	};
	return cmocka_run_group_tests_name("matching_index", tests, NULL, NULL);
}
