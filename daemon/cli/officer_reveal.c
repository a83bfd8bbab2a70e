/*
 * officer_reveal.c: `wachter reveal HANDLE --reason TEXT` says who a
 * pseudonym of an incident under investigation is. Only members of
 * wachter_reidentify may; the database logs every reveal with the reason
 * in the hash-chained access log, and withholds the address of a person
 * under secrecy (geheimhouding).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/officer.h"

/* Take --reason. */
static int
reveal_opt(int ch, const char *arg, void *p)
{
	if (ch != 'R')
		return (-1);
	*(const char **)p = arg;
	return (0);
}

/* Print what the reveal gave. */
static void
reveal_print(PGresult *r)
{
	int	 secret;

	secret = strcmp(officer_cell(r, 0, 8), "t") == 0;
	printf("%s is %s %s\n", officer_cell(r, 0, 0),
	    strcmp(officer_cell(r, 0, 1), "bsn") == 0 ? "BSN" : "kenteken",
	    officer_cell(r, 0, 2));
	if (*officer_cell(r, 0, 3) != '\0')
		printf("  naam:          %s, %s\n", officer_cell(r, 0, 3),
		    officer_cell(r, 0, 4));
	if (*officer_cell(r, 0, 5) != '\0')
		printf("  geboren:       %s\n", officer_cell(r, 0, 5));
	if (secret)
		printf("  adres:         niet getoond: geheimhouding; contact "
		    "alleen via de aangewezen weg\n");
	else if (*officer_cell(r, 0, 6) != '\0')
		printf("  adres:         %s %s\n", officer_cell(r, 0, 6),
		    officer_cell(r, 0, 7));
	printf("Deze inzage is vastgelegd.\n");
}

/* wachter reveal HANDLE --reason TEXT [--json] */
int
cmd_reveal(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	static const char sql[] = "SELECT * FROM wachter.reveal($1, $2)";
	struct officer_opts	 o = { NULL, NULL, 0 };
	const char		*p[2] = { NULL, NULL };
	PGconn			*c;
	PGresult		*r;
	int			 rc = 1;

	if (officer_getopt(argc, argv, &o, longopts, reveal_opt, &p[1]) != 0 ||
	    optind != argc - 1 || p[1] == NULL) {
		fprintf(stderr, "usage: wachter reveal HANDLE --reason TEXT\n");
		return (2);
	}
	p[0] = argv[optind];
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	if (o.json)
		rc = officer_json(c, sql, 2, p);
	else if ((r = officer_query(c, sql, 2, p)) != NULL) {
		if (PQntuples(r) == 1) {
			reveal_print(r);
			rc = 0;
		}
		PQclear(r);
	}
	PQfinish(c);
	return (rc);
}
