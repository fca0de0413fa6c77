/*
 * System routes: health, version, and the OpenAPI document (docs/openapi/<feature>.json, embedded at build
 * time; tests/api/openapi.test.mjs fails when it and the route tables disagree, and the API test
 * harness validates every reply against it).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "lib/embedded.h"

/* GET /healthz — public. 200 {status:"ok", database:{engine, reachable:true, schema}, version};
 * 503 problem when the database cannot be reached. */
static int health_get(struct req *r)
{
	struct db *db = r->c.db;
	int version = db_schema_version(db);
	if (db_exists(db, "SELECT 1", "") != 1)
		return ctx_db_error(&r->c);
	json_t *body = json_pack("{s:s, s:s, s:{s:s, s:b, s:i}}", "status", "ok", "version",
				 TONGXIN_VERSION, "database", "engine", db_engine_name(db),
				 "reachable", 1, "schema", version);
	return reply_json(r, 200, body);
}

/*
 * The OpenAPI document is kept in parts, one per feature (docs/openapi/<feature>.json, each with
 * "paths" and optional "components"), so features document themselves beside each other. The
 * parts are merged into docs/openapi/base.json once, on first request, and kept.
 */
static char *openapi_text;
static size_t openapi_size;
static pthread_once_t openapi_once = PTHREAD_ONCE_INIT;

static void merge_object(json_t *into, json_t *from)
{
	const char *key;
	json_t *value;
	json_object_foreach(from, key, value)
	{
		json_t *have = json_object_get(into, key);
		if (json_is_object(have) && json_is_object(value))
			merge_object(have, value);
		else
			json_object_set(into, key, value);
	}
}

static void openapi_build(void)
{
	const struct embedded_file *base = embedded_find("docs/openapi/base.json");
	json_t *doc = base ? json_loads(base->data, 0, NULL) : NULL;
	if (!doc)
		doc = json_pack("{s:s, s:{s:s, s:s}, s:{}}", "openapi", "3.1.0", "info", "title",
				"Tongxin", "version", TONGXIN_VERSION, "paths");
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, "docs/openapi/", 13) != 0 || f == base)
			continue;
		json_t *part = json_loads(f->data, 0, NULL);
		if (!part) {
			fprintf(stderr, "tongxin: %s is not valid JSON\n", f->path);
			continue;
		}
		merge_object(doc, part);
		json_decref(part);
	}
	json_object_set_new(json_object_get(doc, "info"), "version", json_string(TONGXIN_VERSION));
	openapi_text = json_dumps(doc, JSON_INDENT(1));
	openapi_size = strlen(openapi_text);
	json_decref(doc);
}

const char *openapi_document(size_t *size)
{
	pthread_once(&openapi_once, openapi_build);
	if (size)
		*size = openapi_size;
	return openapi_text;
}

/* GET /api/v1/openapi.json — public. The OpenAPI 3.1 document. */
static int openapi_get(struct req *r)
{
	size_t size;
	const char *text = openapi_document(&size);
	return reply_bytes(r, 200, "application/json; charset=utf-8", text, size);
}

const struct route system_routes[] = {
	{"GET", "/healthz", health_get, 0, ROUTE_PUBLIC, "健康检查：数据库可达、引擎与版本"},
	{"GET", "/api/v1/openapi.json", openapi_get, 0, ROUTE_PUBLIC, "OpenAPI 3.1 接口文档"},
	{NULL},
};
