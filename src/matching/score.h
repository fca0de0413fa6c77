/*
 * score.h — the score of a (need, resource) pair, built from explainable parts.
 *
 * A pair first passes the hard conditions (different organizations, compatible categories, the
 * same unit, each side's eligible organization types and minimum grade, quantity left on both
 * sides); a pair that fails one is not a candidate, and the failed condition is named by a
 * message key ("matching.reject.*"). Otherwise each part gives a value in [0, 1] with a reason
 * (a message key and up to two integer arguments), the weighted sum of the parts is multiplied
 * by the fairness factor 1 / (1 + k * matches the need's organization already received):
 *
 *   total = fairness * sum_p weight[p] * value[p]          (weights sum to 1 by default)
 *
 * so the UI can show "领域重合 0.67 × 权重 0.20 = 0.13" for every part (matching_part_explain).
 *
 * Pure functions over caller-owned structs; no allocation, no globals but const tables; safe
 * from any thread.
 */
#ifndef TONGXIN_MATCHING_SCORE_H
#define TONGXIN_MATCHING_SCORE_H

#include <stddef.h>
#include <stdint.h>
#include "core/msg.h"
#include "lib/mem.h"

enum matching_category {
	MATCHING_FUNDS,
	MATCHING_MATERIALS,
	MATCHING_VENUE,
	MATCHING_VOLUNTEERS,
	MATCHING_EXPERTISE,
	MATCHING_INFORMATION,
	MATCHING_TRAINING,
	MATCHING_EQUIPMENT,
	MATCHING_OTHER,
	MATCHING_CATEGORY__MAX
};

enum matching_unit {
	MATCHING_YUAN,
	MATCHING_PEOPLE,
	MATCHING_HOURS,
	MATCHING_SQUARE_METRES,
	MATCHING_ITEMS,
	MATCHING_UNIT__MAX
};

/* Stable names for storage and the API ("funds", "materials", ...; "yuan", "people", ...);
 * _from_name returns -1 for an unknown name. */
const char *matching_category_name(enum matching_category c);
int matching_category_from_name(const char *name);
const char *matching_unit_name(enum matching_unit u);
int matching_unit_from_name(const char *name);

/*
 * How well a resource of category r serves a need of category n, in [0, 1]; 0 = incompatible
 * (a hard condition). Indexed [need][resource]. E.g. volunteers <- volunteers 1.0,
 * expertise <- training 0.5, equipment <- materials 0.6.
 */
extern const double matching_category_compat[MATCHING_CATEGORY__MAX][MATCHING_CATEGORY__MAX];

/*
 * One need or one resource, as the engine sees it. The arrays are borrowed (the caller keeps
 * them alive while the item is used, e.g. for the life of an index).
 */
struct matching_item {
	int64_t id;     /* the list row's id (the engine never interprets it) */
	int64_t org_id; /* the posting organization */
	uint32_t org_type; /* 0..31, the organization's type: a bit of eligible_org_types */
	int grade;         /* the organization's grade 0 (none) .. 5 (5A) */
	enum matching_category category;
	const uint16_t *fields; /* field-of-work codes, ascending, distinct */
	size_t n_fields;
	const uint32_t *tokens; /* text token ids, ascending; a repeated id = term frequency */
	size_t n_tokens;
	int64_t community; /* 12-digit division code as a number (street = /1000, district =
	                      /1000000); 0 when unknown */
	double lat, lon;   /* degrees (WGS-84); NAN when unknown */
	int64_t window_start, window_end; /* Unix seconds; both 0 = any time */
	int64_t quantity;  /* remaining quantity, in `unit` */
	enum matching_unit unit;
	/* conditions this item sets on the OTHER side of a pair */
	uint32_t eligible_org_types; /* bit mask of org_type values; 0 = any */
	int min_grade;               /* 0 = any */
	/* the posting organization's record */
	uint32_t trust_count;      /* fulfilled dockings with a rating */
	double trust_mean;         /* their mean rating, 1..5 */
	uint32_t matches_received; /* dockings it already received (fairness) */
};

enum matching_part {
	MATCHING_PART_CATEGORY,
	MATCHING_PART_FIELDS,
	MATCHING_PART_TEXT,
	MATCHING_PART_PROXIMITY,
	MATCHING_PART_TIME,
	MATCHING_PART_QUANTITY,
	MATCHING_PART_TRUST,
	MATCHING_PART__MAX
};

/* The weights staff may change (stored later); matching_weights_default() fills the defaults. */
struct matching_weights {
	double part[MATCHING_PART__MAX]; /* >= 0; the defaults sum to 1 */
	double fairness_k;        /* fairness factor 1 / (1 + k * matches_received); default 0.1 */
	double trust_prior_count; /* smoothing: pseudo-dockings at the prior mean; default 2 */
	double trust_prior_mean;  /* default 3 (of 5) */
	double distance_scale_km; /* proximity exp(-d / scale) with coordinates; default 3 */
};
void matching_weights_default(struct matching_weights *w);

/* Document frequencies for the text part: df[token id] = number of items holding the token,
 * among n_docs items. Tokens at or beyond n_terms count as df 0. `weight` (optional, n_terms
 * entries) holds each token's idf precomputed, log((1 + n_docs) / (1 + df)) + 1: a global run
 * scores millions of pairs, and a log per token per pair was most of their cost. */
struct matching_idf {
	const uint32_t *df;
	size_t n_terms;
	uint32_t n_docs;
	const double *weight; /* NULL: computed from df on the fly */
};

/* The length of x's TF-IDF vector (what the text part divides by). An index computes it once
 * per item; see matching_score_pair_normed(). */
double matching_tfidf_norm(const struct matching_item *x, const struct matching_idf *idf);

struct matching_part_score {
	double value;        /* [0, 1] */
	double weight;       /* from the weights */
	double contribution; /* value * weight */
	const char *reason;  /* message key, e.g. "matching.reason.fields_shared" */
	long long arg[2];    /* its arguments ({n} is arg[0]; see matching_part_explain) */
};

struct matching_score {
	const char *reject; /* NULL when the pair is a candidate; else the failed condition's key */
	struct matching_part_score part[MATCHING_PART__MAX];
	double fairness; /* the factor applied to the sum */
	double total;    /* fairness * sum of contributions */
};

/*
 * Scores the pair (need, resource) with weights w and document frequencies idf (NULL: every
 * token weighs the same). Returns 1 and fills *out when the pair passes the hard conditions;
 * returns 0 with out->reject set (and total 0) when it does not.
 */
int matching_score_pair(const struct matching_item *need, const struct matching_item *resource,
			const struct matching_weights *w, const struct matching_idf *idf,
			struct matching_score *out);

/* One item's tokens made ready to be the query of many pairs: a 1,024-bit filter of its token
 * ids (the item is borrowed: keep it alive and unchanged while the set is used). */
struct matching_token_set {
	uint64_t filter[16];
	const struct matching_item *item;
};
void matching_token_set_init(struct matching_token_set *set, const struct matching_item *item);

/*
 * The same for a query that scores hundreds of candidates against one item: the two items'
 * TF-IDF norms are given (matching_tfidf_norm with the same idf; a negative norm is computed
 * here), and `floor` is the total below which the caller has no use for the pair (its k-th best
 * so far; -INFINITY for none). Returns 1 (scored) or 0 (rejected) as matching_score_pair, or -1
 * when even a perfect text part (and, checked first, a perfect proximity) would leave the total
 * below floor: then out->total is that upper bound and the parts after it are not computed.
 * query_tokens (or NULL) is the set of the need or the resource: the query of many pairs.
 */
int matching_score_pair_normed(const struct matching_item *need,
			       const struct matching_item *resource,
			       const struct matching_weights *w, const struct matching_idf *idf,
			       double need_norm, double resource_norm, double floor,
			       const struct matching_token_set *query_tokens,
			       struct matching_score *out);

/* The message key of a part's name ("matching.part.fields" -> "领域重合" / "Field overlap"). */
const char *matching_part_key(enum matching_part p);

/*
 * Appends one part's line in `lang`, e.g. "领域重合 0.67 × 权重 0.20 = 0.13（2 个共同领域）" or
 * "Field overlap 0.67 × weight 0.20 = 0.13 (2 shared fields)".
 */
void matching_part_explain(struct buf *out, const struct matching_score *s, enum matching_part p,
			   enum lang lang);

/* Appends every part's line (one per line), then the fairness factor and the total. */
void matching_score_explain(struct buf *out, const struct matching_score *s, enum lang lang);

/* Great-circle distance in km between two WGS-84 points (haversine, mean Earth radius). */
double matching_distance_km(double lat1, double lon1, double lat2, double lon2);

#endif
