/*
 * reftime.h: dates of the reference files and the local calendar of Europe/Amsterdam that policies speak in.
 */
#ifndef WACHTER_REFTIME_H
#define WACHTER_REFTIME_H

#include <stddef.h>
#include <stdint.h>

#define USEC_PER_SEC	1000000LL
#define USEC_PER_MIN	(60 * USEC_PER_SEC)
#define USEC_PER_HOUR	(60 * USEC_PER_MIN)
#define USEC_PER_DAY	(24 * USEC_PER_HOUR)

/* A moment in Amsterdam local time. */
struct localtm {
	int32_t	 day;		/* local days since 1970-01-01 */
	int	 wday;		/* 0 = monday .. 6 = sunday */
	int	 minute;	/* minute of the local day */
};

/*
 * The local day last converted: [from, to) in µs UTC, one local day at
 * one offset, so any moment in it converts without the summer-time rule.
 * Zeroed, it holds nothing.
 */
struct localspan {
	int64_t		 from, to;
	struct localtm	 lt;		/* its day and weekday */
};

int	 reftime_date(const char *, size_t, int32_t *);
int64_t	 reftime_days(int, int, int);
void	 reftime_local(int64_t, struct localtm *);
void	 reftime_local_span(struct localspan *, int64_t, struct localtm *);

#endif
