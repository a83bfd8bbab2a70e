/*
 * testref.h: for unit tests, read a file of the source tree and the test
 * reference data of rules/tests (top_srcdir from the test environment).
 */
#ifndef WACHTER_TESTREF_H
#define WACHTER_TESTREF_H

#include <stdio.h>
#include <stdlib.h>

#include "enrich/ref.h"
#include "util/xmalloc.h"

/* A file under top_srcdir, NUL-terminated, or NULL; *len its length. */
static char *
test_slurp(const char *rel, size_t *len)
{
	const char	*top = getenv("top_srcdir");
	char		 path[1024], *data;
	FILE		*f;
	long		 n;

	snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = xmalloc((size_t)n + 1);
	if (n < 0 || fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		fclose(f);
		return (NULL);
	}
	fclose(f);
	data[n] = '\0';
	*len = (size_t)n;
	return (data);
}

/* The reference data of rules/tests, or NULL. */
static struct ref *
test_ref_load(void)
{
	static const char *files[REF_NKINDS] = { "employees.csv",
	    "persons.csv", "vehicles.csv", "cases.csv", "appointments.csv",
	    "watchlist.csv" };
	struct ref	*r = ref_new();
	char		 rel[256], *cause = NULL, *data;
	size_t		 n;
	int		 k;

	for (k = 0; k < REF_NKINDS; k++) {
		snprintf(rel, sizeof rel, "rules/tests/%s", files[k]);
		if ((data = test_slurp(rel, &n)) == NULL ||
		    ref_load(r, k, data, n, rel, &cause) != 0)
			return (NULL);
		free(data);
	}
	ref_finish(r);
	return (r);
}

#endif
