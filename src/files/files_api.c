/* Attachment routes shared by every owner (uploads live with the owner's routes), and the
 * store's messages: meetings and boards both raise them, so neither owns them. */
#include "app/app.h"
#include "core/msg.h"
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

/* The store's own errors (limits, types, names, unknown ids), whatever object owns the file. */
const struct msg files_messages[] = {
	{"files.too_large", "文件过大（单个文件不超过 {n} MB）", "The file is too large (at most {n} MB)"},
	{"files.bad_type", "不支持的文件类型（支持 PDF、Word、Excel、PowerPoint、PNG、JPG、TXT、Markdown）",
	 "File type not allowed (PDF, Word, Excel, PowerPoint, PNG, JPG, TXT, Markdown)"},
	{"files.bad_name", "请在 X-Filename 头中给出文件名", "Give the file name in the X-Filename header"},
	{"files.not_found", "未找到该附件", "No such attachment"},
	{NULL, NULL, NULL},
};
