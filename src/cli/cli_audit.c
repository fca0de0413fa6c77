/*
 * tongxin audit verify|list, and tongxin backup FILE — the operator's tools for the audit
 * trail (src/audit) and for copies of the database (db_backup in src/db/db_backup.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "audit/audit.h"
#include "cli/cli.h"

static const char audit_help[] =
    "用法 usage:\n"
    "  tongxin audit verify [--anchor ID:HASH]\n"
    "  tongxin audit list [--object-type T] [--object-id N] [--action A] [--actor USER_ID]\n"
    "                     [--limit N]\n\n"
    "verify  重算整条审计哈希链；完好时退出码 0 并打印链头（请另行保存，用于发现末尾记录被删），\n"
    "        否则退出码 1 并指出第一条有问题的记录。--anchor 检查以前保存的链头仍在。\n"
    "        Recomputes the whole hash chain: exit 0 when intact (prints the head to keep\n"
    "        elsewhere), 1 naming the first bad record. --anchor checks a head kept earlier.\n"
    "list    最新的审计记录（默认 20 条）  the newest records (20 unless --limit N, at most "
    "1000)\n";

static const char backup_help[] =
    "用法 usage: tongxin backup FILE [--force] [--database URL | --data-dir DIR]\n\n"
    "在服务运行时备份数据库。SQLite：在线备份，得到一致、可直接打开的副本；\n"
    "PostgreSQL：pg_dump --format=custom（用 pg_restore 恢复）。FILE 已存在时需 --force。\n"
    "Backs up the database while the server runs. SQLite: the online backup API, giving a\n"
    "consistent copy you can open; PostgreSQL: pg_dump --format=custom (restore with\n"
    "pg_restore). An existing FILE is only replaced with --force.\n"
    "数据库由 --database 或 --data-dir（及其环境变量）指定，与 serve 相同；附件目录（DIR/files）\n"
    "不在备份中，请另行复制。The database is the one --database or --data-dir (or their\n"
    "variables) name, as for serve; the attachment store (DIR/files) is not in it: copy it too.\n";

/* Opens the database the options name, without migrating it: these commands read (or copy)
 * what is there, so they neither wait for the server's write lock nor change a backup copy.
 * A SQLite file must already exist (so a mistyped path is an error, not an empty, "intact"
 * trail); with `need_audit`, the audit migration must have run. NULL after printing why. */
static struct db *open_existing(struct cli_opts *o, int need_audit)
{
	const char *url = cli_database_url(o);
	struct stat sb;
	if (!db_is_postgres_url(url) && stat(url, &sb) != 0) {
		fprintf(stderr, "tongxin: 数据库不存在 no database at %s\n", url);
		return NULL;
	}
	struct error err = {0};
	struct db *db = db_open(url, &err);
	if (!db) {
		cli_print_error(&err);
		return NULL;
	}
	if (need_audit &&
	    db_exists(db, "SELECT 1 FROM schema_migrations WHERE version = 4", "") != 1) {
		fprintf(stderr, "tongxin: 数据库尚无审计表，请先运行 tongxin init  "
		                "the database has no audit trail yet; run tongxin init\n");
		db_close(db);
		return NULL;
	}
	return db;
}

/* ---------------------------------------------------------------- verify */

static void print_progress(int64_t done, int64_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "已校验 checked %" PRId64 " / ~%" PRId64 " records\n", done, total);
}

/* "ID:HASH" -> id and hash (64 hex digits). 0 or -1. */
static int parse_anchor(const char *s, int64_t *id, char hash[65])
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (v < 1 || *end != ':' || strlen(end + 1) != 64 ||
	    strspn(end + 1, "0123456789abcdef") != 64)
		return -1;
	*id = v;
	memcpy(hash, end + 1, 65);
	return 0;
}

static int audit_verify_cmd(struct ctx *c, int argc, char **argv)
{
	int64_t anchor_id = 0;
	char anchor_hash[65] = "";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--anchor") == 0 && i + 1 < argc &&
		    parse_anchor(argv[i + 1], &anchor_id, anchor_hash) == 0) {
			i++;
			continue;
		}
		fprintf(stderr,
		        "tongxin audit verify: 无法识别 cannot use '%s' (--anchor ID:HASH)\n",
		        argv[i]);
		return 2;
	}
	struct audit_verify_result v;
	if (audit_verify_progress(c, &v, print_progress, NULL) != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	if (!v.ok) {
		printf("审计链已损坏 AUDIT CHAIN BROKEN at record %" PRId64 ": %s\n"
		       "(%" PRId64 " records checked)\n",
		       v.first_bad_id, v.problem, v.records);
		return 1;
	}
	char problem[160];
	if (anchor_id && audit_check_anchor(c, anchor_id, anchor_hash, problem) != 0) {
		if (!problem[0]) {
			cli_print_error(&c->err);
			return 1;
		}
		printf("审计链与保存的链头不符 ANCHOR MISMATCH: %s\n", problem);
		return 1;
	}
	printf("审计链完好 audit chain intact: %" PRId64 " records%s\n", v.records,
	       anchor_id ? ", anchor found" : "");
	printf("链头 head: %" PRId64 ":%s\n", v.head_id, v.head_hash);
	return 0;
}

/* ---------------------------------------------------------------- list */

/* at as "2026-01-01 08:00:00" in Asia/Shanghai (UTC+8 all year). */
static void format_time(int64_t at, char out[32])
{
	time_t t = (time_t)(at + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static int list_option(struct audit_filter *f, const char *a, const char *v)
{
	if (strcmp(a, "--object-type") == 0)
		f->object_type = v;
	else if (strcmp(a, "--action") == 0)
		f->action = v;
	else if (strcmp(a, "--object-id") == 0)
		f->has_object_id = 1, f->object_id = atoll(v);
	else if (strcmp(a, "--actor") == 0)
		f->has_actor = 1, f->actor_id = atoll(v);
	else if (strcmp(a, "--limit") == 0) {
		f->per_page = atoll(v);
		if (f->per_page < 1 || f->per_page > 1000)
			return -1;
	} else
		return -1;
	return 0;
}

static void print_item(json_t *it)
{
	char when[32];
	format_time(json_integer_value(json_object_get(it, "at")), when);
	char *after = json_dumps(json_object_get(it, "after"), JSON_COMPACT | JSON_ENCODE_ANY);
	printf("#%-6" JSON_INTEGER_FORMAT " %s  %s(%" JSON_INTEGER_FORMAT
	       ")  %s  %s#%" JSON_INTEGER_FORMAT "  %s\n",
	       json_integer_value(json_object_get(it, "id")), when,
	       json_string_value(json_object_get(it, "actor_name")),
	       json_integer_value(json_object_get(it, "actor_id")),
	       json_string_value(json_object_get(it, "action")),
	       json_string_value(json_object_get(it, "object_type")),
	       json_integer_value(json_object_get(it, "object_id")), after ? after : "null");
	free(after);
}

static int audit_list_cmd(struct ctx *c, int argc, char **argv)
{
	struct audit_filter f = {.from = INT64_MIN, .to = INT64_MAX, .page = 1, .per_page = 20};
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc || list_option(&f, argv[i], argv[i + 1]) != 0) {
			fprintf(stderr, "tongxin audit list: 无法识别 cannot use '%s'\n\n%s",
			        argv[i], audit_help);
			return 2;
		}
		i++;
	}
	json_t *items;
	int64_t total;
	if (audit_list(c, &f, &items, &total) != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) print_item(it);
	printf("(%zu / %" PRId64 " records)\n", json_array_size(items), total);
	json_decref(items);
	return 0;
}

int cli_audit(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	int known = argc >= 2 && (strcmp(argv[1], "verify") == 0 || strcmp(argv[1], "list") == 0);
	if (o.help || !known) {
		fputs(audit_help, o.help ? stdout : stderr);
		return o.help ? 0 : 2;
	}
	struct db *db = open_existing(&o, 1);
	if (!db)
		return 1;
	struct ctx c;
	struct principal who;
	int status = 1;
	if (cli_ctx_init(&c, &who, &o, db) == 0)
		status = strcmp(argv[1], "verify") == 0 ? audit_verify_cmd(&c, argc - 1, argv + 1)
		                                        : audit_list_cmd(&c, argc - 1, argv + 1);
	cli_ctx_free(&c);
	db_close(db);
	return status;
}

/* ---------------------------------------------------------------- backup */

int cli_backup(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	const char *file = NULL;
	int force = 0, bad = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			bad = 1;
	}
	if (o.help || bad || !file) {
		fputs(backup_help, o.help ? stdout : stderr);
		return o.help ? 0 : 2;
	}
	struct stat sb;
	if (!force && stat(file, &sb) == 0) {
		fprintf(stderr, "tongxin backup: %s 已存在 already exists (--force replaces it)\n",
		        file);
		return 1;
	}
	struct db *db = open_existing(&o, 0);
	if (!db)
		return 1;
	struct error err = {0};
	int rc = db_backup(db, file, &err);
	if (rc != 0)
		fprintf(stderr, "tongxin backup: 备份失败 backup failed: %s\n", err.log);
	else if (stat(file, &sb) == 0)
		printf("已备份 backed up %s database to %s (%lld bytes)\n", db_engine_name(db),
		       file, (long long)sb.st_size);
	db_close(db);
	return rc == 0 ? 0 : 1;
}
