/*
 * Experts of the talent pool suggested for an expertise or training need (see experts.h):
 * candidates through the field and token indexes, explainable parts, reasons in zh/en.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/json_rows.h"
#include "core/policy.h"
#include "lib/text.h"
#include "matching/experts.h"
#include "resources/resources.h"

enum expert_part { EP_FIELDS, EP_TEXT, EP_HOURS, EP_PROXIMITY, EP_RECORD, EP__MAX };

static const struct {
	const char *name, *key;
	double weight;
} parts[EP__MAX] = {
	[EP_FIELDS] = {"fields", "matching.part.fields", 0.30},
	[EP_TEXT] = {"text", "resources.expert.part.text", 0.25},
	[EP_HOURS] = {"hours", "resources.expert.part.hours", 0.20},
	[EP_PROXIMITY] = {"proximity", "matching.part.proximity", 0.15},
	[EP_RECORD] = {"record", "resources.expert.part.record", 0.10},
};

/* The record's mean rating is pulled towards a middling prior (3 of 5, worth 2 ratings), so
 * one 5-star rating is not a perfect record and an expert without ratings is not last. */
static const double RECORD_PRIOR_MEAN = 3, RECORD_PRIOR_COUNT = 2;

struct part_value {
	double value;
	const char *reason;
	long long n, m;
	double mean; /* {mean} of the reason, one decimal */
};

/* A set of words: sorted, distinct, arena strings. */
struct words {
	const char **w;
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Han bigrams (and longer) and Latin words of 3+ letters: the single characters of the index
 * would make every two Chinese texts look alike. */
static int is_word(const char *t, size_t n)
{
	return ((unsigned char)t[0] >= 0x80 && n >= 6) || ((unsigned char)t[0] < 0x80 && n >= 3);
}

/* The words of `text` (NULL = none), at most `max`. */
static struct words words_of(struct ctx *c, const char *text, size_t max)
{
	struct words out = {0};
	char *tokens = NULL;
	if (!text || text_index_tokens(text, &tokens) != 0)
		return out;
	size_t cap = 0;
	for (const char *p = tokens; *p; p++)
		cap += *p == ' ';
	out.w = arena_alloc(c->arena, (cap + 2) * sizeof *out.w);
	for (char *p = tokens; *p && out.n < max;) {
		size_t n = strcspn(p, " ");
		if (n && is_word(p, n)) {
			char *w = arena_alloc(c->arena, n + 1);
			memcpy(w, p, n);
			w[n] = 0;
			out.w[out.n++] = w;
		}
		p += n + (p[n] == ' ');
	}
	free(tokens);
	qsort(out.w, out.n, sizeof *out.w, cmp_str);
	size_t j = 0;
	for (size_t i = 0; i < out.n; i++)
		if (j == 0 || strcmp(out.w[j - 1], out.w[i]) != 0)
			out.w[j++] = out.w[i];
	out.n = j;
	return out;
}

static size_t shared_words(const struct words *a, const struct words *b)
{
	size_t i = 0, j = 0, shared = 0;
	while (i < a->n && j < b->n) {
		int d = strcmp(a->w[i], b->w[j]);
		shared += d == 0;
		i += d <= 0;
		j += d >= 0;
	}
	return shared;
}

/* ------------------------------------------------------------------ candidates */

struct need_facts {
	int64_t id, org_id, remaining;
	const char *unit, *street, *category;
	const char **fields; /* NULL-terminated */
	size_t n_fields;
	struct words words;
};

struct ids {
	int64_t v[2 * EXPERTS_CANDIDATES];
	size_t n;
};

static void ids_add(struct ids *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return;
	if (s->n < sizeof s->v / sizeof s->v[0])
		s->v[s->n++] = id;
}

static int collect(struct ctx *c, struct db_stmt *st, struct ids *out)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		ids_add(out, db_col_int(st, 0));
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : 0;
}

static const char by_field_sql[] =
	"SELECT DISTINCT tf.talent_id FROM res_item_field f JOIN talent_field tf ON "
	"tf.field = f.field JOIN talent t ON t.id = tf.talent_id WHERE f.item_id = $1 AND "
	"t.kind = 'expert' AND t.active = 1 ORDER BY tf.talent_id LIMIT 200";
static const char by_words_fts[] =
	"SELECT t.id FROM talent t WHERE t.id IN (SELECT rowid FROM talent_fts WHERE talent_fts "
	"MATCH $1) AND t.kind = 'expert' AND t.active = 1 ORDER BY t.id LIMIT 200";
static const char by_words_tsq[] =
	"SELECT t.id FROM talent t WHERE t.search_tokens @@ CAST($1 AS tsquery) AND "
	"t.kind = 'expert' AND t.active = 1 ORDER BY t.id LIMIT 200";

/* The need's words as an index query: experts only, any of the words. */
static const char *words_query(struct ctx *c, const struct words *w)
{
	int pg = db_engine(c->db) == DB_POSTGRES;
	struct buf b = {0};
	buf_puts(&b, pg ? "'xqtexpert' & (" : "xqtexpert AND (");
	for (size_t i = 0; i < w->n && i < 24; i++)
		buf_printf(&b, pg ? "%s'%s'" : "%s\"%s\"", i ? (pg ? " | " : " OR ") : "", w->w[i]);
	buf_puts(&b, ")");
	const char *q = arena_strdup(c->arena, b.data);
	buf_free(&b);
	return q;
}

static int candidates(struct ctx *c, const struct need_facts *nf, struct ids *out)
{
	if (collect(c, db_query(c->db, by_field_sql, "l", nf->id), out) != 0)
		return -1;
	if (nf->words.n == 0)
		return 0;
	const char *sql = db_engine(c->db) == DB_POSTGRES ? by_words_tsq : by_words_fts;
	return collect(c, db_query(c->db, sql, "s", words_query(c, &nf->words)), out);
}

/* ------------------------------------------------------------------ scoring */

struct expert {
	json_t *row; /* the public part of the talent entry */
	int64_t org_id, hours;
	const char *street;
	struct part_value part[EP__MAX];
	double total;
};

static void part_fields(struct part_value *p, const struct need_facts *nf, json_t *fields)
{
	size_t shared = 0, theirs = json_array_size(fields);
	for (size_t i = 0; i < theirs; i++)
		for (size_t j = 0; j < nf->n_fields; j++)
			shared += strcmp(json_string_value(json_array_get(fields, i)), nf->fields[j]) == 0;
	size_t all = nf->n_fields + theirs - shared;
	*p = (struct part_value){all ? (double)shared / (double)all : 0,
				 "matching.reason.fields_shared", (long long)shared, (long long)all};
}

static void part_hours(struct part_value *p, const struct need_facts *nf, int64_t hours)
{
	if (strcmp(nf->unit, "hours") == 0) {
		double v = nf->remaining > 0 ? (double)hours / (double)nf->remaining : 0;
		*p = (struct part_value){v > 1 ? 1 : v, "resources.expert.reason.hours", hours,
					 nf->remaining};
	} else {
		*p = (struct part_value){hours > 0 ? 1 : 0, "resources.expert.reason.hours_any", hours,
					 0};
	}
}

static void part_proximity(struct part_value *p, const struct need_facts *nf, const char *street)
{
	if (!street || !nf->street)
		*p = (struct part_value){0.2, "matching.reason.location_unknown", 0, 0};
	else if (strncmp(street, nf->street, 9) == 0)
		*p = (struct part_value){1, "matching.reason.same_street", 0, 0};
	else if (strncmp(street, nf->street, 6) == 0)
		*p = (struct part_value){0.5, "matching.reason.same_district", 0, 0};
	else
		*p = (struct part_value){0, "matching.reason.far", 0, 0};
}

/* The service record (talent_record): fulfilled and failed dockings, ratings from need sides. */
struct record {
	int64_t fulfilled, failed, rating_sum, rating_count;
};

static void part_record(struct part_value *p, const struct record *r)
{
	double mean = r->rating_count ? (double)r->rating_sum / (double)r->rating_count : 0;
	double smoothed = ((double)r->rating_sum + RECORD_PRIOR_COUNT * RECORD_PRIOR_MEAN) /
			  ((double)r->rating_count + RECORD_PRIOR_COUNT);
	*p = (struct part_value){(smoothed - 1) / 4,
				 r->rating_count ? "resources.expert.reason.record"
						 : "resources.expert.reason.record_none",
				 (long long)r->fulfilled, (long long)r->rating_count, mean};
}

static const char expert_sql[] =
	"SELECT t.id, t.name, t.title, t.affiliation, t.hours_per_month, t.pro_bono, "
	"t.street_code, t.skills, t.bio, COALESCE(t.org_id, 0) AS org_id, (SELECT d.id FROM docking d "
	"WHERE d.need_id = $2 AND d.talent_id = t.id AND d.status IN ('proposed', 'accepted', "
	"'in_progress')) AS live_docking_id, COALESCE(tr.fulfilled, 0), COALESCE(tr.failed, 0), "
	"COALESCE(tr.rating_sum, 0), COALESCE(tr.rating_count, 0) FROM talent t "
	"LEFT JOIN talent_record tr ON tr.talent_id = t.id WHERE t.id = $1";


/* Loads and scores one candidate; 1 when it may not be suggested (own organization). */
static int score_one(struct ctx *c, const struct need_facts *nf, int64_t id, struct expert *e)
{
	struct db_stmt *st = db_query(c->db, expert_sql, "ll", id, nf->id);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return 1;
	}
	e->row = json_row(st, "lsssllsssll");
	struct record rec = {db_col_int(st, 11), db_col_int(st, 12), db_col_int(st, 13),
			     db_col_int(st, 14)};
	db_done(st);
	json_object_set_new(e->row, "record", talent_record_json(rec.fulfilled, rec.failed,
								 rec.rating_sum, rec.rating_count));
	part_record(&e->part[EP_RECORD], &rec);
	json_t *r = e->row;
	json_object_set_new(r, "pro_bono", json_boolean(json_integer_value(json_object_get(r, "pro_bono"))));
	e->org_id = json_integer_value(json_object_get(r, "org_id"));
	if (e->org_id && e->org_id == nf->org_id)
		return 1;
	e->hours = json_integer_value(json_object_get(r, "hours_per_month"));
	e->street = json_string_value(json_object_get(r, "street_code"));
	json_t *fields = json_array();
	st = db_query(c->db, "SELECT field FROM talent_field WHERE talent_id = $1 ORDER BY field", "l",
		      id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(fields, json_string(db_col_text(st, 0)));
	db_done(st);
	json_object_set_new(r, "fields", fields);
	const char *title = json_string_value(json_object_get(r, "title"));
	const char *bio = json_string_value(json_object_get(r, "bio"));
	const char *text = arena_printf(c->arena, "%s %s %s",
					json_string_value(json_object_get(r, "skills")),
					title ? title : "", bio ? bio : "");
	struct words theirs = words_of(c, text, 400);
	size_t shared = shared_words(&nf->words, &theirs);
	double norm = sqrt((double)nf->words.n * (double)theirs.n);
	e->part[EP_TEXT] = (struct part_value){norm > 0 ? (double)shared / norm : 0,
					       "matching.reason.text_shared", (long long)shared, 0};
	part_fields(&e->part[EP_FIELDS], nf, fields);
	part_hours(&e->part[EP_HOURS], nf, e->hours);
	part_proximity(&e->part[EP_PROXIMITY], nf, e->street);
	e->total = 0;
	for (int p = 0; p < EP__MAX; p++)
		e->total += parts[p].weight * e->part[p].value;
	json_object_del(r, "bio");
	json_object_set_new(r, "skills",
			    talent_split_list(json_string_value(json_object_get(r, "skills"))));
	return 0;
}

/* "领域重合 0.67 × 权重 0.35 = 0.23（2 个共同领域，共 3 个）" */
static void explain(struct ctx *c, struct buf *b, int p, const struct part_value *v)
{
	json_t *params = json_pack("{sI sI ss}", "n", (json_int_t)v->n, "m", (json_int_t)v->m, "mean",
				   arena_printf(c->arena, "%.1f", v->mean));
	buf_printf(b, "%s %.2f × %s %.2f = %.2f%s", msg_text(parts[p].key, c->lang), v->value,
		   msg_text("matching.weight", c->lang), parts[p].weight, v->value * parts[p].weight,
		   c->lang == LANG_EN ? " (" : "（");
	msg_render_params(b, v->reason, c->lang, params);
	buf_puts(b, c->lang == LANG_EN ? ")" : "）");
	json_decref(params);
}

static json_t *score_json(struct ctx *c, const struct expert *e)
{
	json_t *list = json_array();
	struct buf all = {0}, one = {0};
	for (int p = 0; p < EP__MAX; p++) {
		buf_reset(&one);
		explain(c, &one, p, &e->part[p]);
		buf_printf(&all, "%s\n", one.data);
		json_array_append_new(
			list, json_pack("{ss ss sf sf sf ss}", "part", parts[p].name, "name",
					msg_text(parts[p].key, c->lang), "value", e->part[p].value,
					"weight", parts[p].weight, "contribution",
					e->part[p].value * parts[p].weight, "reason", one.data));
	}
	buf_printf(&all, "%s %.2f\n", msg_text("matching.total", c->lang), e->total);
	json_t *j = json_pack("{sf so ss}", "total", e->total, "parts", list, "explanation", all.data);
	buf_free(&all);
	buf_free(&one);
	return j;
}

static int by_total(const void *a, const void *b)
{
	const struct expert *x = a, *y = b;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	int64_t i = json_integer_value(json_object_get(x->row, "id"));
	int64_t j = json_integer_value(json_object_get(y->row, "id"));
	return i < j ? -1 : i > j;
}

/* ------------------------------------------------------------------ the suggestion list */

static void need_facts_of(struct ctx *c, json_t *item, struct need_facts *nf)
{
	memset(nf, 0, sizeof *nf);
	nf->id = json_integer_value(json_object_get(item, "id"));
	nf->org_id = json_integer_value(json_object_get(item, "org_id"));
	nf->remaining = json_integer_value(json_object_get(item, "remaining"));
	nf->unit = json_string_value(json_object_get(item, "unit"));
	nf->street = json_string_value(json_object_get(item, "street_code"));
	nf->category = json_string_value(json_object_get(item, "category"));
	json_t *fields = json_object_get(item, "fields");
	nf->n_fields = json_array_size(fields);
	nf->fields = arena_alloc(c->arena, (nf->n_fields + 1) * sizeof *nf->fields);
	for (size_t i = 0; i < nf->n_fields; i++)
		nf->fields[i] = json_string_value(json_array_get(fields, i));
	nf->fields[nf->n_fields] = NULL;
	const char *title = json_string_value(json_object_get(item, "title"));
	const char *desc = json_string_value(json_object_get(item, "description"));
	nf->words = words_of(c, arena_printf(c->arena, "%s %s", title ? title : "", desc ? desc : ""),
			     400);
}

static int applicable(const char *category)
{
	return category && (strcmp(category, "expertise") == 0 || strcmp(category, "training") == 0);
}

json_t *experts_suggest_json(struct ctx *c, int64_t id, size_t k)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	json_t *item = res_item_get_json(c, "need", id); /* 404 when hidden */
	if (!item)
		return NULL;
	struct policy_object obj = {json_integer_value(json_object_get(item, "org_id")),
				    json_string_value(json_object_get(item, "street_code"))};
	if (policy_check(c, ACT_MATCHING_SUGGEST, &obj) != 0) {
		json_decref(item);
		return NULL;
	}
	struct need_facts nf;
	need_facts_of(c, item, &nf);
	struct ids ids = {.n = 0};
	int ok = applicable(nf.category) && nf.remaining > 0;
	if (ok && candidates(c, &nf, &ids) != 0) {
		json_decref(item);
		return NULL;
	}
	struct expert *found = calloc(ids.n + 1, sizeof *found);
	size_t n = 0;
	for (size_t i = 0; found && i < ids.n; i++)
		if (score_one(c, &nf, ids.v[i], &found[n]) == 0)
			n++;
		else
			json_decref(found[n].row), found[n].row = NULL;
	qsort(found, n, sizeof *found, by_total);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		if (i < k) {
			json_object_set_new(found[i].row, "kind", json_string("expert"));
			json_object_set_new(found[i].row, "score", score_json(c, &found[i]));
			json_array_append(list, found[i].row);
		}
		json_decref(found[i].row);
	}
	free(found);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	return json_pack("{so sb so sI sf}", "item", item, "applicable", applicable(nf.category),
			 "suggestions", list, "candidates", (json_int_t)ids.n, "millis", ms);
}
