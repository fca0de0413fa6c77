/*
 * The matching engine wired to the database. Open items of one kind are loaded from res_item
 * (+ fields, organization type and grade, trust counters, matches received) into a
 * `struct matching_set`: the items, their field and token arrays, a token vocabulary (token
 * text -> id, built per set) and the index. One set per kind is cached per process and
 * reference-counted, so a rebuild never frees a set a request still reads; it is rebuilt
 * when older than MATCHING_CACHE_TTL or when too much changed since.
 *
 * Freshness without rebuilding: every suggestion also loads the overlay — the items of the
 * other kind written since the build (res_item.updated_at, stamped by every write: create,
 * edit, close, expiry, a docking consuming quantity; or an id above the set's) — scores those
 * directly and ignores their indexed copies. So a resource posted or edited a second ago, by
 * this process or another, is in the next suggestion. Suggestions also re-read their rows,
 * so an item closed since is never shown, and they mark pairs that have a live docking.
 * Global runs (matching_runs.c) load their own sets from the database and use no cache.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/json_rows.h"
#include "lib/clock.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "db/db.h"
#include "lib/text.h"
#include "matching/matching_db.h"
#include "matching/matching_set.h"
#include "registry/org.h"
#include "resources/resources.h"

/* ------------------------------------------------------------------ vocabulary */

static uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int vocab_grow(struct vocab *v)
{
	size_t cap = v->cap ? v->cap * 2 : 1024;
	char **keys = calloc(cap, sizeof *keys);
	uint32_t *ids = calloc(cap, sizeof *ids);
	if (!keys || !ids) {
		free(keys);
		free(ids);
		return -1;
	}
	for (size_t i = 0; i < v->cap; i++) {
		if (!v->keys[i])
			continue;
		size_t j = str_hash(v->keys[i], strlen(v->keys[i])) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = v->keys[i];
		ids[j] = v->ids[i];
	}
	free(v->keys);
	free(v->ids);
	v->keys = keys;
	v->ids = ids;
	v->cap = cap;
	return 0;
}

/* The id of token s[0..n): found, or (add) a new one; UINT32_MAX when absent and !add or
 * out of memory. */
static uint32_t vocab_id(struct vocab *v, const char *s, size_t n, int add)
{
	if (add && (v->n + 1) * 2 > v->cap && vocab_grow(v) != 0)
		return UINT32_MAX;
	if (!v->cap)
		return UINT32_MAX;
	size_t j = str_hash(s, n) & (v->cap - 1);
	for (; v->keys[j]; j = (j + 1) & (v->cap - 1))
		if (strncmp(v->keys[j], s, n) == 0 && v->keys[j][n] == 0)
			return v->ids[j];
	if (!add)
		return UINT32_MAX;
	char *k = malloc(n + 1);
	if (!k)
		return UINT32_MAX;
	memcpy(k, s, n);
	k[n] = 0;
	v->keys[j] = k;
	v->ids[j] = (uint32_t)v->n;
	return (uint32_t)v->n++;
}

static void vocab_free(struct vocab *v)
{
	for (size_t i = 0; i < v->cap; i++)
		free(v->keys[i]);
	free(v->keys);
	free(v->ids);
	memset(v, 0, sizeof *v);
}

/* ------------------------------------------------------------------ loading items */

void matching_set_free(struct matching_set *s)
{
	if (!s)
		return;
	matching_index_free(s->ix);
	vocab_free(&s->vocab);
	free(s->items);
	free(s->vis_rank);
	free(s->fields);
	free(s->tokens);
	free(s->field_at);
	free(s->token_at);
	free(s);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t cap2 = *cap ? *cap : 64;
	while (cap2 < need)
		cap2 *= 2;
	void *q = realloc(*p, cap2 * size);
	if (!q)
		return -1;
	*p = q;
	*cap = cap2;
	return 0;
}

static int code_index(const char *const *codes, const char *code)
{
	for (int i = 0; code && codes[i]; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

/* "5A" -> 5; NULL or unknown -> 0 */
static int grade_number(const char *g)
{
	return g && g[0] >= '1' && g[0] <= '5' && g[1] == 'A' ? g[0] - '0' : 0;
}

static uint32_t type_mask(const char *list)
{
	uint32_t m = 0;
	char code[64];
	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n < sizeof code) {
			memcpy(code, list, n);
			code[n] = 0;
			int t = code_index(org_type_codes, code);
			if (t >= 0 && t < 32)
				m |= 1u << t;
		}
		list += n + (list[n] == ',');
	}
	return m;
}

static int unit_of(const char *code)
{
	return code && strcmp(code, "m2") == 0 ? MATCHING_SQUARE_METRES : matching_unit_from_name(code);
}

static int64_t place_of(const char *community, const char *street)
{
	const char *s = community && *community ? community : street;
	return s ? strtoll(s, NULL, 10) : 0;
}

/* Tokens of title + description into the pool; unknown tokens get ids when `add`, else
 * fresh ids beyond the vocabulary (they match nothing but count in the query's norm). */
static int add_tokens(struct matching_set *s, const char *title, const char *desc, int add)
{
	char *text = NULL, *toks = NULL;
	size_t lt = strlen(title ? title : ""), ld = strlen(desc ? desc : "");
	text = malloc(lt + ld + 2);
	if (!text)
		return -1;
	snprintf(text, lt + ld + 2, "%s %s", title ? title : "", desc ? desc : "");
	int rc = text_index_tokens(text, &toks);
	free(text);
	if (rc != 0)
		return 0; /* unusable text: no tokens */
	uint32_t extra = (uint32_t)s->vocab.n;
	for (char *p = toks; *p;) {
		size_t n = strcspn(p, " ");
		if (n) {
			uint32_t id = vocab_id(&s->vocab, p, n, add);
			if (id == UINT32_MAX)
				id = extra++;
			if (grow((void **)&s->tokens, &s->cap_tokens, s->n_tokens + 1, sizeof *s->tokens)) {
				free(toks);
				return -1;
			}
			s->tokens[s->n_tokens++] = id;
		}
		p += n + (p[n] == ' ');
	}
	free(toks);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* The grade is the one that counts today by the registry's rule (valid_from <= today <=
 * valid_to, the latest announced), read live like the dockings' conditions: org.current_grade
 * waits for the hourly grades task when a period begins or ends. `today` names its parameter. */
#define LOAD_COLUMNS(today)                                                                   \
	"SELECT i.id, i.org_id, o.type, (SELECT g.grade FROM org_grade g WHERE g.org_id = "      \
	"i.org_id AND g.valid_from <= " today " AND g.valid_to >= " today " ORDER BY "          \
	"g.announced_on DESC, g.id DESC LIMIT 1), i.category, i.title, i.description, "         \
	"i.community_code, i.street_code, i.lat, i.lon, i.start_at, i.end_at, i.remaining, "     \
	"i.unit, i.eligible_types, i.min_grade, COALESCE(t.rating_count, 0), "                   \
	"COALESCE(t.rating_sum, 0), (SELECT COUNT(*) FROM docking d WHERE d.need_org_id = "      \
	"i.org_id), i.vis_rank FROM res_item i JOIN org o ON o.id = i.org_id LEFT JOIN org_trust " \
	"t ON t.org_id = i.org_id "
/* The open items (one = 0) or the item `one`; the items changed since $2 or newer than $3. */
static const char load_sql[] = LOAD_COLUMNS("$3")
	"WHERE i.kind = $1 AND ((CAST($2 AS BIGINT) = 0 AND i.status IN ('open', 'partly_matched') "
	"AND i.remaining > 0) OR i.id = $2) ORDER BY i.id";
static const char fields_sql[] =
	"SELECT f.item_id, f.field FROM res_item_field f JOIN res_item i ON i.id = f.item_id "
	"WHERE i.kind = $1 AND ((CAST($2 AS BIGINT) = 0 AND i.status IN ('open', 'partly_matched') "
	"AND i.remaining > 0) OR i.id = $2) ORDER BY f.item_id, f.field";
/* A UNION, not an OR, so that each half reads its own index (kind, updated_at), (kind, id). */
#define CHANGED_IDS                                                                           \
	"(SELECT id FROM res_item WHERE kind = $1 AND updated_at >= $2 UNION SELECT id FROM "   \
	"res_item WHERE kind = $1 AND id > $3)"
static const char changed_load_sql[] = LOAD_COLUMNS("$4")
	"WHERE i.id IN " CHANGED_IDS " ORDER BY i.id";
static const char changed_fields_sql[] =
	"SELECT f.item_id, f.field FROM res_item_field f WHERE f.item_id IN " CHANGED_IDS
	" ORDER BY f.item_id, f.field";

/* The rows q chooses (see matching_set_query). */
static struct db_stmt *query_rows(struct ctx *c, const char *kind,
				  const struct matching_set_query *q, int fields)
{
	if (q && q->changed_since > 0)
		return fields ? db_query(c->db, changed_fields_sql, "sll", kind, q->changed_since,
					 q->after_id)
			      : db_query(c->db, changed_load_sql, "slls", kind, q->changed_since,
					 q->after_id, org_today_text(c));
	return fields ? db_query(c->db, fields_sql, "sl", kind, q ? q->one : 0)
		      : db_query(c->db, load_sql, "sls", kind, q ? q->one : 0, org_today_text(c));
}

/* One row of load_sql into a new item (pools grown); -1 out of memory. */
static int load_row(struct matching_set *s, struct db_stmt *st, int add)
{
	if (grow((void **)&s->items, &s->cap, s->n + 1, sizeof *s->items) ||
	    !(s->vis_rank = realloc(s->vis_rank, s->cap * sizeof *s->vis_rank)) ||
	    !(s->token_at = realloc(s->token_at, (s->cap + 1) * sizeof *s->token_at)) ||
	    !(s->field_at = realloc(s->field_at, (s->cap + 1) * sizeof *s->field_at)))
		return -1;
	struct matching_item *it = &s->items[s->n];
	memset(it, 0, sizeof *it);
	it->id = db_col_int(st, 0);
	it->org_id = db_col_int(st, 1);
	int t = code_index(org_type_codes, db_col_text(st, 2));
	it->org_type = t >= 0 && t < 32 ? (uint32_t)t : 0;
	it->grade = grade_number(db_col_text(st, 3));
	int cat = matching_category_from_name(db_col_text(st, 4));
	it->category = cat >= 0 ? (enum matching_category)cat : MATCHING_OTHER;
	s->token_at[s->n] = s->n_tokens;
	if (add_tokens(s, db_col_text(st, 5), db_col_text(st, 6), add) != 0)
		return -1;
	it->community = place_of(db_col_text(st, 7), db_col_text(st, 8));
	it->lat = db_col_isnull(st, 9) ? NAN : db_col_double(st, 9);
	it->lon = db_col_isnull(st, 10) ? NAN : db_col_double(st, 10);
	it->window_start = db_col_int(st, 11);
	it->window_end = db_col_int(st, 12);
	if (it->window_start && !it->window_end)
		it->window_end = INT64_MAX / 2;
	it->quantity = db_col_int(st, 13);
	int u = unit_of(db_col_text(st, 14));
	it->unit = u >= 0 ? (enum matching_unit)u : MATCHING_ITEMS;
	it->eligible_org_types = type_mask(db_col_text(st, 15));
	it->min_grade = grade_number(db_col_text(st, 16));
	int64_t rc = db_col_int(st, 17), rs = db_col_int(st, 18);
	it->trust_count = (uint32_t)rc;
	it->trust_mean = rc ? (double)rs / (double)rc : 0;
	it->matches_received = (uint32_t)db_col_int(st, 19);
	s->vis_rank[s->n] = (int)db_col_int(st, 20);
	s->field_at[s->n] = 0;
	s->n++;
	return 0;
}

static struct matching_item *find_item(struct matching_set *s, int64_t id)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->items[lo].id == id ? &s->items[lo] : NULL;
}

/* Reads the fields, then points every item into the pools (sorted per item). */
static int load_fields(struct matching_set *s, struct ctx *c, const char *kind,
		       const struct matching_set_query *q)
{
	size_t *count = calloc(s->n + 1, sizeof *count);
	uint16_t *raw = NULL;
	int64_t *owner = NULL;
	size_t nraw = 0, cap = 0, cap2 = 0;
	if (!count)
		return -1;
	/* The offset arrays hold n + 1 entries, the last one ending the pools. load_row grows them,
	 * so a set with no rows (an empty overlay: nothing written since the build, which is every
	 * quiet morning; an empty district) has none yet: give it its one end entry. */
	if (s->n == 0 && (!(s->field_at = realloc(s->field_at, sizeof *s->field_at)) ||
			  !(s->token_at = realloc(s->token_at, sizeof *s->token_at)))) {
		free(count);
		return -1;
	}
	struct db_stmt *st = query_rows(c, kind, q, 1);
	int rc, bad = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int f = code_index(org_field_codes, db_col_text(st, 1));
		struct matching_item *it = f >= 0 ? find_item(s, db_col_int(st, 0)) : NULL;
		if (!it)
			continue;
		if (grow((void **)&raw, &cap, nraw + 1, sizeof *raw) ||
		    grow((void **)&owner, &cap2, nraw + 1, sizeof *owner)) {
			bad = 1;
			break;
		}
		raw[nraw] = (uint16_t)f;
		owner[nraw++] = it - s->items;
		count[it - s->items]++;
	}
	db_done(st);
	if (bad || rc == DB_ERROR || !(s->fields = malloc((nraw + 1) * sizeof *s->fields))) {
		free(count);
		free(raw);
		free(owner);
		return bad ? -1 : rc == DB_ERROR ? ctx_db_error(c) : -1;
	}
	size_t at = 0;
	for (size_t i = 0; i < s->n; i++) {
		s->field_at[i] = at;
		at += count[i];
		count[i] = s->field_at[i];
	}
	for (size_t r = 0; r < nraw; r++)
		s->fields[count[owner[r]]++] = raw[r];
	s->n_fields = nraw;
	s->field_at[s->n] = nraw;
	s->token_at[s->n] = s->n_tokens;
	for (size_t i = 0; i < s->n; i++) {
		struct matching_item *it = &s->items[i];
		it->fields = s->fields + s->field_at[i];
		it->n_fields = s->field_at[i + 1] - s->field_at[i];
		qsort((void *)it->fields, it->n_fields, sizeof *it->fields, cmp_u16);
		it->tokens = s->tokens + s->token_at[i];
		it->n_tokens = s->token_at[i + 1] - s->token_at[i];
		qsort((void *)it->tokens, it->n_tokens, sizeof *it->tokens, cmp_u32);
	}
	free(count);
	free(raw);
	free(owner);
	return 0;
}

double matching_ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

struct matching_set *matching_set_load(struct ctx *c, const char *kind,
				       const struct matching_set_query *q,
				       struct matching_set *vocab_of)
{
	struct matching_set *s = calloc(1, sizeof *s);
	if (!s)
		return error_internal(&c->err, "out of memory"), NULL;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vocab_of)
		s->vocab = vocab_of->vocab; /* borrowed for the lookups, taken back below */
	struct db_stmt *st = query_rows(c, kind, q, 0);
	int rc, bad = 0;
	while (!bad && (rc = db_step(st)) == DB_ROW)
		bad = load_row(s, st, !vocab_of);
	db_done(st);
	if (vocab_of)
		memset(&s->vocab, 0, sizeof s->vocab);
	if (bad || rc == DB_ERROR || load_fields(s, c, kind, q) != 0) {
		if (!error_check(&c->err) && rc == DB_ERROR)
			ctx_db_error(c);
		else if (!error_check(&c->err))
			error_internal(&c->err, "matching: out of memory");
		matching_set_free(s);
		return NULL;
	}
	s->max_id = s->n ? s->items[s->n - 1].id : 0;
	s->load_ms = matching_ms_since(&t0);
	return s;
}

int matching_set_index(struct ctx *c, struct matching_set *s, enum matching_side side)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s->ix = matching_index_build(s->items, s->n, side);
	s->index_ms = matching_ms_since(&t0);
	return s->ix ? 0 : error_internal(&c->err, "matching: index build failed");
}

/* ------------------------------------------------------------------ the process cache */

/* The one piece of process state of this module: the cached sets (need, resource). */
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct matching_set *cache[2];

static void set_release(struct matching_set *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&cache_mu);
	int last = --s->refs == 0;
	pthread_mutex_unlock(&cache_mu);
	if (last)
		matching_set_free(s);
}

/* The indexed open items of `kind`, rebuilt when older than MATCHING_CACHE_TTL or marked
 * stale (built = 0) by set_overlay; release with set_release. NULL with c->err. */
static struct matching_set *set_get(struct ctx *c, const char *kind)
{
	int k = strcmp(kind, "need") == 0 ? 0 : 1;
	pthread_mutex_lock(&cache_mu);
	struct matching_set *s = cache[k];
	if (s && s->built && time(NULL) - s->built < MATCHING_CACHE_TTL) {
		s->refs++;
		pthread_mutex_unlock(&cache_mu);
		return s;
	}
	/* rebuilt under the lock: concurrent callers wait for one build instead of each building.
	 * max_id is read before the load, so an item inserted meanwhile is in the overlay. */
	int64_t max_id = db_int(c->db, -1, "SELECT COALESCE(MAX(id), 0) FROM res_item WHERE kind = $1",
				"s", kind);
	s = max_id < 0 ? (ctx_db_error(c), NULL) : matching_set_load(c, kind, NULL, NULL);
	if (s && matching_set_index(c, s, k ? MATCHING_SIDE_RESOURCES : MATCHING_SIDE_NEEDS) != 0) {
		matching_set_free(s);
		s = NULL;
	}
	if (s) {
		s->max_id = max_id > s->max_id ? max_id : s->max_id;
		s->built_at = c->now ? c->now : clock_now();
		s->built = time(NULL);
		s->refs = 2; /* the cache's and the caller's */
		struct matching_set *old = cache[k];
		cache[k] = s;
		if (old && --old->refs == 0)
			matching_set_free(old);
	}
	pthread_mutex_unlock(&cache_mu);
	return s;
}

/*
 * The overlay of a cached set: its kind's items written since the build (updated_at at or
 * after built_at - MATCHING_OVERLAY_MARGIN, or an id above max_id), open or not, tokens mapped
 * through the set's vocabulary. Suggestions score these directly and ignore the indexed copies
 * of the same ids, so a write is visible at once, from any process. The margin covers a
 * transaction that stamped updated_at before the build and committed after it. A large
 * overlay marks the set stale: the next request rebuilds it. NULL with c->err.
 */
static struct matching_set *set_overlay(struct ctx *c, struct matching_set *s, const char *kind)
{
	struct matching_set_query q = {.changed_since = s->built_at - MATCHING_OVERLAY_MARGIN,
				       .after_id = s->max_id};
	if (q.changed_since <= 0)
		q.changed_since = 1;
	struct matching_set *d = matching_set_load(c, kind, &q, s);
	if (d && d->n > MATCHING_OVERLAY_MAX + s->n / 10) {
		pthread_mutex_lock(&cache_mu);
		s->built = 0;
		pthread_mutex_unlock(&cache_mu);
	}
	return d;
}

/* ------------------------------------------------------------------ weights */

static const char *part_name(int p)
{
	return matching_part_key((enum matching_part)p) + strlen("matching.part.");
}

void matching_weights_from_json(struct matching_weights *w, json_t *j)
{
	for (int p = 0; p < MATCHING_PART__MAX; p++) {
		json_t *v = json_object_get(j, part_name(p));
		if (json_is_number(v))
			w->part[p] = json_number_value(v);
	}
	json_t *f = json_object_get(j, "fairness_k");
	if (json_is_number(f))
		w->fairness_k = json_number_value(f);
}

json_t *matching_weights_to_json(const struct matching_weights *w)
{
	json_t *j = json_object();
	for (int p = 0; p < MATCHING_PART__MAX; p++)
		json_object_set_new(j, part_name(p), json_real(w->part[p]));
	json_object_set_new(j, "fairness_k", json_real(w->fairness_k));
	return j;
}

int matching_weights_load(struct ctx *c, struct matching_weights *w, int64_t *version)
{
	matching_weights_default(w);
	*version = 0;
	struct db_stmt *st = db_query(c->db, "SELECT id, weights FROM matching_weights "
					     "ORDER BY id DESC LIMIT 1", "");
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*version = db_col_int(st, 0);
		json_t *j = json_loads(db_col_text(st, 1), 0, NULL);
		matching_weights_from_json(w, j);
		json_decref(j);
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

json_t *matching_weights_json(struct ctx *c)
{
	struct matching_weights w;
	int64_t version;
	if (policy_check(c, ACT_MATCHING_WEIGHTS, NULL) != 0 ||
	    matching_weights_load(c, &w, &version) != 0)
		return NULL;
	struct matching_weights d;
	matching_weights_default(&d);
	return json_pack("{sI so so}", "version", (json_int_t)version, "weights",
			 matching_weights_to_json(&w), "defaults", matching_weights_to_json(&d));
}

/* A number in [0, 1] (required); 422 field errors otherwise. */
static double read_unit(struct ctx *c, json_t *obj, const char *name, int required, double dflt)
{
	json_t *v = json_object_get(obj, name);
	if (!v && !required)
		return dflt;
	if (!v)
		error_field(&c->err, name, "field.required", 0);
	else if (!json_is_number(v))
		error_field(&c->err, name, "field.bad_type", 0);
	else if (json_number_value(v) < 0 || json_number_value(v) > 1 || isnan(json_number_value(v)))
		error_field(&c->err, name, "field.out_of_range", 0);
	else
		return json_number_value(v);
	return 0;
}

/* A weights save's arguments, for its transaction's step. */
struct weights_write {
	const char *text;
	json_t *before, *after;
};

static int weights_save_step(struct ctx *c, void *arg)
{
	struct weights_write *a = arg;
	int64_t id = db_int(c->db, -1, "INSERT INTO matching_weights (weights, created_by, "
				       "created_at) VALUES ($1, $2, $3) RETURNING id",
			    "sll", a->text, c->who->user_id, c->now);
	if (id < 0)
		return ctx_db_error(c);
	return audit_append(c, "matching.weights", "matching_weights", id, a->before, a->after);
}

int matching_weights_save(struct ctx *c, json_t *body)
{
	static const char *const allowed[] = {"category", "fields", "text", "proximity", "time",
					      "quantity", "trust", "fairness_k", NULL};
	struct matching_weights old, w;
	int64_t version;
	if (policy_check(c, ACT_MATCHING_WEIGHTS, NULL) != 0 ||
	    matching_weights_load(c, &old, &version) != 0)
		return -1;
	w = old;
	v_no_unknown_fields(c, body, allowed);
	double sum = 0;
	for (int p = 0; p < MATCHING_PART__MAX; p++)
		sum += w.part[p] = read_unit(c, body, part_name(p), 1, 0);
	w.fairness_k = read_unit(c, body, "fairness_k", 0, old.fairness_k);
	if (!error_check(&c->err) && sum <= 0)
		error_field(&c->err, "category", "matching.weights_all_zero", 0);
	if (error_check(&c->err) != 0)
		return -1;
	json_t *before = matching_weights_to_json(&old), *after = matching_weights_to_json(&w);
	char *text = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	struct weights_write a = {text, before, after};
	int rc = ctx_tx(c, weights_save_step, &a);
	free(text);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ------------------------------------------------------------------ suggestions */

static json_t *score_json(struct ctx *c, const struct matching_score *sc)
{
	json_t *parts = json_array();
	struct buf b = {0};
	for (int p = 0; p < MATCHING_PART__MAX; p++) {
		const struct matching_part_score *ps = &sc->part[p];
		buf_reset(&b);
		matching_part_explain(&b, sc, (enum matching_part)p, c->lang);
		json_array_append_new(
			parts, json_pack("{ss ss sf sf sf ss}", "part", part_name(p), "name",
					 msg_text(matching_part_key((enum matching_part)p), c->lang),
					 "value", ps->value, "weight", ps->weight, "contribution",
					 ps->contribution, "reason", b.data ? b.data : ""));
	}
	buf_reset(&b);
	matching_score_explain(&b, sc, c->lang);
	json_t *j = json_pack("{sf sf so ss}", "total", sc->total, "fairness", sc->fairness, "parts",
			      parts, "explanation", b.data ? b.data : "");
	buf_free(&b);
	return j;
}

/* The other item's row as the caller sees it; NULL when it is no longer open or hidden. */
static json_t *other_json(struct ctx *c, int64_t id, const char *own_orgs)
{
	struct db_stmt *st = db_query(
		c->db,
		"SELECT i.id, i.kind, i.title, i.org_id, o.name AS org_name, i.category, i.remaining, "
		"i.unit, i.street_code, i.community_code, i.status FROM res_item i "
		"JOIN org o ON o.id = i.org_id WHERE i.id = $1 AND i.status IN ('open', "
		"'partly_matched') AND i.remaining > 0 AND (i.vis_rank <= CAST($2 AS BIGINT) OR "
		"CAST($3 AS TEXT) LIKE '%,' || CAST(i.org_id AS TEXT) || ',%')",
		"lis", id, res_visibility_rank(c), own_orgs);
	json_t *j = db_step(st) == DB_ROW ? json_row(st, "lsslsslssss") : NULL;
	db_done(st);
	return j;
}

/* A scored candidate of the other side, from the index or from its overlay. */
struct pick {
	int64_t id;
	struct matching_score score;
};

static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	if (x->score.total != y->score.total)
		return x->score.total > y->score.total ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The query's best candidates: the index's (minus items the overlay holds a newer copy of)
 * and the overlay's own, scored with the index's document frequencies; best first. Returns
 * the number in *out (malloc'd, caller frees), or -1 when memory runs out. */
static int pick_candidates(const struct matching_set *other, const struct matching_set *overlay,
			   const struct matching_item *query, int query_is_need,
			   const struct matching_weights *w, size_t want, struct pick **out)
{
	struct matching_suggestion *top = malloc(want * sizeof *top);
	*out = malloc((want + overlay->n + 1) * sizeof **out);
	int n = top && *out ? matching_suggest(other->ix, query, w, want, 0, top) : -1;
	size_t m = 0;
	for (int i = 0; i < n; i++) {
		int64_t id = other->items[top[i].item].id;
		if (!find_item((struct matching_set *)overlay, id))
			(*out)[m++] = (struct pick){id, top[i].score};
	}
	const struct matching_idf *idf = matching_index_idf(other->ix);
	for (size_t i = 0; n >= 0 && i < overlay->n; i++) {
		const struct matching_item *it = &overlay->items[i];
		struct pick p = {it->id};
		if (query_is_need ? matching_score_pair(query, it, w, idf, &p.score)
				  : matching_score_pair(it, query, w, idf, &p.score))
			(*out)[m++] = p;
	}
	free(top);
	if (n < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	qsort(*out, m, sizeof **out, cmp_pick);
	return (int)(m < want ? m : want);
}

/* The live docking (proposed, accepted, in progress) of the pair, as {id, status}, or NULL. */
static json_t *live_docking(struct ctx *c, int64_t need_id, int64_t resource_id)
{
	struct db_stmt *st = db_query(c->db, "SELECT id, status FROM docking WHERE need_id = $1 "
					     "AND resource_id = $2 AND status IN ('proposed', "
					     "'accepted', 'in_progress') ORDER BY id DESC LIMIT 1",
				      "ll", need_id, resource_id);
	json_t *j = db_step(st) == DB_ROW ? json_row(st, "ls") : NULL;
	db_done(st);
	return j;
}

json_t *matching_suggest_json(struct ctx *c, const char *kind, int64_t id, size_t k)
{
	json_t *item = res_item_get_json(c, kind, id); /* 404 when hidden */
	if (!item)
		return NULL;
	struct policy_object obj = {.org_id = json_integer_value(json_object_get(item, "org_id")),
				    .street_code = json_string_value(json_object_get(item, "street_code"))};
	if (policy_check(c, ACT_MATCHING_SUGGEST, &obj) != 0) {
		json_decref(item);
		return NULL;
	}
	struct matching_weights w;
	int64_t wv;
	int is_need = strcmp(kind, "need") == 0;
	const char *other_kind = is_need ? "resource" : "need";
	struct matching_set *other = NULL, *q = NULL, *overlay = NULL;
	struct pick *out = NULL;
	json_t *list = NULL, *res = NULL;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (matching_weights_load(c, &w, &wv) != 0 || !(other = set_get(c, other_kind)))
		goto done;
	double load_ms = matching_ms_since(&t0);
	struct matching_set_query one = {.one = id};
	if (!(overlay = set_overlay(c, other, other_kind)) ||
	    !(q = matching_set_load(c, kind, &one, other)))
		goto done;
	int n = q->n ? pick_candidates(other, overlay, &q->items[0], is_need, &w, k * 4 + 20, &out)
		     : 0;
	if (n < 0) {
		error_internal(&c->err, "matching_suggest failed");
		goto done;
	}
	const char *own = res_own_orgs(c);
	list = json_array();
	for (int i = 0; i < n && json_array_size(list) < k; i++) {
		json_t *o = other_json(c, out[i].id, own);
		if (!o)
			continue;
		json_object_set_new(o, "score", score_json(c, &out[i].score));
		/* a pair already being docked is shown, marked, rather than proposed twice */
		json_t *d = live_docking(c, is_need ? id : out[i].id, is_need ? out[i].id : id);
		json_object_set_new(o, "docking", d ? d : json_null());
		json_array_append_new(list, o);
	}
	res = json_pack("{so sO sI si sf}", "suggestions", list, "item", item, "weights_version",
			(json_int_t)wv, "candidates", (int)(other->n + overlay->n), "millis",
			matching_ms_since(&t0));
	json_object_set_new(res, "index_wait_millis", json_real(load_ms));
	list = NULL;
done:
	json_decref(list);
	json_decref(item);
	free(out);
	matching_set_free(q);
	matching_set_free(overlay);
	set_release(other);
	return res;
}

/* ------------------------------------------------------------------ benchmark */

int matching_db_bench(struct ctx *c, int queries, FILE *out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct matching_set *res = set_get(c, "resource");
	if (!res)
		return -1;
	double build_ms = matching_ms_since(&t0);
	int64_t max_need = db_int(c->db, 0, "SELECT COALESCE(MAX(id), 0) FROM res_item WHERE kind = 'need'", "");
	double *ms = calloc((size_t)queries + 1, sizeof *ms);
	int done = 0;
	unsigned seed = 7;
	for (int i = 0; ms && i < queries; i++) {
		int64_t id = db_int(c->db, 0, "SELECT id FROM res_item WHERE kind = 'need' AND id >= $1 "
					      "ORDER BY id LIMIT 1", "l",
				    (int64_t)(rand_r(&seed) % (unsigned)(max_need + 1)));
		if (!id)
			continue;
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		json_t *j = matching_suggest_json(c, "need", id, 10);
		ms[done++] = matching_ms_since(&t1);
		json_decref(j);
		error_clear(&c->err);
	}
	for (int i = 1; i < done; i++) /* insertion sort: a few hundred values */
		for (int j = i; j > 0 && ms[j - 1] > ms[j]; j--) {
			double t = ms[j];
			ms[j] = ms[j - 1];
			ms[j - 1] = t;
		}
	fprintf(out, "{\"resources\": %zu, \"load_ms\": %.1f, \"index_ms\": %.1f, \"first_build_ms\": "
		     "%.1f, \"queries\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f}\n",
		res->n, res->load_ms, res->index_ms, build_ms, done, done ? ms[done / 2] : 0,
		done ? ms[(done * 99) / 100] : 0, done ? ms[done - 1] : 0);
	free(ms);
	set_release(res);
	return 0;
}
