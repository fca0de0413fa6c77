#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "cli/cli.h"

static void add_route(const struct route *rt, void *arg)
{
	json_t *roles = json_array();
	for (int r = 0; r < ROLE__MAX; r++)
		if (rt->roles & ROLE_BIT(r))
			json_array_append_new(roles, json_string(role_name((enum role)r)));
	json_array_append_new(arg, json_pack("{s:s, s:s, s:o, s:b, s:b, s:b, s:s}", "method",
					     rt->method, "path", rt->path, "roles", roles, "public",
					     (rt->flags & ROUTE_PUBLIC) != 0, "slow",
					     (rt->flags & ROUTE_SLOW) != 0, "upload",
					     (rt->flags & ROUTE_UPLOAD) != 0, "summary", rt->summary));
}

/* Prints the route table as JSON: the source of truth the OpenAPI and authorization tests
 * compare against. */
int cli_routes(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("用法 usage: tongxin routes\n\n以 JSON 列出全部接口路由（方法、路径、允许的角色、摘要）；\n"
		     "OpenAPI 与权限矩阵测试以它为准。\n"
		     "Prints every API route (method, path, roles, summary) as JSON.");
		return 0;
	}
	json_t *all = json_array();
	router_each(app_routes, add_route, all);
	char *text = json_dumps(all, JSON_INDENT(1));
	puts(text);
	free(text);
	json_decref(all);
	return 0;
}
