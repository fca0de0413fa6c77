#include "app/app.h"
const struct route io_routes[] = {{NULL}};
const struct msg io_messages[] = {{NULL, NULL, NULL}};
