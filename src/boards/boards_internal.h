/* Shared between the files of src/boards (not a public API). */
#ifndef TONGXIN_BOARDS_INTERNAL_H
#define TONGXIN_BOARDS_INTERNAL_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

/* Rolls back an open transaction; fills c->err from the database when still empty. -1. */
int boards_fail(struct ctx *c);
/* Appends an audit record (steals `after`) and commits. 0 or -1 (rolled back). */
int boards_commit_audit(struct ctx *c, const char *action, const char *type, int64_t id,
			json_t *after);
/* The board's street code for a street board, else NULL (arena string). */
const char *board_street(struct ctx *c, int64_t board_id);
/* 1 if the caller reads every board (staff, admin, supervisor). */
int boards_read_all(struct ctx *c);
/* Ids of the boards the caller may see (arena array). 0 or -1. */
int boards_visible_ids(struct ctx *c, int64_t **ids, int *n);

#endif
