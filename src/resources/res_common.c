/*
 * Code lists, labels and small helpers shared by the resources folder: JSON rows, search
 * tokens in the registry's scheme (Han unigrams + bigrams, facet tokens "xq..."), the
 * visibility a reader has.
 */
#include <stdlib.h>
#include <string.h>
#include "core/policy.h"
#include "lib/text.h"
#include "resources/resources.h"

const char *const res_kind_codes[] = {"resource", "need", NULL};
const char *const res_category_codes[] = {"funds",    "materials", "venue",
					  "volunteers", "expertise", "information",
					  "training", "equipment", "other",
					  NULL};
const char *const res_unit_codes[] = {"yuan", "people", "hours", "m2", "items", NULL};
const char *const res_status_codes[] = {"open", "partly_matched", "fulfilled", "closed",
					"expired", NULL};
const char *const res_visibility_codes[] = {"public", "district", "staff", NULL};
const char *const res_weekday_codes[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};
const char *const docking_status_codes[] = {"proposed", "accepted", "in_progress", "fulfilled",
					    "failed", NULL};

static const struct msg labels[] = {
	{"resource", "资源", "Resource"},
	{"need", "需求", "Need"},
	{"funds", "资金", "Funds"},
	{"materials", "物资", "Materials"},
	{"venue", "场地", "Venue"},
	{"volunteers", "志愿者/人力", "Volunteers"},
	{"expertise", "专业/智力支持", "Expertise"},
	{"information", "信息", "Information"},
	{"training", "培训", "Training"},
	{"equipment", "设备", "Equipment"},
	{"other", "其他", "Other"},
	{"yuan", "元", "yuan"},
	{"people", "人", "people"},
	{"hours", "小时", "hours"},
	{"m2", "平方米", "m²"},
	{"items", "件", "items"},
	{"open", "开放", "Open"},
	{"partly_matched", "部分对接", "Partly matched"},
	{"fulfilled", "已满足", "Fulfilled"},
	{"closed", "已关闭", "Closed"},
	{"expired", "已过期", "Expired"},
	{"public", "公开", "Public"},
	{"district", "区内可见", "Within the district"},
	{"staff", "仅统战部可见", "Staff only"},
	{NULL, NULL, NULL},
};

const char *res_label(const char *code, enum lang lang)
{
	return msg_label(labels, code, lang);
}

/* Which units measure which category: money in yuan, a venue by area or hours, people by
 * head count or hours, things by pieces. "other" takes any unit. */
int res_unit_fits(const char *category, const char *unit)
{
	static const struct {
		const char *category, *units;
	} fits[] = {
		{"funds", " yuan "},          {"materials", " items "},
		{"venue", " m2 hours "},      {"volunteers", " people hours "},
		{"expertise", " hours people "}, {"information", " items "},
		{"training", " hours people "}, {"equipment", " items hours "},
	};
	if (!category || !unit)
		return 0;
	for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++)
		if (strcmp(fits[i].category, category) == 0) {
			char key[16];
			snprintf(key, sizeof key, " %s ", unit);
			return strstr(fits[i].units, key) != NULL;
		}
	return strcmp(category, "other") == 0;
}

int res_visibility_rank(struct ctx *c)
{
	if (policy_allows(c->who, ACT_RES_READ_RESTRICTED, NULL))
		return 2;
	return policy_allows(c->who, ACT_RES_READ_DISTRICT, NULL) ? 1 : 0;
}

void res_facet_token(struct buf *out, const char *facet, const char *value)
{
	if (out->len)
		buf_putc(out, ' ');
	buf_puts(out, "xq");
	buf_puts(out, facet);
	for (const char *p = value; p && *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			buf_putc(out, *p);
		else if (*p >= 'A' && *p <= 'Z')
			buf_putc(out, (char)(*p - 'A' + 'a'));
}

const char *res_match_text(struct ctx *c, const char *tokens)
{
	int postgres = db_engine(c->db) == DB_POSTGRES;
	struct buf b = {0};
	for (const char *p = tokens; *p;) {
		size_t n = strcspn(p, " ");
		if (n) {
			if (b.len)
				buf_puts(&b, postgres ? " & " : " ");
			buf_putc(&b, postgres ? '\'' : '"');
			buf_append(&b, p, n);
			buf_putc(&b, postgres ? '\'' : '"');
		}
		p += n + (p[n] == ' ');
	}
	const char *out = arena_strdup(c->arena, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/* Words typed as "xq..." would pass for facets: drop them, and over-long tokens (URLs). */
static void drop_reserved(char *tokens)
{
	char *out = tokens, *p = tokens;
	while (*p) {
		size_t n = strcspn(p, " ");
		int keep = n > 0 && n <= 100 && !(n >= 2 && p[0] == 'x' && p[1] == 'q');
		if (keep) {
			if (out != tokens)
				*out++ = ' ';
			memmove(out, p, n);
			out += n;
		}
		p += n + (p[n] == ' ');
	}
	*out = 0;
}

int res_write_tokens(struct ctx *c, const char *table, int64_t id, const char *text,
		     const char *facets)
{
	char *tokens = NULL;
	if (text_index_tokens(text ? text : "", &tokens) != 0)
		return error_internal(&c->err, "text_index_tokens failed for %s %lld", table,
				      (long long)id);
	drop_reserved(tokens);
	struct buf all = {0};
	buf_puts(&all, tokens);
	free(tokens);
	if (facets && *facets) {
		if (all.len)
			buf_putc(&all, ' ');
		buf_puts(&all, facets);
	}
	int64_t n;
	int item = strcmp(table, "res_item") == 0;
	if (db_engine(c->db) == DB_SQLITE) {
		n = db_run(c->db, item ? "DELETE FROM res_item_fts WHERE rowid = $1"
				       : "DELETE FROM talent_fts WHERE rowid = $1",
			   "l", id);
		if (n >= 0)
			n = db_run(c->db,
				   item ? "INSERT INTO res_item_fts (rowid, tokens) VALUES ($1, $2)"
					: "INSERT INTO talent_fts (rowid, tokens) VALUES ($1, $2)",
				   "ls", id, all.data ? all.data : "");
	} else {
		n = db_run(c->db,
			   item ? "UPDATE res_item SET search_tokens = "
				  "array_to_tsvector(string_to_array($2, ' ')) WHERE id = $1"
				: "UPDATE talent SET search_tokens = "
				  "array_to_tsvector(string_to_array($2, ' ')) WHERE id = $1",
			   "ls", id, all.data ? all.data : "");
	}
	buf_free(&all);
	return n < 0 ? ctx_db_error(c) : 0;
}

/* ",3,7," — the reader's organizations, for the visibility clause. */
const char *res_own_orgs(struct ctx *c)
{
	struct buf b = {0};
	buf_putc(&b, ',');
	for (int i = 0; i < c->who->norgs; i++)
		buf_printf(&b, "%lld,", (long long)c->who->org_ids[i]);
	for (int i = 0; i < c->who->nmember_orgs; i++)
		buf_printf(&b, "%lld,", (long long)c->who->member_org_ids[i]);
	const char *s = arena_strdup(c->arena, b.data);
	buf_free(&b);
	return s;
}
