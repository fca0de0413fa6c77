/* Shared by registry_api.c and person_api.c only: the people handlers listed in the registry's
 * route table, and query helpers. */
#ifndef TONGXIN_REGISTRY_API_H
#define TONGXIN_REGISTRY_API_H
#include "http/http.h"

int org_people_route(struct req *r);
int people_list_route(struct req *r);
int person_create_route(struct req *r);
int person_get_route(struct req *r);
int person_patch_route(struct req *r);
int person_link_route(struct req *r);
int person_reveal_route(struct req *r);
int person_unlink_route(struct req *r);

/* A free-text parameter of at most 100 characters, NULL when absent or blank. */
#endif
