/*
 * reftime.c: plain dates of the reference files, and the conversion of a UTC moment to Amsterdam's local calendar (CET/CEST:
 * summer time from the last Sunday of March 01:00 UTC to the last Sunday
 * of October 01:00 UTC, the EU rule since 1996).
 */
#include "config.h"

#include <string.h>

#include "enrich/reftime.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t
reftime_days(int y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
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

/* The UTC second summer time starts or ends in year y (last Sunday). */
static int64_t
reftime_switch(int y, int month)
{
	int64_t	 d = reftime_days(y, month, 31);

	/* 1970-01-01 was a Thursday: (d + 3) % 7 is 0 on Mondays. */
	d -= ((d + 3) % 7 + 7) % 7 == 6 ? 0 : (((d + 3) % 7 + 7) % 7 + 1);
	return (d * 86400 + 3600);
}

/* Convert µs UTC to Amsterdam local day, weekday and minute. */
void
reftime_local(int64_t us, struct localtm *lt)
{
	int64_t	 sec = us / USEC_PER_SEC, days, y;
	int64_t	 off = 3600;

	if (us < 0 && us % USEC_PER_SEC != 0)
		sec--;
	y = 1970 + (sec / 86400) * 400 / 146097;
	if (sec >= reftime_switch((int)y, 3) && sec < reftime_switch((int)y, 10))
		off = 7200;
	sec += off;
	days = sec >= 0 ? sec / 86400 : (sec - 86399) / 86400;
	lt->day = (int32_t)days;
	lt->wday = (int)(((days + 3) % 7 + 7) % 7);
	lt->minute = (int)((sec - days * 86400) / 60);
}
