/*
 * fuzz_match.c: libFuzzer harness for the prepared rule set: any rule
 * file that loads is prepared (lib/rules/matcher.c) and matched both
 * ways against generated fact sets (tests/unit/factgen.h); a rule that
 * holds but was ruled out, or an answer or subject that differs from
 * match_rule's, aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "rules/match.h"
#include "unit/testref.h"
#include "unit/factgen.h"

#define FUZZ_FACTS	64	/* fact sets per rule file */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The shipped test reference data, once. */
static struct ref *
fuzz_ref(void)
{
	static struct ref	*r;

	if (r == NULL) {
		setenv("top_srcdir", FUZZ_TOPSRC, 0);
		if ((r = test_ref_load()) == NULL)
			abort();
	}
	return (r);
}

/* The same fact sets for the same input: seed from its bytes. */
static void
fuzz_seed(const uint8_t *data, size_t len)
{
	size_t	 i;

	seed = 14695981039346656037ULL;
	for (i = 0; i < len; i++)
		seed = (seed ^ data[i]) * 1099511628211ULL;
	seed |= 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ruleset	*rs = ruleset_new();
	char		*cause = NULL;
	size_t		 ruled_out = 0;
	int		 missed = 0, differ = 0;

	if (ruleset_load(rs, "fuzz.yaml", (const char *)data, len,
	    &cause) != 0 || ruleset_check(rs, &cause) != 0) {
		free(cause);
		ruleset_free(rs);
		return (0);
	}
	fuzz_seed(data, len);
	(void)factgen_run(rs, fuzz_ref(), FUZZ_FACTS, &missed, &differ,
	    &ruled_out);
	if (missed != 0 || differ != 0)
		abort();
	ruleset_free(rs);
	return (0);
}
