#include "app/app.h"
const struct route audit_routes[] = {{NULL}};
const struct msg audit_messages[] = {{NULL, NULL, NULL}};
