/*
 * keytab.c: symbols for BSNs and plates, the keys every subject of every
 * lookup is found by. A string symtab settles a probe by a hash in the
 * slot, then reads the symbol's offset and its text in the pool: three
 * cache misses in a table of a million subjects. Here a key of up to 10
 * characters of [0-9A-Z] is packed into an integer that sits in the
 * slot itself, so a probe is one miss and a compare of integers, and no
 * text is kept (12 bytes a slot against 8 bytes a slot plus about 14 of
 * text and offset per key). Anything else keeps its text in a symtab;
 * both kinds share one numbering, in order of first intern.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/keytab.h"
#include "util/xmalloc.h"

struct keyslot {
	uint32_t	 lo;		/* the packed key */
	uint32_t	 hi;
	uint32_t	 sym;		/* symbol + 1, 0 free */
};

struct keytab {
	struct keyslot	*slots;
	uint32_t	 nslots;	/* power of two */
	uint32_t	 shift;		/* 64 - log2(nslots) */
	uint32_t	 npacked;
	uint32_t	 n;		/* symbols of both kinds */
	struct symtab	*text;		/* keys that do not pack */
	uint32_t	*text_sym;	/* text symbol -> symbol */
	uint32_t	 text_cap;
};

/*
 * Pack a key: 6 bits a character, 0-9 as 1-10 and A-Z as 11-36, none 0,
 * so keys of different lengths differ (the top group is never 0) and
 * every key packs to a value of its own. 0 when it does not pack.
 */
int
key_pack(const char *s, size_t len, uint64_t *key)
{
	uint64_t	 k = 0;
	size_t		 i;
	unsigned char	 c;

	if (len == 0 || len > KEY_PACK_MAX)
		return (0);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			k = k << 6 | (uint64_t)(c - '0' + 1);
		else if (c >= 'A' && c <= 'Z')
			k = k << 6 | (uint64_t)(c - 'A' + 11);
		else
			return (0);
	}
	*key = k;
	return (1);
}

/*
 * Pack a canonical case id, ZAAK-YYYY-NNNNNNN, as (YYYY - 1970) << 24 |
 * NNNNNNN in 31 bits (years 1970-2097; 10^7 < 2^24), for the case id
 * symtab (symtab_new_packed). 0 for any other string.
 */
int
key_pack_case(const char *s, size_t len, uint32_t *key)
{
	uint32_t	 year = 0, num = 0;
	size_t		 i;

	if (len != 17 || memcmp(s, "ZAAK-", 5) != 0 || s[9] != '-')
		return (0);
	for (i = 5; i < 17; i++) {
		if (i == 9)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return (0);
		if (i < 9)
			year = year * 10 + (uint32_t)(s[i] - '0');
		else
			num = num * 10 + (uint32_t)(s[i] - '0');
	}
	if (year < 1970 || year > 1970 + 127)
		return (0);
	*key = (year - 1970) << 24 | num;
	return (1);
}

/* Fibonacci hashing: the top bits of key times 2^64 / phi. */
static uint32_t
keytab_home(const struct keytab *kt, uint64_t key)
{
	return ((uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> kt->shift));
}

/* Create an empty table. */
struct keytab *
keytab_new(void)
{
	struct keytab	*kt;

	kt = xcalloc(1, sizeof *kt);
	kt->nslots = 64;
	kt->shift = 64 - 6;
	kt->slots = xcalloc(kt->nslots, sizeof *kt->slots);
	kt->text = symtab_new();
	return (kt);
}

/* Free a table. */
void
keytab_free(struct keytab *kt)
{
	if (kt == NULL)
		return;
	free(kt->slots);
	symtab_free(kt->text);
	free(kt->text_sym);
	free(kt);
}

/* The slot that holds key, or the free slot where it belongs. */
static uint32_t
keytab_slot(const struct keytab *kt, uint64_t key)
{
	const struct keyslot	*sl;
	uint32_t		 i, mask = kt->nslots - 1;
	uint32_t		 lo = (uint32_t)key, hi = (uint32_t)(key >> 32);

	for (i = keytab_home(kt, key);; i = (i + 1) & mask) {
		sl = &kt->slots[i];
		if (sl->sym == 0 || (sl->lo == lo && sl->hi == hi))
			return (i);
	}
}

/* Double the slots and place every key again. */
static void
keytab_grow(struct keytab *kt)
{
	struct keyslot	*old = kt->slots;
	uint32_t	 i, j, n = kt->nslots;

	kt->nslots *= 2;
	kt->shift--;
	kt->slots = xcalloc(kt->nslots, sizeof *kt->slots);
	for (i = 0; i < n; i++) {
		if (old[i].sym == 0)
			continue;
		j = keytab_slot(kt, (uint64_t)old[i].hi << 32 | old[i].lo);
		kt->slots[j] = old[i];
	}
	free(old);
}

/* Intern a key that does not pack: its text, numbered with the rest. */
static uint32_t
keytab_intern_text(struct keytab *kt, const char *s, size_t len)
{
	uint32_t	 t, nt = symtab_count(kt->text);

	t = symtab_intern(kt->text, s, len);
	if (t < nt)
		return (kt->text_sym[t]);
	if (t >= kt->text_cap) {
		kt->text_cap = kt->text_cap ? kt->text_cap * 2 : 16;
		kt->text_sym = xreallocarray(kt->text_sym, kt->text_cap,
		    sizeof *kt->text_sym);
	}
	kt->text_sym[t] = kt->n;
	return (kt->n++);
}

/* Return the symbol of s, adding it when new. */
uint32_t
keytab_intern(struct keytab *kt, const char *s, size_t len)
{
	struct keyslot	*sl;
	uint64_t	 key;

	if (!key_pack(s, len, &key))
		return (keytab_intern_text(kt, s, len));
	sl = &kt->slots[keytab_slot(kt, key)];
	if (sl->sym != 0)
		return (sl->sym - 1);
	sl->lo = (uint32_t)key;
	sl->hi = (uint32_t)(key >> 32);
	sl->sym = ++kt->n;
	/* Up to 70 % full, as in symtab. */
	if ((uint64_t)++kt->npacked * 10 > (uint64_t)kt->nslots * 7)
		keytab_grow(kt);
	return (kt->n - 1);
}

/* Return the symbol of s, or SYM_NONE. */
uint32_t
keytab_find(const struct keytab *kt, const char *s, size_t len)
{
	return (keytab_find_key(kt, s, len, keytab_key(s, len)));
}

/*
 * The key keytab_find_key and keytab_prefetch_key take for s: its packed
 * value, or 0 (no key packs to 0) when it does not pack. A caller that
 * probes for one key several times packs it once.
 */
uint64_t
keytab_key(const char *s, size_t len)
{
	uint64_t	 key;

	return (key_pack(s, len, &key) ? key : 0);
}

/* keytab_find, with s's keytab_key computed by the caller. */
uint32_t
keytab_find_key(const struct keytab *kt, const char *s, size_t len,
    uint64_t key)
{
	const struct keyslot	*sl;
	uint32_t		 t;

	if (key == 0) {
		t = symtab_find(kt->text, s, len);
		return (t == SYM_NONE ? SYM_NONE : kt->text_sym[t]);
	}
	sl = &kt->slots[keytab_slot(kt, key)];
	return (sl->sym == 0 ? SYM_NONE : sl->sym - 1);
}

/*
 * Start loading the slot a find of a key (keytab_key) will read first, so
 * that the probes of a lookup's several keys wait for memory together,
 * not in turn.
 */
void
keytab_prefetch_key(const struct keytab *kt, uint64_t key)
{
	if (key != 0)
		__builtin_prefetch(&kt->slots[keytab_home(kt, key)]);
}

/* Return how many symbols there are. */
uint32_t
keytab_count(const struct keytab *kt)
{
	return (kt->n);
}

/* Give back what the doubling left unused once the table is complete. */
void
keytab_fit(struct keytab *kt)
{
	uint32_t	 nt = symtab_count(kt->text);

	symtab_fit(kt->text);
	if (nt == 0)
		return;
	kt->text_cap = nt;
	kt->text_sym = xreallocarray(kt->text_sym, nt, sizeof *kt->text_sym);
}

/*
 * A new table of the first n symbols of kt, numbered as there (ref_carry).
 * The text keys among them are a prefix of the text symtab, as both
 * number in order of first intern.
 */
struct keytab *
keytab_copy(const struct keytab *kt, uint32_t n)
{
	struct keytab	*c;
	uint32_t	 i, j, nt = 0, ntext = symtab_count(kt->text);

	c = xcalloc(1, sizeof *c);
	c->nslots = kt->nslots;
	c->shift = kt->shift;
	c->n = n;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	for (i = 0; i < kt->nslots; i++) {
		if (kt->slots[i].sym == 0 || kt->slots[i].sym > n)
			continue;
		j = keytab_slot(c, (uint64_t)kt->slots[i].hi << 32 |
		    kt->slots[i].lo);
		c->slots[j] = kt->slots[i];
		c->npacked++;
	}
	while (nt < ntext && kt->text_sym[nt] < n)
		nt++;
	c->text = symtab_copy(kt->text, nt);
	c->text_cap = nt;
	c->text_sym = xmemdup(kt->text_sym, nt, sizeof *c->text_sym);
	return (c);
}
