/* Unit tests for the pair score (src/matching/score.c): each part, the hard conditions, and the
 * explanation a user reads in Chinese and English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "matching/score.h"

static const uint16_t fields_a[] = {3, 7, 9}, fields_b[] = {7, 9};
static const uint32_t tokens_a[] = {1, 2, 2, 5}, tokens_b[] = {2, 5, 8};

/* A volunteers need of organization 1 in community 110105001001, 10 people. */
static struct matching_item need_item(void)
{
	return (struct matching_item){
		.id = 1, .org_id = 1, .org_type = 2, .grade = 3, .category = MATCHING_VOLUNTEERS,
		.fields = fields_a, .n_fields = 3, .tokens = tokens_a, .n_tokens = 4,
		.community = 110105001001LL, .lat = NAN, .lon = NAN, .window_start = 1000,
		.window_end = 2000, .quantity = 10, .unit = MATCHING_PEOPLE,
	};
}

static struct matching_item resource_item(void)
{
	return (struct matching_item){
		.id = 2, .org_id = 2, .org_type = 1, .grade = 4, .category = MATCHING_VOLUNTEERS,
		.fields = fields_b, .n_fields = 2, .tokens = tokens_b, .n_tokens = 3,
		.community = 110105001001LL, .lat = NAN, .lon = NAN, .window_start = 1500,
		.window_end = 3000, .quantity = 4, .unit = MATCHING_PEOPLE, .trust_count = 0,
	};
}

static struct matching_score score(const struct matching_item *n, const struct matching_item *r)
{
	struct matching_weights w;
	struct matching_score s;
	matching_weights_default(&w);
	matching_score_pair(n, r, &w, NULL, &s);
	return s;
}

static void test_parts_of_a_good_pair(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	struct matching_score s = score(&n, &r);
	assert_null(s.reject);
	assert_true(fabs(s.part[MATCHING_PART_CATEGORY].value - 1.0) < 1e-9);
	assert_true(fabs(s.part[MATCHING_PART_FIELDS].value - 2.0 / 3.0) < 1e-9); /* {7,9}/{3,7,9} */
	assert_int_equal(s.part[MATCHING_PART_FIELDS].arg[0], 2);
	assert_true(fabs(s.part[MATCHING_PART_PROXIMITY].value - 1.0) < 1e-9);
	assert_string_equal(s.part[MATCHING_PART_PROXIMITY].reason, "matching.reason.same_community");
	assert_true(fabs(s.part[MATCHING_PART_TIME].value - 0.5) < 1e-9); /* 1500..2000 of 1000..2000 */
	assert_true(fabs(s.part[MATCHING_PART_QUANTITY].value - 0.4) < 1e-9); /* 4 of 10 people */
	assert_true(fabs(s.part[MATCHING_PART_TRUST].value - 0.5) < 1e-9); /* no record: prior 3/5 */
	double sum = 0;
	for (int p = 0; p < MATCHING_PART__MAX; p++)
		sum += s.part[p].contribution;
	assert_true(fabs(s.total - sum) < 1e-12); /* fairness 1: nothing received yet */
}

static void test_text_similarity_is_a_tfidf_cosine(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	struct matching_score s = score(&n, &r);
	/* tf vectors (idf 1): need {1:1, 2:2, 5:1}, resource {2:1, 5:1, 8:1} -> 3 / (sqrt6 sqrt3) */
	assert_true(fabs(s.part[MATCHING_PART_TEXT].value - 3.0 / sqrt(18.0)) < 1e-9);
	assert_int_equal(s.part[MATCHING_PART_TEXT].arg[0], 2);
	/* a rare shared token weighs more than a common one */
	uint32_t df[9] = {0, 1, 90, 0, 0, 90, 0, 0, 1};
	struct matching_idf idf = {df, 9, 100};
	struct matching_weights w;
	struct matching_score s2;
	matching_weights_default(&w);
	matching_score_pair(&n, &r, &w, &idf, &s2);
	assert_true(s2.part[MATCHING_PART_TEXT].value < s.part[MATCHING_PART_TEXT].value);
}

/* A query's shortcuts: precomputed idf weights and norms give the same total to the last bit,
 * and a floor above the best possible total skips the text part but reports a true bound. */
static void test_precomputed_idf_norms_and_floor(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	uint32_t df[9] = {0, 1, 90, 0, 0, 90, 0, 0, 1};
	double weight[9];
	for (int t = 0; t < 9; t++)
		weight[t] = log(101.0 / (1.0 + df[t])) + 1.0;
	struct matching_idf plain = {df, 9, 100}, pre = {df, 9, 100, weight};
	struct matching_weights w;
	matching_weights_default(&w);
	struct matching_score a, b, c;
	assert_int_equal(matching_score_pair(&n, &r, &w, &plain, &a), 1);
	assert_int_equal(matching_score_pair_normed(&n, &r, &w, &pre, matching_tfidf_norm(&n, &pre),
						    matching_tfidf_norm(&r, &pre), a.total, NULL, &b),
			 1); /* a floor equal to the total still scores the pair */
	assert_true(a.total == b.total);
	assert_true(a.part[MATCHING_PART_TEXT].value > 0);
	assert_int_equal(matching_score_pair_normed(&n, &r, &w, &pre, -1, -1, a.total + 0.5, NULL, &c),
			 -1);
	assert_true(c.total >= a.total);
	/* a rejected pair is rejected whatever the floor */
	r.org_id = n.org_id;
	assert_int_equal(matching_score_pair_normed(&n, &r, &w, &pre, -1, -1, 10, NULL, &c), 0);
	assert_non_null(c.reject);
}

/* The text part found through a query's token filter (either item as the query) equals the
 * merge's to the last bit, on token lists with repeats, ids far apart (filter collisions:
 * 5 and 1029 share a filter bit) and no overlap at all. */
static void test_token_filter_gives_the_merge_s_bits(void **state)
{
	(void)state;
	static const uint32_t lists[][8] = {
		{1, 1, 5, 9, 1029, 1029, 70000, 70001}, {1, 5, 5, 5, 1029, 2000, 70001, 90000},
		{2, 3, 4, 6, 7, 8, 10, 11},             {5, 1029, 2053, 3077, 4101, 5125, 6149, 7173},
	};
	uint32_t df[90001];
	double weight[90001];
	for (uint32_t t = 0; t <= 90000; t++)
		df[t] = 1 + t % 7, weight[t] = log(101.0 / (1.0 + df[t])) + 1.0;
	struct matching_idf idf = {df, 90001, 100, weight};
	struct matching_weights w;
	matching_weights_default(&w);
	for (size_t a = 0; a < 4; a++)
		for (size_t b = 0; b < 4; b++) {
			struct matching_item n = need_item(), r = resource_item();
			n.tokens = lists[a], n.n_tokens = 8, r.tokens = lists[b], r.n_tokens = 8;
			struct matching_token_set sn, sr;
			matching_token_set_init(&sn, &n);
			matching_token_set_init(&sr, &r);
			struct matching_score merge, by_need, by_resource;
			double nn = matching_tfidf_norm(&n, &idf), rn = matching_tfidf_norm(&r, &idf);
			assert_int_equal(matching_score_pair(&n, &r, &w, &idf, &merge), 1);
			matching_score_pair_normed(&n, &r, &w, &idf, nn, rn, -INFINITY, &sn, &by_need);
			matching_score_pair_normed(&n, &r, &w, &idf, nn, rn, -INFINITY, &sr, &by_resource);
			assert_true(merge.part[MATCHING_PART_TEXT].value ==
				    by_need.part[MATCHING_PART_TEXT].value);
			assert_true(merge.part[MATCHING_PART_TEXT].value ==
				    by_resource.part[MATCHING_PART_TEXT].value);
			assert_int_equal(merge.part[MATCHING_PART_TEXT].arg[0],
					 by_need.part[MATCHING_PART_TEXT].arg[0]);
			assert_true(merge.total == by_need.total && merge.total == by_resource.total);
		}
}

static void test_proximity_steps_and_distance_decay(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	r.community = 110105001002LL;
	assert_string_equal(score(&n, &r).part[MATCHING_PART_PROXIMITY].reason,
			    "matching.reason.same_street");
	r.community = 110105002001LL;
	assert_string_equal(score(&n, &r).part[MATCHING_PART_PROXIMITY].reason,
			    "matching.reason.same_district");
	r.community = 110106002001LL;
	assert_true(score(&n, &r).part[MATCHING_PART_PROXIMITY].value == 0);
	n.lat = 39.9, n.lon = 116.4, r.lat = 39.9, r.lon = 116.4 + 3 / 85.39; /* ~3 km east */
	struct matching_score s = score(&n, &r);
	assert_string_equal(s.part[MATCHING_PART_PROXIMITY].reason, "matching.reason.distance");
	assert_true(llabs(s.part[MATCHING_PART_PROXIMITY].arg[0] - 3000) < 30);
	assert_true(fabs(s.part[MATCHING_PART_PROXIMITY].value - exp(-1)) < 0.01);
}

static void test_haversine_distance(void **state)
{
	(void)state;
	/* Beijing (Tiananmen) to Shanghai (People's Square): about 1067 km */
	double km = matching_distance_km(39.9087, 116.3975, 31.2304, 121.4737);
	assert_true(km > 1060 && km < 1075);
	assert_true(matching_distance_km(10, 20, 10, 20) == 0);
}

static void test_fairness_lowers_the_total(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	double before = score(&n, &r).total;
	n.matches_received = 10; /* k = 0.1: factor 1/2 */
	struct matching_score s = score(&n, &r);
	assert_true(fabs(s.fairness - 0.5) < 1e-12);
	assert_true(fabs(s.total - before / 2) < 1e-12);
}

static void test_trust_is_smoothed(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	r.trust_count = 1, r.trust_mean = 5; /* (5 + 2*3) / 3 = 3.67 -> 0.667 */
	assert_true(fabs(score(&n, &r).part[MATCHING_PART_TRUST].value - (11.0 / 3 - 1) / 4) < 1e-9);
	r.trust_count = 100;
	assert_true(score(&n, &r).part[MATCHING_PART_TRUST].value > 0.95);
}

static void test_related_category_scores_in_part(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	n.category = MATCHING_EXPERTISE, r.category = MATCHING_TRAINING;
	n.unit = r.unit = MATCHING_HOURS;
	struct matching_score s = score(&n, &r);
	assert_null(s.reject);
	assert_true(fabs(s.part[MATCHING_PART_CATEGORY].value - 0.5) < 1e-9);
	assert_string_equal(s.part[MATCHING_PART_CATEGORY].reason, "matching.reason.category_related");
}

static void test_hard_conditions_filter(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	r.org_id = n.org_id;
	assert_string_equal(score(&n, &r).reject, "matching.reject.same_org");
	r = resource_item(), r.category = MATCHING_FUNDS;
	assert_string_equal(score(&n, &r).reject, "matching.reject.category");
	r = resource_item(), r.unit = MATCHING_HOURS;
	assert_string_equal(score(&n, &r).reject, "matching.reject.unit");
	r = resource_item(), r.eligible_org_types = 1u << 5; /* the need's org type is 2 */
	assert_string_equal(score(&n, &r).reject, "matching.reject.org_type");
	r.eligible_org_types = (1u << 5) | (1u << 2);
	assert_null(score(&n, &r).reject);
	r = resource_item(), r.min_grade = 4; /* the need's organization is 3A */
	assert_string_equal(score(&n, &r).reject, "matching.reject.grade");
	r = resource_item(), n.min_grade = 5; /* the need asks for a 5A provider */
	assert_string_equal(score(&n, &r).reject, "matching.reject.grade");
	n = need_item(), r.quantity = 0;
	struct matching_score s = score(&n, &r);
	assert_string_equal(s.reject, "matching.reject.no_quantity");
	assert_true(s.total == 0);
}

static void test_explanation_in_both_languages(void **state)
{
	(void)state;
	struct matching_item n = need_item(), r = resource_item();
	struct matching_score s = score(&n, &r);
	struct buf zh = {0}, en = {0};
	matching_part_explain(&zh, &s, MATCHING_PART_FIELDS, LANG_ZH);
	matching_part_explain(&en, &s, MATCHING_PART_FIELDS, LANG_EN);
	assert_string_equal(zh.data, "领域重合 0.67 × 权重 0.20 = 0.13（2 个共同领域，共 3 个）");
	assert_string_equal(en.data, "Field overlap 0.67 × weight 0.20 = 0.13 (2 shared of 3 fields)");
	buf_reset(&zh);
	matching_score_explain(&zh, &s, LANG_ZH);
	assert_non_null(strstr(zh.data, "同一社区"));
	assert_non_null(strstr(zh.data, "总分"));
	r.org_id = n.org_id;
	s = score(&n, &r);
	buf_reset(&en);
	matching_score_explain(&en, &s, LANG_EN);
	assert_string_equal(en.data, "An organization cannot dock with itself\n");
	buf_free(&zh);
	buf_free(&en);
}

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int c = 0; c < MATCHING_CATEGORY__MAX; c++)
		assert_int_equal(matching_category_from_name(matching_category_name(c)), c);
	for (int u = 0; u < MATCHING_UNIT__MAX; u++)
		assert_int_equal(matching_unit_from_name(matching_unit_name(u)), u);
	assert_int_equal(matching_category_from_name("money"), -1);
	assert_int_equal(matching_category_from_name(NULL), -1);
	for (int p = 0; p < MATCHING_PART__MAX; p++)
		assert_non_null(msg_text(matching_part_key(p), LANG_EN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_of_a_good_pair),
		cmocka_unit_test(test_text_similarity_is_a_tfidf_cosine),
		cmocka_unit_test(test_precomputed_idf_norms_and_floor),
		cmocka_unit_test(test_proximity_steps_and_distance_decay),
		cmocka_unit_test(test_haversine_distance),
		cmocka_unit_test(test_fairness_lowers_the_total),
		cmocka_unit_test(test_trust_is_smoothed),
		cmocka_unit_test(test_related_category_scores_in_part),
		cmocka_unit_test(test_hard_conditions_filter),
		cmocka_unit_test(test_token_filter_gives_the_merge_s_bits),
		cmocka_unit_test(test_explanation_in_both_languages),
		cmocka_unit_test(test_names_round_trip),
	};
	return cmocka_run_group_tests_name("matching_score", tests, NULL, NULL);
}
