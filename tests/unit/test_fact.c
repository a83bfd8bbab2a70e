/*
 * test_fact.c: a fact with a fixed list of values gives, as fact_code,
 * the index in that list of the string fact_str names, for every input
 * the fact is made of; the evaluator tests the code, alerts print the
 * string, and the two must never disagree.
 */
#include "config.h"

#include <string.h>

#include "rules/fact.h"
#include "tap.h"

/* The index of s in a fact's values, -1 when it is none of them. */
static int
value_index(const struct fact_def *fd, const char *s)
{
	int	 i;

	for (i = 0; fd->values[i] != NULL; i++)
		if (strcmp(fd->values[i], s) == 0)
			return (i);
	return (-1);
}

/* Compare code and string of every valued string fact for one input. */
static int
agree(const struct facts *fx, const struct sfacts *sf)
{
	const struct fact_def	*fd;
	char			 buf[32];
	int			 f, bad = 0;

	for (f = 0; f < F_NFACTS; f++) {
		fd = fact_def(f);
		if (fd->type != FT_STR || fd->values == NULL)
			continue;
		if (fact_code(fx, sf, f) !=
		    value_index(fd, fact_str(fx, sf, f, buf, sizeof buf))) {
			printf("# %s: code %d, string '%s'\n", fd->name,
			    fact_code(fx, sf, f),
			    fact_str(fx, sf, f, buf, sizeof buf));
			bad++;
		}
	}
	return (bad);
}

int
main(void)
{
	struct lookup	 ev;
	struct facts	 fx;
	struct sfacts	 sf;
	int		 reg, req, st, ex, wd, role, bad = 0, n = 0;

	memset(&ev, 0, sizeof ev);
	memset(&fx, 0, sizeof fx);
	memset(&sf, 0, sizeof sf);
	fx.ev = &ev;
	/* One past each enum's end too: the string is then no value. */
	for (reg = 0; reg <= EV_REG_RDW; reg++)
	for (req = 0; req <= EV_REQ_KENTEKEN + 1; req++)
	for (st = 0; st <= EV_STATUS_ERROR + 1; st++)
	for (ex = 0; ex <= EXPL_NKINDS; ex++)
	for (wd = 0; wd < 7; wd++)
	for (role = 0; role < 8; role++) {
		ev.reg = (uint8_t)reg;
		ev.request = (uint8_t)req;
		ev.status = (uint8_t)st;
		fx.expl = (uint8_t)ex;
		sf.e.kind = (uint8_t)ex;
		fx.lt.wday = wd;
		sf.role = (uint8_t)role;
		bad += agree(&fx, &sf);
		n++;
	}
	ok(n > 1000, "%d inputs tried", n);
	is_int(bad, 0, "fact_code names the value fact_str names");
	return (done_testing());
}
