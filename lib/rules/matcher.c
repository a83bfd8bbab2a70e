/*
 * matcher.c: a rule set prepared for matching every lookup. Two savings,
 * neither of which may change an answer of match_rule (test_match and
 * fuzz_match hold them to it), and the rules each pass of the engine
 * needs (stateful, reexamined) as bit sets:
 *
 * - An index on the event facts with a few values (a bool, or a string
 *   with a fixed list such as explanation) that many rules test: for
 *   each value, the rules whose predicates on that fact hold for it.
 *   A lookup reads each indexed fact once and is matched only against
 *   the rules all its values leave (matcher_candidates). Most rules ask
 *   for "explanation: none", and most lookups are explained.
 * - Within a rule, the predicates that failed most often lately are
 *   tested first. A rule holds when all its predicates hold, and a
 *   predicate only reads the facts, so the order changes the cost alone
 *   (the subject that satisfies a rule is still the first one).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules/match.h"
#include "util/xmalloc.h"

/* Rules that must test a fact before it is worth an index entry. */
#define MATCHER_INDEX_MIN	3
/* Failures of a list between two sorts of it. */
#define MATCHER_SORT_EVERY	1024

/* A predicate with what its test needs, and how often it failed lately. */
struct mpred {
	const struct pred	*p;
	uint8_t			 type;		/* enum fact_type */
	uint8_t			 coded;		/* a fixed list: by fact_code */
	uint8_t			 late;		/* fact_may_be_late */
	uint32_t		 fails;
};

/* A predicate list in its current order. */
struct mlist {
	struct mpred	*v;
	size_t		 n;
	uint32_t	 runs;		/* failures since the last sort */
};

struct mrule {
	const struct rule	*r;
	struct mlist		 when, subj;
};

/* One indexed event fact: per value, the rules that value leaves. */
struct mindex {
	uint16_t	 fact;
	uint8_t		 coded;		/* values are codes -1.., else 0, 1 */
	int		 nvals;
	uint64_t	*left;		/* [value + coded] */
};

struct matcher {
	struct mrule	*rules;
	size_t		 n;
	uint64_t	 all;
	uint64_t	 rx;		/* reexamine rules */
	uint64_t	 stateful;	/* RULE_STATEFUL */
	struct mindex	*ix;
	size_t		 nix;
};

/* Does a fact have a fixed list of values (tested by code)? */
static int
matcher_coded(const struct fact_def *fd)
{
	return (fd->type == FT_STR && fd->values != NULL);
}

/* Prepare a predicate list in its written order. */
static void
mlist_init(struct mlist *l, const struct pred *p, size_t n)
{
	const struct fact_def	*fd;
	size_t			 i;

	l->v = xcalloc(n ? n : 1, sizeof *l->v);
	l->n = n;
	l->runs = 0;
	for (i = 0; i < n; i++) {
		fd = fact_def(p[i].fact);
		l->v[i].p = &p[i];
		l->v[i].type = fd->type;
		l->v[i].coded = matcher_coded(fd);
		l->v[i].late = fact_may_be_late(p[i].fact);
	}
}

/* Most failures first (insertion sort: lists are short), then forget half. */
static void
mlist_sort(struct mlist *l)
{
	struct mpred	 t;
	size_t		 i, j;

	for (i = 1; i < l->n; i++) {
		t = l->v[i];
		for (j = i; j > 0 && l->v[j - 1].fails < t.fails; j--)
			l->v[j] = l->v[j - 1];
		l->v[j] = t;
	}
	for (i = 0; i < l->n; i++)
		l->v[i].fails /= 2;
	l->runs = 0;
}

/*
 * Does one predicate hold? As match_pred, with the fact's kind read when
 * the rules were prepared. A late fact (fact_late) exists only in a
 * partial evaluation.
 */
static int
mpred_holds(const struct mpred *mp, const struct facts *fx,
    const struct sfacts *sf)
{
	const struct pred	*p = mp->p;

	if (mp->late && fact_late(fx, p->fact))
		return (1);
	if (mp->coded)
		return (match_code(p, fact_code(fx, sf, p->fact)));
	if (mp->type == FT_STR)
		return (match_pred(p, fx, sf));
	return (match_num(p, mp->type, fact_num(fx, sf, p->fact)));
}

/* Do all predicates of a list hold? Count the one that did not. */
static int
mlist_holds(struct mlist *l, const struct facts *fx, const struct sfacts *sf)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		if (mpred_holds(&l->v[i], fx, sf))
			continue;
		l->v[i].fails++;
		if (++l->runs >= MATCHER_SORT_EVERY)
			mlist_sort(l);
		return (0);
	}
	return (1);
}

/* How many rules test event fact f (a bool or a fixed list)? */
static size_t
matcher_users(const struct ruleset *rs, int f)
{
	size_t	 i, j, n = 0;

	for (i = 0; i < rs->n; i++)
		for (j = 0; j < rs->rules[i].nwhen; j++)
			if (rs->rules[i].when[j].fact == f) {
				n++;
				break;
			}
	return (n);
}

/* Does every predicate of r on fact f hold for value v? */
static int
matcher_leaves(const struct rule *r, const struct mindex *x, int v)
{
	size_t	 j;

	for (j = 0; j < r->nwhen; j++) {
		if (r->when[j].fact != x->fact)
			continue;
		if (x->coded ? !match_code(&r->when[j], v) :
		    !match_num(&r->when[j], FT_BOOL, v))
			return (0);
	}
	return (1);
}

/* Index event fact f: per value, the rules it leaves. */
static void
matcher_index(struct matcher *m, const struct ruleset *rs, int f)
{
	const struct fact_def	*fd = fact_def(f);
	struct mindex		*x;
	size_t			 i;
	int			 v;

	m->ix = xreallocarray(m->ix, m->nix + 1, sizeof *m->ix);
	x = &m->ix[m->nix++];
	x->fact = (uint16_t)f;
	x->coded = matcher_coded(fd);
	x->nvals = 2;
	if (x->coded)
		for (x->nvals = 1; fd->values[x->nvals - 1] != NULL; x->nvals++)
			;
	x->left = xcalloc((size_t)x->nvals, sizeof *x->left);
	for (v = 0; v < x->nvals; v++)
		for (i = 0; i < rs->n; i++)
			if (matcher_leaves(&rs->rules[i], x, v - x->coded))
				x->left[v] |= 1ULL << i;
}

/* Prepare a rule set (borrowed: it must outlive the matcher). */
struct matcher *
matcher_new(const struct ruleset *rs)
{
	struct matcher		*m;
	const struct fact_def	*fd;
	size_t			 i;
	int			 f;

	m = xcalloc(1, sizeof *m);
	m->n = rs->n;
	m->rules = xcalloc(rs->n ? rs->n : 1, sizeof *m->rules);
	for (i = 0; i < rs->n; i++) {
		m->rules[i].r = &rs->rules[i];
		mlist_init(&m->rules[i].when, rs->rules[i].when,
		    rs->rules[i].nwhen);
		mlist_init(&m->rules[i].subj, rs->rules[i].subj,
		    rs->rules[i].nsubj);
		m->all |= 1ULL << i;
		if (rs->rules[i].reexamine)
			m->rx |= 1ULL << i;
		if (RULE_STATEFUL(&rs->rules[i]))
			m->stateful |= 1ULL << i;
	}
	for (f = 0; f < F_NEVENT; f++) {
		fd = fact_def(f);
		if ((fd->type == FT_BOOL || matcher_coded(fd)) &&
		    matcher_users(rs, f) >= MATCHER_INDEX_MIN)
			matcher_index(m, rs, f);
	}
	return (m);
}

/* Free a matcher (not its rules). */
void
matcher_free(struct matcher *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->rules[i].when.v);
		free(m->rules[i].subj.v);
	}
	for (i = 0; i < m->nix; i++)
		free(m->ix[i].left);
	free(m->rules);
	free(m->ix);
	free(m);
}

/*
 * The rules that may hold for the lookup in fx (match_rule may say yes):
 * every other rule is reexamined outside a re-examination or has an
 * event predicate that fails. A value outside what the index knows (a
 * late fact, a code past the list) rules nothing out.
 */
uint64_t
matcher_candidates(const struct matcher *m, const struct facts *fx)
{
	const struct mindex	*x;
	uint64_t		 left = fx->reexam ? m->all : m->all & ~m->rx;
	int64_t			 v;
	size_t			 i;

	for (i = 0; i < m->nix; i++) {
		x = &m->ix[i];
		if (fx->partial && fact_late(fx, x->fact))
			continue;
		v = x->coded ? fact_code(fx, NULL, x->fact) + 1 :
		    fact_num(fx, NULL, x->fact);
		if (v >= 0 && v < x->nvals)
			left &= x->left[v];
	}
	return (left);
}

/* The rules with state across lookups (RULE_STATEFUL). */
uint64_t
matcher_stateful(const struct matcher *m)
{
	return (m->stateful);
}

/* The rules that are reexamined. */
uint64_t
matcher_reexamined(const struct matcher *m)
{
	return (m->rx);
}

/* Does rule i's "when" hold? As match_rule. */
int
matcher_rule(struct matcher *m, size_t i, const struct facts *fx, int *which)
{
	struct mrule	*mr = &m->rules[i];
	uint32_t	 s;

	*which = -1;
	if (mr->r->reexamine && !fx->reexam)
		return (0);
	if (!mlist_holds(&mr->when, fx, NULL))
		return (0);
	if (mr->subj.n == 0)
		return (1);
	for (s = 0; s < fx->nsf; s++) {
		if (mlist_holds(&mr->subj, fx, &fx->sf[s])) {
			*which = (int)s;
			return (1);
		}
	}
	return (0);
}
