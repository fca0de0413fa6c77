#include <stdio.h>
#include "cli/cli.h"

int cli_user(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("tongxin user: not built yet\n", stderr);
	return 1;
}
