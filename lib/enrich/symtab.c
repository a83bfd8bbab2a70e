/*
 * symtab.c: string interning with open addressing. Strings live in one
 * pool so that a reference table of 100 000 persons costs a few
 * allocations, not 100 000; lookups never allocate. A slot holds the
 * hash beside the symbol, so a probe that meets another string is
 * settled without reading its text (a cache miss in a large table) and
 * text is compared only when the hashes agree, and then by length
 * (from the next symbol's offset) before memcmp, so no byte is read
 * twice and none past the string. A table made with a pack function
 * (case ids) keeps a string that packs as its packed value in place of
 * the hash, with the top bit clear (the hash of any other string has it
 * set): then equal values are equal strings, and the probe reads no text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/symtab.h"
#include "util/xmalloc.h"

struct symslot {
	uint32_t	 hash;
	uint32_t	 sym;		/* symbol + 1, 0 free */
};

struct symtab {
	char		*pool;
	size_t		 poollen;
	size_t		 poolcap;
	uint32_t	*offs;		/* symbol -> offset in pool */
	uint32_t	 n;
	uint32_t	 offscap;
	struct symslot	*slots;
	uint32_t	 nslots;	/* power of two */
	uint32_t	 shift;		/* 32 - log2(nslots) */
	symtab_pack_fn	 pack;
};

#define SYM_HASHED	0x80000000u	/* slot value is a hash, not a key */

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
	st->shift = 32 - 6;
	st->slots = xcalloc(st->nslots, sizeof *st->slots);
	return (st);
}

/* Create an empty table whose strings may pack (see above). */
struct symtab *
symtab_new_packed(symtab_pack_fn pack)
{
	struct symtab	*st;

	st = symtab_new();
	st->pack = pack;
	return (st);
}

/*
 * The value a slot holds for s: its packed value, or its hash (marked
 * SYM_HASHED in a table that packs). A caller that probes for one string
 * several times (prefetch, then find) computes it once; in every table
 * made by symtab_new it is the same, the string's hash.
 */
uint32_t
symtab_value(const struct symtab *st, const char *s, size_t len)
{
	uint32_t	 k;

	if (st->pack == NULL)
		return ((uint32_t)symtab_hash(s, len));
	if (st->pack(s, len, &k) && !(k & SYM_HASHED))
		return (k);
	return ((uint32_t)symtab_hash(s, len) | SYM_HASHED);
}

/*
 * The slot where a value's probe starts: the top bits of the value times
 * 2^32 / phi, as packed values (consecutive case numbers in each year)
 * are not spread like hashes.
 */
static uint32_t
symtab_home(const struct symtab *st, uint32_t h)
{
	return ((h * 0x9e3779b1u) >> st->shift);
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

/* The length of symbol sym: its string ends where the next one starts. */
static size_t
symtab_len(const struct symtab *st, uint32_t sym)
{
	size_t	 end;

	end = sym + 1 < st->n ? st->offs[sym + 1] : st->poollen;
	return (end - st->offs[sym] - 1);
}

/* Find the slot that holds s (hash h), or the free slot where it belongs. */
static uint32_t
symtab_slot(const struct symtab *st, const char *s, size_t len, uint32_t h)
{
	const struct symslot	*sl;
	uint32_t		 i, mask = st->nslots - 1;

	for (i = symtab_home(st, h);; i = (i + 1) & mask) {
		sl = &st->slots[i];
		if (sl->sym == 0)
			return (i);
		if (sl->hash != h)
			continue;
		if (st->pack != NULL && !(h & SYM_HASHED))
			return (i);
		if (symtab_len(st, sl->sym - 1) == len &&
		    memcmp(st->pool + st->offs[sl->sym - 1], s, len) == 0)
			return (i);
	}
}

/* Double the hash slots and move every symbol by its kept hash. */
static void
symtab_grow(struct symtab *st)
{
	struct symslot	*old = st->slots;
	uint32_t	 i, j, n = st->nslots, mask;

	st->nslots *= 2;
	st->shift--;
	mask = st->nslots - 1;
	st->slots = xcalloc(st->nslots, sizeof *st->slots);
	for (i = 0; i < n; i++) {
		if (old[i].sym == 0)
			continue;
		for (j = symtab_home(st, old[i].hash); st->slots[j].sym != 0;
		    j = (j + 1) & mask)
			;
		st->slots[j] = old[i];
	}
	free(old);
}

/* Return the symbol of s, adding it when new. */
uint32_t
symtab_intern(struct symtab *st, const char *s, size_t len)
{
	return (symtab_intern_value(st, s, len, symtab_value(st, s, len)));
}

/* The same, with s's symtab_value h computed by the caller. */
uint32_t
symtab_intern_value(struct symtab *st, const char *s, size_t len, uint32_t h)
{
	uint32_t	 i;

	i = symtab_slot(st, s, len, h);
	if (st->slots[i].sym != 0)
		return (st->slots[i].sym - 1);
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
	st->slots[i].hash = h;
	st->slots[i].sym = ++st->n;
	/* Up to 70 % full: slots are small and probes stay in a cache line. */
	if ((uint64_t)st->n * 10 > (uint64_t)st->nslots * 7)
		symtab_grow(st);
	return (st->n - 1);
}

/* Return the symbol of s, or SYM_NONE. */
uint32_t
symtab_find(const struct symtab *st, const char *s, size_t len)
{
	return (symtab_find_value(st, s, len, symtab_value(st, s, len)));
}

/* The same, with s's symtab_value h computed by the caller. */
uint32_t
symtab_find_value(const struct symtab *st, const char *s, size_t len,
    uint32_t h)
{
	uint32_t	 i;

	i = symtab_slot(st, s, len, h);
	return (st->slots[i].sym == 0 ? SYM_NONE : st->slots[i].sym - 1);
}

/*
 * Start loading the slot a find of a string with symtab_value h will
 * read first (keytab_prefetch_key).
 */
void
symtab_prefetch_value(const struct symtab *st, uint32_t h)
{
	__builtin_prefetch(&st->slots[symtab_home(st, h)]);
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

/*
 * Give back the unused tail of the strings and offsets once a table is
 * complete (the doubling leaves up to half unused: 15 MB for a million
 * case ids). Interning afterwards still works; it grows again.
 */
void
symtab_fit(struct symtab *st)
{
	if (st->n == 0)
		return;
	st->poolcap = st->poollen;
	st->pool = xreallocarray(st->pool, 1, st->poolcap);
	st->offscap = st->n;
	st->offs = xreallocarray(st->offs, st->offscap, sizeof *st->offs);
}

/*
 * A new table of the first n symbols of st, numbered as there (what a
 * table held before later strings were added: ref_carry). The slots of
 * the others are left out and the kept ones placed again, as in a grow.
 */
struct symtab *
symtab_copy(const struct symtab *st, uint32_t n)
{
	struct symtab	*c;
	uint32_t	 i, j, mask = st->nslots - 1;

	c = xcalloc(1, sizeof *c);
	c->pack = st->pack;
	c->n = c->offscap = n;
	c->offs = xmemdup(st->offs, n, sizeof *st->offs);
	c->poollen = c->poolcap = n < st->n ? st->offs[n] : st->poollen;
	c->pool = xmemdup(st->pool, c->poollen, 1);
	c->nslots = st->nslots;
	c->shift = st->shift;
	if (n == st->n) {
		c->slots = xmemdup(st->slots, st->nslots, sizeof *st->slots);
		return (c);
	}
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	for (i = 0; i < st->nslots; i++) {
		if (st->slots[i].sym == 0 || st->slots[i].sym > n)
			continue;
		j = symtab_home(c, st->slots[i].hash);
		while (c->slots[j].sym != 0)
			j = (j + 1) & mask;
		c->slots[j] = st->slots[i];
	}
	return (c);
}
