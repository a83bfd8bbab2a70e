/* test_norm.c: BSN 11-check, plates, case references, postcodes. */
#include "config.h"

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
	return (done_testing());
}
