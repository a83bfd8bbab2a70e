/*
 * test_csvscan.c: the row ends csv_scan_row_end finds are where csv_next
 * ends rows: random CSV-like bytes (quotes, doubled quotes, commas, line
 * breaks, carriage returns) read whole and in pieces give the same rows.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "tap.h"
#include "csvscan_check.h"

static const char *fixed[] = {
	"a,b\n\"c\nd\",e\n",
	"x\"y,\"multi\nline\",z\nq\n",		/* a quote inside a cell is text */
	"\"a\"\"\nb\",c\n\"\"\n\n\nd\n",
	"\"ab\"c\"\nd\",e\n",			/* text after a closed quote */
	"a,\"open\nnever closed\n",
	"\r\n\"\r\n\",\r\n",
};

/* A small deterministic generator (xorshift), the same bytes every run. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

int
main(void)
{
	static const char	 alpha[] = "ab,,\"\"\"\n\n\r";
	char			 buf[200];
	uint32_t		 s = 2463534242U;
	size_t			 i, j, len;
	int			 bad = 0;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		ok(csvscan_check(fixed[i], strlen(fixed[i]), ~0UL) &&
		    csvscan_check(fixed[i], strlen(fixed[i]), 0x5UL),
		    "fixed case %zu reads the same in pieces", i);
	for (i = 0; i < 50000; i++) {
		len = rnd(&s) % sizeof buf;
		for (j = 0; j < len; j++)
			buf[j] = alpha[rnd(&s) % (sizeof alpha - 1)];
		if (!csvscan_check(buf, len, ((unsigned long)rnd(&s) << 32) |
		    rnd(&s)) && bad++ == 0)
			diag("differs: %.*s", (int)len, buf);
	}
	ok(bad == 0, "50 000 random inputs read the same in pieces (%d differ)",
	    bad);
	return (done_testing());
}
