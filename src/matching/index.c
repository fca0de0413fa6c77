/*
 * index.c — candidate generation for the matching engine (see matching.h).
 *
 * The index is one sorted array of postings (key, item): a key names a list — (unit, category,
 * field), (unit, category, street), (unit, text token), or (unit, category) alone — and the items of a list are
 * the contiguous run with that key, in item order. A query reads the lists that can hold a good
 * partner (its compatible categories x its fields, its street; its rarest tokens, which are the
 * most telling), each up to a share of the budget, marks what it found in a bitmap, and scores
 * only those. A directory (open addressing) finds a list in one probe or two. Memory: 4 bytes
 * per posting (about 30 postings per item with 25 distinct tokens), 16 bytes per directory slot
 * (two per list at most), plus 4 + 8 bytes per distinct token id and 8 per item.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "lib/mem.h"
#include "matching/matching.h"

enum { KIND_FIELD = 1, KIND_STREET = 2, KIND_TOKEN = 3, KIND_CATEGORY = 4 };
#define RARE_TOKENS 8 /* a query reads the lists of its 8 rarest tokens */

/* One list of the directory: where its items are in `items_of`. */
struct list_entry {
	uint64_t key; /* 0 = an empty slot (no key is 0: its kind is >= 1) */
	uint32_t start, len;
};

struct matching_index {
	const struct matching_item *items;
	size_t n;
	enum matching_side side;
	/* the lists: an open-addressing directory (cap a power of two, at most half full) from key
	 * to a run of `items_of`; each run lists its items in ascending order */
	struct list_entry *dir;
	size_t dir_cap, n_lists;
	uint32_t *items_of;
	size_t n_post;
	uint32_t *df;
	double *idf_weight; /* per token id: its idf, computed once (score.h) */
	double *norm;       /* per item: its TF-IDF norm under idf, computed once */
	struct matching_idf idf;
};

static uint64_t key_of(int kind, uint64_t a, uint64_t b)
{
	return ((uint64_t)kind << 60) | (a << 40) | (b & ((1ULL << 40) - 1));
}

/*
 * The middle of a key: the unit, and the category (0 for token lists). Why the unit: a pair of
 * different units is always refused (hard_conditions: yuan never answer a need counted in
 * people), and before the unit was part of the keys, 60 % of the candidates a global run read
 * and scored were refused for it — budget spent on pairs that can never be suggested.
 */
static uint64_t list_of(enum matching_unit unit, int category)
{
	return ((uint64_t)((unsigned)unit & 0xffu) << 8) | ((unsigned)category & 0xffu);
}

/* The lists item `it` belongs to; distinct tokens only (the token list is sorted). `out` has
 * room for 2 + n_fields + n_tokens. Returns how many were written. */
static size_t item_keys(const struct matching_item *it, uint64_t *out)
{
	uint64_t list = list_of(it->unit, it->category), unit_only = list_of(it->unit, 0);
	size_t n = 0;
	out[n++] = key_of(KIND_CATEGORY, list, 0);
	for (size_t f = 0; f < it->n_fields; f++)
		out[n++] = key_of(KIND_FIELD, list, it->fields[f]);
	if (it->community > 0)
		out[n++] = key_of(KIND_STREET, list, (uint64_t)it->community / 1000);
	for (size_t t = 0; t < it->n_tokens; t++)
		if (t == 0 || it->tokens[t] != it->tokens[t - 1])
			out[n++] = key_of(KIND_TOKEN, unit_only, it->tokens[t]);
	return n;
}

static size_t dir_slot(const struct list_entry *dir, size_t cap, uint64_t key)
{
	size_t h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
	while (dir[h].key != 0 && dir[h].key != key)
		h = (h + 1) & (cap - 1);
	return h;
}

/* The directory entry of `key`, or NULL when no item is on that list. */
static const struct list_entry *dir_find(const struct matching_index *ix, uint64_t key)
{
	if (ix->dir_cap == 0)
		return NULL;
	const struct list_entry *e = &ix->dir[dir_slot(ix->dir, ix->dir_cap, key)];
	return e->key == key ? e : NULL;
}

/* Counts one more item on `key`'s list, growing the directory when it is half full. */
static int dir_count(struct matching_index *ix, uint64_t key)
{
	if (2 * (ix->n_lists + 1) > ix->dir_cap) {
		size_t cap = ix->dir_cap ? 2 * ix->dir_cap : 1024;
		struct list_entry *d = mem_large(cap * sizeof *d);
		if (!d)
			return -1;
		memset(d, 0, cap * sizeof *d);
		for (size_t i = 0; i < ix->dir_cap; i++)
			if (ix->dir[i].key)
				d[dir_slot(d, cap, ix->dir[i].key)] = ix->dir[i];
		free(ix->dir);
		ix->dir = d, ix->dir_cap = cap;
	}
	struct list_entry *e = &ix->dir[dir_slot(ix->dir, ix->dir_cap, key)];
	if (e->key == 0)
		e->key = key, ix->n_lists++;
	e->len++;
	return 0;
}

/*
 * Why no sort: two passes over the items, counting each list's length, then filling each list
 * in item order, build the same lists as sorting (key, item) postings did, without the sort
 * (the bulk of the build) and at 4 bytes per posting instead of 12.
 */
static int build_lists(struct matching_index *ix, uint64_t *keys)
{
	size_t total = 0;
	for (size_t i = 0; i < ix->n; i++) {
		size_t nk = item_keys(&ix->items[i], keys);
		for (size_t k = 0; k < nk; k++)
			if (dir_count(ix, keys[k]) != 0)
				return -1;
		total += nk;
	}
	if (total >= UINT32_MAX)
		return -1;
	ix->n_post = total;
	ix->items_of = mem_large((total + 1) * sizeof *ix->items_of);
	if (!ix->items_of)
		return -1;
	uint32_t at = 0;
	for (size_t d = 0; d < ix->dir_cap; d++)
		if (ix->dir[d].key)
			ix->dir[d].start = at, at += ix->dir[d].len, ix->dir[d].len = 0;
	for (size_t i = 0; i < ix->n; i++) {
		size_t nk = item_keys(&ix->items[i], keys);
		for (size_t k = 0; k < nk; k++) {
			struct list_entry *e = &ix->dir[dir_slot(ix->dir, ix->dir_cap, keys[k])];
			ix->items_of[e->start + e->len++] = (uint32_t)i;
		}
	}
	return 0;
}

/* Document frequencies (items holding a token), IDF weights and per-item TF-IDF norms. */
static int count_df(struct matching_index *ix)
{
	uint32_t max = 0;
	for (size_t i = 0; i < ix->n; i++)
		for (size_t t = 0; t < ix->items[i].n_tokens; t++)
			max = ix->items[i].tokens[t] > max ? ix->items[i].tokens[t] : max;
	ix->df = calloc((size_t)max + 1, sizeof *ix->df);
	ix->idf_weight = malloc(((size_t)max + 1) * sizeof *ix->idf_weight);
	ix->norm = malloc((ix->n + 1) * sizeof *ix->norm);
	if (!ix->df || !ix->idf_weight || !ix->norm)
		return -1;
	for (size_t i = 0; i < ix->n; i++) {
		const struct matching_item *it = &ix->items[i];
		for (size_t t = 0; t < it->n_tokens; t++)
			if (t == 0 || it->tokens[t] != it->tokens[t - 1])
				ix->df[it->tokens[t]]++;
	}
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
	size_t most = 0; /* the most keys one item has */
	for (size_t i = 0; i < n; i++)
		if (items[i].n_fields + items[i].n_tokens > most)
			most = items[i].n_fields + items[i].n_tokens;
	uint64_t *keys = malloc((most + 2) * sizeof *keys);
	int rc = keys ? build_lists(ix, keys) : -1;
	free(keys);
	if (rc == 0)
		rc = count_df(ix);
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
	free(ix->dir);
	free(ix->items_of);
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

/* Adds up to `cap` new items of the list `key` (never beyond the budget). */
static void read_list(struct query *q, uint64_t key, size_t cap)
{
	const struct list_entry *e = dir_find(q->ix, key);
	if (!e)
		return;
	const uint32_t *items = q->ix->items_of + e->start;
	size_t added = 0;
	for (size_t p = 0; p < e->len && added < cap && q->n_cand < q->budget; p++) {
		uint32_t it = items[p];
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
		uint64_t list = list_of(query->unit, c);
		if (query->community > 0)
			read_list(q, key_of(KIND_STREET, list, (uint64_t)query->community / 1000), share);
		for (size_t f = 0; f < query->n_fields; f++)
			read_list(q, key_of(KIND_FIELD, list, query->fields[f]),
				  share / query->n_fields + 1);
	}
	uint32_t rare[RARE_TOKENS];
	size_t n_rare = rarest_tokens(ix, query, rare);
	for (size_t t = 0; t < n_rare; t++)
		read_list(q, key_of(KIND_TOKEN, list_of(query->unit, 0), rare[t]),
			  share / RARE_TOKENS + 1);
	for (int c = 0; c < MATCHING_CATEGORY__MAX && q->n_cand < share; c++)
		if (compat_for(ix, query, c) > 0)
			read_list(q, key_of(KIND_CATEGORY, list_of(query->unit, c), 0), share);
}

/* A candidate while ranking: its total and its position (the parts are recomputed for the few
 * kept: moving whole scores around the top-k was a visible share of a global run). */
struct ranked {
	double total;
	uint32_t item;
};

/* Inserts s into the best-first array top[0..*n) of capacity k (ties: lower position first; a
 * pair tying the k-th is not kept). */
static void keep_best(struct ranked *top, size_t *n, size_t k, struct ranked s)
{
	if (*n == k && top[k - 1].total >= s.total)
		return;
	size_t pos = *n < k ? (*n)++ : k - 1;
	while (pos > 0 && (top[pos - 1].total < s.total ||
			   (top[pos - 1].total == s.total && top[pos - 1].item > s.item))) {
		top[pos] = top[pos - 1];
		pos--;
	}
	top[pos] = s;
}

/*
 * Why: scoring is memory-bound — each candidate is a random item (three cache lines), its token
 * and field lists and its norm, all cold (measured: two thirds of the scoring time were the
 * loads of r->category and r->tokens). The candidates are known before scoring starts, so the
 * item PREFETCH_ITEM places ahead is fetched now, and the lists of the one PREFETCH_LISTS ahead,
 * whose item arrived by then. Prefetches never fault and change no result.
 */
#define PREFETCH_ITEM 16
#define PREFETCH_LISTS 8

static void prefetch_ahead(const struct matching_index *ix, const struct query *q, size_t c)
{
	if (c + PREFETCH_ITEM < q->n_cand) {
		const char *it = (const char *)&ix->items[q->cand[c + PREFETCH_ITEM]];
		const char *line = (const char *)((uintptr_t)it & ~(uintptr_t)63); /* every line */
		for (; line < it + sizeof(struct matching_item); line += 64)
			__builtin_prefetch(line);
		__builtin_prefetch(&ix->norm[q->cand[c + PREFETCH_ITEM]]);
	}
	if (c + PREFETCH_LISTS < q->n_cand) {
		const struct matching_item *it = &ix->items[q->cand[c + PREFETCH_LISTS]];
		for (size_t t = 0; t < it->n_tokens; t += 16)
			__builtin_prefetch(&it->tokens[t]);
		__builtin_prefetch(it->fields);
	}
}

/* Scores one pair (need first whatever the index's side); what matching_score_pair_normed
 * returns. */
static int score_candidate(const struct matching_index *ix, const struct matching_item *query,
			   double own_norm, const struct matching_token_set *own_tokens,
			   uint32_t item, const struct matching_weights *w, double floor,
			   struct matching_score *out)
{
	const struct matching_item *other = &ix->items[item];
	double norm = ix->norm[item];
	return ix->side == MATCHING_SIDE_RESOURCES
		       ? matching_score_pair_normed(query, other, w, &ix->idf, own_norm, norm, floor,
						    own_tokens, out)
		       : matching_score_pair_normed(other, query, w, &ix->idf, norm, own_norm, floor,
						    own_tokens, out);
}

/* Working memory of queries: one per thread, reused query after query (the bitmap is cleared
 * bit by bit after each, not allocated and zeroed for every one). */
struct query_scratch {
	uint8_t *seen;   /* bitmap over the index's items, all zero between queries */
	uint32_t *cand;  /* room for `budget` */
	struct ranked *top;
	size_t budget, k;
};

static int scratch_init(struct query_scratch *sc, const struct matching_index *ix,
			size_t budget, size_t k)
{
	sc->budget = budget, sc->k = k;
	sc->seen = calloc(ix->n / 8 + 1, 1);
	sc->cand = malloc((budget + 1) * sizeof *sc->cand);
	sc->top = malloc((k + 1) * sizeof *sc->top);
	return sc->seen && sc->cand && sc->top ? 0 : -1;
}

static void scratch_free(struct query_scratch *sc)
{
	free(sc->seen), free(sc->cand), free(sc->top);
}

/* The best sc->k candidates of `query` into sc->top, best first; returns how many. */
static size_t rank_query(const struct matching_index *ix, const struct matching_item *query,
			 const struct matching_weights *w, struct query_scratch *sc)
{
	struct query q = {ix, sc->seen, sc->cand, 0, sc->budget};
	gather(&q, query);
	size_t n = 0, k = sc->k;
	double own = matching_tfidf_norm(query, &ix->idf);
	struct matching_token_set own_tokens;
	matching_token_set_init(&own_tokens, query);
	struct matching_score score;
	for (size_t c = 0; c < q.n_cand; c++) {
		prefetch_ahead(ix, &q, c);
		/* once k are kept, a pair must beat the k-th to matter (keep_best drops ties too) */
		double floor = n == k ? sc->top[k - 1].total : -INFINITY;
		if (score_candidate(ix, query, own, &own_tokens, q.cand[c], w, floor, &score) == 1)
			keep_best(sc->top, &n, k, (struct ranked){score.total, q.cand[c]});
	}
	for (size_t c = 0; c < q.n_cand; c++)
		sc->seen[q.cand[c] >> 3] = 0;
	return n;
}

int matching_suggest(const struct matching_index *ix, const struct matching_item *query,
		     const struct matching_weights *w, size_t k, size_t budget,
		     struct matching_suggestion *out)
{
	if (k == 0 || ix->n == 0)
		return 0;
	struct query_scratch sc;
	if (scratch_init(&sc, ix, budget ? budget : MATCHING_SUGGEST_BUDGET, k) != 0) {
		scratch_free(&sc);
		return -1;
	}
	size_t n = rank_query(ix, query, w, &sc);
	double own = matching_tfidf_norm(query, &ix->idf);
	for (size_t i = 0; i < n; i++) { /* the parts of the few kept, for their reasons */
		out[i].item = sc.top[i].item;
		score_candidate(ix, query, own, NULL, sc.top[i].item, w, -INFINITY, &out[i].score);
	}
	scratch_free(&sc);
	return (int)n;
}

/*
 * A global run's candidates, shared by the threads in blocks of BLOCK needs: a thread takes the
 * next block under the mutex, so a thread slowed by the rest of the machine takes fewer blocks
 * instead of finishing last. Block b writes its edges at edges + b * BLOCK * k and counts them
 * in block_edges[b]; the blocks are joined in order at the end, so the result does not depend
 * on which thread did which block.
 */
#define BLOCK 512

struct candidate_work {
	const struct matching_index *ix;
	const struct matching_item *needs;
	size_t n_needs, k;
	const struct matching_weights *w;
	struct matching_edge *edges;
	size_t *block_edges;
	size_t next_block;
	pthread_mutex_t mu;
	int status;
};

static void candidate_block(struct candidate_work *cw, struct query_scratch *sc, size_t b)
{
	struct matching_edge *out = cw->edges + b * BLOCK * cw->k;
	size_t n_out = 0, to = (b + 1) * BLOCK < cw->n_needs ? (b + 1) * BLOCK : cw->n_needs;
	for (size_t i = b * BLOCK; i < to; i++) {
		const struct matching_item *need = &cw->needs[i];
		size_t n = rank_query(cw->ix, need, cw->w, sc);
		for (size_t s = 0; s < n; s++) {
			const struct matching_item *r = &cw->ix->items[sc->top[s].item];
			int64_t cap = r->quantity < need->quantity ? r->quantity : need->quantity;
			out[n_out++] = (struct matching_edge){(uint32_t)i, sc->top[s].item,
							      matching_edge_score(sc->top[s].total), cap};
		}
	}
	cw->block_edges[b] = n_out;
}

static void *candidate_worker(void *arg)
{
	struct candidate_work *cw = arg;
	struct query_scratch sc;
	int rc = scratch_init(&sc, cw->ix, MATCHING_CANDIDATE_BUDGET, cw->k);
	size_t blocks = cw->k ? (cw->n_needs + BLOCK - 1) / BLOCK : 0;
	for (;;) {
		pthread_mutex_lock(&cw->mu);
		cw->status |= rc;
		size_t b = cw->status == 0 ? cw->next_block++ : blocks;
		pthread_mutex_unlock(&cw->mu);
		if (b >= blocks)
			break;
		candidate_block(cw, &sc, b);
	}
	scratch_free(&sc);
	return NULL;
}

/* Why two threads: the index is read-only and the machine has two cores. */
#define CANDIDATE_THREADS 2

int matching_candidates(const struct matching_index *resources, const struct matching_item *needs,
			size_t n_needs, const struct matching_weights *w, size_t k,
			struct matching_edge **edges, size_t *n_edges)
{
	size_t blocks = (n_needs + BLOCK - 1) / BLOCK;
	struct candidate_work cw = {resources, needs, n_needs, k, w,
				    mem_large((n_needs * k + 1) * sizeof *cw.edges),
				    calloc(blocks + 1, sizeof *cw.block_edges)};
	*edges = NULL, *n_edges = 0;
	if (k == 0) /* no candidate wanted: an empty graph */
		blocks = 0;
	if (!cw.edges || !cw.block_edges || pthread_mutex_init(&cw.mu, NULL) != 0) {
		free(cw.edges), free(cw.block_edges);
		return -1;
	}
	pthread_t threads[CANDIDATE_THREADS];
	int started[CANDIDATE_THREADS] = {0};
	for (int t = 1; t < CANDIDATE_THREADS; t++)
		started[t] = pthread_create(&threads[t], NULL, candidate_worker, &cw) == 0;
	candidate_worker(&cw); /* this thread works too (alone when no thread could start) */
	for (int t = 1; t < CANDIDATE_THREADS; t++)
		if (started[t])
			pthread_join(threads[t], NULL);
	pthread_mutex_destroy(&cw.mu);
	for (size_t b = 0; cw.status == 0 && b < blocks; b++) {
		memmove(cw.edges + *n_edges, cw.edges + b * BLOCK * k,
			cw.block_edges[b] * sizeof *cw.edges);
		*n_edges += cw.block_edges[b];
	}
	free(cw.block_edges);
	if (cw.status != 0) {
		free(cw.edges);
		*n_edges = 0;
		return -1;
	}
	*edges = cw.edges;
	return 0;
}
