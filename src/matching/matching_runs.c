/*
 * Global allocation runs as background jobs.
 *
 *   POST   matching_run_start() validates the parameters and inserts the run as 'queued' with
 *          the weights in force (audited). At most one run is queued or running at a time: the
 *          row holds active_slot = 1 and a unique index refuses a second one (409), even when
 *          two requests race, on both engines.
 *   worker matching_runs_task() — the "matching.runs" task, every second in `tongxin serve`,
 *          or `tongxin tasks run matching.runs` — claims the oldest queued run with a lease
 *          (like the notification outbox), records its phase and counts in the row as it goes
 *          (loading, candidates, allocating, storing; every write renews the lease), stores the
 *          items, edges and flows in batches and ends it as 'done' or 'failed' (audited).
 *   crash  a 'running' run whose lease ran out was interrupted: it is queued again once, and
 *          marked failed the second time (a run that kills the server must not loop).
 *
 * Pairs with a live docking (proposed, accepted, in progress) are no candidate edges: they are
 * being handled already.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/json_rows.h"
#include "lib/clock.h"
#include "audit/audit.h"
#include "core/msg.h"
#include "core/policy.h"
#include "core/validate.h"
#include "db/db.h"
#include "matching/matching_db.h"
#include "matching/matching_set.h"
#include "resources/resources.h"

enum {
	RUN_LEASE_SECONDS = 120, /* longer than the longest phase without a progress write */
	RUN_MAX_ATTEMPTS = 2,
	RUN_CHUNK_NEEDS = 2000, /* candidates are generated, and progress written, per chunk */
	RUN_STORE_BATCH = 5000, /* rows per storing transaction */
};

/* ------------------------------------------------------------------ parameters */

struct run_params {
	const char **categories, **streets; /* NULL-terminated; {NULL} = all */
	int64_t k;
};

static int in_list(const char **list, const char *s)
{
	if (!list || !list[0])
		return 1;
	for (; *list; list++)
		if (s && strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Keeps the items of s whose category and street (first 9 digits of the place) are wanted;
 * compacts items (pools stay: the items keep pointing into them). */
static void set_filter(struct matching_set *s, const struct run_params *p)
{
	size_t j = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct matching_item *it = &s->items[i];
		char street[32];
		snprintf(street, sizeof street, "%012lld", (long long)it->community);
		street[9] = 0;
		int ok = in_list(p->categories, matching_category_name(it->category));
		if (ok && p->streets && p->streets[0]) {
			ok = 0;
			for (const char **st = p->streets; *st; st++)
				ok |= strncmp(*st, street, 9) == 0;
		}
		if (ok)
			s->items[j++] = *it;
	}
	s->n = j;
}

/* Reads {categories?, streets?, k?} into p (arena lists) and, when params is not NULL, the
 * normalized JSON to store. 0 or -1 with every bad field in c->err. */
static int read_params(struct ctx *c, json_t *body, struct run_params *p, json_t **params)
{
	static const char *const allowed[] = {"categories", "streets", "k", NULL};
	int nc = 0, ns = 0, present = 0;
	v_no_unknown_fields(c, body, allowed);
	v_string_list(c, body, "categories", 0, 16, 32, &p->categories, &nc);
	v_string_list(c, body, "streets", 0, 200, 12, &p->streets, &ns);
	p->k = 5;
	v_int(c, body, "k", 0, 1, 50, &p->k, &present);
	for (int i = 0; p->categories && p->categories[i]; i++)
		if (matching_category_from_name(p->categories[i]) < 0)
			error_field(&c->err, "categories", "field.bad_choice", 0);
	for (int i = 0; p->streets && p->streets[i]; i++)
		if (strlen(p->streets[i]) != 12 || strspn(p->streets[i], "0123456789") != 12)
			error_field(&c->err, "streets", "field.bad_format", 0);
	if (error_check(&c->err) != 0)
		return -1;
	if (!params)
		return 0;
	json_t *cats = json_array(), *streets = json_array();
	for (int i = 0; p->categories && p->categories[i]; i++)
		json_array_append_new(cats, json_string(p->categories[i]));
	for (int i = 0; p->streets && p->streets[i]; i++)
		json_array_append_new(streets, json_string(p->streets[i]));
	*params = json_pack("{so so sI}", "categories", cats, "streets", streets, "k",
			    (json_int_t)p->k);
	return 0;
}

/* ------------------------------------------------------------------ queueing */

/* A queued run's arguments and id, for its transaction's step. */
struct run_queue {
	const char *ptext, *wtext;
	int64_t wv;
	json_t *params;
	int64_t id;
};

static int run_queue_step(struct ctx *c, void *arg)
{
	struct run_queue *a = arg;
	a->id = db_int(c->db, -1, "INSERT INTO matching_run (status, params, weights, "
				  "weights_version, created_by, created_at, active_slot) VALUES "
				  "('queued', $1, $2, $3, $4, $5, 1) RETURNING id",
		       "sslll", a->ptext, a->wtext, a->wv, c->who->user_id, c->now);
	if (a->id < 0)
		return db_error_class(c->db) == DBE_UNIQUE
			       ? error_set(&c->err, E_CONFLICT, "matching.run_busy")
			       : ctx_db_error(c);
	json_t *after = json_pack("{sO sI ss}", "params", a->params, "weights_version",
				  (json_int_t)a->wv, "status", "queued");
	int rc = audit_append(c, "matching.run", "matching_run", a->id, NULL, after);
	json_decref(after);
	return rc;
}

int matching_run_start(struct ctx *c, json_t *body, int64_t *id)
{
	struct run_params p = {0};
	json_t *params = NULL;
	struct matching_weights w;
	int64_t wv;
	*id = -1;
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0 || read_params(c, body, &p, &params) != 0)
		return -1;
	if (matching_weights_load(c, &w, &wv) != 0) {
		json_decref(params);
		return -1;
	}
	json_t *wj = matching_weights_to_json(&w);
	char *ptext = json_dumps(params, JSON_COMPACT), *wtext = json_dumps(wj, JSON_COMPACT);
	struct run_queue a = {ptext, wtext, wv, params, -1};
	int rc = ctx_tx(c, run_queue_step, &a);
	*id = a.id;
	free(ptext);
	free(wtext);
	json_decref(wj);
	json_decref(params);
	return rc;
}

/* ------------------------------------------------------------------ the worker */

struct run_result {
	struct matching_set *needs, *resources;
	struct matching_edge *edges;
	size_t n_edges;
	struct matching_allocation alloc;
	double millis;
};

static void run_result_free(struct run_result *r)
{
	matching_set_free(r->needs);
	matching_set_free(r->resources);
	free(r->edges);
	matching_allocation_free(&r->alloc);
}

static int64_t now_s(void)
{
	return clock_now();
}

/* Writes the phase and counts into the running row and renews the lease (own statement:
 * readers see it at once). Outside a transaction, or inside the storing batch's. */
static int progress(struct ctx *c, int64_t run, const char *phase, int64_t done, int64_t total,
		    const struct run_result *r)
{
	if (db_run(c->db, "UPDATE matching_run SET phase = $2, progress_done = $3, "
			  "progress_total = $4, n_needs = $5, n_resources = $6, n_edges = $7, "
			  "lease_until = $8 WHERE id = $1 AND status = 'running'",
		   "lslllllll", run, phase, done, total, (int64_t)(r->needs ? r->needs->n : 0),
		   (int64_t)(r->resources ? r->resources->n : 0), (int64_t)r->n_edges,
		   now_s() + RUN_LEASE_SECONDS) < 0)
		return ctx_db_error(c);
	return 0;
}

/* The pairs with a live docking, as a sorted array of (need id, resource id). */
struct pair {
	int64_t need, resource;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->need != y->need)
		return x->need < y->need ? -1 : 1;
	return x->resource < y->resource ? -1 : x->resource > y->resource;
}

static int live_pairs(struct ctx *c, struct pair **out, size_t *n)
{
	size_t cap = 64;
	*n = 0;
	*out = malloc(cap * sizeof **out);
	struct db_stmt *st = db_query(c->db, "SELECT need_id, resource_id FROM docking WHERE status "
					     "IN ('proposed', 'accepted', 'in_progress') "
					     "AND resource_id IS NOT NULL", ""); /* not experts' */
	int rc = DB_DONE; /* stays so when the first malloc failed */
	while (*out && (rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct pair *p = realloc(*out, (cap *= 2) * sizeof *p);
			if (!p) {
				free(*out);
				*out = NULL;
				break;
			}
			*out = p;
		}
		(*out)[(*n)++] = (struct pair){db_col_int(st, 0), db_col_int(st, 1)};
	}
	db_done(st);
	if (!*out)
		return error_internal(&c->err, "matching: out of memory");
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	qsort(*out, *n, sizeof **out, cmp_pair);
	return 0;
}

/* The most live dockings one need has (each may push a candidate out of its top k). */
static size_t most_per_need(const struct pair *p, size_t n)
{
	size_t best = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && p[j].need == p[i].need; j++)
			;
		best = j - i > best ? j - i : best;
	}
	return best;
}

/* Appends needs [from, from + m)'s candidates (k + extra asked, live pairs dropped, at most k
 * kept per need, best first as generated) to r->edges. 0 or -1 with c->err. */
static int candidates_chunk(struct ctx *c, struct run_result *r, size_t from, size_t m,
			    const struct matching_weights *w, size_t k, size_t extra,
			    const struct pair *live, size_t n_live)
{
	struct matching_edge *e = NULL;
	size_t ne = 0;
	if (matching_candidates(r->resources->ix, r->needs->items + from, m, w, k + extra, &e,
				&ne) != 0)
		return error_internal(&c->err, "matching_candidates failed");
	size_t kept = 0;
	uint32_t last = UINT32_MAX;
	for (size_t i = 0; i < ne; i++) {
		if (e[i].need != last) {
			last = e[i].need;
			kept = 0;
		}
		struct pair key = {r->needs->items[from + e[i].need].id,
				   r->resources->items[e[i].resource].id};
		if (kept == k || (n_live && bsearch(&key, live, n_live, sizeof key, cmp_pair)))
			continue;
		kept++;
		e[i].need += (uint32_t)from;
		r->edges[r->n_edges++] = e[i];
	}
	free(e);
	return 0;
}

/* Loads, filters, indexes, builds the candidates (chunk by chunk, progress written) and
 * allocates. 0 or -1 with c->err. */
static int run_compute(struct ctx *c, int64_t run, const struct run_params *p,
		       const struct matching_weights *w, struct run_result *r)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pair *live = NULL;
	size_t n_live = 0;
	if (!(r->resources = matching_set_load(c, "resource", NULL, NULL)) ||
	    !(r->needs = matching_set_load(c, "need", NULL, r->resources)))
		return -1;
	set_filter(r->resources, p);
	set_filter(r->needs, p);
	if (progress(c, run, "candidates", 0, (int64_t)r->needs->n, r) != 0 ||
	    matching_set_index(c, r->resources, MATCHING_SIDE_RESOURCES) != 0 ||
	    live_pairs(c, &live, &n_live) != 0)
		goto fail;
	size_t k = (size_t)p->k, extra = most_per_need(live, n_live);
	if (!(r->edges = malloc((r->needs->n * k + 1) * sizeof *r->edges))) {
		error_internal(&c->err, "matching: out of memory");
		goto fail;
	}
	for (size_t from = 0; from < r->needs->n; from += RUN_CHUNK_NEEDS) {
		size_t m = r->needs->n - from < RUN_CHUNK_NEEDS ? r->needs->n - from : RUN_CHUNK_NEEDS;
		if (candidates_chunk(c, r, from, m, w, k, extra, live, n_live) != 0 ||
		    progress(c, run, "candidates", (int64_t)(from + m), (int64_t)r->needs->n, r) != 0)
			goto fail;
	}
	free(live);
	live = NULL;
	if (progress(c, run, "allocating", 0, (int64_t)r->n_edges, r) != 0)
		return -1;
	int64_t *nq = malloc((r->needs->n + 1) * sizeof *nq);
	int64_t *rq = malloc((r->resources->n + 1) * sizeof *rq);
	int rc = nq && rq ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < r->needs->n; i++)
		nq[i] = r->needs->items[i].quantity;
	for (size_t i = 0; rc == 0 && i < r->resources->n; i++)
		rq[i] = r->resources->items[i].quantity;
	struct matching_flow_input in = {r->needs->n, r->resources->n, nq, rq, r->edges, r->n_edges};
	if (rc == 0)
		rc = matching_allocate(&in, &r->alloc);
	free(nq);
	free(rq);
	r->millis = matching_ms_since(&t0);
	return rc == 0 ? 0 : error_internal(&c->err, "matching_allocate failed");
fail:
	free(live);
	return -1;
}

/*
 * Why many rows per INSERT: a run at 100,000 x 100,000 stores about 2,200,000 rows, and on
 * PostgreSQL one row per statement is one round trip each — measured 21.5 s to store a
 * 20,000 x 20,000 run (380,000 rows) against 0.6 s on SQLite; 200 rows per statement took
 * 6.5 s, 500 rows 4.2 s. The statement text is built once (the statement cache
 * is keyed by the text's address, so it lives in static storage); rows that do not fill a
 * whole statement go one by one.
 */
enum { STORE_ROWS = 500, EDGE_COLS = 7, ITEM_COLS = 4 };

static const char edge_insert[] = "INSERT INTO matching_run_edge (run_id, seq, need_id, "
				  "resource_id, score, capacity, flow) VALUES ";
static const char item_insert[] = "INSERT INTO matching_run_item (run_id, item_id, kind, "
				  "quantity) VALUES ";
static char edge_rows_sql[sizeof edge_insert + STORE_ROWS * EDGE_COLS * 8];
static char item_rows_sql[sizeof item_insert + STORE_ROWS * ITEM_COLS * 8];
static pthread_once_t rows_sql_once = PTHREAD_ONCE_INIT;

/* head + "($1, .. $cols), ($cols+1, ..)" for STORE_ROWS rows */
static void rows_sql_build(char *out, size_t size, const char *head, int cols)
{
	size_t at = (size_t)snprintf(out, size, "%s", head);
	for (int r = 0, n = 1; r < STORE_ROWS && at < size; r++) {
		at += (size_t)snprintf(out + at, size - at, "%s(", r ? ", " : "");
		for (int k = 0; k < cols && at < size; k++, n++)
			at += (size_t)snprintf(out + at, size - at, "%s$%d", k ? ", " : "", n);
		at += (size_t)snprintf(out + at, size - at, ")");
	}
}

static void rows_sql_init(void)
{
	rows_sql_build(edge_rows_sql, sizeof edge_rows_sql, edge_insert, EDGE_COLS);
	rows_sql_build(item_rows_sql, sizeof item_rows_sql, item_insert, ITEM_COLS);
}

/* Binds row i of the storage sequence (needs, then resources, then edges) at parameter
 * `first` onwards. */
static void bind_row(struct db_stmt *st, int first, int64_t run, const struct run_result *r,
		     size_t i)
{
	size_t nn = r->needs->n, nr = r->resources->n;
	db_bind_int(st, first, run);
	if (i < nn + nr) {
		const struct matching_item *it =
			i < nn ? &r->needs->items[i] : &r->resources->items[i - nn];
		db_bind_int(st, first + 1, it->id);
		db_bind_text(st, first + 2, i < nn ? "need" : "resource");
		db_bind_int(st, first + 3, it->quantity);
		return;
	}
	size_t e = i - nn - nr;
	const struct matching_edge *ed = &r->edges[e];
	db_bind_int(st, first + 1, (int64_t)e);
	db_bind_int(st, first + 2, r->needs->items[ed->need].id);
	db_bind_int(st, first + 3, r->resources->items[ed->resource].id);
	db_bind_int(st, first + 4, ed->score);
	db_bind_int(st, first + 5, ed->capacity);
	db_bind_int(st, first + 6, r->alloc.flow ? r->alloc.flow[e] : 0);
}

/* Rows [from, to) of one kind (all items or all edges): whole statements of STORE_ROWS rows,
 * then the rest one by one. */
static int store_kind(struct ctx *c, int64_t run, const struct run_result *r, size_t from,
		      size_t to, int edges)
{
	const char *many = edges ? edge_rows_sql : item_rows_sql;
	int cols = edges ? EDGE_COLS : ITEM_COLS;
	static const char edge_one[] = "INSERT INTO matching_run_edge (run_id, seq, need_id, "
				       "resource_id, score, capacity, flow) VALUES ($1, $2, $3, "
				       "$4, $5, $6, $7)";
	static const char item_one[] = "INSERT INTO matching_run_item (run_id, item_id, kind, "
				       "quantity) VALUES ($1, $2, $3, $4)";
	for (size_t i = from; i < to;) {
		size_t rows = to - i >= STORE_ROWS ? STORE_ROWS : 1;
		struct db_stmt *st = db_prepare(c->db, rows > 1 ? many : edges ? edge_one : item_one);
		for (size_t k = 0; k < rows; k++)
			bind_row(st, 1 + (int)k * cols, run, r, i + k);
		int rc = db_step(st);
		db_done(st);
		if (rc == DB_ERROR)
			return ctx_db_error(c);
		i += rows;
	}
	return 0;
}

/* Rows [from, to) of the run's storage sequence: needs, then resources, then edges. */
static int store_rows(struct ctx *c, int64_t run, const struct run_result *r, size_t from,
		      size_t to)
{
	size_t items = r->needs->n + r->resources->n;
	pthread_once(&rows_sql_once, rows_sql_init);
	if (from < items && store_kind(c, run, r, from, to < items ? to : items, 0) != 0)
		return -1;
	if (to > items && store_kind(c, run, r, from > items ? from : items, to, 1) != 0)
		return -1;
	return 0;
}

/* The store's run and current batch (rows from..to of total), for the steps below. */
struct run_batch {
	int64_t run;
	const struct run_result *r;
	size_t from, to, total;
};

static int store_batch_step(struct ctx *c, void *arg)
{
	struct run_batch *b = arg;
	if (store_rows(c, b->run, b->r, b->from, b->to) != 0)
		return -1;
	return progress(c, b->run, "storing", (int64_t)b->to, (int64_t)b->total, b->r);
}

static int run_done_step(struct ctx *c, void *arg)
{
	struct run_batch *b = arg;
	const struct run_result *r = b->r;
	if (db_run(c->db, "UPDATE matching_run SET status = 'done', n_needs = $2, n_resources = $3, "
			  "n_edges = $4, total_score = $5, total_quantity = $6, millis = $7, "
			  "finished_at = $8, active_slot = NULL, lease_until = NULL WHERE id = $1",
		   "llllllll", b->run, (int64_t)r->needs->n, (int64_t)r->resources->n,
		   (int64_t)r->n_edges, r->alloc.total_score, r->alloc.total_quantity,
		   (int64_t)llround(r->millis), now_s()) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{ss sI sI sI}", "status", "done", "edges",
				  (json_int_t)r->n_edges, "total_score",
				  (json_int_t)r->alloc.total_score, "total_quantity",
				  (json_int_t)r->alloc.total_quantity);
	int rc = audit_append(c, "matching.run.done", "matching_run", b->run, NULL, after);
	json_decref(after);
	return rc;
}

/* Stores everything in batches (each its own transaction, progress written with it), then
 * marks the run done with its totals (audited) in the last one. */
static int run_store(struct ctx *c, int64_t run, const struct run_result *r)
{
	struct run_batch b = {run, r, 0, 0, r->needs->n + r->resources->n + r->n_edges};
	for (b.from = 0; b.from < b.total; b.from += RUN_STORE_BATCH) {
		b.to = b.total - b.from < RUN_STORE_BATCH ? b.total : b.from + RUN_STORE_BATCH;
		if (ctx_tx(c, store_batch_step, &b) != 0)
			return -1;
	}
	return ctx_tx(c, run_done_step, &b);
}

/* A failure's run and message, for its transaction's step. */
struct run_failure {
	int64_t run;
	const char *key, *detail;
};

static int run_fail_step(struct ctx *c, void *arg)
{
	struct run_failure *f = arg;
	if (db_run(c->db, "UPDATE matching_run SET status = 'failed', error = $2, "
			  "finished_at = $3, active_slot = NULL, lease_until = NULL "
			  "WHERE id = $1 AND status = 'running'",
		   "lsl", f->run, f->key, now_s()) < 0)
		return ctx_db_error(c);
	json_t *after = json_pack("{ss ss ss}", "status", "failed", "error", f->key, "detail",
				  f->detail ? f->detail : "");
	int rc = audit_append(c, "matching.run.failed", "matching_run", f->run, NULL, after);
	json_decref(after);
	return rc;
}

/* Ends a run as failed with a message key (rendered at read time), audited. */
static int run_fail(struct ctx *c, int64_t run, const char *key, const char *detail)
{
	struct run_failure f = {run, key, detail};
	return ctx_tx(c, run_fail_step, &f);
}

/* Runs one claimed run to its end. 0 done, -1 failed (recorded). */
static int run_process(struct ctx *c, int64_t run, const char *ptext, const char *wtext)
{
	struct run_params p = {0};
	struct matching_weights w;
	struct run_result r = {0};
	json_t *pj = json_loads(ptext, 0, NULL), *wj = json_loads(wtext, 0, NULL);
	matching_weights_default(&w);
	matching_weights_from_json(&w, wj);
	/* a partial store of an interrupted attempt is replaced */
	int rc = db_run(c->db, "DELETE FROM matching_run_edge WHERE run_id = $1", "l", run) < 0 ||
			 db_run(c->db, "DELETE FROM matching_run_item WHERE run_id = $1", "l",
				run) < 0
		 ? ctx_db_error(c)
		 : 0;
	if (rc == 0)
		rc = read_params(c, pj ? pj : json_object(), &p, NULL);
	if (rc == 0)
		rc = run_compute(c, run, &p, &w, &r);
	if (rc == 0)
		rc = run_store(c, run, &r);
	if (rc != 0) {
		char detail[256];
		snprintf(detail, sizeof detail, "%s",
			 c->err.log[0] ? c->err.log : error_code(c->err.kind));
		fprintf(stderr, "tongxin: matching run %lld failed: %s\n", (long long)run, detail);
		error_clear(&c->err);
		run_fail(c, run, "matching.run_failed", detail);
	}
	run_result_free(&r);
	json_decref(pj);
	json_decref(wj);
	return rc;
}

/* Interrupted runs (running, lease over): queued again, or failed after RUN_MAX_ATTEMPTS.
 * Returns how many were handled, or -1. */
static int recover(struct ctx *c)
{
	int64_t ids[32];
	int n = 0;
	struct db_stmt *st = db_query(c->db, "SELECT id FROM matching_run WHERE status = 'running' "
					     "AND lease_until < $1 ORDER BY id LIMIT 32", "l", now_s());
	while (n < 32 && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++) {
		if (db_run(c->db, "UPDATE matching_run SET status = 'queued', phase = NULL, "
				  "lease_until = NULL WHERE id = $1 AND status = 'running' AND "
				  "lease_until < $2 AND attempts < $3",
			   "lll", ids[i], now_s(), (int64_t)RUN_MAX_ATTEMPTS) < 0)
			return ctx_db_error(c);
		if (db_exists(c->db, "SELECT 1 FROM matching_run WHERE id = $1 AND status = 'running'",
			      "l", ids[i]))
			run_fail(c, ids[i], "matching.run_interrupted", "lease expired twice");
	}
	return n;
}

/* A claim's results (texts malloc'd), for its transaction's step. */
struct run_claim {
	int got;
	int64_t id;
	char *ptext, *wtext;
};

static int claim_step(struct ctx *c, void *arg)
{
	struct run_claim *k = arg;
	struct db_stmt *st = db_query(
		c->db,
		"UPDATE matching_run SET status = 'running', attempts = attempts + 1, lease_until = $2, "
		"started_at = $1, phase = 'loading', progress_done = 0, progress_total = 0, "
		"error = NULL WHERE id = (SELECT id FROM matching_run WHERE status = 'queued' "
		"ORDER BY id LIMIT 1) AND status = 'queued' RETURNING id, params, weights",
		"ll", now_s(), now_s() + RUN_LEASE_SECONDS);
	int rc = db_step(st);
	k->got = rc == DB_ROW;
	if (k->got) {
		k->id = db_col_int(st, 0);
		k->ptext = xstrdup(db_col_text(st, 1));
		k->wtext = xstrdup(db_col_text(st, 2));
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

/* Claims the oldest queued run: 1 and its id and texts (malloc'd), 0 none, -1 error. */
static int claim(struct ctx *c, int64_t *id, char **ptext, char **wtext)
{
	struct run_claim k = {0};
	if (ctx_tx(c, claim_step, &k) != 0) {
		free(k.ptext);
		free(k.wtext);
		return -1;
	}
	if (k.got)
		*id = k.id, *ptext = k.ptext, *wtext = k.wtext;
	return k.got;
}

int matching_runs_task(struct ctx *c)
{
	if (recover(c) < 0)
		return -1;
	int64_t id = 0;
	char *ptext = NULL, *wtext = NULL;
	int n = 0, got = 0;
	/* every second: a read, and a write transaction only when there is work */
	while (db_exists(c->db, "SELECT 1 FROM matching_run WHERE status = 'queued'", "") &&
	       (got = claim(c, &id, &ptext, &wtext)) == 1) {
		run_process(c, id, ptext, wtext);
		free(ptext);
		free(wtext);
		n++;
	}
	return got < 0 ? -1 : n;
}

/* ------------------------------------------------------------------ reading */

#define RUN_COLUMNS                                                                          \
	"SELECT id, status, params, weights, weights_version, n_needs, n_resources, n_edges, "  \
	"total_score, total_quantity, millis, error, created_by, created_at, finished_at, "     \
	"phase, progress_done, progress_total, started_at, attempts FROM matching_run "
#define RUN_SPEC "lssslllllllslllsllll"

static json_t *run_row(struct ctx *c, struct db_stmt *st)
{
	json_t *j = json_row(st, RUN_SPEC);
	for (int i = 0; i < 2; i++) {
		const char *key = i ? "weights" : "params";
		json_t *v = json_loads(json_string_value(json_object_get(j, key)), 0, NULL);
		json_object_set_new(j, key, v ? v : json_object());
	}
	const char *err = json_string_value(json_object_get(j, "error"));
	json_object_set_new(j, "error_message", err ? json_string(msg_text(err, c->lang)) : json_null());
	json_object_set_new(j, "score_scale", json_integer(MATCHING_SCORE_SCALE));
	return j;
}

json_t *matching_run_json(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0)
		return NULL;
	static const char one[] = RUN_COLUMNS "WHERE id = $1";
	struct db_stmt *st = db_query(c->db, one, "l", id);
	json_t *run = db_step(st) == DB_ROW ? run_row(c, st) : NULL;
	db_done(st);
	if (!run)
		return error_set(&c->err, E_NOT_FOUND, "matching.run_not_found"), NULL;
	int64_t allocated = db_int(c->db, 0, "SELECT COUNT(*) FROM matching_run_edge WHERE "
					     "run_id = $1 AND flow > 0", "l", id);
	json_object_set_new(run, "n_allocated", json_integer(allocated));
	return run;
}

#define EDGE_COLUMNS                                                                           \
	"SELECT e.seq, e.need_id, e.resource_id, e.score, e.capacity, e.flow, "                   \
	"ni.quantity AS need_quantity, ri.quantity AS resource_quantity, n.title AS need_title, " \
	"n.org_id AS need_org_id, nog.name AS need_org_name, r.title AS resource_title, "         \
	"r.org_id AS resource_org_id, rog.name AS resource_org_name, (SELECT MAX(d.id) FROM "     \
	"docking d WHERE d.need_id = e.need_id AND d.resource_id = e.resource_id AND d.status "   \
	"IN ('proposed', 'accepted', 'in_progress')) AS docking_id FROM matching_run_edge e "     \
	"JOIN matching_run_item ni ON ni.run_id = e.run_id AND ni.item_id = e.need_id "           \
	"JOIN matching_run_item ri ON ri.run_id = e.run_id AND ri.item_id = e.resource_id "       \
	"JOIN res_item n ON n.id = e.need_id JOIN org nog ON nog.id = n.org_id "                  \
	"JOIN res_item r ON r.id = e.resource_id JOIN org rog ON rog.id = r.org_id "

json_t *matching_run_edges_json(struct ctx *c, int64_t id, int allocated, int64_t page,
				int64_t per_page)
{
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0)
		return NULL;
	if (!db_exists(c->db, "SELECT 1 FROM matching_run WHERE id = $1", "l", id))
		return error_set(&c->err, E_NOT_FOUND, "matching.run_not_found"), NULL;
	static const char all_sql[] =
		EDGE_COLUMNS "WHERE e.run_id = $1 ORDER BY e.seq LIMIT $2 OFFSET $3";
	static const char alloc_sql[] =
		EDGE_COLUMNS "WHERE e.run_id = $1 AND e.flow > 0 ORDER BY e.seq LIMIT $2 OFFSET $3";
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, allocated ? alloc_sql : all_sql, "lll", id, per_page,
				      (page - 1) * per_page);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_row(st, "llllllllslsslsl"));
	db_done(st);
	int64_t total = allocated ? db_int(c->db, 0, "SELECT COUNT(*) FROM matching_run_edge "
						    "WHERE run_id = $1 AND flow > 0", "l", id)
				  : db_int(c->db, 0, "SELECT COUNT(*) FROM matching_run_edge "
						    "WHERE run_id = $1", "l", id);
	return json_pack("{so sI sI sI}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
}

/* Edges are read a page at a time by seq (the primary key), so memory stays bounded whatever
 * the run's size on both engines (libpq would otherwise hold the whole result). */
enum { EDGES_CSV_PAGE = 2000 };

struct run_edges_csv {
	struct ctx_detached *d; /* its own connection: the reader outlives the request */
	int64_t run_id, last_seq;
	int header_written, done;
	struct buf pending;
	size_t pending_pos;
};

struct run_edges_csv *matching_run_edges_csv_open(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0)
		return NULL;
	if (!db_exists(c->db, "SELECT 1 FROM matching_run WHERE id = $1", "l", id))
		return error_set(&c->err, E_NOT_FOUND, "matching.run_not_found"), NULL;
	struct run_edges_csv *e = xcalloc(1, sizeof *e);
	if (!(e->d = ctx_detach(c))) {
		free(e);
		return NULL;
	}
	e->run_id = id;
	e->last_seq = -1;
	return e;
}

/* The next page of edges as CSV lines into e->pending: > 0 rows, 0 at the end, -1 on error. */
static int edges_csv_page(struct run_edges_csv *e)
{
	static const char page_sql[] =
		"SELECT e.seq, e.need_id, e.resource_id, e.score, e.capacity, e.flow, ni.quantity, "
		"ri.quantity FROM matching_run_edge e JOIN matching_run_item ni ON ni.run_id = "
		"e.run_id AND ni.item_id = e.need_id JOIN matching_run_item ri ON ri.run_id = "
		"e.run_id AND ri.item_id = e.resource_id WHERE e.run_id = $1 AND e.seq > $2 "
		"ORDER BY e.seq LIMIT $3";
	struct db_stmt *st = db_query(e->d->c.db, page_sql, "lli", e->run_id, e->last_seq,
				      (int)EDGES_CSV_PAGE);
	int rc, n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		for (int i = 0; i < 8; i++)
			buf_printf(&e->pending, "%lld%s", (long long)db_col_int(st, i),
				   i < 7 ? "," : "\r\n");
		e->last_seq = db_col_int(st, 0);
		n++;
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	e->done = n < EDGES_CSV_PAGE;
	return n;
}

long matching_run_edges_csv_read(struct run_edges_csv *e, char *out, size_t max)
{
	while (e->pending_pos >= e->pending.len) {
		buf_reset(&e->pending);
		e->pending_pos = 0;
		if (!e->header_written) {
			buf_puts(&e->pending, "seq,need_id,resource_id,score,capacity,flow,"
					      "need_quantity,resource_quantity\r\n");
			e->header_written = 1;
			continue;
		}
		if (e->done)
			return 0;
		if (edges_csv_page(e) < 0)
			return -1;
	}
	return (long)buf_read_at(&e->pending, &e->pending_pos, out, max);
}

void matching_run_edges_csv_close(struct run_edges_csv *e)
{
	if (!e)
		return;
	ctx_detached_free(e->d);
	buf_free(&e->pending);
	free(e);
}

json_t *matching_runs_json(struct ctx *c, int64_t page, int64_t per_page)
{
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0)
		return NULL;
	static const char list[] = RUN_COLUMNS "ORDER BY id DESC LIMIT $1 OFFSET $2";
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, list, "ll", per_page, (page - 1) * per_page);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, run_row(c, st));
	db_done(st);
	int64_t total = db_int(c->db, 0, "SELECT COUNT(*) FROM matching_run", "");
	return json_pack("{so sI sI sI}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
}
