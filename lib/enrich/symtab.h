/* symtab.h: interned strings; each distinct string gets a small number. */
#ifndef WACHTER_SYMTAB_H
#define WACHTER_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

#define SYM_NONE	UINT32_MAX

struct symtab;

/* Pack a string into 31 bits that only it packs to; 0 when it cannot. */
typedef int	(*symtab_pack_fn)(const char *, size_t, uint32_t *);

struct symtab	*symtab_new(void);
struct symtab	*symtab_new_packed(symtab_pack_fn);
void		 symtab_free(struct symtab *);
uint32_t	 symtab_intern(struct symtab *, const char *, size_t);
uint32_t	 symtab_find(const struct symtab *, const char *, size_t);
uint32_t	 symtab_value(const struct symtab *, const char *, size_t);
uint32_t	 symtab_intern_value(struct symtab *, const char *, size_t,
		    uint32_t);
uint32_t	 symtab_find_value(const struct symtab *, const char *, size_t,
		    uint32_t);
void		 symtab_prefetch_value(const struct symtab *, uint32_t);
const char	*symtab_str(const struct symtab *, uint32_t);
uint32_t	 symtab_count(const struct symtab *);
void		 symtab_fit(struct symtab *);
struct symtab	*symtab_copy(const struct symtab *, uint32_t);
uint64_t	 symtab_hash(const char *, size_t);

#endif
