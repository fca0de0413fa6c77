/*
 * The wall clock the program reads: the system's, moved by an offset set once at start-up.
 *
 * Why an offset: a real server meets data that is hours, days or months old every morning;
 * a test meets data written a second ago. With the offset, the test suite runs the same
 * binary "later" (serve with +30d on a database written today) or writes its data "earlier"
 * (demo with -30d, then serve at today's time), so margins, caches, expiries, sessions,
 * overdue lists and periodic tasks see time that has passed. Production leaves it at zero.
 *
 * The offset comes from TONGXIN_CLOCK_OFFSET (read once, before the first clock_now()): a
 * signed number with an optional unit s, m, h or d ("-30d", "+2h", "90"). Durations measured
 * inside the process (heartbeats, timeouts, cache ages) use the real clock, not this one;
 * signatures that a remote service checks against its own clock use time(NULL) too.
 */
#ifndef TONGXIN_LIB_CLOCK_H
#define TONGXIN_LIB_CLOCK_H
#include <stdint.h>

/* Unix seconds: time(NULL) plus the configured offset. Thread-safe. */
int64_t clock_now(void);

/* The offset in seconds (0 unless TONGXIN_CLOCK_OFFSET set one). */
int64_t clock_offset(void);

/* Parses an offset as described above into *seconds; 0 on success, -1 when malformed
 * (then *seconds is untouched). */
int clock_parse_offset(const char *text, int64_t *seconds);

#endif
