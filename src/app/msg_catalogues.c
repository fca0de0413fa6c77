/*
 * The list of every feature's message catalogue, searched in order by msg_text(). Wiring,
 * so it lives in app/ with the route tables and the tasks: a new part adds its line here.
 *
 * It lives apart from msg.c so that a program linking msg.c without the features (the fuzz
 * harness of the request line, tests/fuzz/fuzz_http.c) brings its own list, {core_messages},
 * instead of stubbing each feature's catalogue: a new catalogue added here cannot break it.
 */
#include <stddef.h>
#include "core/msg.h"

const struct msg *const msg_catalogues[] = {
    core_messages,
    accounts_messages,
    registry_messages,
    audit_messages,
    io_messages,
    liaison_messages,
    meetings_messages,
    announce_messages,
    boards_messages,
    resources_messages,
    matching_messages,
    notify_messages,
    files_messages,
    NULL,
};
