/*
 * tongxin matching — the matching engine from the command line, without a database:
 *   solve   reads an allocation instance (JSON) and prints the optimal allocation (JSON); the
 *           optimality checks (tests/matching/check_optimal.py) compare it with networkx.
 *   bench   builds a synthetic district of needs and resources in memory and times candidate
 *           generation, suggestions and the global allocation (bench/matching.sh).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "matching/flow.h"
#include "matching/matching.h"
#include "matching/matching_db.h"
#include "core/principal.h"

static const char matching_help[] =
	"用法 usage:\n"
	"  tongxin matching solve --input FILE|- [--repeat N]\n"
	"  tongxin matching suggest-bench [--queries Q] [--database URL]\n"
	"  tongxin matching bench [--needs N] [--resources N] [--k K] [--seed S] [--queries Q]\n"
	"                         [--flow-only]\n\n"
	"solve：读入分配实例（JSON），输出总分最大的分配（JSON）。\n"
	"  输入 input: {\"needs\": [数量...], \"resources\": [数量...],\n"
	"               \"edges\": [[需求下标, 资源下标, 每单位整数得分, 容量], ...]}\n"
	"  输出 output: {\"total_score\", \"total_quantity\", \"solve_ms\",\n"
	"               \"allocation\": [[边下标, 需求下标, 资源下标, 数量], ...]}（只列数量>0 的边）\n"
	"  --repeat N（1-100）：同一实例求解 N 次，另报最快一次 best_solve_ms / best_solve_cpu_ms\n"
	"  (solves the instance N times and also reports the fastest solve)\n"
	"bench：在内存中生成合成数据，测量候选生成、单条推荐延迟（p50/p99）和全局分配耗时。\n"
	"solve: reads an allocation instance and prints the allocation of maximum total score.\n"
	"bench: synthetic needs and resources in memory; times candidate generation, one-need\n"
	"suggestions (p50/p99) and the global allocation. Prints JSON.\n";

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- solve ---------------------------------------------------------------------------------- */

/* Reads a JSON array of non-negative integers into a malloc'd array; -1 on anything else. */
static int read_quantities(json_t *arr, int64_t **out, size_t *n)
{
	if (!json_is_array(arr))
		return -1;
	*n = json_array_size(arr);
	*out = malloc((*n + 1) * sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v))
			return -1;
		(*out)[i] = json_integer_value(v);
	}
	return 0;
}

static int read_edges(json_t *arr, struct matching_edge **out, size_t *n)
{
	if (!json_is_array(arr))
		return -1;
	*n = json_array_size(arr);
	*out = malloc((*n + 1) * sizeof **out);
	for (size_t e = 0; e < *n; e++) {
		json_t *t = json_array_get(arr, e);
		json_int_t v[4];
		if (!json_is_array(t) || json_array_size(t) != 4)
			return -1;
		for (int k = 0; k < 4; k++) {
			if (!json_is_integer(json_array_get(t, (size_t)k)))
				return -1;
			v[k] = json_integer_value(json_array_get(t, (size_t)k));
		}
		if (v[0] < 0 || v[0] > UINT32_MAX || v[1] < 0 || v[1] > UINT32_MAX)
			return -1;
		(*out)[e] = (struct matching_edge){(uint32_t)v[0], (uint32_t)v[1], v[2], v[3]};
	}
	return 0;
}

/* ms[0] wall, ms[1] CPU time of the first solve; ms[2], ms[3] of the fastest of `repeat` */
static void print_allocation(const struct matching_flow_input *in,
			     const struct matching_allocation *a, const double *ms, long repeat)
{
	printf("{\"total_score\": %lld, \"total_quantity\": %lld, \"solve_ms\": %.3f, "
	       "\"solve_cpu_ms\": %.3f, \"repeat\": %ld, \"best_solve_ms\": %.3f, "
	       "\"best_solve_cpu_ms\": %.3f, \"relabels\": %lld, \"allocation\": [",
	       (long long)a->total_score, (long long)a->total_quantity, ms[0], ms[1], repeat, ms[2],
	       ms[3], (long long)a->relabels);
	const char *sep = "";
	for (size_t e = 0; e < in->n_edges; e++)
		if (a->flow[e] > 0) {
			printf("%s[%zu, %u, %u, %lld]", sep, e, in->edges[e].need,
			       in->edges[e].resource, (long long)a->flow[e]);
			sep = ", ";
		}
	printf("]}\n");
}

/* Solves `repeat` times; *a keeps the first allocation, ms[] as print_allocation() reads them.
 * -1 when the input is invalid, -2 when (a bug) a later solve disagrees with the first. */
static int solve_timed(const struct matching_flow_input *in, long repeat,
		       struct matching_allocation *a, double *ms)
{
	for (long r = 0; r < repeat; r++) {
		struct matching_allocation again;
		struct matching_allocation *into = r == 0 ? a : &again;
		double w0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
		if (matching_allocate(in, into) != 0) {
			if (r > 0)
				matching_allocation_free(a);
			return -1;
		}
		double w = clock_ms(CLOCK_MONOTONIC) - w0, c = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (r == 0)
			ms[0] = ms[2] = w, ms[1] = ms[3] = c;
		ms[2] = w < ms[2] ? w : ms[2], ms[3] = c < ms[3] ? c : ms[3];
		if (r > 0) {
			int same = again.total_score == a->total_score;
			matching_allocation_free(&again);
			if (!same) {
				matching_allocation_free(a);
				return -2;
			}
		}
	}
	return 0;
}

static int matching_solve(const char *path, long repeat)
{
	json_error_t jerr;
	json_t *doc = strcmp(path, "-") == 0 ? json_loadf(stdin, 0, &jerr)
					     : json_load_file(path, 0, &jerr);
	if (!doc) {
		fprintf(stderr, "tongxin matching: %s: %s (line %d)\n", path, jerr.text, jerr.line);
		return 1;
	}
	struct matching_flow_input in = {0};
	int64_t *nq = NULL, *rq = NULL;
	struct matching_edge *edges = NULL;
	int status = 1;
	if (read_quantities(json_object_get(doc, "needs"), &nq, &in.n_needs) != 0 ||
	    read_quantities(json_object_get(doc, "resources"), &rq, &in.n_resources) != 0 ||
	    read_edges(json_object_get(doc, "edges"), &edges, &in.n_edges) != 0) {
		fprintf(stderr, "tongxin matching: 实例格式不对 malformed instance (see --help)\n");
		goto done;
	}
	in.need_quantity = nq;
	in.resource_quantity = rq;
	in.edges = edges;
	struct matching_allocation a;
	double ms[4];
	int solved = solve_timed(&in, repeat, &a, ms);
	if (solved == -2) {
		fprintf(stderr, "tongxin matching: 重复求解的结果不一致（程序错误） repeated solves "
				"disagree (a bug)\n");
		goto done;
	}
	if (solved != 0) {
		fprintf(stderr, "tongxin matching: 实例无效（下标越界、数量为负或过大） invalid "
				"instance (index out of range, negative or too large values)\n");
		goto done;
	}
	print_allocation(&in, &a, ms, repeat);
	matching_allocation_free(&a);
	status = 0;
done:
	free(nq);
	free(rq);
	free(edges);
	json_decref(doc);
	return status;
}

/* ---- the command ---------------------------------------------------------------------------- */

static const char *flag_value(int argc, char **argv, const char *name)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static long flag_long(int argc, char **argv, const char *name, long dflt)
{
	const char *v = flag_value(argc, argv, name);
	return v ? strtol(v, NULL, 10) : dflt;
}

static int has_flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

/* suggest-bench: the wired path on the database (--database/--data-dir): loading and indexing
 * every open resource, then suggestions for random needs as the system principal. */
static int suggest_bench(struct cli_opts *o, int queries)
{
	struct db *db = cli_open_db(o);
	struct ctx c;
	struct principal who;
	if (!db || cli_ctx_init(&c, &who, o, db) != 0)
		return 1;
	int rc = matching_db_bench(&c, queries, stdout);
	if (rc != 0)
		cli_print_error(&c.err);
	cli_ctx_free(&c);
	db_close(db);
	return rc == 0 ? 0 : 1;
}

int cli_matching(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	if (o.help || argc < 2) {
		fputs(matching_help, o.help ? stdout : stderr);
		return o.help ? 0 : 2;
	}
	if (strcmp(argv[1], "solve") == 0) {
		const char *path = flag_value(argc, argv, "--input");
		long repeat = flag_long(argc, argv, "--repeat", 1);
		if (!path || repeat < 1 || repeat > 100) {
			fputs(matching_help, stderr);
			return 2;
		}
		return matching_solve(path, repeat);
	}
	if (strcmp(argv[1], "bench") == 0) {
		struct matching_bench_opts b = {
			.n_needs = (size_t)flag_long(argc, argv, "--needs", 100000),
			.n_resources = (size_t)flag_long(argc, argv, "--resources", 100000),
			.k = (size_t)flag_long(argc, argv, "--k", 20),
			.seed = (uint64_t)flag_long(argc, argv, "--seed", 1),
			.queries = (size_t)flag_long(argc, argv, "--queries", 1000),
			.flow_only = has_flag(argc, argv, "--flow-only"),
		};
		return matching_bench_run(&b, stdout) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "suggest-bench") == 0)
		return suggest_bench(&o, (int)flag_long(argc, argv, "--queries", 200));
	fputs(matching_help, stderr);
	return 2;
}
