/*
 * cmd_rules.c: `wachter rules check DIR` loads every rule file and
 * reports the first error as file:line:column; `wachter rules test DIR`
 * also runs the tests the rules carry, against the reference CSVs in
 * DIR/tests/.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/officer.h"
#include "cli/cmd.h"
#include "rules/rtest.h"
#include "slurp.h"
#include "util/esc.h"
#include "util/xmalloc.h"

/* Run the tests of a loaded set. */
static int
cmd_rules_test(const char *dir, struct ruleset *rs)
{
	struct engine_settings	 set;
	struct ref		*ref;
	struct buf		 out;
	char			*tdir, *cause = NULL;
	int			 failed, n;

	xasprintf(&tdir, "%s/tests", dir);
	ref = slurp_ref(tdir, 0, &cause);
	free(tdir);
	if (ref == NULL) {
		fprintf(stderr, "wachter: %s\n", cause);
		free(cause);
		return (1);
	}
	engine_defaults(&set);
	buf_init(&out);
	failed = rtest_run(rs, ref, &set, &out, &n);
	fputs(buf_cstr(&out), stdout);
	printf("%d of %d rule tests passed\n", n - failed, n);
	buf_free(&out);
	ref_free(ref);
	return (failed != 0);
}

/* wachter rules check|test DIR */
int
cmd_rules(int argc, char **argv)
{
	struct ruleset	*rs;
	char		*cause = NULL, *esc;
	int		 rv = 0;

	if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		return (officer_rules_stats(argc - 1, argv + 1));
	if (argc != 3 || (strcmp(argv[1], "check") != 0 &&
	    strcmp(argv[1], "test") != 0)) {
		fprintf(stderr, "usage: wachter rules check|test DIR\n");
		return (2);
	}
	if ((rs = slurp_rules(argv[2], &cause)) == NULL) {
		/* The messages quote YAML keys: escape them for the terminal. */
		esc = esc_term_str(cause, "\n");
		fprintf(stderr, "%s\n", esc);
		free(esc);
		free(cause);
		return (1);
	}
	if (strcmp(argv[1], "check") == 0)
		printf("%zu rules OK\n", rs->n);
	else
		rv = cmd_rules_test(argv[2], rs);
	ruleset_free(rs);
	return (rv);
}
