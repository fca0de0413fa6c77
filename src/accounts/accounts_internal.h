/*
 * Shared by the accounts module's own files only (not part of the domain API in accounts.h).
 */
#ifndef TONGXIN_ACCOUNTS_INTERNAL_H
#define TONGXIN_ACCOUNTS_INTERNAL_H
#include "accounts/accounts.h"

/* ---- login throttling (accounts_throttle.c)
 * Limits come from the environment so tests can use small numbers:
 *   TONGXIN_LOGIN_MAX_FAILURES          failures per account within the window (5)
 *   TONGXIN_LOGIN_MAX_ADDRESS_FAILURES  failures per address within the window (20)
 *   TONGXIN_LOGIN_WINDOW                seconds (900)
 *   TONGXIN_LOGIN_LOCKOUT               seconds an account stays locked (900) */

/* 0 when the user name and c->remote_addr may try to sign in; else -1 with E_THROTTLED,
 * retry_after and a message saying how many minutes to wait. Cheap: no hashing. */
int throttle_check(struct ctx *c, const char *username);
/* Records a failed attempt for the user name and address, and prunes rows too old to
 * matter. Keeps c->err as it is. */
void throttle_record_failure(struct ctx *c, const char *username);
/* Forgets the failures of an account (after a success or an administrator's reset). */
void throttle_clear(struct ctx *c, const char *username);

/* ---- passwords (accounts.c) */
/* A hash to verify against when there is no user, so every check costs the same. */
const char *accounts_dummy_hash(void);
/* Verifies the signed-in user's password, throttled like a sign-in: on a wrong password adds
 * a field error on `field` and records a failure. 0 if right, -1 otherwise (c->err set). */
int accounts_verify_own_password(struct ctx *c, const char *password, const char *field);
/* Deletes every session of a user except keep_session_id (0 = all); inside a transaction. */
int accounts_end_sessions_in_tx(struct ctx *c, int64_t user_id, int64_t keep_session_id);

/* ---- second factor (accounts_totp.c) */
/* 1 if `code` is a current TOTP code (±1 step) for the base32 secret at c->now and its step
 * is after *last_step (no reuse); *last_step is set to the matched step. 0 otherwise. */
int totp_code_matches(struct ctx *c, const char *secret, const char *code, int64_t *last_step);
/* Records the step of an accepted code unless a concurrent request used it first: 1 if this
 * request won, 0 if not. */
int totp_claim_step(struct ctx *c, int64_t user_id, int64_t step);

/* ---- users (accounts.c / accounts_users.c) */
/* Validates and checks grants (one list from either shape of user_input); -1 with field
 * errors. `from_list`: field names "roles[i]..." (else "roles" / "org_id"). */
void accounts_validate_grants(struct ctx *c, const struct role_grant *g, int n, int from_list);
/* Inserts the grants for a user inside a transaction (checking each organization exists);
 * returns the role names as a JSON array for the audit record, or NULL with c->err. */
json_t *accounts_insert_grants_in_tx(struct ctx *c, int64_t user_id, const struct role_grant *g,
				     int n, int from_list);
/* 138****5678. Arena copy; NULL for NULL. */
const char *accounts_mask_phone(struct ctx *c, const char *phone);

#endif
