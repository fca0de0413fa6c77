/*
 * The application's wiring: the list of every feature's route table and message catalogue, and
 * the principal resolver the HTTP layer calls. Features never include each other's _api files;
 * only this folder and src/cli see them all.
 */
#ifndef TONGXIN_APP_APP_H
#define TONGXIN_APP_APP_H
#include "http/http.h"

extern const struct route system_routes[];
extern const struct route accounts_routes[];
extern const struct route registry_routes[];
extern const struct route audit_routes[];
extern const struct route io_routes[];
extern const struct route liaison_routes[];
extern const struct route meetings_routes[];
extern const struct route files_routes[];
extern const struct route announce_routes[];
extern const struct route boards_routes[];
extern const struct route resources_routes[];
extern const struct route notify_routes[];
extern const struct route notify_admin_routes[];
extern const struct route matching_routes[];

/* NULL-terminated list of all route tables, in the order they are matched. */
extern const struct route *const app_routes[];

/* Resolves the session cookie or bearer token (accounts/accounts_api.c). */
int accounts_resolve_principal(struct req *r);

/* The OpenAPI document: docs/openapi/base.json with every other part (docs/openapi/<feature>.json) merged
 * into it (embedded at build time), built once and kept for the process's life. Never NULL;
 * *size (if given) receives its length. Served at GET /api/v1/openapi.json and printed by
 * `tongxin openapi`; the API tests validate every reply against it. */
const char *openapi_document(size_t *size);

#define TONGXIN_VERSION "0.1.0"

#endif
