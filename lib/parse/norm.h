/*
 * norm.h: normalisation of the values officials type: BSNs (11-check),
 * licence plates, case references and postcodes (rules in FORMAT.md).
 */
#ifndef WACHTER_NORM_H
#define WACHTER_NORM_H

#include <stddef.h>

int	norm_bsn_valid(const char *, size_t);
int	norm_plate(const char *, size_t, char *, size_t);
int	norm_case(const char *, size_t, char *, size_t);
int	norm_postcode(const char *, size_t, char *, size_t);

#endif
