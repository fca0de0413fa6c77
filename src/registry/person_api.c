/*
 * People routes (listed in registry_routes). Personal data is masked by the domain for
 * readers without ACT_PERSON_READ_PII on one of the person's organizations.
 */
#include "app/app.h"
#include "core/validate.h"
#include "registry/person.h"
#include "registry/registry_api.h"

/* GET /api/v1/orgs/{id}/people — staff, liaison, org roles, supervisor, admin (policy
 * ACT_PERSON_READ). 200 {items}: people with their role titles; 403; 404. */
int org_people_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = org_people_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* GET /api/v1/people — as above. Query: q (part of the name), org (id), uf_category, page,
 * per_page. 200 {items, total, page, per_page} in pinyin order; 422 for bad parameters. */
int people_list_route(struct req *r)
{
	struct person_list_query q = {0};
	q.q = req_query_text(r, "q");
	q.uf_category = req_query_text(r, "uf_category");
	req_query_int(r, "org", 0, 1, INT64_MAX, &q.org_id);
	req_query_paging(r, &q.page, &q.per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	json_t *body = person_list_json(&r->c, &q);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/people — admin, staff, org_admin. Body {name, gender?, phone?, email?,
 * id_number?, uf_category?, note?, org_id?, role_title?, since?}; org_admin must give their own
 * org_id. 201 with the person and Location; 422; 403; 404 unknown org. */
int person_create_route(struct req *r)
{
	json_t *obj;
	struct person_input in;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || person_input_from_json(&r->c, obj, 0, &in) != 0 ||
	    person_create(&r->c, &in, &id) != 0)
		return -1;
	json_t *body = person_get_json(&r->c, id);
	if (!body)
		return -1;
	reply_header(r, "Location", arena_printf(r->c.arena, "/api/v1/people/%lld", (long long)id));
	return reply_json(r, 201, body);
}

/* POST /api/v1/people/{id}/id-number — ACT_PERSON_READ_PII (staff in jurisdiction, the
 * organization's admin, supervisor, admin). No body. 200 {id_number}; the look is audited.
 * 403; 404 no person or no ID number. A POST because it writes the audit record. */
int person_reveal_route(struct req *r)
{
	int64_t id;
	const char *idn;
	if (req_param_id(r, "id", &id) != 0 || person_reveal_id_number(&r->c, id, &idn) != 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:s}", "id_number", idn));
}

/* GET /api/v1/people/{id} — ACT_PERSON_READ. 200 the person (masked without PII rights); 404. */
int person_get_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *body = person_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* PATCH /api/v1/people/{id} — admin, staff, org_admin with ACT_PERSON_WRITE on one of the
 * person's organizations. Body: fields plus version. 200; 409 stale; 422; 403; 404. */
int person_patch_route(struct req *r)
{
	json_t *obj;
	struct person_input in;
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0 ||
	    person_input_from_json(&r->c, obj, 1, &in) != 0 || person_update(&r->c, id, &in) != 0)
		return -1;
	json_t *body = person_get_json(&r->c, id);
	return body ? reply_json(r, 200, body) : -1;
}

/* POST /api/v1/people/{id}/orgs — admin, staff, org_admin. Body {org_id, role_title?,
 * since?}. 201 with the person; 409 already linked; 422; 403; 404. */
int person_link_route(struct req *r)
{
	json_t *obj;
	int64_t id, org_id = 0;
	const char *role_title = NULL, *since = NULL;
	static const char *const allowed[] = {"org_id", "role_title", "since", NULL};
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, allowed);
	v_int(&r->c, obj, "org_id", V_REQUIRED, 1, INT64_MAX, &org_id, NULL);
	v_string(&r->c, obj, "role_title", V_OPTIONAL, 50, &role_title);
	v_date(&r->c, obj, "since", V_OPTIONAL, &since);
	if (error_check(&r->c.err) != 0 || person_link(&r->c, id, org_id, role_title, since) != 0)
		return -1;
	json_t *body = person_get_json(&r->c, id);
	return body ? reply_json(r, 201, body) : -1;
}

/* DELETE /api/v1/people/{id}/orgs/{org_id} — admin, staff, org_admin (ACT_PERSON_WRITE on that
 * organization). 200 with the person; 404 when not linked; 403. */
int person_unlink_route(struct req *r)
{
	int64_t id, org_id;
	if (req_param_id(r, "id", &id) != 0 || req_param_id(r, "org_id", &org_id) != 0 ||
	    person_unlink(&r->c, id, org_id) != 0)
		return -1;
	json_t *body = person_get_json(&r->c, id);
	if (!body && r->c.err.kind == E_FORBIDDEN) {
		/* unlinked from the caller's organization, the person is no longer theirs to see */
		error_clear(&r->c.err);
		return reply_no_content(r);
	}
	return body ? reply_json(r, 200, body) : -1;
}
