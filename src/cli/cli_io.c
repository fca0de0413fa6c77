#include <stdio.h>
#include "cli/cli.h"
int cli_import(int argc, char **argv)
{
	(void)argc, (void)argv;
	fputs("tongxin import: not built yet\n", stderr);
	return 1;
}
int cli_export(int argc, char **argv)
{
	(void)argc, (void)argv;
	fputs("tongxin export: not built yet\n", stderr);
	return 1;
}
