/*
 * Dockings (供需对接): a need meets a resource for a quantity.
 *
 *   proposed --(each side accepts)--> accepted --start--> in_progress --fulfil--> fulfilled
 *       \_____________ fail (reason) _____________\_____________ fail ______--> failed
 *
 * Every transition is ONE conditional UPDATE on (id, version, expected status): of two
 * concurrent acts on the same version one changes the row and the other finds nothing to
 * change and gets 409 stale_version. Fulfilment lowers both items' remaining quantity in the
 * same transaction (conditional on enough remaining), moves them to partly_matched or
 * fulfilled, and counts the docking in org_trust (an expert's in talent_record); ratings go to
 * the organization rated (the need side's rating of an expert to the expert's record).
 * Both organizations are notified at every step; every step is audited.
 */
#include <string.h>
#include "core/json_rows.h"
#include "audit/audit.h"
#include "core/policy.h"
#include "core/validate.h"
#include "notify/notify.h"
#include "resources/docking_sides.h"
#include "resources/resources.h"

static struct policy_object side_obj(const struct side_item *s)
{
	/* an expert's affiliation does not make its administrators act for the expert */
	return (struct policy_object){s->expert ? 0 : s->org_id, s->street};
}

static int is_open(const char *status)
{
	return strcmp(status, "open") == 0 || strcmp(status, "partly_matched") == 0;
}

/* Tells both organizations (notify skips the actor). */
static int tell(struct ctx *c, int64_t id, const char *kind, const struct side_item *need,
		const struct side_item *res)
{
	json_t *params = json_pack("{s:s, s:s, s:s, s:s}", "need", need->title, "resource",
				   res->title, "need_org", need->org_name, "resource_org",
				   res->org_name);
	struct notice n = {kind, params, arena_printf(c->arena, "/dockings/%lld", (long long)id),
			   "docking", id};
	/* an expert hears on their own account; an expert without one has no one to tell */
	int offer = !res->expert ? notify_org(c, res->org_id, &n)
		    : res->user_id ? notify_user(c, res->user_id, &n)
				   : 0;
	int rc = notify_org(c, need->org_id, &n) < 0 || offer < 0 ? -1 : 0;
	json_decref(params);
	return rc;
}

/* ------------------------------------------------------------------ reading */

#define D_COLS                                                                                \
	"SELECT d.id, d.need_id, d.resource_id, d.need_org_id, d.resource_org_id, d.quantity, "  \
	"d.unit, d.status, d.note, d.need_accepted_at, d.resource_accepted_at, d.started_at, "    \
	"d.closed_at, d.fulfilled_quantity, d.fail_reason, d.need_rating, d.need_feedback, "      \
	"d.resource_rating, d.resource_feedback, d.created_at, d.updated_at, d.version, "         \
	"n.title AS need_title, r.title AS resource_title, no.name AS need_org_name, "            \
	"ro.name AS resource_org_name, n.street_code AS need_street, "                             \
	"COALESCE(r.street_code, t.street_code, n.street_code) AS resource_street, "              \
	"n.category AS category, d.talent_id, t.name AS talent_name, "                           \
	"t.affiliation AS talent_affiliation, t.title AS talent_title, "                         \
	"t.user_id AS talent_user_id FROM docking d "                                            \
	"JOIN res_item n ON n.id = d.need_id LEFT JOIN res_item r ON r.id = d.resource_id "       \
	"JOIN org no ON no.id = d.need_org_id LEFT JOIN org ro ON ro.id = d.resource_org_id "     \
	"LEFT JOIN talent t ON t.id = d.talent_id "
#define D_SPEC "llllllsssllllls" "lslslll" "sssssss" "lsssl"

static json_t *docking_load(struct ctx *c, int64_t id)
{
	struct db_stmt *st = db_query(c->db, D_COLS "WHERE d.id = $1", "l", id);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? json_row(st, D_SPEC) : NULL;
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c), NULL;
	if (!o)
		error_set(&c->err, E_NOT_FOUND, "resources.docking_not_found");
	return o;
}

static struct policy_object dobj(json_t *o, int need)
{
	return (struct policy_object){
		json_integer_value(json_object_get(o, need ? "need_org_id" : "resource_org_id")),
		json_string_value(json_object_get(o, need ? "need_street" : "resource_street"))};
}

/* 1 when c->who is the docking's expert (the talent entry linked to their account). */
static int is_the_expert(struct ctx *c, json_t *o)
{
	json_t *u = json_object_get(o, "talent_user_id");
	return json_is_integer(u) && json_integer_value(u) == c->who->user_id &&
	       policy_allows(c->who, ACT_TALENT_EDIT_SELF, NULL);
}

static int may_read(struct ctx *c, json_t *o)
{
	struct policy_object a = dobj(o, 1), b = dobj(o, 0);
	return policy_allows(c->who, ACT_DOCKING_READ, &a) ||
	       policy_allows(c->who, ACT_DOCKING_READ, &b) || is_the_expert(c, o);
}

/* May c->who act for the offering side (its organization's admin or staff; for an expert
 * docking the expert or staff)? */
static int may_offer(struct ctx *c, json_t *o)
{
	struct policy_object r = dobj(o, 0);
	return policy_allows(c->who, ACT_DOCKING_WRITE, &r) || is_the_expert(c, o);
}

/* The sides c->who may act for: ["need", "resource"] or a part of it. */
static json_t *my_sides(struct ctx *c, json_t *o)
{
	json_t *a = json_array();
	struct policy_object n = dobj(o, 1);
	if (policy_allows(c->who, ACT_DOCKING_WRITE, &n))
		json_array_append_new(a, json_string("need"));
	if (may_offer(c, o))
		json_array_append_new(a, json_string("resource"));
	return a;
}

json_t *docking_get_json(struct ctx *c, int64_t id)
{
	if (c->who->user_id == PRINCIPAL_ANONYMOUS) {
		error_set(&c->err, E_UNAUTHENTICATED, NULL);
		return NULL;
	}
	json_t *o = docking_load(c, id);
	if (o && !may_read(c, o)) {
		json_decref(o);
		error_set(&c->err, E_NOT_FOUND, "resources.docking_not_found");
		return NULL;
	}
	if (o)
		json_object_set_new(o, "my_sides", my_sides(c, o));
	return o;
}

#define D_WHERE                                                                               \
	"WHERE (CAST($1 AS BIGINT) = 0 OR d.need_org_id = $1 OR d.resource_org_id = $1) "        \
	"AND (CAST($2 AS BIGINT) = 0 OR d.need_id = $2 OR d.resource_id = $2) "                  \
	"AND (CAST($3 AS TEXT) IS NULL OR d.status = $3) "                                       \
	"AND (CAST($4 AS BIGINT) = 1 OR CAST($5 AS TEXT) LIKE "                                  \
	"'%,' || CAST(d.need_org_id AS TEXT) || ',%' OR CAST($5 AS TEXT) LIKE "                  \
	"'%,' || CAST(d.resource_org_id AS TEXT) || ',%' OR d.talent_id IN "                     \
	"(SELECT x.id FROM talent x WHERE x.user_id = $6)) "                                     \
	"AND (CAST($7 AS BIGINT) = 0 OR d.talent_id = $7) "

json_t *docking_list_json(struct ctx *c, const struct docking_query *q)
{
	if (c->who->user_id == PRINCIPAL_ANONYMOUS) {
		error_set(&c->err, E_UNAUTHENTICATED, NULL);
		return NULL;
	}
	int all = policy_allows(c->who, ACT_DOCKING_READ, NULL);
	const char *own = res_own_orgs(c);
	json_t *items = json_array();
	int64_t total = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(
			c->db, pass ? D_COLS D_WHERE "ORDER BY d.id DESC LIMIT $8 OFFSET $9"
				    : "SELECT count(*) FROM docking d " D_WHERE);
		db_bind_int(st, 1, q->org_id);
		db_bind_int(st, 2, q->item_id);
		db_bind_text(st, 3, q->status);
		db_bind_int(st, 4, all);
		db_bind_text(st, 5, own);
		/* an expert sees the dockings of the talent entry linked to their account */
		db_bind_int(st, 6, policy_allows(c->who, ACT_TALENT_EDIT_SELF, NULL) ? c->who->user_id
										     : -1);
		db_bind_int(st, 7, q->talent_id);
		if (pass) {
			db_bind_int(st, 8, q->per_page);
			db_bind_int(st, 9, (q->page - 1) * q->per_page);
		}
		int rc;
		while ((rc = db_step(st)) == DB_ROW)
			if (pass)
				json_array_append_new(items, json_row(st, D_SPEC));
			else
				total = db_col_int(st, 0);
		db_done(st);
		if (rc == DB_ERROR) {
			json_decref(items);
			return ctx_db_error(c), NULL;
		}
	}
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
			 (json_int_t)q->page, "per_page", (json_int_t)q->per_page);
}

json_t *org_trust_json(struct ctx *c, int64_t org_id)
{
	if (c->who->user_id == PRINCIPAL_ANONYMOUS) {
		error_set(&c->err, E_UNAUTHENTICATED, NULL);
		return NULL;
	}
	if (db_exists(c->db, "SELECT 1 FROM org WHERE id = $1", "l", org_id) != 1) {
		error_set(&c->err, E_NOT_FOUND, "registry.org_not_found");
		return NULL;
	}
	struct db_stmt *st = db_query(c->db,
				      "SELECT fulfilled, failed, rating_sum, rating_count FROM "
				      "org_trust WHERE org_id = $1",
				      "l", org_id);
	int64_t v[4] = {0, 0, 0, 0};
	if (db_step(st) == DB_ROW)
		for (int i = 0; i < 4; i++)
			v[i] = db_col_int(st, i);
	db_done(st);
	json_t *o = json_pack("{s:I, s:I, s:I, s:I}", "org_id", (json_int_t)org_id, "fulfilled",
			      (json_int_t)v[0], "failed", (json_int_t)v[1], "rating_count",
			      (json_int_t)v[3]);
	json_object_set_new(o, "rating_mean",
			    v[3] ? json_real((double)v[2] / (double)v[3]) : json_null());
	return o;
}

/* ------------------------------------------------------------------ proposing */

static const char *const create_fields[] = {"need_id", "resource_id", "talent_id", "quantity",
					    "note", NULL};

static int propose_in_tx(struct ctx *c, struct side_item *need, struct side_item *res,
			 int64_t quantity, const char *note, int64_t *id)
{
	/* an organization administrator proposing for their side has accepted it already */
	int need_ok = principal_administers(c->who, need->org_id);
	int res_ok = !res->expert && principal_administers(c->who, res->org_id);
	int64_t uid = c->who->user_id > 0 ? c->who->user_id : 0;
	struct db_stmt *st = db_prepare(
		c->db,
		"INSERT INTO docking (need_id, resource_id, need_org_id, resource_org_id, quantity, "
		"unit, status, note, need_accepted_at, need_accepted_by, resource_accepted_at, "
		"resource_accepted_by, proposed_by, created_at, updated_at, version, talent_id) "
		"VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, $8, $9, $10, $11, $12, $13, $13, 1, "
		"$14) RETURNING id");
	db_bind_int(st, 1, need->id);
	db_bind_int(st, 3, need->org_id);
	if (res->expert) {
		db_bind_null(st, 2);
		db_bind_null(st, 4);
		db_bind_int(st, 14, res->id);
	} else {
		db_bind_int(st, 2, res->id);
		db_bind_int(st, 4, res->org_id);
		db_bind_null(st, 14);
	}
	db_bind_int(st, 5, quantity);
	db_bind_text(st, 6, need->unit);
	db_bind_text(st, 7, note);
	for (int side = 0; side < 2; side++) {
		int ok = side ? res_ok : need_ok;
		if (ok) {
			db_bind_int(st, 8 + 2 * side, c->now);
			db_bind_int(st, 9 + 2 * side, uid);
		} else {
			db_bind_null(st, 8 + 2 * side);
			db_bind_null(st, 9 + 2 * side);
		}
	}
	db_bind_int(st, 12, uid);
	db_bind_int(st, 13, c->now);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return db_error_class(c->db) == DBE_UNIQUE
			       ? error_set(&c->err, E_DUPLICATE, "resources.docking_exists")
			       : ctx_db_error(c);
	json_t *after = docking_load(c, *id);
	if (!after)
		return -1;
	rc = audit_append(c, "docking.propose", "docking", *id, NULL, after);
	json_decref(after);
	return rc == 0 ? tell(c, *id, "docking.proposed", need, res) : -1;
}

/* A proposal's arguments and result, for its transaction's step. */
struct proposal {
	struct side_item *need, *res;
	int64_t quantity;
	const char *note;
	int64_t id;
};

static int propose_step(struct ctx *c, void *arg)
{
	struct proposal *a = arg;
	return propose_in_tx(c, a->need, a->res, a->quantity, a->note, &a->id);
}

int docking_create(struct ctx *c, json_t *body, int64_t *id)
{
	int64_t need_id = 0, res_id = 0, talent_id = 0, quantity = 0;
	int has_res = 0, has_talent = 0;
	const char *note = NULL;
	v_no_unknown_fields(c, body, create_fields);
	v_int(c, body, "need_id", V_REQUIRED, 1, INT64_MAX, &need_id, NULL);
	v_int(c, body, "resource_id", V_OPTIONAL, 1, INT64_MAX, &res_id, &has_res);
	v_int(c, body, "talent_id", V_OPTIONAL, 1, INT64_MAX, &talent_id, &has_talent);
	if (!has_res && !has_talent && !json_object_get(body, "resource_id") &&
	    !json_object_get(body, "talent_id"))
		error_field(&c->err, "resource_id", "field.required", 0);
	else if (has_res && has_talent)
		error_field(&c->err, "talent_id", "resources.resource_or_expert", 0);
	v_int(c, body, "quantity", V_REQUIRED, 1, 10000000000LL, &quantity, NULL);
	v_string(c, body, "note", V_OPTIONAL, 500, &note);
	if (error_check(&c->err) != 0)
		return -1;
	struct side_item need = {0}, res = {0};
	if (docking_pair_load(c, need_id, res_id, talent_id, &need, &res) != 0)
		return -1;
	struct policy_object n = side_obj(&need), r = side_obj(&res);
	if (!policy_allows(c->who, ACT_DOCKING_WRITE, &n) &&
	    policy_check(c, ACT_DOCKING_WRITE, &r) != 0)
		return -1;
	docking_check_pair(c, &need, &res, quantity);
	if (error_check(&c->err) != 0)
		return -1;
	if (!is_open(need.status) || !is_open(res.status))
		return error_set(&c->err, E_CONFLICT, "resources.item_not_open");
	struct proposal a = {.need = &need, .res = &res, .quantity = quantity, .note = note};
	int rc = ctx_tx(c, propose_step, &a);
	*id = a.id;
	return rc;
}

/* ------------------------------------------------------------------ steps */

struct step_input {
	int64_t version, quantity;
	int64_t rating;
	int has_quantity, has_rating;
	const char *side, *reason, *feedback;
};

static const char *const step_fields[] = {"version", "side", "quantity", "rating", "feedback",
					  "reason", NULL};
static const char *const sides[] = {"need", "resource", NULL};

static int step_from_json(struct ctx *c, const char *step, json_t *body, struct step_input *in)
{
	memset(in, 0, sizeof *in);
	v_no_unknown_fields(c, body, step_fields);
	v_int(c, body, "version", V_REQUIRED, 1, INT64_MAX, &in->version, NULL);
	v_choice(c, body, "side", V_OPTIONAL, sides, &in->side);
	v_int(c, body, "quantity", V_OPTIONAL, 1, 10000000000LL, &in->quantity, &in->has_quantity);
	v_int(c, body, "rating", strcmp(step, "feedback") == 0 ? V_REQUIRED : V_OPTIONAL, 1, 5,
	      &in->rating, &in->has_rating);
	v_string(c, body, "feedback", V_OPTIONAL, 1000, &in->feedback);
	v_string(c, body, "reason", strcmp(step, "fail") == 0 ? V_REQUIRED : V_OPTIONAL, 500,
		 &in->reason);
	return error_check(&c->err);
}

/* The side c->who acts for: the one named, else the one they administer; NULL for staff
 * acting for the department. -1 when refused. */
static int acting_side(struct ctx *c, json_t *o, struct step_input *in, int side_needed)
{
	struct policy_object n = dobj(o, 1), r = dobj(o, 0);
	int may_n = policy_allows(c->who, ACT_DOCKING_WRITE, &n);
	int may_r = may_offer(c, o);
	if (!may_n && !may_r)
		return policy_check(c, ACT_DOCKING_WRITE, &n);
	if (in->side) {
		if (strcmp(in->side, "need") == 0 ? !may_n : !may_r)
			return error_set(&c->err, E_FORBIDDEN, NULL);
		return 0;
	}
	int adm_n = principal_administers(c->who, n.org_id);
	int adm_r = (r.org_id && principal_administers(c->who, r.org_id)) || is_the_expert(c, o);
	if (adm_n != adm_r)
		in->side = adm_n ? "need" : "resource";
	else if (may_n != may_r)
		in->side = may_n ? "need" : "resource";
	if (!in->side && (side_needed || in->has_rating)) {
		error_field(&c->err, "side", "field.required", 0);
		return error_check(&c->err);
	}
	return 0;
}

static int run_update(struct ctx *c, struct db_stmt *st)
{
	int rc = db_step(st);
	int64_t changed = db_changes(st);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return changed == 1 ? 0 : error_set(&c->err, E_STALE, NULL);
}

/* Lowers one item's remaining quantity; 409 when less remains than was delivered. */
static int consume(struct ctx *c, int64_t item_id, int64_t q)
{
	struct db_stmt *st = db_prepare(
		c->db, "UPDATE res_item SET remaining = remaining - $2, status = CASE WHEN "
		       "remaining - $2 <= 0 THEN 'fulfilled' ELSE 'partly_matched' END, "
		       "updated_at = $3, version = version + 1 WHERE id = $1 AND remaining >= $2");
	db_bind_int(st, 1, item_id);
	db_bind_int(st, 2, q);
	db_bind_int(st, 3, c->now);
	int rc = db_step(st);
	int64_t changed = db_changes(st);
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (changed != 1)
		return error_set(&c->err, E_CONFLICT, "resources.quantity_exceeds_remaining");
	return res_item_index_in_tx(c, item_id);
}

/* Adds to one row of a counters table (org_trust, talent_record): created at zero if needed. */
static int counters_add(struct ctx *c, const char *insert_sql, const char *update_sql, int64_t id,
			int fulfilled, int failed, int64_t rating)
{
	if (id == 0)
		return 0;
	if (db_run(c->db, insert_sql, "l", id) < 0 ||
	    db_run(c->db, update_sql, "liili", id, fulfilled, failed, rating, (int)(rating > 0)) < 0)
		return ctx_db_error(c);
	return 0;
}

/* Adds to an organization's trust counters (org 0, an expert's side: nothing). */
static int trust_add(struct ctx *c, int64_t org_id, int fulfilled, int failed, int64_t rating)
{
	static const char ins[] = "INSERT INTO org_trust (org_id, fulfilled, failed, rating_sum, "
				  "rating_count) VALUES ($1, 0, 0, 0, 0) ON CONFLICT (org_id) DO NOTHING";
	static const char upd[] =
		"UPDATE org_trust SET fulfilled = fulfilled + $2, failed = failed + $3, rating_sum = "
		"rating_sum + $4, rating_count = rating_count + $5 WHERE org_id = $1";
	return counters_add(c, ins, upd, org_id, fulfilled, failed, rating);
}

/* Adds to an expert's service record (talent 0, a resource docking: nothing). */
static int record_add(struct ctx *c, int64_t talent_id, int fulfilled, int failed, int64_t rating)
{
	static const char ins[] = "INSERT INTO talent_record (talent_id, fulfilled, failed, "
				  "rating_sum, rating_count) VALUES ($1, 0, 0, 0, 0) ON CONFLICT "
				  "(talent_id) DO NOTHING";
	static const char upd[] =
		"UPDATE talent_record SET fulfilled = fulfilled + $2, failed = failed + $3, "
		"rating_sum = rating_sum + $4, rating_count = rating_count + $5 WHERE talent_id = $1";
	return counters_add(c, ins, upd, talent_id, fulfilled, failed, rating);
}

/* Records the acting side's rating and feedback (once per side); the other side's
 * organization receives the rating in its trust counters, an expert in their record. */
static int rate(struct ctx *c, json_t *o, const struct step_input *in, int64_t version)
{
	if (!in->has_rating && !in->feedback)
		return 0;
	int need = strcmp(in->side, "need") == 0;
	if (!json_is_null(json_object_get(o, need ? "need_rating" : "resource_rating")) ||
	    !json_is_null(json_object_get(o, need ? "need_feedback" : "resource_feedback")))
		return error_set(&c->err, E_CONFLICT, "resources.already_rated");
	struct db_stmt *st = db_prepare(
		c->db, need ? "UPDATE docking SET need_rating = $2, need_feedback = $3, version = "
			      "version + 1, updated_at = $4 WHERE id = $1 AND version = $5"
			    : "UPDATE docking SET resource_rating = $2, resource_feedback = $3, "
			      "version = version + 1, updated_at = $4 WHERE id = $1 AND version = $5");
	db_bind_int(st, 1, json_integer_value(json_object_get(o, "id")));
	if (in->has_rating)
		db_bind_int(st, 2, in->rating);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, in->feedback);
	db_bind_int(st, 4, c->now);
	db_bind_int(st, 5, version);
	if (run_update(c, st) != 0)
		return -1;
	int64_t rated = json_integer_value(json_object_get(o, need ? "resource_org_id"
								 : "need_org_id"));
	int64_t expert = need ? json_integer_value(json_object_get(o, "talent_id")) : 0;
	return in->has_rating ? trust_add(c, rated, 0, 0, in->rating) ||
					record_add(c, expert, 0, 0, in->rating)
			      : 0;
}

/* Accepting re-checks both sides' conditions: a grade may have lapsed, or an item's
 * conditions changed, since the proposal. 0 when met. */
static int recheck_conditions(struct ctx *c, json_t *o)
{
	struct side_item need = {0}, res = {0};
	if (json_integer_value(json_object_get(o, "talent_id")))
		return 0; /* organization conditions: an expert is a person */
	if (docking_side_load(c, json_integer_value(json_object_get(o, "need_id")), &need) != 0 ||
	    docking_side_load(c, json_integer_value(json_object_get(o, "resource_id")), &res) != 0)
		return -1;
	return docking_check_both(c, &need, &res);
}

static int step_accept(struct ctx *c, json_t *o, struct step_input *in)
{
	if (strcmp(json_string_value(json_object_get(o, "status")), "proposed") != 0)
		return error_set(&c->err, E_CONFLICT, "resources.bad_transition");
	int need = strcmp(in->side, "need") == 0;
	if (!json_is_null(json_object_get(o, need ? "need_accepted_at" : "resource_accepted_at")))
		return error_set(&c->err, E_CONFLICT, "resources.already_accepted");
	struct db_stmt *st = db_prepare(
		c->db,
		need ? "UPDATE docking SET need_accepted_at = $2, need_accepted_by = $3, status = "
		       "CASE WHEN resource_accepted_at IS NULL THEN 'proposed' ELSE 'accepted' END, "
		       "updated_at = $2, version = version + 1 WHERE id = $1 AND version = $4 AND "
		       "status = 'proposed'"
		     : "UPDATE docking SET resource_accepted_at = $2, resource_accepted_by = $3, "
		       "status = CASE WHEN need_accepted_at IS NULL THEN 'proposed' ELSE 'accepted' "
		       "END, updated_at = $2, version = version + 1 WHERE id = $1 AND version = $4 "
		       "AND status = 'proposed'");
	db_bind_int(st, 1, json_integer_value(json_object_get(o, "id")));
	db_bind_int(st, 2, c->now);
	db_bind_int(st, 3, c->who->user_id > 0 ? c->who->user_id : 0);
	db_bind_int(st, 4, in->version);
	return run_update(c, st);
}

/* start / fulfil / fail: a status change from the allowed states. */
static int step_move(struct ctx *c, json_t *o, const char *step, struct step_input *in)
{
	const char *status = json_string_value(json_object_get(o, "status"));
	int64_t id = json_integer_value(json_object_get(o, "id"));
	int64_t q = json_integer_value(json_object_get(o, "quantity"));
	int ok = strcmp(step, "start") == 0     ? strcmp(status, "accepted") == 0
		 : strcmp(step, "fulfil") == 0 ? strcmp(status, "in_progress") == 0 ||
							  strcmp(status, "accepted") == 0
					       : strcmp(status, "fulfilled") != 0 &&
							 strcmp(status, "failed") != 0;
	if (!ok)
		return error_set(&c->err, E_CONFLICT, "resources.bad_transition");
	if (in->has_quantity && in->quantity > q) {
		error_field(&c->err, "quantity", "field.max", q);
		return error_check(&c->err);
	}
	int64_t delivered = in->has_quantity ? in->quantity : q;
	struct db_stmt *st;
	if (strcmp(step, "start") == 0) {
		st = db_prepare(c->db, "UPDATE docking SET status = 'in_progress', started_at = $2, "
				       "updated_at = $2, version = version + 1 WHERE id = $1 AND "
				       "version = $3 AND status = 'accepted'");
	} else if (strcmp(step, "fulfil") == 0) {
		st = db_prepare(c->db, "UPDATE docking SET status = 'fulfilled', closed_at = $2, "
				       "fulfilled_quantity = $4, updated_at = $2, version = version + "
				       "1 WHERE id = $1 AND version = $3 AND status IN ('accepted', "
				       "'in_progress')");
		db_bind_int(st, 4, delivered);
	} else {
		st = db_prepare(c->db, "UPDATE docking SET status = 'failed', closed_at = $2, "
				       "fail_reason = $4, updated_at = $2, version = version + 1 "
				       "WHERE id = $1 AND version = $3 AND status IN ('proposed', "
				       "'accepted', 'in_progress')");
		db_bind_text(st, 4, in->reason);
	}
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, c->now);
	db_bind_int(st, 3, in->version);
	if (run_update(c, st) != 0)
		return -1;
	int64_t n_org = json_integer_value(json_object_get(o, "need_org_id"));
	int64_t r_org = json_integer_value(json_object_get(o, "resource_org_id"));
	int64_t expert = json_integer_value(json_object_get(o, "talent_id"));
	if (strcmp(step, "fulfil") == 0)
		return consume(c, json_integer_value(json_object_get(o, "need_id")), delivered) ||
		       (json_integer_value(json_object_get(o, "resource_id")) &&
			consume(c, json_integer_value(json_object_get(o, "resource_id")), delivered)) ||
		       trust_add(c, n_org, 1, 0, 0) || trust_add(c, r_org, 1, 0, 0) ||
		       record_add(c, expert, 1, 0, 0);
	/* declining a proposal is not a failure of cooperation; abandoning accepted work is */
	if (strcmp(step, "fail") == 0 && strcmp(status, "proposed") != 0)
		return trust_add(c, n_org, 0, 1, 0) || trust_add(c, r_org, 0, 1, 0) ||
		       record_add(c, expert, 0, 1, 0);
	return 0;
}

static int step_in_tx(struct ctx *c, int64_t id, const char *step, struct step_input *in)
{
	json_t *o = docking_load(c, id);
	if (!o)
		return -1;
	int rc = -1;
	json_t *after = NULL;
	if (!may_read(c, o)) {
		error_set(&c->err, E_NOT_FOUND, "resources.docking_not_found");
		goto out;
	}
	int needs_side = strcmp(step, "accept") == 0 || strcmp(step, "feedback") == 0;
	if (acting_side(c, o, in, needs_side) != 0)
		goto out;
	if (in->version != json_integer_value(json_object_get(o, "version"))) {
		error_set(&c->err, E_STALE, NULL);
		goto out;
	}
	if (strcmp(step, "accept") == 0)
		rc = recheck_conditions(c, o) ? -1 : step_accept(c, o, in);
	else if (strcmp(step, "feedback") == 0) {
		const char *status = json_string_value(json_object_get(o, "status"));
		rc = strcmp(status, "fulfilled") == 0 || strcmp(status, "failed") == 0
			     ? 0
			     : error_set(&c->err, E_CONFLICT, "resources.bad_transition");
	} else
		rc = step_move(c, o, step, in);
	if (rc == 0 && in->side)
		rc = rate(c, o, in, in->version + (strcmp(step, "feedback") != 0));
	else if (rc == 0 && (in->has_rating || in->feedback)) {
		error_field(&c->err, "side", "field.required", 0);
		rc = error_check(&c->err);
	}
	if (rc != 0)
		goto out;
	after = docking_load(c, id);
	if (!after) {
		rc = -1;
		goto out;
	}
	json_t *b, *a;
	json_object_del(o, "version");
	json_object_del(o, "updated_at");
	json_t *cmp = json_deep_copy(after);
	json_object_del(cmp, "version");
	json_object_del(cmp, "updated_at");
	audit_diff(o, cmp, &b, &a);
	json_decref(cmp);
	const char *action = arena_printf(c->arena, "docking.%s", step);
	rc = audit_append(c, action, "docking", id, b, a);
	json_decref(b);
	json_decref(a);
	if (rc == 0) {
		struct side_item need = {0}, res = {0};
		rc = docking_side_load(c, json_integer_value(json_object_get(after, "need_id")), &need) ||
		     docking_offer_load(c, after, &res);
		const char *kind = strcmp(json_string_value(json_object_get(after, "status")),
					  "accepted") == 0 && strcmp(step, "accept") == 0
					   ? "docking.accepted"
					   : arena_printf(c->arena, "docking.%s", step);
		if (rc == 0)
			rc = tell(c, id, kind, &need, &res);
	}
out:
	json_decref(o);
	json_decref(after);
	return rc;
}

/* A move's arguments, for its transaction's step. */
struct transition {
	int64_t id;
	const char *step;
	struct step_input *in;
};

static int transition_step(struct ctx *c, void *arg)
{
	struct transition *a = arg;
	return step_in_tx(c, a->id, a->step, a->in);
}

int docking_step(struct ctx *c, int64_t id, const char *step, json_t *body)
{
	struct step_input in;
	if (step_from_json(c, step, body, &in) != 0)
		return -1;
	struct transition a = {id, step, &in};
	return ctx_tx(c, transition_step, &a);
}
