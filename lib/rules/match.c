/*
 * match.c: test predicates against facts. Event predicates must all
 * hold; subject predicates must all hold for one and the same subject.
 */
#include "config.h"

#include <string.h>

#include "rules/match.h"

/*
 * Does a string predicate hold? A fact with a fixed list of values is
 * tested by its index (match_code); only free text (a department, a
 * case type) is compared as strings.
 */
static int
match_str(const struct pred *p, const struct fact_def *fd,
    const struct facts *fx, const struct sfacts *sf)
{
	char		 buf[32];
	const char	*s;
	size_t		 i;
	int		 any = 0;

	if (fd->values != NULL)
		return (match_code(p, fact_code(fx, sf, p->fact)));
	s = fact_str(fx, sf, p->fact, buf, sizeof buf);
	for (i = 0; i < p->nstrs && !any; i++)
		any = strcmp(s, p->strs[i]) == 0;
	return (p->op == PRED_NOT_IN ? !any : any);
}

/* Does one predicate hold? */
int
match_pred(const struct pred *p, const struct facts *fx,
    const struct sfacts *sf)
{
	const struct fact_def	*fd = fact_def(p->fact);

	if (fact_late(fx, p->fact))
		return (1);
	if (fd->type == FT_STR)
		return (match_str(p, fd, fx, sf));
	return (match_num(p, fd->type, fact_num(fx, sf, p->fact)));
}

/* Do all predicates hold (for subject sf, when they are subject facts)? */
int
match_preds(const struct pred *p, size_t n, const struct facts *fx,
    const struct sfacts *sf)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!match_pred(&p[i], fx, sf))
			return (0);
	return (1);
}

/*
 * Does the rule's "when" hold? *which is set to the first subject that
 * satisfies the subject predicates (-1 when the rule has none).
 */
int
match_rule(const struct rule *r, const struct facts *fx, int *which)
{
	uint32_t	 i;

	*which = -1;
	if (r->reexamine && !fx->reexam)
		return (0);
	if (!match_preds(r->when, r->nwhen, fx, NULL))
		return (0);
	if (r->nsubj == 0)
		return (1);
	for (i = 0; i < fx->nsf; i++) {
		if (match_preds(r->subj, r->nsubj, fx, &fx->sf[i])) {
			*which = (int)i;
			return (1);
		}
	}
	return (0);
}
