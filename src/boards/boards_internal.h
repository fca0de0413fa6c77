/* Shared between the files of src/boards (not a public API). */
#ifndef TONGXIN_BOARDS_INTERNAL_H
#define TONGXIN_BOARDS_INTERNAL_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

/* Appends an audit record (steals `after`) inside the caller's transaction (a ctx_tx step).
 * 0, or -1 with c->err filled. */
int boards_audit(struct ctx *c, const char *action, const char *type, int64_t id, json_t *after);
/* The board's street code for a street board, else NULL (arena string). */
const char *board_street(struct ctx *c, int64_t board_id);
/* 1 if the caller reads every board (staff, admin, supervisor). */
int boards_read_all(struct ctx *c);
/* Ids of the boards the caller may see (arena array). 0 or -1. */
int boards_visible_ids(struct ctx *c, int64_t **ids, int *n);

#endif
