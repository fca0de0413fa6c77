/* placeholder, filled below */
#include "boards/boards.h"
int boards_demo_load(struct ctx *c, unsigned seed, long extra_posts)
{
	(void)c; (void)seed; (void)extra_posts;
	return 0;
}
