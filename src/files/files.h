/*
 * A small generic attachment store. Bytes are stored once by content hash (SHA-256) under the
 * files directory (files_configure(): the command line decides it once at startup — its
 * --files-dir / $TONGXIN_FILES_DIR, else --data-dir / $TONGXIN_DATA_DIR + "/files"); the
 * attachment table records which object (object_type + object_id) a file belongs to, its name
 * and sniffed type.
 *
 * Authorization belongs to the owning object: app/file_owners.c maps each object_type to the
 * owning feature's read and write checks (meeting occurrences, board posts). Only types on a
 * short allow-list are accepted (pdf, docx, xlsx, pptx, png, jpg, txt, md), sniffed from the
 * bytes, not trusted from the client; downloads go out as attachments with nosniff.
 */
#ifndef TONGXIN_FILES_FILES_H
#define TONGXIN_FILES_FILES_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/ctx.h"
#include "http/http.h"

enum { FILES_MAX_BYTES = 20 * 1024 * 1024 };

/* How an owning feature decides: return 0 when allowed, else -1 with c->err (403/404). */
struct files_owner {
	const char *object_type;
	int (*may_read)(struct ctx *c, int64_t object_id);
	int (*may_write)(struct ctx *c, int64_t object_id);
};
/* Sets the directory the bytes are stored in (copied). Called once at startup, before any
 * thread runs; until then "data/files". The directory is created on the first upload. */
void files_configure(const char *dir);
/* The directory in use (static storage; do not free). */
const char *files_dir(void);

/* The table of owners (app/file_owners.c), ended by a NULL object_type. */
extern const struct files_owner files_owners[];

/* The MIME type of the allowed kinds, from the bytes and the name's extension; NULL when the
 * file is not one of them. */
const char *files_sniff(const char *name, const unsigned char *data, size_t n);

/* Stores `data` for the object after the owner's write check; *id gets the attachment id. */
int files_store(struct ctx *c, const char *object_type, int64_t object_id, const char *filename,
		const void *data, size_t n, int64_t *id);
/* Reads the request body as a file named by the X-Filename header (percent-encoded UTF-8) or
 * the `filename` query parameter, and stores it. */
int files_upload_request(struct req *r, const char *object_type, int64_t object_id, int64_t *id);
/* The attachment's metadata; read check of the owner. */
json_t *files_get_json(struct ctx *c, int64_t id);
/* {items: [...]} of the object's attachments after the owner's read check; NULL with c->err. */
json_t *files_list_json(struct ctx *c, const char *object_type, int64_t object_id);
/* The object's attachments as an array, WITHOUT a check: for an owner that shows the object
 * (and so has checked already), e.g. the posts of a thread. New reference. */
json_t *files_items_json(struct ctx *c, const char *object_type, int64_t object_id);
/* Replies with the bytes (Content-Disposition attachment, nosniff) after the read check. */
int files_download_request(struct req *r, int64_t id);
/* Removes the attachment (the bytes stay while another attachment shares them). */
int files_delete(struct ctx *c, int64_t id);

#endif
