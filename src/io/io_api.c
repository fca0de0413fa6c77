/*
 * Routes for importing organizations (upload -> background job -> poll for progress and the
 * report) and exporting them (a streamed CSV or XLSX download). The rules are in
 * org_import.c, org_export.c and import_job.c; this file parses requests and shapes replies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "app/app.h"
#include "core/policy.h"
#include "io/io.h"

/* ------------------------------------------------------------------ import */

/* Browsers send a .csv file as text/csv, or as application/vnd.ms-excel on Windows machines
 * with Excel installed; curl --data-binary sends octet-stream. */
static int is_csv_upload(const char *type)
{
	static const char *const ok[] = {"text/csv", "text/plain", "application/vnd.ms-excel",
					 "application/octet-stream", NULL};
	for (int i = 0; type && ok[i]; i++)
		if (strncasecmp(type, ok[i], strlen(ok[i])) == 0)
			return 1;
	return 0;
}

/* An optional 0/1 query flag; `fallback` when absent. -1 with a field error otherwise. */
static int query_flag(struct req *r, const char *name, int fallback, int *out)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		*out = fallback;
	else if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		*out = 0;
	else {
		error_field(&r->c.err, name, "field.type_boolean", 0);
		return -1;
	}
	return 0;
}

/*
 * POST /api/v1/imports?dry_run=1|0 — admin, staff (ACT_ORG_IMPORT). Body: the CSV file itself
 * (Content-Type text/csv; up to the upload limit, 64 MiB). dry_run defaults to 1.
 * 202 {id, status: "running", dry_run} with Location: /api/v1/imports/{id}; poll that.
 * Errors: 400 empty file, 409 conflict (an import is already running on this instance),
 * 413 too large, 415 not a CSV upload, 422 bad dry_run.
 */
static int import_create(struct req *r)
{
	int dry_run;
	if (policy_check(&r->c, ACT_ORG_IMPORT, NULL) != 0)
		return -1;
	if (!is_csv_upload(req_header(r, "Content-Type")))
		return error_set(&r->c.err, E_UNSUPPORTED_TYPE, "io.send_csv");
	if (query_flag(r, "dry_run", 1, &dry_run) != 0)
		return -1;
	if (r->body.len == 0)
		return error_set(&r->c.err, E_BAD_REQUEST, "io.empty_file");
	size_t len;
	char *data = buf_steal(&r->body, &len); /* the job owns the file from here */
	int64_t id;
	if (io_job_start(&r->c, data, len, dry_run, &id) != 0)
		return -1;
	char location[64];
	snprintf(location, sizeof location, "/api/v1/imports/%lld", (long long)id);
	reply_header(r, "Location", location);
	return reply_json(r, 202, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "status",
					    "running", "dry_run", dry_run));
}

/*
 * GET /api/v1/imports/{id} — admin, staff; one's own jobs (admin: all).
 * 200 {id, status: running|done|failed, dry_run, processed, total, report, created_at,
 * finished_at}. processed/total are live on the instance running the job.
 * Errors: 404 not found (or someone else's job).
 */
static int import_get(struct req *r)
{
	int64_t id;
	if (req_param_id(r, "id", &id) != 0)
		return -1;
	json_t *job = io_job_json(&r->c, id);
	return job ? reply_json(r, 200, job) : -1;
}

/* GET /api/v1/imports/template — admin, staff. An empty CSV with the accepted headers. */
static int import_template(struct req *r)
{
	struct buf b = {0};
	buf_puts(&b, "\xEF\xBB\xBF");
	for (int i = 0; i < IO_NCOLUMNS; i++)
		buf_printf(&b, "%s%s", i ? "," : "", io_columns[i].header);
	buf_puts(&b, "\r\n");
	reply_bytes(r, 200, "text/csv; charset=utf-8", b.data, b.len);
	buf_free(&b);
	reply_header(r, "Content-Disposition",
		     "attachment; filename=\"orgs-template.csv\"; "
		     "filename*=UTF-8''%E7%BB%84%E7%BB%87%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv");
	return 0;
}

/* ------------------------------------------------------------------ export */

static ssize_t csv_stream(void *arg, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	long n = io_export_csv_read(arg, buf, max);
	return n > 0 ? (ssize_t)n : n == 0 ? -1 /* end of stream */ : -2 /* end with error */;
}

static void csv_stream_free(void *arg)
{
	io_export_close(arg);
}

static int write_xlsx(void *e, const char *path, const char **why)
{
	return io_export_xlsx(e, path, why);
}

static void content_disposition(struct req *r, enum io_format format)
{
	char name[64];
	io_export_filename(r->c.now, format, name);
	struct buf v = {0};
	/* an ASCII fallback name, then the Chinese one percent-encoded (RFC 6266 / 5987) */
	buf_printf(&v, "attachment; filename=\"orgs-%s\"; filename*=UTF-8''",
		   strchr(name, '-') + 1);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.')
			buf_putc(&v, (char)*p);
		else
			buf_printf(&v, "%%%02X", *p);
	reply_header(r, "Content-Disposition", v.data);
	buf_free(&v);
}

/*
 * GET /api/v1/orgs/export?format=csv|xlsx&type=&field=&street=&community=&grade=&status=&q=
 * &archived=0|1 — admin, staff, supervisor (ACT_ORG_EXPORT). Same filters as the list.
 * 200: the file as an attachment (CSV: UTF-8 with BOM; XLSX), streamed in constant memory.
 * Personal data only for organizations the caller may see it for (else blank or masked).
 * Errors: 422 unknown format or filter value.
 */
static int orgs_export(struct req *r)
{
	const char *format = req_query(r, "format");
	enum io_format f = !format || !*format || strcmp(format, "csv") == 0 ? IO_CSV : IO_XLSX;
	if (f == IO_XLSX && strcmp(format, "xlsx") != 0)
		error_field(&r->c.err, "format", "field.bad_choice", 0);
	int64_t archived = 0;
	req_query_int(r, "archived", 0, 0, 1, &archived);
	if (error_check(&r->c.err) != 0)
		return -1;
	struct io_export_query q = {req_query(r, "type"),      req_query(r, "field"),
				    req_query(r, "street"),    req_query(r, "community"),
				    req_query(r, "grade"),     req_query(r, "status"),
				    req_query(r, "q"),         (int)archived};
	struct io_export *e = io_export_open(&r->c, &q);
	if (!e)
		return -1;
	if (f == IO_XLSX) {
		int rc = reply_stream_temp_file(r, ".xlsx", write_xlsx, e);
		io_export_close(e);
		if (rc != 0)
			return -1;
		r->content_type =
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	} else {
		r->stream_read = csv_stream;
		r->stream_free = csv_stream_free;
		r->stream_arg = e;
		r->content_type = "text/csv; charset=utf-8";
	}
	r->status = 200;
	content_disposition(r, f);
	return 0;
}

#define IMPORTERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))
#define EXPORTERS (IMPORTERS | ROLE_BIT(ROLE_SUPERVISOR))

const struct route io_routes[] = {
	{"POST", "/api/v1/imports", import_create, IMPORTERS, ROUTE_UPLOAD,
	 "上传组织名录 CSV 并开始导入（dry_run=1 只校验），返回导入任务"},
	{"GET", "/api/v1/imports/template", import_template, IMPORTERS, 0,
	 "下载导入模板（CSV 表头）"},
	{"GET", "/api/v1/imports/{id}", import_get, IMPORTERS, 0, "导入任务的进度与报告"},
	{"GET", "/api/v1/orgs/export", orgs_export, EXPORTERS, ROUTE_SLOW,
	 "导出组织名录（CSV 或 Excel），筛选条件同列表"},
	{NULL},
};

const struct msg io_messages[] = {
	{"io.street_forbidden", "该街道不在您的管辖范围内，不能导入",
	 "This street is outside your jurisdiction; you cannot import it"},
	{"io.unknown_column", "不认识的列（请使用导入模板的列名）",
	 "Unknown column (use the column names of the import template)"},
	{"io.repeated_column", "列重复", "Repeated column"},
	{"io.missing_column", "缺少必需的列", "A required column is missing"},
	{"io.cell_without_column", "第 {n} 列没有表头，但该行在此列有内容",
	 "Column {n} has no header, but this row has a value there"},
	{"io.csv_malformed", "CSV 格式错误", "Malformed CSV"},
	{"io.empty_file", "文件是空的", "The file is empty"},
	{"io.stopped", "服务停止，导入已中止，未导入任何数据",
	 "The server stopped; the import was abandoned and nothing was imported"},
	{"io.import_running", "已有一个导入任务正在进行，请等它完成后再试",
	 "Another import is running; try again when it has finished"},
	{"io.job_not_found", "没有这个导入任务", "No such import job"},
	{"io.job_lost", "导入任务已中断（服务曾重启），未导入任何数据，请重新上传",
	 "The import was interrupted (the server restarted); nothing was imported. Upload the "
	 "file again"},
	{"io.send_csv", "请以 CSV 文件上传（Content-Type: text/csv）",
	 "Upload a CSV file (Content-Type: text/csv)"},
	{NULL, NULL, NULL},
};
