/*
 * The audit trail: an append-only, hash-chained record of every write.
 *
 * audit_append() is called by every domain function that writes, inside the same transaction
 * as the write, so a change and its record commit or vanish together. Each record stores the
 * hash of the previous record; audit_verify() recomputes the chain and finds an edited,
 * inserted or deleted record.
 */
#ifndef TONGXIN_AUDIT_AUDIT_H
#define TONGXIN_AUDIT_AUDIT_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

/* Appends a record for c->who at c->now. `action` like "org.update"; `object_type` like
 * "org"; before/after are JSON objects of the changed fields (borrowed; either may be NULL).
 * Must run inside the caller's write transaction. Returns 0, or -1 with c->err filled. */
int audit_append(struct ctx *c, const char *action, const char *object_type, int64_t object_id,
                 json_t *before, json_t *after);

/* Given the old and new JSON objects of a record, returns (new references, caller decrefs)
 * objects holding only the keys whose values differ: *before with old values, *after with
 * new. Either input may be NULL (create/delete). */
void audit_diff(json_t *old_obj, json_t *new_obj, json_t **before, json_t **after);

struct audit_verify_result {
	int64_t records;      /* records checked */
	int ok;               /* 1 if the chain is intact */
	int64_t first_bad_id; /* the first record whose hash or link does not match (0 if ok) */
	char problem[160];    /* what is wrong there, in English, for the log and the CLI */
	/* added: the newest record, so operators can keep the head elsewhere (docs/audit.md) */
	int64_t head_id;    /* 0 when the trail is empty */
	char head_hash[65]; /* its stored hash; 64 zeros when empty */
};
/* Recomputes the whole chain. Requires ACT_AUDIT_READ. Returns 0 (result filled) or -1. */
int audit_verify(struct ctx *c, struct audit_verify_result *out);

/* ---- added with the implementation */

/* The first record's prev_hash. */
#define AUDIT_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* One record as stored; strings borrowed. NULL strings are SQL NULLs. */
struct audit_record {
	int64_t id, at, actor_id, object_id;
	const char *actor_name, *actor_roles, *remote_addr, *action, *object_type;
	const char *before_json, *after_json, *prev_hash;
};
/* The record's hash: lowercase hex SHA-256 of its canonical serialization (defined above
 * audit_hash in audit.c), written to out (65 bytes with the NUL). */
void audit_hash(const struct audit_record *r, char out[65]);

/* Like audit_verify; calls progress(done, total, arg) every 100,000 records (total is the
 * highest id, an upper bound). progress may be NULL. */
int audit_verify_progress(struct ctx *c, struct audit_verify_result *out,
                          void (*progress)(int64_t done, int64_t total, void *arg), void *arg);

/* Checks an anchor kept elsewhere: 0 if record `id` exists with stored hash `hash`, else -1
 * with `problem` (size 160) saying why (missing: the trail was truncated; different: rewritten).
 * Call after audit_verify succeeded. Requires ACT_AUDIT_READ; -1 with c->err on other errors
 * (then problem is empty). */
int audit_check_anchor(struct ctx *c, int64_t id, const char *hash, char problem[160]);

/* What to list; a NULL string or has_ = 0 means "any". from/to are inclusive Unix seconds. */
struct audit_filter {
	int has_actor;
	int64_t actor_id;
	const char *action;
	const char *object_type;
	int has_object_id;
	int64_t object_id;
	int64_t from, to;
	int64_t page, per_page; /* page from 1 */
};
/* The records matching f, newest first: *items (new reference, caller decrefs) is an array
 * of objects {id, at, actor_id, actor_name, actor_roles[], remote_addr, action, object_type,
 * object_id, before, after, prev_hash, hash} with before/after as JSON objects or null;
 * *total counts all matches. Requires ACT_AUDIT_READ. Returns 0 or -1 with c->err filled. */
int audit_list(struct ctx *c, const struct audit_filter *f, json_t **items, int64_t *total);

#endif
