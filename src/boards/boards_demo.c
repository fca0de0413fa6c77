/*
 * Demo boards: by field, by street, and one for a meeting series, with threads and replies in
 * the voices of the demo accounts (some @mentions), written through the domain so counters,
 * followers, notifications and the search index are all real. A few posts carry attachments,
 * stored through the file store (sniffed, audited) as their authors would upload them.
 *
 * extra_posts (tongxin demo --board-posts N, for the search benchmark) adds N generated posts
 * in threads of ten, written straight to the tables in batches (no notifications, no audit:
 * they are load, not history) and indexed the same way as real posts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accounts/accounts.h"
#include "boards/boards.h"
#include "files/files.h"
#include "registry/registry_demo.h"

struct demo_post {
	const char *author, *body;
};

static const struct {
	int board; /* index into boards[] */
	const char *author, *title, *body;
	struct demo_post replies[4];
} threads[] = {
	{0, "member", "暑期托管班经验交流",
	 "我们机构今年暑期在两个社区开办了托管班，共服务 **120** 名儿童。\n\n想请教各位：志愿者排班和安全保险是怎么解决的？",
	 {{"orgadmin", "我们和街道社区学校合作，志愿者按周排班，保险由区志愿者协会统一购买。"},
	  {"expert", "建议把安全预案写进服务协议，家长签字确认。@member 可以参考区教育局的模板。"},
	  {"member", "谢谢 @expert，模板已经找到了。"}}},
	{0, "expert", "青少年心理健康讲座资源共享",
	 "高校心理中心可以提供每月两次公益讲座，有需要的组织请在下面回复时间和地点。",
	 {{"member", "我们社区青少年活动中心有需要，周六下午都可以。"}, {"orgadmin", "报名，希望安排在开学前。"}}},
	{1, "orgadmin", "养老助餐点运营成本讨论",
	 "助餐点每份餐的补贴标准各街道不一样，大家的运营成本大概是多少？食材和人工各占多少？",
	 {{"staff", "民政局正在统计各街道的数据，欢迎大家在这里补充。@orgadmin 辛苦汇总一下。"},
	  {"member", "我们点位日均 80 份，人工占四成左右。"}}},
	{1, "resident", "社区志愿服务时长怎么查询",
	 "我参加了几次助老志愿服务，请问服务时长在哪里可以查到？",
	 {{"staff", "志愿服务记录功能即将上线，届时可以在“我的志愿”中查看和打印证明。"}}},
	{2, "member", "和平街道垃圾分类宣传活动招募",
	 "本月 20 日在和平广场举办垃圾分类宣传活动，需要 10 名志愿者，请各组织推荐。",
	 {{"orgadmin", "我们可以出 3 人。"}, {"member", "感谢！@staff 场地已经和街道确认了吗？"},
	  {"staff", "已确认，物资由街道提供。"}}},
	{3, "staff", "第三次联席会议议程征集",
	 "下次联席会议拟讨论“一老一小”服务项目对接，请各成员单位提出议题。",
	 {{"orgadmin", "建议增加社区议事协商的经验分享。"}, {"member", "同意，另外希望通报上次会议事项的落实情况。"}}},
};

static const struct {
	const char *name, *description, *scope_kind, *scope_key, *visibility;
} boards[] = {
	{"教育领域交流", "教育类社会组织交流经验、共享资源", "field", "education", "all"},
	{"社会服务交流", "养老、助残、社区服务等社会服务领域", "field", "social_service", "all"},
	{"和平街道组织交流", "和平街道辖区社会组织成员交流", "street", REGISTRY_DEMO_FIRST_STREET, "members"},
	{"“一老一小”联席会议", "月度联席会议成员单位交流", "series", "1", "invited"},
};

/* Attachments of demo posts: thread index, reply index (-1 = the opening post), name, text. */
static const struct {
	int thread, reply;
	const char *filename, *text;
} demo_files[] = {
	{0, 1, "暑期托管安全预案（模板）.md",
	 "# 暑期托管安全预案（模板）\n\n1. 每日签到、签退，家长当面交接。\n"
	 "2. 志愿者上岗前完成安全培训，按周排班，每班不少于 2 人。\n"
	 "3. 活动场地每日检查消防通道与急救箱。\n4. 发生意外：先处置、再报告街道与家长。\n"},
	{2, -1, "助餐点运营成本统计表.txt",
	 "助餐点运营成本统计表（示例）\n项目\t每日金额（元）\n食材\t960\n人工\t720\n"
	 "水电燃气\t150\n其他\t90\n合计\t1920\n日均份数\t80\n"},
	{2, 1, "和平街道助餐点数据.txt",
	 "和平街道助餐点：日均 80 份，人工约占四成，食材约占五成。\n"},
	{4, -1, "垃圾分类宣传活动安排.md",
	 "# 垃圾分类宣传活动安排\n\n- 时间：本月 20 日 9:00—11:30\n- 地点：和平广场\n"
	 "- 分工：宣讲 4 人，互动游戏 3 人，物资发放 3 人\n"},
};

/* Attaches the demo files of post (thread t, reply k) as its author, inside its edit window. */
static int attach_demo_files(struct ctx *c, size_t t, int k, int64_t post_id)
{
	for (size_t i = 0; i < sizeof demo_files / sizeof demo_files[0]; i++) {
		if ((size_t)demo_files[i].thread != t || demo_files[i].reply != k)
			continue;
		int64_t id;
		if (files_store(c, "post", post_id, demo_files[i].filename, demo_files[i].text,
				strlen(demo_files[i].text), &id) != 0)
			return -1;
	}
	return 0;
}

static int as(struct ctx *c, const char *username, struct principal *p)
{
	if (accounts_principal_by_username(c, username, p) != 0)
		return -1;
	c->who = p;
	return 0;
}

/* Generated text for the benchmark: sentences drawn from a phrase bank. */
static const char *const phrases[] = {
	"社区议事会讨论了垃圾分类", "志愿者服务时长需要登记", "养老助餐点的运营成本", "青少年暑期托管班",
	"联席会议议题征集", "公益项目申报截止", "街道社区学校合作", "心理健康公益讲座", "助残康复服务",
	"邻里守望互助小组", "环保宣传进社区", "法律援助咨询日", "文化活动中心开放", "体育健身指导",
	"慈善募捐活动", "儿童安全教育", "困难家庭走访慰问", "社区治理能力提升", "资源清单和需求清单",
	"供需对接会", "项目资金使用公示", "老旧小区改造意见", "停车难问题协商", "物业服务满意度",
};

static void generated_text(struct buf *b, unsigned *r, int sentences)
{
	for (int i = 0; i < sentences; i++) {
		*r = *r * 1103515245u + 12345u;
		buf_printf(b, "%s%s", phrases[(*r >> 8) % (sizeof phrases / sizeof phrases[0])],
			   i % 3 == 2 ? "。\n" : "，");
	}
}

static int extra(struct ctx *c, const int64_t *board_ids, int nboards, long n, unsigned seed)
{
	unsigned r = seed;
	int64_t author = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'member'", "");
	long done = 0;
	while (done < n) {
		if (db_begin(c->db) != 0)
			return ctx_db_error(c);
		for (int k = 0; k < 500 && done < n; k++) {
			int64_t board = board_ids[done / 10 % nboards];
			struct buf title = {0}, body = {0};
			generated_text(&title, &r, 1);
			int64_t thread = db_int(c->db, -1,
						"INSERT INTO thread (board_id, title, author_id, created_at, "
						"last_post_at, reply_count) VALUES ($1, $2, $3, $4, $4, 9) "
						"RETURNING id",
						"lsll", board, title.data, author, c->now - (n - done));
			for (int j = 0; j < 10 && done < n && thread > 0; j++, done++) {
				buf_reset(&body);
				generated_text(&body, &r, 3 + (int)(r % 6));
				int64_t post = db_int(c->db, -1,
						      "INSERT INTO post (thread_id, board_id, author_id, body, "
						      "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
						      "lllsl", thread, board, author, body.data,
						      c->now - (n - done));
				if (post < 0 || post_index_in_tx(c, post) != 0) {
					thread = -1;
					break;
				}
			}
			buf_free(&title);
			buf_free(&body);
			if (thread < 0) {
				db_rollback(c->db);
				return c->err.kind ? -1 : ctx_db_error(c);
			}
		}
		if (db_commit(c->db) != 0)
			return ctx_db_error(c);
		if (done % 20000 == 0)
			fprintf(stderr, "\r  帖子 posts %ld/%ld", done, n);
	}
	if (n)
		fputc('\n', stderr);
	return db_run(c->db,
		      "UPDATE board SET post_count = (SELECT count(*) FROM post WHERE post.board_id = "
		      "board.id), thread_count = (SELECT count(*) FROM thread WHERE thread.board_id = "
		      "board.id)",
		      "") < 0
		       ? ctx_db_error(c)
		       : 0;
}

int boards_demo_load(struct ctx *c, unsigned seed, long extra_posts)
{
	const struct principal *system = c->who;
	struct principal who;
	int64_t ids[sizeof boards / sizeof boards[0]];
	int64_t now = c->now;
	int rc = as(c, "staff", &who);
	for (size_t i = 0; i < sizeof boards / sizeof boards[0] && rc == 0; i++) {
		struct board_input in = {boards[i].name, boards[i].description, boards[i].scope_kind,
					 boards[i].scope_key, boards[i].visibility};
		rc = board_create(c, &in, &ids[i]);
	}
	int64_t invited[2] = {0, 0};
	invited[0] = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'member'", "");
	invited[1] = db_int(c->db, 0, "SELECT id FROM app_user WHERE username = 'orgadmin'", "");
	if (rc == 0)
		rc = board_invite(c, ids[3], invited, 2);
	for (size_t t = 0; t < sizeof threads / sizeof threads[0] && rc == 0; t++) {
		int64_t thread, post;
		c->now = now - (int64_t)(sizeof threads / sizeof threads[0] - t) * 86400;
		rc = as(c, threads[t].author, &who);
		if (rc == 0)
			rc = thread_create(c, ids[threads[t].board], threads[t].title, threads[t].body,
					   &thread);
		if (rc == 0) {
			post = db_int(c->db, -1, "SELECT min(id) FROM post WHERE thread_id = $1", "l",
				      thread);
			rc = post > 0 ? attach_demo_files(c, t, -1, post) : ctx_db_error(c);
		}
		for (int k = 0; k < 4 && threads[t].replies[k].author && rc == 0; k++) {
			c->now += 3600 * (k + 1);
			rc = as(c, threads[t].replies[k].author, &who);
			if (rc == 0)
				rc = post_reply(c, thread, threads[t].replies[k].body, &post);
			if (rc == 0)
				rc = attach_demo_files(c, t, k, post);
		}
	}
	c->who = system;
	c->now = now;
	if (rc == 0 && extra_posts > 0)
		rc = extra(c, ids, 2, extra_posts, seed);
	return rc;
}
