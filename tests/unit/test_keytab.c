/*
 * test_keytab.c: packed subject keys. Every packable key decodes back to
 * itself (so no two pack alike), keys that do not pack are still found,
 * and both kinds share one numbering in order of first intern. Case ids
 * pack to year and number in a symtab that keeps their text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/keytab.h"
#include "tap.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* The inverse of key_pack, written out here to check it against. */
static size_t
unpack(uint64_t k, char *dst)
{
	char	 tmp[16];
	size_t	 n = 0, i;

	for (; k != 0; k >>= 6)
		tmp[n++] = alphabet[(k & 63) - 1];
	for (i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	dst[n] = '\0';
	return (n);
}

/* The i-th string of length len over the alphabet. */
static void
nth(uint64_t i, size_t len, char *dst)
{
	size_t	 j;

	for (j = len; j > 0; j--, i /= 36)
		dst[j - 1] = alphabet[i % 36];
	dst[len] = '\0';
}

/* Every key of 1 to 3 characters, and long ones, decode to themselves. */
static void
test_pack(void)
{
	char		 s[16], back[16];
	uint64_t	 k, i, n;
	size_t		 len;
	int		 bad = 0;

	for (len = 1; len <= 3; len++) {
		for (n = 1, i = 0; i < len; i++)
			n *= 36;
		for (i = 0; i < n; i++) {
			nth(i, len, s);
			bad += !key_pack(s, len, &k) || k == 0 ||
			    unpack(k, back) != len || strcmp(s, back) != 0;
		}
	}
	ok(bad == 0, "every key of 1-3 characters round-trips");
	for (bad = 0, i = 0; i < 100000; i++) {
		nth(i * 2654435761ULL, KEY_PACK_MAX, s);
		bad += !key_pack(s, KEY_PACK_MAX, &k) ||
		    unpack(k, back) != KEY_PACK_MAX || strcmp(s, back) != 0;
	}
	ok(bad == 0, "keys of 10 characters round-trip");
	ok(key_pack("ZZZZZZZZZZ", 10, &k) && k < (1ULL << 60),
	    "the largest key fits 60 bits");
	ok(!key_pack("ZZZZZZZZZZZ", 11, &k), "11 characters do not pack");
	ok(!key_pack("", 0, &k), "the empty key does not pack");
	ok(!key_pack("12-ab-3", 7, &k), "lower case and dashes do not pack");
	ok(!key_pack("1234\0", 5, &k), "a NUL does not pack");
}

/* Key i: a BSN, a plate or a key that does not pack, in turn. */
static void
key_of(uint32_t i, char *s, size_t size)
{
	if (i % 3 == 0)
		snprintf(s, size, "%09u", 100000000u + i * 7);
	else if (i % 3 == 1)
		snprintf(s, size, "%02uXY%02u", i / 100, i % 100);
	else
		snprintf(s, size, "nopack-%u", i);
}

/*
 * Intern BSNs, plates and keys that do not pack, interleaved, past
 * several doublings; find each by its number, and nothing else.
 */
static void
test_table(void)
{
	struct keytab	*kt = keytab_new();
	char		 s[32];
	uint32_t	 i, n = 60000;
	int		 bad = 0;

	for (i = 0; i < n; i++) {
		key_of(i, s, sizeof s);
		bad += keytab_intern(kt, s, strlen(s)) != i;
	}
	ok(bad == 0, "symbols are numbered in order of first intern");
	is_int(keytab_count(kt), n, "keytab count");
	keytab_fit(kt);
	for (bad = 0, i = 0; i < n; i++) {
		key_of(i, s, sizeof s);
		bad += keytab_find(kt, s, strlen(s)) != i ||
		    keytab_intern(kt, s, strlen(s)) != i;
	}
	ok(bad == 0, "every key is found after fit, and interned once");
	for (bad = 0, i = 0; i < n + 100; i++) {
		key_of(i, s, sizeof s);
		bad += keytab_find_key(kt, s, strlen(s),
		    keytab_key(s, strlen(s))) != keytab_find(kt, s, strlen(s));
	}
	ok(bad == 0, "a find by a key packed once is keytab_find");
	is_int(keytab_count(kt), n, "interning again adds nothing");
	is_int(keytab_find(kt, "100000001", 9), SYM_NONE, "absent BSN");
	is_int(keytab_find(kt, "0100000000", 10), SYM_NONE,
	    "a leading 0 is another key");
	is_int(keytab_find(kt, "10000000", 8), SYM_NONE, "a prefix is not");
	is_int(keytab_find(kt, "nopack-2", 8), 2, "unpacked key found");
	is_int(keytab_find(kt, "nopack-3", 8), SYM_NONE, "absent text key");
	is_int(keytab_find(kt, "", 0), SYM_NONE, "no empty key");
	is_int(keytab_intern(kt, "", 0), n, "the empty key is a text key");
	is_int(keytab_find(kt, "", 0), n, "and is found then");
	keytab_free(kt);
}

/*
 * Case ids: every year that packs, with numbers at both ends and between,
 * packs to a value of its own with the top bit clear; other forms do not.
 */
static void
test_case_pack(void)
{
	static const char *const nopack[] = { "ZAAK-1969-0000001",
	    "ZAAK-2098-0000001", "zaak-2024-0000001", "ZAAK-2024-000001",
	    "ZAAK-2024-00000012", "ZAAK_2024-0000001", "ZAAK-2024_0000001",
	    "ZAAK-20x4-0000001", "ZAAK-2024-00000x1", "" };
	static const uint32_t nums[] = { 0, 1, 42, 1000000, 9999998, 9999999 };
	char		 s[32];
	uint32_t	 k, year, i;
	int		 bad = 0;

	for (year = 1970; year <= 2097; year++) {
		for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
			snprintf(s, sizeof s, "ZAAK-%04u-%07u", year, nums[i]);
			bad += !key_pack_case(s, strlen(s), &k) ||
			    (k & 0x80000000u) || k >> 24 != year - 1970 ||
			    (k & 0xffffff) != nums[i];
		}
	}
	ok(bad == 0, "case ids of 1970-2097 pack to year and number");
	for (bad = 0, i = 0; i < sizeof nopack / sizeof nopack[0]; i++)
		bad += key_pack_case(nopack[i], strlen(nopack[i]), &k);
	ok(bad == 0, "other case ids do not pack");
}

/*
 * A symtab that packs case ids: packed and unpacked ids, past several
 * doublings, are each found and keep their text.
 */
static void
test_case_symtab(void)
{
	struct symtab	*st = symtab_new_packed(key_pack_case);
	char		 s[32];
	uint32_t	 i, n = 30000;
	int		 bad = 0;

	for (i = 0; i < n; i++) {
		snprintf(s, sizeof s, i % 2 ? "ZAAK-%04u-%07u" :
		    "ZAAK-%04u-%07u-x", 2000 + i % 30, i * 13);
		bad += symtab_intern(st, s, strlen(s)) != i;
	}
	ok(bad == 0, "case ids are numbered in order of first intern");
	symtab_fit(st);
	for (bad = 0, i = 0; i < n; i++) {
		snprintf(s, sizeof s, i % 2 ? "ZAAK-%04u-%07u" :
		    "ZAAK-%04u-%07u-x", 2000 + i % 30, i * 13);
		bad += symtab_find(st, s, strlen(s)) != i ||
		    strcmp(symtab_str(st, i), s) != 0;
	}
	ok(bad == 0, "every case id is found and keeps its text");
	for (bad = 0, i = 0; i < n + 100; i++) {
		snprintf(s, sizeof s, i % 2 ? "ZAAK-%04u-%07u" :
		    "ZAAK-%04u-%07u-x", 2000 + i % 30, i * 13);
		bad += symtab_find_value(st, s, strlen(s), symtab_value(st, s,
		    strlen(s))) != symtab_find(st, s, strlen(s));
	}
	ok(bad == 0, "a find by a value computed once is symtab_find");
	is_int(symtab_find(st, "ZAAK-2001-0000012", 17), SYM_NONE,
	    "absent case id");
	is_int(symtab_find(st, "ZAAK-2001-0000013", 17), 1, "packed id found");
	is_int(symtab_find(st, "ZAAK-2000-0000000-x", 19), 0,
	    "unpacked id found");
	is_int(symtab_find(st, "ZAAK-2000-0000000", 17), SYM_NONE,
	    "its prefix is not");
	symtab_free(st);
}

int
main(void)
{
	test_pack();
	test_table();
	test_case_pack();
	test_case_symtab();
	return (done_testing());
}
