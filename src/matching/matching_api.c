/*
 * Routes of the matching engine: suggestions for one need or resource, the weights staff
 * set, and global allocation runs. Parse -> domain (matching_db.c checks the policy) -> JSON.
 */
#include <string.h>
#include "app/app.h"
#include "matching/matching_db.h"

#define R_SUGGEST                                                                             \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ORG_ADMIN) |                 \
	 ROLE_BIT(ROLE_ORG_MEMBER))
#define R_STAFF (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

/* GET /api/v1/needs/{id}/suggestions, /api/v1/resources/{id}/suggestions?k=1..50 (10) —
 * admin, staff; org_admin and org_member of the item's organization. 200 {item, suggestions:
 * [{id, title, org_name, ..., score: {total, fairness, parts: [{part, name, value, weight,
 * contribution, reason}], explanation}}], weights_version}; only items the caller may see,
 * never a pair failing a hard condition. 404 hidden item; 403; 422 bad k. */
static int suggestions_route(struct req *r)
{
	int64_t id, k = 10;
	const char *kind = strncmp(r->route->path, "/api/v1/needs", 13) == 0 ? "need" : "resource";
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	req_query_int(r, "k", 10, 1, 50, &k);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = matching_suggest_json(&r->c, kind, id, (size_t)k);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/matching/weights — admin, staff. 200 {version, weights, defaults}. */
static int weights_get(struct req *r)
{
	json_t *body = matching_weights_json(&r->c);
	return body ? reply_json(r, 200, body) : -1;
}

/* PUT /api/v1/matching/weights — admin, staff. Body {category, fields, text, proximity, time,
 * quantity, trust: 0..1, at least one > 0; fairness_k?: 0..1}. 200 the new version; 422. */
static int weights_put(struct req *r)
{
	json_t *obj;
	if (req_json_object(r, &obj) != 0 || matching_weights_save(&r->c, obj) != 0)
		return -1;
	json_t *body = matching_weights_json(&r->c);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/matching/runs — admin, staff. Body {categories?: [codes], streets?: [12-digit
 * codes], k?: 1..50 (5)}. Queues the run (the "matching.runs" task computes it); 202 the run
 * (status queued) — poll GET /matching/runs/{id}. 409 when a run is queued or running; 422. */
static int runs_post(struct req *r)
{
	json_t *obj;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || matching_run_start(&r->c, obj, &id) != 0)
		return -1;
	json_t *body = matching_run_json(&r->c, id);
	return body ? reply_json(r, 202, body) : -1;
}

/* GET /api/v1/matching/runs?page&per_page — admin, staff. 200 {items, total, page, per_page}. */
static int runs_list(struct req *r)
{
	int64_t page, per_page;
	req_query_paging(r, &page, &per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = matching_runs_json(&r->c, page, per_page);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/matching/runs/{id} — admin, staff. 200 the run: params, weights, status
 * (queued, running, done, failed), phase and progress_done/progress_total while running,
 * totals, n_allocated, error/error_message when failed; scores in units of score_scale per
 * 1.0. The edges are paged: GET /matching/runs/{id}/edges. 404. */
static int run_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = matching_run_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

static ssize_t edges_csv_stream(void *arg, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	long n = matching_run_edges_csv_read(arg, buf, max);
	return n > 0 ? (ssize_t)n : n == 0 ? -1 : -2;
}

static void edges_csv_free(void *arg)
{
	matching_run_edges_csv_close(arg);
}

/* GET /api/v1/matching/runs/{id}/edges?page&per_page&allocated=0|1&format=json|csv — admin,
 * staff. 200 {items: [{seq, need_id, resource_id, score, capacity, flow, need_quantity,
 * resource_quantity, need_title, need_org_name, resource_title, resource_org_name,
 * docking_id}], total, page, per_page}: every candidate edge (allocated=1: the allocation)
 * with the quantities the run saw, enough to re-check its optimality. format=csv: every edge
 * at once as a CSV download (paging ignored), streamed in bounded memory, for big runs. 404; 422. */
static int run_edges(struct req *r)
{
	int64_t id, page, per_page, allocated;
	const char *format = req_query(r, "format");
	int csv = format && strcmp(format, "csv") == 0;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	if (format && *format && !csv && strcmp(format, "json") != 0)
		error_field(&r->c.err, "format", "field.bad_choice", 0);
	req_query_paging(r, &page, &per_page);
	req_query_int(r, "allocated", 0, 0, 1, &allocated);
	if (error_check(&r->c.err) != 0)
		return -1;
	if (csv) {
		struct run_edges_csv *e =
			matching_run_edges_csv_open(&r->c, id);
		if (!e)
			return -1;
		r->stream_read = edges_csv_stream;
		r->stream_free = edges_csv_free;
		r->stream_arg = e;
		r->content_type = "text/csv; charset=utf-8";
		r->status = 200;
		reply_header(r, "Content-Disposition",
			     arena_printf(r->c.arena, "attachment; filename=\"run-%lld-edges.csv\"",
					  (long long)id));
		return 0;
	}
	json_t *body = matching_run_edges_json(&r->c, id, (int)allocated, page, per_page);
	return body ? reply_json(r, 200, body) : -1;
}

const struct route matching_routes[] = {
	{"GET", "/api/v1/needs/{id}/suggestions", suggestions_route, R_SUGGEST, 0, "需求的推荐匹配（含各项得分与理由）"},
	{"GET", "/api/v1/resources/{id}/suggestions", suggestions_route, R_SUGGEST, 0, "资源的推荐匹配（含各项得分与理由）"},
	{"GET", "/api/v1/matching/weights", weights_get, R_STAFF, 0, "匹配权重"},
	{"PUT", "/api/v1/matching/weights", weights_put, R_STAFF, 0, "修改匹配权重（新版本）"},
	{"GET", "/api/v1/matching/runs", runs_list, R_STAFF, 0, "全局分配运行列表"},
	{"POST", "/api/v1/matching/runs", runs_post, R_STAFF, 0, "启动全局分配（排队，后台计算最小费用流）"},
	{"GET", "/api/v1/matching/runs/{id}", run_get, R_STAFF, 0, "全局分配运行：参数、进度与合计"},
	{"GET", "/api/v1/matching/runs/{id}/edges", run_edges, R_STAFF, 0, "全局分配运行的候选边与分配结果（分页）"},
	{NULL},
};
