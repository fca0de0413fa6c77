/*
 * Boards: creation, invitations, visibility, listing. See boards.h.
 */
#include <string.h>
#include "audit/audit.h"
#include "boards/boards.h"
#include "boards/boards_internal.h"
#include "core/policy.h"
#include "core/validate.h"

const char *const board_scope_kinds[] = {"field", "street", "series", NULL};
const char *const board_visibilities[] = {"all", "members", "invited", NULL};

int boards_audit(struct ctx *c, const char *action, const char *type, int64_t id, json_t *after)
{
	int rc = audit_append(c, action, type, id, NULL, after);
	json_decref(after);
	return rc;
}

int board_input_from_json(struct ctx *c, json_t *obj, struct board_input *in)
{
	static const char *const allowed[] = {"name", "description", "scope_kind", "scope_key",
					      "visibility", NULL};
	memset(in, 0, sizeof *in);
	v_no_unknown_fields(c, obj, allowed);
	v_string(c, obj, "name", V_REQUIRED, 50, &in->name);
	v_string(c, obj, "description", V_OPTIONAL, 500, &in->description);
	v_choice(c, obj, "scope_kind", V_REQUIRED, board_scope_kinds, &in->scope_kind);
	v_string(c, obj, "scope_key", V_REQUIRED, 40, &in->scope_key);
	v_choice(c, obj, "visibility", V_OPTIONAL, board_visibilities, &in->visibility);
	if (in->scope_kind && in->scope_key && strcmp(in->scope_kind, "street") == 0 &&
	    (strlen(in->scope_key) != 12 || strspn(in->scope_key, "0123456789") != 12))
		error_field(&c->err, "scope_key", "field.bad_format", 0);
	if (in->scope_kind && in->scope_key && strcmp(in->scope_kind, "series") == 0 &&
	    strspn(in->scope_key, "0123456789") != strlen(in->scope_key))
		error_field(&c->err, "scope_key", "field.bad_format", 0);
	return error_check(&c->err);
}

/* The street a board belongs to, for the moderation policy (NULL: district-wide). */
const char *board_street(struct ctx *c, int64_t board_id)
{
	struct db_stmt *st = db_query(c->db,
				      "SELECT scope_key FROM board WHERE id = $1 AND "
				      "scope_kind = 'street'",
				      "l", board_id);
	const char *s = db_step(st) == DB_ROW ? arena_strdup(c->arena, db_col_text(st, 0)) : NULL;
	db_done(st);
	return s;
}

/* A board's creation or invitations, for its transaction's step. */
struct board_write {
	const struct board_input *in; /* create */
	int64_t id;                   /* create: the new board; invite: the board */
	const int64_t *user_ids;      /* invite */
	int n;
};

static int board_create_step(struct ctx *c, void *arg)
{
	struct board_write *a = arg;
	const struct board_input *in = a->in;
	const char *vis = in->visibility ? in->visibility : "all";
	a->id = db_int(c->db, -1,
		       "INSERT INTO board (name, description, scope_kind, scope_key, visibility, "
		       "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		       "sssssll", in->name, in->description ? in->description : "", in->scope_kind,
		       in->scope_key, vis, c->who->user_id, c->now);
	if (a->id < 0)
		return -1;
	return boards_audit(c, "board.create", "board", a->id,
			    json_pack("{s:s,s:s,s:s,s:s}", "name", in->name, "scope_kind",
				      in->scope_kind, "scope_key", in->scope_key, "visibility", vis));
}

int board_create(struct ctx *c, const struct board_input *in, int64_t *id)
{
	const char *street = strcmp(in->scope_kind, "street") == 0 ? in->scope_key : NULL;
	struct policy_object obj = {0, street};
	if (policy_check(c, ACT_BOARD_MANAGE, &obj) != 0)
		return -1;
	struct board_write a = {.in = in};
	int rc = ctx_tx(c, board_create_step, &a);
	*id = a.id;
	return rc;
}

static int board_invite_step(struct ctx *c, void *arg)
{
	struct board_write *a = arg;
	if (!db_exists(c->db, "SELECT 1 FROM board WHERE id = $1", "l", a->id))
		return error_set(&c->err, E_NOT_FOUND, "boards.board_not_found");
	json_t *added = json_array();
	for (int i = 0; i < a->n; i++) {
		if (!db_exists(c->db, "SELECT 1 FROM app_user WHERE id = $1", "l", a->user_ids[i])) {
			json_decref(added);
			error_field(&c->err, "user_ids", "boards.unknown_user", 0);
			return -1;
		}
		int64_t k = db_run(c->db,
				   "INSERT INTO board_invite (board_id, user_id) VALUES ($1, $2) "
				   "ON CONFLICT DO NOTHING",
				   "ll", a->id, a->user_ids[i]);
		if (k < 0) {
			json_decref(added);
			return -1;
		}
		if (k > 0)
			json_array_append_new(added, json_integer(a->user_ids[i]));
	}
	return boards_audit(c, "board.invite", "board", a->id, json_pack("{s:o}", "user_ids", added));
}

int board_invite(struct ctx *c, int64_t board_id, const int64_t *user_ids, int n)
{
	if (policy_check(c, ACT_BOARD_MANAGE, NULL) != 0)
		return -1;
	struct board_write a = {.id = board_id, .user_ids = user_ids, .n = n};
	return ctx_tx(c, board_invite_step, &a);
}

/* A board is visible to everyone signed in ("all"), to users of organizations in its street
 * ("members"; any organization for a non-street board), to invited users, and to readers of
 * every board ($2 = 1). */
#define VISIBLE_BOARD                                                                             \
	"(CAST($2 AS BIGINT) = 1 OR b.visibility = 'all' OR (b.visibility = 'members' AND EXISTS "  \
	"(SELECT 1 FROM user_role r JOIN org o ON o.id = r.org_id WHERE r.user_id = $1 AND "         \
	"(b.scope_kind <> 'street' OR o.street_code = b.scope_key))) OR (b.visibility = 'invited' " \
	"AND EXISTS (SELECT 1 FROM board_invite i WHERE i.board_id = b.id AND i.user_id = $1)))"

static const char sql_visible_one[] = "SELECT 1 FROM board b WHERE b.id = $3 AND " VISIBLE_BOARD;
static const char sql_visible_all[] =
	"SELECT b.id FROM board b WHERE " VISIBLE_BOARD " ORDER BY b.id";

int board_visible_to(struct ctx *c, int64_t board_id, int64_t user_id, int read_all)
{
	return db_exists(c->db, sql_visible_one, "lll", user_id, (int64_t)read_all, board_id);
}

int boards_read_all(struct ctx *c)
{
	return policy_allows(c->who, ACT_BOARD_READ_ALL, NULL);
}

int board_check_visible(struct ctx *c, int64_t board_id)
{
	int v = board_visible_to(c, board_id, c->who->user_id, boards_read_all(c));
	if (v < 0)
		return ctx_db_error(c);
	if (v == 0)
		return error_set(&c->err, E_NOT_FOUND, "boards.board_not_found");
	return 0;
}

int boards_visible_ids(struct ctx *c, int64_t **ids, int *n)
{
	int cap = 16;
	*n = 0;
	*ids = arena_alloc(c->arena, cap * sizeof **ids);
	struct db_stmt *st = db_query(c->db, sql_visible_all, "ll", c->who->user_id,
				      (int64_t)boards_read_all(c));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			int64_t *more = arena_alloc(c->arena, 2 * cap * sizeof *more);
			memcpy(more, *ids, cap * sizeof *more);
			*ids = more;
			cap *= 2;
		}
		(*ids)[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : ctx_db_error(c);
}

static const char sql_board_cols[] =
	"SELECT b.id, b.name, b.description, b.scope_kind, b.scope_key, b.visibility, "
	"b.thread_count, b.post_count, b.last_post_at, b.created_at FROM board b ";

static json_t *board_row_json(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "description",
			 db_col_text(st, 2), "scope_kind", db_col_text(st, 3), "scope_key",
			 db_col_text(st, 4), "visibility", db_col_text(st, 5), "thread_count",
			 (json_int_t)db_col_int(st, 6), "post_count", (json_int_t)db_col_int(st, 7),
			 "last_post_at",
			 db_col_isnull(st, 8) ? json_null() : json_integer(db_col_int(st, 8)),
			 "created_at", (json_int_t)db_col_int(st, 9));
}

static const char sql_board_list[] =
	"SELECT b.id, b.name, b.description, b.scope_kind, b.scope_key, b.visibility, "
	"b.thread_count, b.post_count, b.last_post_at, b.created_at FROM board b WHERE "
	VISIBLE_BOARD " ORDER BY b.scope_kind, b.id";

json_t *board_list_json(struct ctx *c)
{
	json_t *items = json_array();
	struct db_stmt *st = db_query(c->db, sql_board_list, "ll", c->who->user_id,
				      (int64_t)boards_read_all(c));
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, board_row_json(st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		ctx_db_error(c);
		return NULL;
	}
	return json_pack("{s:o,s:b,s:b}", "items", items, "can_manage",
			 policy_allows(c->who, ACT_BOARD_MANAGE, NULL), "can_moderate",
			 policy_allows(c->who, ACT_BOARD_MODERATE, NULL));
}

static const char sql_board_get[] =
	"SELECT b.id, b.name, b.description, b.scope_kind, b.scope_key, b.visibility, "
	"b.thread_count, b.post_count, b.last_post_at, b.created_at FROM board b WHERE b.id = $1";

json_t *board_get_json(struct ctx *c, int64_t id)
{
	(void)sql_board_cols;
	if (board_check_visible(c, id) != 0)
		return NULL;
	struct db_stmt *st = db_query(c->db, sql_board_get, "l", id);
	json_t *o = db_step(st) == DB_ROW ? board_row_json(st) : NULL;
	db_done(st);
	if (!o) {
		ctx_db_error(c);
		return NULL;
	}
	struct policy_object obj = {0, board_street(c, id)};
	json_object_set_new(o, "can_moderate",
			    json_boolean(policy_allows(c->who, ACT_BOARD_MODERATE, &obj)));
	json_object_set_new(o, "can_post", json_boolean(policy_allows(c->who, ACT_BOARD_POST, NULL)));
	return o;
}
