/*
 * Resource integration (issue 5): the resource list and the needs list (资源清单 / 需求清单),
 * the talent and expert pool (人才库 / 专家库), dockings (供需对接) and trust counters.
 * The domain API: no HTTP here. Every function checks the policy for c->who itself, so the
 * CLI, the demo loader and the API obey the same rules; every write is audited in its own
 * transaction, and notifications go out inside it.
 *
 * Resources and needs share one table (res_item, `kind` = "resource" | "need") and one set of
 * functions: they have the same fields, and the matching engine reads both the same way.
 * Schema notes for the matching engine: src/db/migrations/{sqlite,postgres}/0012_resources.sql.
 */
#ifndef TONGXIN_RESOURCES_RESOURCES_H
#define TONGXIN_RESOURCES_RESOURCES_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

extern const char *const res_kind_codes[];       /* "resource", "need" */
extern const char *const res_category_codes[];   /* funds, materials, venue, volunteers, ... */
extern const char *const res_unit_codes[];       /* yuan, people, hours, m2, items */
extern const char *const res_status_codes[];     /* open, partly_matched, fulfilled, closed, expired */
extern const char *const res_visibility_codes[]; /* public, district, staff */
extern const char *const res_weekday_codes[];    /* mon .. sun (bit 0 = mon) */
extern const char *const docking_status_codes[]; /* proposed, accepted, in_progress, fulfilled, failed */

/* 1 if `unit` may measure a quantity of `category` (funds in yuan, venues in m2 or hours...). */
int res_unit_fits(const char *category, const char *unit);

/* ---- resources and needs (res_item.c) */

/* Creates a resource or need from a JSON body (every field validated, all errors at once).
 * ACT_RES_WRITE for the body's org_id. Returns 0 and *id, or -1 with c->err. */
int res_item_create(struct ctx *c, const char *kind, json_t *body, int64_t *id);
/* Applies the given fields of `body` (with the `version` last read: E_STALE otherwise);
 * `status` may close (open/partly_matched -> closed) or reopen (closed/expired -> open). */
int res_item_update(struct ctx *c, const char *kind, int64_t id, json_t *body);
/* The item as c->who may see it (E_NOT_FOUND when its visibility hides it); contact masked
 * without ACT_RES_READ_CONTACT. New reference or NULL. */
json_t *res_item_get_json(struct ctx *c, const char *kind, int64_t id);
/* Marks open items whose window ended as expired (the periodic task). Returns the number
 * expired, or -1. Idempotent. */
int res_item_expire(struct ctx *c);
/* Writes an item's search tokens (caller's transaction). */
int res_item_index_in_tx(struct ctx *c, int64_t id);

/* ---- lists, search, export (res_list.c) */
struct res_list_query {
	const char *kind;                 /* required */
	const char *category, *field, *street, *community, *status, *visibility, *unit;
	int64_t org_id;                   /* 0 = any */
	const char *q;                    /* words, NULL = none */
	const char *sort;                 /* -created (default), created, -quantity, end */
	int64_t page, per_page;
};
/* Validates the filter values (422 field errors named after the query parameters). */
int res_list_check(struct ctx *c, const struct res_list_query *q);
/* {items, total, page, per_page} of the items c->who may see. */
json_t *res_list_json(struct ctx *c, const struct res_list_query *q);

struct res_export;
enum res_export_format { RES_CSV, RES_XLSX };
/* An export in a detached context (ctx_detach: its own connection, so it can outlive the
 * request), ACT_RES_EXPORT; rows in id order, 500 a page. */
struct res_export *res_export_open(struct ctx *c, const struct res_list_query *q);
/* CSV bytes (BOM + header first): > 0 bytes, 0 at the end, -1 on error. */
long res_export_csv_read(struct res_export *e, char *out, size_t max);
/* The whole workbook into path (constant memory). 0 or -1 (*why: static English). */
int res_export_xlsx(struct res_export *e, const char *path, const char **why);
void res_export_close(struct res_export *e);

/* ---- talent and expert pool (talent.c) */
struct talent_query {
	const char *kind, *field, *q; /* NULL = any */
	int64_t page, per_page;
};
int talent_create(struct ctx *c, json_t *body, int64_t *id);
int talent_update(struct ctx *c, int64_t id, json_t *body);
json_t *talent_get_json(struct ctx *c, int64_t id);
json_t *talent_list_json(struct ctx *c, const struct talent_query *q);
/* Accounts a talent entry may be linked to (ACT_TALENT_USER_LOOKUP): active users whose
 * username or display name contains q (any when q is NULL), those with the expert role first,
 * at most 20: {items: [{id, username, display_name, expert, talent_id}]} — talent_id: an entry
 * already linked to the account, or null. Nothing else about the account (no e-mail, phone,
 * roles). New reference, or NULL with c->err (403). */
json_t *talent_user_options_json(struct ctx *c, const char *q);
/* An expert's service record (talent_record) as the API shows it: {fulfilled, failed,
 * rating_count, rating_mean (null without ratings)}. New reference. */
json_t *talent_record_json(int64_t fulfilled, int64_t failed, int64_t rating_sum,
			   int64_t rating_count);
/* The stored "；"-joined list (skills, languages) as a JSON array of strings. New reference. */
json_t *talent_split_list(const char *joined);

/* ---- dockings (docking.c) */
/* Proposes need x resource for a quantity ({need_id, resource_id, quantity, note?}): both
 * open, same unit and category, different organizations (E_CONFLICT otherwise), quantity not
 * above either remaining, each side's conditions met by the other's organization (eligible
 * types; a minimum grade still valid today) — 422 field errors otherwise. Or need x expert
 * ({need_id, talent_id, ...}): an active expert of the pool, an expertise/training/other need
 * in hours or people, the expert not affiliated with the need's organization; the expert is
 * the "resource" side (resource_id and resource_org_id NULL). Staff in jurisdiction or either
 * organization's admin (an expert never proposes). The side that proposes has accepted.
 * Notifies the other side (an expert on their own account). */
int docking_create(struct ctx *c, json_t *body, int64_t *id);
/* One step (the expert of an expert docking acts for the "resource" side; accepting re-checks
 * the conditions): "accept" {version, side?}, "start" {version}, "fulfil" {version, quantity?,
 * rating?, feedback?, side?}, "fail" {version, reason, rating?, feedback?, side?},
 * "feedback" {version, rating, feedback?, side?}. Conditional on version (E_STALE to the
 * loser of a race); on fulfil the quantities of both items go down in the same transaction. */
int docking_step(struct ctx *c, int64_t id, const char *step, json_t *body);
json_t *docking_get_json(struct ctx *c, int64_t id);
/* Dockings c->who may see: filter by org (either side), status, need or resource. */
struct docking_query {
	int64_t org_id, item_id, talent_id; /* 0 = any */
	const char *status;
	int64_t page, per_page;
};
json_t *docking_list_json(struct ctx *c, const struct docking_query *q);
/* {fulfilled, failed, rating_mean, rating_count} of an organization. */
json_t *org_trust_json(struct ctx *c, int64_t org_id);

/* ---- shared helpers (res_common.c) */
/* The Chinese/English label of any code of this feature (NULL if unknown). */
const char *res_label(const char *code, enum lang lang);
/* The visibility rank c->who may read everywhere: 0 public, 1 district, 2 staff. */
int res_visibility_rank(struct ctx *c);
/* ",3,7,": the organizations c->who administers or belongs to (arena), for LIKE tests. */
const char *res_own_orgs(struct ctx *c);
/* Facet token "xq<facet><value letters/digits>" appended to out with a space. */
void res_facet_token(struct buf *out, const char *facet, const char *value);
/* The FTS5 MATCH ("a" "b") or tsquery ('a' & 'b') text of space-separated tokens. Arena. */
const char *res_match_text(struct ctx *c, const char *tokens);
/* Writes tokens for rowid into <table>_fts (SQLite) or <table>.search_tokens (PostgreSQL). */
int res_write_tokens(struct ctx *c, const char *table, int64_t id, const char *text,
		     const char *facets);


/* ---- demo (resources_demo.c) */
/* A realistic list of resources and needs for the demo organizations, talent pool entries
 * and past dockings with feedback. c->who must be the system principal. 0 or -1. */
int resources_demo_load(struct ctx *c, unsigned seed);

#endif
