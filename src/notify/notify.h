/*
 * Notifications: what a user is told, and the outbox that carries it to their browser, their
 * mailbox and group robots.
 *
 * A feature that wants someone told calls notify_user() (or notify_org()) INSIDE its own write
 * transaction, right after the change that causes it. The notification row and its outbox rows
 * commit or vanish together with the change, so nothing is told about a change that did not
 * happen, and nothing that happened goes untold because the process died before sending.
 *
 * The text is not rendered at write time: the notification stores a message key and JSON
 * parameters, and each reader sees it in their own language (msg catalogue "notify.<kind>"
 * entries with {name} placeholders filled from params).
 */
#ifndef TONGXIN_NOTIFY_NOTIFY_H
#define TONGXIN_NOTIFY_NOTIFY_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

struct notice {
	const char *kind;        /* "meeting.invited", "announcement.new", ... (a msg key suffix) */
	json_t *params;          /* borrowed; string/number values for {name} placeholders; may be NULL */
	const char *link;        /* UI path the notification opens, e.g. "/meetings/12"; may be NULL */
	const char *object_type; /* "meeting", "announcement", ...; may be NULL */
	int64_t object_id;
};

/* Tells one user. Must run inside the caller's write transaction. Skips (returns 0) a user who
 * does not exist or is disabled, and the acting user themself (nobody is told of their own
 * act). Returns 0, or -1 with c->err filled. */
int notify_user(struct ctx *c, int64_t user_id, const struct notice *n);

/* Tells every active user who administers or belongs to the organization (user_role rows with
 * that org_id), except the actor. Same transaction rule. Returns the number told, or -1. */
int notify_org(struct ctx *c, int64_t org_id, const struct notice *n);

/* Posts to the group robots bound to a scope string that a feature owns ("board:12"); no user
 * is told in the application. Same transaction rule. Returns 0 or -1. notify_org() also posts
 * to the robots bound to that organization. */
int notify_scope(struct ctx *c, const char *scope, const struct notice *n);

/* Sends `count` (1..100000) test notifications "notify.test" to one user in one transaction
 * (ACT_NOTIFY_ADMIN; audited once as notify.test). For operators checking delivery, and for
 * the tests and benchmarks. Returns 0, or -1 with c->err (404 no such active user). */
int notify_send_test(struct ctx *c, int64_t user_id, const char *message, int count);

/* The same for the robots of an organization (org_id > 0) or of a scope: `count` posts each,
 * numbered by {seq}. */
int notify_send_test_robots(struct ctx *c, int64_t org_id, const char *scope, const char *message,
			    int count);

/* ---- the reading side (notify_read.c): always the calling user's own notifications ---- */

struct notify_page {
	int unread_only; /* 1: only unread ones */
	int64_t page;    /* from 1 */
	int64_t per_page;
};

/* The rendered item of the current row of a statement whose columns are, in order: id, kind,
 * params, link, object_type, object_id, created_at, read_at (NOTIFY_ITEM_COLUMNS). Text in
 * lang from "notify.<kind>". New reference; the caller owns it. */
#define NOTIFY_ITEM_COLUMNS "id, kind, params, link, object_type, object_id, created_at, read_at"
json_t *notify_item_json(struct db_stmt *st, enum lang lang);

/* One page of the caller's notifications, newest first: {items, page, per_page, total,
 * unread_count}. NULL with c->err on failure. Caller owns the result. */
json_t *notify_list(struct ctx *c, const struct notify_page *p);
/* The caller's unread count, or -1 with c->err. */
int64_t notify_unread_count(struct ctx *c);
/* Marks one of the caller's notifications read (idempotent). 404 when it is not theirs. */
int notify_mark_read(struct ctx *c, int64_t id);
/* Marks all the caller's notifications read; returns how many changed, or -1. */
int64_t notify_mark_all_read(struct ctx *c);

#endif
