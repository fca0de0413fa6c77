/* RRULE expansion with libical (see recur.h). */
#include <libical/ical.h>
#include <stdio.h>
#include <string.h>
#include "meetings/recur.h"

int recur_parse_local(const char *text, int64_t *utc)
{
	int y, mo, d, h, mi;
	char extra;
	if (!text || sscanf(text, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &extra) != 5 ||
	    strlen(text) != 16 || y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h > 23 ||
	    h < 0 || mi < 0 || mi > 59)
		return -1;
	struct icaltimetype t = icaltime_null_time();
	t.year = y, t.month = mo, t.day = d, t.hour = h, t.minute = mi;
	if (d > icaltime_days_in_month(mo, y))
		return -1;
	*utc = (int64_t)icaltime_as_timet(t) - RECUR_TZ_OFFSET;
	return 0;
}

void recur_format_local(int64_t utc, char out[17])
{
	struct icaltimetype t = icaltime_from_timet_with_zone((time_t)(utc + RECUR_TZ_OFFSET), 0, NULL);
	snprintf(out, 17, "%04d-%02d-%02dT%02d:%02d", t.year % 10000, t.month % 100, t.day % 100,
		 t.hour % 100, t.minute % 100);
}

/* Parses the rule; 0 and *out filled, or -1. libical reports errors through icalerrno and a
 * freq of ICAL_NO_RECURRENCE; unknown parts are only warned about, so we also refuse a rule
 * whose text does not begin with FREQ= somewhere. */
static int parse_rule(const char *rrule, struct icalrecurrencetype *out)
{
	if (!rrule || !strstr(rrule, "FREQ=") || strlen(rrule) > 500)
		return -1;
	icalerror_clear_errno();
	int old = icalerror_get_errors_are_fatal();
	icalerror_set_errors_are_fatal(0);
	*out = icalrecurrencetype_from_string(rrule);
	icalerror_set_errors_are_fatal(old);
	if (out->freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR)
		return -1;
	return 0;
}

int recur_expand(const char *rrule, int64_t dtstart_utc, int64_t from_utc, int64_t until_utc,
		 int max, int (*fn)(int64_t start_utc, void *arg), void *arg)
{
	if (!rrule) {
		if (dtstart_utc < from_utc || dtstart_utc > until_utc || max < 1)
			return 0;
		fn(dtstart_utc, arg);
		return 1;
	}
	struct icalrecurrencetype rule;
	if (parse_rule(rrule, &rule) != 0)
		return -1;
	struct icaltimetype start =
		icaltime_from_timet_with_zone((time_t)(dtstart_utc + RECUR_TZ_OFFSET), 0, NULL);
	icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
	if (!it)
		return -1;
	int n = 0;
	/* a safety net for rules that never produce a date in range (e.g. BYMONTHDAY=31 with
	 * BYMONTH=2): libical gives up by itself, but we also bound the walk */
	for (int steps = 0; n < max && steps < 100000; steps++) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		int64_t s = (int64_t)icaltime_as_timet(t) - RECUR_TZ_OFFSET;
		if (s > until_utc)
			break;
		if (s < from_utc)
			continue;
		n++;
		if (fn(s, arg))
			break;
	}
	icalrecur_iterator_free(it);
	return n;
}

static int count_one(int64_t s, void *arg)
{
	(void)s;
	(void)arg;
	return 0;
}

enum recur_status recur_validate(const char *rrule, int64_t dtstart_utc, int64_t horizon_seconds)
{
	struct icalrecurrencetype rule;
	if (parse_rule(rrule, &rule) != 0)
		return RECUR_BAD_SYNTAX;
	if (rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
	    rule.freq == ICAL_HOURLY_RECURRENCE)
		return RECUR_TOO_FREQUENT;
	int n = recur_expand(rrule, dtstart_utc, dtstart_utc, dtstart_utc + horizon_seconds,
			     RECUR_MAX_IN_HORIZON + 1, count_one, NULL);
	if (n < 0)
		return RECUR_BAD_SYNTAX;
	return n > RECUR_MAX_IN_HORIZON ? RECUR_TOO_MANY : RECUR_OK;
}
