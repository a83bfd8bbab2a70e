/*
 * officer_subject.c: `wachter subject-report BSN --from DATE --to DATE
 * --reason TEXT` answers a citizen's access request (AVG art. 15): which
 * departments looked the person up (or a vehicle they own), when, and on
 * which ground, from the lookup ledger; officials are named only with
 * --officials. As text, or with -o FILE a self-contained printable HTML
 * page. Needs wachter_reidentify; every report is logged.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/nldate.h"
#include "cli/officer.h"
#include "event/event.h"

/* The options of subject-report. */
struct subject_args {
	const char	*from;
	const char	*to;
	const char	*reason;
	const char	*out;
	int		 officials;
};

static const char report_sql[] =
	"SELECT (extract(epoch FROM looked_up_at) * 1000000)::bigint,"
	" department, coalesce(official, ''), request, ground, flagged"
	" FROM wachter.subject_report($1, $2::date, $3::date, $4, $5::boolean)";

/* The ground of a lookup as a citizen reads it. */
static const char *
subject_ground(const char *expl, int flagged)
{
	static const char *const words[][2] = {
		{ "case", "voor een zaak van de gemeente over u" },
		{ "case_team", "voor een zaak van de gemeente over u" },
		{ "appointment", "voor uw afspraak aan de balie" },
		{ "aftercare", "voor een kort geleden afgesloten zaak" },
		{ "retry", "herhaalde zoekvraag voor een zaak" },
		{ "undecided", "nog niet beoordeeld" },
	};
	size_t	 i;

	if (flagged || strcmp(expl, "none") == 0)
		return ("geen reden gevonden; dit wordt onderzocht");
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(expl, words[i][0]) == 0)
			return (words[i][1]);
	return (expl);
}

/* What was asked, in Dutch. */
static const char *
subject_request(const char *name)
{
	if (strcmp(name, "Kenteken") == 0)
		return ("kenteken van uw voertuig opgevraagd");
	return (ev_request_words(ev_request_parse(name, strlen(name))));
}

/* Take the options. */
static int
subject_opt(int ch, const char *arg, void *p)
{
	struct subject_args	*a = p;

	if (ch == 'f')
		a->from = arg;
	else if (ch == 't')
		a->to = arg;
	else if (ch == 'R')
		a->reason = arg;
	else if (ch == 'o')
		a->out = arg;
	else if (ch == 'O')
		a->officials = 1;
	else
		return (-1);
	return (0);
}

/* Write text escaped for HTML. */
static void
subject_html_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* One cell of the HTML table. */
static void
subject_html_cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	subject_html_text(f, s);
	fputs("</td>", f);
}

/* The report as a printable HTML page. */
static int
subject_html(const char *path, PGresult *r, const char *bsn,
    const struct subject_args *a)
{
	FILE	*f;
	char	 when[NLDATE_MAX];
	int	 i;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "wachter subject-report: %s: %s\n", path,
		    strerror(errno));
		return (1);
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta "
	    "charset=\"utf-8\"><title>Inzage raadplegingen</title><style>"
	    "body{font-family:sans-serif;margin:2em}table{border-collapse:"
	    "collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:"
	    "left}@media print{body{margin:0}}</style></head><body>\n"
	    "<h1>Wie heeft uw gegevens bekeken?</h1>\n<p>Burgerservicenummer ");
	subject_html_text(f, bsn);
	fprintf(f, ", van %s tot en met %s: %d keer.</p>\n<table><tr><th>Wanneer"
	    "</th><th>Afdeling</th>%s<th>Wat</th><th>Waarom</th></tr>\n",
	    a->from, a->to, PQntuples(r), a->officials ?
	    "<th>Medewerker</th>" : "");
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 0), when, sizeof when);
		fputs("<tr>", f);
		subject_html_cell(f, when);
		subject_html_cell(f, officer_cell(r, i, 1));
		if (a->officials)
			subject_html_cell(f, officer_cell(r, i, 2));
		subject_html_cell(f, subject_request(officer_cell(r, i, 3)));
		subject_html_cell(f, subject_ground(officer_cell(r, i, 4),
		    strcmp(officer_cell(r, i, 5), "t") == 0));
		fputs("</tr>\n", f);
	}
	fprintf(f, "</table>\n<p>Hebt u vragen of denkt u dat iemand uw "
	    "gegevens zonder reden heeft bekeken? Neem contact op met de "
	    "functionaris gegevensbescherming van de gemeente. U kunt ook een "
	    "klacht indienen bij de Autoriteit Persoonsgegevens.</p>\n"
	    "</body></html>\n");
	return (fclose(f) != 0);
}

/* The report as aligned text. */
static void
subject_text(PGresult *r, const struct subject_args *a)
{
	static const char *const head[] = { "WANNEER", "AFDELING",
	    "MEDEWERKER", "WAT", "WAAROM" };
	static const char *const head_anon[] = { "WANNEER", "AFDELING",
	    "WAT", "WAAROM" };
	struct table	 t;
	char		 when[NLDATE_MAX];
	int		 i;

	table_init(&t, a->officials ? 5 : 4);
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 0), when, sizeof when);
		if (a->officials)
			table_add(&t, when, officer_cell(r, i, 1),
			    officer_cell(r, i, 2),
			    subject_request(officer_cell(r, i, 3)),
			    subject_ground(officer_cell(r, i, 4),
			    strcmp(officer_cell(r, i, 5), "t") == 0));
		else
			table_add(&t, when, officer_cell(r, i, 1),
			    subject_request(officer_cell(r, i, 3)),
			    subject_ground(officer_cell(r, i, 4),
			    strcmp(officer_cell(r, i, 5), "t") == 0));
	}
	printf("%d raadpleging(en) van %s tot en met %s\n", PQntuples(r),
	    a->from, a->to);
	if (t.nrows != 0)
		table_print(&t, a->officials ? head : head_anon);
	table_free(&t);
}

/* wachter subject-report BSN --from D --to D --reason T [--officials] */
int
cmd_subject_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'R' },
		{ "officials", no_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	struct subject_args	 a = { NULL, NULL, NULL, NULL, 0 };
	const char		*p[5];
	PGconn			*c;
	PGresult		*r;
	int			 rc;

	if (officer_getopt(argc, argv, &o, longopts, subject_opt, &a) != 0 ||
	    optind != argc - 1 || a.from == NULL || a.to == NULL ||
	    a.reason == NULL) {
		fprintf(stderr, "usage: wachter subject-report BSN --from DATE "
		    "--to DATE --reason TEXT [--officials] [-o FILE.html]\n");
		return (2);
	}
	p[0] = argv[optind];
	p[1] = a.from;
	p[2] = a.to;
	p[3] = a.reason;
	p[4] = a.officials ? "true" : "false";
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	if (o.json)
		rc = officer_json(c, "SELECT * FROM wachter.subject_report($1,"
		    " $2::date, $3::date, $4, $5::boolean)", 5, p);
	else if ((r = officer_query(c, report_sql, 5, p)) == NULL)
		rc = 1;
	else {
		subject_text(r, &a);
		rc = a.out != NULL ? subject_html(a.out, r, p[0], &a) : 0;
		PQclear(r);
	}
	PQfinish(c);
	return (rc);
}
