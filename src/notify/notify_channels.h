/*
 * The channels that carry a notification outside the application: group-robot webhooks
 * (WeCom, DingTalk, Feishu, formats and signatures as in docs/shared DOMAIN.md) and e-mail over
 * SMTP. Each sends one message synchronously with libcurl and says whether the receiver took it.
 * No database access here: the delivery thread (notify_delivery.c) decides what to send.
 */
#ifndef TONGXIN_NOTIFY_NOTIFY_CHANNELS_H
#define TONGXIN_NOTIFY_NOTIFY_CHANNELS_H
#include <stddef.h>
#include <stdint.h>
#include "lib/mem.h"

enum { CHANNEL_ERROR_SIZE = 200 };

/* The JSON body (and for DingTalk the signed URL) of a robot message. kind is "wecom",
 * "dingtalk" or "feishu"; now_ms is the signing time in milliseconds. Fills *url_out (the URL
 * to post to) and *body_out; both are the caller's (buf_free). Returns 0, or -1 for an unknown
 * kind. Exposed for the unit tests of the signatures. */
int channel_robot_request(const char *kind, const char *url, const char *secret,
			  const char *title, const char *text, int64_t now_ms,
			  struct buf *url_out, struct buf *body_out);

/* Posts a robot message to its official host only (notify_robot_url.h: the URL is checked,
 * the host resolved once, every address checked and pinned, no redirects). 0 when the receiver
 * answered 2xx and (if it answered JSON) an errcode/code of 0; -2 when the URL is not one a
 * robot of this kind may post to (retrying cannot help); else -1; err says why. */
int channel_robot_send(const char *kind, const char *url, const char *secret, const char *title,
		       const char *text, char err[CHANNEL_ERROR_SIZE]);

struct smtp_settings {
	char host[256];
	int port;          /* 25, 465, 587 ... */
	char tls[16];      /* "none", "starttls" (required), "tls" (implicit, smtps) */
	char user[256];
	char password[256];
	char from[256];    /* the sender address */
};

/* Sends one plain-text UTF-8 e-mail. 0 when the server accepted it, else -1 with err. */
int channel_email_send(const struct smtp_settings *s, const char *to, const char *subject,
		       const char *body, char err[CHANNEL_ERROR_SIZE]);

/* The longest prefix of text that fits max bytes without cutting a UTF-8 character. */
size_t channel_utf8_prefix(const char *text, size_t max);

#endif
