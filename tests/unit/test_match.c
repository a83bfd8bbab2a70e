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
#include "unit/factgen.h"

#define NFACTS	300000	/* fact sets; enough for many reorderings */

static const char *const rule_files[] = { "rules/basis.yaml",
    "rules/relation.yaml", "rules/case.yaml", "rules/pattern.yaml",
    "rules/baseline.yaml", "rules/damaged.yaml" };

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

int
main(void)
{
	struct ref	*ref = test_ref_load();
	struct ruleset	*rs = load_rules();
	struct matcher	*m;
	uint64_t	 ever;
	size_t		 i, ruled_out = 0, nheld = 0;
	int		 missed = 0, differ = 0, kinds = 0;

	ok(ref != NULL && rs != NULL && rs->n > 20, "shipped rules and test "
	    "reference data loaded");
	if (ref == NULL || rs == NULL)
		return (done_testing());
	ever = factgen_run(rs, ref, NFACTS, &missed, &differ, &ruled_out);
	m = matcher_new(rs);
	for (i = 0; i < rs->n; i++) {
		kinds += ((matcher_stateful(m) >> i & 1) !=
		    !!RULE_STATEFUL(&rs->rules[i])) +
		    ((matcher_reexamined(m) >> i & 1) !=
		    !!rs->rules[i].reexamine);
		nheld += (ever >> i) & 1;
		if (!((ever >> i) & 1))
			printf("# %s never held\n", rs->rules[i].id);
	}
	is_int(missed, 0, "no rule that holds is ruled out by the index");
	is_int(differ, 0, "the matcher agrees with match_rule, subject too");
	ok(ruled_out > (size_t)NFACTS, "the index ruled out %zu rule "
	    "matches", ruled_out);
	is_int(kinds, 0, "the stateful and reexamined rules are marked");
	ok(nheld == rs->n, "%zu of %zu rules held at least once", nheld,
	    rs->n);
	matcher_free(m);
	ruleset_free(rs);
	ref_free(ref);
	return (done_testing());
}
