/*
 * The "liaison.reminders" task: officers and their managers hear of overdue organizations and
 * follow-ups. Idempotent: each row remembers reminded_at, and a row is reminded again only
 * after 7 days, so running the task twice (or on two servers) tells nobody twice.
 */
#include "liaison/liaison.h"
#include "notify/notify.h"

enum { REMIND_BATCH = 200, REMIND_AGAIN_SECONDS = 7 * 86400 };

struct due_row {
	int64_t id, org_id;
	const char *org_name, *street, *due_on, *what;
};

/* Tells every user the statement lists (first column: user id; at most 64). The ids are
 * read first: notify_user writes while no statement is open. */
static int notify_listed(struct ctx *c, struct db_stmt *st, const struct notice *n)
{
	int64_t ids[64];
	int n_ids = 0;
	while (db_step(st) == DB_ROW && n_ids < 64)
		ids[n_ids++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < n_ids; i++)
		if (notify_user(c, ids[i], n) != 0)
			return -1;
	return 0;
}

/* Managers: the staff of the street, or the district's staff when the street has none. */
static int notify_managers(struct ctx *c, const char *street, const struct notice *n)
{
	int has_street_staff =
	    db_exists(c->db,
	              "SELECT 1 FROM app_user u JOIN user_role ur ON ur.user_id = "
	              "u.id WHERE ur.role = 'staff' AND u.status = 'active' AND "
	              "u.jurisdiction = $1",
	              "s", street);
	return notify_listed(c,
	                     db_query(c->db,
	                              "SELECT DISTINCT u.id FROM app_user u JOIN user_role ur ON "
	                              "ur.user_id = u.id WHERE ur.role = 'staff' AND u.status = "
	                              "'active' AND u.jurisdiction = $1 ORDER BY u.id",
	                              "s", has_street_staff == 1 ? street : ""),
	                     n);
}

static int notify_officers(struct ctx *c, int64_t org_id, const char *today, const struct notice *n)
{
	return notify_listed(
	    c,
	    db_query(c->db,
	             "SELECT user_id FROM liaison_assignment WHERE org_id = $1 AND "
	             "(end_on IS NULL OR end_on >= $2) ORDER BY id",
	             "ls", org_id, today),
	    n);
}

static int load_rows(struct ctx *c, struct db_stmt *st, struct due_row *rows)
{
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < REMIND_BATCH) {
		struct due_row *r = &rows[n++];
		r->id = db_col_int(st, 0);
		r->org_id = db_col_int(st, 1);
		r->org_name = arena_strdup(c->arena, db_col_text(st, 2));
		r->street = arena_strdup(c->arena, db_col_text(st, 3));
		r->due_on = arena_strdup(c->arena, db_col_text(st, 4));
		r->what = arena_strdup(c->arena, db_col_text(st, 5));
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : n;
}

static int remind_org(struct ctx *c, const struct due_row *r, const char *today)
{
	json_t *params = json_pack("{s:s, s:s}", "org", r->org_name, "due", r->due_on);
	struct notice n = {"liaison.org_overdue", params,
	                   arena_printf(c->arena, "/liaison/orgs/%lld", (long long)r->org_id),
	                   "org", r->org_id};
	int rc = notify_officers(c, r->org_id, today, &n) == 0 &&
	                 notify_managers(c, r->street, &n) == 0 &&
	                 db_run(c->db, "UPDATE liaison_org SET reminded_at = $1 WHERE org_id = $2",
	                        "ll", c->now, r->org_id) >= 0
	             ? 0
	             : -1;
	json_decref(params);
	return rc;
}

static int remind_followup(struct ctx *c, const struct due_row *r, int64_t owner)
{
	json_t *params =
	    json_pack("{s:s, s:s, s:s}", "org", r->org_name, "what", r->what, "due", r->due_on);
	struct notice n = {"liaison.followup_overdue", params,
	                   arena_printf(c->arena, "/liaison/orgs/%lld", (long long)r->org_id),
	                   "liaison_followup", r->id};
	int rc = notify_user(c, owner, &n) == 0 && notify_managers(c, r->street, &n) == 0 &&
	                 db_run(c->db, "UPDATE liaison_followup SET reminded_at = $1 WHERE id = $2",
	                        "ll", c->now, r->id) >= 0
	             ? 0
	             : -1;
	json_decref(params);
	return rc;
}

/* One batch's arguments and how many it reminded, for its transaction's step. */
struct remind {
	const char *today;
	int followups; /* 1: follow-ups, 0: organizations */
	int n;
};

static int remind_batch_step(struct ctx *c, void *arg)
{
	struct remind *a = arg;
	const char *today = a->today;
	int followups = a->followups;
	struct due_row *rows = arena_alloc(c->arena, sizeof(struct due_row) * REMIND_BATCH);
	int64_t again = c->now - REMIND_AGAIN_SECONDS;
	struct db_stmt *st =
	    followups
	        ? db_query(c->db,
	                   "SELECT f.id, f.org_id, o.name, f.street_code, f.due_on, "
	                   "f.description, f.owner_id FROM liaison_followup f JOIN org o ON "
	                   "o.id = f.org_id WHERE f.status = 'open' AND f.due_on < $1 AND "
	                   "(f.reminded_at IS NULL OR f.reminded_at <= $2) ORDER BY f.due_on, "
	                   "f.id LIMIT 200",
	                   "sl", today, again)
	        : db_query(c->db,
	                   "SELECT lo.org_id, lo.org_id, o.name, lo.street_code, lo.due_on, "
	                   "'' FROM liaison_org lo JOIN org o ON o.id = lo.org_id WHERE "
	                   "lo.due_on < $1 AND o.archived = 0 AND (lo.reminded_at IS NULL OR "
	                   "lo.reminded_at <= $2) ORDER BY lo.due_on, lo.org_id LIMIT 200",
	                   "sl", today, again);
	int n = a->n = load_rows(c, st, rows);
	for (int i = 0; i < n; i++) {
		int64_t owner =
		    followups
		        ? db_int(c->db, 0, "SELECT owner_id FROM liaison_followup WHERE id = $1",
		                 "l", rows[i].id)
		        : 0;
		if ((followups ? remind_followup(c, &rows[i], owner)
		               : remind_org(c, &rows[i], today)) != 0)
			return -1;
	}
	return n < 0 ? -1 : 0;
}

/* One batch in one transaction; returns how many were reminded (0 = nothing left), or -1. */
static int remind_batch(struct ctx *c, const char *today, int followups)
{
	struct remind a = {today, followups, 0};
	return ctx_tx(c, remind_batch_step, &a) == 0 ? a.n : -1;
}

static int refresh_step(struct ctx *c, void *arg)
{
	(void)arg;
	return liaison_refresh_changed_in_tx(c) < 0 ? -1 : 0;
}

int liaison_reminders_run(struct ctx *c)
{
	char today[11];
	liaison_today(c, today);
	int total = 0;
	if (ctx_tx(c, refresh_step, NULL) != 0)
		return -1;
	for (int followups = 0; followups <= 1; followups++) {
		int n;
		do {
			n = remind_batch(c, today, followups);
			if (n < 0)
				return -1;
			total += n;
		} while (n == REMIND_BATCH);
	}
	return total;
}
