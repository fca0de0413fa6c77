/* Files compiled into the binary by tools/embed.c (migrations, the OpenAPI document, web assets). */
#ifndef TONGXIN_LIB_EMBEDDED_H
#define TONGXIN_LIB_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *path; /* as named at build time, e.g. "src/db/migrations/sqlite/0001_core.sql" */
	const char *data; /* NUL-terminated; the NUL is not counted in size */
	size_t size;
};

/* Ends with an entry whose path is NULL. */
extern const struct embedded_file embedded_files[];

/* The embedded file with exactly this path, or NULL. */
const struct embedded_file *embedded_find(const char *path);

#endif
