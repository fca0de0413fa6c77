/*
 * The organization registry: codes, validation, create/update/archive, reading one
 * organization, and the search index. See org.h for the contract; the list query lives in
 * org_list.c, grades in org_grade.c, people in person.c.
 *
 * The columns a client can set are described once, in `columns[]`, in the order of the SQL
 * column lists below: reading a row, binding an insert or update, merging a PATCH and
 * rendering JSON all walk that table, so adding a column means one table line and the SQL.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "liaison/liaison.h"
#include "lib/creditcode.h"
#include "lib/text.h"
#include "registry/org.h"
#include "registry/org_internal.h"
#include "registry/org_stats.h"

/* ------------------------------------------------------------------ codes and labels */

const char *const org_type_codes[] = {
	"social_group", "service_agency", "foundation", "community_group", "enterprise",
	"institution", "academic", "neighborhood_committee", "government", "other", NULL,
};
const char *const org_field_codes[] = {
	"science", "environment", "education", "health", "social_service", "culture", "sports",
	"law", "business", "religion", "rural", "professional", "international", "other_field",
	NULL,
};
const char *const org_status_codes[] = {"active", "suspended", "deregistered", NULL};
const char *const org_grade_codes[] = {"5A", "4A", "3A", "2A", "1A", NULL};

static const struct msg org_labels[] = {
	{"social_group", "社会团体", "Social group"},
	{"service_agency", "社会服务机构", "Social service agency"},
	{"foundation", "基金会", "Foundation"},
	{"community_group", "社区社会组织", "Community social organization"},
	{"enterprise", "企业", "Enterprise"},
	{"institution", "事业单位", "Public institution"},
	{"academic", "高校/科研机构", "University / research institute"},
	{"neighborhood_committee", "居委会/村委会", "Residents' / villagers' committee"},
	{"government", "政府部门", "Government department"},
	{"other", "其他", "Other"},
	{"science", "科技与研究", "Science and research"},
	{"environment", "生态环境", "Ecology and environment"},
	{"education", "教育", "Education"},
	{"health", "卫生", "Health"},
	{"social_service", "社会服务", "Social services"},
	{"culture", "文化", "Culture"},
	{"sports", "体育", "Sports"},
	{"law", "法律", "Law"},
	{"business", "工商服务业", "Business services"},
	{"religion", "宗教", "Religion"},
	{"rural", "农业及农村发展", "Agriculture and rural development"},
	{"professional", "职业及从业者组织", "Professional associations"},
	{"international", "国际及其他涉外组织", "International organizations"},
	{"other_field", "其他", "Other"},
	{"active", "正常", "Active"},
	{"suspended", "暂停活动", "Suspended"},
	{"deregistered", "已注销", "Deregistered"},
	{"5A", "5A（AAAAA）", "5A (AAAAA)"},
	{"4A", "4A（AAAA）", "4A (AAAA)"},
	{"3A", "3A（AAA）", "3A (AAA)"},
	{"2A", "2A（AA）", "2A (AA)"},
	{"1A", "1A（A）", "1A (A)"},
	{NULL, NULL, NULL},
};

const char *org_label(const char *code, enum lang lang)
{
	return msg_label(org_labels, code, lang);
}

/* ------------------------------------------------------------------ the column table */

#define AT(f) offsetof(struct org_input, f)
const struct org_column org_columns[ORG_NCOLUMNS] = {
	{"name", AT(name), COL_TEXT, 100, 0},
	{"short_name", AT(short_name), COL_TEXT, 50, 0},
	{"credit_code", AT(credit_code), COL_TEXT, 0, 0},
	{"type", AT(type), COL_TEXT, 0, 0},
	{"street_code", AT(street_code), COL_TEXT, 0, 0},
	{"community_code", AT(community_code), COL_TEXT, 0, 0},
	{"address", AT(address), COL_TEXT, 200, 0},
	{"legal_representative", AT(legal_representative), COL_TEXT, 50, 1},
	{"contact_person", AT(contact_person), COL_TEXT, 50, 0},
	{"contact_phone", AT(contact_phone), COL_TEXT, 0, 0}, /* masked, not hidden */
	{"contact_email", AT(contact_email), COL_TEXT, 0, 1},
	{"founded_on", AT(founded_on), COL_TEXT, 0, 0},
	{"registration_authority", AT(registration_authority), COL_TEXT, 100, 0},
	{"supervising_unit", AT(supervising_unit), COL_TEXT, 100, 0},
	{"description", AT(description), COL_TEXT, 4000, 0},
	{"status", AT(status), COL_TEXT, 0, 0},
	{"credit_override_reason", AT(credit_override_reason), COL_TEXT, 200, 1},
	{"staff_count", AT(staff_count), COL_NUMBER, 10000000, 0},
	{"volunteer_count", AT(volunteer_count), COL_NUMBER, 100000000, 0},
	{"annual_budget", AT(annual_budget), COL_NUMBER, 100000000000000LL, 1},
	{"has_party_org", AT(has_party_org), COL_FLAG, 1, 0},
};
#undef AT

const char *const org_input_fields[] = {
	"name", "short_name", "credit_code", "type", "fields", "tags", "street_code",
	"community_code", "address", "legal_representative", "contact_person", "contact_phone",
	"contact_email", "founded_on", "registration_authority", "supervising_unit",
	"staff_count", "volunteer_count", "annual_budget", "has_party_org", "description",
	"status", "credit_override_reason", NULL,
};
static const char *const org_update_fields[] = {
	"name", "short_name", "credit_code", "type", "fields", "tags", "street_code",
	"community_code", "address", "legal_representative", "contact_person", "contact_phone",
	"contact_email", "founded_on", "registration_authority", "supervising_unit",
	"staff_count", "volunteer_count", "annual_budget", "has_party_org", "description",
	"status", "credit_override_reason", "version", NULL,
};

/* The SQL column lists in columns[] order ($1..$21). */
#define ORG_COLS                                                                           \
	"name, short_name, credit_code, type, street_code, community_code, address, "     \
	"legal_representative, contact_person, contact_phone, contact_email, founded_on, " \
	"registration_authority, supervising_unit, description, status, "                  \
	"credit_override_reason, staff_count, volunteer_count, annual_budget, has_party_org"

static const char **col_text(struct org_input *in, int i)
{
	return (const char **)((char *)in + org_columns[i].offset);
}
static int64_t *col_number(struct org_input *in, int i)
{
	return (int64_t *)((char *)in + org_columns[i].offset);
}
static int *col_flag(struct org_input *in, int i)
{
	return (int *)((char *)in + org_columns[i].offset);
}

/* Binds columns[] values as $first .. $first+20. */
static void bind_columns(struct db_stmt *st, int first, struct org_input *in)
{
	for (int i = 0; i < ORG_NCOLUMNS; i++) {
		int n = first + i;
		switch (org_columns[i].kind) {
		case COL_TEXT:
			db_bind_text(st, n, *col_text(in, i));
			break;
		case COL_NUMBER:
			if (*col_number(in, i) == ORG_NO_NUMBER)
				db_bind_null(st, n);
			else
				db_bind_int(st, n, *col_number(in, i));
			break;
		case COL_FLAG:
			db_bind_int(st, n, *col_flag(in, i) ? 1 : 0);
			break;
		}
	}
}

/* Reads columns[] values from result columns first .. first+20 into arena copies. */
static void read_columns(struct ctx *c, struct db_stmt *st, int first, struct org_input *in)
{
	for (int i = 0; i < ORG_NCOLUMNS; i++) {
		int k = first + i;
		switch (org_columns[i].kind) {
		case COL_TEXT:
			*col_text(in, i) = db_col_isnull(st, k) ? NULL
								 : arena_strdup(c->arena, db_col_text(st, k));
			break;
		case COL_NUMBER:
			*col_number(in, i) = db_col_isnull(st, k) ? ORG_NO_NUMBER : db_col_int(st, k);
			break;
		case COL_FLAG:
			*col_flag(in, i) = db_col_int(st, k) != 0;
			break;
		}
	}
}

/* ------------------------------------------------------------------ validation */

int org_credit_normalize(struct ctx *c, const char *raw, const char **out)
{
	char *code = arena_strdup(c->arena, raw);
	for (char *p = code; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	*out = code;
	return (int)creditcode_validate(code);
}

/* A division code of the wanted level inside the configured district; for a community, inside
 * `street` when one is given. Adds a field error and returns -1 otherwise. */
static int check_division(struct ctx *c, const char *field, const char *code, int community,
			  const char *street)
{
	struct db_stmt *st = db_query(c->db, "SELECT level, parent_code FROM division WHERE code = $1",
				      "s", code);
	int rc = db_step(st);
	const char *want = community ? "community" : "street";
	int ok = rc == DB_ROW && strcmp(db_col_text(st, 0), want) == 0;
	int inside = ok && (!community || !street || (db_col_text(st, 1) &&
						      strcmp(db_col_text(st, 1), street) == 0));
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (!ok)
		error_field(&c->err, field,
			    community ? "registry.bad_community" : "registry.bad_street", 0);
	else if (!inside)
		error_field(&c->err, field, "registry.community_not_in_street", 0);
	return ok && inside ? 0 : -1;
}

/* Today's date (UTC+8, the district's calendar) as YYYY-MM-DD. */
void org_today(struct ctx *c, char out[11])
{
	time_t t = (time_t)(c->now + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

const char *org_today_text(struct ctx *c)
{
	char *out = arena_alloc(c->arena, 11);
	org_today(c, out);
	return out;
}

/* A field is required on create; on update only when sent (it may not be cleared). Returns
 * -1 to mean "skip: not sent on update". */
static int need(json_t *obj, int for_update, const char *field)
{
	if (!for_update)
		return V_REQUIRED;
	return json_object_get(obj, field) ? V_REQUIRED : -1;
}

static void read_credit_code(struct ctx *c, json_t *obj, struct org_input *in)
{
	const char *raw = NULL;
	if (v_string(c, obj, "credit_code", V_OPTIONAL, 32, &raw) != 0 || !raw) {
		in->credit_override_reason = NULL;
		return;
	}
	int status = org_credit_normalize(c, raw, &in->credit_code);
	if (creditcode_is_acceptable(status)) {
		in->credit_override_reason = NULL; /* nothing to override */
	} else if (status == CREDITCODE_BAD_CHECK) {
		if (in->credit_override_reason)
			in->credit_needs_override = 1;
		else
			error_field(&c->err, "credit_code", "registry.credit_bad_check", 0);
	} else {
		error_field(&c->err, "credit_code", "registry.credit_bad_format", 0);
	}
}

static void read_fields(struct ctx *c, json_t *obj, struct org_input *in)
{
	const char **list = NULL;
	if (v_string_list(c, obj, "fields", V_OPTIONAL, 14, 32, &list, NULL) != 0 || !list)
		return;
	for (const char **f = list; *f; f++) {
		const char *const *code = org_field_codes;
		while (*code && strcmp(*code, *f) != 0)
			code++;
		if (!*code) {
			error_field(&c->err, "fields", "field.bad_choice", 0);
			return;
		}
		*f = *code;
	}
	in->fields = list;
}

static void read_contacts(struct ctx *c, json_t *obj, struct org_input *in)
{
	if (v_string(c, obj, "contact_phone", V_OPTIONAL, 20, &in->contact_phone) == 0 &&
	    in->contact_phone && !v_is_phone(in->contact_phone))
		error_field(&c->err, "contact_phone", "field.bad_phone", 0);
	if (v_string(c, obj, "contact_email", V_OPTIONAL, 254, &in->contact_email) == 0 &&
	    in->contact_email && !v_is_email(in->contact_email))
		error_field(&c->err, "contact_email", "field.bad_email", 0);
	if (v_date(c, obj, "founded_on", V_OPTIONAL, &in->founded_on) == 0 && in->founded_on) {
		char today[11];
		org_today(c, today);
		if (strcmp(in->founded_on, today) > 0)
			error_field(&c->err, "founded_on", "registry.date_in_future", 0);
	}
}

/* Street and community: each must be in the configured district, the community inside the
 * street when both are sent (org_update checks the pair again against the stored one). */
static void read_divisions(struct ctx *c, json_t *obj, int for_update, struct org_input *in)
{
	int req = need(obj, for_update, "street_code");
	int street_ok = 0;
	if (req >= 0 && v_string(c, obj, "street_code", req, 12, &in->street_code) == 0 &&
	    in->street_code)
		street_ok = check_division(c, "street_code", in->street_code, 0, NULL) == 0;
	if (v_string(c, obj, "community_code", V_OPTIONAL, 12, &in->community_code) == 0 &&
	    in->community_code)
		check_division(c, "community_code", in->community_code, 1,
			       street_ok ? in->street_code : NULL);
}

int org_input_from_json(struct ctx *c, json_t *obj, int for_update, struct org_input *in)
{
	memset(in, 0, sizeof *in);
	in->given = obj;
	in->staff_count = in->volunteer_count = in->annual_budget = ORG_NO_NUMBER;
	in->status = "active";
	v_no_unknown_fields(c, obj, for_update ? org_update_fields : org_input_fields);
	int req = need(obj, for_update, "name");
	if (req >= 0)
		v_string(c, obj, "name", req, 100, &in->name);
	req = need(obj, for_update, "type");
	if (req >= 0)
		v_choice(c, obj, "type", req, org_type_codes, &in->type);
	req = need(obj, for_update, "status");
	if (json_object_get(obj, "status") && req >= 0)
		v_choice(c, obj, "status", V_REQUIRED, org_status_codes, &in->status);
	for (int i = 0; i < ORG_NCOLUMNS; i++) /* plain free-text columns */
		if (org_columns[i].kind == COL_TEXT && org_columns[i].max_chars &&
		    strcmp(org_columns[i].name, "name") != 0)
			v_string(c, obj, org_columns[i].name, V_OPTIONAL, org_columns[i].max_chars,
				 col_text(in, i));
	for (int i = 0; i < ORG_NCOLUMNS; i++)
		if (org_columns[i].kind == COL_NUMBER)
			v_int(c, obj, org_columns[i].name, V_OPTIONAL, 0,
			      (int64_t)org_columns[i].max_chars, col_number(in, i), NULL);
	v_bool(c, obj, "has_party_org", V_OPTIONAL, &in->has_party_org);
	read_credit_code(c, obj, in);
	read_fields(c, obj, in);
	v_string_list(c, obj, "tags", V_OPTIONAL, 20, 20, &in->tags, NULL);
	read_contacts(c, obj, in);
	read_divisions(c, obj, for_update, in);
	if (for_update)
		v_int(c, obj, "version", V_REQUIRED, 1, INT64_MAX, &in->version, NULL);
	if (c->err.kind != E_NONE && c->err.kind != E_VALIDATION)
		return -1; /* a database error while checking divisions */
	return error_check(&c->err);
}

/* ------------------------------------------------------------------ reading */

static const char org_select_sql[] =
	"SELECT o.name, o.short_name, o.credit_code, o.type, o.street_code, o.community_code, "
	"o.address, o.legal_representative, o.contact_person, o.contact_phone, o.contact_email, "
	"o.founded_on, o.registration_authority, o.supervising_unit, o.description, o.status, "
	"o.credit_override_reason, o.staff_count, o.volunteer_count, o.annual_budget, "
	"o.has_party_org, o.id, o.archived, o.current_grade, o.created_at, o.updated_at, "
	"o.version, ds.name, dc.name FROM org o "
	"LEFT JOIN division ds ON ds.code = o.street_code "
	"LEFT JOIN division dc ON dc.code = o.community_code WHERE o.id = $1";

/* Fields and tags of one organization, in one round trip. */
static int load_lists(struct ctx *c, struct org_row *row)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT 0, field FROM org_field WHERE org_id = $1 UNION ALL "
				      "SELECT 1, tag FROM org_tag WHERE org_id = $1 ORDER BY 1, 2",
				      "l", row->id);
	const char *fields[16], *tags[24];
	int nf = 0, nt = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *v = arena_strdup(c->arena, db_col_text(st, 1));
		if (db_col_int(st, 0) == 0 && nf < 15)
			fields[nf++] = v;
		else if (db_col_int(st, 0) == 1 && nt < 23)
			tags[nt++] = v;
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	const char **f = arena_alloc(c->arena, (size_t)(nf + 1) * sizeof *f);
	const char **t = arena_alloc(c->arena, (size_t)(nt + 1) * sizeof *t);
	memcpy(f, fields, (size_t)nf * sizeof *f);
	memcpy(t, tags, (size_t)nt * sizeof *t);
	row->in.fields = f;
	row->in.tags = t;
	return 0;
}

int org_load(struct ctx *c, int64_t id, struct org_row *row)
{
	memset(row, 0, sizeof *row);
	struct db_stmt *st = db_query(c->db, org_select_sql, "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_columns(c, st, 0, &row->in);
		int k = ORG_NCOLUMNS;
		row->id = db_col_int(st, k);
		row->archived = (int)db_col_int(st, k + 1);
		row->current_grade =
			db_col_isnull(st, k + 2) ? NULL : arena_strdup(c->arena, db_col_text(st, k + 2));
		row->created_at = db_col_int(st, k + 3);
		row->updated_at = db_col_int(st, k + 4);
		row->in.version = db_col_int(st, k + 5);
		row->street_name =
			db_col_isnull(st, k + 6) ? NULL : arena_strdup(c->arena, db_col_text(st, k + 6));
		row->community_name =
			db_col_isnull(st, k + 7) ? NULL : arena_strdup(c->arena, db_col_text(st, k + 7));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (rc != DB_ROW)
		return error_set(&c->err, E_NOT_FOUND, "registry.org_not_found");
	return load_lists(c, row);
}

const char *org_street_of(struct ctx *c, int64_t id)
{
	struct db_stmt *st = db_query(c->db, "SELECT street_code FROM org WHERE id = $1", "l", id);
	int rc = db_step(st);
	const char *street = rc == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
	db_done(st);
	if (rc == DB_ERROR)
		ctx_db_error(c);
	else if (!street)
		error_set(&c->err, E_NOT_FOUND, "registry.org_not_found");
	return street;
}

int org_may_read_private(struct ctx *c, int64_t id, const char *street_code)
{
	struct policy_object obj = {id, street_code};
	return policy_allows(c->who, ACT_ORG_READ_PRIVATE, &obj);
}

const char *org_mask_phone(struct ctx *c, const char *phone)
{
	if (!phone)
		return NULL;
	char *m = arena_strdup(c->arena, phone);
	size_t n = strlen(m);
	/* keep the operator prefix and the last four digits: 138****5678 */
	size_t keep_head = n >= 7 ? 3 : 0, keep_tail = n >= 7 ? 4 : (n > 2 ? 2 : 0);
	for (size_t i = keep_head; i + keep_tail < n; i++)
		m[i] = '*';
	return m;
}

static json_t *string_list_json(const char **list)
{
	json_t *a = json_array();
	for (const char **p = list; p && *p; p++)
		json_array_append_new(a, json_string(*p));
	return a;
}

/* The client-settable columns as JSON. `mode`: ORG_JSON_FULL for the audit trail and for
 * readers with private access, ORG_JSON_PUBLIC masks the phone and hides private fields. */
json_t *org_input_json(struct ctx *c, struct org_input *in, int mode)
{
	json_t *o = json_object();
	for (int i = 0; i < ORG_NCOLUMNS; i++) {
		const char *name = org_columns[i].name;
		int hide = mode == ORG_JSON_PUBLIC && org_columns[i].private_field;
		json_t *v;
		if (org_columns[i].kind == COL_TEXT) {
			const char *s = *col_text(in, i);
			if (mode == ORG_JSON_PUBLIC && strcmp(name, "contact_phone") == 0)
				s = org_mask_phone(c, s);
			v = s && !hide ? json_string(s) : json_null();
		} else if (org_columns[i].kind == COL_NUMBER) {
			int64_t n = *col_number(in, i);
			v = n != ORG_NO_NUMBER && !hide ? json_integer(n) : json_null();
		} else {
			v = json_boolean(*col_flag(in, i));
		}
		json_object_set_new(o, name, v);
	}
	json_object_set_new(o, "fields", string_list_json(in->fields));
	json_object_set_new(o, "tags", string_list_json(in->tags));
	return o;
}

/* Everything the audit trail keeps of an organization (no timestamps/version: they change on
 * every write and would only add noise to the diff). */
static json_t *org_audit_json(struct ctx *c, struct org_row *row)
{
	json_t *o = org_input_json(c, &row->in, ORG_JSON_FULL);
	json_object_set_new(o, "archived", json_boolean(row->archived));
	json_object_set_new(o, "current_grade",
			    row->current_grade ? json_string(row->current_grade) : json_null());
	return o;
}

json_t *org_row_json(struct ctx *c, struct org_row *row, int private_access)
{
	json_t *o = org_input_json(c, &row->in, private_access ? ORG_JSON_FULL : ORG_JSON_PUBLIC);
	json_object_set_new(o, "id", json_integer(row->id));
	json_object_set_new(o, "street_name",
			    row->street_name ? json_string(row->street_name) : json_null());
	json_object_set_new(o, "community_name",
			    row->community_name ? json_string(row->community_name) : json_null());
	json_object_set_new(o, "archived", json_boolean(row->archived));
	json_object_set_new(o, "current_grade",
			    row->current_grade ? json_string(row->current_grade) : json_null());
	json_object_set_new(o, "created_at", json_integer(row->created_at));
	json_object_set_new(o, "updated_at", json_integer(row->updated_at));
	json_object_set_new(o, "version", json_integer(row->in.version));
	json_object_set_new(o, "private_access", json_boolean(private_access));
	return o;
}

json_t *org_get_json(struct ctx *c, int64_t id)
{
	struct org_row row;
	if (org_load(c, id, &row) != 0)
		return NULL;
	struct policy_object obj = {id, row.in.street_code};
	if (policy_check(c, ACT_ORG_READ, &obj) != 0)
		return NULL;
	return org_row_json(c, &row, org_may_read_private(c, id, row.in.street_code));
}

/* ------------------------------------------------------------------ search index */

/* Index tokens longer than this are dropped on both engines (a pasted URL or hash is not a
 * word anyone searches, and PostgreSQL limits lexeme size). */
enum { TOKEN_MAX_BYTES = 100 };

/* Also drops words that look like facet tokens ("xq..."): typed into a description they would
 * otherwise pass for a grade, a street or "archived" in filtered searches. */
static char *drop_long_tokens(char *tokens)
{
	char *out = tokens, *p = tokens;
	while (*p) {
		char *end = strchr(p, ' ');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > 0 && n <= TOKEN_MAX_BYTES && !org_is_reserved_token(p, n)) {
			if (out != tokens)
				*out++ = ' ';
			memmove(out, p, n);
			out += n;
		}
		p += n + (end ? 1 : 0);
	}
	*out = 0;
	return tokens;
}

int org_is_reserved_token(const char *token, size_t n)
{
	return n >= 2 && token[0] == 'x' && token[1] == 'q';
}

/*
 * Facet tokens: besides the words, each organization's index entry carries one token per
 * filterable value (archived or live, type, street, community, grade, status, each field).
 * A search with filters is then one index query — count and page — with no per-row check
 * against the org table: at 100,000 organizations a common two-character word matches tens of
 * thousands of rows, and joining each to test a filter costs hundreds of milliseconds. The
 * tokens are lower-case ASCII letters and digits, so both engines keep them whole.
 */
void org_facet_token(struct buf *out, const char *facet, const char *value)
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

static void facet_tokens(struct buf *out, const struct org_input *in, int archived,
			 const char *grade)
{
	org_facet_token(out, archived ? "arch" : "live", "");
	org_facet_token(out, "t", in->type);
	if (in->street_code)
		org_facet_token(out, "s", in->street_code);
	if (in->community_code)
		org_facet_token(out, "c", in->community_code);
	if (grade)
		org_facet_token(out, "g", grade);
	if (in->status)
		org_facet_token(out, "st", in->status);
	for (const char **f = in->fields; f && *f; f++)
		org_facet_token(out, "f", *f);
}

int org_index_text_in_tx(struct ctx *c, int64_t id, const struct org_input *in, int archived,
			 const char *grade)
{
	struct buf text = {0};
	const char *parts[] = {in->name, in->short_name, in->description, in->address,
			       in->credit_code};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i])
			buf_printf(&text, "%s\n", parts[i]);
	for (const char **t = in->tags; t && *t; t++)
		buf_printf(&text, "%s\n", *t);
	char *tokens = NULL;
	int rc = text_index_tokens(text.data ? text.data : "", &tokens);
	buf_free(&text);
	if (rc != 0)
		return error_internal(&c->err, "text_index_tokens failed for org %lld", (long long)id);
	drop_long_tokens(tokens);
	struct buf all = {0};
	buf_puts(&all, tokens);
	free(tokens);
	facet_tokens(&all, in, archived, grade);
	tokens = buf_steal(&all, NULL);
	int64_t n;
	if (db_engine(c->db) == DB_SQLITE) {
		n = db_run(c->db, "DELETE FROM org_fts WHERE rowid = $1", "l", id);
		if (n >= 0)
			n = db_run(c->db, "INSERT INTO org_fts (rowid, tokens) VALUES ($1, $2)", "ls",
				   id, tokens);
	} else {
		n = db_run(c->db,
			   "UPDATE org SET search_tokens = array_to_tsvector(string_to_array($2, ' ')) "
			   "WHERE id = $1",
			   "ls", id, tokens);
	}
	free(tokens);
	return n < 0 ? ctx_db_error(c) : 0;
}

int org_reindex_in_tx(struct ctx *c, int64_t id)
{
	struct org_row row;
	if (org_load(c, id, &row) != 0)
		return -1;
	return org_index_text_in_tx(c, id, &row.in, row.archived, row.current_grade);
}

/* ------------------------------------------------------------------ writing */

static int write_lists(struct ctx *c, int64_t id, const struct org_input *in, int replace)
{
	if (in->fields) {
		if (replace && db_run(c->db, "DELETE FROM org_field WHERE org_id = $1", "l", id) < 0)
			return ctx_db_error(c);
		for (const char **f = in->fields; *f; f++)
			if (db_run(c->db, "INSERT INTO org_field (org_id, field) VALUES ($1, $2)", "ls",
				   id, *f) < 0)
				return ctx_db_error(c);
	}
	if (in->tags) {
		if (replace && db_run(c->db, "DELETE FROM org_tag WHERE org_id = $1", "l", id) < 0)
			return ctx_db_error(c);
		for (const char **t = in->tags; *t; t++)
			if (db_run(c->db, "INSERT INTO org_tag (org_id, tag) VALUES ($1, $2)", "ls", id,
				   *t) < 0)
				return ctx_db_error(c);
	}
	return 0;
}

/* A credit code that fails its check needs ACT_CREDIT_OVERRIDE; refusing is a field error, so
 * the form shows it next to the code. */
static int check_override(struct ctx *c, const struct org_input *in,
			  const struct policy_object *obj)
{
	if (!in->credit_needs_override || policy_allows(c->who, ACT_CREDIT_OVERRIDE, obj))
		return 0;
	error_field(&c->err, "credit_code", "registry.credit_override_forbidden", 0);
	return -1;
}

/* E_DUPLICATE with a field error when another organization has the code. Checked before the
 * INSERT because a failed statement would abort a PostgreSQL transaction (an import runs
 * thousands of creates in one). */
static int check_duplicate(struct ctx *c, const char *credit_code, int64_t self)
{
	if (!credit_code)
		return 0;
	int taken = db_exists(c->db, "SELECT 1 FROM org WHERE credit_code = $1 AND id <> $2", "sl",
			      credit_code, self);
	if (taken < 0)
		return ctx_db_error(c);
	if (!taken)
		return 0;
	return org_duplicate_error(c);
}

int org_duplicate_error(struct ctx *c)
{
	error_field(&c->err, "credit_code", "registry.credit_duplicate", 0);
	return error_set(&c->err, E_DUPLICATE, "registry.credit_duplicate");
}

static char *sort_key_or_error(struct ctx *c, const char *name)
{
	char *key = text_sort_key(name);
	if (!key)
		error_internal(&c->err, "no sort key for a name");
	return key;
}

static int insert_org(struct ctx *c, struct org_input *in, int64_t *id)
{
	char *key = sort_key_or_error(c, in->name);
	if (!key)
		return -1;
	/* SQLite: no RETURNING. A RETURNING statement opens a statement savepoint, and FTS5
	 * flushes its pending index data at every savepoint: measured 35% of an import. */
	int lite = db_engine(c->db) == DB_SQLITE;
	struct db_stmt *st = db_prepare(
		c->db, lite ? "INSERT INTO org (" ORG_COLS ", name_sort, created_at, updated_at, "
			      "version, archived) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
			      "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23, "
			      "1, 0)"
			    : "INSERT INTO org (" ORG_COLS ", name_sort, created_at, updated_at, "
			      "version, archived) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
			      "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23, "
			      "1, 0) RETURNING id");
	bind_columns(st, 1, in);
	db_bind_text(st, 22, key);
	db_bind_int(st, 23, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	else if (rc == DB_DONE && lite)
		*id = db_last_insert_id(c->db);
	db_done(st);
	free(key);
	if (rc == DB_ERROR)
		return db_error_class(c->db) == DBE_UNIQUE ? org_duplicate_error(c) : ctx_db_error(c);
	return 0;
}

int org_create_in_tx(struct ctx *c, const struct org_input *input, int64_t *id)
{
	struct org_input in = *input;
	struct policy_object obj = {0, in.street_code};
	if (policy_check(c, ACT_ORG_CREATE, &obj) != 0 || check_override(c, &in, &obj) != 0 ||
	    check_duplicate(c, in.credit_code, 0) != 0)
		return -1;
	if (!in.credit_needs_override)
		in.credit_override_reason = NULL;
	if (!in.status)
		in.status = "active";
	if (insert_org(c, &in, id) != 0 || write_lists(c, *id, &in, 0) != 0 ||
	    org_index_text_in_tx(c, *id, &in, 0, NULL) != 0)
		return -1;
	json_t *after = org_input_json(c, &in, ORG_JSON_FULL);
	int rc = audit_append(c, "org.create", "org", *id, NULL, after);
	json_decref(after);
	return rc == 0 ? org_stats_created_in_tx(c, &in) : rc;
}

/* Runs fn inside its own write transaction: commit on 0, roll back on -1. */
struct create_args {
	const struct org_input *in;
	int64_t *id;
};
static int create_step(struct ctx *c, void *arg)
{
	struct create_args *a = arg;
	return org_create_in_tx(c, a->in, a->id);
}

int org_create(struct ctx *c, const struct org_input *in, int64_t *id)
{
	struct create_args a = {in, id};
	return ctx_tx(c, create_step, &a);
}

/* Overlays the sent fields of `in` on the stored `cur`. The override reason follows the
 * credit code: it is kept, replaced or cleared only when a credit code is sent. */
static void merge_input(struct org_input *cur, const struct org_input *in)
{
	for (int i = 0; i < ORG_NCOLUMNS; i++) {
		const char *name = org_columns[i].name;
		if (strcmp(name, "credit_override_reason") == 0 || !json_object_get(in->given, name))
			continue;
		memcpy((char *)cur + org_columns[i].offset, (const char *)in + org_columns[i].offset,
		       org_columns[i].kind == COL_TEXT	   ? sizeof(const char *)
		       : org_columns[i].kind == COL_NUMBER ? sizeof(int64_t)
							   : sizeof(int));
	}
	if (json_object_get(in->given, "credit_code")) {
		cur->credit_override_reason = in->credit_needs_override ? in->credit_override_reason
									: NULL;
		cur->credit_needs_override = in->credit_needs_override;
	}
	static const char *none[] = {NULL}; /* sent as null: clear the list */
	if (json_object_get(in->given, "fields"))
		cur->fields = in->fields ? in->fields : none;
	if (json_object_get(in->given, "tags"))
		cur->tags = in->tags ? in->tags : none;
}

/* Checks an update against the stored row: policy for the old and (if moved) new street,
 * archived state, the street/community pair, the credit override and duplicates. */
static int differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* The registration facts are the department's to change: an organization administrator who
 * edits their own profile may not lift a suspension, swap the credit code or move the
 * organization out of a street (and so out of that street's staff's sight). Each such field
 * that would change is a field error. */
static int check_department_fields(struct ctx *c, const struct org_row *row,
				   const struct org_input *m, const struct policy_object *obj)
{
	if (policy_allows(c->who, ACT_ORG_ARCHIVE, obj))
		return 0; /* staff in jurisdiction and administrators */
	const struct {
		const char *field, *old, *new;
	} facts[] = {
		{"status", row->in.status, m->status},
		{"credit_code", row->in.credit_code, m->credit_code},
		{"registration_authority", row->in.registration_authority, m->registration_authority},
		{"street_code", row->in.street_code, m->street_code},
		{"community_code", row->in.community_code, m->community_code},
		{"type", row->in.type, m->type},
	};
	for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
		if (differs(facts[i].old, facts[i].new))
			error_field(&c->err, facts[i].field, "registry.department_field", 0);
	return error_check(&c->err);
}

static int check_update(struct ctx *c, const struct org_row *row, const struct org_input *in,
			const struct org_input *merged)
{
	struct policy_object old_obj = {row->id, row->in.street_code};
	struct policy_object new_obj = {row->id, merged->street_code};
	if (policy_check(c, ACT_ORG_UPDATE, &old_obj) != 0 ||
	    policy_check(c, ACT_ORG_UPDATE, &new_obj) != 0)
		return -1;
	if (row->in.version != in->version)
		return error_set(&c->err, E_STALE, NULL);
	if (row->archived)
		return error_set(&c->err, E_CONFLICT, "registry.org_archived");
	if (check_department_fields(c, row, merged, &old_obj) != 0)
		return -1;
	int street_sent = json_object_get(in->given, "street_code") != NULL;
	int community_sent = json_object_get(in->given, "community_code") != NULL;
	if (merged->community_code && street_sent != community_sent &&
	    check_division(c, "community_code", merged->community_code, 1, merged->street_code) != 0)
		return -1;
	if (check_override(c, merged, &new_obj) != 0)
		return -1;
	if (json_object_get(in->given, "credit_code"))
		return check_duplicate(c, merged->credit_code, row->id);
	return 0;
}

static int update_row(struct ctx *c, int64_t id, int64_t version, struct org_input *m)
{
	char *key = sort_key_or_error(c, m->name);
	if (!key)
		return -1;
	struct db_stmt *st = db_prepare(
		c->db, "UPDATE org SET name = $1, short_name = $2, credit_code = $3, type = $4, "
		       "street_code = $5, community_code = $6, address = $7, "
		       "legal_representative = $8, contact_person = $9, contact_phone = $10, "
		       "contact_email = $11, founded_on = $12, registration_authority = $13, "
		       "supervising_unit = $14, description = $15, status = $16, "
		       "credit_override_reason = $17, staff_count = $18, volunteer_count = $19, "
		       "annual_budget = $20, has_party_org = $21, name_sort = $22, updated_at = $23, "
		       "version = version + 1 WHERE id = $24 AND version = $25");
	bind_columns(st, 1, m);
	db_bind_text(st, 22, key);
	db_bind_int(st, 23, c->now);
	db_bind_int(st, 24, id);
	db_bind_int(st, 25, version);
	int rc = db_step(st);
	int64_t changed = db_changes(st);
	db_done(st);
	free(key);
	if (rc == DB_ERROR)
		return db_error_class(c->db) == DBE_UNIQUE ? org_duplicate_error(c) : ctx_db_error(c);
	return changed == 1 ? 0 : error_set(&c->err, E_STALE, NULL);
}

struct update_args {
	int64_t id;
	const struct org_input *in;
};

static int update_step(struct ctx *c, void *arg)
{
	struct update_args *a = arg;
	struct org_row row;
	if (org_load(c, a->id, &row) != 0)
		return -1;
	json_t *before = org_audit_json(c, &row);
	struct org_row merged = row;
	merge_input(&merged.in, a->in);
	int rc = check_update(c, &row, a->in, &merged.in);
	if (rc == 0)
		rc = update_row(c, a->id, row.in.version, &merged.in);
	if (rc == 0)
		rc = write_lists(c, a->id, &merged.in, 1);
	if (rc == 0)
		rc = org_index_text_in_tx(c, a->id, &merged.in, merged.archived,
					  merged.current_grade);
	if (rc == 0) {
		json_t *after = org_audit_json(c, &merged), *b = NULL, *af = NULL;
		audit_diff(before, after, &b, &af);
		rc = audit_append(c, "org.update", "org", a->id, b, af);
		if (rc == 0)
			rc = org_stats_rows_in_tx(c, &row, &merged);
		if (rc == 0) /* a new type or street moves the liaison rule and due date */
			rc = liaison_org_changed_in_tx(c, a->id);
		json_decref(after);
		json_decref(b);
		json_decref(af);
	}
	json_decref(before);
	return rc;
}

int org_update(struct ctx *c, int64_t id, const struct org_input *in)
{
	struct update_args a = {id, in};
	return ctx_tx(c, update_step, &a);
}

struct archive_args {
	int64_t id, version;
	int archived;
};

static int archive_step(struct ctx *c, void *arg)
{
	struct archive_args *a = arg;
	struct org_row row;
	if (org_load(c, a->id, &row) != 0)
		return -1;
	struct policy_object obj = {a->id, row.in.street_code};
	if (policy_check(c, ACT_ORG_ARCHIVE, &obj) != 0)
		return -1;
	if (row.in.version != a->version)
		return error_set(&c->err, E_STALE, NULL);
	if (row.archived == a->archived)
		return error_set(&c->err, E_CONFLICT, a->archived ? "registry.org_archived"
								  : "registry.org_not_archived");
	const char *status = a->archived ? "deregistered" : "active";
	int64_t n = db_run(c->db,
			   "UPDATE org SET archived = $1, status = $2, updated_at = $3, "
			   "version = version + 1 WHERE id = $4 AND version = $5",
			   "islll", a->archived, status, c->now, a->id, a->version);
	if (n < 0)
		return ctx_db_error(c);
	if (n != 1)
		return error_set(&c->err, E_STALE, NULL);
	if (org_reindex_in_tx(c, a->id) != 0)
		return -1;
	json_t *before = json_pack("{s:b, s:s}", "archived", row.archived, "status", row.in.status);
	json_t *after = json_pack("{s:b, s:s}", "archived", a->archived, "status", status);
	int rc = audit_append(c, a->archived ? "org.archive" : "org.restore", "org", a->id, before,
			      after);
	if (rc == 0)
		rc = org_stats_archived_in_tx(c, &row, a->archived, status);
	json_decref(before);
	json_decref(after);
	return rc;
}

int org_archive(struct ctx *c, int64_t id, int64_t version, int archived)
{
	struct archive_args a = {id, version, archived != 0};
	return ctx_tx(c, archive_step, &a);
}
