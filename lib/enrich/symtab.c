/*
 * symtab.c: string interning with open addressing. Strings live in one
 * pool so that a reference table of 100 000 persons costs a few
 * allocations, not 100 000; lookups never allocate.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/symtab.h"
#include "util/xmalloc.h"

struct symtab {
	char		*pool;
	size_t		 poollen;
	size_t		 poolcap;
	uint32_t	*offs;		/* symbol -> offset in pool */
	uint32_t	 n;
	uint32_t	 offscap;
	uint32_t	*slots;		/* hash slot -> symbol + 1, 0 free */
	uint32_t	 nslots;	/* power of two */
};

/* FNV-1a: fast and good enough for account names, BSNs and plates. */
uint64_t
symtab_hash(const char *s, size_t len)
{
	uint64_t	 h = 1469598103934665603ULL;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 1099511628211ULL;
	}
	return (h ^ (h >> 29));
}

/* Create an empty table. */
struct symtab *
symtab_new(void)
{
	struct symtab	*st;

	st = xcalloc(1, sizeof *st);
	st->nslots = 64;
	st->slots = xcalloc(st->nslots, sizeof *st->slots);
	return (st);
}

/* Free a table and its strings. */
void
symtab_free(struct symtab *st)
{
	if (st == NULL)
		return;
	free(st->pool);
	free(st->offs);
	free(st->slots);
	free(st);
}

/* Find the slot that holds s, or the free slot where it belongs. */
static uint32_t
symtab_slot(const struct symtab *st, const char *s, size_t len)
{
	uint32_t	 i, sym, mask = st->nslots - 1;
	const char	*p;

	i = (uint32_t)symtab_hash(s, len) & mask;
	for (;;) {
		if (st->slots[i] == 0)
			return (i);
		sym = st->slots[i] - 1;
		p = st->pool + st->offs[sym];
		if (strncmp(p, s, len) == 0 && p[len] == '\0')
			return (i);
		i = (i + 1) & mask;
	}
}

/* Double the hash slots and reinsert every symbol. */
static void
symtab_grow(struct symtab *st)
{
	uint32_t	 sym, i;
	const char	*p;

	free(st->slots);
	st->nslots *= 2;
	st->slots = xcalloc(st->nslots, sizeof *st->slots);
	for (sym = 0; sym < st->n; sym++) {
		p = st->pool + st->offs[sym];
		i = symtab_slot(st, p, strlen(p));
		st->slots[i] = sym + 1;
	}
}

/* Return the symbol of s, adding it when new. */
uint32_t
symtab_intern(struct symtab *st, const char *s, size_t len)
{
	uint32_t	 i;

	i = symtab_slot(st, s, len);
	if (st->slots[i] != 0)
		return (st->slots[i] - 1);
	while (st->poollen + len + 1 > st->poolcap) {
		st->poolcap = st->poolcap ? st->poolcap * 2 : 4096;
		st->pool = xreallocarray(st->pool, 1, st->poolcap);
	}
	if (st->n == st->offscap) {
		st->offscap = st->offscap ? st->offscap * 2 : 256;
		st->offs = xreallocarray(st->offs, st->offscap,
		    sizeof *st->offs);
	}
	memcpy(st->pool + st->poollen, s, len);
	st->pool[st->poollen + len] = '\0';
	st->offs[st->n] = (uint32_t)st->poollen;
	st->poollen += len + 1;
	st->slots[i] = ++st->n;
	if (st->n * 2 > st->nslots)
		symtab_grow(st);
	return (st->n - 1);
}

/* Return the symbol of s, or SYM_NONE. */
uint32_t
symtab_find(const struct symtab *st, const char *s, size_t len)
{
	uint32_t	 i;

	i = symtab_slot(st, s, len);
	return (st->slots[i] == 0 ? SYM_NONE : st->slots[i] - 1);
}

/* Return the string of a symbol. */
const char *
symtab_str(const struct symtab *st, uint32_t sym)
{
	if (sym >= st->n)
		return ("");
	return (st->pool + st->offs[sym]);
}

/* Return how many symbols there are. */
uint32_t
symtab_count(const struct symtab *st)
{
	return (st->n);
}
