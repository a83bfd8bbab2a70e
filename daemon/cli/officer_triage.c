/*
 * officer_triage.c: decisions and what they add up to. `wachter triage`
 * records a decision on an incident (so on all its records, addenda
 * included) or, with --dossier, on an official's dossier; the database
 * stamps who and when and chains it to the decision before. `wachter
 * cases` lists dossiers, `wachter decisions verify` checks the chains of
 * decisions and of reads of persons, `wachter rules stats` gives hits and verdicts per rule.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/nldate.h"
#include "cli/officer.h"
#include "util/xmalloc.h"

static const char triage_sql[] =
	"INSERT INTO wachter.decision (scope, target, status, note)"
	" VALUES ($1, $2, $3, $4) RETURNING n, encode(hash, 'hex')";

static const char cases_sql[] =
	"SELECT user_name, coalesce(department, ''), severity, status,"
	" incidents, open_incidents, confirmed, lookups,"
	" (extract(epoch FROM first_at) * 1000000)::bigint,"
	" (extract(epoch FROM last_at) * 1000000)::bigint"
	" FROM wachter.dossier WHERE ($1::text IS NULL OR user_name = $1)"
	" ORDER BY severity_rank DESC, open_incidents DESC, incidents DESC,"
	" user_name";

static const char cases_json_sql[] =
	"SELECT d.*, (SELECT json_agg(o ORDER BY o.first_at) FROM"
	" wachter.incident_overview o WHERE o.user_name = d.user_name)"
	" AS timeline FROM wachter.dossier d"
	" WHERE ($1::text IS NULL OR user_name = $1)"
	" ORDER BY severity_rank DESC, open_incidents DESC, user_name";

static const char timeline_sql[] =
	"SELECT (extract(epoch FROM first_at) * 1000000)::bigint, incident,"
	" severity, status, lookups, array_to_string(rules, ',')"
	" FROM wachter.incident_overview WHERE user_name = $1"
	" ORDER BY first_at, incident";

static const char stats_sql[] =
	"SELECT rule, incidents, confirmed, false_positive, open, excepted,"
	" coalesce(false_positive_rate::text, '-')"
	" FROM wachter.rule_stats ORDER BY incidents DESC, rule";

/* Options of triage. */
struct triage_args {
	const char	*note;
	int		 dossier;
};

/* Take --note and --dossier. */
static int
triage_opt(int ch, const char *arg, void *p)
{
	struct triage_args	*t = p;

	if (ch == 'n')
		t->note = arg;
	else if (ch == 'D')
		t->dossier = 1;
	else
		return (-1);
	return (0);
}

/* wachter triage [--dossier] ID STATUS --note TEXT */
int
cmd_triage(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "dossier", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	struct triage_args	 t = { NULL, 0 };
	const char		*p[4];
	PGconn			*c;
	PGresult		*r;

	if (officer_getopt(argc, argv, &o, longopts, triage_opt, &t) != 0 ||
	    optind != argc - 2 || t.note == NULL) {
		fprintf(stderr, "usage: wachter triage [--dossier] ID STATUS "
		    "--note TEXT\n");
		return (2);
	}
	if (!officer_status_valid(argv[optind + 1])) {
		fprintf(stderr, "wachter triage: unknown status '%s' (new, "
		    "under_investigation, false_positive, confirmed, closed)\n",
		    argv[optind + 1]);
		return (2);
	}
	p[0] = t.dossier ? "dossier" : "incident";
	p[1] = argv[optind];
	p[2] = argv[optind + 1];
	p[3] = t.note;
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	r = officer_query(c, triage_sql, 4, p);
	if (r != NULL)
		printf("beslissing %s vastgelegd (%s %s: %s)\n",
		    PQgetvalue(r, 0, 0), p[0], p[1],
		    officer_status_nl(p[2]));
	PQclear(r);
	PQfinish(c);
	return (r == NULL);
}

/* One official's incidents in time order. */
static int
cases_timeline(PGconn *c, const char *user)
{
	static const char *const head[] = { "EERSTE", "INCIDENT", "ERNST",
	    "STATUS", "RAADPL.", "REGELS" };
	struct table	 t;
	PGresult	*r;
	char		 when[NLDATE_MAX];
	int		 i;

	if ((r = officer_query(c, timeline_sql, 1, &user)) == NULL)
		return (1);
	table_init(&t, 6);
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 0), when, sizeof when);
		table_add(&t, when, officer_cell(r, i, 1),
		    officer_severity_nl(officer_cell(r, i, 2)),
		    officer_status_nl(officer_cell(r, i, 3)),
		    officer_cell(r, i, 4), officer_cell(r, i, 5));
	}
	printf("\n");
	table_print(&t, head);
	table_free(&t);
	PQclear(r);
	return (0);
}

/* Print dossiers as text; with one user, its timeline too. */
static int
cases_text(PGconn *c, const char *user)
{
	static const char *const head[] = { "MEDEWERKER", "AFDELING", "ERNST",
	    "DOSSIER", "INCIDENTEN", "OPEN", "BEVESTIGD", "RAADPL.",
	    "PERIODE" };
	struct table	 t;
	PGresult	*r;
	char		 a[NLDATE_MAX], b[NLDATE_MAX], span[2 * NLDATE_MAX + 8];
	int		 i;

	if ((r = officer_query(c, cases_sql, 1, &user)) == NULL)
		return (1);
	table_init(&t, 9);
	for (i = 0; i < PQntuples(r); i++) {
		nldate_day(strtoll(officer_cell(r, i, 8), NULL, 10), a,
		    sizeof a);
		nldate_day(strtoll(officer_cell(r, i, 9), NULL, 10), b,
		    sizeof b);
		snprintf(span, sizeof span, "%s t/m %s", a, b);
		table_add(&t, officer_cell(r, i, 0), officer_cell(r, i, 1),
		    officer_severity_nl(officer_cell(r, i, 2)),
		    officer_status_nl(officer_cell(r, i, 3)),
		    officer_cell(r, i, 4), officer_cell(r, i, 5),
		    officer_cell(r, i, 6), officer_cell(r, i, 7), span);
	}
	if (t.nrows == 0)
		printf("Geen dossiers.\n");
	else
		table_print(&t, head);
	table_free(&t);
	PQclear(r);
	if (user != NULL && i > 0)
		return (cases_timeline(c, user));
	return (0);
}

/* wachter cases [USER] [--json] */
int
cmd_cases(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	const char		*user = NULL;
	PGconn			*c;
	int			 rc;

	if (officer_getopt(argc, argv, &o, longopts, NULL, NULL) != 0 ||
	    optind < argc - 1) {
		fprintf(stderr, "usage: wachter cases [USER] [--json]\n");
		return (2);
	}
	if (optind == argc - 1)
		user = argv[optind];
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	rc = o.json ? officer_json(c, cases_json_sql, 1, &user) :
	    cases_text(c, user);
	PQfinish(c);
	return (rc);
}

/* wachter decisions verify: the hash chain of decisions holds. */
int
cmd_decisions(int argc, char **argv)
{
	struct officer_opts	 o = { NULL, NULL, 0 };
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	PGconn			*c;
	PGresult		*r;
	int			 rc = 1;

	if (officer_getopt(argc, argv, &o, longopts, NULL, NULL) != 0 ||
	    optind != argc - 1 || strcmp(argv[optind], "verify") != 0) {
		fprintf(stderr, "usage: wachter decisions verify\n");
		return (2);
	}
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	r = officer_query(c, "SELECT wachter.decision_verify(),"
	    " (SELECT count(*) FROM wachter.decision_history),"
	    " wachter.access_verify(),"
	    " (SELECT count(*) FROM wachter.access_log)", 0, NULL);
	if (r != NULL && PQgetisnull(r, 0, 0) && PQgetisnull(r, 0, 2)) {
		printf("%s decisions, %s accesses, hash chains intact\n",
		    PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 3));
		rc = 0;
	} else if (r != NULL && !PQgetisnull(r, 0, 0))
		printf("decision %s: hash or link does not hold\n",
		    PQgetvalue(r, 0, 0));
	else if (r != NULL)
		printf("access %s: hash or link does not hold\n",
		    PQgetvalue(r, 0, 2));
	PQclear(r);
	PQfinish(c);
	return (rc);
}

/* Print per-rule statistics as text. */
static int
stats_text(PGconn *c)
{
	static const char *const head[] = { "REGEL", "INCIDENTEN",
	    "BEVESTIGD", "VALS ALARM", "OPEN", "UITZONDERING",
	    "AANDEEL VALS" };
	struct table	 t;
	PGresult	*r;
	int		 i;

	if ((r = officer_query(c, stats_sql, 0, NULL)) == NULL)
		return (1);
	table_init(&t, 7);
	for (i = 0; i < PQntuples(r); i++)
		table_add(&t, officer_cell(r, i, 0), officer_cell(r, i, 1),
		    officer_cell(r, i, 2), officer_cell(r, i, 3),
		    officer_cell(r, i, 4), officer_cell(r, i, 5),
		    officer_cell(r, i, 6));
	table_print(&t, head);
	table_free(&t);
	PQclear(r);
	return (0);
}

/* wachter rules stats [--json]: hits and verdicts per rule. */
int
officer_rules_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	PGconn			*c;
	int			 rc;

	if (officer_getopt(argc, argv, &o, longopts, NULL, NULL) != 0 ||
	    optind != argc) {
		fprintf(stderr, "usage: wachter rules stats [--json]\n");
		return (2);
	}
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	rc = o.json ? officer_json(c, "SELECT * FROM wachter.rule_stats"
	    " ORDER BY incidents DESC, rule", 0, NULL) : stats_text(c);
	PQfinish(c);
	return (rc);
}
