/* lookup_pack.h: a lookup in the bytes it uses (lookup_pack.c). */
#ifndef WACHTER_LOOKUP_PACK_H
#define WACHTER_LOOKUP_PACK_H

#include <stddef.h>

struct lookup;

size_t	 lookup_pack_size(const struct lookup *);
void	 lookup_pack(const struct lookup *, unsigned char *);
void	 lookup_unpack(struct lookup *, const unsigned char *);
const char *lookup_packed_user(const unsigned char *);

#endif
