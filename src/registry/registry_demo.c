/*
 * The demonstration district's registry data. Everything comes from a small PRNG seeded by the
 * caller, so the same seed gives the same district (tests and screenshots rely on it).
 *
 * Organizations go through org_create_in_tx() and people through person_create_in_tx(): the
 * demo exercises validation, the audit trail and the search index like real input does, and
 * is still fast because each transaction holds 500 organizations.
 */
#include <stdio.h>
#include <string.h>
#include "registry/org.h"
#include "registry/org_internal.h"
#include "registry/person.h"
#include "registry/registry_demo.h"
#include "lib/creditcode.h"

/* ------------------------------------------------------------------ randomness */

struct rng {
	uint64_t s;
};
static uint32_t rng_next(struct rng *r)
{
	/* splitmix64: tiny, good enough, and the same on every platform */
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}
static int rng_below(struct rng *r, int n)
{
	return (int)(rng_next(r) % (uint32_t)n);
}
#define PICK(r, arr) (arr[rng_below(r, (int)(sizeof arr / sizeof arr[0]))])

/* ------------------------------------------------------------------ the district */

static const char *const street_names[] = {"和平街道", "东湖街道", "文昌街道", "青山街道",
					   "滨河街道", "迎春街道", "清风街道"};
enum { NSTREETS = 7, COMMUNITIES_PER_STREET = 5 };
static const char *const community_names[NSTREETS * COMMUNITIES_PER_STREET] = {
	"阳光社区", "翠苑社区", "锦绣社区", "龙山社区", "梅园社区", "桂花社区", "丽都社区",
	"东风社区", "新华社区", "望湖社区", "书香社区", "银河社区", "春晖社区", "枫桥社区",
	"柳岸社区", "荷花社区", "长乐社区", "安康社区", "幸福社区", "和睦社区", "兴隆社区",
	"紫金社区", "清泉社区", "金桥社区", "花园社区", "百合社区", "映山社区", "秀水社区",
	"朝阳社区", "明珠社区", "康乐社区", "仁和社区", "文华社区", "水岸社区", "凤鸣社区",
};

static void street_code(int s, char out[13])
{
	snprintf(out, 13, "330602%03d000", s + 1);
}
static void community_code(int s, int k, char out[13])
{
	snprintf(out, 13, "330602%03d%03d", s + 1, k + 1);
}

static int add_division(struct ctx *c, const char *code, const char *name, const char *level,
			const char *parent)
{
	if (db_run(c->db,
		   "INSERT INTO division (code, name, level, parent_code) VALUES ($1, $2, $3, $4) "
		   "ON CONFLICT (code) DO NOTHING",
		   "ssss", code, name, level, parent) < 0)
		return ctx_db_error(c);
	return 0;
}

static int load_district(struct ctx *c)
{
	if (add_division(c, REGISTRY_DEMO_DISTRICT, "同心区", "district", NULL) != 0)
		return -1;
	for (int s = 0; s < NSTREETS; s++) {
		char sc[13], cc[13];
		street_code(s, sc);
		if (add_division(c, sc, street_names[s], "street", REGISTRY_DEMO_DISTRICT) != 0)
			return -1;
		for (int k = 0; k < COMMUNITIES_PER_STREET; k++) {
			community_code(s, k, cc);
			if (add_division(c, cc, community_names[s * COMMUNITIES_PER_STREET + k],
					 "community", sc) != 0)
				return -1;
		}
	}
	if (db_run(c->db,
		   "INSERT INTO setting (key, value, updated_at) VALUES ('district_code', $1, $2) "
		   "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
		   "updated_at = excluded.updated_at",
		   "sl", REGISTRY_DEMO_DISTRICT, c->now) < 0)
		return ctx_db_error(c);
	return 0;
}

/* ------------------------------------------------------------------ organizations */

struct theme {
	const char *word;  /* in names: 养老 */
	const char *field; /* org_field_codes */
	const char *tag1, *tag2;
	const char *work;  /* what they do, for descriptions */
};
static const struct theme themes[] = {
	{"养老", "social_service", "养老", "社区服务", "居家养老、助餐助浴和老年人精神慰藉"},
	{"助残", "social_service", "助残", "康复", "残疾人康复训练、辅具适配和就业辅导"},
	{"儿童", "education", "儿童", "家庭教育", "儿童课后托管、阅读推广和亲子活动"},
	{"青少年", "education", "青少年", "志愿服务", "青少年成长辅导、研学和志愿服务"},
	{"河道保护", "environment", "河道保护", "环保", "河道巡查、垃圾分类宣传和护水行动"},
	{"乡村振兴", "rural", "乡村振兴", "农业", "农产品推广、乡村旅游和技能培训"},
	{"文化", "culture", "文化传承", "非遗", "越剧、书法等传统文化传承和非遗展示"},
	{"法律", "law", "法律援助", "调解", "法律咨询、法律援助和邻里纠纷调解"},
	{"心理", "health", "心理健康", "医疗", "心理咨询、健康讲座和慢病管理"},
	{"健身", "sports", "体育健身", "全民健身", "全民健身、太极拳和社区运动会"},
	{"科普", "science", "科普", "科技", "科普讲座、青少年科技创新和防诈骗宣传"},
	{"慈善", "social_service", "慈善", "救助", "困难家庭帮扶、助学和应急救助"},
	{"就业", "professional", "就业创业", "职业培训", "就业指导、创业孵化和职业技能培训"},
	{"邻里", "social_service", "社区服务", "社区治理", "邻里互助、议事协商和社区营造"},
};
static const char *const brands[] = {"阳光", "爱心", "彩虹", "同行", "康宁", "启明",
				     "善德", "暖阳", "朝晖", "益友", "乐龄", "向日葵"};
static const char *const firms[] = {"恒信", "华宇", "瑞丰", "新元", "博远", "天成",
				    "金达", "宏图", "致远", "德润", "嘉禾", "中联"};
static const char *const industries[] = {"科技", "建设工程", "物业服务", "餐饮管理",
					 "纺织", "电子商务", "文化传媒", "环保科技"};
static const char *const bureaus[] = {
	"同心区民政局", "同心区人力资源和社会保障局", "同心区教育体育局", "同心区卫生健康局",
	"同心区文化广电旅游局", "同心区司法局", "同心区农业农村局", "同心区生态环境分局",
	"同心区退役军人事务局", "同心区市场监督管理局"};
static const char *const institutions[] = {"社会福利中心", "文化馆", "图书馆",
					   "疾病预防控制中心", "社会组织服务中心", "青少年宫",
					   "老年大学", "志愿服务指导中心"};
static const char *const academics[] = {"同心学院", "同心职业技术学院", "同心区社会科学研究院",
					"同心学院社会治理研究中心"};

/* Authority+type prefix of the credit code for each type (org_type_codes order). */
static const char *const type_prefix[] = {"51", "52", "53", "51", "91",
					  "12", "12", "Y1", "11", "31"};

struct demo_org {
	char name[160], code[19], street[13], community[13], founded[11];
	const char *type;
	const struct theme *theme;
	int street_index, community_index;
};

/* A unique organization code body for demo organization i: a bijection of i onto
 * 8 characters of the credit-code alphabet (multiplying by a number coprime to 31^8). */
static void org8_for(int i, unsigned seed, char out[9])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	uint64_t mod = 852891037441ULL; /* 31^8 */
	uint64_t v = ((uint64_t)i * 2654435761ULL + seed) % mod;
	for (int k = 7; k >= 0; k--) {
		out[k] = alphabet[v % 31];
		v /= 31;
	}
	out[8] = 0;
}

static void org_name(struct rng *r, struct demo_org *o, int type)
{
	const char *street = street_names[o->street_index];
	const char *community = community_names[o->street_index * COMMUNITIES_PER_STREET +
						o->community_index];
	const char *prefix = rng_below(r, 2) ? "同心区" : street;
	const char *w = o->theme->word;
	switch (type) {
	case 0: snprintf(o->name, sizeof o->name, "%s%s%s", prefix, w, PICK(r, ((const char *[]){"协会", "促进会", "联合会", "研究会"}))); break;
	case 1: snprintf(o->name, sizeof o->name, "%s%s%s服务中心", prefix, PICK(r, brands), w); break;
	case 2: snprintf(o->name, sizeof o->name, "同心区%s%s公益基金会", PICK(r, brands), w); break;
	case 3: snprintf(o->name, sizeof o->name, "%s%s%s志愿服务队", community, PICK(r, brands), w); break;
	case 4: snprintf(o->name, sizeof o->name, "绍兴%s%s有限公司", PICK(r, firms), PICK(r, industries)); break;
	case 5: snprintf(o->name, sizeof o->name, "同心区%s", PICK(r, institutions)); break;
	case 6: snprintf(o->name, sizeof o->name, "%s", PICK(r, academics)); break;
	case 7: snprintf(o->name, sizeof o->name, "%s居民委员会", community); break;
	case 8: snprintf(o->name, sizeof o->name, "%s", PICK(r, bureaus)); break;
	default: snprintf(o->name, sizeof o->name, "浙江%s律师事务所", PICK(r, firms)); break;
	}
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
				       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高",
				       "金", "沈", "钱", "俞", "蒋", "宋", "范", "傅", "谢", "韩"};
static const char *const given[] = {"伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
				    "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "建国",
				    "晓燕", "志强", "海燕", "玉兰", "国庆", "文彬", "佳怡", "子涵",
				    "浩然", "雨萱", "建华"};

static const char *person_name(struct ctx *c, struct rng *r)
{
	return arena_printf(c->arena, "%s%s", PICK(r, surnames), PICK(r, given));
}

static const char *mobile(struct ctx *c, struct rng *r)
{
	static const char *const heads[] = {"130", "133", "135", "138", "139", "150", "158",
					    "177", "186", "189", "198"};
	return arena_printf(c->arena, "%s%04d%04d", PICK(r, heads), rng_below(r, 10000),
			    rng_below(r, 10000));
}

/* A valid-looking resident ID number born in 1955-1999 in the district. */
static const char *id_number(struct ctx *c, struct rng *r)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	char s[19];
	snprintf(s, sizeof s, "330602%04d%02d%02d%03d", 1955 + rng_below(r, 45), 1 + rng_below(r, 12),
		 1 + rng_below(r, 28), rng_below(r, 1000));
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * weights[i];
	s[17] = "10X98765432"[sum % 11];
	s[18] = 0;
	return arena_strdup(c->arena, s);
}

static int add_people(struct ctx *c, struct rng *r, int64_t org_id)
{
	static const char *const titles[] = {"法定代表人", "秘书长", "联系人", "理事"};
	static const char *const cats[] = {"new_social_stratum", "democratic_party", "non_party",
					   "non_public_economy", "ethnic_minority", "other"};
	int n = 2 + rng_below(r, 3);
	for (int i = 0; i < n; i++) {
		struct person_input p = {0};
		p.name = person_name(c, r);
		p.gender = rng_below(r, 2) ? "male" : "female";
		p.phone = mobile(c, r);
		p.uf_category = rng_below(r, 3) == 0 ? PICK(r, cats) : NULL;
		p.id_number = rng_below(r, 5) == 0 ? id_number(c, r) : NULL;
		p.org_id = org_id;
		p.role_title = titles[i < 4 ? i : 3];
		int64_t id;
		if (person_create_in_tx(c, &p, &id) != 0)
			return -1;
	}
	return 0;
}

static int add_grades(struct ctx *c, struct rng *r, int64_t org_id)
{
	static const char *const grades[] = {"5A", "4A", "4A", "3A", "3A", "3A", "2A", "1A"};
	int n = 1 + rng_below(r, 2);
	/* announced 2018-2021, a renewal five years on: most demo grades are current today */
	int year = 2018 + rng_below(r, 4);
	for (int i = 0; i < n; i++, year += 5) {
		struct org_grade_input g = {0};
		char from[11], to[11];
		g.grade = PICK(r, grades);
		g.announced_on = arena_printf(c->arena, "%04d-%02d-%02d", year, 6 + rng_below(r, 6),
					      1 + rng_below(r, 28));
		org_grade_default_validity(g.announced_on, from, to);
		g.valid_from = arena_strdup(c->arena, from);
		g.valid_to = arena_strdup(c->arena, to);
		int64_t id;
		if (org_grade_add_in_tx(c, org_id, &g, &id) != 0)
			return -1;
	}
	return 0;
}

/* Organization number i (0-based). The first ten cycle through every type so a small demo
 * has them all; the first is a 社会团体 in 和平街道 (registry_demo_first_org). */
static int make_org(struct ctx *c, struct rng *r, int i, unsigned seed)
{
	static const int type_weights[] = {18, 16, 4, 24, 14, 6, 3, 6, 3, 6}; /* of 100 */
	struct demo_org o = {0};
	int type = i;
	if (i >= 10)
		for (int w = rng_below(r, 100), t = 0; t < 10; w -= type_weights[t], t++)
			if (w < type_weights[t]) {
				type = t;
				break;
			}
	o.type = org_type_codes[type];
	o.theme = &themes[i == 0 ? 0 : rng_below(r, (int)(sizeof themes / sizeof themes[0]))];
	o.street_index = i == 0 ? 0 : rng_below(r, NSTREETS);
	o.community_index = rng_below(r, COMMUNITIES_PER_STREET);
	street_code(o.street_index, o.street);
	community_code(o.street_index, o.community_index, o.community);
	org_name(r, &o, type);
	char org8[9];
	org8_for(i, seed, org8);
	int has_code = type != 3 || rng_below(r, 3) == 0; /* most community groups are filed only */
	if (has_code)
		creditcode_make(type_prefix[type], "330602", org8, o.code);
	snprintf(o.founded, sizeof o.founded, "%04d-%02d-%02d", 1990 + rng_below(r, 34),
		 1 + rng_below(r, 12), 1 + rng_below(r, 28));

	struct org_input in = {0};
	const char *fields[3] = {o.theme->field, NULL, NULL};
	if (rng_below(r, 3) == 0 && strcmp(o.theme->field, "social_service") != 0)
		fields[1] = "social_service";
	const char *tags[3] = {o.theme->tag1, o.theme->tag2, NULL};
	in.name = o.name;
	in.short_name = NULL;
	in.credit_code = has_code ? o.code : NULL;
	in.type = o.type;
	in.fields = fields;
	in.tags = tags;
	in.street_code = o.street;
	in.community_code = type == 8 || type == 6 ? NULL : o.community;
	in.address = arena_printf(c->arena, "浙江省绍兴市同心区%s%s%d号",
				  community_names[o.street_index * 5 + o.community_index],
				  PICK(r, ((const char *[]){"解放路", "人民路", "中兴路", "胜利路", "环城路"})),
				  1 + rng_below(r, 400));
	in.legal_representative = person_name(c, r);
	in.contact_person = person_name(c, r);
	in.contact_phone = mobile(c, r);
	in.contact_email = arena_printf(c->arena, "contact%d@example.org", i + 1);
	in.founded_on = o.founded;
	in.registration_authority = type <= 3 ? "同心区民政局" : type == 4 ? "同心区市场监督管理局" : NULL;
	in.supervising_unit = type <= 2 ? PICK(r, bureaus) : NULL;
	in.staff_count = rng_below(r, 60);
	in.volunteer_count = rng_below(r, 500);
	in.annual_budget = 10000 * (int64_t)rng_below(r, 500);
	in.has_party_org = rng_below(r, 3) == 0;
	in.description = arena_printf(c->arena, "%s成立于%.4s年，主要开展%s等服务，服务范围覆盖%s及周边社区。",
				      o.name, o.founded, o.theme->work, street_names[o.street_index]);
	in.status = rng_below(r, 40) == 0 ? "suspended" : "active";
	int64_t id;
	/* registrations spread over the last three years, so the dashboard's months mean
	 * something; derived from i, not the generator, so the rest of the district is unchanged */
	int64_t now = c->now;
	c->now = now - (int64_t)((i * 7919) % 1095) * 86400;
	int rc = org_create_in_tx(c, &in, &id);
	c->now = now;
	if (rc != 0 || add_people(c, r, id) != 0)
		return -1;
	if (type <= 2 && rng_below(r, 3) == 0)
		return add_grades(c, r, id);
	return 0;
}

int registry_demo_load(struct ctx *c, int organizations, unsigned seed,
		       void (*progress)(void *arg, int done, int total), void *arg)
{
	int have = db_exists(c->db, "SELECT 1 FROM org", "");
	if (have != 0)
		return have < 0 ? ctx_db_error(c)
				: error_set(&c->err, E_CONFLICT, "registry.demo_exists");
	/* index pages of a 100,000-organization load do not fit SQLite's default 2 MB cache;
	 * a bigger one for this connection only keeps the load linear */
	if (db_engine(c->db) == DB_SQLITE)
		db_exec_script(c->db, "PRAGMA cache_size = -262144");
	struct rng r = {seed};
	struct arena *outer = c->arena;
	enum { BATCH = 500 };
	for (int done = 0; done < organizations || done == 0;) {
		if (db_begin(c->db) != 0)
			return ctx_db_error(c);
		c->arena = arena_new(); /* one batch's strings, freed with it */
		int rc = done == 0 ? load_district(c) : 0;
		int end = done + BATCH < organizations ? done + BATCH : organizations;
		for (int i = done; rc == 0 && i < end; i++)
			rc = make_org(c, &r, i, seed);
		arena_free(c->arena);
		c->arena = outer;
		if (rc != 0 || db_commit(c->db) != 0) {
			if (rc == 0)
				ctx_db_error(c);
			db_rollback(c->db);
			return -1;
		}
		done = end > done ? end : done + 1;
		if (progress)
			progress(arg, done < organizations ? done : organizations, organizations);
	}
	return 0;
}

int registry_demo_first_org(struct ctx *c, int64_t *id)
{
	*id = db_int(c->db, 0, "SELECT min(id) FROM org", "");
	return *id > 0 ? 0 : error_set(&c->err, E_NOT_FOUND, "registry.org_not_found");
}
