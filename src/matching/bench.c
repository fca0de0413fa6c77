#include <stdlib.h>
#include <time.h>
#include "matching/flow.h"
#include "matching/matching.h"

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
int matching_bench_run(const struct matching_bench_opts *o, FILE *out)
{
	uint64_t s = o->seed;
	struct matching_flow_input in = {o->n_needs, o->n_resources, NULL, NULL, NULL, o->n_needs * o->k};
	int64_t *nq = malloc(o->n_needs * 8), *rq = malloc(o->n_resources * 8);
	struct matching_edge *ed = malloc(in.n_edges * sizeof *ed);
	for (size_t i = 0; i < o->n_needs; i++) nq[i] = 1 + splitmix(&s) % 50;
	for (size_t i = 0; i < o->n_resources; i++) rq[i] = 1 + splitmix(&s) % 50;
	for (size_t i = 0; i < in.n_edges; i++) {
		ed[i].need = (uint32_t)(i / o->k);
		ed[i].resource = (uint32_t)(splitmix(&s) % o->n_resources);
		ed[i].score = 1 + splitmix(&s) % 10000;
		ed[i].capacity = 1 + splitmix(&s) % 50;
	}
	in.need_quantity = nq; in.resource_quantity = rq; in.edges = ed;
	struct matching_allocation a;
	double t0 = now_ms();
	int rc = matching_allocate(&in, &a);
	fprintf(out, "{\"rc\": %d, \"ms\": %.1f, \"total\": %lld, \"pushes\": %lld, \"relabels\": %lld, \"updates\": %lld}\n", rc, now_ms() - t0, (long long)a.total_score, (long long)a.pushes, (long long)a.relabels, (long long)a.price_updates);
	matching_allocation_free(&a);
	free(nq); free(rq); free(ed);
	return rc;
}
