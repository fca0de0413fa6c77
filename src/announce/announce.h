/*
 * Announcements (通知公告): staff write a notice, address it to organizations, publish it, and
 * follow who has acknowledged it (已阅).
 *
 * The audience (all organizations, or by type, field, street, or a chosen list) is resolved to
 * organizations when the announcement is published and stored in announcement_org, so later
 * changes to an organization never change who was addressed. A street-limited staff member
 * only reaches the organizations of their street. Publishing notifies every user of every
 * addressed organization in the same transaction (one notification per user).
 *
 * Receipts: each user who acknowledges gets a row (announcement_read); the first of an
 * organization makes the organization "read" (announcement_org.first_read_at). "Remind those
 * who have not read" notifies the users of unread organizations again, at most once a day.
 */
#ifndef TONGXIN_ANNOUNCE_ANNOUNCE_H
#define TONGXIN_ANNOUNCE_ANNOUNCE_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

/* "all", "type", "field", "street", "orgs" (NULL-terminated). */
extern const char *const announce_audience_kinds[];

struct announce_input {
	const char *title;         /* 1..100 characters */
	const char *body;          /* Markdown, 1..20000 characters */
	const char *audience_kind; /* one of announce_audience_kinds */
	json_t *audience_values;   /* borrowed array: codes (type/field/street) or org ids (orgs) */
	int64_t version;           /* updates: the version read */
};

/* Reads and validates a create (update = 0) or update body; every bad field is reported. */
int announce_input_from_json(struct ctx *c, json_t *obj, int update, struct announce_input *in);
/* Creates a draft (ACT_ANNOUNCE_WRITE). 0 with *id, or -1. */
int announce_create(struct ctx *c, const struct announce_input *in, int64_t *id);
/* Changes a draft; NULL fields stay. 409 when published or stale. */
int announce_update(struct ctx *c, int64_t id, const struct announce_input *in);
/* Publishes a draft: resolves the audience, notifies. 409 when already published or when the
 * audience is empty. */
int announce_publish(struct ctx *c, int64_t id);
/* Notifies the users of organizations that have not read; at most once a day (409). Returns
 * the number of users told, or -1. */
int announce_remind(struct ctx *c, int64_t id);
/* The caller acknowledges for their organization(s). Idempotent. 403 when not addressed. */
int announce_ack(struct ctx *c, int64_t id);

/* One announcement as JSON (new reference), for senders and for addressed users (who also get
 * their own acknowledged_at). NULL with c->err (404/403). */
json_t *announce_get_json(struct ctx *c, int64_t id);
/* The sender's list: {items, total, page, per_page}, newest first. status may be NULL. */
json_t *announce_list_json(struct ctx *c, const char *status, int64_t page, int64_t per_page);
/* The caller's inbox: published announcements addressed to their organizations, with read_at
 * (null = unread) and unread_total. */
json_t *announce_inbox_json(struct ctx *c, int unread_only, int64_t page, int64_t per_page);
/* Receipts by organization: state "read" / "unread" / NULL (all), street (12 digits) or NULL. */
json_t *announce_receipts_json(struct ctx *c, int64_t id, const char *state, const char *street,
			       int64_t page, int64_t per_page);

/* Demo data: a few announcements, published, some read by part of the organizations. */
int announce_demo_load(struct ctx *c, unsigned seed);

#endif
