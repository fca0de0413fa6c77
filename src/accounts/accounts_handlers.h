/*
 * The accounts module's route handlers, spread over accounts_api.c (sessions, /me),
 * accounts_me_api.c (the user's own password, second factor and tokens) and
 * accounts_users_api.c (user administration); the route table in accounts_api.c lists them.
 */
#ifndef TONGXIN_ACCOUNTS_HANDLERS_H
#define TONGXIN_ACCOUNTS_HANDLERS_H
#include "http/http.h"

/* Reads a password-like field as sent (no trimming: spaces may be part of it). Adds
 * field.required / field.type_string when required and missing. *out NULL when absent. */
void accounts_read_secret(struct req *r, json_t *body, const char *field, int required,
			  const char **out);

/* The role names as a NULL-terminated list for v_choice (request arena). */
const char *const *accounts_role_choices(struct req *r);

int me_password_change(struct req *r);
int me_totp_begin(struct req *r);
int me_totp_confirm(struct req *r);
int me_totp_disable(struct req *r);
int me_tokens_list(struct req *r);
int me_tokens_create(struct req *r);
int me_tokens_revoke(struct req *r);

int users_list(struct req *r);
int users_create(struct req *r);
int users_get(struct req *r);
int users_update(struct req *r);
int users_password_reset(struct req *r);
int users_token_revoke(struct req *r);

#endif
