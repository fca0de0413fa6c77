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
};
/* Recomputes the whole chain. Requires ACT_AUDIT_READ. Returns 0 (result filled) or -1. */
int audit_verify(struct ctx *c, struct audit_verify_result *out);

#endif
