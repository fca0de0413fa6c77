/* The attachment store (see files.h). */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "audit/audit.h"
#include "files/files.h"

static const struct files_owner *owner_of(const char *type)
{
	for (const struct files_owner *o = files_owners; o->object_type; o++)
		if (strcmp(o->object_type, type) == 0)
			return o;
	return NULL;
}

/* The directory of the bytes: set once at startup, before any thread runs (files.h). */
static char files_root[4096] = "data/files";

void files_configure(const char *dir)
{
	if (dir && *dir)
		snprintf(files_root, sizeof files_root, "%s", dir);
}

const char *files_dir(void)
{
	return files_root;
}

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcasecmp(name + n - e, ext) == 0;
}

static int is_text(const unsigned char *d, size_t n)
{
	if (memchr(d, 0, n))
		return 0;
	/* valid UTF-8, checked by its lead and continuation bytes */
	int ok = 1;
	for (size_t i = 0; i < n && ok;) {
		unsigned char ch = d[i];
		size_t len = ch < 0x80 ? 1 : (ch >> 5) == 6 ? 2 : (ch >> 4) == 14 ? 3 : (ch >> 3) == 30 ? 4 : 0;
		if (!len || i + len > n)
			ok = 0;
		for (size_t k = 1; ok && k < len; k++)
			ok = (d[i + k] & 0xC0) == 0x80;
		i += len ? len : 1;
	}
	return ok;
}

/* 1 if `needle` occurs in the first n bytes (memmem is a GNU extension). */
static int contains(const unsigned char *d, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(d + i, needle, k) == 0)
			return 1;
	return 0;
}

const char *files_sniff(const char *name, const unsigned char *d, size_t n)
{
	if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 4 && memcmp(d, "PK\x03\x04", 4) == 0) {
		/* Office Open XML is a ZIP; the extension says which, the parts confirm it */
		if (has_ext(name, ".docx") && contains(d, n, "word/"))
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		if (has_ext(name, ".xlsx") && contains(d, n, "xl/"))
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		if (has_ext(name, ".pptx") && contains(d, n, "ppt/"))
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
		return NULL;
	}
	if ((has_ext(name, ".txt") || has_ext(name, ".md")) && is_text(d, n))
		return has_ext(name, ".md") ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8";
	return NULL;
}

/* mkdir -p: the data directory itself may not exist yet (a PostgreSQL deployment never
 * creates it for a database file). */
static int make_dirs(struct ctx *c, const char *path)
{
	char *p = arena_strdup(c->arena, path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0750) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

/* Writes the bytes to dir/ab/abcdef... unless already there (content-addressed). */
static int write_blob(struct ctx *c, const char *hex, const void *data, size_t n)
{
	const char *dir = files_dir();
	char *sub = arena_printf(c->arena, "%s/%.2s", dir, hex);
	char *path = arena_printf(c->arena, "%s/%s", sub, hex);
	if (access(path, F_OK) == 0)
		return 0;
	if (make_dirs(c, sub) != 0)
		return error_internal(&c->err, "files: mkdir %s: %s", sub, strerror(errno));
	char *tmp = arena_printf(c->arena, "%s.%d.tmp", path, (int)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return error_internal(&c->err, "files: open %s: %s", tmp, strerror(errno));
	int ok = fwrite(data, 1, n, f) == n;
	ok = (fflush(f) == 0) && ok && fsync(fileno(f)) == 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return error_internal(&c->err, "files: write %s failed", path);
	}
	return 0;
}

/* An upload's or deletion's arguments, for its transaction's step. */
struct file_write {
	const char *object_type, *filename, *hex, *mime;
	int64_t object_id;
	size_t n;
	int64_t id; /* store: the new attachment; delete: the attachment */
};

static int files_store_step(struct ctx *c, void *arg)
{
	struct file_write *a = arg;
	struct db_stmt *st = db_query(c->db,
				      "INSERT INTO attachment (object_type, object_id, sha256, filename, mime, size, "
				      "uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
				      "slsssll" "l", a->object_type, a->object_id, a->hex, a->filename, a->mime,
				      (int64_t)a->n, c->who->user_id, c->now);
	int rc = db_step(st);
	a->id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	json_t *after = json_pack("{s:s, s:I, s:s}", "filename", a->filename, "size", (json_int_t)a->n,
				  "sha256", a->hex);
	int arc = rc == DB_ROW ? audit_append(c, "file.upload", a->object_type, a->object_id, NULL, after) : -1;
	json_decref(after);
	return arc;
}

int files_store(struct ctx *c, const char *object_type, int64_t object_id, const char *filename,
		const void *data, size_t n, int64_t *id)
{
	const struct files_owner *o = owner_of(object_type);
	if (!o)
		return error_set(&c->err, E_NOT_FOUND, "files.not_found");
	if (o->may_write(c, object_id) != 0)
		return -1;
	if (n > FILES_MAX_BYTES) {
		c->err.arg = FILES_MAX_BYTES / (1024 * 1024); /* shown in MB */
		return error_set(&c->err, E_TOO_LARGE, "files.too_large");
	}
	const char *mime = files_sniff(filename, data, n);
	if (!mime || n == 0)
		return error_set(&c->err, E_UNSUPPORTED_TYPE, "files.bad_type");
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (write_blob(c, hex, data, n) != 0)
		return -1;
	struct file_write a = {.object_type = object_type, .filename = filename, .hex = hex,
			       .mime = mime, .object_id = object_id, .n = n};
	int rc = ctx_tx(c, files_store_step, &a);
	*id = a.id;
	return rc;
}

/* Decodes %XX (when `encoded`); returns NULL for a name with control characters or path
 * separators. */
static char *decode_name(struct ctx *c, const char *raw, int encoded)
{
	char *out = arena_strdup(c->arena, raw), *w = out;
	for (const char *p = raw; *p; p++) {
		unsigned v;
		if (encoded && *p == '%' && p[1] && p[2] && sscanf(p + 1, "%2x", &v) == 1) {
			*w++ = (char)v;
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = 0;
	size_t n = strlen(out);
	if (n == 0 || n > 200 || !is_text((const unsigned char *)out, n) || strpbrk(out, "/\\\"\r\n\t"))
		return NULL;
	return out;
}

int files_upload_request(struct req *r, const char *object_type, int64_t object_id, int64_t *id)
{
	if (r->body_too_large) {
		r->c.err.arg = FILES_MAX_BYTES / (1024 * 1024); /* shown in MB */
		return error_set(&r->c.err, E_TOO_LARGE, "files.too_large");
	}
	/* the name: X-Filename (percent-encoded), or ?filename= (decoded by the server already) */
	const char *raw = req_header(r, "X-Filename");
	const char *query = req_query(r, "filename");
	char *name = raw ? decode_name(&r->c, raw, 1) : query ? decode_name(&r->c, query, 0) : NULL;
	if (!name) {
		error_field(&r->c.err, "X-Filename", "files.bad_name", 0);
		return error_check(&r->c.err);
	}
	return files_store(&r->c, object_type, object_id, name, r->body.data ? r->body.data : "", r->body.len, id);
}

struct attachment_row {
	int64_t id, object_id, size, created_at;
	const char *object_type, *sha256, *filename, *mime;
};

static int load(struct ctx *c, int64_t id, struct attachment_row *a)
{
	struct db_stmt *st = db_query(c->db, "SELECT id, object_type, object_id, sha256, filename, mime, size, "
				      "created_at FROM attachment WHERE id = $1", "l", id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*a = (struct attachment_row){db_col_int(st, 0), db_col_int(st, 2), db_col_int(st, 6), db_col_int(st, 7),
					     arena_strdup(c->arena, db_col_text(st, 1)),
					     arena_strdup(c->arena, db_col_text(st, 3)),
					     arena_strdup(c->arena, db_col_text(st, 4)),
					     arena_strdup(c->arena, db_col_text(st, 5))};
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_db_error(c);
	if (rc != DB_ROW)
		return error_set(&c->err, E_NOT_FOUND, "files.not_found");
	const struct files_owner *o = owner_of(a->object_type);
	return o ? o->may_read(c, a->object_id) : error_set(&c->err, E_NOT_FOUND, "files.not_found");
}

static json_t *row_json(const struct attachment_row *a)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:I, s:s}", "id", (json_int_t)a->id, "object_type",
			 a->object_type, "object_id", (json_int_t)a->object_id, "filename", a->filename, "mime",
			 a->mime, "size", (json_int_t)a->size, "created_at", (json_int_t)a->created_at, "sha256",
			 a->sha256);
}

json_t *files_get_json(struct ctx *c, int64_t id)
{
	struct attachment_row a;
	return load(c, id, &a) == 0 ? row_json(&a) : NULL;
}

json_t *files_items_json(struct ctx *c, const char *object_type, int64_t object_id)
{
	struct db_stmt *st = db_query(c->db, "SELECT id, object_type, object_id, sha256, filename, mime, size, "
				      "created_at FROM attachment WHERE object_type = $1 AND object_id = $2 ORDER BY id",
				      "sl", object_type, object_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		struct attachment_row a = {db_col_int(st, 0), db_col_int(st, 2), db_col_int(st, 6), db_col_int(st, 7),
					   db_col_text(st, 1), db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5)};
		json_array_append_new(items, row_json(&a));
	}
	db_done(st);
	return items;
}

json_t *files_list_json(struct ctx *c, const char *object_type, int64_t object_id)
{
	const struct files_owner *o = owner_of(object_type);
	if (!o) {
		error_set(&c->err, E_NOT_FOUND, "files.not_found");
		return NULL;
	}
	if (o->may_read(c, object_id) != 0)
		return NULL;
	return json_pack("{s:o}", "items", files_items_json(c, object_type, object_id));
}

int files_download_request(struct req *r, int64_t id)
{
	struct attachment_row a;
	if (load(&r->c, id, &a) != 0)
		return -1;
	char *path = arena_printf(r->c.arena, "%s/%.2s/%s", files_dir(), a.sha256, a.sha256);
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_internal(&r->c.err, "files: %s missing", path);
	char *data = malloc((size_t)a.size + 1);
	size_t got = fread(data, 1, (size_t)a.size, f);
	fclose(f);
	if (got != (size_t)a.size) {
		free(data);
		return error_internal(&r->c.err, "files: %s short read", path);
	}
	/* (the server adds X-Content-Type-Options: nosniff to every reply) */
	/* filename*: RFC 5987 percent-encoding of the UTF-8 name; filename: an ASCII fallback */
	struct buf v = {0};
	buf_printf(&v, "attachment; filename=\"attachment-%lld\"; filename*=UTF-8''", (long long)a.id);
	for (const unsigned char *p = (const unsigned char *)a.filename; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(".-_", *p))
			buf_putc(&v, (char)*p);
		else
			buf_printf(&v, "%%%02X", *p);
	}
	reply_bytes(r, 200, a.mime, data, got);
	reply_header(r, "Content-Disposition", v.data);
	buf_free(&v);
	free(data);
	return 0;
}

static int files_delete_step(struct ctx *c, void *arg)
{
	const struct file_write *a = arg;
	json_t *before = json_pack("{s:s, s:I}", "filename", a->filename, "id", (json_int_t)a->id);
	int rc = db_run(c->db, "DELETE FROM attachment WHERE id = $1", "l", a->id) < 0
			 ? -1
			 : audit_append(c, "file.delete", a->object_type, a->object_id, before, NULL);
	json_decref(before);
	return rc;
}

int files_delete(struct ctx *c, int64_t id)
{
	struct attachment_row a;
	if (load(c, id, &a) != 0)
		return -1;
	const struct files_owner *o = owner_of(a.object_type);
	if (o->may_write(c, a.object_id) != 0)
		return -1;
	struct file_write w = {.object_type = a.object_type, .filename = a.filename,
			       .object_id = a.object_id, .id = id};
	return ctx_tx(c, files_delete_step, &w);
}
