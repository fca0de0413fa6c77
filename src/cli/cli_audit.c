#include <stdio.h>
#include "cli/cli.h"
int cli_audit(int argc, char **argv)
{
	(void)argc, (void)argv;
	fputs("tongxin audit: not built yet\n", stderr);
	return 1;
}
int cli_backup(int argc, char **argv)
{
	(void)argc, (void)argv;
	fputs("tongxin backup: not built yet\n", stderr);
	return 1;
}
