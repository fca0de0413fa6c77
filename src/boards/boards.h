/*
 * Exchange boards (线上交流平台): boards, threads, replies, mentions, following, moderation,
 * full-text search over posts; and direct messages between users (dm.c).
 *
 * A board has a scope (field code, 12-digit street code, or a meeting-series id) and a
 * visibility: "all" signed-in users; "members": users of organizations in the board's street
 * (for a non-street board: users of any organization); "invited": users on its invite list.
 * Staff, administrators and supervisors see every board (ACT_BOARD_READ_ALL).
 *
 * Posts are Markdown, rendered on read. The first post of a thread carries the thread's text;
 * the title lives on the thread and is indexed with the first post. Hidden content (a
 * moderator's act, with a reason, audited) reads "已被管理员隐藏：原因" to everyone but
 * moderators. Deleting is soft. An author may edit a post for EDIT_WINDOW seconds; each edit
 * keeps the earlier text (post_edit).
 *
 * Attachments: a post (the first post of a thread or a reply) carries up to
 * BOARD_POST_MAX_FILES files of the generic store (src/files, object_type "post"). Its author
 * adds and removes them while the post is editable; whoever may see the post may list and
 * download them; a hidden post hides its files (404) from all but moderators, and a deleted
 * post's files are gone for everyone. The rules are the two callbacks below, registered in
 * app/file_owners.c.
 */
#ifndef TONGXIN_BOARDS_BOARDS_H
#define TONGXIN_BOARDS_BOARDS_H
#include <jansson.h>
#include <stdint.h>
#include "core/ctx.h"

enum { BOARD_EDIT_WINDOW = 1800, BOARD_POST_MAX_FILES = 10 };

extern const char *const board_scope_kinds[];  /* "field", "street", "series" */
extern const char *const board_visibilities[]; /* "all", "members", "invited" */

struct board_input {
	const char *name, *description, *scope_kind, *scope_key, *visibility;
};

/* ---- boards (boards.c) */
int board_input_from_json(struct ctx *c, json_t *obj, struct board_input *in);
/* ACT_BOARD_MANAGE. 0 with *id or -1. */
int board_create(struct ctx *c, const struct board_input *in, int64_t *id);
/* Adds users to an invited board's list (ACT_BOARD_MANAGE). */
int board_invite(struct ctx *c, int64_t board_id, const int64_t *user_ids, int n);
/* 1 if the user (with read_all rights or not) may see the board, 0 if not, -1 on error. */
int board_visible_to(struct ctx *c, int64_t board_id, int64_t user_id, int read_all);
/* 0 when the caller may see the board; else -1 with 404. */
int board_check_visible(struct ctx *c, int64_t board_id);
json_t *board_list_json(struct ctx *c);
json_t *board_get_json(struct ctx *c, int64_t id);

/* ---- threads and posts (threads.c) */
/* Creates a thread with its first post. 0 with *thread_id. */
int thread_create(struct ctx *c, int64_t board_id, const char *title, const char *body,
		  int64_t *thread_id);
/* A reply; 409 when the thread is locked. 0 with *post_id. */
int post_reply(struct ctx *c, int64_t thread_id, const char *body, int64_t *post_id);
/* The author edits within the window (409 after it). */
int post_edit(struct ctx *c, int64_t post_id, const char *body);
/* Soft delete by the author or a moderator. */
int post_delete(struct ctx *c, int64_t post_id);
/* Moderation (ACT_BOARD_MODERATE): hide = 1 with a reason, or 0 to show again. */
int post_set_hidden(struct ctx *c, int64_t post_id, int hide, const char *reason);
int thread_set_hidden(struct ctx *c, int64_t thread_id, int hide, const char *reason);
int thread_set_locked(struct ctx *c, int64_t thread_id, int locked);
int thread_follow(struct ctx *c, int64_t thread_id, int follow);
json_t *thread_list_json(struct ctx *c, int64_t board_id, int64_t page, int64_t per_page);
json_t *thread_get_json(struct ctx *c, int64_t thread_id, int64_t page, int64_t per_page);
json_t *post_history_json(struct ctx *c, int64_t post_id);
/* Users whose user name or display name starts with / contains q (mention autocompletion). */
json_t *boards_users_json(struct ctx *c, const char *q);
/* The post's files [{id, filename, mime, size, ...}] without a check (the caller shows the
 * post). New reference. */
json_t *boards_post_attachments_json(struct ctx *c, int64_t post_id);
/* The file-store owner checks of "post" (app/file_owners.c): 0, or -1 with c->err (404 for a post
 * the caller may not see; 403 not the author, 409 no longer editable for writes). */
int boards_post_files_may_read(struct ctx *c, int64_t post_id);
int boards_post_files_may_write(struct ctx *c, int64_t post_id);
/* 0 when the caller may add one more file to the post (may_write, and fewer than
 * BOARD_POST_MAX_FILES: 409 otherwise). */
int boards_post_files_room(struct ctx *c, int64_t post_id);

/* ---- search (post_search.c) */
/* (Re)writes the index entry of a post from the database (removes it when deleted). */
int post_index_in_tx(struct ctx *c, int64_t post_id);
/* Posts matching every word of q in boards the caller may see (board_id 0 = all of them),
 * newest first; total exact up to 1,000 (total_exact false beyond). */
json_t *post_search_json(struct ctx *c, const char *q, int64_t board_id, int64_t page,
			 int64_t per_page);

/* ---- direct messages (dm.c) */
/* Sends to a user, opening the conversation on first use. 0 with *message_id. */
int dm_send(struct ctx *c, int64_t to_user_id, const char *body, int64_t *conversation_id);
json_t *dm_conversations_json(struct ctx *c);
json_t *dm_messages_json(struct ctx *c, int64_t conversation_id, int64_t before_id, int64_t limit);
int dm_mark_read(struct ctx *c, int64_t conversation_id);

/* ---- demo (boards_demo.c) */
/* Boards by field and street with threads, replies and mentions; extra_posts more generated
 * posts (for the search benchmark). */
int boards_demo_load(struct ctx *c, unsigned seed, long extra_posts);

#endif
