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

#endif
