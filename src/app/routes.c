#include <stddef.h>
#include "app/app.h"

const struct route *const app_routes[] = {
	system_routes, accounts_routes, registry_routes, audit_routes, io_routes, NULL,
};
