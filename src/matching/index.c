/*
 * index.c — candidate generation for the matching engine (see matching.h).
 *
 * The index is one sorted array of postings (key, item): a key names a list — (category,
 * field), (category, street), a text token, or a category alone — and the items of a list are
 * the contiguous run with that key, in item order. A query reads the lists that can hold a good
 * partner (its compatible categories x its fields, its street; its rarest tokens, which are the
 * most telling), each up to a share of the budget, marks what it found in a bitmap, and scores
 * only those. Memory: 12 bytes per posting (about 40 per item with 25 distinct tokens... plus
 * document frequencies 4 bytes per distinct token id).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "matching/matching.h"

enum { KIND_FIELD = 1, KIND_STREET = 2, KIND_TOKEN = 3, KIND_CATEGORY = 4 };
#define RARE_TOKENS 8 /* a query reads the lists of its 8 rarest tokens */

struct posting {
	uint64_t key;
	uint32_t item;
} __attribute__((packed));

struct matching_index {
	const struct matching_item *items;
	size_t n;
	enum matching_side side;
	struct posting *post;
	size_t n_post, cap_post;
	uint32_t *df;
	double *idf_weight; /* per token id: its idf, computed once (score.h) */
	double *norm;       /* per item: its TF-IDF norm under idf, computed once */
	struct matching_idf idf;
};

static uint64_t key_of(int kind, uint64_t a, uint64_t b)
{
	return ((uint64_t)kind << 60) | (a << 40) | (b & ((1ULL << 40) - 1));
}

static int add_posting(struct matching_index *ix, uint64_t key, uint32_t item)
{
	if (ix->n_post == ix->cap_post) {
		size_t cap = ix->cap_post ? 2 * ix->cap_post : 1024;
		struct posting *p = realloc(ix->post, cap * sizeof *p);
		if (!p)
			return -1;
		ix->post = p;
		ix->cap_post = cap;
	}
	ix->post[ix->n_post++] = (struct posting){key, item};
	return 0;
}

static int posting_cmp(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* Postings of one item; distinct tokens only (the token list is sorted). */
static int index_item(struct matching_index *ix, uint32_t i)
{
	const struct matching_item *it = &ix->items[i];
	int rc = add_posting(ix, key_of(KIND_CATEGORY, it->category, 0), i);
	for (size_t f = 0; f < it->n_fields; f++)
		rc |= add_posting(ix, key_of(KIND_FIELD, it->category, it->fields[f]), i);
	if (it->community > 0)
		rc |= add_posting(ix, key_of(KIND_STREET, it->category, (uint64_t)it->community / 1000),
				  i);
	for (size_t t = 0; t < it->n_tokens; t++)
		if (t == 0 || it->tokens[t] != it->tokens[t - 1])
			rc |= add_posting(ix, key_of(KIND_TOKEN, 0, it->tokens[t]), i);
	return rc;
}

static int count_df(struct matching_index *ix)
{
	uint32_t max = 0;
	for (size_t i = 0; i < ix->n; i++)
		for (size_t t = 0; t < ix->items[i].n_tokens; t++)
			max = ix->items[i].tokens[t] > max ? ix->items[i].tokens[t] : max;
	ix->df = calloc((size_t)max + 1, sizeof *ix->df);
	if (!ix->df)
		return -1;
	for (size_t p = 0; p < ix->n_post; p++)
		if (ix->post[p].key >> 60 == KIND_TOKEN)
			ix->df[ix->post[p].key & ((1ULL << 40) - 1)]++;
	ix->idf_weight = malloc(((size_t)max + 1) * sizeof *ix->idf_weight);
	ix->norm = malloc((ix->n + 1) * sizeof *ix->norm);
	if (!ix->idf_weight || !ix->norm)
		return -1;
	for (size_t t = 0; t <= max; t++)
		ix->idf_weight[t] = log((1.0 + (double)ix->n) / (1.0 + ix->df[t])) + 1.0;
	ix->idf = (struct matching_idf){ix->df, (size_t)max + 1, (uint32_t)ix->n, ix->idf_weight};
	for (size_t i = 0; i < ix->n; i++)
		ix->norm[i] = matching_tfidf_norm(&ix->items[i], &ix->idf);
	return 0;
}

struct matching_index *matching_index_build(const struct matching_item *items, size_t n,
					    enum matching_side side)
{
	if (n > UINT32_MAX)
		return NULL;
	struct matching_index *ix = calloc(1, sizeof *ix);
	if (!ix)
		return NULL;
	ix->items = items;
	ix->n = n;
	ix->side = side;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = index_item(ix, (uint32_t)i);
	if (rc == 0) {
		if (ix->n_post > 0)
			qsort(ix->post, ix->n_post, sizeof *ix->post, posting_cmp);
		rc = count_df(ix);
	}
	if (rc != 0) {
		matching_index_free(ix);
		return NULL;
	}
	return ix;
}

void matching_index_free(struct matching_index *ix)
{
	if (!ix)
		return;
	free(ix->post);
	free(ix->df);
	free(ix->idf_weight);
	free(ix->norm);
	free(ix);
}

const struct matching_idf *matching_index_idf(const struct matching_index *ix)
{
	return &ix->idf;
}

/* ---- a query -------------------------------------------------------------------------------- */

struct query {
	const struct matching_index *ix;
	uint8_t *seen;       /* bitmap over items */
	uint32_t *cand;      /* candidates found */
	size_t n_cand, budget;
};

/* First posting with key >= key. */
static size_t lower_bound(const struct matching_index *ix, uint64_t key)
{
	size_t lo = 0, hi = ix->n_post;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->post[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds up to `cap` new items of the list `key` (never beyond the budget). */
static void read_list(struct query *q, uint64_t key, size_t cap)
{
	size_t added = 0;
	for (size_t p = lower_bound(q->ix, key);
	     p < q->ix->n_post && q->ix->post[p].key == key && added < cap && q->n_cand < q->budget;
	     p++) {
		uint32_t it = q->ix->post[p].item;
		if (q->seen[it >> 3] & (1u << (it & 7)))
			continue;
		q->seen[it >> 3] |= (uint8_t)(1u << (it & 7));
		q->cand[q->n_cand++] = it;
		added++;
	}
}

static double compat_for(const struct matching_index *ix, const struct matching_item *query, int c)
{
	return ix->side == MATCHING_SIDE_RESOURCES ? matching_category_compat[query->category][c]
						   : matching_category_compat[c][query->category];
}

/* The query's distinct tokens ordered by rising document frequency, at most RARE_TOKENS. */
static size_t rarest_tokens(const struct matching_index *ix, const struct matching_item *query,
			    uint32_t *out)
{
	size_t n = 0;
	for (size_t t = 0; t < query->n_tokens; t++) {
		uint32_t tok = query->tokens[t];
		if ((t > 0 && tok == query->tokens[t - 1]) || tok >= ix->idf.n_terms || !ix->df[tok])
			continue;
		size_t pos = n < RARE_TOKENS ? n++ : RARE_TOKENS;
		while (pos > 0 && ix->df[out[pos - 1]] > ix->df[tok]) {
			if (pos < RARE_TOKENS)
				out[pos] = out[pos - 1];
			pos--;
		}
		if (pos < RARE_TOKENS)
			out[pos] = tok;
	}
	return n;
}

static void gather(struct query *q, const struct matching_item *query)
{
	const struct matching_index *ix = q->ix;
	size_t share = q->budget / 4 + 1;
	for (int c = 0; c < MATCHING_CATEGORY__MAX; c++) {
		if (compat_for(ix, query, c) <= 0)
			continue;
		if (query->community > 0)
			read_list(q, key_of(KIND_STREET, (uint64_t)c, (uint64_t)query->community / 1000),
				  share);
		for (size_t f = 0; f < query->n_fields; f++)
			read_list(q, key_of(KIND_FIELD, (uint64_t)c, query->fields[f]),
				  share / query->n_fields + 1);
	}
	uint32_t rare[RARE_TOKENS];
	size_t n_rare = rarest_tokens(ix, query, rare);
	for (size_t t = 0; t < n_rare; t++)
		read_list(q, key_of(KIND_TOKEN, 0, rare[t]), share / RARE_TOKENS + 1);
	for (int c = 0; c < MATCHING_CATEGORY__MAX && q->n_cand < share; c++)
		if (compat_for(ix, query, c) > 0)
			read_list(q, key_of(KIND_CATEGORY, (uint64_t)c, 0), share);
}

/* Inserts s into the best-first array top[0..*n) of capacity k. */
static void keep_best(struct matching_suggestion *top, size_t *n, size_t k,
		      const struct matching_suggestion *s)
{
	if (*n == k && top[k - 1].score.total >= s->score.total)
		return;
	size_t pos = *n < k ? (*n)++ : k - 1;
	while (pos > 0 && (top[pos - 1].score.total < s->score.total ||
			   (top[pos - 1].score.total == s->score.total && top[pos - 1].item > s->item))) {
		top[pos] = top[pos - 1];
		pos--;
	}
	top[pos] = *s;
}

int matching_suggest(const struct matching_index *ix, const struct matching_item *query,
		     const struct matching_weights *w, size_t k, size_t budget,
		     struct matching_suggestion *out)
{
	if (k == 0 || ix->n == 0)
		return 0;
	struct query q = {ix, calloc(ix->n / 8 + 1, 1), NULL, 0,
			  budget ? budget : MATCHING_SUGGEST_BUDGET};
	q.cand = malloc(q.budget * sizeof *q.cand);
	if (!q.seen || !q.cand) {
		free(q.seen);
		free(q.cand);
		return -1;
	}
	gather(&q, query);
	size_t n = 0;
	double own = matching_tfidf_norm(query, &ix->idf);
	for (size_t c = 0; c < q.n_cand; c++) {
		struct matching_suggestion s = {q.cand[c]};
		const struct matching_item *other = &ix->items[q.cand[c]];
		double norm = ix->norm[q.cand[c]];
		/* once k are kept, a pair must beat the k-th to matter (keep_best drops ties too) */
		double floor = n == k ? out[k - 1].score.total : -INFINITY;
		int ok = ix->side == MATCHING_SIDE_RESOURCES
				 ? matching_score_pair_normed(query, other, w, &ix->idf, own, norm, floor,
							      &s.score)
				 : matching_score_pair_normed(other, query, w, &ix->idf, norm, own, floor,
							      &s.score);
		if (ok == 1)
			keep_best(out, &n, k, &s);
	}
	free(q.seen);
	free(q.cand);
	return (int)n;
}

/* One thread's share of a global run's candidates: needs [from, to). */
struct candidate_job {
	const struct matching_index *ix;
	const struct matching_item *needs;
	size_t from, to, k;
	const struct matching_weights *w;
	struct matching_edge *edges; /* room for (to - from) * k */
	size_t n_edges;
	int status;
};

static void *candidate_job_run(void *arg)
{
	struct candidate_job *j = arg;
	struct matching_suggestion *top = malloc((j->k + 1) * sizeof *top);
	j->status = top ? 0 : -1;
	for (size_t i = j->from; i < j->to && j->status == 0; i++) {
		const struct matching_item *need = &j->needs[i];
		int n = matching_suggest(j->ix, need, j->w, j->k, MATCHING_CANDIDATE_BUDGET, top);
		if (n < 0)
			j->status = -1;
		for (int s = 0; s < n; s++) {
			const struct matching_item *r = &j->ix->items[top[s].item];
			int64_t cap = r->quantity < need->quantity ? r->quantity : need->quantity;
			j->edges[j->n_edges++] = (struct matching_edge){
				(uint32_t)i, (uint32_t)top[s].item,
				matching_edge_score(top[s].score.total), cap};
		}
	}
	free(top);
	return NULL;
}

/* Why two threads: the index is read-only and the machine has two cores; each thread fills its
 * own part of the edge array (needs in order), so the result does not depend on timing. */
#define CANDIDATE_THREADS 2

int matching_candidates(const struct matching_index *resources, const struct matching_item *needs,
			size_t n_needs, const struct matching_weights *w, size_t k,
			struct matching_edge **edges, size_t *n_edges)
{
	struct candidate_job jobs[CANDIDATE_THREADS];
	pthread_t threads[CANDIDATE_THREADS];
	int started[CANDIDATE_THREADS] = {0}, status = 0;
	*n_edges = 0;
	*edges = malloc((n_needs * k + 1) * sizeof **edges);
	if (!*edges)
		return -1;
	for (int t = 0; t < CANDIDATE_THREADS; t++) {
		size_t from = n_needs * (size_t)t / CANDIDATE_THREADS;
		jobs[t] = (struct candidate_job){resources, needs, from,
						 n_needs * (size_t)(t + 1) / CANDIDATE_THREADS, k, w,
						 *edges + from * k, 0, 0};
		started[t] = t > 0 && pthread_create(&threads[t], NULL, candidate_job_run, &jobs[t]) == 0;
		if (t > 0 && !started[t])
			candidate_job_run(&jobs[t]); /* no thread: do it here */
	}
	candidate_job_run(&jobs[0]);
	for (int t = 0; t < CANDIDATE_THREADS; t++) {
		if (started[t])
			pthread_join(threads[t], NULL);
		status |= jobs[t].status;
		memmove(*edges + *n_edges, jobs[t].edges, jobs[t].n_edges * sizeof **edges);
		*n_edges += jobs[t].n_edges;
	}
	if (status != 0) {
		free(*edges);
		*edges = NULL;
		*n_edges = 0;
	}
	return status;
}
