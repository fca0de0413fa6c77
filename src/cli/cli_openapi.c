#include <stdio.h>
#include <string.h>
#include "app/app.h"
#include "cli/cli.h"

/* Prints the merged OpenAPI document (the one GET /api/v1/openapi.json serves) on stdout: the
 * API test harness validates replies against it and `make openapi-lint` lints it, with no
 * server to start. */
int cli_openapi(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("用法 usage: tongxin openapi\n\n输出合并后的 OpenAPI 文档（与 GET /api/v1/openapi.json 相同）。\n"
		     "Prints the merged OpenAPI document (the same as GET /api/v1/openapi.json).");
		return 0;
	}
	size_t size;
	const char *text = openapi_document(&size);
	if (fwrite(text, 1, size, stdout) != size || putchar('\n') == EOF || fflush(stdout) != 0)
		return 1;
	return 0;
}
