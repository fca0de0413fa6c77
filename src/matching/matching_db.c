/*
 * The matching engine wired to the database. Open items of one kind are loaded from res_item
 * (+ fields, organization type and grade, trust counters, matches received) into a
 * `struct matching_set`: the items, their field and token arrays, a token vocabulary (token
 * text -> id, built per set) and the index. One set per kind is cached per process and
 * reference-counted, so a rebuild never frees a set a request still reads; it is rebuilt
 * when an item newer than the set exists, or when it is older than MATCHING_CACHE_TTL.
 * Suggestions re-read their rows, so an item closed since the build is never shown.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "db/db.h"
#include "lib/text.h"
#include "matching/matching_db.h"
#include "registry/org.h"
#include "resources/resources.h"

/* ------------------------------------------------------------------ vocabulary */

struct vocab {
	char **keys;  /* open addressing, cap a power of two */
	uint32_t *ids;
	size_t cap, n;
};

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

struct matching_set {
	struct matching_item *items;
	int *vis_rank;
	size_t n, cap;
	uint16_t *fields; /* pools; items point into them once loading is over */
	size_t n_fields, cap_fields;
	uint32_t *tokens;
	size_t n_tokens, cap_tokens;
	size_t *field_at, *token_at; /* per item: offset into the pools */
	struct vocab vocab;
	struct matching_index *ix;
	int64_t max_id;
	time_t built;
	int refs;
	double load_ms, index_ms;
};

static void set_free(struct matching_set *s)
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

static const char load_sql[] =
	"SELECT i.id, i.org_id, o.type, o.current_grade, i.category, i.title, i.description, "
	"i.community_code, i.street_code, i.lat, i.lon, i.start_at, i.end_at, i.remaining, i.unit, "
	"i.eligible_types, i.min_grade, COALESCE(t.rating_count, 0), COALESCE(t.rating_sum, 0), "
	"(SELECT COUNT(*) FROM docking d WHERE d.need_org_id = i.org_id), i.vis_rank "
	"FROM res_item i JOIN org o ON o.id = i.org_id LEFT JOIN org_trust t ON t.org_id = i.org_id "
	"WHERE i.kind = $1 AND ((CAST($2 AS BIGINT) = 0 AND i.status IN ('open', 'partly_matched') "
	"AND i.remaining > 0) OR i.id = $2) ORDER BY i.id";
static const char fields_sql[] =
	"SELECT f.item_id, f.field FROM res_item_field f JOIN res_item i ON i.id = f.item_id "
	"WHERE i.kind = $1 AND ((CAST($2 AS BIGINT) = 0 AND i.status IN ('open', 'partly_matched') "
	"AND i.remaining > 0) OR i.id = $2) ORDER BY f.item_id, f.field";

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
static int load_fields(struct matching_set *s, struct ctx *c, const char *kind, int64_t one)
{
	size_t *count = calloc(s->n + 1, sizeof *count);
	uint16_t *raw = NULL;
	int64_t *owner = NULL;
	size_t nraw = 0, cap = 0, cap2 = 0;
	if (!count)
		return -1;
	struct db_stmt *st = db_query(c->db, fields_sql, "sl", kind, one);
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

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * Loads the open items of `kind` (one = 0), or only item `one` with tokens mapped through
 * `vocab_of` (its set's vocabulary; unknown tokens do not grow it). keep(item, arg) may drop
 * items (NULL keeps all). Returns a set (no index yet) or NULL with c->err.
 */
static struct matching_set *set_load(struct ctx *c, const char *kind, int64_t one,
				     struct matching_set *vocab_of)
{
	struct matching_set *s = calloc(1, sizeof *s);
	if (!s)
		return error_internal(&c->err, "out of memory"), NULL;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vocab_of)
		s->vocab = vocab_of->vocab; /* borrowed for the lookups, taken back below */
	struct db_stmt *st = db_query(c->db, load_sql, "sl", kind, one);
	int rc, bad = 0;
	while (!bad && (rc = db_step(st)) == DB_ROW)
		bad = load_row(s, st, !vocab_of);
	db_done(st);
	if (vocab_of)
		memset(&s->vocab, 0, sizeof s->vocab);
	if (bad || rc == DB_ERROR || load_fields(s, c, kind, one) != 0) {
		if (!error_check(&c->err) && rc == DB_ERROR)
			ctx_db_error(c);
		else if (!error_check(&c->err))
			error_internal(&c->err, "matching: out of memory");
		set_free(s);
		return NULL;
	}
	s->max_id = s->n ? s->items[s->n - 1].id : 0;
	s->load_ms = ms_since(&t0);
	return s;
}

static int set_index(struct ctx *c, struct matching_set *s, enum matching_side side)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s->ix = matching_index_build(s->items, s->n, side);
	s->index_ms = ms_since(&t0);
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
		set_free(s);
}

/* The indexed open items of `kind`, fresh enough (see the file comment); release with
 * set_release. NULL with c->err. */
static struct matching_set *set_get(struct ctx *c, const char *kind)
{
	int k = strcmp(kind, "need") == 0 ? 0 : 1;
	int64_t max_id = db_int(c->db, -1, "SELECT COALESCE(MAX(id), 0) FROM res_item WHERE kind = $1",
				"s", kind);
	if (max_id < 0)
		return ctx_db_error(c), NULL;
	pthread_mutex_lock(&cache_mu);
	struct matching_set *s = cache[k];
	if (s && s->max_id >= max_id && time(NULL) - s->built < MATCHING_CACHE_TTL) {
		s->refs++;
		pthread_mutex_unlock(&cache_mu);
		return s;
	}
	/* rebuilt under the lock: concurrent callers wait for one build instead of each building */
	s = set_load(c, kind, 0, NULL);
	if (s && set_index(c, s, k ? MATCHING_SIDE_RESOURCES : MATCHING_SIDE_NEEDS) != 0) {
		set_free(s);
		s = NULL;
	}
	if (s) {
		s->max_id = max_id > s->max_id ? max_id : s->max_id;
		s->built = time(NULL);
		s->refs = 2; /* the cache's and the caller's */
		struct matching_set *old = cache[k];
		cache[k] = s;
		if (old && --old->refs == 0)
			set_free(old);
	}
	pthread_mutex_unlock(&cache_mu);
	return s;
}

/* ------------------------------------------------------------------ weights */

static const char *part_name(int p)
{
	return matching_part_key((enum matching_part)p) + strlen("matching.part.");
}

static void weights_from_json(struct matching_weights *w, json_t *j)
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

static json_t *weights_to_json(const struct matching_weights *w)
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
		weights_from_json(w, j);
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
			 weights_to_json(&w), "defaults", weights_to_json(&d));
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
	json_t *before = weights_to_json(&old), *after = weights_to_json(&w);
	char *text = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = db_begin(c->db);
	int64_t id = rc ? -1 : db_int(c->db, -1, "INSERT INTO matching_weights (weights, created_by, "
					      "created_at) VALUES ($1, $2, $3) RETURNING id",
				     "sll", text, c->who->user_id, c->now);
	if (rc == 0 && id < 0)
		rc = ctx_db_error(c);
	if (rc == 0)
		rc = audit_append(c, "matching.weights", "matching_weights", id, before, after);
	rc = res_finish_tx(c, rc);
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
	json_t *j = db_step(st) == DB_ROW ? res_row_json(st, "lsslsslssss") : NULL;
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
	struct matching_set *other = NULL, *q = NULL;
	struct matching_suggestion *out = NULL;
	json_t *list = NULL, *res = NULL;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (matching_weights_load(c, &w, &wv) != 0 ||
	    !(other = set_get(c, is_need ? "resource" : "need")))
		goto done;
	double load_ms = ms_since(&t0);
	if (!(q = set_load(c, kind, id, other)))
		goto done;
	size_t want = k * 4 + 20;
	if (!(out = malloc(want * sizeof *out)))
		goto done;
	int n = q->n ? matching_suggest(other->ix, &q->items[0], &w, want, 0, out) : 0;
	if (n < 0) {
		error_internal(&c->err, "matching_suggest failed");
		goto done;
	}
	const char *own = res_own_orgs(c);
	list = json_array();
	for (int i = 0; i < n && json_array_size(list) < k; i++) {
		json_t *o = other_json(c, other->items[out[i].item].id, own);
		if (!o)
			continue;
		json_object_set_new(o, "score", score_json(c, &out[i].score));
		json_array_append_new(list, o);
	}
	res = json_pack("{so sO sI si sf}", "suggestions", list, "item", item, "weights_version",
			(json_int_t)wv, "candidates", (int)other->n, "millis", ms_since(&t0));
	json_object_set_new(res, "index_wait_millis", json_real(load_ms));
	list = NULL;
done:
	json_decref(list);
	json_decref(item);
	free(out);
	set_free(q);
	set_release(other);
	return res;
}

/* ------------------------------------------------------------------ allocation runs */

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
 * compacts items, vis_rank (pools stay: the items keep pointing into them). */
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
	json_t *cats = json_array(), *streets = json_array();
	for (int i = 0; p->categories && p->categories[i]; i++)
		json_array_append_new(cats, json_string(p->categories[i]));
	for (int i = 0; p->streets && p->streets[i]; i++)
		json_array_append_new(streets, json_string(p->streets[i]));
	*params = json_pack("{so so sI}", "categories", cats, "streets", streets, "k",
			    (json_int_t)p->k);
	return 0;
}

struct run_result {
	struct matching_set *needs, *resources;
	struct matching_edge *edges;
	size_t n_edges;
	struct matching_allocation alloc;
	double millis;
};

static void run_result_free(struct run_result *r)
{
	set_free(r->needs);
	set_free(r->resources);
	free(r->edges);
	matching_allocation_free(&r->alloc);
}

/* Loads, filters, indexes, builds the candidates and allocates. 0 or -1 with c->err. */
static int run_compute(struct ctx *c, const struct run_params *p, const struct matching_weights *w,
		       struct run_result *r)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!(r->resources = set_load(c, "resource", 0, NULL)))
		return -1;
	if (!(r->needs = set_load(c, "need", 0, r->resources)))
		return -1;
	set_filter(r->resources, p);
	set_filter(r->needs, p);
	if (set_index(c, r->resources, MATCHING_SIDE_RESOURCES) != 0)
		return -1;
	if (matching_candidates(r->resources->ix, r->needs->items, r->needs->n, w, (size_t)p->k,
				&r->edges, &r->n_edges) != 0)
		return error_internal(&c->err, "matching_candidates failed");
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
	r->millis = ms_since(&t0);
	return rc == 0 ? 0 : error_internal(&c->err, "matching_allocate failed");
}

static int run_store(struct ctx *c, int64_t run, const struct run_result *r)
{
	for (size_t i = 0; i < r->needs->n; i++)
		if (db_run(c->db, "INSERT INTO matching_run_item (run_id, item_id, kind, quantity) "
				  "VALUES ($1, $2, 'need', $3)", "lll", run, r->needs->items[i].id,
			   r->needs->items[i].quantity) < 0)
			return ctx_db_error(c);
	for (size_t i = 0; i < r->resources->n; i++)
		if (db_run(c->db, "INSERT INTO matching_run_item (run_id, item_id, kind, quantity) "
				  "VALUES ($1, $2, 'resource', $3)", "lll", run, r->resources->items[i].id,
			   r->resources->items[i].quantity) < 0)
			return ctx_db_error(c);
	for (size_t e = 0; e < r->n_edges; e++) {
		const struct matching_edge *ed = &r->edges[e];
		if (db_run(c->db, "INSERT INTO matching_run_edge (run_id, seq, need_id, resource_id, "
				  "score, capacity, flow) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			   "lllllll", run, (int64_t)e, r->needs->items[ed->need].id,
			   r->resources->items[ed->resource].id, ed->score, ed->capacity,
			   r->alloc.flow ? r->alloc.flow[e] : 0) < 0)
			return ctx_db_error(c);
	}
	return db_run(c->db, "UPDATE matching_run SET status = 'done', n_needs = $2, "
			     "n_resources = $3, n_edges = $4, total_score = $5, total_quantity = $6, "
			     "millis = $7, finished_at = $8 WHERE id = $1",
		      "llllllll", run, (int64_t)r->needs->n, (int64_t)r->resources->n,
		      (int64_t)r->n_edges, r->alloc.total_score, r->alloc.total_quantity,
		      (int64_t)llround(r->millis), c->now) < 0
		       ? ctx_db_error(c)
		       : 0;
}

int matching_run_start(struct ctx *c, json_t *body, int64_t *id)
{
	struct run_params p = {0};
	json_t *params = NULL;
	struct matching_weights w;
	int64_t wv;
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0 || read_params(c, body, &p, &params) != 0 ||
	    matching_weights_load(c, &w, &wv) != 0)
		return -1;
	struct run_result r = {0};
	int rc = run_compute(c, &p, &w, &r);
	json_t *wj = weights_to_json(&w);
	char *ptext = json_dumps(params, JSON_COMPACT), *wtext = json_dumps(wj, JSON_COMPACT);
	if (rc == 0)
		rc = db_begin(c->db) ? ctx_db_error(c) : 0;
	*id = rc ? -1 : db_int(c->db, -1, "INSERT INTO matching_run (status, params, weights, "
					  "weights_version, created_by, created_at) VALUES ('running', $1, "
					  "$2, $3, $4, $5) RETURNING id",
			       "sslll", ptext, wtext, wv, c->who->user_id, c->now);
	if (rc == 0 && *id < 0)
		rc = ctx_db_error(c);
	if (rc == 0)
		rc = run_store(c, *id, &r);
	if (rc == 0) {
		json_t *after = json_pack("{sO sI sI sI}", "params", params, "edges",
					  (json_int_t)r.n_edges, "total_score",
					  (json_int_t)r.alloc.total_score, "total_quantity",
					  (json_int_t)r.alloc.total_quantity);
		rc = audit_append(c, "matching.run", "matching_run", *id, NULL, after);
		json_decref(after);
	}
	if (db_in_transaction(c->db))
		rc = res_finish_tx(c, rc);
	free(ptext);
	free(wtext);
	json_decref(wj);
	json_decref(params);
	run_result_free(&r);
	return rc;
}

static json_t *run_row(struct db_stmt *st)
{
	json_t *j = res_row_json(st, "lsssllllllllsll");
	for (int i = 0; i < 2; i++) {
		const char *key = i ? "weights" : "params";
		json_t *v = json_loads(json_string_value(json_object_get(j, key)), 0, NULL);
		json_object_set_new(j, key, v ? v : json_object());
	}
	json_object_set_new(j, "score_scale", json_integer(MATCHING_SCORE_SCALE));
	return j;
}

json_t *matching_run_json(struct ctx *c, int64_t id)
{
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0)
		return NULL;
	static const char one[] =
		"SELECT id, status, params, weights, weights_version, n_needs, n_resources, n_edges, "
		"total_score, total_quantity, millis, error, created_by, created_at, finished_at "
		"FROM matching_run WHERE id = $1";
	struct db_stmt *st = db_query(c->db, one, "l", id);
	json_t *run = db_step(st) == DB_ROW ? run_row(st) : NULL;
	db_done(st);
	if (!run)
		return error_set(&c->err, E_NOT_FOUND, "matching.run_not_found"), NULL;
	json_t *items = json_array(), *edges = json_array(), *alloc = json_array();
	st = db_query(c->db, "SELECT r.item_id, r.kind, r.quantity, i.title, i.org_id, o.name "
			     "AS org_name FROM matching_run_item r JOIN res_item i ON i.id = r.item_id "
			     "JOIN org o ON o.id = i.org_id WHERE r.run_id = $1 ORDER BY r.item_id",
		      "l", id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, res_row_json(st, "lslsls"));
	db_done(st);
	st = db_query(c->db, "SELECT seq, need_id, resource_id, score, capacity, flow FROM "
			     "matching_run_edge WHERE run_id = $1 ORDER BY seq", "l", id);
	while (db_step(st) == DB_ROW) {
		json_t *e = res_row_json(st, "llllll");
		if (json_integer_value(json_object_get(e, "flow")) > 0)
			json_array_append(alloc, e);
		json_array_append_new(edges, e);
	}
	db_done(st);
	json_object_set_new(run, "items", items);
	json_object_set_new(run, "edges", edges);
	json_object_set_new(run, "allocation", alloc);
	return run;
}

json_t *matching_runs_json(struct ctx *c, int64_t page, int64_t per_page)
{
	if (policy_check(c, ACT_MATCHING_RUN, NULL) != 0)
		return NULL;
	static const char list[] =
		"SELECT id, status, params, weights, weights_version, n_needs, n_resources, n_edges, "
		"total_score, total_quantity, millis, error, created_by, created_at, finished_at "
		"FROM matching_run ORDER BY id DESC LIMIT $1 OFFSET $2";
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, list, "ll", per_page, (page - 1) * per_page);
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, run_row(st));
	db_done(st);
	int64_t total = db_int(c->db, 0, "SELECT COUNT(*) FROM matching_run", "");
	return json_pack("{so sI sI sI}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
}

/* ------------------------------------------------------------------ benchmark */

int matching_db_bench(struct ctx *c, int queries, FILE *out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct matching_set *res = set_get(c, "resource");
	if (!res)
		return -1;
	double build_ms = ms_since(&t0);
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
		ms[done++] = ms_since(&t1);
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
