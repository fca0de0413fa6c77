/*
 * The signed-in user's own credentials: password, second factor, API tokens.
 */
#include <string.h>
#include "accounts/accounts.h"
#include "accounts/accounts_handlers.h"
#include "core/validate.h"

/*
 * POST /api/v1/me/password — any signed-in user (a session, not an API token); slow.
 * Body {current_password, new_password}. 204; every other session of the user ends.
 * Errors: 422 (current_password wrong — counts as a failed sign-in; new_password too short,
 * weak or unchanged), 429 when the account is locked, 403 with an API token.
 */
int me_password_change(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"current_password", "new_password", NULL};
	const char *current = NULL, *fresh = NULL;
	v_no_unknown_fields(&r->c, body, allowed);
	accounts_read_secret(r, body, "current_password", V_REQUIRED, &current);
	accounts_read_secret(r, body, "new_password", V_REQUIRED, &fresh);
	if (error_check(&r->c.err) != 0)
		return -1;
	if (accounts_change_own_password(&r->c, current, fresh) != 0)
		return -1;
	return reply_no_content(r);
}

/*
 * POST /api/v1/me/totp — any signed-in user (session). No body. 200 {secret, otpauth_uri}:
 * the secret is pending until confirmed. Errors: 409 when the second factor is already on.
 */
int me_totp_begin(struct req *r)
{
	char secret[ACCOUNTS_TOTP_SECRET_CHARS + 1];
	const char *uri = NULL;
	if (accounts_totp_begin(&r->c, secret, &uri) != 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:s, s:s}", "secret", secret, "otpauth_uri", uri));
}

/*
 * POST /api/v1/me/totp/confirm — any signed-in user (session). Body {code}. 204: from now on
 * signing in needs a code. Errors: 422 wrong code, 409 not started or already on.
 */
int me_totp_confirm(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"code", NULL};
	const char *code = NULL;
	v_no_unknown_fields(&r->c, body, allowed);
	v_string(&r->c, body, "code", V_REQUIRED, 16, &code);
	if (error_check(&r->c.err) != 0)
		return -1;
	if (accounts_totp_confirm(&r->c, code) != 0)
		return -1;
	return reply_no_content(r);
}

/*
 * DELETE /api/v1/me/totp — any signed-in user (session); slow (a password may be hashed).
 * Body {code} or {password}. 204. Errors: 422 wrong or missing proof, 409 not on, 429 when a
 * password is checked for a locked account.
 */
int me_totp_disable(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"code", "password", NULL};
	const char *code = NULL, *password = NULL;
	v_no_unknown_fields(&r->c, body, allowed);
	v_string(&r->c, body, "code", V_OPTIONAL, 16, &code);
	accounts_read_secret(r, body, "password", V_OPTIONAL, &password);
	if (error_check(&r->c.err) != 0)
		return -1;
	if (accounts_totp_disable(&r->c, code, password) != 0)
		return -1;
	return reply_no_content(r);
}

/* GET /api/v1/me/tokens — any signed-in user. {items: [{id, name, role, created_at,
 * expires_at, last_used_at, revoked_at}]}, newest first; never the tokens themselves. */
int me_tokens_list(struct req *r)
{
	json_t *items = accounts_token_list_json(&r->c, r->who.user_id);
	if (!items)
		return -1;
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/*
 * POST /api/v1/me/tokens — any signed-in user (a session, not a token).
 * Body {name, role, expires_in_days?} (role: one the user holds; days 1..3650, absent =
 * never). 201 {id, name, role, created_at, expires_at, token}: the token is shown this once.
 * Errors: 422 (name, role not one of the user's, days out of range), 403 with a token.
 */
int me_tokens_create(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"name", "role", "expires_in_days", NULL};
	const char *name = NULL, *role = NULL;
	int64_t days = 0;
	v_no_unknown_fields(&r->c, body, allowed);
	v_string(&r->c, body, "name", V_REQUIRED, 64, &name);
	v_choice(&r->c, body, "role", V_REQUIRED, accounts_role_choices(r), &role);
	v_int(&r->c, body, "expires_in_days", V_OPTIONAL, 1, 3650, &days, NULL);
	if (error_check(&r->c.err) != 0)
		return -1;
	struct token_grant g;
	if (accounts_token_create(&r->c, name, (enum role)role_from_name(role), days, &g) != 0)
		return -1;
	json_t *out = json_pack("{s:I, s:s, s:s, s:I, s:o, s:s}", "id", (json_int_t)g.id, "name",
				name, "role", role, "created_at", (json_int_t)r->c.now,
				"expires_at",
				g.expires_at ? json_integer(g.expires_at) : json_null(), "token",
				g.token);
	return reply_json(r, 201, out);
}

/* DELETE /api/v1/me/tokens/{id} — any signed-in user, their own tokens. 204 (also when it
 * was already revoked). Errors: 404 not one of the user's tokens. */
int me_tokens_revoke(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	if (accounts_token_revoke(&r->c, r->who.user_id, id) != 0)
		return -1;
	return reply_no_content(r);
}
