/*
 * The optional second factor: RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps) through
 * liboath. The secret must be stored on the server to check codes; it sits in
 * app_user.totp_secret as base32 text, pending until the user proves their authenticator
 * works (totp_enabled = 0), and is cleared when the factor is turned off. A code is accepted
 * for one step either side of now (clock drift), and never twice: totp_last_step remembers
 * the newest step used.
 */
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accounts/accounts_internal.h"
#include "audit/audit.h"

enum { TOTP_STEP = 30, TOTP_DIGITS = 6, TOTP_SECRET_BYTES = 20 };

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static void oath_start(void)
{
	oath_init();
}

static int is_code(const char *s)
{
	if (!s || strlen(s) != TOTP_DIGITS)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int totp_code_matches(struct ctx *c, const char *secret, const char *code, int64_t *last_step)
{
	pthread_once(&oath_once, oath_start);
	if (!is_code(code) || !secret)
		return 0;
	char *raw = NULL;
	size_t rawlen = 0;
	if (oath_base32_decode(secret, strlen(secret), &raw, &rawlen) != OATH_OK)
		return 0;
	int pos = 0;
	uint64_t counter = 0;
	int rc = oath_totp_validate3(raw, rawlen, (time_t)c->now, TOTP_STEP, 0, 1, &pos, &counter,
				     code);
	sodium_memzero(raw, rawlen);
	free(raw);
	if (rc < 0 || (int64_t)counter <= *last_step)
		return 0;
	*last_step = (int64_t)counter;
	return 1;
}

int totp_claim_step(struct ctx *c, int64_t user_id, int64_t step)
{
	/* the WHERE makes two concurrent uses of one code race for a single row update */
	return db_run(c->db,
		      "UPDATE app_user SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
		      "ll", step, user_id) == 1;
}

/* The signed-in user's second-factor state. 0, or -1 (c->err). secret is an arena copy. */
static int totp_state(struct ctx *c, int *enabled, const char **secret, int64_t *last_step)
{
	if (c->who->user_id <= 0 || c->who->token_id)
		return error_set(&c->err, E_FORBIDDEN, "accounts.session_required");
	struct db_stmt *st = db_query(
		c->db, "SELECT totp_enabled, totp_secret, totp_last_step FROM app_user WHERE id = $1",
		"l", c->who->user_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*enabled = (int)db_col_int(st, 0);
		*secret = db_col_isnull(st, 1) ? NULL : arena_strdup(c->arena, db_col_text(st, 1));
		*last_step = db_col_int(st, 2);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	return rc == DB_ROW ? 0 : error_set(&c->err, E_NOT_FOUND, NULL);
}

/* The new TOTP state and its audit action, for its transaction's step. */
struct totp_change {
	const char *secret;
	int enabled;
	int64_t last_step;
	const char *action;
};

static int totp_store_step(struct ctx *c, void *arg)
{
	struct totp_change *a = arg;
	if (db_run(c->db,
		   "UPDATE app_user SET totp_secret = $1, totp_enabled = $2, totp_last_step = $3, "
		   "updated_at = $4, version = version + 1 WHERE id = $5",
		   "silll", a->secret, a->enabled, a->last_step, c->now, c->who->user_id) != 1)
		return ctx_db_error(c);
	json_t *after = json_pack("{s:b}", "totp_enabled", a->enabled); /* never the secret */
	int arc = audit_append(c, a->action, "user", c->who->user_id, NULL, after);
	json_decref(after);
	return arc;
}

/* Writes the new state and its audit record in one transaction. */
static int totp_store(struct ctx *c, const char *secret, int enabled, int64_t last_step,
		      const char *action)
{
	struct totp_change a = {secret, enabled, last_step, action};
	return ctx_tx(c, totp_store_step, &a);
}

int accounts_totp_begin(struct ctx *c, char secret[ACCOUNTS_TOTP_SECRET_CHARS + 1],
			const char **uri)
{
	int enabled = 0;
	const char *old = NULL;
	int64_t last = 0;
	if (totp_state(c, &enabled, &old, &last) != 0)
		return -1;
	if (enabled)
		return error_set(&c->err, E_CONFLICT, "accounts.totp_already_on");
	pthread_once(&oath_once, oath_start);
	unsigned char raw[TOTP_SECRET_BYTES];
	randombytes_buf(raw, sizeof raw);
	char *b32 = NULL;
	size_t len = 0;
	int rc = oath_base32_encode((const char *)raw, sizeof raw, &b32, &len);
	sodium_memzero(raw, sizeof raw);
	if (rc != OATH_OK || len != ACCOUNTS_TOTP_SECRET_CHARS) {
		free(b32);
		return error_internal(&c->err, "base32 encoding failed");
	}
	memcpy(secret, b32, len + 1);
	free(b32);
	if (totp_store(c, secret, 0, 0, "user.totp_begin") != 0)
		return -1;
	char buf[256]; /* user names are [a-z0-9._-]: nothing to escape */
	snprintf(buf, sizeof buf,
		 "otpauth://totp/Tongxin:%s?secret=%s&issuer=Tongxin&algorithm=SHA1&digits=%d"
		 "&period=%d",
		 c->who->username, secret, TOTP_DIGITS, TOTP_STEP);
	*uri = arena_strdup(c->arena, buf);
	return 0;
}

int accounts_totp_confirm(struct ctx *c, const char *code)
{
	int enabled = 0;
	const char *secret = NULL;
	int64_t step = 0;
	if (totp_state(c, &enabled, &secret, &step) != 0)
		return -1;
	if (enabled)
		return error_set(&c->err, E_CONFLICT, "accounts.totp_already_on");
	if (!secret)
		return error_set(&c->err, E_CONFLICT, "accounts.totp_not_started");
	if (!totp_code_matches(c, secret, code, &step)) {
		error_field(&c->err, "code", "accounts.totp_wrong", 0);
		return -1;
	}
	return totp_store(c, secret, 1, step, "user.totp_enable");
}

int accounts_totp_disable(struct ctx *c, const char *code, const char *password)
{
	int enabled = 0;
	const char *secret = NULL;
	int64_t step = 0;
	if (totp_state(c, &enabled, &secret, &step) != 0)
		return -1;
	if (!secret)
		return error_set(&c->err, E_CONFLICT, "accounts.totp_off");
	if (code && *code) {
		/* a pending secret was never proven: any current code of it will do */
		if (!totp_code_matches(c, secret, code, &step)) {
			error_field(&c->err, "code", "accounts.totp_wrong", 0);
			return -1;
		}
	} else if (password && *password) {
		if (accounts_verify_own_password(c, password, "password") != 0)
			return -1;
	} else {
		error_field(&c->err, "code", "accounts.totp_proof_required", 0);
		return -1;
	}
	return totp_store(c, NULL, 0, 0, "user.totp_disable");
}
