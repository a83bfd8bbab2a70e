/* test_tz.c: RFC 3339 and Amsterdam local times, DST edges included. */
#include "config.h"

#include <string.h>

#include "parse/tz.h"
#include "tap.h"

#define S	INT64_C(1000000)

static const struct {
	const char	*in;
	int64_t		 want;	/* seconds; INT64_MIN: rejected */
	int		 usec;
} rfc[] = {
	{ "2026-03-02T05:25:33.632+01:00", 1772425533, 632000 },
	{ "2026-03-30T08:12:43.380+02:00", 1774851163, 380000 },
	{ "1970-01-01T00:00:00Z", 0, 0 },
	{ "2026-03-02T04:25:33z", 1772425533, 0 },
	{ "2026-03-02T05:25:33.1234567+01:00", 1772425533, 123456 },
	{ "2024-02-29T12:00:00-05:30", 1709227800, 0 },
	{ "2026-03-02T211:16:01.326+01:00", INT64_MIN, 0 },
	{ "2026-02-29T12:00:00Z", INT64_MIN, 0 },
	{ "2026-03-02 05:25:33+01:00", INT64_MIN, 0 },
	{ "2026-03-02T05:25:33", INT64_MIN, 0 },
	{ "2026-03-02T05:25:33.+01:00", INT64_MIN, 0 },
	{ "2026-03-02T24:00:00Z", INT64_MIN, 0 },
	{ "2026-03-02T05:25:33+01:00x", INT64_MIN, 0 },
	{ "2026-13-02T05:25:33Z", INT64_MIN, 0 },
	{ "", INT64_MIN, 0 },
};

static const struct {
	const char	*in;
	int64_t		 want;
	int64_t		 alt;
	int		 flags;	/* -1: rejected */
} local[] = {
	{ "2026-03-02 07:00:10", 1772431210, 0, 0 },
	{ "2026-07-01 12:00:00", 1782900000, 0, 0 },
	{ "2024-02-29 23:59:59", 1709247599, 0, 0 },
	{ "2026-03-29 01:59:59", 1774745999, 0, 0 },
	{ "2026-03-29 02:00:00", 1774746000, 0, TZ_NONEXISTENT },
	{ "2026-03-29 02:30:00", 1774747800, 0, TZ_NONEXISTENT },
	{ "2026-03-29 02:59:59", 1774749599, 0, TZ_NONEXISTENT },
	{ "2026-03-29 03:00:00", 1774746000, 0, 0 },
	{ "2026-10-25 01:59:59", 1792886399, 0, 0 },
	{ "2026-10-25 02:00:00", 1792886400, 1792890000, TZ_AMBIGUOUS },
	{ "2026-10-25 02:30:00", 1792888200, 1792891800, TZ_AMBIGUOUS },
	{ "2026-10-25 02:59:59", 1792889999, 1792893599, TZ_AMBIGUOUS },
	{ "2026-10-25 03:00:00", 1792893600, 0, 0 },
	{ "2025-10-26 02:00:00", 1761436800, 1761440400, TZ_AMBIGUOUS },
	{ "2026-03-02 7:00:10", 0, 0, -1 },
	{ "2026-02-30 07:00:10", 0, 0, -1 },
	{ "2026-03-02 07:00:60", 0, 0, -1 },
	{ "2026-03-02 07:00", 0, 0, -1 },
};

int
main(void)
{
	struct tz_civil	 c;
	int64_t		 ts, alt;
	size_t		 i;
	int		 rc, f;

	for (i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
		rc = tz_rfc3339(rfc[i].in, strlen(rfc[i].in), &ts);
		if (rfc[i].want == INT64_MIN)
			is_int(rc, -1, rfc[i].in);
		else
			ok(rc == 0 && ts == rfc[i].want * S + rfc[i].usec,
			    "%s", rfc[i].in);
	}
	for (i = 0; i < sizeof local / sizeof local[0]; i++) {
		rc = tz_strptime("%Y-%m-%d %H:%M:%S", local[i].in,
		    strlen(local[i].in), &c);
		f = rc == 0 ? tz_local(TZ_AMSTERDAM, &c, &ts, &alt) : -1;
		if (local[i].flags == -1) {
			is_int(f, -1, local[i].in);
			continue;
		}
		ok(f == local[i].flags && ts == local[i].want * S &&
		    alt == (local[i].alt ? local[i].alt * S : INT64_MIN),
		    "%s flags %d", local[i].in, f);
	}
	ok(tz_strptime("%d/%m/%Y %H.%M.%S,%f %%", "02/03/2026 07.00.10,5 %",
	    23, &c) == 0 && c.mday == 2 && c.usec == 500000, "other format");
	ok(tz_strptime("%q", "x", 1, &c) == -1, "unknown conversion");
	ok(tz_amsterdam_summer(1774746000 * S) &&
	    !tz_amsterdam_summer(1774746000 * S - 1), "spring switch instant");
	ok(!tz_amsterdam_summer(1792890000 * S) &&
	    tz_amsterdam_summer(1792890000 * S - 1), "autumn switch instant");
	return (done_testing());
}
