/*
 * System routes: health, version, and the OpenAPI document (docs/openapi.json, embedded at build
 * time; tests/api/openapi.test.mjs fails when it and the route tables disagree).
 */
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

/* GET /api/v1/openapi.json — public. The OpenAPI 3.1 document. */
static int openapi_get(struct req *r)
{
	const struct embedded_file *f = embedded_find("docs/openapi.json");
	if (!f)
		return error_set(&r->c.err, E_NOT_FOUND, NULL);
	return reply_bytes(r, 200, "application/json; charset=utf-8", f->data, f->size);
}

const struct route system_routes[] = {
	{"GET", "/healthz", health_get, 0, ROUTE_PUBLIC, "健康检查：数据库可达、引擎与版本"},
	{"GET", "/api/v1/openapi.json", openapi_get, 0, ROUTE_PUBLIC, "OpenAPI 3.1 接口文档"},
	{NULL},
};
