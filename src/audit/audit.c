/*
 * The audit trail: append, diff, verify, list. See audit.h for the contract and docs/audit.md
 * for what the chain proves.
 *
 * A record's id is the previous id + 1, chosen here under the write lock (PostgreSQL: an
 * advisory transaction lock; SQLite: the BEGIN IMMEDIATE write lock), so concurrent writers
 * form one chain: a writer that somehow read a stale head would collide on the primary key
 * and fail instead of forking the chain. A gap in ids therefore means a deleted record.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "core/policy.h"

/* Any constant unique among the program's advisory locks (db_migrate uses its own). */
#define AUDIT_LOCK_KEY "7420131"

/* ---------------------------------------------------------------- the hash */

/*
 * The canonical serialization a record's hash covers: its fields in this order
 *
 *     id, at, actor_id, actor_name, actor_roles, remote_addr, action, object_type,
 *     object_id, before_json, after_json, prev_hash
 *
 * each written as a netstring, `<decimal byte length>:<bytes>,`, integers in decimal ASCII
 * ("-1"), and SQL NULL as the two bytes `~,` (a netstring never starts with '~'). Because every
 * field carries its length, no content can be mistaken for a boundary, whatever bytes a name
 * holds. before_json/after_json are hashed exactly as stored; audit_append writes them compact
 * with sorted keys (JSON_COMPACT | JSON_SORT_KEYS), so one change always gives one text.
 * hash = lowercase hex SHA-256 of those bytes; the first record's prev_hash is 64 zeros.
 */
static void hash_text(crypto_hash_sha256_state *st, const char *s)
{
	if (!s) {
		crypto_hash_sha256_update(st, (const unsigned char *)"~,", 2);
		return;
	}
	size_t n = strlen(s);
	char len[24];
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(st, (const unsigned char *)s, n);
	crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

static void hash_int(crypto_hash_sha256_state *st, int64_t v)
{
	char num[24];
	snprintf(num, sizeof num, "%" PRId64, v);
	hash_text(st, num);
}

void audit_hash(const struct audit_record *r, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	hash_int(&st, r->id);
	hash_int(&st, r->at);
	hash_int(&st, r->actor_id);
	hash_text(&st, r->actor_name);
	hash_text(&st, r->actor_roles);
	hash_text(&st, r->remote_addr);
	hash_text(&st, r->action);
	hash_text(&st, r->object_type);
	hash_int(&st, r->object_id);
	hash_text(&st, r->before_json);
	hash_text(&st, r->after_json);
	hash_text(&st, r->prev_hash);
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

/* ---------------------------------------------------------------- append */

/* The memo audit_append keeps in the connection's per-transaction scratch area (db.h): the
 * chain's head as this transaction left it. Valid only while `valid` is set; the data layer
 * zeroes it at every BEGIN/COMMIT/ROLLBACK, so a head never outlives the transaction (and the
 * lock) that made it true. */
struct head_memo {
	int valid;
	int64_t id;
	char hash[65];
};

/* Reads the chain's head (id 0 and the genesis hash when empty), taking the append lock on
 * PostgreSQL first so the read sees every committed append. Within one transaction the lock
 * is held until the end, so later appends use the memo and skip both round trips. */
static int head_read(struct ctx *c, struct head_memo *memo)
{
	if (memo->valid)
		return 0;
	if (db_engine(c->db) == DB_POSTGRES &&
	    db_exists(c->db, "SELECT pg_advisory_xact_lock(" AUDIT_LOCK_KEY ")", "") < 0)
		return ctx_db_error(c);
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	int rc = db_step(st);
	if (rc == DB_ROW) {
		memo->id = db_col_int(st, 0);
		snprintf(memo->hash, sizeof memo->hash, "%s",
		         db_col_text(st, 1) ? db_col_text(st, 1) : "");
	} else if (rc == DB_DONE) {
		memo->id = 0;
		strcpy(memo->hash, AUDIT_GENESIS_HASH);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	memo->valid = 1;
	return 0;
}

/* "admin,staff": the principal's role names in enum order. */
static char *roles_text(struct ctx *c)
{
	char buf[256] = "";
	size_t n = 0;
	for (int r = 0; r < ROLE__MAX; r++) {
		if (!principal_has(c->who, (enum role)r))
			continue;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "",
		                      role_name((enum role)r));
		if (n >= sizeof buf)
			break;
	}
	return arena_strdup(c->arena, buf);
}

/* Compact, sorted-key JSON in the arena; NULL for NULL. */
static char *canonical_json(struct ctx *c, json_t *v)
{
	if (!v)
		return NULL;
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	char *out = arena_strdup(c->arena, s ? s : "null");
	free(s);
	return out;
}

int audit_append(struct ctx *c, const char *action, const char *object_type, int64_t object_id,
                 json_t *before, json_t *after)
{
	if (!db_in_transaction(c->db))
		return error_internal(&c->err, "audit_append(%s) outside a transaction", action);
	struct head_memo *memo = db_tx_memo(c->db, sizeof *memo);
	if (head_read(c, memo) != 0)
		return -1;
	struct audit_record rec = {
	    .id = memo->id + 1,
	    .at = c->now,
	    .actor_id = c->who->user_id,
	    .object_id = object_id,
	    .actor_name = c->who->username,
	    .actor_roles = roles_text(c),
	    .remote_addr = c->remote_addr,
	    .action = action,
	    .object_type = object_type,
	    .before_json = canonical_json(c, before),
	    .after_json = canonical_json(c, after),
	    .prev_hash = memo->hash,
	};
	char hash[65];
	audit_hash(&rec, hash);
	int64_t n =
	    db_run(c->db,
	           "INSERT INTO audit_log (id, at, actor_id, actor_name, actor_roles, remote_addr, "
	           "action, object_type, object_id, before_json, after_json, prev_hash, hash) "
	           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
	           "lllssssslssss", rec.id, rec.at, rec.actor_id, rec.actor_name, rec.actor_roles,
	           rec.remote_addr, rec.action, rec.object_type, rec.object_id, rec.before_json,
	           rec.after_json, rec.prev_hash, hash);
	if (n != 1) {
		memo->valid = 0;
		return ctx_db_error(c);
	}
	memo->id = rec.id;
	memcpy(memo->hash, hash, sizeof hash);
	return 0;
}

/* ---------------------------------------------------------------- diff */

/* A copy of obj without its null members (what a created or deleted object held). */
static json_t *without_nulls(json_t *obj)
{
	json_t *out = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		if (!json_is_null(v))
			json_object_set(out, key, v);
	}
	return out;
}

/* Adds key's old and new value if they differ. Absent and null are the same "no value": a
 * field that goes from absent to null has not changed; one that loses its value is recorded
 * as null in *after, so both objects always name the same keys. Arrays and nested objects
 * compare by value (json_equal). */
static void diff_key(const char *key, json_t *old_obj, json_t *new_obj, json_t *before,
                     json_t *after)
{
	json_t *o = json_object_get(old_obj, key);
	json_t *n = json_object_get(new_obj, key);
	int o_none = !o || json_is_null(o);
	int n_none = !n || json_is_null(n);
	if (o_none && n_none)
		return;
	if (!o_none && !n_none && json_equal(o, n))
		return;
	json_object_set_new(before, key, o_none ? json_null() : json_incref(o));
	json_object_set_new(after, key, n_none ? json_null() : json_incref(n));
}

void audit_diff(json_t *old_obj, json_t *new_obj, json_t **before, json_t **after)
{
	*before = *after = NULL;
	if (!old_obj && !new_obj)
		return;
	if (!old_obj) {
		*after = without_nulls(new_obj);
		return;
	}
	if (!new_obj) {
		*before = without_nulls(old_obj);
		return;
	}
	*before = json_object();
	*after = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(old_obj, key, v) diff_key(key, old_obj, new_obj, *before, *after);
	json_object_foreach(new_obj, key, v)
	{
		if (!json_object_get(old_obj, key))
			diff_key(key, old_obj, new_obj, *before, *after);
	}
}

/* ---------------------------------------------------------------- verify */

enum { VERIFY_BATCH = 1000, VERIFY_PROGRESS_EVERY = 100000 };

static const char verify_sql[] =
    "SELECT id, at, actor_id, actor_name, actor_roles, remote_addr, action, object_type, "
    "object_id, before_json, after_json, prev_hash, hash FROM audit_log WHERE id > $1 "
    "ORDER BY id LIMIT 1000"; /* VERIFY_BATCH */

static void record_from_row(struct db_stmt *st, struct audit_record *r)
{
	r->id = db_col_int(st, 0);
	r->at = db_col_int(st, 1);
	r->actor_id = db_col_int(st, 2);
	r->actor_name = db_col_text(st, 3);
	r->actor_roles = db_col_text(st, 4);
	r->remote_addr = db_col_text(st, 5);
	r->action = db_col_text(st, 6);
	r->object_type = db_col_text(st, 7);
	r->object_id = db_col_int(st, 8);
	r->before_json = db_col_text(st, 9);
	r->after_json = db_col_text(st, 10);
	r->prev_hash = db_col_text(st, 11);
}

/* Checks one record against the one before it (prev_id/prev_hash) and notes the first
 * problem in out. The checks go from the most specific: a gap in ids (deleted records), a
 * broken link (deleted, inserted or reordered), a hash that does not match the content
 * (edited). */
static void verify_one(struct audit_verify_result *out, const struct audit_record *r,
                       const char *stored_hash, int64_t prev_id, const char *prev_hash)
{
	if (!out->ok)
		return;
	char hash[65];
	if (r->id != prev_id + 1) {
		if (r->id > prev_id + 1 && r->id == prev_id + 2)
			snprintf(out->problem, sizeof out->problem,
			         "record %" PRId64 " is missing (deleted)", prev_id + 1);
		else
			snprintf(out->problem, sizeof out->problem,
			         "records %" PRId64 "-%" PRId64 " are missing (deleted)",
			         prev_id + 1, r->id - 1);
	} else if (!r->prev_hash || strcmp(r->prev_hash, prev_hash) != 0) {
		snprintf(out->problem, sizeof out->problem,
		         "prev_hash does not match record %" PRId64 "'s hash "
		         "(a record was deleted, inserted or reordered)",
		         prev_id);
	} else {
		audit_hash(r, hash);
		if (stored_hash && strcmp(hash, stored_hash) == 0)
			return;
		snprintf(out->problem, sizeof out->problem,
		         "hash does not match the record's content (the record was edited)");
	}
	out->ok = 0;
	out->first_bad_id = r->id;
}

/* One batch of records after *last_id; returns the number read, or -1. */
static int verify_batch(struct ctx *c, struct audit_verify_result *out, int64_t *last_id,
                        char last_hash[65])
{
	struct db_stmt *st = db_prepare(c->db, verify_sql);
	db_bind_int(st, 1, *last_id);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct audit_record r;
		record_from_row(st, &r);
		const char *stored = db_col_text(st, 12);
		verify_one(out, &r, stored, *last_id, last_hash);
		*last_id = r.id;
		snprintf(last_hash, 65, "%s", stored ? stored : "");
		n++;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : n;
}

static int verify_run(struct ctx *c, struct audit_verify_result *out,
                      void (*progress)(int64_t, int64_t, void *), void *arg)
{
	int64_t total = progress ? db_int(c->db, 0, "SELECT MAX(id) FROM audit_log", "") : 0;
	int64_t last_id = 0, next_report = VERIFY_PROGRESS_EVERY;
	char last_hash[65] = AUDIT_GENESIS_HASH;
	for (;;) {
		int n = verify_batch(c, out, &last_id, last_hash);
		if (n < 0)
			return ctx_db_error(c);
		out->records += n;
		if (progress && out->records >= next_report) {
			progress(out->records, total, arg);
			next_report += VERIFY_PROGRESS_EVERY;
		}
		if (n < VERIFY_BATCH)
			break;
	}
	out->head_id = last_id;
	memcpy(out->head_hash, last_hash, sizeof out->head_hash);
	return 0;
}

int audit_verify_progress(struct ctx *c, struct audit_verify_result *out,
                          void (*progress)(int64_t done, int64_t total, void *arg), void *arg)
{
	memset(out, 0, sizeof *out);
	out->ok = 1;
	if (policy_check(c, ACT_AUDIT_READ, NULL) != 0)
		return -1;
	/* one snapshot for the whole walk, so appends made meanwhile by the server do not show
	 * up half-way (a read transaction; the caller's own transaction when it has one) */
	int own = !db_in_transaction(c->db);
	if (own && db_begin_read(c->db) != 0)
		return ctx_db_error(c);
	int rc = verify_run(c, out, progress, arg);
	if (own)
		db_rollback(c->db);
	return rc;
}

int audit_verify(struct ctx *c, struct audit_verify_result *out)
{
	return audit_verify_progress(c, out, NULL, NULL);
}

int audit_check_anchor(struct ctx *c, int64_t id, const char *hash, char problem[160])
{
	problem[0] = 0;
	if (policy_check(c, ACT_AUDIT_READ, NULL) != 0)
		return -1;
	struct db_stmt *st = db_query(c->db, "SELECT hash FROM audit_log WHERE id = $1", "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW && db_col_text(st, 0) && strcmp(db_col_text(st, 0), hash) == 0) {
		db_done(st);
		return 0;
	}
	if (rc == DB_ROW)
		snprintf(problem, 160,
		         "record %" PRId64 " has another hash than the anchor "
		         "(the trail was rewritten)",
		         id);
	else if (rc == DB_DONE)
		snprintf(problem, 160,
		         "record %" PRId64 " of the anchor is missing "
		         "(the newest records were removed)",
		         id);
	db_done(st);
	return rc == DB_ERROR ? ctx_db_error(c) : -1;
}

/* ---------------------------------------------------------------- list */

/* The filters, shared by the count and the page. An absent filter binds NULL. */
#define AUDIT_WHERE                                                                                \
	" WHERE (CAST($1 AS BIGINT) IS NULL OR actor_id = CAST($1 AS BIGINT))"                     \
	" AND (CAST($2 AS TEXT) IS NULL OR action = CAST($2 AS TEXT))"                             \
	" AND (CAST($3 AS TEXT) IS NULL OR object_type = CAST($3 AS TEXT))"                        \
	" AND (CAST($4 AS BIGINT) IS NULL OR object_id = CAST($4 AS BIGINT))"                      \
	" AND at >= CAST($5 AS BIGINT) AND at <= CAST($6 AS BIGINT)"

static void bind_filter(struct db_stmt *st, const struct audit_filter *f)
{
	if (f->has_actor)
		db_bind_int(st, 1, f->actor_id);
	else
		db_bind_null(st, 1);
	db_bind_text(st, 2, f->action);
	db_bind_text(st, 3, f->object_type);
	if (f->has_object_id)
		db_bind_int(st, 4, f->object_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, f->from);
	db_bind_int(st, 6, f->to);
}

/* A stored JSON text as a value (null for NULL or unreadable text). */
static json_t *stored_json(const char *s)
{
	json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
	return v ? v : json_null();
}

static json_t *roles_array(const char *s)
{
	json_t *a = json_array();
	while (s && *s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		json_array_append_new(a, json_stringn(s, n));
		s = end ? end + 1 : NULL;
	}
	return a;
}

static json_t *item_from_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:I, s:I, s:s, s:o, s:s?, s:s, s:s, s:I, s:o, s:o, s:s, s:s}", "id",
	                 (json_int_t)db_col_int(st, 0), "at", (json_int_t)db_col_int(st, 1),
	                 "actor_id", (json_int_t)db_col_int(st, 2), "actor_name",
	                 db_col_text(st, 3), "actor_roles", roles_array(db_col_text(st, 4)),
	                 "remote_addr", db_col_text(st, 5), "action", db_col_text(st, 6),
	                 "object_type", db_col_text(st, 7), "object_id",
	                 (json_int_t)db_col_int(st, 8), "before", stored_json(db_col_text(st, 9)),
	                 "after", stored_json(db_col_text(st, 10)), "prev_hash",
	                 db_col_text(st, 11), "hash", db_col_text(st, 12));
}

int audit_list(struct ctx *c, const struct audit_filter *f, json_t **items, int64_t *total)
{
	*items = NULL;
	if (policy_check(c, ACT_AUDIT_READ, NULL) != 0)
		return -1;
	struct db_stmt *st = db_prepare(c->db, "SELECT COUNT(*) FROM audit_log" AUDIT_WHERE);
	bind_filter(st, f);
	int rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ctx_db_error(c);
	st = db_prepare(c->db,
	                "SELECT id, at, actor_id, actor_name, actor_roles, remote_addr, "
	                "action, object_type, object_id, before_json, after_json, prev_hash, "
	                "hash FROM audit_log" AUDIT_WHERE
	                " ORDER BY id DESC LIMIT CAST($7 AS BIGINT) OFFSET CAST($8 AS BIGINT)");
	bind_filter(st, f);
	db_bind_int(st, 7, f->per_page);
	db_bind_int(st, 8, (f->page - 1) * f->per_page);
	json_t *a = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(a, item_from_row(st));
	db_done(st);
	if (rc == DB_ERROR) {
		json_decref(a);
		return ctx_db_error(c);
	}
	*items = a;
	return 0;
}
