/*
 * Board, thread, post, search and direct-message routes: parse, call the domain (which checks
 * the policy and the board's visibility), render JSON.
 */
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "boards/boards.h"
#include "core/validate.h"
#include "files/files.h"
#include "lib/markdown.h"

#define ROLES_MOD (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

/* A text body field: {field: Markdown of 1..max characters}, nothing else. */
static int read_text_body(struct req *r, const char *field, size_t max, const char **out)
{
	json_t *obj;
	const char *const allowed[] = {field, NULL};
	if (req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, allowed);
	v_string(&r->c, obj, field, V_REQUIRED, max, out);
	return error_check(&r->c.err);
}

static int reply_or_fail(struct req *r, int status, json_t *body)
{
	return body ? reply_json(r, status, body) : -1;
}

/* GET /api/v1/boards — any signed-in user. 200 {items: boards they may see, can_manage,
 * can_moderate}. */
static int boards_list(struct req *r)
{
	return reply_or_fail(r, 200, board_list_json(&r->c));
}

/* POST /api/v1/boards — admin, staff. Body {name, description?, scope_kind, scope_key,
 * visibility?}. 201 the board; 422; 403 (a street outside the jurisdiction). */
static int boards_create(struct req *r)
{
	json_t *obj;
	struct board_input in;
	int64_t id;
	if (req_json_object(r, &obj) != 0 || board_input_from_json(&r->c, obj, &in) != 0 ||
	    board_create(&r->c, &in, &id) != 0)
		return -1;
	return reply_or_fail(r, 201, board_get_json(&r->c, id));
}

/* GET /api/v1/boards/search — any signed-in user. Query: q (words, required), board (id),
 * page, per_page. 200 {items, total, total_exact, page, per_page}: posts of boards the
 * caller may see, hidden ones only for moderators; 422. */
static int boards_search(struct req *r)
{
	int64_t page, per_page, board;
	const char *q = req_query(r, "q");
	if (!q || !*q)
		error_field(&r->c.err, "q", "field.required", 0);
	else if (!v_is_clean_text(q) || v_char_count(q) > 100)
		error_field(&r->c.err, "q", "field.too_long", 100);
	req_query_int(r, "board", 0, 1, INT64_MAX, &board);
	req_query_paging(r, &page, &per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	return reply_or_fail(r, 200, post_search_json(&r->c, q, board, page, per_page));
}

/* GET /api/v1/boards/users — any signed-in user. Query: q (1..30 characters). 200 {items:
 * up to 10 users {id, username, display_name}} for @mention completion and new messages. */
static int boards_users(struct req *r)
{
	const char *q = req_query(r, "q");
	if (!q || !*q || !v_is_clean_text(q) || v_char_count(q) > 30 || strpbrk(q, "%_\\"))
		error_field(&r->c.err, "q", "field.bad_format", 0);
	if (error_check(&r->c.err) != 0)
		return -1;
	return reply_or_fail(r, 200, boards_users_json(&r->c, q));
}

/* POST /api/v1/boards/preview — any signed-in user. Body {text}. 200 {html}: the Markdown as
 * posts and announcements show it. Changes nothing. */
static int boards_preview(struct req *r)
{
	const char *text;
	if (read_text_body(r, "text", 20000, &text) != 0)
		return -1;
	char *html = markdown_to_html(text, strlen(text));
	json_t *body = json_pack("{s:s}", "html", html ? html : "");
	free(html);
	return reply_json(r, 200, body);
}

/* GET /api/v1/boards/{id} — who may see the board. 200; 404. */
static int boards_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return reply_or_fail(r, 200, board_get_json(&r->c, id));
}

/* POST /api/v1/boards/{id}/invites — admin, staff. Body {user_ids: [id...]} (1..200). 200 the
 * board; 422 unknown user; 404. */
static int boards_invite(struct req *r)
{
	json_t *obj, *ids;
	int64_t id, users[200];
	int n = 0;
	static const char *const allowed[] = {"user_ids", NULL};
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, allowed);
	ids = json_object_get(obj, "user_ids");
	if (!ids)
		error_field(&r->c.err, "user_ids", "field.required", 0);
	else if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 200)
		error_field(&r->c.err, "user_ids", "field.type_array", 0);
	else {
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) <= 0) {
				error_field(&r->c.err, "user_ids", "field.type_integer", 0);
				break;
			}
			users[n++] = json_integer_value(v);
		}
	}
	if (error_check(&r->c.err) != 0 || board_invite(&r->c, id, users, n) != 0)
		return -1;
	return reply_or_fail(r, 200, board_get_json(&r->c, id));
}

/* GET /api/v1/boards/{id}/threads — who may see the board. Query: page, per_page. 200 {items
 * newest activity first, total}; hidden threads read "已被管理员隐藏：原因" except for
 * moderators; 404. */
static int boards_threads(struct req *r)
{
	int64_t id, page, per_page;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	req_query_paging(r, &page, &per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	return reply_or_fail(r, 200, thread_list_json(&r->c, id, page, per_page));
}

/* POST /api/v1/boards/{id}/threads — who may see the board, except supervisors. Body {title,
 * body}; @username in the body notifies that user. 201 the thread; 422; 404. */
static int boards_thread_create(struct req *r)
{
	json_t *obj;
	int64_t id, thread;
	const char *title, *body;
	static const char *const allowed[] = {"title", "body", NULL};
	if (req_param_id(r, "id", &id) != 0 || req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, allowed);
	v_string(&r->c, obj, "title", V_REQUIRED, 100, &title);
	v_string(&r->c, obj, "body", V_REQUIRED, 20000, &body);
	if (error_check(&r->c.err) != 0 || thread_create(&r->c, id, title, body, &thread) != 0)
		return -1;
	return reply_or_fail(r, 201, thread_get_json(&r->c, thread, 1, 20));
}

/* GET /api/v1/threads/{id} — who may see the board. Query: page, per_page (posts oldest
 * first). 200 the thread with posts; 404. */
static int threads_get(struct req *r)
{
	int64_t id, page, per_page;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	req_query_paging(r, &page, &per_page);
	if (error_check(&r->c.err) != 0)
		return -1;
	return reply_or_fail(r, 200, thread_get_json(&r->c, id, page, per_page));
}

/* POST /api/v1/threads/{id}/posts — as thread creation. Body {body}. 201 {id, thread_id};
 * 409 locked; 404. Followers and mentioned users are notified. */
static int threads_reply(struct req *r)
{
	int64_t id, post;
	const char *body;
	if (req_param_id(r, "id", &id) != 0 || read_text_body(r, "body", 20000, &body) != 0 ||
	    post_reply(&r->c, id, body, &post) != 0)
		return -1;
	return reply_json(r, 201, json_pack("{s:I,s:I}", "id", (json_int_t)post, "thread_id",
					    (json_int_t)id));
}

/* A {flag: bool} body, optionally with a reason required when the flag is true. */
static int read_flag(struct req *r, const char *flag, int with_reason, int *on, const char **reason)
{
	json_t *obj;
	const char *const allowed[] = {flag, with_reason ? "reason" : NULL, NULL};
	if (req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, allowed);
	v_bool(&r->c, obj, flag, V_REQUIRED, on);
	*reason = NULL;
	if (with_reason) {
		v_string(&r->c, obj, "reason", V_OPTIONAL, 200, reason);
		if (*on && !*reason && !error_check(&r->c.err))
			error_field(&r->c.err, "reason", "field.required", 0);
	}
	return error_check(&r->c.err);
}

/* POST /api/v1/threads/{id}/follow — who may see it. Body {follow}. 200 the thread; 404. */
static int threads_follow(struct req *r)
{
	int64_t id;
	int on;
	const char *unused;
	if (req_param_id(r, "id", &id) != 0 || read_flag(r, "follow", 0, &on, &unused) != 0 ||
	    thread_follow(&r->c, id, on) != 0)
		return -1;
	return reply_or_fail(r, 200, thread_get_json(&r->c, id, 1, 20));
}

/* POST /api/v1/threads/{id}/hide — admin, staff (a street board: staff of that street).
 * Body {hidden, reason (required to hide)}. Audited with the reason. 200 the thread; 403; 404. */
static int threads_hide(struct req *r)
{
	int64_t id;
	int on;
	const char *reason;
	if (req_param_id(r, "id", &id) != 0 || read_flag(r, "hidden", 1, &on, &reason) != 0 ||
	    thread_set_hidden(&r->c, id, on, reason) != 0)
		return -1;
	return reply_or_fail(r, 200, thread_get_json(&r->c, id, 1, 20));
}

/* POST /api/v1/threads/{id}/lock — admin, staff as for hiding. Body {locked}. 200; 403; 404. */
static int threads_lock(struct req *r)
{
	int64_t id;
	int on;
	const char *unused;
	if (req_param_id(r, "id", &id) != 0 || read_flag(r, "locked", 0, &on, &unused) != 0 ||
	    thread_set_locked(&r->c, id, on) != 0)
		return -1;
	return reply_or_fail(r, 200, thread_get_json(&r->c, id, 1, 20));
}

/* PATCH /api/v1/posts/{id} — the author, within 30 minutes of posting. Body {body}. 200 {id};
 * 403 not the author; 409 window passed; 404. The earlier text joins the history. */
static int posts_edit(struct req *r)
{
	int64_t id;
	const char *body;
	if (req_param_id(r, "id", &id) != 0 || read_text_body(r, "body", 20000, &body) != 0 ||
	    post_edit(&r->c, id, body) != 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

/* DELETE /api/v1/posts/{id} — the author or a moderator. Soft: the post reads "已删除".
 * 204; 403; 404. */
static int posts_delete(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || post_delete(&r->c, id) != 0)
		return -1;
	return reply_no_content(r);
}

/* GET /api/v1/posts/{id}/history — the author or a moderator. 200 {items: earlier texts,
 * current}; 403; 404. */
static int posts_history(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return reply_or_fail(r, 200, post_history_json(&r->c, id));
}

/* POST /api/v1/posts/{id}/hide — admin, staff as for threads. Body {hidden, reason}. 200 {id,
 * hidden}; 403; 404. */
static int posts_hide(struct req *r)
{
	int64_t id;
	int on;
	const char *reason;
	if (req_param_id(r, "id", &id) != 0 || read_flag(r, "hidden", 1, &on, &reason) != 0 ||
	    post_set_hidden(&r->c, id, on, reason) != 0)
		return -1;
	return reply_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "hidden", on));
}

/* POST /api/v1/posts/{id}/files — the post's author while it is editable (30 minutes, not
 * hidden). Raw body (the file, at most 20 MiB) with X-Filename (percent-encoded UTF-8) or
 * ?filename=. 201 the attachment {id, filename, mime, size, ...}; 403 not the author; 404;
 * 409 no longer editable or already 10 files; 413 too large; 415 not an allowed type. */
static int posts_file_upload(struct req *r)
{
	int64_t id, file_id;
	if (req_param_id(r, "id", &id) != 0 || boards_post_files_room(&r->c, id) != 0 ||
	    files_upload_request(r, "post", id, &file_id) != 0)
		return -1;
	return reply_or_fail(r, 201, files_get_json(&r->c, file_id));
}

/* GET /api/v1/posts/{id}/files — who may see the post (a hidden one: moderators). 200
 * {items}; 404. Each file downloads from GET /api/v1/files/{id}; its author removes it with
 * DELETE /api/v1/files/{id} while the post is editable. */
static int posts_files(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	return reply_or_fail(r, 200, files_list_json(&r->c, "post", id));
}

/* GET /api/v1/messages — any signed-in user. 200 {items: conversations with unread counts,
 * unread_total}. */
static int messages_list(struct req *r)
{
	return reply_or_fail(r, 200, dm_conversations_json(&r->c));
}

/* POST /api/v1/messages — any signed-in user, to whom the rules allow (dm.c). Body
 * {to_user_id, body}. 201 {conversation_id}; 403 not allowed; 404 no such user; 422. */
static int messages_send(struct req *r)
{
	json_t *obj;
	int64_t to = 0, conv;
	const char *body;
	static const char *const allowed[] = {"to_user_id", "body", NULL};
	if (req_json_object(r, &obj) != 0)
		return -1;
	v_no_unknown_fields(&r->c, obj, allowed);
	v_int(&r->c, obj, "to_user_id", V_REQUIRED, 1, INT64_MAX, &to, NULL);
	v_string(&r->c, obj, "body", V_REQUIRED, 5000, &body);
	if (error_check(&r->c.err) != 0 || dm_send(&r->c, to, body, &conv) != 0)
		return -1;
	return reply_json(r, 201, json_pack("{s:I}", "conversation_id", (json_int_t)conv));
}

/* GET /api/v1/messages/{id} — the two users of the conversation. Query: before (message id),
 * limit (1..100, default 50). 200 {items oldest first}; 404. */
static int messages_get(struct req *r)
{
	int64_t id, before, limit;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	req_query_int(r, "before", 0, 1, INT64_MAX, &before);
	req_query_int(r, "limit", 50, 1, 100, &limit);
	if (error_check(&r->c.err) != 0)
		return -1;
	return reply_or_fail(r, 200, dm_messages_json(&r->c, id, before, limit));
}

/* POST /api/v1/messages/{id}/read — the two users. 204; 404. */
static int messages_read(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0 || dm_mark_read(&r->c, id) != 0)
		return -1;
	return reply_no_content(r);
}

const struct route boards_routes[] = {
	{"GET", "/api/v1/boards", boards_list, ROLES_ALL, 0, "交流版块列表"},
	{"POST", "/api/v1/boards", boards_create, ROLES_MOD, 0, "新建交流版块"},
	{"GET", "/api/v1/boards/search", boards_search, ROLES_ALL, 0, "帖子全文检索"},
	{"GET", "/api/v1/boards/users", boards_users, ROLES_ALL, 0, "查找用户（@提及、私信）"},
	{"POST", "/api/v1/boards/preview", boards_preview, ROLES_ALL, 0, "Markdown 预览"},
	{"GET", "/api/v1/boards/{id}", boards_get, ROLES_ALL, 0, "交流版块详情"},
	{"POST", "/api/v1/boards/{id}/invites", boards_invite, ROLES_MOD, 0, "邀请用户加入版块"},
	{"GET", "/api/v1/boards/{id}/threads", boards_threads, ROLES_ALL, 0, "版块主题列表"},
	{"POST", "/api/v1/boards/{id}/threads", boards_thread_create, ROLES_ALL, 0, "发表主题"},
	{"GET", "/api/v1/threads/{id}", threads_get, ROLES_ALL, 0, "主题及回复"},
	{"POST", "/api/v1/threads/{id}/posts", threads_reply, ROLES_ALL, 0, "回复主题"},
	{"POST", "/api/v1/threads/{id}/follow", threads_follow, ROLES_ALL, 0, "关注或取消关注主题"},
	{"POST", "/api/v1/threads/{id}/hide", threads_hide, ROLES_MOD, 0, "隐藏或恢复主题（管理）"},
	{"POST", "/api/v1/threads/{id}/lock", threads_lock, ROLES_MOD, 0, "锁定或解锁主题（管理）"},
	{"PATCH", "/api/v1/posts/{id}", posts_edit, ROLES_ALL, 0, "编辑自己的帖子"},
	{"DELETE", "/api/v1/posts/{id}", posts_delete, ROLES_ALL, 0, "删除帖子"},
	{"GET", "/api/v1/posts/{id}/history", posts_history, ROLES_ALL, 0, "帖子编辑历史"},
	{"POST", "/api/v1/posts/{id}/hide", posts_hide, ROLES_MOD, 0, "隐藏或恢复帖子（管理）"},
	{"GET", "/api/v1/posts/{id}/files", posts_files, ROLES_ALL, 0, "帖子的附件"},
	{"POST", "/api/v1/posts/{id}/files", posts_file_upload, ROLES_ALL, ROUTE_UPLOAD, "上传帖子附件（作者，可编辑期内）"},
	{"GET", "/api/v1/messages", messages_list, ROLES_ALL, 0, "私信会话列表"},
	{"POST", "/api/v1/messages", messages_send, ROLES_ALL, 0, "发送私信"},
	{"GET", "/api/v1/messages/{id}", messages_get, ROLES_ALL, 0, "私信会话内容"},
	{"POST", "/api/v1/messages/{id}/read", messages_read, ROLES_ALL, 0, "标记私信已读"},
	{NULL, NULL, NULL, 0, 0, NULL},
};

const struct msg boards_messages[] = {
	{"boards.board_not_found", "未找到该版块", "No such board"},
	{"boards.thread_not_found", "未找到该主题", "No such thread"},
	{"boards.post_not_found", "未找到该帖子", "No such post"},
	{"boards.thread_locked", "该主题已锁定，不能回复", "The thread is locked"},
	{"boards.not_author", "只能编辑或删除自己的帖子", "You can only change your own posts"},
	{"boards.edit_window", "发帖 30 分钟后不能再编辑", "Posts can be edited for 30 minutes only"},
	{"boards.hidden_by_moderator", "已被管理员隐藏：", "Hidden by a moderator: "},
	{"boards.deleted", "该帖已删除", "This post was deleted"},
	{"boards.unknown_user", "用户不存在", "No such user"},
	{"boards.user_not_found", "收信人不存在", "No such recipient"},
	{"boards.dm_self", "不能给自己发私信", "You cannot message yourself"},
	{"boards.conversation_not_found", "未找到该会话", "No such conversation"},
	{"boards.too_many_files", "每个帖子最多 {n} 个附件", "A post can carry at most {n} files"},
	{"notify.board.mentioned", "{name} 在「{title}」中提到了您", "{name} mentioned you in \"{title}\""},
	{"notify.board.reply", "{name} 回复了您关注的主题「{title}」", "{name} replied in \"{title}\", which you follow"},
	{"notify.dm.message", "{name} 给您发来私信", "{name} sent you a message"},
	{NULL, NULL, NULL},
};
