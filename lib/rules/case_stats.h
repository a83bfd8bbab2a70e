/*
 * case_stats.h: what is usual for a case type in this municipality,
 * computed from the reference data: how long its cases last (the median
 * of the closed ones) and how much of it is on-call work. Rules compare
 * a case with these instead of with numbers fitted to one town.
 */
#ifndef WACHTER_CASE_STATS_H
#define WACHTER_CASE_STATS_H

#include <stdint.h>

#include "enrich/ref.h"

/* Fewer closed cases of a type than this give no usual duration. */
#define CASE_STATS_MIN_CLOSED	10

struct case_stats;

struct case_stats *case_stats_new(const struct ref *);
void		 case_stats_free(struct case_stats *);
int64_t		 case_stats_median(const struct case_stats *, uint32_t);
int32_t		 case_stats_oncall_permille(const struct case_stats *,
		    uint32_t);

#endif
