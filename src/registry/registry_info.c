/*
 * Read-only views for forms and the 360° page: the configured jurisdiction (district, streets,
 * communities), the code lists with their labels, and an organization's overview.
 */
#include <string.h>
#include "core/policy.h"
#include "registry/org.h"
#include "registry/org_internal.h"

const char *registry_division_name(struct ctx *c, const char *code)
{
	struct db_stmt *st = db_query(c->db, "SELECT name FROM division WHERE code = $1", "s", code);
	const char *name = db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
	db_done(st);
	return name;
}

/* {district:{code,name}|null, streets:[{code, name, communities:[{code, name}]}]} */
json_t *registry_divisions_json(struct ctx *c)
{
	if (policy_check(c, ACT_ORG_READ, NULL) != 0)
		return NULL;
	struct db_stmt *st = db_query(c->db,
				      "SELECT code, name, level, parent_code FROM division "
				      "WHERE level <> 'district' ORDER BY code",
				      "");
	json_t *streets = json_array(), *street = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *d = json_pack("{s:s, s:s}", "code", db_col_text(st, 0), "name",
				      db_col_text(st, 1));
		if (strcmp(db_col_text(st, 2), "street") == 0) {
			/* codes sort a street before its communities (xxxxxxNNN000 < xxxxxxNNN001) */
			street = d;
			json_object_set_new(d, "communities", json_array());
			json_array_append_new(streets, d);
		} else if (street && db_col_text(st, 3) &&
			   strcmp(db_col_text(st, 3),
				  json_string_value(json_object_get(street, "code"))) == 0) {
			json_array_append_new(json_object_get(street, "communities"), d);
		} else {
			json_decref(d);
		}
	}
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(streets);
		ctx_db_error(c);
		return NULL;
	}
	st = db_query(c->db,
		      "SELECT d.code, d.name FROM setting s JOIN division d ON d.code = s.value "
		      "WHERE s.key = 'district_code'",
		      "");
	json_t *district = db_step(st) == DB_ROW
				   ? json_pack("{s:s, s:s}", "code", db_col_text(st, 0), "name",
					       db_col_text(st, 1))
				   : json_null();
	db_done(st);
	return json_pack("{s:o, s:o}", "district", district, "streets", streets);
}

static json_t *code_list(const char *const *codes)
{
	json_t *a = json_array();
	for (const char *const *p = codes; *p; p++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", *p, "zh",
						   org_label(*p, LANG_ZH), "en",
						   org_label(*p, LANG_EN)));
	return a;
}

json_t *registry_options_json(struct ctx *c)
{
	if (policy_check(c, ACT_ORG_READ, NULL) != 0)
		return NULL;
	json_t *uf = json_array();
	struct db_stmt *st =
		db_query(c->db, "SELECT code, zh, en FROM person_category ORDER BY position", "");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(uf, json_pack("{s:s, s:s, s:s}", "code", db_col_text(st, 0),
						    "zh", db_col_text(st, 1), "en",
						    db_col_text(st, 2)));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(uf);
		ctx_db_error(c);
		return NULL;
	}
	static const char *const genders[] = {"male", "female", NULL};
	json_t *g = json_array();
	for (const char *const *p = genders; *p; p++)
		json_array_append_new(g, json_pack("{s:s, s:s, s:s}", "code", *p, "zh",
						   strcmp(*p, "male") == 0 ? "男" : "女", "en",
						   strcmp(*p, "male") == 0 ? "Male" : "Female"));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "types",
			 code_list(org_type_codes), "fields",
			 code_list(org_field_codes), "statuses",
			 code_list(org_status_codes), "grades",
			 code_list(org_grade_codes), "uf_categories", uf, "genders", g);
}

/* The overview counts only what exists today: people and grades. Later features add their
 * own counts here (meetings, projects, ...) as they land. */
json_t *org_overview_json(struct ctx *c, int64_t id)
{
	json_t *org = org_get_json(c, id);
	if (!org)
		return NULL;
	int64_t people = db_int(c->db, -1, "SELECT count(*) FROM person_org WHERE org_id = $1", "l", id);
	int64_t grades = db_int(c->db, -1, "SELECT count(*) FROM org_grade WHERE org_id = $1", "l", id);
	if (people < 0 || grades < 0) {
		json_decref(org);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o, s:{s:I, s:I}}", "org", org, "counts", "people", (json_int_t)people,
			 "grades", (json_int_t)grades);
}
