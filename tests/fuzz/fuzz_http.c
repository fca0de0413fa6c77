/*
 * Fuzzes the request-line parsing that runs before sign-in: msg_lang_from_header
 * (src/core/msg.c) on the whole input as an Accept-Language value, and router_match
 * (src/http/router.c) with a small static route table, the input cut at its first '\n' into
 * method and path.
 * Promises checked: a matched route has the method (or GET for HEAD), its template rebuilt
 * from the captured parameters gives the path back, parameters are non-empty segments
 * without '/', at most REQ_MAX_PARAMS; *path_matched only when nothing matched.
 */
#include "fuzz.h"
#include "core/msg.h"
#include "http/http.h"

/* The server's catalogue list (app/msg_catalogues.c) names every feature; this harness
 * links msg.c alone, so it searches the core catalogue only (msg.c defines it). */
const struct msg *const msg_catalogues[] = {core_messages, NULL};

static const struct route routes_a[] = {
	{"GET", "/api/v1/orgs", NULL, 0, 0, "list"},
	{"POST", "/api/v1/orgs", NULL, 0, 0, "create"},
	{"GET", "/api/v1/orgs/{id}", NULL, 0, 0, "get"},
	{"PATCH", "/api/v1/orgs/{id}", NULL, 0, 0, "update"},
	{"GET", "/api/v1/orgs/{id}/members/{member}", NULL, 0, 0, "member"},
	{"GET", "/api/v1/orgs/{id}.csv", NULL, 0, 0, "suffix after a parameter"},
	{NULL, NULL, NULL, 0, 0, NULL},
};
static const struct route routes_b[] = {
	{"DELETE", "/api/v1/session", NULL, 0, 0, "sign out"},
	{"GET", "/{a}/{b}/{c}/{d}", NULL, 0, 0, "four parameters"},
	{"PUT", "/{a}/{b}/{c}/{d}/{e}", NULL, 0, 0, "five: more than REQ_MAX_PARAMS"},
	{"GET", "/broken/{unclosed", NULL, 0, 0, "template without }"},
	{"GET", "/", NULL, 0, 0, "root"},
	{NULL, NULL, NULL, 0, 0, NULL},
};
static const struct route *const tables[] = {routes_a, routes_b, NULL};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Rebuilds the path from the template and the captured parameters. */
static void check_rebuild(const struct route *rt, const struct req *r, const char *path)
{
	struct buf b = {0};
	int k = 0;
	for (const char *t = rt->path; *t;) {
		if (*t == '{') {
			const char *close = strchr(t, '}');
			FUZZ_CHECK(close != NULL && k < r->nparams);
			FUZZ_CHECK(strlen(r->param_names[k]) == (size_t)(close - t - 1) &&
				   memcmp(r->param_names[k], t + 1, (size_t)(close - t - 1)) == 0);
			buf_puts(&b, r->param_values[k]);
			k++;
			t = close + 1;
		} else {
			buf_putc(&b, *t++);
		}
	}
	FUZZ_CHECK(k == r->nparams);
	FUZZ_CHECK(strcmp(b.data ? b.data : "", path) == 0);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	enum lang lang = msg_lang_from_header(s);
	FUZZ_CHECK(lang == LANG_ZH || lang == LANG_EN);

	char *nl = strchr(s, '\n');
	const char *method = "GET", *path = s;
	if (nl) {
		*nl = 0;
		method = s;
		path = nl + 1;
	}
	struct req r;
	memset(&r, 0, sizeof r);
	r.c.arena = arena_new();
	int path_matched = -1;
	const struct route *rt = router_match(tables, method, path, &r, &path_matched);
	FUZZ_CHECK(path_matched == 0 || path_matched == 1);
	if (rt) {
		FUZZ_CHECK(strcmp(rt->method, method) == 0 ||
			   (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0));
		FUZZ_CHECK(r.nparams >= 0 && r.nparams <= REQ_MAX_PARAMS);
		for (int i = 0; i < r.nparams; i++)
			FUZZ_CHECK(r.param_values[i][0] != 0 && !strchr(r.param_values[i], '/'));
		check_rebuild(rt, &r, path);
	} else {
		FUZZ_CHECK(r.nparams == 0);
	}
	arena_free(r.c.arena);
	free(s);
	return 0;
}
