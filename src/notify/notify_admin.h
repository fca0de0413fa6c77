/*
 * Administering delivery: group robots (webhooks), SMTP settings, the outbox's failed rows,
 * each user's e-mail preference, and the daily digest. Domain functions: they check the policy
 * themselves and audit every write (secrets and passwords are never written to the audit).
 */
#ifndef TONGXIN_NOTIFY_NOTIFY_ADMIN_H
#define TONGXIN_NOTIFY_NOTIFY_ADMIN_H
#include <jansson.h>
#include "core/ctx.h"

struct robot_input {
	const char *name, *kind, *url, *secret, *scope; /* NULL = not given */
	int64_t org_id;          /* 0 = none */
	int64_t rate_per_minute; /* 0 = not given */
	int enabled;             /* -1 = not given */
};

/* The kinds of robot: "wecom", "dingtalk", "feishu" (NULL-terminated). */
extern const char *const notify_robot_kinds[];

/* Adds a 422 error on the field url unless url is an address a robot of kind may post to
 * (its platform's official host over https: notify_robot_url.h); the message names that host.
 * kind NULL (not a known kind): any URL but a test host is refused with the generic message.
 * Returns 0, or -1 when it added the error. */
int notify_robot_url_check(struct ctx *c, const char *kind, const char *url);
/* All robots, masked: {items: [...]}. ACT_NOTIFY_ROBOTS. NULL with c->err. */
json_t *notify_robot_list(struct ctx *c);
/* One robot, masked (404). */
json_t *notify_robot_get(struct ctx *c, int64_t id);
/* Creates a robot (name, kind, url required; org_id or scope required; url the kind's official
 * host: notify_robot_url_check). Returns the id or -1. */
int64_t notify_robot_create(struct ctx *c, const struct robot_input *in);
/* Changes the given fields (a new kind or url: the pair as it will be must pass
 * notify_robot_url_check). 0 or -1 (403, 404, 422). */
int notify_robot_update(struct ctx *c, int64_t id, const struct robot_input *in);
int notify_robot_delete(struct ctx *c, int64_t id);
/* Queues a test message to the robot through the outbox. 0 or -1. */
int notify_robot_test(struct ctx *c, int64_t id);
/* "https://host/path?key=abcd****": a secret shown only by its first 4 characters. Arena. */
const char *notify_mask(struct ctx *c, const char *secret);

/* Outbox rows in a state ("pending", "sent", "failed", "digest"), newest first, one page:
 * {items, page, per_page, total}. ACT_NOTIFY_ADMIN. */
json_t *notify_outbox_list(struct ctx *c, const char *state, int64_t page, int64_t per_page);
/* A failed row back to pending, attempts 0, due now. 409 when it is not failed, 404. */
int notify_outbox_retry(struct ctx *c, int64_t id);

struct smtp_input {
	const char *host, *tls, *user, *password, *from; /* NULL = unchanged (password) */
	int64_t port;
};
/* {host, port, tls, user, from, password_set}. ACT_NOTIFY_ADMIN. */
json_t *notify_smtp_get(struct ctx *c);
int notify_smtp_put(struct ctx *c, const struct smtp_input *in);

/* The public base URL ("https://tongxin.example.gov.cn", no trailing slash) that makes the
 * links of e-mails and robot messages absolute: the administrator's setting, else the startup
 * value, else "" (links stay relative, e.g. "/meetings/12"). Arena or static storage. */
const char *notify_public_url(struct ctx *c);
/* Sets the startup value (tongxin serve --public-url / TONGXIN_PUBLIC_URL); once, before any
 * thread starts. */
void notify_configure_public_url(const char *url);
/* 1 for an acceptable base: http(s)://host[:port][/path], at most 200 characters, no
 * query, fragment, spaces or quotes. */
int notify_public_url_valid(const char *url);
/* {public_url (the administrator's setting), startup_url, effective, source: "setting" |
 * "startup" | "none"}. ACT_NOTIFY_ADMIN. */
json_t *notify_public_url_get(struct ctx *c);
/* Sets the administrator's value ("" clears it: the startup value, if any, applies again).
 * ACT_NOTIFY_ADMIN; 422 field public_url; audited. */
int notify_public_url_put(struct ctx *c, const char *url);

/* The caller's preference {email_mode, email}. */
json_t *notify_preferences_get(struct ctx *c);
/* email_mode: "immediate", "digest" or "off". */
int notify_preferences_put(struct ctx *c, const char *email_mode);

/* The digest task: one e-mail (an outbox row) per user with digest rows waiting; visits only
 * those users (partial index on state = 'digest'). Returns the number of users, or -1. */
int notify_digest_run(struct ctx *c);

#endif
