/*
 * score.c — the parts of a pair's score, the hard conditions, and their explanation in Chinese
 * and English (see score.h). The texts live in matching_messages.c.
 */
#include <math.h>
#include <string.h>
#include "matching/score.h"

/* ---- names and tables ----------------------------------------------------------------------- */

static const char *const category_names[MATCHING_CATEGORY__MAX] = {
	"funds", "materials", "venue", "volunteers", "expertise",
	"information", "training", "equipment", "other",
};

static const char *const unit_names[MATCHING_UNIT__MAX] = {
	"yuan", "people", "hours", "square_metres", "items",
};

static const char *const part_keys[MATCHING_PART__MAX] = {
	"matching.part.category", "matching.part.fields",   "matching.part.text",
	"matching.part.proximity", "matching.part.time",    "matching.part.quantity",
	"matching.part.trust",
};

/* [need][resource]. Why these numbers: the diagonal is a perfect fit; a neighbour category
 * serves in part (training can stand in for expertise, an expert can train, materials and
 * equipment overlap, volunteers can carry some expertise); funds buy most things but nothing
 * but funds answers a funds need; "other" meets everything weakly. Staff may tune them later. */
const double matching_category_compat[MATCHING_CATEGORY__MAX][MATCHING_CATEGORY__MAX] = {
	/*                 funds mater venue volun exper infor train equip other */
	[MATCHING_FUNDS] = {1.0, 0, 0, 0, 0, 0, 0, 0, 0.3},
	[MATCHING_MATERIALS] = {0.4, 1.0, 0, 0, 0, 0, 0, 0.6, 0.3},
	[MATCHING_VENUE] = {0.3, 0, 1.0, 0, 0, 0, 0, 0, 0.3},
	[MATCHING_VOLUNTEERS] = {0, 0, 0, 1.0, 0.4, 0, 0, 0, 0.3},
	[MATCHING_EXPERTISE] = {0.2, 0, 0, 0.3, 1.0, 0.3, 0.5, 0, 0.3},
	[MATCHING_INFORMATION] = {0, 0, 0, 0, 0.4, 1.0, 0.3, 0, 0.3},
	[MATCHING_TRAINING] = {0.3, 0, 0, 0, 0.7, 0.3, 1.0, 0, 0.3},
	[MATCHING_EQUIPMENT] = {0.4, 0.5, 0, 0, 0, 0, 0, 1.0, 0.3},
	[MATCHING_OTHER] = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 1.0},
};

const char *matching_category_name(enum matching_category c)
{
	return (unsigned)c < MATCHING_CATEGORY__MAX ? category_names[c] : NULL;
}

const char *matching_unit_name(enum matching_unit u)
{
	return (unsigned)u < MATCHING_UNIT__MAX ? unit_names[u] : NULL;
}

static int name_index(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int matching_category_from_name(const char *name)
{
	return name_index(category_names, MATCHING_CATEGORY__MAX, name);
}

int matching_unit_from_name(const char *name)
{
	return name_index(unit_names, MATCHING_UNIT__MAX, name);
}

const char *matching_part_key(enum matching_part p)
{
	return (unsigned)p < MATCHING_PART__MAX ? part_keys[p] : NULL;
}

void matching_weights_default(struct matching_weights *w)
{
	static const double defaults[MATCHING_PART__MAX] = {
		[MATCHING_PART_CATEGORY] = 0.20, [MATCHING_PART_FIELDS] = 0.20,
		[MATCHING_PART_TEXT] = 0.15,     [MATCHING_PART_PROXIMITY] = 0.15,
		[MATCHING_PART_TIME] = 0.10,     [MATCHING_PART_QUANTITY] = 0.10,
		[MATCHING_PART_TRUST] = 0.10,
	};
	memcpy(w->part, defaults, sizeof defaults);
	w->fairness_k = 0.1;
	w->trust_prior_count = 2;
	w->trust_prior_mean = 3;
	w->distance_scale_km = 3;
}

/* ---- hard conditions ------------------------------------------------------------------------ */

/* 1 when `item`'s organization meets the conditions `setter` sets on the other side. */
static int meets_conditions(const struct matching_item *item, const struct matching_item *setter,
			    const char **reject)
{
	if (setter->eligible_org_types && item->org_type < 32 &&
	    !(setter->eligible_org_types & (1u << item->org_type))) {
		*reject = "matching.reject.org_type";
		return 0;
	}
	if (setter->eligible_org_types && item->org_type >= 32) {
		*reject = "matching.reject.org_type";
		return 0;
	}
	if (item->grade < setter->min_grade) {
		*reject = "matching.reject.grade";
		return 0;
	}
	return 1;
}

static const char *hard_conditions(const struct matching_item *n, const struct matching_item *r)
{
	const char *reject = NULL;
	if ((unsigned)n->category >= MATCHING_CATEGORY__MAX ||
	    (unsigned)r->category >= MATCHING_CATEGORY__MAX ||
	    matching_category_compat[n->category][r->category] <= 0)
		return "matching.reject.category";
	if (n->org_id == r->org_id)
		return "matching.reject.same_org";
	if (n->unit != r->unit)
		return "matching.reject.unit";
	if (n->quantity <= 0 || r->quantity <= 0)
		return "matching.reject.no_quantity";
	if (!meets_conditions(n, r, &reject) || !meets_conditions(r, n, &reject))
		return reject;
	return NULL;
}

/* ---- the parts ------------------------------------------------------------------------------ */

static void set_part(struct matching_part_score *p, double value, const char *reason, long long a0,
		     long long a1)
{
	p->value = value < 0 ? 0 : value > 1 ? 1 : value;
	p->reason = reason;
	p->arg[0] = a0;
	p->arg[1] = a1;
}

static void part_fields(struct matching_part_score *p, const struct matching_item *n,
			const struct matching_item *r)
{
	size_t i = 0, j = 0, shared = 0;
	while (i < n->n_fields && j < r->n_fields) {
		if (n->fields[i] == r->fields[j])
			shared++, i++, j++;
		else if (n->fields[i] < r->fields[j])
			i++;
		else
			j++;
	}
	size_t uni = n->n_fields + r->n_fields - shared;
	set_part(p, uni ? (double)shared / (double)uni : 0, "matching.reason.fields_shared",
		 (long long)shared, (long long)uni);
}

static double idf_of(const struct matching_idf *idf, uint32_t t)
{
	if (!idf || idf->n_docs == 0)
		return 1;
	if (idf->weight)
		return t < idf->n_terms ? idf->weight[t] : log(1.0 + idf->n_docs) + 1.0;
	uint32_t df = t < idf->n_terms ? idf->df[t] : 0;
	return log((1.0 + idf->n_docs) / (1.0 + df)) + 1.0;
}

/* Length of the run of equal ids starting at tokens[i] (the term frequency). */
static size_t run_length(const uint32_t *tokens, size_t n, size_t i)
{
	size_t k = i;
	while (k < n && tokens[k] == tokens[i])
		k++;
	return k - i;
}

double matching_tfidf_norm(const struct matching_item *x, const struct matching_idf *idf)
{
	double sum = 0;
	for (size_t i = 0; i < x->n_tokens;) {
		size_t tf = run_length(x->tokens, x->n_tokens, i);
		double w = (double)tf * idf_of(idf, x->tokens[i]);
		sum += w * w;
		i += tf;
	}
	return sqrt(sum);
}

void matching_token_set_init(struct matching_token_set *set, const struct matching_item *item)
{
	memset(set->filter, 0, sizeof set->filter);
	set->item = item;
	for (size_t i = 0; i < item->n_tokens; i++)
		set->filter[(item->tokens[i] >> 6) & 15] |= 1ULL << (item->tokens[i] & 63);
}

/* The term frequency of t in the set's item (0 when absent): the filter, then a binary search. */
static size_t set_tf(const struct matching_token_set *set, uint32_t t)
{
	if (!(set->filter[(t >> 6) & 15] & (1ULL << (t & 63))))
		return 0;
	const uint32_t *tok = set->item->tokens;
	size_t lo = 0, hi = set->item->n_tokens;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tok[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < set->item->n_tokens && tok[lo] == t
		       ? run_length(tok, set->item->n_tokens, lo)
		       : 0;
}

/*
 * Cosine of the TF-IDF vectors. Shared tokens are summed in ascending order whichever way they
 * are found: by a merge of the two sorted token lists, or — when one item is the query of many
 * pairs (`set`) — by walking the other item's tokens and looking each up in the query's filter,
 * which skips nearly every absent token with one load. The text part is the dearest step of a
 * global run's scoring; both ways give the same bits.
 */
static void part_text(struct matching_part_score *p, const struct matching_item *n,
		      const struct matching_item *r, const struct matching_idf *idf, double n_norm,
		      double r_norm, const struct matching_token_set *set)
{
	double dot = 0;
	size_t shared = 0;
	if (set && (set->item == n || set->item == r)) {
		const struct matching_item *other = set->item == n ? r : n;
		for (size_t j = 0; j < other->n_tokens;) {
			size_t to = run_length(other->tokens, other->n_tokens, j);
			size_t tq = set_tf(set, other->tokens[j]);
			if (tq) {
				double w = idf_of(idf, other->tokens[j]);
				dot += (double)to * (double)tq * w * w;
				shared++;
			}
			j += to;
		}
	} else {
		size_t i = 0, j = 0;
		const uint32_t *nt = n->tokens, *rt = r->tokens;
		while (i < n->n_tokens && j < r->n_tokens) {
			if (nt[i] < rt[j]) {
				i++;
			} else if (nt[i] > rt[j]) {
				j++;
			} else {
				size_t tn = run_length(nt, n->n_tokens, i);
				size_t tr = run_length(rt, r->n_tokens, j);
				double w = idf_of(idf, nt[i]);
				dot += (double)tn * (double)tr * w * w;
				shared++;
				i += tn, j += tr;
			}
		}
	}
	double norms = 0;
	if (dot > 0)
		norms = (n_norm >= 0 ? n_norm : matching_tfidf_norm(n, idf)) *
			(r_norm >= 0 ? r_norm : matching_tfidf_norm(r, idf));
	set_part(p, norms > 0 ? dot / norms : 0, "matching.reason.text_shared", (long long)shared, 0);
}

double matching_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180, earth_km = 6371.0088;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * earth_km * asin(sqrt(a < 1 ? a : 1));
}

static void part_proximity(struct matching_part_score *p, const struct matching_item *n,
			   const struct matching_item *r, const struct matching_weights *w)
{
	if (!isnan(n->lat) && !isnan(n->lon) && !isnan(r->lat) && !isnan(r->lon)) {
		double km = matching_distance_km(n->lat, n->lon, r->lat, r->lon);
		double scale = w->distance_scale_km > 0 ? w->distance_scale_km : 3;
		set_part(p, exp(-km / scale), "matching.reason.distance", llround(km * 1000), 0);
	} else if (n->community == 0 || r->community == 0) {
		set_part(p, 0.2, "matching.reason.location_unknown", 0, 0);
	} else if (n->community == r->community) {
		set_part(p, 1.0, "matching.reason.same_community", 0, 0);
	} else if (n->community / 1000 == r->community / 1000) {
		set_part(p, 0.6, "matching.reason.same_street", 0, 0);
	} else if (n->community / 1000000 == r->community / 1000000) {
		set_part(p, 0.3, "matching.reason.same_district", 0, 0);
	} else {
		set_part(p, 0, "matching.reason.far", 0, 0);
	}
}

/* The fraction of the need's window that the resource's window covers. */
static void part_time(struct matching_part_score *p, const struct matching_item *n,
		      const struct matching_item *r)
{
	int n_any = n->window_start == 0 && n->window_end == 0;
	int r_any = r->window_start == 0 && r->window_end == 0;
	if (n_any || r_any || n->window_end <= n->window_start) {
		set_part(p, 1, "matching.reason.time_open", 100, 0);
		return;
	}
	int64_t lo = n->window_start > r->window_start ? n->window_start : r->window_start;
	int64_t hi = n->window_end < r->window_end ? n->window_end : r->window_end;
	double v = hi > lo ? (double)(hi - lo) / (double)(n->window_end - n->window_start) : 0;
	set_part(p, v, "matching.reason.time_covered", llround(v * 100), 0);
}

static void part_quantity(struct matching_part_score *p, const struct matching_item *n,
			  const struct matching_item *r)
{
	double v = n->quantity > 0 ? (double)(r->quantity < n->quantity ? r->quantity : n->quantity) /
					     (double)n->quantity
				   : 0;
	set_part(p, v, "matching.reason.quantity_covered", llround(v * 100), 0);
}

/* The provider's record, smoothed towards the prior so one good rating is not a 5-star record. */
static void part_trust(struct matching_part_score *p, const struct matching_item *r,
		       const struct matching_weights *w)
{
	double m = w->trust_prior_count > 0 ? w->trust_prior_count : 0;
	double mean = r->trust_count ? r->trust_mean : 0;
	double smoothed = (r->trust_count * mean + m * w->trust_prior_mean) / (r->trust_count + m);
	if (r->trust_count + m <= 0)
		smoothed = w->trust_prior_mean;
	set_part(p, (smoothed - 1) / 4, "matching.reason.trust", (long long)r->trust_count,
		 llround(mean * 10));
}

int matching_score_pair(const struct matching_item *need, const struct matching_item *resource,
			const struct matching_weights *w, const struct matching_idf *idf,
			struct matching_score *out)
{
	return matching_score_pair_normed(need, resource, w, idf, -1, -1, -INFINITY, NULL, out);
}

static double part_weight(const struct matching_weights *w, int p)
{
	return w->part[p] > 0 ? w->part[p] : 0;
}

int matching_score_pair_normed(const struct matching_item *need,
			       const struct matching_item *resource,
			       const struct matching_weights *w, const struct matching_idf *idf,
			       double need_norm, double resource_norm, double floor,
			       const struct matching_token_set *query_tokens,
			       struct matching_score *out)
{
	const char *reject = hard_conditions(need, resource);
	if (reject) {
		memset(out, 0, sizeof *out);
		out->reject = reject;
		return 0;
	}
	/* every field is set below: no memset of the whole score for the millions of pairs of a
	 * global run (it was a visible share of their cost) */
	out->reject = NULL;
	double compat = matching_category_compat[need->category][resource->category];
	set_part(&out->part[MATCHING_PART_CATEGORY], compat,
		 compat >= 1 ? "matching.reason.category_same" : "matching.reason.category_related",
		 llround(compat * 100), 0);
	part_fields(&out->part[MATCHING_PART_FIELDS], need, resource);
	part_time(&out->part[MATCHING_PART_TIME], need, resource);
	part_quantity(&out->part[MATCHING_PART_QUANTITY], need, resource);
	part_trust(&out->part[MATCHING_PART_TRUST], resource, w);
	double k = w->fairness_k > 0 ? w->fairness_k : 0;
	out->fairness = 1.0 / (1.0 + k * need->matches_received);
	/* The text part (a merge of two token lists, mostly cache misses) and the proximity (a
	 * great-circle distance: five transcendental functions) are the dear ones: when even
	 * perfect values for them could not lift the pair to `floor`, stop before each. The margin
	 * covers rounding, since the bound adds the parts in another order than the total. */
	double bound = part_weight(w, MATCHING_PART_TEXT) + part_weight(w, MATCHING_PART_PROXIMITY);
	for (int p = 0; p < MATCHING_PART__MAX; p++)
		if (p != MATCHING_PART_TEXT && p != MATCHING_PART_PROXIMITY)
			bound += out->part[p].value * part_weight(w, p);
	if (bound * out->fairness < floor - 1e-9) {
		out->total = bound * out->fairness;
		return -1;
	}
	part_proximity(&out->part[MATCHING_PART_PROXIMITY], need, resource, w);
	bound += (out->part[MATCHING_PART_PROXIMITY].value - 1) *
		 part_weight(w, MATCHING_PART_PROXIMITY);
	if (bound * out->fairness < floor - 1e-9) {
		out->total = bound * out->fairness;
		return -1;
	}
	part_text(&out->part[MATCHING_PART_TEXT], need, resource, idf, need_norm, resource_norm,
		  query_tokens);
	double sum = 0;
	for (int p = 0; p < MATCHING_PART__MAX; p++) {
		out->part[p].weight = part_weight(w, p);
		out->part[p].contribution = out->part[p].value * out->part[p].weight;
		sum += out->part[p].contribution;
	}
	out->total = sum * out->fairness;
	return 1;
}

/* ---- explanation ---------------------------------------------------------------------------- */

/* Appends a message with {n} -> arg[0] and {m} -> arg[1]. */
static void render2(struct buf *out, const char *key, enum lang lang, const long long *arg)
{
	const char *text = msg_text(key, lang);
	if (!text) {
		buf_puts(out, key);
		return;
	}
	for (const char *p = text; *p; p++) {
		if (p[0] == '{' && (p[1] == 'n' || p[1] == 'm') && p[2] == '}') {
			buf_printf(out, "%lld", arg[p[1] == 'm']);
			p += 2;
		} else {
			buf_putc(out, *p);
		}
	}
}

void matching_part_explain(struct buf *out, const struct matching_score *s, enum matching_part p,
			   enum lang lang)
{
	const struct matching_part_score *ps = &s->part[p];
	buf_puts(out, msg_text(part_keys[p], lang));
	buf_printf(out, " %.2f × %s %.2f = %.2f", ps->value, msg_text("matching.weight", lang),
		   ps->weight, ps->contribution);
	buf_puts(out, lang == LANG_EN ? " (" : "（");
	render2(out, ps->reason, lang, ps->arg);
	buf_puts(out, lang == LANG_EN ? ")" : "）");
}

void matching_score_explain(struct buf *out, const struct matching_score *s, enum lang lang)
{
	if (s->reject) {
		render2(out, s->reject, lang, (const long long[2]){0, 0});
		buf_putc(out, '\n');
		return;
	}
	for (int p = 0; p < MATCHING_PART__MAX; p++) {
		matching_part_explain(out, s, (enum matching_part)p, lang);
		buf_putc(out, '\n');
	}
	buf_printf(out, "%s × %.2f\n%s %.2f\n", msg_text("matching.fairness", lang), s->fairness,
		   msg_text("matching.total", lang), s->total);
}
