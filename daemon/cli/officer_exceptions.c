/*
 * officer_exceptions.c: `wachter exceptions` lists accountable exceptions
 * with their impact (records and lookups they cover); `wachter exceptions
 * add` records one: an official and/or a rule, a reason and an end date
 * are required, the database stamps the owner. An exception hides
 * matching incidents from the work list; it never removes them, and once
 * its end date passes it covers nothing new.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/nldate.h"
#include "cli/officer.h"

static const char list_sql[] =
	"SELECT id, coalesce(user_name, '*'), coalesce(rule, '*'), owner,"
	" (extract(epoch FROM valid_from) * 1000000)::bigint,"
	" (extract(epoch FROM valid_until) * 1000000)::bigint,"
	" CASE WHEN active THEN 'ja' ELSE 'verlopen' END, incidents, lookups,"
	" reason FROM wachter.exception_impact ORDER BY id";

static const char add_sql[] =
	"INSERT INTO wachter.exception (user_name, rule, reason, valid_from,"
	" valid_until) VALUES ($1, $2, $3,"
	" $4::date::timestamp AT TIME ZONE 'Europe/Amsterdam',"
	" ($5::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')"
	" RETURNING id";

enum { X_USER, X_RULE, X_REASON, X_FROM, X_UNTIL, X_NPARAMS };

/* Take the options of "add". */
static int
exceptions_opt(int ch, const char *arg, void *p)
{
	const char	**v = p;

	switch (ch) {
	case 'U':
		v[X_USER] = arg;
		break;
	case 'r':
		v[X_RULE] = arg;
		break;
	case 'R':
		v[X_REASON] = arg;
		break;
	case 'f':
		v[X_FROM] = arg;
		break;
	case 'u':
		v[X_UNTIL] = arg;
		break;
	default:
		return (-1);
	}
	return (0);
}

/* Print the exceptions and their impact. */
static int
exceptions_text(PGconn *c)
{
	static const char *const head[] = { "NR", "MEDEWERKER", "REGEL",
	    "EIGENAAR", "VAN", "TOT", "ACTIEF", "INCIDENTEN", "RAADPL.",
	    "REDEN" };
	struct table	 t;
	PGresult	*r;
	char		 a[NLDATE_MAX], b[NLDATE_MAX];
	int		 i;

	if ((r = officer_query(c, list_sql, 0, NULL)) == NULL)
		return (1);
	table_init(&t, 10);
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 4), a, sizeof a);
		officer_when(officer_cell(r, i, 5), b, sizeof b);
		table_add(&t, officer_cell(r, i, 0), officer_cell(r, i, 1),
		    officer_cell(r, i, 2), officer_cell(r, i, 3), a, b,
		    officer_cell(r, i, 6), officer_cell(r, i, 7),
		    officer_cell(r, i, 8), officer_cell(r, i, 9));
	}
	if (t.nrows == 0)
		printf("Geen uitzonderingen.\n");
	else
		table_print(&t, head);
	table_free(&t);
	PQclear(r);
	return (0);
}

/* Record one exception. */
static int
exceptions_add(PGconn *c, const char *const *v)
{
	PGresult	*r;

	if ((r = officer_query(c, add_sql, X_NPARAMS, v)) == NULL)
		return (1);
	printf("uitzondering %s vastgelegd, geldig tot en met %s\n",
	    PQgetvalue(r, 0, 0), v[X_UNTIL]);
	PQclear(r);
	return (0);
}

/* wachter exceptions [add --user U --rule R --reason TEXT --until DATE] */
int
cmd_exceptions(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "user", required_argument, NULL, 'U' },
		{ "rule", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "from", required_argument, NULL, 'f' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	const char		*v[X_NPARAMS] = { NULL };
	PGconn			*c;
	int			 add, rc;

	if (officer_getopt(argc, argv, &o, longopts, exceptions_opt, v) != 0 ||
	    optind < argc - 1 || (optind == argc - 1 &&
	    strcmp(argv[optind], "add") != 0)) {
		fprintf(stderr, "usage: wachter exceptions [add [--user U] "
		    "[--rule R] --reason TEXT --until YYYY-MM-DD]\n");
		return (2);
	}
	add = optind == argc - 1;
	if (add && (v[X_REASON] == NULL || v[X_UNTIL] == NULL ||
	    (v[X_USER] == NULL && v[X_RULE] == NULL))) {
		fprintf(stderr, "wachter exceptions add: --reason, --until and "
		    "--user or --rule are required\n");
		return (2);
	}
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	if (add)
		rc = exceptions_add(c, v);
	else if (o.json)
		rc = officer_json(c, "SELECT * FROM wachter.exception_impact"
		    " ORDER BY id", 0, NULL);
	else
		rc = exceptions_text(c);
	PQfinish(c);
	return (rc);
}
