/*
 * fuzz_parser.c: libFuzzer harness for the line parser and the join. The
 * first byte picks a shipped source definition; the rest is the line.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/ldv.h"
#include "parse/parser.h"
#include "parse/srcdef.h"
#include "unit/shipped_def.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *names[] = { "brp-audit-jsonl", "rdw-audit-csv",
    "brp-gateway-jsonl", "ldv", "ldv-app-audit" };
#define NDEFS	(sizeof names / sizeof names[0])

static struct srcdef	*defs[NDEFS];
static struct parser	*parsers[NDEFS];
static struct ldv	*join;
static struct lookup	 ev;

/* Load the shipped definitions once. */
static void
fuzz_init(void)
{
	char	*cause = NULL;
	size_t	 i;

	for (i = 0; i < NDEFS; i++) {
		if ((defs[i] = shipped_def(FUZZ_SOURCES, names[i], &cause)) ==
		    NULL)
			abort();
		parsers[i] = parser_new(defs[i]);
	}
	{
		struct ldv_limits lim;

		ldv_limits_default(&lim);
		lim.max_groups = 64;
		lim.wait_us = 100 * 1000000;
		lim.linger_us = 10 * 1000000;
		join = ldv_new(defs[3], defs[4], &lim);
	}
	lookup_init(&ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int		 init;
	static uint64_t		 off;
	struct ldv_out		 o;
	const char		*reason = NULL, *line;
	char			 id[EV_ID_MAX];
	enum parse_rc		 rc;
	size_t			 k;

	if (!init) {
		fuzz_init();
		init = 1;
	}
	if (len == 0)
		return (0);
	k = data[0] % NDEFS;
	line = (const char *)data + 1;
	rc = parser_line(parsers[k], line, len - 1, &ev, &reason);
	if (rc == PARSE_BAD && reason == NULL)
		abort();
	parser_salvage(parsers[k], line, len - 1, PARSER_SALVAGE_ID, id,
	    sizeof id);
	if (k >= 3) {
		ldv_add(join, (int)(k - 3), parsers[k], rc, &ev, reason, line,
		    len - 1, off++);
		while (ldv_next(join, &o))
			;
		(void)ldv_low_watermark(join, 0);
	}
	return (0);
}
