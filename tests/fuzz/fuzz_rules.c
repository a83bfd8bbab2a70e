/*
 * fuzz_rules.c: libFuzzer harness for the rule file loader; a set that
 * loads is checked as a whole, and its embedded tests are run (rtest.c)
 * against the shipped test reference data when they are small enough.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "enrich/ref.h"
#include "rules/rtest.h"
#include "rules/rule.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define FUZZ_RTEST_EVENTS	2000	/* events of all tests, at most */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The shipped test reference data (rules/tests), once; NULL if missing. */
static struct ref *
fuzz_ref(void)
{
	static const char *files[REF_NKINDS] = { "employees.csv",
	    "persons.csv", "vehicles.csv", "cases.csv", "appointments.csv",
	    "watchlist.csv" };
	static struct ref	*r;
	static int		 tried;
	char			 path[1024], *cause = NULL, *data;
	FILE			*f;
	long			 n;
	int			 k;

	if (tried++)
		return (r);
	r = ref_new();
	for (k = 0; k < REF_NKINDS; k++) {
		snprintf(path, sizeof path, "%s/%s", FUZZ_RULETESTS, files[k]);
		if ((f = fopen(path, "r")) == NULL)
			abort();
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		data = xmalloc((size_t)n + 1);
		if (fread(data, 1, (size_t)n, f) != (size_t)n ||
		    ref_load(r, k, data, (size_t)n, path, &cause) != 0)
			abort();
		free(data);
		fclose(f);
	}
	ref_finish(r);
	return (r);
}

/* How many events the set's tests would feed. */
static size_t
fuzz_events(const struct ruleset *rs)
{
	size_t	 i, j, k, n = 0;

	for (i = 0; i < rs->n; i++)
		for (j = 0; j < rs->rules[i].ntests; j++)
			for (k = 0; k < rs->rules[i].tests[j].nevents; k++)
				n += (size_t)rs->rules[i].tests[j].events[k].repeat;
	return (n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct engine_settings	 set;
	struct ruleset		*rs;
	struct buf		 out;
	char			*cause = NULL;
	int			 n;

	rs = ruleset_new();
	if (ruleset_load(rs, "fuzz.yaml", (const char *)data, len,
	    &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
	} else if (ruleset_check(rs, &cause) != 0)
		free(cause);
	else if (fuzz_events(rs) <= FUZZ_RTEST_EVENTS) {
		engine_defaults(&set);
		buf_init(&out);
		(void)rtest_run(rs, fuzz_ref(), &set, &out, &n);
		buf_free(&out);
	}
	ruleset_free(rs);
	return (0);
}
