/* The program's wall clock with its start-up offset (see clock.h). */
#include "lib/clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int64_t offset;

int clock_parse_offset(const char *text, int64_t *seconds)
{
	if (!text || !*text)
		return -1;
	char *end;
	errno = 0;
	long long n = strtoll(text, &end, 10);
	if (errno || end == text)
		return -1;
	long long unit = 1;
	switch (*end) {
	case '\0':
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return -1;
	}
	if (*end && end[1])
		return -1;
	/* a century either way is more than any test needs and keeps the sum far from overflow */
	if (n > 36500LL * 86400 / unit || n < -36500LL * 86400 / unit)
		return -1;
	*seconds = (int64_t)(n * unit);
	return 0;
}

static void read_offset(void)
{
	const char *env = getenv("TONGXIN_CLOCK_OFFSET");
	if (!env || !*env)
		return;
	if (clock_parse_offset(env, &offset) != 0) {
		/* a start-up setting that cannot be honoured stops the program: serving at the
		 * wrong time would be worse than not serving */
		fprintf(
		    stderr,
		    "tongxin: TONGXIN_CLOCK_OFFSET=%s is not an offset such as -30d, +2h or 90\n",
		    env);
		exit(2);
	}
	if (offset)
		fprintf(stderr,
		        "tongxin: warning: the clock is moved by %lld s (TONGXIN_CLOCK_OFFSET): "
		        "for tests only\n",
		        (long long)offset);
}

int64_t clock_offset(void)
{
	pthread_once(&once, read_offset);
	return offset;
}

int64_t clock_now(void)
{
	return (int64_t)time(NULL) + clock_offset();
}
