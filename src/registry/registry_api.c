#include "app/app.h"
const struct route registry_routes[] = {{NULL}};
const struct msg registry_messages[] = {{NULL, NULL, NULL}};
