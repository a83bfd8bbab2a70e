/*
 * reftime.c: plain dates of the reference files, and a UTC moment as
 * Amsterdam's local day, weekday and minute (for schedules). The calendar
 * and the summer-time rule are parse/tz.c's: one rule in the code base.
 */
#include "config.h"

#include <string.h>

#include "enrich/reftime.h"
#include "parse/tz.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t
reftime_days(int y, int m, int d)
{
	return (tz_days_from_civil(y, m, d));
}

/* Parse n digits at s. */
static int
reftime_num(const char *s, int n, int *out)
{
	int	 i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return (0);
}

/* Parse YYYY-MM-DD into local days since 1970. */
int
reftime_date(const char *s, size_t len, int32_t *day)
{
	int	 y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-' ||
	    reftime_num(s, 4, &y) || reftime_num(s + 5, 2, &m) ||
	    reftime_num(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
		return (-1);
	*day = (int32_t)reftime_days(y, m, d);
	return (0);
}

/* Convert µs UTC to Amsterdam local day, weekday and minute. */
void
reftime_local(int64_t us, struct localtm *lt)
{
	int64_t	 sec = us / USEC_PER_SEC, days;
	int64_t	 off = 3600;

	if (us < 0 && us % USEC_PER_SEC != 0)
		sec--;
	if (tz_amsterdam_summer(us))
		off = 7200;
	sec += off;
	days = sec >= 0 ? sec / 86400 : (sec - 86399) / 86400;
	lt->day = (int32_t)days;
	lt->wday = (int)(((days + 3) % 7 + 7) % 7);
	lt->minute = (int)((sec - days * 86400) / 60);
}

/*
 * reftime_local for moments that mostly fall on the day converted last
 * (a log in time order): inside the span, the minute is the distance
 * from its start. Outside it, convert and keep the new day as the span
 * unless summer time begins or ends during it. test_enrich holds the two
 * to the same answer.
 */
void
reftime_local_span(struct localspan *sp, int64_t us, struct localtm *lt)
{
	int64_t	 off;
	int	 summer;

	if (us >= sp->from && us < sp->to) {
		*lt = sp->lt;
		lt->minute = (int)((us - sp->from) / USEC_PER_MIN);
		return;
	}
	reftime_local(us, lt);
	summer = tz_amsterdam_summer(us);
	off = summer ? 7200 : 3600;
	sp->from = ((int64_t)lt->day * 86400 - off) * USEC_PER_SEC;
	sp->to = sp->from + USEC_PER_DAY;
	sp->lt = *lt;
	/* Two changes of offset are months apart: both ends tell. */
	if (tz_amsterdam_summer(sp->from) != summer ||
	    tz_amsterdam_summer(sp->to - 1) != summer)
		sp->from = sp->to = 0;
}
