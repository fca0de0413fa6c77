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
enum { ACCOUNTS_MAX_GRANTS = 16 };

/* One role of a user; org_id is the organization of org_admin / org_member, else 0. */
struct role_grant {
	enum role role;
	int64_t org_id;
};

/* Fills g[] from the CLI shape (roles bitmask + one org_id); returns the count. */
int accounts_grants_from_mask(unsigned roles, int64_t org_id,
			      struct role_grant g[ACCOUNTS_MAX_GRANTS]);

struct user_input {
	const char *username;     /* 3-32 of [a-z0-9._-], starting with a letter */
	const char *display_name; /* 1-64 characters */
	const char *email, *phone;
	const char *password;     /* checked by accounts_password_problem() */
	const char *password_hash; /* argon2id of password when the caller hashed it already */
	const char *jurisdiction; /* "" or NULL = whole district; else a 12-digit street code */
	unsigned roles;           /* ROLE_BIT()s */
	int64_t org_id;           /* the organization of org_admin / org_member (0 = none) */
	/* Instead of roles + org_id (the CLI's shape): the roles one by one, each org role with
	 * its own organization (the API's shape). Used when ngrants > 0. Field errors then name
	 * "roles[i].role" / "roles[i].org_id". */
	const struct role_grant *grants;
	int ngrants;
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
 * other sessions; when an administrator sets it, the user must change it at next sign-in and
 * the account's failed sign-ins are forgotten. A bad password is a field error on "password". */
int accounts_set_password(struct ctx *c, int64_t user_id, const char *password,
			  int64_t keep_session_id);
/* The same for the administrator's reset (ACT_USER_ADMIN; field errors on "new_password");
 * ends every session of the user. */
int accounts_reset_password(struct ctx *c, int64_t user_id, const char *new_password);
/* The signed-in user changes their own password: checks the login throttle, verifies
 * current_password (a wrong one is a field error on current_password and counts as a failed
 * sign-in), validates new_password, and ends every other session (keeps c->who's). Slow. */
int accounts_change_own_password(struct ctx *c, const char *current_password,
				 const char *new_password);

/* ---------------------------------------------------------------- user administration */

struct user_query {
	const char *q;       /* part of the user name or display name; NULL = any */
	const char *role;    /* role name; NULL = any */
	const char *status;  /* "active" / "disabled"; NULL = any */
	int64_t page, per_page;
};
/* {items, total, page, per_page}, phones masked (ACT_USER_ADMIN). New reference or NULL. */
json_t *accounts_user_list_json(struct ctx *c, const struct user_query *q);
/* One user with full contact details and API tokens (ACT_USER_ADMIN). New reference, or NULL
 * with E_NOT_FOUND. */
json_t *accounts_user_get_json(struct ctx *c, int64_t id);

/* Fields an administrator changes; NULL / 0 = unchanged. */
struct user_patch {
	int64_t version;          /* the version the caller saw (stale -> E_STALE); 0 = no check
				   * (the CLI, whose operator sees the current state) */
	const char *display_name;
	const char *email, *phone; /* "" clears */
	const char *status;       /* "active" or "disabled" (disabling ends every session) */
	const char *jurisdiction; /* "" = the whole district */
	int set_roles;            /* 1: replace the roles with grants[0..ngrants) */
	const struct role_grant *grants;
	int ngrants;
	int totp_off;             /* 1: turn the second factor off (lost phone) */
};
/* Applies a patch (ACT_USER_ADMIN), validating every field first; refuses (E_CONFLICT) to
 * leave no active administrator. Audited with the changed fields only. */
int accounts_user_update(struct ctx *c, int64_t id, const struct user_patch *p);
/* The user id of a user name (any status), or 0. */
int64_t accounts_user_id(struct ctx *c, const char *username);

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
 * session. Before any hashing, refuses a throttled account or address (E_THROTTLED with
 * retry_after). E_BAD_CREDENTIALS on any mismatch or a disabled account; with a second
 * factor on, E_TOTP_REQUIRED when `totp` is NULL/empty and E_BAD_CREDENTIALS when wrong.
 * Mismatches are recorded as failed sign-ins; a success forgets the account's failures and
 * deletes expired sessions. */
int accounts_login(struct ctx *c, const char *username, const char *password, const char *totp,
		   struct session_grant *out);
/* Finds the session for a cookie token, applies idle and absolute timeouts (an expired one is
 * deleted and gives E_UNAUTHENTICATED with "accounts.session_expired"), refreshes last_seen at
 * most once a minute, and fills the principal (with session_id and csrf_token). */
int accounts_session_principal(struct ctx *c, const char *token, struct principal *out);
int accounts_logout(struct ctx *c, int64_t session_id);
/* Finds an API token (Authorization: Bearer), checks it is neither revoked nor expired, and
 * fills the principal with the token's one role only (and only if the owner still holds it,
 * and is active). Refreshes last_used_at at most once a minute. E_UNAUTHENTICATED
 * "accounts.bad_token". */
int accounts_token_principal(struct ctx *c, const char *token, struct principal *out);

/* ---------------------------------------------------------------- API tokens */

enum { ACCOUNTS_API_TOKEN_CHARS = 3 + ACCOUNTS_TOKEN_CHARS }; /* "tx_" + 43 */

struct token_grant {
	char token[ACCOUNTS_API_TOKEN_CHARS + 1]; /* shown once; only its SHA-256 is stored */
	int64_t id;
	int64_t expires_at; /* 0 = never */
};
/* Creates a token for the signed-in user acting as `role`, which the caller must hold now
 * (a field error on "role" otherwise); not from an API token itself (E_FORBIDDEN).
 * expires_in_days 0 = never. Audited without the token. */
int accounts_token_create(struct ctx *c, const char *name, enum role role,
			  int64_t expires_in_days, struct token_grant *out);
/* The tokens of a user (self, or ACT_USER_ADMIN), newest first, revoked ones included.
 * New reference, or NULL with c->err. */
json_t *accounts_token_list_json(struct ctx *c, int64_t user_id);
/* Revokes a token of a user (self, or ACT_USER_ADMIN). E_NOT_FOUND when the token is not
 * that user's; revoking a revoked token is a no-op. */
int accounts_token_revoke(struct ctx *c, int64_t user_id, int64_t token_id);

/* ---------------------------------------------------------------- second factor (TOTP) */

enum { ACCOUNTS_TOTP_SECRET_CHARS = 32 }; /* base32 of 20 bytes */

/* Starts enrolment for the signed-in user: stores a new secret as pending and returns it and
 * an otpauth:// URI (arena). E_CONFLICT when the second factor is already on. */
int accounts_totp_begin(struct ctx *c, char secret[ACCOUNTS_TOTP_SECRET_CHARS + 1],
			const char **uri);
/* Turns the second factor on when `code` matches the pending secret (field error on "code"). */
int accounts_totp_confirm(struct ctx *c, const char *code);
/* Turns it off; proof is a current code or the password (one of them; field errors on
 * "code" / "password"). A wrong password counts as a failed sign-in. Slow with a password. */
int accounts_totp_disable(struct ctx *c, const char *code, const char *password);

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
