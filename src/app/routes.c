#include <stddef.h>
#include "app/app.h"

/* Order matters where paths overlap: io's /api/v1/orgs/export comes before registry's
 * /api/v1/orgs/{id}. */

const struct route *const app_routes[] = {
	system_routes, accounts_routes, io_routes, matching_routes, resources_routes, registry_routes,
	audit_routes, liaison_routes, meetings_routes, files_routes, announce_routes, boards_routes,
	notify_routes, notify_admin_routes, NULL,
};
