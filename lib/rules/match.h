/*
 * match.h: does a rule's predicate list hold for a lookup's facts? The
 * general path (match_rule) and a rule set prepared for matching many
 * lookups (struct matcher, matcher.c), which must always agree with it.
 */
#ifndef WACHTER_MATCH_H
#define WACHTER_MATCH_H

#include "rules/fact.h"
#include "rules/rule.h"

struct matcher;

int	 match_pred(const struct pred *, const struct facts *,
	    const struct sfacts *);
int	 match_preds(const struct pred *, size_t, const struct facts *,
	    const struct sfacts *);
int	 match_rule(const struct rule *, const struct facts *, int *);

struct matcher *matcher_new(const struct ruleset *);
void	 matcher_free(struct matcher *);
uint64_t matcher_candidates(const struct matcher *, const struct facts *);
uint64_t matcher_stateful(const struct matcher *);
uint64_t matcher_reexamined(const struct matcher *);
int	 matcher_rule(struct matcher *, size_t, const struct facts *, int *);

/*
 * Does a predicate on a fact with a fixed list of values hold for the
 * value with index c (-1: none of them)? The loader set a bit for each
 * listed value (rl_allowed).
 */
static inline int
match_code(const struct pred *p, int c)
{
	int	 any = c >= 0 && (p->num >> c & 1) != 0;

	return (p->op == PRED_NOT_IN ? !any : any);
}

/* Does a predicate on a bool, number or set (of type t) hold for v? */
static inline int
match_num(const struct pred *p, uint8_t t, int64_t v)
{
	switch (p->op) {
	case PRED_IS:
		return (t == FT_SET ? (v & p->num) != 0 : v == p->num);
	case PRED_IN:
		return ((v & p->num) != 0);
	case PRED_NOT_IN:
		return ((v & p->num) == 0);
	case PRED_AT_LEAST:
		return (v >= p->num);
	case PRED_AT_MOST:
		return (v <= p->num);
	}
	return (0);
}

/* The first rule of a non-empty bit set of rules, taken out of it. */
static inline size_t
match_take(uint64_t *bits)
{
	size_t	 i = (size_t)__builtin_ctzll(*bits);

	*bits &= *bits - 1;
	return (i);
}

#endif
