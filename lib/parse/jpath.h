/*
 * jpath.h: a definition's JSON paths compiled once, so that one walk over
 * an object's members finds every path json_get() would find, with the
 * same result (the first match in document order, keys with dots, array
 * indexes, case-insensitive header names).
 */
#ifndef WACHTER_JPATH_H
#define WACHTER_JPATH_H

#include <stddef.h>
#include <stdint.h>

#include "parse/json.h"

struct jpath;

struct jpath	*jpath_new(int);
void		 jpath_free(struct jpath *);
void		 jpath_add(struct jpath *, const char *, size_t, uint32_t);
void		 jpath_find(const struct jpath *, const struct json *, int,
		    int *);

#endif
