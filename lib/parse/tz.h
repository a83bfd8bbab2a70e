/*
 * tz.h: timestamps from logs. RFC 3339 with an offset, and local wall-clock
 * times of Europe/Amsterdam (EU summer time rule) without one.
 *
 * Local times around the DST changes:
 * - the repeated autumn hour (02:00-02:59 on the last Sunday of October) is
 *   ambiguous: the first (summer, +02:00) reading is the time, the second
 *   (winter, +01:00) reading goes to alt, with TZ_AMBIGUOUS;
 * - the skipped spring hour (02:00-02:59 on the last Sunday of March) does
 *   not exist: it is read with the winter offset +01:00 (as a clock that was
 *   not moved forward would show it, so 02:30 is 01:30 UTC, the instant
 *   03:30 summer time names), with TZ_NONEXISTENT and no alt.
 */
#ifndef WACHTER_TZ_H
#define WACHTER_TZ_H

#include <stddef.h>
#include <stdint.h>

enum tz_zone {
	TZ_UTC = 0,
	TZ_AMSTERDAM,
};

#define TZ_AMBIGUOUS	0x01
#define TZ_NONEXISTENT	0x02

struct tz_civil {
	int	 year, mon, mday, hour, min, sec;
	int	 usec;
};

int64_t	 tz_days_from_civil(int, int, int);
int	 tz_civil_valid(const struct tz_civil *);
int	 tz_amsterdam_summer(int64_t);
int	 tz_local(enum tz_zone, const struct tz_civil *, int64_t *, int64_t *);
int	 tz_rfc3339(const char *, size_t, int64_t *);
int	 tz_strptime(const char *, const char *, size_t, struct tz_civil *);
int	 tz_zone_parse(const char *, enum tz_zone *);

#endif
