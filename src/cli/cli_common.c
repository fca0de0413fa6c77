#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "lib/clock.h"
#include "accounts/accounts.h"
#include "cli/cli.h"
#include "files/files.h"
#include "http/http.h"
#include "notify/notify_admin.h"

enum lang cli_lang(void)
{
	const char *l = getenv("LC_ALL");
	if (!l || !*l)
		l = getenv("LANG");
	return l && strncmp(l, "en", 2) == 0 ? LANG_EN : LANG_ZH;
}

int cli_parse_common(struct cli_opts *o, int *argc, char **argv)
{
	if (!o->database)
		o->database = getenv("TONGXIN_DATABASE");
	if (!o->data_dir)
		o->data_dir = getenv("TONGXIN_DATA_DIR");
	if (!o->listen)
		o->listen = getenv("TONGXIN_LISTEN");
	if (!o->public_url)
		o->public_url = getenv("TONGXIN_PUBLIC_URL");
	if (!o->files_dir)
		o->files_dir = getenv("TONGXIN_FILES_DIR");
	if (!o->data_dir || !*o->data_dir)
		o->data_dir = "data";
	if (!o->listen || !*o->listen)
		o->listen = "127.0.0.1:8080";
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--database") == 0)
			slot = &o->database;
		else if (strcmp(a, "--data-dir") == 0)
			slot = &o->data_dir;
		else if (strcmp(a, "--files-dir") == 0)
			slot = &o->files_dir;
		else if (strcmp(a, "--listen") == 0)
			slot = &o->listen;
		else if (strcmp(a, "--as") == 0)
			slot = &o->as_user;
		else if (strcmp(a, "--public-url") == 0)
			slot = &o->public_url;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = 1;
			continue;
		}
		if (slot) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "tongxin: %s 需要一个值 needs a value\n", a);
				return 2;
			}
			*slot = argv[++i];
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	*argc = out;
	/* the attachment store lives in the data directory unless --files-dir (or
	 * TONGXIN_FILES_DIR) moves it; computed after the flags, so `--data-dir` alone moves it */
	const char *files = o->files_dir;
	char path[4096];
	if (!files || !*files) {
		snprintf(path, sizeof path, "%s/files", o->data_dir);
		files = path;
	}
	files_configure(files);
	if (o->public_url && *o->public_url && !notify_public_url_valid(o->public_url)) {
		fprintf(stderr, "tongxin: --public-url 须为 http(s):// 开头的网址 must be an http(s) URL: "
				"%s\n", o->public_url);
		return 2;
	}
	notify_configure_public_url(o->public_url);
	return 0;
}

const char *cli_database_url(struct cli_opts *o)
{
	if (o->database && *o->database)
		return o->database;
	if (mkdir(o->data_dir, 0750) != 0 && errno != EEXIST)
		fprintf(stderr, "tongxin: cannot create data directory %s: %s\n", o->data_dir,
			strerror(errno));
	static char path[4096];
	snprintf(path, sizeof path, "%s/tongxin.db", o->data_dir);
	o->database = path;
	return path;
}

void cli_print_error(const struct error *e)
{
	json_t *p = problem_json(e, cli_lang(), NULL);
	fprintf(stderr, "tongxin: %s\n", json_string_value(json_object_get(p, "detail")));
	json_t *errors = json_object_get(p, "errors");
	size_t i;
	json_t *f;
	json_array_foreach(errors, i, f)
	{
		fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(f, "field")),
			json_string_value(json_object_get(f, "message")));
	}
	json_decref(p);
	if (e->log[0])
		fprintf(stderr, "  (%s)\n", e->log);
}

struct db *cli_open_db(struct cli_opts *o)
{
	struct error err = {0};
	const char *url = cli_database_url(o);
	struct db *db = db_open(url, &err);
	if (!db) {
		cli_print_error(&err);
		return NULL;
	}
	if (db_migrate(db, &err) < 0) {
		cli_print_error(&err);
		db_close(db);
		return NULL;
	}
	return db;
}

int cli_ctx_init(struct ctx *c, struct principal *who, struct cli_opts *o, struct db *db)
{
	memset(c, 0, sizeof *c);
	c->arena = arena_new();
	c->db = db;
	c->lang = cli_lang();
	c->now = clock_now();
	c->remote_addr = "cli";
	c->user_agent = "tongxin-cli";
	principal_system(who);
	c->who = who;
	if (o->as_user) {
		struct principal p;
		if (accounts_principal_by_username(c, o->as_user, &p) != 0) {
			cli_print_error(&c->err);
			return -1;
		}
		*who = p;
	}
	return 0;
}

void cli_ctx_free(struct ctx *c)
{
	arena_free(c->arena);
	c->arena = NULL;
}

int cli_with_ctx(struct cli_opts *o, int (*fn)(struct ctx *c, void *arg), void *arg)
{
	struct db *db = cli_open_db(o);
	if (!db)
		return 1;
	struct ctx c;
	struct principal who;
	int rc = 1;
	if (cli_ctx_init(&c, &who, o, db) == 0)
		rc = fn(&c, arg);
	cli_ctx_free(&c);
	db_close(db);
	return rc;
}
