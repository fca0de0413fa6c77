/*
 * Accounts, roles and sessions: the domain API (no HTTP here).
 *
 * Passwords are hashed with argon2id (libsodium, INTERACTIVE limits: ~0.1 s and 64 MiB), so
 * every function that hashes or verifies runs on the server's worker pool (ROUTE_SLOW), never on
 * a polling thread. Session tokens are 256-bit random values; only their SHA-256 is stored.
 */
#ifndef TONGXIN_ACCOUNTS_ACCOUNTS_H
#define TONGXIN_ACCOUNTS_ACCOUNTS_H
#include <jansson.h>
#include <stdio.h>
#include <stdint.h>
#include "core/ctx.h"

enum { ACCOUNTS_TOKEN_CHARS = 43 }; /* base64url of 32 bytes, no padding */

struct user_input {
	const char *username;     /* 3-32 of [a-z0-9._-], starting with a letter */
	const char *display_name; /* 1-64 characters */
	const char *email, *phone;
	const char *password;     /* checked by accounts_password_problem() */
	const char *jurisdiction; /* "" or NULL = whole district; else a 12-digit street code */
	unsigned roles;           /* ROLE_BIT()s */
	int64_t org_id;           /* the organization of org_admin / org_member (0 = none) */
};

/* Loads an active user's principal: roles, jurisdiction and organizations. 0, or -1 with
 * E_NOT_FOUND (no such active user). */
int accounts_principal_by_username(struct ctx *c, const char *username, struct principal *out);
int accounts_load_principal(struct ctx *c, int64_t user_id, struct principal *out);

/* Creates a user (ACT_USER_ADMIN). Validates every field; a taken username is E_DUPLICATE.
 * Audited without the password. Returns 0 and *id, or -1. */
int accounts_user_create(struct ctx *c, const struct user_input *in, int64_t *id);
int accounts_user_create_in_tx(struct ctx *c, const struct user_input *in, int64_t *id);

/* Sets a new password for a user (ACT_USER_ADMIN, or the user themselves). Ends the user's
 * other sessions. */
int accounts_set_password(struct ctx *c, int64_t user_id, const char *password,
			  int64_t keep_session_id);

/* NULL if the password is acceptable, else the message key of what is wrong. */
const char *accounts_password_problem(const char *password);
/* argon2id hash into a malloc'd string (caller frees), NULL on failure. */
char *accounts_hash_password(const char *password);

struct session_grant {
	char token[ACCOUNTS_TOKEN_CHARS + 1]; /* goes to the cookie; never stored */
	char csrf[ACCOUNTS_TOKEN_CHARS + 1];
	int64_t session_id;
	int64_t user_id;
	int64_t expires_at;
};

/* Checks a user name and password (constant work whether or not the user exists) and opens a
 * session. E_BAD_CREDENTIALS on any mismatch or a disabled account. */
int accounts_login(struct ctx *c, const char *username, const char *password,
		   struct session_grant *out);
/* Finds the session for a cookie token, applies idle and absolute timeouts (an expired one is
 * deleted and gives E_UNAUTHENTICATED with "accounts.session_expired"), refreshes last_seen at
 * most once a minute, and fills the principal (with session_id and csrf_token). */
int accounts_session_principal(struct ctx *c, const char *token, struct principal *out);
int accounts_logout(struct ctx *c, int64_t session_id);
/* Finds an API token (Authorization: Bearer), checks it is neither revoked nor expired, and
 * fills the principal with the token's one role only. E_UNAUTHENTICATED "accounts.bad_token". */
int accounts_token_principal(struct ctx *c, const char *token, struct principal *out);

/* The signed-in user as /api/v1/me shows it. New reference. */
json_t *accounts_me_json(struct ctx *c);

/* Seconds of inactivity and of total age after which a session ends
 * (TONGXIN_SESSION_IDLE, TONGXIN_SESSION_MAX; defaults 2 h and 12 h). */
int64_t accounts_session_idle_seconds(void);
int64_t accounts_session_max_seconds(void);

/* SHA-256 of a token as 64 hex characters into out[65]. */
void accounts_token_hash(const char *token, char out[65]);
/* A fresh random token (base64url, 43 chars) into out[44]. */
void accounts_new_token(char out[ACCOUNTS_TOKEN_CHARS + 1]);

/* Demo accounts, one per role, all with the demo password; org_id is the organization the demo
 * org_admin and org_member belong to; street is the street of the street-limited staff. */
extern const char accounts_demo_password[];
int accounts_demo_load(struct ctx *c, int64_t org_id, const char *street);
/* Prints the demo accounts table. */
void accounts_demo_print(FILE *out);

#endif
