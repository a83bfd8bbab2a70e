/*
 * nldate.c: format µs UTC as Amsterdam wall-clock time with Dutch day and
 * month abbreviations. The local day and the summer-time rule come from
 * enrich/reftime.c (which uses parse/tz.c), so there is one calendar.
 */
#include "config.h"

#include <stdio.h>

#include "alert/nldate.h"
#include "enrich/reftime.h"

static const char *const nl_wday[7] = {
	"ma", "di", "wo", "do", "vr", "za", "zo",
};
static const char *const nl_mon[12] = {
	"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt",
	"nov", "dec",
};

/* Year, month and day of days since 1970 (H. Hinnant's civil_from_days). */
void
nldate_civil(int64_t days, int *y, int *m, int *d)
{
	int64_t		 z = days + 719468, era, yy;
	unsigned	 doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* "ma 2 mrt 2026 11:36" for a moment; "onbekend" for EV_TS_NONE. */
void
nldate_format(int64_t us, char *out, size_t size)
{
	struct localtm	 lt;
	int		 y, m, d;

	if (us == INT64_MIN) {
		snprintf(out, size, "onbekend");
		return;
	}
	reftime_local(us, &lt);
	nldate_civil(lt.day, &y, &m, &d);
	snprintf(out, size, "%s %d %s %d %02d:%02d", nl_wday[lt.wday], d,
	    nl_mon[m - 1], y, lt.minute / 60, lt.minute % 60);
}

/* "ma 2 mrt 2026" for a moment. */
void
nldate_day(int64_t us, char *out, size_t size)
{
	struct localtm	 lt;
	int		 y, m, d;

	reftime_local(us, &lt);
	nldate_civil(lt.day, &y, &m, &d);
	snprintf(out, size, "%s %d %s %d", nl_wday[lt.wday], d, nl_mon[m - 1],
	    y);
}
