/*
 * User administration routes (system administrators). The domain functions check
 * ACT_USER_ADMIN themselves; the route table only keeps everyone else from reaching them.
 */
#include <string.h>
#include "accounts/accounts.h"
#include "accounts/accounts_handlers.h"
#include "core/validate.h"

/* GET /api/v1/users?q=&role=&status=&page=&per_page= — admin. {items, total, page, per_page},
 * sorted by user name, phones masked. Errors: 422 bad role/status/page/per_page. */
int users_list(struct req *r)
{
	struct user_query q = {0};
	q.q = req_query(r, "q");
	q.role = req_query(r, "role");
	q.status = req_query(r, "status");
	if (q.role && *q.role && role_from_name(q.role) < 0)
		error_field(&r->c.err, "role", "field.bad_choice", 0);
	if (q.status && *q.status && strcmp(q.status, "active") != 0 &&
	    strcmp(q.status, "disabled") != 0)
		error_field(&r->c.err, "status", "field.bad_choice", 0);
	req_query_int(r, "page", 1, 1, 1000000, &q.page);
	req_query_int(r, "per_page", 50, 1, 200, &q.per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *out = accounts_user_list_json(&r->c, &q);
	return out ? reply_json(r, 200, out) : -1;
}

enum { LOOSE = 1000 }; /* length limit of the type check; the domain has the real ones */

/* Reads "roles": [{role, org_id?} or "role", ...] into g (field errors roles[i]...). Returns
 * 1 if the field was sent, 0 if not. */
static int read_grants(struct req *r, json_t *body, struct role_grant *g, int *n)
{
	json_t *arr = json_object_get(body, "roles"), *v;
	size_t i;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > ACCOUNTS_MAX_GRANTS) {
		error_field(&r->c.err, "roles",
			    json_is_array(arr) ? "field.too_many" : "field.type_array",
			    ACCOUNTS_MAX_GRANTS);
		return 1;
	}
	json_array_foreach(arr, i, v)
	{
		char field[64];
		json_t *role = json_is_object(v) ? json_object_get(v, "role") : v;
		json_t *org = json_is_object(v) ? json_object_get(v, "org_id") : NULL;
		int rn = role_from_name(json_string_value(role)); /* the domain reports < 0 */
		snprintf(field, sizeof field, "roles[%zu].org_id", i);
		if (org && !json_is_null(org) && !json_is_integer(org))
			error_field(&r->c.err, field, "field.type_integer", 0);
		g[*n].role = rn < 0 ? ROLE__MAX : (enum role)rn;
		g[(*n)++].org_id = json_is_integer(org) ? json_integer_value(org) : 0;
	}
	return 1;
}

/*
 * POST /api/v1/users — admin; slow (the password is hashed). Body {username, display_name,
 * password, email?, phone?, jurisdiction?, roles: [{role, org_id?}]}. 201 the user.
 * Errors: 422 every bad field at once, 409 duplicate user name.
 */
int users_create(struct req *r)
{
	json_t *body;
	if (req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"username", "display_name", "password", "email",
					      "phone",    "jurisdiction", "roles",    NULL};
	struct user_input in = {0};
	struct role_grant grants[ACCOUNTS_MAX_GRANTS];
	/* Only types here: the domain checks the values (as for the CLI) and, having found
	 * any field error here too, answers with all of them together. */
	v_no_unknown_fields(&r->c, body, allowed);
	v_string(&r->c, body, "username", V_OPTIONAL, LOOSE, &in.username);
	v_string(&r->c, body, "display_name", V_OPTIONAL, LOOSE, &in.display_name);
	accounts_read_secret(r, body, "password", V_OPTIONAL, &in.password);
	v_string(&r->c, body, "email", V_OPTIONAL, LOOSE, &in.email);
	v_string(&r->c, body, "phone", V_OPTIONAL, LOOSE, &in.phone);
	v_string(&r->c, body, "jurisdiction", V_OPTIONAL, LOOSE, &in.jurisdiction);
	read_grants(r, body, grants, &in.ngrants);
	in.grants = grants;
	int64_t id;
	if (accounts_user_create(&r->c, &in, &id) != 0)
		return -1;
	json_t *out = accounts_user_get_json(&r->c, id);
	return out ? reply_json(r, 201, out) : -1;
}

/* GET /api/v1/users/{id} — admin. The user with full contact details, roles and API tokens.
 * Errors: 404. */
int users_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *out = accounts_user_get_json(&r->c, id);
	return out ? reply_json(r, 200, out) : -1;
}

/* A field that may be cleared: absent -> NULL (unchanged), empty or null -> "". */
static void read_clearable(struct req *r, json_t *body, const char *field, size_t max,
			   const char **out)
{
	*out = NULL;
	if (!json_object_get(body, field))
		return;
	if (v_string(&r->c, body, field, V_OPTIONAL, max, out) == 0 && !*out)
		*out = "";
}

/*
 * PATCH /api/v1/users/{id} — admin. Body {version, display_name?, email?, phone?, status?
 * ("active"/"disabled"), jurisdiction? ("" = whole district), roles? [{role, org_id?}],
 * totp_enabled? (false only: turn off a lost second factor)}. 200 the user.
 * Disabling ends the user's sessions (their API tokens stop working while disabled).
 * Errors: 422 every bad field, 404, 409 stale_version, 409 conflict (no active admin left).
 */
int users_update(struct req *r)
{
	int64_t id;
	json_t *body;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"version", "display_name", "email",
					      "phone",   "status",       "jurisdiction",
					      "roles",   "totp_enabled", NULL};
	static const char *const statuses[] = {"active", "disabled", NULL};
	struct user_patch p = {0};
	struct role_grant grants[ACCOUNTS_MAX_GRANTS];
	int totp = -1;
	v_no_unknown_fields(&r->c, body, allowed);
	v_int(&r->c, body, "version", V_REQUIRED, 1, INT64_MAX, &p.version, NULL);
	read_clearable(r, body, "display_name", LOOSE, &p.display_name);
	read_clearable(r, body, "email", LOOSE, &p.email);
	read_clearable(r, body, "phone", LOOSE, &p.phone);
	read_clearable(r, body, "jurisdiction", LOOSE, &p.jurisdiction);
	v_choice(&r->c, body, "status", V_OPTIONAL, statuses, &p.status);
	v_bool(&r->c, body, "totp_enabled", V_OPTIONAL, &totp);
	if (totp == 1)
		error_field(&r->c.err, "totp_enabled", "accounts.totp_only_off", 0);
	p.totp_off = totp == 0;
	p.set_roles = read_grants(r, body, grants, &p.ngrants);
	p.grants = grants;
	/* the domain validates the values and answers with these field errors too */
	if (accounts_user_update(&r->c, id, &p) != 0)
		return -1;
	json_t *out = accounts_user_get_json(&r->c, id);
	return out ? reply_json(r, 200, out) : -1;
}

/*
 * POST /api/v1/users/{id}/password — admin; slow. Body {new_password}. 204: the user must
 * change it at the next sign-in, every session of theirs ends, a login lock is lifted.
 * Errors: 422 weak password, 404.
 */
int users_password_reset(struct req *r)
{
	int64_t id;
	json_t *body;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &body) != 0)
		return -1;
	static const char *const allowed[] = {"new_password", NULL};
	const char *pw = NULL;
	v_no_unknown_fields(&r->c, body, allowed);
	accounts_read_secret(r, body, "new_password", V_REQUIRED, &pw);
	if (error_check(&r->c.err) != 0)
		return -1;
	if (accounts_reset_password(&r->c, id, pw) != 0)
		return -1;
	return reply_no_content(r);
}

/* DELETE /api/v1/users/{id}/tokens/{token_id} — admin. 204. Errors: 404 (not that user's). */
int users_token_revoke(struct req *r)
{
	int64_t id, token_id;
	if (req_param_id(r, "id", &id) != 0 || req_param_id(r, "token_id", &token_id) != 0)
		return -1;
	if (accounts_token_revoke(&r->c, id, token_id) != 0)
		return -1;
	return reply_no_content(r);
}
