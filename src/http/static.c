/*
 * The browser application: serves the files of web/dist that the build embedded in the binary.
 *
 * Only the embedded table is consulted (lib/embedded.h): this file opens nothing on disk, so no
 * path, however crafted ("..", "%2e%2e", backslashes), can reach a file outside the set the
 * build embedded. Paths with such pieces are refused outright anyway, so they never fall back to
 * the application either.
 *
 * Caching: Vite names the files under /assets/ after a hash of their content, so they are cached
 * for a year and marked immutable; index.html (which names the current assets) is `no-cache` with
 * an ETag, so a browser revalidates it and picks up a new build at once.
 *
 * Compression: the build writes a gzip -9 sibling "X.gz" next to each compressible file
 * (web/scripts/precompress.mjs); when the client accepts gzip those bytes are sent as they are.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "http/http.h"
#include "lib/embedded.h"

static const char web_root[] = "web/dist";

static const char html_csp[] = "default-src 'self'; img-src 'self' data:; "
			       "style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
			       "object-src 'none'; base-uri 'self'; form-action 'self'; "
			       "frame-ancestors 'none'";

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".webp", "image/webp"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".woff", "font/woff"},
	{".json", "application/json; charset=utf-8"},
	{".webmanifest", "application/manifest+json; charset=utf-8"},
	{".map", "application/json; charset=utf-8"},
	{".txt", "text/plain; charset=utf-8"},
};

/* The MIME type for a file name, or application/octet-stream. */
static const char *mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof mime_types / sizeof mime_types[0]; i++)
			if (strcasecmp(dot, mime_types[i].ext) == 0)
				return mime_types[i].type;
	return "application/octet-stream";
}

/* A request path that could name an embedded file: absolute, no "..", no backslash, no percent
 * sign (MHD has already decoded the URL once; a '%' left means double encoding), no NUL-ish
 * control characters, no empty segment. */
static int path_is_clean(const char *p)
{
	if (p[0] != '/')
		return 0;
	if (strstr(p, "..") || strchr(p, '\\') || strchr(p, '%') || strstr(p, "//"))
		return 0;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* Whether the last segment of a path looks like a file name (has an extension): such a path
 * that is missing is a 404, not the application. */
static int looks_like_file(const char *p)
{
	const char *slash = strrchr(p, '/');
	return strchr(slash ? slash : p, '.') != NULL;
}

/* Whether the client accepts gzip: "gzip" (or "*") is listed in Accept-Encoding without q=0. */
static int accepts_gzip(struct req *r)
{
	const char *s = req_header(r, "Accept-Encoding");
	while (s && *s) {
		while (*s == ' ' || *s == ',')
			s++;
		size_t len = strcspn(s, ",; ");
		int match = (len == 4 && strncasecmp(s, "gzip", 4) == 0) || (len == 1 && *s == '*');
		const char *end = s + strcspn(s, ",");
		if (match) {
			const char *q = s + len;
			while (q < end && strncmp(q, "q=", 2) != 0)
				q++;
			if (q >= end)
				return 1;
			for (q += 2; *q == '0' || *q == '.'; q++)
				;
			return q < end && *q >= '1' && *q <= '9';
		}
		s = end;
	}
	return 0;
}

/* A weak validator for no-cache files: FNV-1a over the bytes served. */
static void etag_of(const struct embedded_file *f, char out[24])
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < f->size; i++) {
		h ^= (unsigned char)f->data[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

/* Sends an embedded file (its .gz sibling when the client takes gzip) with its headers. */
static int serve_file(struct req *r, const char *name, const struct embedded_file *f)
{
	char gz_name[512];
	snprintf(gz_name, sizeof gz_name, "%s.gz", name);
	const struct embedded_file *gz = embedded_find(gz_name);
	const struct embedded_file *body = gz && accepts_gzip(r) ? gz : f;
	int immutable = strncmp(name + sizeof web_root - 1, "/assets/", 8) == 0;
	const char *type = mime_type(name);

	reply_header(r, "Cache-Control",
		     immutable ? "public, max-age=31536000, immutable" : "no-cache");
	if (gz)
		reply_header(r, "Vary", "Accept-Encoding");
	if (body == gz)
		reply_header(r, "Content-Encoding", "gzip");
	if (strncmp(type, "text/html", 9) == 0)
		reply_header(r, "Content-Security-Policy", html_csp);
	if (!immutable) {
		char etag[24];
		etag_of(body, etag);
		reply_header(r, "ETag", etag);
		const char *inm = req_header(r, "If-None-Match");
		if (inm && strstr(inm, etag)) {
			r->status = 304;
			r->content_type = NULL;
			buf_reset(&r->out);
			return 0;
		}
	}
	return reply_bytes(r, 200, type, body->data, body->size);
}

int static_serve(struct req *r)
{
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return -1;
	if (strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0 ||
	    strncmp(r->path, "/healthz", 8) == 0)
		return -1;
	char index_name[sizeof web_root + 16];
	snprintf(index_name, sizeof index_name, "%s/index.html", web_root);
	const struct embedded_file *index = embedded_find(index_name);
	if (!index || !path_is_clean(r->path))
		return -1; /* no UI in this build, or a path no file can have */
	if (strcmp(r->path, "/") == 0)
		return serve_file(r, index_name, index);
	char name[512];
	if ((size_t)snprintf(name, sizeof name, "%s%s", web_root, r->path) >= sizeof name)
		return -1;
	size_t n = strlen(name);
	/* the .gz siblings are an encoding of a file, not files of their own */
	const struct embedded_file *f =
		n > 3 && strcmp(name + n - 3, ".gz") == 0 ? NULL : embedded_find(name);
	if (f)
		return serve_file(r, name, f);
	if (looks_like_file(r->path))
		return -1;
	return serve_file(r, index_name, index); /* a route of the application itself */
}
