/* match.h: does a rule's predicate list hold for a lookup's facts? */
#ifndef WACHTER_MATCH_H
#define WACHTER_MATCH_H

#include "rules/fact.h"
#include "rules/rule.h"

int	 match_preds(const struct pred *, size_t, const struct facts *,
	    const struct sfacts *);
int	 match_rule(const struct rule *, const struct facts *, int *);

#endif
