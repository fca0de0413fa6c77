/*
 * bench.c — a synthetic district for the matching benchmarks (tongxin matching bench;
 * bench/matching.sh): needs and resources with realistic shapes (categories and their units,
 * 1-3 of 40 fields, 8-30 text tokens from a Zipf-like vocabulary of 30,000, 15 streets x 20
 * communities, coordinates for half of them, time windows, quantities, organizations with types,
 * grades and records). Deterministic for a seed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "matching/matching.h"

#define VOCABULARY 30000
#define FIELDS 40

struct synth {
	struct matching_item *items;
	uint16_t *fields; /* 3 per item */
	uint32_t *tokens; /* 30 per item */
};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
	return (double)(splitmix(s) >> 11) / 9007199254740992.0;
}

static int64_t between(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(splitmix(s) % (uint64_t)(hi - lo + 1));
}

static double wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static const enum matching_unit unit_of[MATCHING_CATEGORY__MAX] = {
	MATCHING_YUAN,  MATCHING_ITEMS, MATCHING_SQUARE_METRES, MATCHING_PEOPLE, MATCHING_HOURS,
	MATCHING_ITEMS, MATCHING_HOURS, MATCHING_ITEMS,         MATCHING_ITEMS,
};

static int64_t quantity_for(uint64_t *s, enum matching_unit u)
{
	switch (u) {
	case MATCHING_YUAN:
		return between(s, 1, 200) * 500;
	case MATCHING_SQUARE_METRES:
		return between(s, 20, 500);
	case MATCHING_PEOPLE:
		return between(s, 1, 30);
	case MATCHING_HOURS:
		return between(s, 2, 200);
	default:
		return between(s, 1, 100);
	}
}

static void synth_item(struct synth *d, size_t i, uint64_t *s)
{
	struct matching_item *it = &d->items[i];
	uint16_t *f = d->fields + 3 * i;
	uint32_t *t = d->tokens + 30 * i;
	int64_t street = between(s, 1, 15), community = between(s, 1, 20);
	memset(it, 0, sizeof *it);
	it->id = (int64_t)i + 1;
	it->org_id = between(s, 1, 20000);
	it->org_type = (uint32_t)(it->org_id % 6);
	it->grade = (int)(it->org_id % 6);
	it->category = (enum matching_category)(splitmix(s) % MATCHING_CATEGORY__MAX);
	it->unit = unit_of[it->category];
	it->quantity = quantity_for(s, it->unit);
	it->n_fields = (size_t)between(s, 1, 3);
	for (size_t k = 0; k < it->n_fields; k++)
		f[k] = (uint16_t)between(s, 1, FIELDS);
	qsort(f, it->n_fields, sizeof *f, cmp_u16);
	size_t nf = 0; /* distinct */
	for (size_t k = 0; k < it->n_fields; k++)
		if (k == 0 || f[k] != f[k - 1])
			f[nf++] = f[k];
	it->n_fields = nf;
	it->fields = f;
	it->n_tokens = (size_t)between(s, 8, 30);
	for (size_t k = 0; k < it->n_tokens; k++) /* Zipf-like: ids spread as exp(uniform) */
		t[k] = (uint32_t)(exp(uniform(s) * log((double)VOCABULARY))) - 1;
	qsort(t, it->n_tokens, sizeof *t, cmp_u32);
	it->tokens = t;
	it->community = 110105000000LL + street * 1000 + community;
	it->lat = it->lon = NAN;
	if (splitmix(s) % 2) {
		it->lat = 39.90 + street * 0.01 + uniform(s) * 0.01;
		it->lon = 116.40 + community * 0.005 + uniform(s) * 0.005;
	}
	if (splitmix(s) % 10 < 7) {
		it->window_start = 1798761600 + between(s, 0, 180) * 86400;
		it->window_end = it->window_start + between(s, 1, 60) * 86400;
	}
	if (splitmix(s) % 10 == 0)
		it->eligible_org_types = 0x7u;
	it->min_grade = splitmix(s) % 10 == 0 ? 3 : 0;
	it->trust_count = (uint32_t)between(s, 0, 10);
	it->trust_mean = 3 + 2 * uniform(s);
	it->matches_received = (uint32_t)between(s, 0, 5);
}

static int synth_make(struct synth *d, size_t n, uint64_t *s)
{
	d->items = malloc((n + 1) * sizeof *d->items);
	d->fields = malloc((3 * n + 1) * sizeof *d->fields);
	d->tokens = malloc((30 * n + 1) * sizeof *d->tokens);
	if (!d->items || !d->fields || !d->tokens)
		return -1;
	for (size_t i = 0; i < n; i++)
		synth_item(d, i, s);
	return 0;
}

static void synth_free(struct synth *d)
{
	free(d->items);
	free(d->fields);
	free(d->tokens);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Random edges for the flow alone: k per need, random scores and capacities. */
static int bench_flow_only(const struct matching_bench_opts *o, FILE *out)
{
	uint64_t s = o->seed;
	size_t ne = o->n_needs * o->k;
	int64_t *nq = malloc((o->n_needs + 1) * 8), *rq = malloc((o->n_resources + 1) * 8);
	struct matching_edge *ed = malloc((ne + 1) * sizeof *ed);
	if (!nq || !rq || !ed || !o->n_resources)
		return free(nq), free(rq), free(ed), -1;
	for (size_t i = 0; i < o->n_needs; i++)
		nq[i] = between(&s, 1, 50);
	for (size_t j = 0; j < o->n_resources; j++)
		rq[j] = between(&s, 1, 50);
	for (size_t e = 0; e < ne; e++)
		ed[e] = (struct matching_edge){(uint32_t)(e / o->k),
					       (uint32_t)(splitmix(&s) % o->n_resources),
					       between(&s, 1, 10000), between(&s, 1, 50)};
	struct matching_flow_input in = {o->n_needs, o->n_resources, nq, rq, ed, ne};
	struct matching_allocation a;
	double w0 = wall_ms(), c0 = cpu_ms();
	int rc = matching_allocate(&in, &a);
	fprintf(out,
		"{\"instance\": \"random edges\", \"needs\": %zu, \"resources\": %zu, \"edges\": %zu, "
		"\"allocate_wall_ms\": %.1f, \"allocate_cpu_ms\": %.1f, \"total_score\": %lld, "
		"\"pushes\": %lld, \"relabels\": %lld, \"price_updates\": %lld, \"phases\": %lld, "
		"\"proven_early\": %d, \"repaired\": %d, \"repair_paths\": %lld, "
		"\"phases_cut\": %lld}\n",
		o->n_needs, o->n_resources, ne, wall_ms() - w0, cpu_ms() - c0,
		(long long)a.total_score, (long long)a.pushes, (long long)a.relabels,
		(long long)a.price_updates, (long long)a.phases, a.proven_early,
		a.repaired, (long long)a.repair_paths, (long long)a.phases_cut);
	matching_allocation_free(&a);
	free(nq), free(rq), free(ed);
	return rc;
}

/* Suggestion latency for `queries` needs: fills p50/p99 (wall ms) and the mean count. */
static int bench_suggest(const struct matching_index *ix, const struct synth *needs,
			 const struct matching_bench_opts *o, const struct matching_weights *w,
			 double *p50, double *p99, double *mean_found)
{
	size_t q = o->queries < o->n_needs ? o->queries : o->n_needs;
	double *lat = malloc((q + 1) * sizeof *lat);
	struct matching_suggestion *top = malloc((o->k + 1) * sizeof *top);
	long found = 0;
	for (size_t i = 0; lat && top && i < q; i++) {
		double t0 = wall_ms();
		int n = matching_suggest(ix, &needs->items[i], w, o->k, 0, top);
		lat[i] = wall_ms() - t0;
		found += n > 0 ? n : 0;
	}
	if (!lat || !top || q == 0)
		return free(lat), free(top), -1;
	qsort(lat, q, sizeof *lat, cmp_double);
	*p50 = lat[q / 2];
	*p99 = lat[(q * 99) / 100];
	*mean_found = (double)found / (double)q;
	free(lat), free(top);
	return 0;
}

int matching_bench_run(const struct matching_bench_opts *o, FILE *out)
{
	if (o->flow_only)
		return bench_flow_only(o, out);
	uint64_t s = o->seed;
	struct synth needs = {0}, res = {0};
	struct matching_weights w;
	matching_weights_default(&w);
	if (synth_make(&needs, o->n_needs, &s) != 0 || synth_make(&res, o->n_resources, &s) != 0)
		return synth_free(&needs), synth_free(&res), -1;
	double t0 = wall_ms(), build_c0 = cpu_ms();
	struct matching_index *ix = matching_index_build(res.items, o->n_resources,
							 MATCHING_SIDE_RESOURCES);
	double build_ms = wall_ms() - t0, build_cpu = cpu_ms() - build_c0, p50 = 0, p99 = 0,
	       found = 0;
	int rc = ix ? bench_suggest(ix, &needs, o, &w, &p50, &p99, &found) : -1;
	struct matching_edge *edges = NULL;
	size_t ne = 0;
	double c0 = cpu_ms(), w0 = wall_ms();
	if (rc == 0)
		rc = matching_candidates(ix, needs.items, o->n_needs, &w, o->k, &edges, &ne);
	double cand_cpu = cpu_ms() - c0, cand_wall = wall_ms() - w0;
	struct matching_allocation a = {0};
	int64_t *nq = malloc((o->n_needs + 1) * 8), *rq = malloc((o->n_resources + 1) * 8);
	for (size_t i = 0; nq && i < o->n_needs; i++)
		nq[i] = needs.items[i].quantity;
	for (size_t j = 0; rq && j < o->n_resources; j++)
		rq[j] = res.items[j].quantity;
	struct matching_flow_input in = {o->n_needs, o->n_resources, nq, rq, edges, ne};
	c0 = cpu_ms(), w0 = wall_ms();
	if (rc == 0)
		rc = nq && rq ? matching_allocate(&in, &a) : -1;
	double alloc_cpu = cpu_ms() - c0, alloc_wall = wall_ms() - w0;
	/* the whole run as a staff member's run does it: index, candidates, allocation (the
	 * suggestion latencies measured in between are not part of it) */
	double run_wall = build_ms + cand_wall + alloc_wall, run_cpu = build_cpu + cand_cpu + alloc_cpu;
	fprintf(out,
		"{\"instance\": \"synthetic district\", \"needs\": %zu, \"resources\": %zu, "
		"\"index_build_ms\": %.1f, \"suggest_p50_ms\": %.3f, \"suggest_p99_ms\": %.3f, "
		"\"suggestions_per_query\": %.1f, \"candidates_cpu_ms\": %.1f, "
		"\"candidates_wall_ms\": %.1f, \"edges\": %zu, \"allocate_cpu_ms\": %.1f, "
		"\"allocate_wall_ms\": %.1f, \"run_wall_ms\": %.1f, \"run_cpu_ms\": %.1f, "
		"\"total_score\": %lld, \"allocated_quantity\": %lld, \"rc\": %d}\n",
		o->n_needs, o->n_resources, build_ms, p50, p99, found, cand_cpu, cand_wall, ne,
		alloc_cpu, alloc_wall, run_wall, run_cpu, (long long)a.total_score,
		(long long)a.total_quantity, rc);
	matching_allocation_free(&a);
	free(nq), free(rq), free(edges);
	matching_index_free(ix);
	synth_free(&needs), synth_free(&res);
	return rc;
}
