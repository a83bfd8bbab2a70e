/*
 * nldate.h: moments as an officer in the Netherlands reads them, in
 * Amsterdam's local time and Dutch words ("ma 2 mrt 2026 11:36").
 */
#ifndef WACHTER_NLDATE_H
#define WACHTER_NLDATE_H

#include <stddef.h>
#include <stdint.h>

#define NLDATE_MAX	32

void	 nldate_civil(int64_t, int *, int *, int *);
void	 nldate_format(int64_t, char *, size_t);
void	 nldate_day(int64_t, char *, size_t);

#endif
