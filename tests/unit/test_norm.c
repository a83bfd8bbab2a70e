/* test_norm.c: BSN 11-check, plates, case references, postcodes. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "parse/norm.h"
#include "tap.h"

static const struct {
	const char	*in;
	int		 valid;
} bsns[] = {
	{ "123456782", 1 }, { "111222333", 1 }, { "100007302", 1 }, { "100007303", 0 },
	{ "000000000", 0 }, { "76080768", 0 }, { "1234567820", 0 },
	{ "12345678a", 0 }, { "663506038", 0 }, { "475365550", 1 },
	{ "", 0 },
};

static const struct {
	int		 (*fn)(const char *, size_t, char *, size_t);
	const char	*in;
	const char	*want;	/* NULL: rejected */
} norms[] = {
	{ norm_plate, "4-bvl-85", "4BVL85" },
	{ norm_plate, "4BVL85", "4BVL85" },
	{ norm_plate, " kz-28-zb ", "KZ28ZB" },
	{ norm_plate, "XX-99-XX", "XX99XX" },
	{ norm_plate, "---", NULL },
	{ norm_plate, "AB.12", NULL },
	{ norm_plate, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", NULL },
	{ norm_case, "ZAAK-2026-0004711", "ZAAK-2026-0004711" },
	{ norm_case, "zaak-2026-0004711", "ZAAK-2026-0004711" },
	{ norm_case, "Zaak-2026-0004711", "ZAAK-2026-0004711" },
	{ norm_case, "2026-0004711", "ZAAK-2026-0004711" },
	{ norm_case, " ZAAK-2026-0004711 ", "ZAAK-2026-0004711" },
	{ norm_case, "ZAAK - 2026 - 0004711", "ZAAK-2026-0004711" },
	{ norm_case, "ZAAK_2026_0004711", "ZAAK-2026-0004711" },
	{ norm_case, "ZAAK-2026-4711", "ZAAK-2026-0004711" },
	{ norm_case, "ZAAK20264711", "ZAAK-2026-0004711" },
	{ norm_case, "zaak/2026.1", "ZAAK-2026-0000001" },
	{ norm_case, "ZAAK-2026-00047111", NULL },
	{ norm_case, "ZAAK-2026-", NULL },
	{ norm_case, "ZAAK--2026-0004711", NULL },
	{ norm_case, "SCAN", NULL },
	{ norm_case, "", NULL },
	{ norm_case, "ZAAK-26-0004711", NULL },
	{ norm_postcode, "7328CX", "7328CX" },
	{ norm_postcode, "7328 cx", "7328CX" },
	{ norm_postcode, "7328cx", "7328CX" },
	{ norm_postcode, "0328CX", NULL },
	{ norm_postcode, "7328C", NULL },
	{ norm_postcode, "73281X", NULL },
};

/*
 * The copy of a case id already in canonical form against the general
 * path: a leading space makes any input take the general path (it strips
 * whitespace first), so norm_case(s) must equal norm_case(" " s), result,
 * length and bytes, for canonical ids and for mutations of them (one byte
 * changed to a digit, letter, separator or space, bytes cut or added),
 * with buffers of 16 to 20 bytes.
 */
static void
test_case_copy(void)
{
	static const char	 bytes[] = "0123456789ZAKzak-_/. x\t";
	char			 s[32], sp[33], a[32], b[32];
	unsigned		 seed = 1, r;
	size_t			 len, sz, i;
	int			 n, m, bad = 0, fast = 0;

	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		r = seed >> 8;
		len = (size_t)snprintf(s, sizeof s, "ZAAK-%04u-%07u", r % 10000,
		    (r / 10000) % 10000000);
		switch (i % 4) {
		case 1:
			s[(r >> 3) % len] = bytes[(r >> 7) % (sizeof bytes - 1)];
			break;
		case 2:
			len -= 1 + (r >> 5) % 3;
			break;
		case 3:
			s[len++] = bytes[(r >> 9) % 10];
			break;
		}
		s[len] = '\0';
		sz = 16 + (r >> 11) % 5;
		sp[0] = ' ';
		memcpy(sp + 1, s, len + 1);
		memset(a, 'a', sizeof a);
		memset(b, 'a', sizeof b);
		n = norm_case(s, len, a, sz);
		m = norm_case(sp, len + 1, b, sz);
		if (n != m || (n >= 0 && memcmp(a, b, (size_t)n + 1) != 0))
			bad++;
		fast += n == 17 && len == 17 && memcmp(a, s, 18) == 0;
	}
	ok(bad == 0, "a canonical case id is copied as the rebuild makes it");
	ok(fast > 30000, "canonical ids tried (%d)", fast);
}

int
main(void)
{
	char	 buf[32];
	size_t	 i;
	int	 n;

	for (i = 0; i < sizeof bsns / sizeof bsns[0]; i++)
		is_int(norm_bsn_valid(bsns[i].in, strlen(bsns[i].in)),
		    bsns[i].valid, bsns[i].in);
	for (i = 0; i < sizeof norms / sizeof norms[0]; i++) {
		n = norms[i].fn(norms[i].in, strlen(norms[i].in), buf,
		    sizeof buf);
		is_str(n < 0 ? NULL : buf, norms[i].want, norms[i].in);
		if (n >= 0)
			is_int(n, strlen(buf), "returned length");
	}
	ok(norm_case("ZAAK-2026-1", 11, buf, 17) == -1,
	    "case refuses a small buffer");
	ok(norm_case("ZAAK-2026-0000001", 17, buf, 17) == -1,
	    "a canonical case id refuses a small buffer");
	test_case_copy();
	return (done_testing());
}
