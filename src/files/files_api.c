/* Attachment routes shared by every owner (uploads live with the owner's routes). */
#include "app/app.h"
#include "files/files.h"

/* GET /api/v1/files/{id} — whoever may read the owning object (its feature decides). The
 * bytes as an attachment (Content-Disposition, nosniff); 404. */
static int file_download_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return files_download_request(r, id);
}

/* DELETE /api/v1/files/{id} — whoever the owning object lets write it (meetings: admin and
 * staff who manage the meeting; board posts: the author while the post is editable). 204;
 * 403; 404; 409 (a post no longer editable). */
static int file_delete_route(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || files_delete(&r->c, id) != 0)
		return -1;
	return reply_no_content(r);
}

const struct route files_routes[] = {
	{"GET", "/api/v1/files/{id}", file_download_route, ROLES_ALL, 0, "下载附件"},
	{"DELETE", "/api/v1/files/{id}", file_delete_route, ROLES_ALL, 0, "删除附件"},
	{NULL},
};
