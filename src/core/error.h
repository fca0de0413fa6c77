/*
 * Errors are values. A domain function that fails fills one `struct error` and returns -1; the
 * HTTP layer alone turns it into RFC 9457 problem+json (http/reply.c), the CLI prints it.
 * Validation collects every bad field before answering, so a form shows all its mistakes at once.
 *
 * Messages are keys ("field.required"), rendered late in the caller's language by core/msg.c,
 * with an optional integer argument substituted for "{n}".
 */
#ifndef TONGXIN_CORE_ERROR_H
#define TONGXIN_CORE_ERROR_H

enum error_kind {
	E_NONE = 0,
	E_BAD_REQUEST,      /* 400 bad_request: the request itself is unusable */
	E_BAD_JSON,         /* 400 malformed_json */
	E_VALIDATION,       /* 422 validation_failed: see fields[] */
	E_UNAUTHENTICATED,  /* 401 unauthenticated */
	E_BAD_CREDENTIALS,  /* 401 invalid_credentials */
	E_TOTP_REQUIRED,    /* 401 totp_required */
	E_FORBIDDEN,        /* 403 forbidden */
	E_CSRF,             /* 403 csrf_failed */
	E_NOT_FOUND,        /* 404 not_found */
	E_METHOD,           /* 405 method_not_allowed */
	E_CONFLICT,         /* 409 conflict: the state does not allow it */
	E_DUPLICATE,        /* 409 duplicate: a unique value already exists */
	E_STALE,            /* 409 stale_version */
	E_TOO_LARGE,        /* 413 payload_too_large */
	E_URI_TOO_LONG,     /* 414 uri_too_long */
	E_UNSUPPORTED_TYPE, /* 415 unsupported_media_type */
	E_THROTTLED,        /* 429 too_many_requests */
	E_HEADERS_TOO_LARGE, /* 431 headers_too_large */
	E_INTERNAL,         /* 500 internal_error */
	E_UNAVAILABLE,      /* 503 unavailable */
	E__MAX
};

enum { ERROR_MAX_FIELDS = 32 };

struct field_error {
	char field[64];  /* JSON name of the field, e.g. "credit_code" or "rows[3].name" */
	const char *key; /* message key, a static string */
	long long arg;   /* substituted for {n} in the message */
};

struct error {
	enum error_kind kind;
	const char *key; /* message key of the detail; NULL = the kind's default */
	long long arg;
	int retry_after;      /* seconds, for E_THROTTLED */
	int nfields;          /* may exceed ERROR_MAX_FIELDS: the rest were counted, not kept */
	struct field_error fields[ERROR_MAX_FIELDS];
	char log[256];        /* internal detail for the server log, never shown to the caller */
};

/* Sets kind and detail key; returns -1 so callers can `return error_set(...)`. */
int error_set(struct error *e, enum error_kind kind, const char *key);
/* Like error_set, with an internal note for the log (e.g. a database message). */
int error_internal(struct error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a field error and makes the error a validation error. */
void error_field(struct error *e, const char *field, const char *key, long long arg);
/* Returns -1 if any field error was added (kind E_VALIDATION), else 0. */
int error_check(const struct error *e);
void error_clear(struct error *e);

int error_http_status(enum error_kind kind);
const char *error_code(enum error_kind kind);   /* stable snake_case code */
const char *error_default_key(enum error_kind kind);

#endif
