/*
 * fuzz_rules.c: libFuzzer harness for the rule file loader; a set that
 * loads is checked as a whole.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "rules/rule.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ruleset	*rs;
	char		*cause = NULL;

	rs = ruleset_new();
	if (ruleset_load(rs, "fuzz.yaml", (const char *)data, len,
	    &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
	} else if (ruleset_check(rs, &cause) != 0)
		free(cause);
	ruleset_free(rs);
	return (0);
}
