/*
 * officer_alerts.c: `wachter alerts`, the officer's work list: one line
 * per incident (an addendum folds into its incident), ranked by severity
 * as a number, then score. By default only what still needs work: new or
 * under investigation, not covered by an exception, and not withdrawn as
 * a whole by follow-ups (provisional lookups explained later).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "alert/nldate.h"
#include "cli/officer.h"
#include "util/xmalloc.h"

enum { A_SINCE, A_UNTIL, A_USER, A_DEPT, A_RULE, A_SEV, A_STATUS, A_ALL,
    A_LIMIT, A_NPARAMS };

#define ALERTS_WHERE \
	" FROM wachter.incident_overview" \
	" LEFT JOIN wachter.incident_later USING (incident)" \
	" WHERE ($1::date IS NULL OR last_at >= $1::date::timestamp" \
	"   AT TIME ZONE 'Europe/Amsterdam')" \
	" AND ($2::date IS NULL OR first_at < ($2::date + 1)::timestamp" \
	"   AT TIME ZONE 'Europe/Amsterdam')" \
	" AND ($3::text IS NULL OR user_name = $3)" \
	" AND ($4::text IS NULL OR department = $4)" \
	" AND ($5::text IS NULL OR $5 = ANY (rules))" \
	" AND ($6::int IS NULL OR severity_rank >= $6)" \
	" AND ($7::text IS NULL OR status = $7)" \
	" AND ($8::bool OR (status IN ('new', 'under_investigation')" \
	"   AND NOT excepted AND coalesce(later_standing, 1) > 0))" \
	" ORDER BY severity_rank DESC, score DESC, first_at, incident" \
	" LIMIT $9::bigint"

static const char alerts_json_sql[] =
	"SELECT incident, severity, status, user_name, department, records,"
	" lookups, subjects, first_at, last_at, alerted_at, rules, excepted,"
	" decided_by, decided_at, coalesce(later_lookups, 0) AS later_lookups,"
	" later_standing" ALERTS_WHERE;

static const char alerts_text_sql[] =
	"SELECT incident, severity, status, user_name,"
	" coalesce(department, ''), lookups, subjects,"
	" (extract(epoch FROM first_at) * 1000000)::bigint,"
	" array_to_string(rules, ','), excepted,"
	" coalesce(later_standing, -1) = 0, coalesce(later_lookups, 0) > 0"
	ALERTS_WHERE;

/* Print the work list as aligned text. */
static int
alerts_text(PGconn *c, const char *const *p)
{
	static const char *const head[] = { "ERNST", "STATUS", "INCIDENT",
	    "MEDEWERKER", "AFDELING", "RAADPL.", "PERS.", "EERSTE",
	    "REGELS" };
	struct table	 t;
	PGresult	*r;
	char		 when[NLDATE_MAX], status[64];
	int		 i;

	if ((r = officer_query(c, alerts_text_sql, A_NPARAMS, p)) == NULL)
		return (1);
	table_init(&t, 9);
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 7), when, sizeof when);
		snprintf(status, sizeof status, "%s%s%s",
		    officer_status_nl(officer_cell(r, i, 2)),
		    strcmp(officer_cell(r, i, 9), "t") == 0 ?
		    " (uitzondering)" : "",
		    strcmp(officer_cell(r, i, 10), "t") == 0 ?
		    " (later verklaard)" : strcmp(officer_cell(r, i, 11),
		    "t") == 0 ? " (deels later verklaard)" : "");
		table_add(&t, officer_severity_nl(officer_cell(r, i, 1)),
		    status, officer_cell(r, i, 0), officer_cell(r, i, 3),
		    officer_cell(r, i, 4), officer_cell(r, i, 5),
		    officer_cell(r, i, 6), when, officer_cell(r, i, 8));
	}
	if (t.nrows == 0)
		printf("Geen incidenten%s.\n", p[A_ALL][0] == 't' ? "" :
		    " die aandacht vragen (--all toont alles)");
	else
		table_print(&t, head);
	table_free(&t);
	PQclear(r);
	return (0);
}

/* A severity name or number as its rank in text. */
static int
alerts_severity(const char *s, char *out, size_t size)
{
	enum alert_severity	 sev;

	if (alert_severity_parse(s, &sev) != 0) {
		fprintf(stderr, "wachter alerts: unknown severity '%s' "
		    "(info, low, medium, high, critical)\n", s);
		return (-1);
	}
	snprintf(out, size, "%d", (int)sev);
	return (0);
}

/* The filters, as query parameters. */
struct alerts_args {
	const char	*p[A_NPARAMS];
	char		 sev[8];
};

/* Take one filter option. */
static int
alerts_opt(int ch, const char *arg, void *v)
{
	struct alerts_args	*x = v;
	static const char	 map[] = { 's', 'u', 'U', 'D', 'r' };
	const char		*m;

	if ((m = memchr(map, ch, sizeof map)) != NULL)
		x->p[m - map] = arg;
	else if (ch == 'S') {
		if (alerts_severity(arg, x->sev, sizeof x->sev) != 0)
			return (-1);
		x->p[A_SEV] = x->sev;
	} else if (ch == 't') {
		if (!officer_status_valid(arg)) {
			fprintf(stderr, "wachter alerts: unknown status '%s'\n",
			    arg);
			return (-1);
		}
		x->p[A_STATUS] = arg;
		x->p[A_ALL] = "true";
	} else if (ch == 'a')
		x->p[A_ALL] = "true";
	else if (ch == 'l')
		x->p[A_LIMIT] = arg;
	else
		return (-1);
	return (0);
}

/* wachter alerts [filters] [--all] [--json] */
int
cmd_alerts(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "user", required_argument, NULL, 'U' },
		{ "department", required_argument, NULL, 'D' },
		{ "rule", required_argument, NULL, 'r' },
		{ "severity", required_argument, NULL, 'S' },
		{ "status", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	struct alerts_args	 x;
	PGconn			*c;
	int			 rc;

	memset(&x, 0, sizeof x);
	x.p[A_ALL] = "false";
	x.p[A_LIMIT] = "1000";
	if (officer_getopt(argc, argv, &o, longopts, alerts_opt, &x) != 0)
		return (2);
	if (optind != argc) {
		fprintf(stderr, "usage: wachter alerts [options]\n");
		return (2);
	}
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	rc = o.json ? officer_json(c, alerts_json_sql, A_NPARAMS, x.p) :
	    alerts_text(c, x.p);
	PQfinish(c);
	return (rc);
}
