#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/error.h"

static const struct {
	int status;
	const char *code;
	const char *key;
} kinds[E__MAX] = {
	[E_NONE] = {200, "ok", "error.none"},
	[E_BAD_REQUEST] = {400, "bad_request", "error.bad_request"},
	[E_BAD_JSON] = {400, "malformed_json", "error.malformed_json"},
	[E_VALIDATION] = {422, "validation_failed", "error.validation_failed"},
	[E_UNAUTHENTICATED] = {401, "unauthenticated", "error.unauthenticated"},
	[E_BAD_CREDENTIALS] = {401, "invalid_credentials", "error.invalid_credentials"},
	[E_TOTP_REQUIRED] = {401, "totp_required", "error.totp_required"},
	[E_FORBIDDEN] = {403, "forbidden", "error.forbidden"},
	[E_CSRF] = {403, "csrf_failed", "error.csrf_failed"},
	[E_NOT_FOUND] = {404, "not_found", "error.not_found"},
	[E_METHOD] = {405, "method_not_allowed", "error.method_not_allowed"},
	[E_CONFLICT] = {409, "conflict", "error.conflict"},
	[E_DUPLICATE] = {409, "duplicate", "error.duplicate"},
	[E_STALE] = {409, "stale_version", "error.stale_version"},
	[E_TOO_LARGE] = {413, "payload_too_large", "error.payload_too_large"},
	[E_URI_TOO_LONG] = {414, "uri_too_long", "error.uri_too_long"},
	[E_UNSUPPORTED_TYPE] = {415, "unsupported_media_type", "error.unsupported_media_type"},
	[E_THROTTLED] = {429, "too_many_requests", "error.too_many_requests"},
	[E_HEADERS_TOO_LARGE] = {431, "headers_too_large", "error.headers_too_large"},
	[E_INTERNAL] = {500, "internal_error", "error.internal"},
	[E_UNAVAILABLE] = {503, "unavailable", "error.unavailable"},
};

int error_set(struct error *e, enum error_kind kind, const char *key)
{
	e->kind = kind;
	e->key = key;
	return -1;
}

int error_internal(struct error *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->log, sizeof e->log, fmt, ap);
	va_end(ap);
	e->kind = E_INTERNAL;
	e->key = NULL;
	return -1;
}

void error_field(struct error *e, const char *field, const char *key, long long arg)
{
	if (e->kind == E_NONE)
		e->kind = E_VALIDATION;
	if (e->nfields < ERROR_MAX_FIELDS) {
		struct field_error *f = &e->fields[e->nfields];
		snprintf(f->field, sizeof f->field, "%s", field);
		f->key = key;
		f->arg = arg;
	}
	e->nfields++;
}

int error_check(const struct error *e)
{
	return e->nfields > 0 ? -1 : 0;
}

void error_clear(struct error *e)
{
	memset(e, 0, sizeof *e);
}

int error_http_status(enum error_kind kind)
{
	return kind < E__MAX ? kinds[kind].status : 500;
}

const char *error_code(enum error_kind kind)
{
	return kind < E__MAX ? kinds[kind].code : "internal_error";
}

const char *error_default_key(enum error_kind kind)
{
	return kind < E__MAX ? kinds[kind].key : "error.internal";
}
