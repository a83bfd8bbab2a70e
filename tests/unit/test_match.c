/*
 * test_match.c: the prepared rule set (matcher.c) against the general
 * path (match_rule), over every shipped rule and many generated fact
 * sets: the candidates include every rule that holds, and for each rule
 * the matcher gives the same answer and the same subject, while it
 * reorders predicates by their failures as it goes.
 */
#include "config.h"

#include <string.h>

#include "rules/match.h"
#include "tap.h"
#include "testref.h"

#define NFACTS	300000	/* fact sets; enough for many reorderings */
#define NSUBJ	4

static const char *const rule_files[] = { "rules/basis.yaml",
    "rules/relation.yaml", "rules/case.yaml", "rules/pattern.yaml",
    "rules/baseline.yaml", "rules/damaged.yaml" };

static uint64_t	 seed = 88172645463325252ULL;

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

/* The shipped rule set, or NULL. */
static struct ruleset *
load_rules(void)
{
	struct ruleset	*rs = ruleset_new();
	char		*data, *cause = NULL;
	size_t		 i, n;

	for (i = 0; i < sizeof rule_files / sizeof rule_files[0]; i++) {
		if ((data = test_slurp(rule_files[i], &n)) == NULL ||
		    ruleset_load(rs, rule_files[i], data, n, &cause) != 0) {
			printf("# %s: %s\n", rule_files[i], cause ? cause : "");
			return (NULL);
		}
		free(data);
	}
	return (rs);
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

int
main(void)
{
	struct ref	*ref = test_ref_load();
	struct ruleset	*rs = load_rules();
	struct matcher	*m;
	struct lookup	 ev;
	struct facts	 fx;
	struct sfacts	 sf[NSUBJ];
	uint64_t	 left;
	size_t		 i, held[RULES_MAX] = { 0 }, ruled_out = 0, nheld = 0;
	int		 n, w1, w2, h1, h2, missed = 0, differ = 0, kinds = 0;

	ok(ref != NULL && rs != NULL && rs->n > 20, "shipped rules and test "
	    "reference data loaded");
	if (ref == NULL || rs == NULL)
		return (done_testing());
	m = matcher_new(rs);
	lookup_init(&ev);
	facts_init(&fx);
	fx.sf = sf;
	fx.cs = case_stats_new(ref);
	fx.cs_ref = ref;
	for (n = 0; n < NFACTS; n++) {
		gen_facts(ref, &fx, &ev);
		left = matcher_candidates(m, &fx);
		for (i = 0; i < rs->n; i++) {
			h1 = match_rule(&rs->rules[i], &fx, &w1);
			if (!((left >> i) & 1)) {
				ruled_out++;
				missed += h1;
				continue;
			}
			h2 = matcher_rule(m, i, &fx, &w2);
			differ += h1 != h2 || w1 != w2;
			held[i] += h1;
		}
	}
	for (i = 0; i < rs->n; i++) {
		kinds += ((matcher_stateful(m) >> i & 1) !=
		    !!RULE_STATEFUL(&rs->rules[i])) +
		    ((matcher_reexamined(m) >> i & 1) !=
		    !!rs->rules[i].reexamine);
		nheld += held[i] != 0;
		if (held[i] == 0)
			printf("# %s never held\n", rs->rules[i].id);
	}
	is_int(missed, 0, "no rule that holds is ruled out by the index");
	is_int(differ, 0, "the matcher agrees with match_rule, subject too");
	ok(ruled_out > (size_t)NFACTS, "the index ruled out %zu rule "
	    "matches", ruled_out);
	is_int(kinds, 0, "the stateful and reexamined rules are marked");
	ok(nheld == rs->n, "%zu of %zu rules held at least once", nheld,
	    rs->n);
	case_stats_free(fx.cs);
	matcher_free(m);
	lookup_free(&ev);
	ruleset_free(rs);
	ref_free(ref);
	return (done_testing());
}
