/*
 * operator_retention.c: `wachter retention` shows the retention periods;
 * `wachter retention run` applies them (run it daily, e.g. from a systemd
 * timer, as a member of wachter_operator): months of pseudonym plaintext,
 * of raw quarantined lines, of unattributed lookups and of the ledger are
 * dropped. Signed records are never touched, so `wachter verify` passes.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/officer.h"

/* Print a two-or-more column result as a table. */
static int
retention_print(PGconn *c, const char *sql, const char *const *head,
    size_t ncols)
{
	struct table	 t;
	PGresult	*r;
	int		 i;

	if ((r = officer_query(c, sql, 0, NULL)) == NULL)
		return (1);
	table_init(&t, ncols);
	for (i = 0; i < PQntuples(r); i++)
		table_add(&t, officer_cell(r, i, 0), officer_cell(r, i, 1),
		    ncols > 2 ? officer_cell(r, i, 2) : "");
	table_print(&t, head);
	table_free(&t);
	PQclear(r);
	return (0);
}

/* wachter retention [run] */
int
cmd_retention(int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	static const char *const head_show[] = { "WAT", "BEWAARTERMIJN",
	    "AAN" };
	static const char *const head_run[] = { "WAT", "GEDAAN" };
	struct officer_opts	 o = { NULL, NULL, 0 };
	PGconn			*c;
	int			 run, rc;

	if (officer_getopt(argc, argv, &o, longopts, NULL, NULL) != 0 ||
	    optind < argc - 1 || (optind == argc - 1 &&
	    strcmp(argv[optind], "run") != 0)) {
		fprintf(stderr, "usage: wachter retention [run]\n");
		return (2);
	}
	run = optind == argc - 1;
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	if (run)
		rc = retention_print(c, "SELECT what, done FROM"
		    " wachter.retention_run() UNION ALL SELECT 'ledger', x FROM"
		    " wachter.retention_ledger(now()) x", head_run, 2);
	else
		rc = retention_print(c, "SELECT what, keep::text, CASE WHEN"
		    " enabled THEN 'ja' ELSE 'nee' END FROM wachter.retention"
		    " ORDER BY 1", head_show, 3);
	PQfinish(c);
	return (rc);
}
