/*
 * factgen.h: generated fact sets for holding the prepared rule set
 * (lib/rules/matcher.c) to the general path (match_rule): random
 * lookups, users of the reference data, subjects with random flags,
 * watch lists, roles, explanations and cases, some just after their
 * case was registered, in ordinary, re-examination and partial
 * evaluations. Used by tests/unit/test_match and tests/fuzz/fuzz_match.
 */
#ifndef WACHTER_FACTGEN_H
#define WACHTER_FACTGEN_H

#include <string.h>

#include "rules/match.h"

#define NSUBJ	4	/* subjects of a generated fact set, at most */

static uint64_t	 seed = 88172645463325252ULL;	/* the generator's state */

/* A deterministic random number (xorshift64). */
static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (seed);
}

/* A random number below n. */
static int
rnd_below(int n)
{
	return ((int)(rnd() % (uint64_t)n));
}

/* Mostly the common value, now and then anything up to n. */
static int
rnd_mostly(int common, int n)
{
	return (rnd_below(4) != 0 ? common : rnd_below(n));
}

/* A random subject's facts, its case one of the reference's or none. */
static void
gen_subject(const struct ref *ref, struct sfacts *sf)
{
	memset(sf, 0, sizeof *sf);
	sf->sym = SYM_NONE;
	sf->flags = (uint16_t)(rnd() & (rnd() & 0x3ff));
	sf->watch = (uint8_t)(rnd_below(4) == 0 ? rnd_below(32) : 0);
	sf->role = (uint8_t)rnd_below(5);
	sf->e.kind = (uint8_t)rnd_mostly(EXPL_CASE, EXPL_NKINDS + 1);
	sf->e.kase = rnd_below(3) == 0 || ref->ncases == 0 ? -1 :
	    rnd_below((int)ref->ncases);
	sf->e.appt = -1;
}

/* A random fact set for a lookup ev (also random). */
static void
gen_facts(const struct ref *ref, struct facts *fx, struct lookup *ev)
{
	uint32_t	 i;

	lookup_reset(ev);
	ev->reg = (uint8_t)rnd_mostly(EV_REG_BRP, EV_REG_RDW + 2);
	ev->request = (uint8_t)rnd_below(EV_REQ_KENTEKEN + 2);
	ev->status = (uint8_t)rnd_mostly(EV_STATUS_OK, 3);
	ev->flags = rnd_below(8) == 0 ? EV_F_DAMAGED : 0;
	ev->ts = (int64_t)1700000000 * 1000000 + rnd_below(1000000000) *
	    (int64_t)60;
	if (rnd_below(2))
		memcpy(ev->case_raw, "Z-1", 4);
	fx->ev = ev;
	fx->ref = ref;
	fx->st = rnd_below(8) == 0 || ref->nstaff == 0 ? NULL :
	    &ref->staff[rnd_below((int)ref->nstaff)];
	fx->lt.minute = rnd_below(24 * 60);
	fx->lt.wday = rnd_below(7);
	fx->now = ev->ts + rnd_below(4) * (int64_t)USEC_PER_DAY;
	fx->grace = 3 * (int64_t)USEC_PER_DAY;
	fx->cited = rnd_below(2) || ref->ncases == 0 ? -1 :
	    rnd_below((int)ref->ncases);
	fx->expl = (uint8_t)rnd_mostly(EXPL_NONE, EXPL_NKINDS + 1);
	fx->employed = (uint8_t)rnd_mostly(1, 2);
	fx->in_schedule = (uint8_t)rnd_below(2);
	fx->desk_shift = (uint8_t)rnd_below(2);
	fx->case_explains = (uint8_t)rnd_below(2);
	fx->case_own = (uint8_t)rnd_below(2);
	fx->outside_min = rnd_below(200);
	fx->nobody = (uint8_t)rnd_below(2);
	fx->any_related = (uint8_t)rnd_below(2);
	fx->any_secret = (uint8_t)rnd_below(2);
	fx->all_resident = (uint8_t)rnd_below(2);
	fx->reexam = (uint8_t)rnd_below(2);
	fx->partial = fx->reexam && rnd_below(2);
	fx->rx_untouched = (uint8_t)rnd_below(2);
	fx->rx_known = (uint8_t)rnd_below(2);
	fx->rx_case = rnd_below(2) || ref->ncases == 0 ? -1 :
	    rnd_below((int)ref->ncases);
	fx->nsf = (uint32_t)rnd_below(NSUBJ + 1);
	fx->ncounting = fx->nsf;
	for (i = 0; i < fx->nsf; i++)
		gen_subject(ref, &fx->sf[i]);
	/* Now and then just after a subject's case was registered. */
	if (fx->nsf > 0 && fx->sf[0].e.kase >= 0 && rnd_below(2))
		ev->ts = ref->cases[fx->sf[0].e.kase].registered +
		    rnd_below(3 * 24 * 60) * (int64_t)USEC_PER_MIN;
}

/*
 * Match every rule of rs against the facts in fx both ways; count the
 * rules that hold but were ruled out (*missed) and the answers or
 * subjects that differ (*differ); returns the rules that held.
 */
static uint64_t
factgen_compare(const struct ruleset *rs, struct matcher *m,
    const struct facts *fx, int *missed, int *differ)
{
	uint64_t	 left = matcher_candidates(m, fx), held = 0;
	size_t		 i;
	int		 w1, w2, h1, h2;

	for (i = 0; i < rs->n; i++) {
		h1 = match_rule(&rs->rules[i], fx, &w1);
		if (h1)
			held |= 1ULL << i;
		if (!((left >> i) & 1)) {
			*missed += h1;
			continue;
		}
		h2 = matcher_rule(m, i, fx, &w2);
		*differ += h1 != h2 || w1 != w2;
	}
	return (held);
}

/*
 * Compare nfacts generated fact sets (factgen_compare); *ruled_out adds
 * the rules the index left out. Returns the rules that ever held.
 */
static uint64_t
factgen_run(const struct ruleset *rs, const struct ref *ref, int nfacts,
    int *missed, int *differ, size_t *ruled_out)
{
	struct matcher	*m = matcher_new(rs);
	struct lookup	 ev;
	struct facts	 fx;
	struct sfacts	 sf[NSUBJ];
	uint64_t	 ever = 0;
	int		 n;

	lookup_init(&ev);
	facts_init(&fx);
	fx.sf = sf;
	fx.cs = case_stats_new(ref);
	fx.cs_ref = ref;
	for (n = 0; n < nfacts; n++) {
		gen_facts(ref, &fx, &ev);
		ever |= factgen_compare(rs, m, &fx, missed, differ);
		*ruled_out += rs->n - (size_t)__builtin_popcountll(
		    matcher_candidates(m, &fx));
	}
	case_stats_free(fx.cs);
	matcher_free(m);
	lookup_free(&ev);
	return (ever);
}

#endif
