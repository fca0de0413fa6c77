/*
 * Robots and e-mail over libcurl. Signatures (DOMAIN.md, "Group-robot webhooks"):
 *   DingTalk: sign = urlencode(base64(HMAC-SHA256(key = secret, msg = MS + "\n" + secret))),
 *             appended to the URL with &timestamp=MS&sign=...; markdown body; MS milliseconds.
 *   Feishu:   sign = base64(HMAC-SHA256(key = SECONDS + "\n" + secret, msg = "")), in the JSON
 *             body with "timestamp" (seconds, as a string) and msg_type text.
 *   WeCom:    no signature (the key is in the URL); text body, content at most 2048 bytes.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "notify/notify_channels.h"
#include "notify/notify_robot_url.h"

enum { WECOM_TEXT_MAX = 2048, DINGTALK_TEXT_MAX = 4096, FEISHU_TEXT_MAX = 4096 };

size_t channel_utf8_prefix(const char *text, size_t max)
{
	size_t n = strlen(text);
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--; /* back to the first byte of the character that would be cut */
	return n;
}

/* base64(HMAC-SHA256(key, msg)) into out (at least 45 bytes). */
static void hmac_base64(const char *key, size_t keylen, const char *msg, size_t msglen,
			char out[64])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, msglen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, 64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
}

static void dingtalk_request(const char *url, const char *secret, const char *title,
			     const char *text, int64_t now_ms, struct buf *u, struct buf *b)
{
	buf_puts(u, url);
	if (secret && *secret) {
		struct buf msg = {0};
		buf_printf(&msg, "%lld\n%s", (long long)now_ms, secret);
		char sign[64];
		hmac_base64(secret, strlen(secret), msg.data, msg.len, sign);
		buf_free(&msg);
		char *escaped = curl_easy_escape(NULL, sign, 0);
		buf_printf(u, "%stimestamp=%lld&sign=%s", strchr(url, '?') ? "&" : "?",
			   (long long)now_ms, escaped);
		curl_free(escaped);
	}
	json_t *j = json_pack("{s:s, s:{s:s, s:s%}}", "msgtype", "markdown", "markdown", "title",
			      title, "text", text, channel_utf8_prefix(text, DINGTALK_TEXT_MAX));
	char *s = json_dumps(j, JSON_COMPACT);
	buf_puts(b, s);
	free(s);
	json_decref(j);
}

static void feishu_request(const char *url, const char *secret, const char *text,
			   int64_t now_ms, struct buf *u, struct buf *b)
{
	buf_puts(u, url);
	json_t *j = json_pack("{s:s, s:{s:s%}}", "msg_type", "text", "content", "text", text,
			      channel_utf8_prefix(text, FEISHU_TEXT_MAX));
	if (secret && *secret) {
		char ts[32], sign[64];
		snprintf(ts, sizeof ts, "%lld", (long long)(now_ms / 1000));
		struct buf key = {0};
		buf_printf(&key, "%s\n%s", ts, secret);
		hmac_base64(key.data, key.len, "", 0, sign);
		buf_free(&key);
		json_object_set_new(j, "timestamp", json_string(ts));
		json_object_set_new(j, "sign", json_string(sign));
	}
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	buf_puts(b, s);
	free(s);
	json_decref(j);
}

int channel_robot_request(const char *kind, const char *url, const char *secret,
			  const char *title, const char *text, int64_t now_ms,
			  struct buf *url_out, struct buf *body_out)
{
	if (strcmp(kind, "dingtalk") == 0) {
		dingtalk_request(url, secret, title, text, now_ms, url_out, body_out);
	} else if (strcmp(kind, "feishu") == 0) {
		feishu_request(url, secret, text, now_ms, url_out, body_out);
	} else if (strcmp(kind, "wecom") == 0) {
		buf_puts(url_out, url);
		json_t *j = json_pack("{s:s, s:{s:s%}}", "msgtype", "text", "text", "content", text,
				      channel_utf8_prefix(text, WECOM_TEXT_MAX));
		char *s = json_dumps(j, JSON_COMPACT);
		buf_puts(body_out, s);
		free(s);
		json_decref(j);
	} else {
		return -1;
	}
	return 0;
}

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	if (b->len < 4096)
		buf_append(b, ptr, size * n);
	return size * n;
}

/* The robots answer 200 with {"errcode": N} (WeCom, DingTalk) or {"code": N} (Feishu). */
static int answer_ok(const struct buf *answer)
{
	json_t *j = answer->data ? json_loads(answer->data, 0, NULL) : NULL;
	if (!j)
		return 1;
	json_t *code = json_object_get(j, "errcode");
	if (!code)
		code = json_object_get(j, "code");
	if (!code)
		code = json_object_get(j, "StatusCode");
	int ok = !json_is_integer(code) || json_integer_value(code) == 0;
	json_decref(j);
	return ok;
}

int channel_robot_send(const char *kind, const char *url, const char *secret, const char *title,
		       const char *text, char err[CHANNEL_ERROR_SIZE])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	struct buf u = {0}, b = {0}, answer = {0};
	if (channel_robot_request(kind, url, secret, title, text, now_ms, &u, &b) != 0) {
		snprintf(err, CHANNEL_ERROR_SIZE, "unknown robot kind %s", kind);
		return -1;
	}
	/* the saved URL was checked when it was saved; checked again here because the rule may be
	 * newer than the robot, and the database is not the only way a URL gets there */
	const char *problem = notify_robot_url_problem(kind, u.data);
	if (problem) {
		snprintf(err, CHANNEL_ERROR_SIZE, "robot URL refused (%s)", problem);
		buf_free(&u);
		buf_free(&b);
		return -2;
	}
	CURL *curl = curl_easy_init();
	struct curl_slist *resolve = NULL;
	if (notify_robot_url_pin(curl, u.data, &resolve, err, CHANNEL_ERROR_SIZE) != 0) {
		curl_easy_cleanup(curl);
		buf_free(&u);
		buf_free(&b);
		return -1;
	}
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, u.data);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, b.data);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)b.len);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 15L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
	CURLcode rc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	int result = -1;
	if (rc != CURLE_OK)
		snprintf(err, CHANNEL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
	else if (status < 200 || status > 299)
		snprintf(err, CHANNEL_ERROR_SIZE, "HTTP %ld", status);
	else if (!answer_ok(&answer))
		snprintf(err, CHANNEL_ERROR_SIZE, "robot refused: %.150s", answer.data);
	else
		result = 0;
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	curl_slist_free_all(resolve);
	buf_free(&u);
	buf_free(&b);
	buf_free(&answer);
	return result;
}

struct upload {
	const char *data;
	size_t len, pos;
};

static size_t upload_read(char *ptr, size_t size, size_t n, void *arg)
{
	struct upload *up = arg;
	size_t room = size * n, left = up->len - up->pos;
	size_t k = left < room ? left : room;
	memcpy(ptr, up->data + up->pos, k);
	up->pos += k;
	return k;
}

/* RFC 2047 encoded-word for a UTF-8 subject. */
static void subject_header(struct buf *b, const char *subject)
{
	size_t n = strlen(subject);
	char *enc = xmalloc(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL));
	sodium_bin2base64(enc, sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL),
			  (const unsigned char *)subject, n, sodium_base64_VARIANT_ORIGINAL);
	buf_printf(b, "Subject: =?UTF-8?B?%s?=\r\n", enc);
	free(enc);
}

int channel_email_send(const struct smtp_settings *s, const char *to, const char *subject,
		       const char *body, char err[CHANNEL_ERROR_SIZE])
{
	struct buf msg = {0}, url = {0};
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(&msg, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\n", date, s->from, to);
	subject_header(&msg, subject);
	buf_puts(&msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		       "Content-Transfer-Encoding: 8bit\r\n\r\n");
	for (const char *p = body; *p; p++) { /* bare LF -> CRLF, as SMTP wants */
		if (*p == '\n')
			buf_putc(&msg, '\r');
		buf_putc(&msg, *p);
	}
	buf_puts(&msg, "\r\n");
	buf_printf(&url, "%s://%s:%d", strcmp(s->tls, "tls") == 0 ? "smtps" : "smtp", s->host,
		   s->port);
	struct upload up = {msg.data, msg.len, 0};
	char from[300];
	snprintf(from, sizeof from, "<%s>", s->from);
	char rcpt_addr[300];
	snprintf(rcpt_addr, sizeof rcpt_addr, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_addr);
	CURL *curl = curl_easy_init();
	curl_easy_setopt(curl, CURLOPT_URL, url.data);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	if (strcmp(s->tls, "starttls") == 0)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (s->user[0]) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, s->password);
	}
	CURLcode rc = curl_easy_perform(curl);
	if (rc != CURLE_OK)
		snprintf(err, CHANNEL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	buf_free(&msg);
	buf_free(&url);
	return rc == CURLE_OK ? 0 : -1;
}
