/*
 * keytab.h: symbols for short keys (BSNs, plates) held as integers. Like
 * a symtab, each distinct key gets a small number, in order of first
 * intern; keys that do not pack keep their text in a symtab.
 */
#ifndef WACHTER_KEYTAB_H
#define WACHTER_KEYTAB_H

#include <stddef.h>
#include <stdint.h>

#include "enrich/symtab.h"

#define KEY_PACK_MAX	10	/* characters in 60 bits */

struct keytab;

int		 key_pack(const char *, size_t, uint64_t *);
int		 key_pack_case(const char *, size_t, uint32_t *);
struct keytab	*keytab_new(void);
void		 keytab_free(struct keytab *);
uint32_t	 keytab_intern(struct keytab *, const char *, size_t);
uint32_t	 keytab_find(const struct keytab *, const char *, size_t);
uint64_t	 keytab_key(const char *, size_t);
uint32_t	 keytab_find_key(const struct keytab *, const char *, size_t,
		    uint64_t);
void		 keytab_prefetch_key(const struct keytab *, uint64_t);
uint32_t	 keytab_count(const struct keytab *);
void		 keytab_fit(struct keytab *);
struct keytab	*keytab_copy(const struct keytab *, uint32_t);

#endif
