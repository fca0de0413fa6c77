/* placeholder, filled below */
#ifndef TONGXIN_MATCHING_MATCHING_H
#define TONGXIN_MATCHING_MATCHING_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
struct matching_bench_opts {
	size_t n_needs, n_resources, k, queries;
	uint64_t seed;
	int flow_only;
};
int matching_bench_run(const struct matching_bench_opts *o, FILE *out);
#endif
