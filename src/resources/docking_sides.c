/*
 * The two sides of a docking and the rules between them (see docking_sides.h). A grade counts
 * by the registry's rule (the most recently announced grade whose validity covers today: begun
 * and not ended), read live from org_grade rather than from org.current_grade, which the
 * periodic grades task refreshes: a grade that ended this morning no longer counts, and one
 * announced for next year does not count yet.
 */
#include <string.h>
#include <time.h>
#include "core/msg.h"
#include "registry/org.h"
#include "resources/docking_sides.h"

int docking_side_load(struct ctx *c, int64_t id, struct side_item *s)
{
	struct db_stmt *st = db_query(
		c->db,
		"SELECT i.id, i.org_id, i.remaining, i.kind, i.street_code, i.status, i.unit, "
		"i.category, i.title, o.name, i.eligible_types, i.min_grade, o.type, "
		"(SELECT g.grade FROM org_grade g WHERE g.org_id = i.org_id AND g.valid_from <= $2 "
		"AND g.valid_to >= $2 ORDER BY g.announced_on DESC, g.id DESC LIMIT 1) FROM res_item i "
		"JOIN org o ON o.id = i.org_id WHERE i.id = $1",
		"ls", id, org_today_text(c));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->id = db_col_int(st, 0);
		s->org_id = db_col_int(st, 1);
		s->remaining = db_col_int(st, 2);
		const char **str[] = {&s->kind,	    &s->street,	  &s->status,	&s->unit,
				      &s->category, &s->title,	  &s->org_name, &s->eligible,
				      &s->min_grade, &s->org_type, &s->grade};
		for (int i = 0; i < 11; i++)
			*str[i] = db_col_isnull(st, 3 + i)
					  ? NULL
					  : arena_strdup(c->arena, db_col_text(st, 3 + i));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return rc == DB_ROW ? 0 : 1;
}

/* An expert of the talent pool as the offering side: named after the expert, "organization"
 * = the affiliation; open while the entry is active and of kind expert. 1 when not found. */
int docking_expert_load(struct ctx *c, int64_t id, struct side_item *s)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT t.id, COALESCE(t.org_id, 0), t.kind, t.active, "
				      "t.street_code, t.name, COALESCE(t.affiliation, t.name), "
				      "COALESCE(t.user_id, 0) FROM talent t WHERE t.id = $1",
				      "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		memset(s, 0, sizeof *s);
		s->expert = 1;
		s->id = db_col_int(st, 0);
		s->org_id = db_col_int(st, 1);
		s->remaining = INT64_MAX;
		s->kind = arena_strdup(c->arena, db_col_text(st, 2));
		s->status = db_col_int(st, 3) ? "open" : "closed";
		s->street = db_col_isnull(st, 4) ? NULL : arena_strdup(c->arena, db_col_text(st, 4));
		s->title = arena_strdup(c->arena, db_col_text(st, 5));
		s->org_name = arena_strdup(c->arena, db_col_text(st, 6));
		s->user_id = db_col_int(st, 7);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return rc == DB_ROW ? 0 : 1;
}

/* The offering side of a docking as JSON read it: its resource, or its expert. */
int docking_offer_load(struct ctx *c, json_t *o, struct side_item *s)
{
	int64_t talent = json_integer_value(json_object_get(o, "talent_id"));
	return talent ? docking_expert_load(c, talent, s)
		      : docking_side_load(c, json_integer_value(json_object_get(o, "resource_id")), s);
}

/* "5A" -> 5; none -> 0. */
static int grade_rank(const char *g)
{
	return g && g[0] >= '1' && g[0] <= '5' && g[1] == 'A' ? g[0] - '0' : 0;
}

/* 1 if code is one of the comma-separated list. */
static int in_csv(const char *list, const char *code)
{
	size_t n = code ? strlen(code) : 0;
	for (const char *p = list; n && p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, code, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* The hard conditions `setter` (its eligible organization types and minimum grade) puts on
 * the other side's organization, as field errors on `field` (the setter's id in the body):
 * "该资源仅面向社会团体类型的组织", "该资源需要 3A 及以上评估等级". One eligible type is named
 * in the message; several are referred to the item's conditions. */
static void check_conditions(struct ctx *c, const struct side_item *setter,
			     const struct side_item *other, const char *field)
{
	int need = strcmp(setter->kind, "need") == 0;
	if (setter->eligible && *setter->eligible && !in_csv(setter->eligible, other->org_type)) {
		const char *key = !strchr(setter->eligible, ',')
					  ? arena_printf(c->arena, "resources.cond.%s.%s",
							 need ? "need" : "resource", setter->eligible)
					  : need ? "resources.cond.need.types"
						 : "resources.cond.resource.types";
		error_field(&c->err, field, msg_text(key, LANG_ZH) ? key : "resources.cond.types", 0);
	}
	int want = grade_rank(setter->min_grade);
	if (want && grade_rank(other->grade) < want)
		error_field(&c->err, field,
			    need ? "resources.cond.need.grade" : "resources.cond.resource.grade", want);
}

/* Both sides' conditions on each other; -1 with 422 field errors when one is not met. */
int docking_check_both(struct ctx *c, const struct side_item *need, const struct side_item *res)
{
	check_conditions(c, res, need, "resource_id");
	check_conditions(c, need, res, "need_id");
	return error_check(&c->err);
}

/* The rules between a need and a resource (or an expert), as field errors: self-docking,
 * units and categories, quantity, each side's conditions. */
void docking_check_pair(struct ctx *c, const struct side_item *need, const struct side_item *res,
		       int64_t quantity)
{
	const char *field = res->expert ? "talent_id" : "resource_id";
	if (need->org_id == res->org_id)
		error_field(&c->err, field, "resources.self_docking", 0);
	if (res->expert) {
		/* an expert gives hours (or is one person) to an expertise or training need */
		if (strcmp(need->category, "expertise") != 0 && strcmp(need->category, "training") != 0 &&
		    strcmp(need->category, "other") != 0)
			error_field(&c->err, "need_id", "resources.need_not_expertise", 0);
		else if (strcmp(need->unit, "hours") != 0 && strcmp(need->unit, "people") != 0)
			error_field(&c->err, "need_id", "resources.need_not_expertise", 0);
	} else if (strcmp(need->unit, res->unit) != 0)
		error_field(&c->err, field, "resources.unit_differs", 0);
	else if (strcmp(need->category, res->category) != 0 && strcmp(need->category, "other") != 0 &&
		 strcmp(res->category, "other") != 0)
		error_field(&c->err, field, "resources.category_differs", 0);
	int64_t most = need->remaining < res->remaining ? need->remaining : res->remaining;
	if (quantity > most)
		error_field(&c->err, "quantity", "field.max", most);
	/* the organization conditions bind organizations; an expert is a person */
	if (need->org_id != res->org_id && !res->expert)
		docking_check_both(c, need, res);
}

/* Loads the need and the offering side (a resource, or with talent_id an expert), with a
 * field error when one is missing or of the wrong kind. */
int docking_pair_load(struct ctx *c, int64_t need_id, int64_t res_id, int64_t talent_id,
		     struct side_item *need, struct side_item *res)
{
	int a = docking_side_load(c, need_id, need);
	int b = talent_id ? docking_expert_load(c, talent_id, res) : docking_side_load(c, res_id, res);
	if (a < 0 || b < 0)
		return -1;
	if (a || strcmp(need->kind, "need") != 0)
		error_field(&c->err, "need_id", "resources.not_a_need", 0);
	if (talent_id && (b || strcmp(res->kind, "expert") != 0))
		error_field(&c->err, "talent_id", "resources.not_an_expert", 0);
	else if (!talent_id && (b || strcmp(res->kind, "resource") != 0))
		error_field(&c->err, "resource_id", "resources.not_a_resource", 0);
	return error_check(&c->err);
}

