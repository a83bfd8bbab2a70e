/*
 * tz.c: calendar arithmetic and the Europe/Amsterdam rule without a tz
 * database: CET (+01:00) in winter, CEST (+02:00) from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule since
 * 1996). See tz.h for the reading of ambiguous and nonexistent times.
 */
#include "config.h"

#include <string.h>

#include "parse/tz.h"

#define US_SEC	INT64_C(1000000)
#define US_HOUR	(3600 * US_SEC)
#define US_DAY	(86400 * US_SEC)

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
int64_t
tz_days_from_civil(int y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* The year a day number falls in. */
static int
tz_year_of_days(int64_t z)
{
	int64_t	 era, doe, yoe, doy, mp, y;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return ((int)(y + (mp >= 10)));
}

/* Whether y is a leap year. */
static int
tz_leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

/* Whether the broken-down time names a real calendar time. */
int
tz_civil_valid(const struct tz_civil *c)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (c->year < 1 || c->year > 9999 || c->mon < 1 || c->mon > 12)
		return (0);
	if (c->mday < 1 || c->mday > mdays[c->mon - 1] +
	    (c->mon == 2 && tz_leap(c->year)))
		return (0);
	return (c->hour >= 0 && c->hour <= 23 && c->min >= 0 && c->min <= 59 &&
	    c->sec >= 0 && c->sec <= 59 && c->usec >= 0 && c->usec < 1000000);
}

/* Day number of the last Sunday of a month. */
static int64_t
tz_last_sunday(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t	 d = tz_days_from_civil(y, m, mdays[m - 1]);

	return (d - ((d % 7 + 7 + 4) % 7));	/* 1970-01-01 was a Thursday */
}

/* Whether Amsterdam keeps summer time at this UTC instant. */
int
tz_amsterdam_summer(int64_t us)
{
	int64_t	 days = us / US_DAY - (us % US_DAY < 0);
	int	 y = tz_year_of_days(days);
	int64_t	 start, end;

	start = tz_last_sunday(y, 3) * US_DAY + US_HOUR;
	end = tz_last_sunday(y, 10) * US_DAY + US_HOUR;
	return (us >= start && us < end);
}

/*
 * Convert a local civil time of a zone to UTC microseconds. Returns the
 * TZ_* flags (0 normally) or -1 for an impossible date; alt gets the
 * second reading of an ambiguous time.
 */
int
tz_local(enum tz_zone zone, const struct tz_civil *c, int64_t *ts, int64_t *alt)
{
	int64_t	 l, summer, winter;
	int	 sv, wv;

	if (!tz_civil_valid(c))
		return (-1);
	l = tz_days_from_civil(c->year, c->mon, c->mday) * US_DAY +
	    (int64_t)(c->hour * 3600 + c->min * 60 + c->sec) * US_SEC + c->usec;
	*alt = INT64_MIN;
	if (zone == TZ_UTC) {
		*ts = l;
		return (0);
	}
	summer = l - 2 * US_HOUR;
	winter = l - US_HOUR;
	sv = tz_amsterdam_summer(summer);
	wv = !tz_amsterdam_summer(winter);
	if (sv && wv) {
		*ts = summer;
		*alt = winter;
		return (TZ_AMBIGUOUS);
	}
	if (sv || wv) {
		*ts = sv ? summer : winter;
		return (0);
	}
	*ts = winter;
	return (TZ_NONEXISTENT);
}

/* Parse exactly n digits at s. */
static int
tz_num(const char *s, size_t len, size_t *i, size_t n, int *out)
{
	size_t	 k;
	int	 v = 0;

	if (len - *i < n)
		return (-1);
	for (k = 0; k < n; k++) {
		if (s[*i + k] < '0' || s[*i + k] > '9')
			return (-1);
		v = v * 10 + (s[*i + k] - '0');
	}
	*i += n;
	*out = v;
	return (0);
}

/* Parse a fraction of a second (1 or more digits; beyond 6 are dropped). */
static int
tz_frac(const char *s, size_t len, size_t *i, int *usec)
{
	size_t	 start = *i;
	int	 v = 0, scale = 100000;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		v += (s[*i] - '0') * scale;
		scale /= 10;
		(*i)++;
	}
	*usec = v;
	return (*i == start ? -1 : 0);
}

/* Expect one literal byte. */
static int
tz_lit(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return (-1);
	(*i)++;
	return (0);
}

/*
 * Parse an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM)) to
 * UTC microseconds. The whole input must match.
 */
int
tz_rfc3339(const char *s, size_t len, int64_t *us)
{
	struct tz_civil	 c;
	size_t		 i = 0;
	int		 oh = 0, om = 0, sign = 0;
	int64_t		 alt;

	memset(&c, 0, sizeof c);
	if (tz_num(s, len, &i, 4, &c.year) || tz_lit(s, len, &i, '-') ||
	    tz_num(s, len, &i, 2, &c.mon) || tz_lit(s, len, &i, '-') ||
	    tz_num(s, len, &i, 2, &c.mday))
		return (-1);
	if (i >= len || (s[i] != 'T' && s[i] != 't'))
		return (-1);
	i++;
	if (tz_num(s, len, &i, 2, &c.hour) || tz_lit(s, len, &i, ':') ||
	    tz_num(s, len, &i, 2, &c.min) || tz_lit(s, len, &i, ':') ||
	    tz_num(s, len, &i, 2, &c.sec))
		return (-1);
	if (i < len && s[i] == '.' && (i++, tz_frac(s, len, &i, &c.usec)))
		return (-1);
	if (i < len && (s[i] == 'Z' || s[i] == 'z'))
		i++;
	else if (i < len && (s[i] == '+' || s[i] == '-')) {
		sign = s[i++] == '-' ? -1 : 1;
		if (tz_num(s, len, &i, 2, &oh) || tz_lit(s, len, &i, ':') ||
		    tz_num(s, len, &i, 2, &om) || oh > 23 || om > 59)
			return (-1);
	} else
		return (-1);
	if (i != len || tz_local(TZ_UTC, &c, us, &alt) != 0)
		return (-1);
	*us -= sign * (int64_t)(oh * 60 + om) * 60 * US_SEC;
	return (0);
}

/*
 * Parse s against a strptime-like format: %Y (4 digits), %m %d %H %M %S
 * (2 digits), %f (fraction of a second), %% and literal bytes. The whole
 * input must match and name a valid calendar time.
 */
int
tz_strptime(const char *fmt, const char *s, size_t len, struct tz_civil *c)
{
	size_t	 i = 0;
	int	 r;

	memset(c, 0, sizeof *c);
	c->year = 1970;
	c->mon = c->mday = 1;
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%' || fmt[1] == '%') {
			fmt += *fmt == '%';
			r = tz_lit(s, len, &i, *fmt);
		} else {
			switch (*++fmt) {
			case 'Y':
				r = tz_num(s, len, &i, 4, &c->year);
				break;
			case 'm':
				r = tz_num(s, len, &i, 2, &c->mon);
				break;
			case 'd':
				r = tz_num(s, len, &i, 2, &c->mday);
				break;
			case 'H':
				r = tz_num(s, len, &i, 2, &c->hour);
				break;
			case 'M':
				r = tz_num(s, len, &i, 2, &c->min);
				break;
			case 'S':
				r = tz_num(s, len, &i, 2, &c->sec);
				break;
			case 'f':
				r = tz_frac(s, len, &i, &c->usec);
				break;
			default:
				return (-1);
			}
		}
		if (r != 0)
			return (-1);
	}
	return (i == len && tz_civil_valid(c) ? 0 : -1);
}

/* Map a zone name to the zones wachter knows. */
int
tz_zone_parse(const char *name, enum tz_zone *z)
{
	if (strcmp(name, "UTC") == 0) {
		*z = TZ_UTC;
		return (0);
	}
	if (strcmp(name, "Europe/Amsterdam") == 0) {
		*z = TZ_AMSTERDAM;
		return (0);
	}
	return (-1);
}
