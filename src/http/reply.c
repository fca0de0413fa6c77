/*
 * Reading requests and building replies. Errors become RFC 9457 problem+json here and only
 * here: {type, title, status, detail, code, instance, errors: [{field, code, message}]}.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/validate.h"
#include "http/http.h"
#include "lib/text.h"

const char *req_param(struct req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->param_values[i];
	return NULL;
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* MHD calls this for each query argument; a name or value that is not clean UTF-8 is named. */
static enum MHD_Result check_argument(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	(void)kind;
	struct req *r = cls;
	if (!text_is_clean_utf8(key, strlen(key)) ||
	    (value && !text_is_clean_utf8(value, strlen(value))))
		error_field(&r->c.err, text_is_clean_utf8(key, strlen(key)) ? key : "query",
			    "field.bad_text", 0);
	return MHD_YES;
}

int req_check_text(struct req *r)
{
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_argument, r);
	for (int i = 0; i < r->nparams; i++)
		if (!text_is_clean_utf8(r->param_values[i], strlen(r->param_values[i])))
			error_field(&r->c.err, r->param_names[i], "field.bad_text", 0);
	return error_check(&r->c.err);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* Parses a decimal integer that fills the whole string; 0 on success. */
static int parse_int64(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 19)
		return -1;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int req_param_id(struct req *r, const char *name, int64_t *id)
{
	if (parse_int64(req_param(r, name), id) != 0 || *id <= 0)
		return error_set(&r->c.err, E_NOT_FOUND, NULL);
	return 0;
}

int req_query_paging(struct req *r, int64_t *page, int64_t *per_page)
{
	int a = req_query_int(r, "page", 1, 1, 100000, page);
	int b = req_query_int(r, "per_page", 20, 1, 100, per_page);
	return a | b;
}

const char *req_query_choice(struct req *r, const char *name, const char *const *codes)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		return NULL;
	for (const char *const *c = codes; *c; c++)
		if (strcmp(*c, v) == 0)
			return *c;
	error_field(&r->c.err, name, "field.bad_choice", 0);
	return NULL;
}

const char *req_query_division(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		return NULL;
	int ok = strlen(v) == 12;
	for (const char *p = v; ok && *p; p++)
		ok = *p >= '0' && *p <= '9';
	if (!ok)
		error_field(&r->c.err, name, "field.bad_format", 0);
	return ok ? v : NULL;
}

const char *req_query_text(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	if (!v)
		return NULL;
	while (*v == ' ')
		v++;
	if (!*v)
		return NULL;
	if (!v_is_clean_text(v) || v_char_count(v) > 100) {
		error_field(&r->c.err, name, "field.too_long", 100);
		return NULL;
	}
	return v;
}

int req_query_int(struct req *r, const char *name, int64_t fallback, int64_t min, int64_t max,
		  int64_t *out)
{
	const char *s = req_query(r, name);
	if (!s || !*s) {
		*out = fallback;
		return 0;
	}
	int64_t v;
	if (parse_int64(s, &v) != 0) {
		error_field(&r->c.err, name, "query.bad_integer", 0);
		return -1;
	}
	if (v < min) {
		error_field(&r->c.err, name, "field.min", min);
		return -1;
	}
	if (v > max) {
		error_field(&r->c.err, name, "field.max", max);
		return -1;
	}
	*out = v;
	return 0;
}

int req_json_object(struct req *r, json_t **obj)
{
	const char *type = req_header(r, "Content-Type");
	if (!type || strncasecmp(type, "application/json", 16) != 0)
		return error_set(&r->c.err, E_UNSUPPORTED_TYPE, NULL);
	if (!r->json) {
		json_error_t jerr;
		r->json = json_loadb(r->body.data ? r->body.data : "", r->body.len,
				     JSON_REJECT_DUPLICATES, &jerr);
		if (!r->json) {
			snprintf(r->c.err.log, sizeof r->c.err.log, "json: %s", jerr.text);
			return error_set(&r->c.err, E_BAD_JSON, NULL);
		}
	}
	if (!json_is_object(r->json))
		return error_set(&r->c.err, E_BAD_JSON, "error.json_not_object");
	*obj = r->json;
	return 0;
}

int reply_bytes(struct req *r, int status, const char *content_type, const void *data, size_t n)
{
	r->status = status;
	r->content_type = content_type;
	buf_reset(&r->out);
	buf_append(&r->out, data, n);
	return 0;
}

int reply_json(struct req *r, int status, json_t *body)
{
	/* A NULL body means a json_pack failed (a NULL or invalid UTF-8 string): answering 200
	 * with nothing would hide the bug, so it is an internal error. */
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!text)
		return error_internal(&r->c.err, "reply_json: body could not be built");
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	buf_reset(&r->out);
	buf_puts(&r->out, text);
	free(text);
	return 0;
}

int reply_no_content(struct req *r)
{
	r->status = 204;
	r->content_type = NULL;
	buf_reset(&r->out);
	return 0;
}

void reply_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders >= REQ_MAX_HEADERS)
		return;
	r->header_names[r->nheaders] = name;
	r->header_values[r->nheaders] = arena_strdup(r->c.arena, value);
	r->nheaders++;
}

static char *render(const char *key, enum lang lang, long long arg)
{
	struct buf b = {0};
	msg_render(&b, key, lang, arg);
	return buf_steal(&b, NULL);
}

json_t *problem_json(const struct error *e, enum lang lang, const char *instance)
{
	enum error_kind kind = e->kind == E_NONE ? E_INTERNAL : e->kind;
	const char *code = error_code(kind);
	char *title = render(error_default_key(kind), lang, e->arg);
	char *detail = render(e->key ? e->key : error_default_key(kind), lang, e->arg);
	char type[96];
	snprintf(type, sizeof type, "/docs/problems#%s", code);
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title", title, "status",
			      error_http_status(kind), "detail", detail, "code", code);
	free(title);
	free(detail);
	if (instance)
		json_object_set_new(p, "instance", json_string(instance));
	if (e->nfields > 0) {
		json_t *errors = json_array();
		int n = e->nfields < ERROR_MAX_FIELDS ? e->nfields : ERROR_MAX_FIELDS;
		for (int i = 0; i < n; i++) {
			const struct field_error *f = &e->fields[i];
			char *m = render(f->key, lang, f->arg);
			json_array_append_new(errors,
					      json_pack("{s:s, s:s, s:s}", "field", f->field,
							"code", f->key, "message", m));
			free(m);
		}
		json_object_set_new(p, "errors", errors);
	}
	if (kind == E_THROTTLED && e->retry_after > 0)
		json_object_set_new(p, "retry_after", json_integer(e->retry_after));
	return p;
}

void reply_problem(struct req *r)
{
	if (r->c.err.kind == E_VALIDATION && r->c.err.nfields == 0)
		r->c.err.kind = E_BAD_REQUEST;
	json_t *p = problem_json(&r->c.err, r->c.lang, r->path);
	reply_json(r, error_http_status(r->c.err.kind == E_NONE ? E_INTERNAL : r->c.err.kind), p);
	r->content_type = "application/problem+json; charset=utf-8";
	if (r->c.err.kind == E_THROTTLED && r->c.err.retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof secs, "%d", r->c.err.retry_after);
		reply_header(r, "Retry-After", secs);
	}
}

/* ---- a file as the reply (exports) */

static ssize_t file_stream(void *arg, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	size_t n = fread(buf, 1, max, arg);
	return n > 0 ? (ssize_t)n : ferror((FILE *)arg) ? -2 : -1;
}

static void file_stream_free(void *arg)
{
	fclose(arg);
}

int reply_stream_temp_file(struct req *r, const char *suffix,
			   int (*write_file)(void *arg, const char *path, const char **why),
			   void *arg)
{
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(r->c.arena, "%s/tongxin-XXXXXX%s", dir && *dir ? dir : "/tmp",
				  suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0)
		return error_internal(&r->c.err, "mkstemps %s failed", path);
	close(fd);
	const char *why = NULL;
	int rc = write_file(arg, path, &why);
	FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
	unlink(path);
	if (!f)
		return error_internal(&r->c.err, "%s: %s", path,
				      rc != 0 && why ? why : "cannot reopen the file");
	r->stream_read = file_stream;
	r->stream_free = file_stream_free;
	r->stream_arg = f;
	r->status = 200;
	return 0;
}
