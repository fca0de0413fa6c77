/*
 * The delivery thread: sends what the outbox holds (robots, e-mail), with a lease per claimed
 * row, retries with exponential backoff, and a final 'failed' state an administrator can retry.
 */
#ifndef TONGXIN_NOTIFY_NOTIFY_DELIVERY_H
#define TONGXIN_NOTIFY_NOTIFY_DELIVERY_H
#include "core/ctx.h"

enum {
	DELIVERY_MAX_ATTEMPTS = 8,  /* then 'failed' */
	DELIVERY_LEASE_SECONDS = 30, /* a claimed row is another's again after this (crash) */
};

/* Claims and sends due rows until none are due (or `max` were handled). Uses c->db and
 * c->now. Returns the number handled (sent, deferred or failed), or -1 with c->err. Used by
 * the thread and by `tongxin tasks run notify.deliver`. */
int notify_deliver_due(struct ctx *c, int max);

/* The same as a periodic task (tongxin tasks run notify.deliver): up to 10000 rows. */
int notify_deliver_task(struct ctx *c);

/* Starts / stops the delivery thread (db_thread(); after server_start). The lease can be
 * shortened with TONGXIN_NOTIFY_LEASE (seconds) for tests. */
int notify_delivery_start(void);
void notify_delivery_stop(void);

#endif
