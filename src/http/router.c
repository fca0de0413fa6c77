/*
 * Routes are data: each feature exports a table of struct route, and the router walks them.
 * With a few dozen routes a linear scan costs well under a microsecond per request, so there is
 * no trie to keep in sync.
 */
#include <string.h>
#include "http/http.h"

/* Matches one template against a path, collecting {name} segments into r. */
static int path_matches(const char *tmpl, const char *path, struct req *r)
{
	int nparams = 0;
	const char *t = tmpl, *p = path;
	while (*t && *p) {
		if (*t == '{') {
			const char *close = strchr(t, '}');
			size_t seg = strcspn(p, "/");
			if (!close || seg == 0 || nparams >= REQ_MAX_PARAMS)
				return 0;
			if (r) {
				r->param_names[nparams] = arena_strndup(r->c.arena, t + 1,
									(size_t)(close - t - 1));
				r->param_values[nparams] = arena_strndup(r->c.arena, p, seg);
			}
			nparams++;
			t = close + 1;
			p += seg;
			continue;
		}
		if (*t != *p)
			return 0;
		t++;
		p++;
	}
	if (*t || *p)
		return 0;
	if (r)
		r->nparams = nparams;
	return 1;
}

const struct route *router_match(const struct route *const *tables, const char *method,
				 const char *path, struct req *r, int *path_matched)
{
	*path_matched = 0;
	for (const struct route *const *t = tables; *t; t++) {
		for (const struct route *rt = *t; rt->method; rt++) {
			if (!path_matches(rt->path, path, NULL))
				continue;
			if (strcmp(rt->method, method) != 0 &&
			    !(strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
				*path_matched = 1;
				continue;
			}
			path_matches(rt->path, path, r);
			return rt;
		}
	}
	return NULL;
}

void router_each(const struct route *const *tables, void (*fn)(const struct route *, void *),
		 void *arg)
{
	for (const struct route *const *t = tables; *t; t++)
		for (const struct route *rt = *t; rt->method; rt++)
			fn(rt, arg);
}
