/*
 * Recurrence of meeting series: RFC 5545 RRULEs expanded with libical, in Asia/Shanghai time.
 *
 * Shanghai has kept UTC+8 without daylight saving since 1991, so a local wall-clock time maps
 * to UTC by subtracting eight hours; the rule is expanded on floating local times (so "every
 * second Tuesday at 14:30" stays at 14:30) and each start converted to UTC seconds.
 */
#ifndef TONGXIN_MEETINGS_RECUR_H
#define TONGXIN_MEETINGS_RECUR_H
#include <stdint.h>

enum { RECUR_TZ_OFFSET = 8 * 3600, RECUR_MAX_IN_HORIZON = 500 };

enum recur_status {
	RECUR_OK = 0,
	RECUR_BAD_SYNTAX,   /* libical could not parse the rule */
	RECUR_TOO_FREQUENT, /* FREQ=SECONDLY, MINUTELY or HOURLY */
	RECUR_TOO_MANY,     /* more than RECUR_MAX_IN_HORIZON occurrences in the horizon */
};

/* Parses a local "YYYY-MM-DDTHH:MM" (Asia/Shanghai) into UTC seconds. 0 ok, -1 bad text. */
int recur_parse_local(const char *text, int64_t *utc);

/* Formats UTC seconds as local "YYYY-MM-DDTHH:MM" into out (17 bytes). */
void recur_format_local(int64_t utc, char out[17]);

/* Checks a rule (without "RRULE:") starting at dtstart_utc: syntax, frequency, and at most
 * RECUR_MAX_IN_HORIZON occurrences in the first horizon_seconds. */
enum recur_status recur_validate(const char *rrule, int64_t dtstart_utc, int64_t horizon_seconds);

/* Calls fn(start_utc, arg) for every start of the series in [from_utc, until_utc], in order,
 * the first start (DTSTART) included when it is in range; at most `max` starts. rrule NULL
 * means a one-off event (DTSTART only). fn returning non-zero stops the walk. Returns the
 * number of starts given, or -1 for a rule that does not parse. */
int recur_expand(const char *rrule, int64_t dtstart_utc, int64_t from_utc, int64_t until_utc,
		 int max, int (*fn)(int64_t start_utc, void *arg), void *arg);

#endif
