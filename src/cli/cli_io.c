/*
 * tongxin import orgs / tongxin export orgs — the spreadsheet door from the shell. Same code
 * as the web (src/io), same rules: the CLI acts as the system operator or --as USER.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "io/io.h"

static const char import_help[] =
	"用法 usage: tongxin import orgs FILE.csv [--dry-run] [--json] [--as USER]\n"
	"  CSV：UTF-8（可带 BOM）或 GB18030（Excel 另存为 CSV）；首行为表头（见导入模板）。\n"
	"  整个文件在一个事务中导入：任何一行有错则不导入任何数据。--dry-run 只检查。\n"
	"  退出码 exit status: 0 成功 ok, 1 有错误 errors (nothing imported), 2 用法 usage.\n";

static const char export_help[] =
	"用法 usage: tongxin export orgs [--format csv|xlsx] [--output FILE] [--type T] [--field F]\n"
	"            [--street CODE] [--community CODE] [--grade G] [--status S] [--q WORDS]\n"
	"            [--archived] [--as USER]\n"
	"  没有 --output 时写到标准输出（xlsx 不写到终端）。\n";

/* ------------------------------------------------------------------ import */

struct progress {
	int tty;
	enum lang lang;
};

static int print_progress(void *arg, int64_t processed, int64_t total)
{
	const struct progress *p = arg;
	const char *what = p->lang == LANG_EN ? "rows checked" : "行已处理";
	if (total >= 0)
		fprintf(stderr, "%s%lld/%lld %s%s", p->tty ? "\r" : "", (long long)processed,
			(long long)total, what, p->tty ? "" : "\n");
	else
		fprintf(stderr, "%s%lld %s%s", p->tty ? "\r" : "", (long long)processed, what,
			p->tty ? "" : "\n");
	fflush(stderr);
	return 0;
}

/* The report for people: a summary line, then `第 N 行 [列名] 信息` per error. */
static void print_report(json_t *rep, enum lang lang)
{
	long long total = json_integer_value(json_object_get(rep, "total_rows"));
	long long valid = json_integer_value(json_object_get(rep, "valid_rows"));
	long long imported = json_integer_value(json_object_get(rep, "imported"));
	const char *enc = json_string_value(json_object_get(rep, "encoding"));
	int dry = json_is_true(json_object_get(rep, "dry_run"));
	if (lang == LANG_EN)
		printf("%s%lld rows (%s): %lld valid, %lld imported\n", dry ? "Dry run: " : "",
		       total, enc, valid, imported);
	else
		printf("%s共 %lld 行（%s）：%lld 行有效，已导入 %lld 行\n", dry ? "试运行：" : "",
		       total, enc, valid, imported);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(rep, "errors"), i, e)
	{
		json_t *row = json_object_get(e, "row");
		const char *col = json_string_value(json_object_get(e, "column"));
		const char *msg = json_string_value(json_object_get(e, "message"));
		if (lang == LANG_EN)
			printf("row %lld", (long long)json_integer_value(row));
		else
			printf("第 %lld 行", (long long)json_integer_value(row));
		printf(col ? " [%s] %s\n" : "%s %s\n", col ? col : "", msg);
	}
	long long omitted = json_integer_value(json_object_get(rep, "errors_omitted"));
	if (omitted)
		printf(lang == LANG_EN ? "... and %lld more errors\n" : "……另有 %lld 个错误未列出\n",
		       omitted);
}

static int import_orgs(struct ctx *c, const char *path, int dry_run, int as_json)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!in) {
		fprintf(stderr, "tongxin import: 无法打开 cannot open %s\n", path);
		return 1;
	}
	struct progress p = {isatty(STDERR_FILENO), c->lang};
	struct io_import_opts opts = {dry_run, print_progress, &p};
	json_t *rep = NULL;
	int rc = io_import_orgs(c, in, &opts, &rep);
	if (in != stdin)
		fclose(in);
	if (p.tty)
		fputc('\n', stderr);
	if (rc != 0) {
		cli_print_error(&c->err);
		return 1;
	}
	if (as_json) {
		json_dumpf(rep, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_report(rep, c->lang);
	}
	int clean = json_array_size(json_object_get(rep, "errors")) == 0;
	json_decref(rep);
	return clean ? 0 : 1;
}

struct import_args {
	const char *file;
	int dry_run, as_json;
};

static int import_step(struct ctx *c, void *arg)
{
	const struct import_args *a = arg;
	return import_orgs(c, a->file, a->dry_run, a->as_json);
}

int cli_import(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	const char *file = NULL;
	int dry_run = 0, as_json = 0, bad = argc < 2 || strcmp(argv[1], "orgs") != 0;
	for (int i = 2; i < argc && !bad; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = 1;
		else if (strcmp(argv[i], "--json") == 0)
			as_json = 1;
		else if (!file && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
			file = argv[i];
		else
			bad = 1;
	}
	if (o.help || bad || !file) {
		fputs(import_help, stderr);
		return o.help ? 0 : 2;
	}
	struct import_args a = {file, dry_run, as_json};
	return cli_with_ctx(&o, import_step, &a);
}

/* ------------------------------------------------------------------ export */

static int copy_stream(FILE *from, FILE *to)
{
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

static int export_csv(struct io_export *e, FILE *out)
{
	char buf[65536];
	long n;
	while ((n = io_export_csv_read(e, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			return -1;
	return n < 0 || fflush(out) != 0 ? -1 : 0;
}

/* XLSX needs a file to write; for stdout it goes through a temporary one. */
static int export_xlsx(struct io_export *e, const char *output)
{
	const char *why = NULL;
	char path[] = "/tmp/tongxin-export-XXXXXX.xlsx";
	if (!output) {
		int fd = mkstemps(path, 5);
		if (fd < 0)
			return -1;
		close(fd);
	}
	int rc = io_export_xlsx(e, output ? output : path, &why);
	if (output) {
		if (rc != 0)
			fprintf(stderr, "tongxin export: %s\n", why);
		return rc;
	}
	FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
	unlink(path);
	if (!f) {
		fprintf(stderr, "tongxin export: %s\n", why ? why : "cannot reopen the workbook");
		return -1;
	}
	rc = copy_stream(f, stdout);
	fclose(f);
	return rc;
}

struct export_args {
	struct io_export_query q;
	const char *format, *output;
};

/* Reads the export flags; 0, or 2 on bad usage. */
static int parse_export(int argc, char **argv, struct export_args *a)
{
	if (argc < 2 || strcmp(argv[1], "orgs") != 0)
		return 2;
	for (int i = 2; i < argc; i++) {
		static const char *const names[] = {"--type", "--field", "--street", "--community",
						    "--grade", "--status", "--q", "--format",
						    "--output", NULL};
		const char **slots[] = {&a->q.type,   &a->q.field, &a->q.street,
					&a->q.community, &a->q.grade, &a->q.status,
					&a->q.q,      &a->format,  &a->output};
		if (strcmp(argv[i], "--archived") == 0) {
			a->q.archived = 1;
			continue;
		}
		int k = 0;
		while (names[k] && strcmp(argv[i], names[k]) != 0)
			k++;
		if (!names[k] || i + 1 >= argc)
			return 2;
		*slots[k] = argv[++i];
	}
	if (!a->format)
		a->format = "csv";
	return strcmp(a->format, "csv") == 0 || strcmp(a->format, "xlsx") == 0 ? 0 : 2;
}

static int export_orgs(struct ctx *c, const struct export_args *a)
{
	int xlsx = strcmp(a->format, "xlsx") == 0;
	if (xlsx && !a->output && isatty(STDOUT_FILENO)) {
		fputs("tongxin export: 不把 xlsx 写到终端，请用 --output 或重定向 "
		      "(refusing to write xlsx to a terminal)\n",
		      stderr);
		return 2;
	}
	struct io_export *e = io_export_open(c, &a->q);
	if (!e) {
		cli_print_error(&c->err);
		return 1;
	}
	int rc;
	if (xlsx) {
		rc = export_xlsx(e, a->output);
	} else {
		FILE *out = a->output ? fopen(a->output, "wb") : stdout;
		rc = out ? export_csv(e, out) : -1;
		if (out && out != stdout && fclose(out) != 0)
			rc = -1;
	}
	if (rc == 0)
		fprintf(stderr, c->lang == LANG_EN ? "%lld organizations exported\n"
						   : "已导出 %lld 个组织\n",
			(long long)io_export_rows(e));
	else
		fprintf(stderr, "tongxin export: 导出失败 export failed\n");
	io_export_close(e);
	return rc == 0 ? 0 : 1;
}

static int export_step(struct ctx *c, void *arg)
{
	return export_orgs(c, arg);
}

int cli_export(int argc, char **argv)
{
	struct cli_opts o = {0};
	if (cli_parse_common(&o, &argc, argv) != 0)
		return 2;
	struct export_args a = {0};
	if (o.help || parse_export(argc, argv, &a) != 0) {
		fputs(export_help, stderr);
		return o.help ? 0 : 2;
	}
	return cli_with_ctx(&o, export_step, &a);
}
