/*
 * Overdue lists: organizations past their due date, follow-ups past theirs.
 *
 * Both are index walks (liaison_org_by_due / liaison_followup_open) filtered by street,
 * officer and the reader's scope: staff of a street see that street; an officer who is not
 * staff sees only their own organizations and follow-ups.
 */
#include <string.h>
#include "core/json_rows.h"
#include "liaison/liaison.h"

/* The street and officer filters after the reader's scope is applied. */
static void scope(struct ctx *c, const struct liaison_overdue_query *q, const char **street,
                  int64_t *officer)
{
	*street = q->street ? q->street : "";
	*officer = q->officer_id;
	if (c->who->jurisdiction[0] && !principal_has(c->who, ROLE_ADMIN) &&
	    !principal_has(c->who, ROLE_SUPERVISOR) && !liaison_officer_only(c))
		*street = c->who->jurisdiction; /* street staff: their street, whatever was asked */
	if (liaison_officer_only(c))
		*officer = c->who->user_id;
}

#define ORGS_WHERE                                                                                 \
	"FROM liaison_org lo JOIN org o ON o.id = lo.org_id WHERE lo.due_on < $1 AND "             \
	"o.archived = 0 AND (CAST($2 AS TEXT) = '' OR lo.street_code = $2) AND "                   \
	"(CAST($3 AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM liaison_assignment a WHERE "             \
	"a.org_id = lo.org_id AND a.user_id = $3 AND (a.end_on IS NULL OR a.end_on >= $1))) "

static const char *officers_of(struct ctx *c, int64_t org_id, const char *today)
{
	struct db_stmt *st =
	    db_query(c->db,
	             "SELECT u.display_name FROM liaison_assignment a JOIN app_user u "
	             "ON u.id = a.user_id WHERE a.org_id = $1 AND (a.end_on IS NULL OR "
	             "a.end_on >= $2) ORDER BY a.role DESC, a.id",
	             "ls", org_id, today);
	struct buf b = {0};
	while (db_step(st) == DB_ROW) {
		if (b.len)
			buf_puts(&b, "、");
		buf_puts(&b, db_col_text(st, 0));
	}
	db_done(st);
	const char *out = arena_strdup(c->arena, b.len ? b.data : "");
	buf_free(&b);
	return out;
}

static json_t *org_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:I, s:b}", "org_id",
	                 (json_int_t)db_col_int(st, 0), "org_name", db_col_text(st, 1),
	                 "street_code", db_col_text(st, 2), "last_contact_on", db_col_text(st, 3),
	                 "due_on", db_col_text(st, 4), "interval_days",
	                 (json_int_t)db_col_int(st, 5), "is_key", (int)db_col_int(st, 6));
}

static json_t *followup_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:I}", "id",
	                 (json_int_t)db_col_int(st, 0), "org_id", (json_int_t)db_col_int(st, 1),
	                 "org_name", db_col_text(st, 2), "street_code", db_col_text(st, 3),
	                 "description", db_col_text(st, 4), "due_on", db_col_text(st, 5),
	                 "owner_id", (json_int_t)db_col_int(st, 6), "owner_name",
	                 db_col_text(st, 7), "contact_id", (json_int_t)db_col_int(st, 8));
}

/* One page of an overdue list: count_sql and list_sql take $1 today, $2 street, $3 officer
 * (list_sql also $4 limit, $5 offset). */
static json_t *overdue_page(struct ctx *c, const struct liaison_overdue_query *q,
                            const char *count_sql, const char *list_sql,
                            json_t *(*row)(struct db_stmt *), int with_officers)
{
	if (policy_check(c, ACT_LIAISON_READ, NULL) != 0)
		return NULL;
	char today[11];
	liaison_today(c, today);
	const char *street;
	int64_t officer;
	scope(c, q, &street, &officer);
	int64_t total = db_int(c->db, 0, count_sql, "ssl", today, street, officer);
	json_t *items = json_rows(c,
	                                  db_query(c->db, list_sql, "sslll", today, street, officer,
	                                           q->per_page, (q->page - 1) * q->per_page),
	                                  row);
	if (!items)
		return NULL;
	size_t i;
	json_t *it;
	if (with_officers)
		json_array_foreach(items, i, it) json_object_set_new(
		    it, "officers",
		    json_string(
		        officers_of(c, json_integer_value(json_object_get(it, "org_id")), today)));
	return json_pack("{s:o, s:I, s:I, s:I, s:s}", "items", items, "total", (json_int_t)total,
	                 "page", (json_int_t)q->page, "per_page", (json_int_t)q->per_page, "today",
	                 today);
}

json_t *liaison_overdue_orgs_json(struct ctx *c, const struct liaison_overdue_query *q)
{
	return overdue_page(c, q, "SELECT COUNT(*) " ORGS_WHERE,
	                    "SELECT o.id, o.name, lo.street_code, lo.last_contact_on, lo.due_on, "
	                    "lo.interval_days, lo.is_key " ORGS_WHERE
	                    "ORDER BY lo.due_on, o.id LIMIT $4 OFFSET $5",
	                    org_row, 1);
}

#define FOLLOWUPS_WHERE                                                                            \
	"FROM liaison_followup f JOIN org o ON o.id = f.org_id JOIN app_user u ON u.id = "         \
	"f.owner_id WHERE f.status = 'open' AND f.due_on < $1 AND (CAST($2 AS TEXT) = '' OR "      \
	"f.street_code = $2) AND (CAST($3 AS BIGINT) = 0 OR f.owner_id = $3) "

json_t *liaison_overdue_followups_json(struct ctx *c, const struct liaison_overdue_query *q)
{
	return overdue_page(
	    c, q, "SELECT COUNT(*) " FOLLOWUPS_WHERE,
	    "SELECT f.id, f.org_id, o.name, f.street_code, f.description, f.due_on, "
	    "f.owner_id, u.display_name, f.contact_id " FOLLOWUPS_WHERE
	    "ORDER BY f.due_on, f.id LIMIT $4 OFFSET $5",
	    followup_row, 0);
}
