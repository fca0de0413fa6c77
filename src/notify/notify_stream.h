/*
 * Live notification streams (Server-Sent Events): the hub that wakes open streams when their
 * user's notifications are committed. The server starts it before serving and stops it before
 * MHD stops (it resumes every parked connection, as MHD requires).
 */
#ifndef TONGXIN_NOTIFY_NOTIFY_STREAM_H
#define TONGXIN_NOTIFY_NOTIFY_STREAM_H
#include "http/http.h"

/* Starts the hub thread (uses db_thread(), so after server_start set the database). 0 or -1. */
int notify_stream_start(void);
/* Ends every open stream, resumes the parked ones and joins the hub thread. Idempotent. */
void notify_stream_stop(void);
/* Open streams right now (for tests and the benchmark's log). */
int notify_stream_count(void);
/* The route handler (see notify_stream.c). */
int notify_stream_get(struct req *r);

#endif
