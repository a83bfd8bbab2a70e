/*
 * officer_alert.c: `wachter alert ID` shows one incident so an officer
 * can read it in one pass: who, when (Amsterdam time, Dutch), what the
 * rules mean, every person or vehicle by number and handle, the facts of
 * each record, when such an alert appears, and the decisions so far.
 * ID is an incident id or the seq of any of its records.
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/nldate.h"
#include "alert/pseudo.h"
#include "cli/officer.h"
#include "conf/conf.h"
#include "rules/rule.h"
#include "slurp.h"
#include "util/xmalloc.h"

#define USEC_HOUR	(3600LL * 1000000)

/* What the command knows besides the database. */
struct alert_ctx {
	struct ruleset	*rs;		/* for titles and descriptions */
	int64_t		 grace;		/* µs a lookup is held */
	char		*rules_dir;
	const char	*rules_arg;	/* --rules */
	int		 all_persons;	/* list them all, however many */
};

#define ALERT_PERSONS	20	/* listed unless --all-persons */

static const char alert_head_sql[] =
	"SELECT o.incident, o.severity, o.status, o.user_name,"
	" coalesce(s.display_name, ''), coalesce(o.department, ''),"
	" (extract(epoch FROM o.first_at) * 1000000)::bigint,"
	" (extract(epoch FROM o.last_at) * 1000000)::bigint,"
	" (extract(epoch FROM o.alerted_at) * 1000000)::bigint,"
	" o.records, o.lookups, o.excepted, o.decided_by,"
	" (extract(epoch FROM o.decided_at) * 1000000)::bigint"
	" FROM wachter.incident_overview o"
	" LEFT JOIN wachter.staff s ON s.user_id = o.user_name"
	" WHERE o.incident = $1";

static const char alert_records_sql[] =
	"SELECT seq, kind, (extract(epoch FROM recorded_at) * 1000000)::bigint,"
	" severity, cardinality(event_ids), summary, explanation"
	" FROM wachter.alert_current WHERE incident = $1 ORDER BY seq";

static const char alert_subjects_sql[] =
	"SELECT s FROM (SELECT s, min(r.seq * 100000 + o) AS f"
	" FROM wachter.alert_current r, unnest(r.subjects) WITH ORDINALITY"
	" AS u(s, o) WHERE r.incident = $1 GROUP BY s) x ORDER BY f";

static const char alert_rules_sql[] =
	"SELECT DISTINCT unnest(rules) FROM wachter.alert_current"
	" WHERE incident = $1 ORDER BY 1";

static const char alert_decisions_sql[] =
	"SELECT n, (extract(epoch FROM at) * 1000000)::bigint, officer,"
	" status, note FROM wachter.decision_history"
	" WHERE scope = 'incident' AND target = $1 ORDER BY n";

static const char alert_exceptions_sql[] =
	"SELECT DISTINCT i.id, coalesce(i.user_name, '*'),"
	" coalesce(i.rule, '*'), i.reason, i.owner,"
	" (extract(epoch FROM i.valid_until) * 1000000)::bigint"
	" FROM wachter.exception_match m JOIN wachter.exception_impact i"
	" ON i.id = m.exception WHERE m.incident = $1 ORDER BY 1";

static const char alert_json_sql[] =
	"SELECT o.*, s.display_name,"
	" (SELECT json_agg(a ORDER BY a.seq) FROM wachter.alert_current a"
	"  WHERE a.incident = o.incident) AS records,"
	" (SELECT json_agg(d ORDER BY d.n) FROM wachter.decision_history d"
	"  WHERE d.scope = 'incident' AND d.target = o.incident) AS decisions,"
	" (SELECT json_agg(DISTINCT m.exception) FROM wachter.exception_match m"
	"  WHERE m.incident = o.incident) AS exceptions"
	" FROM wachter.incident_overview o"
	" LEFT JOIN wachter.staff s ON s.user_id = o.user_name"
	" WHERE o.incident = $1";

/* The rule with this id, or NULL. */
static const struct rule *
alert_rule(const struct alert_ctx *x, const char *id)
{
	size_t	 i;

	for (i = 0; x->rs != NULL && i < x->rs->n; i++)
		if (strcmp(x->rs->rules[i].id, id) == 0)
			return (&x->rs->rules[i]);
	return (NULL);
}

/* Print one line of text indented, wrapped at words to about 76 columns. */
static void
alert_wrap(const char *p, size_t len, const char *pad)
{
	size_t	 width = 76 - strlen(pad), n;

	while (len > width) {
		for (n = width; n > 0 && p[n] != ' '; n--)
			;
		if (n == 0)
			n = width;
		printf("%s%.*s\n", pad, (int)n, p);
		p += n;
		len -= n;
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
	}
	if (len > 0)
		printf("%s%.*s\n", pad, (int)len, p);
}

/* Print text indented, a line at a time. */
static void
alert_indent(const char *text, const char *pad)
{
	const char	*p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		while (*p == ' ')
			p++;
		if (nl > p)
			alert_wrap(p, (size_t)(nl - p), pad);
		p = *nl == '\n' ? nl + 1 : nl;
	}
}

/*
 * Records written before the words named real dates say "dag N HH:MM"
 * (local days since 1970); show those as dates too.
 */
static void
alert_old_dates(const char *s, struct buf *out)
{
	char		 when[NLDATE_MAX], *end;
	long long	 day;
	int		 hh, mm;

	while (*s != '\0') {
		if (strncmp(s, "dag ", 4) == 0 && isdigit((unsigned char)s[4])) {
			day = strtoll(s + 4, &end, 10);
			if (sscanf(end, " %2d:%2d", &hh, &mm) == 2 &&
			    end[0] == ' ' && end[3] == ':') {
				/* the day and minute are local already */
				nldate_day((day * 86400 + 43200) * 1000000LL,
				    when, sizeof when);
				buf_printf(out, "%s %02d:%02d", when, hh, mm);
				s = end + 6;
				continue;
			}
		}
		buf_addc(out, (unsigned char)*s++);
	}
}

/* The head: who, when, how grave, what state. */
static void
alert_print_head(PGresult *h)
{
	char	 a[NLDATE_MAX], b[NLDATE_MAX];

	printf("Incident %s\n", officer_cell(h, 0, 0));
	printf("  Ernst:        %s\n", officer_severity_nl(officer_cell(h, 0,
	    1)));
	printf("  Status:       %s%s\n", officer_status_nl(officer_cell(h, 0,
	    2)), strcmp(officer_cell(h, 0, 11), "t") == 0 ?
	    " (valt onder een uitzondering)" : "");
	printf("  Medewerker:   %s%s%s%s%s\n", officer_cell(h, 0, 3),
	    *officer_cell(h, 0, 4) ? " (" : "", officer_cell(h, 0, 4),
	    *officer_cell(h, 0, 4) ? ")" : "", *officer_cell(h, 0, 5) ?
	    "" : ", niet in het personeelsbestand");
	if (*officer_cell(h, 0, 5))
		printf("  Afdeling:     %s\n", officer_cell(h, 0, 5));
	officer_when(officer_cell(h, 0, 6), a, sizeof a);
	officer_when(officer_cell(h, 0, 7), b, sizeof b);
	printf("  Periode:      %s t/m %s\n", a, b);
	officer_when(officer_cell(h, 0, 8), a, sizeof a);
	printf("  Gemeld:       %s\n", a);
	printf("  Omvang:       %s raadpleging(en) in %s melding(en)\n",
	    officer_cell(h, 0, 10), officer_cell(h, 0, 9));
}

/* The rules that fired, with what they mean; and when such alerts come. */
static int
alert_print_rules(PGconn *c, const char *inc, const struct alert_ctx *x)
{
	const struct rule	*r;
	PGresult		*res;
	int			 i, urgent = 0;

	if ((res = officer_query(c, alert_rules_sql, 1, &inc)) == NULL)
		return (-1);
	printf("\nRegels\n");
	for (i = 0; i < PQntuples(res); i++) {
		r = alert_rule(x, officer_cell(res, i, 0));
		if (r != NULL)
			printf("  %s: %s\n", officer_cell(res, i, 0), r->title);
		else
			printf("  %s: (niet in de regelmap %s)\n",
			    officer_cell(res, i, 0), x->rules_dir);
		if (r != NULL && r->description != NULL)
			alert_indent(r->description, "      ");
		if (r != NULL && r->urgent)
			urgent = 1;
	}
	PQclear(res);
	printf("\nWanneer dit soort melding verschijnt\n");
	if (urgent)
		printf("      Een urgente regel vuurde: de melding gaat uit zodra "
		    "de raadpleging\n      is gelezen.\n");
	else
		printf("      Geen urgente regel: de melding verschijnt pas "
		    "%lld uur (wachttijd)\n      plus 8 uur zonder nieuwe "
		    "raadplegingen na de laatste raadpleging,\n      want zo "
		    "lang kan een zaak of afspraak haar nog verklaren.\n",
		    (long long)(x->grace / USEC_HOUR));
	return (0);
}

/* How a subject's handle reads: a pseudonym, a BSN or a plate. */
static const char *
alert_subject_kind(const char *s)
{
	if (strncmp(s, PSEUDO_PERSON, 3) == 0)
		return ("persoon");
	if (strncmp(s, PSEUDO_VEHICLE, 3) == 0)
		return ("voertuig");
	return (pseudo_is_bsn(s) ? "BSN" : "kenteken");
}

/* What the persons function says of one subject, in Dutch. */
static void
alert_subject_facts(PGresult *r, int i, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s", strcmp(officer_cell(r, i, 2), "t") == 0 ?
	    " geheimhouding (contact alleen via de aangewezen weg)" : "",
	    strcmp(officer_cell(r, i, 3), "t") == 0 ? " overleden" : "",
	    strcmp(officer_cell(r, i, 4), "t") == 0 ? "" :
	    " niet in de basisgegevens");
}

/*
 * Every person or vehicle, numbered, by its handle. For an incident under
 * investigation, through wachter.alert_persons (which logs the read) with
 * the facts that matter for judging it; long plain lists in columns.
 */
static int
alert_print_subjects(PGconn *c, const char *inc, int worked, int all)
{
	const char	*p[2] = { inc, "wachter alert" };
	PGresult	*r;
	char		 facts[128];
	int		 i, n, per, w;

	r = officer_query(c, worked ? "SELECT handle, kind, secret, deceased,"
	    " known FROM wachter.alert_persons($1, $2)" : alert_subjects_sql,
	    worked ? 2 : 1, p);
	if (r == NULL)
		return (-1);
	n = PQntuples(r);
	per = n > 12 && !worked ? 2 : 1;
	printf("\nPersonen en voertuigen (%d)\n", n);
	for (i = 0; i < n; i++) {
		if (!all && i == ALERT_PERSONS) {
			printf("  ... en nog %d (alle: --all-persons)\n",
			    n - i);
			break;
		}
		facts[0] = '\0';
		if (worked)
			alert_subject_facts(r, i, facts, sizeof facts);
		w = printf("  %4d. %-8s %s%s", i + 1,
		    alert_subject_kind(officer_cell(r, i, 0)),
		    officer_cell(r, i, 0), facts);
		if ((i + 1) % per == 0 || i + 1 == n ||
		    (!all && i + 1 == ALERT_PERSONS))
			printf("\n");
		else
			printf("%*s", w < 50 ? 50 - w : 1, "");
	}
	PQclear(r);
	return (0);
}

/* Each record of the incident with its facts. */
static int
alert_print_records(PGconn *c, const char *inc)
{
	PGresult	*r;
	struct buf	 text;
	char		 when[NLDATE_MAX];
	int		 i;

	if ((r = officer_query(c, alert_records_sql, 1, &inc)) == NULL)
		return (-1);
	buf_init(&text);
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 2), when, sizeof when);
		printf("\nMelding %s (%s, %s, %s), %s raadpleging(en)\n",
		    officer_cell(r, i, 0), strcmp(officer_cell(r, i, 1),
		    "new") == 0 ? "eerste" : strcmp(officer_cell(r, i, 1),
		    "explained") == 0 ? "later verklaard" : "aanvulling", when,
		    officer_severity_nl(officer_cell(r, i, 3)),
		    officer_cell(r, i, 4));
		alert_indent(officer_cell(r, i, 5), "  ");
		buf_reset(&text);
		alert_old_dates(officer_cell(r, i, 6), &text);
		alert_indent(buf_cstr(&text), "    ");
	}
	buf_free(&text);
	PQclear(r);
	return (0);
}

/* Decisions so far and exceptions that cover the incident. */
static int
alert_print_history(PGconn *c, const char *inc)
{
	PGresult	*r;
	char		 when[NLDATE_MAX];
	int		 i;

	if ((r = officer_query(c, alert_decisions_sql, 1, &inc)) == NULL)
		return (-1);
	printf("\nBeslissingen\n");
	if (PQntuples(r) == 0)
		printf("  nog geen\n");
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 1), when, sizeof when);
		printf("  %s  %s  %s: %s\n", when, officer_cell(r, i, 2),
		    officer_status_nl(officer_cell(r, i, 3)),
		    officer_cell(r, i, 4));
	}
	PQclear(r);
	if ((r = officer_query(c, alert_exceptions_sql, 1, &inc)) == NULL)
		return (-1);
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 5), when, sizeof when);
		printf("  uitzondering %s (medewerker %s, regel %s) van %s tot "
		    "%s: %s\n", officer_cell(r, i, 0), officer_cell(r, i, 1),
		    officer_cell(r, i, 2), officer_cell(r, i, 4), when,
		    officer_cell(r, i, 3));
	}
	PQclear(r);
	return (0);
}

/* The incident an ID names: itself, or the incident of record seq ID. */
static char *
alert_resolve(PGconn *c, const char *id)
{
	PGresult	*r;
	char		*inc = NULL;
	size_t		 i;

	for (i = 0; id[i] != '\0' && isdigit((unsigned char)id[i]); i++)
		;
	r = officer_query(c, id[i] == '\0' && i > 0 && i < 19 ?
	    "SELECT incident FROM wachter.alert_current WHERE seq = $1::bigint" :
	    "SELECT incident FROM wachter.incident_overview WHERE incident = $1",
	    1, &id);
	if (r != NULL && PQntuples(r) == 1)
		inc = xstrdup(PQgetvalue(r, 0, 0));
	else if (r != NULL)
		fprintf(stderr, "wachter alert: no incident or record '%s'\n",
		    id);
	PQclear(r);
	return (inc);
}

/* Print the whole incident as text. */
static int
alert_text(PGconn *c, const char *inc, const struct alert_ctx *x)
{
	PGresult	*h;
	int		 worked;

	if ((h = officer_query(c, alert_head_sql, 1, &inc)) == NULL)
		return (1);
	alert_print_head(h);
	worked = strcmp(officer_cell(h, 0, 2), "under_investigation") == 0 ||
	    strcmp(officer_cell(h, 0, 2), "confirmed") == 0;
	PQclear(h);
	if (alert_print_rules(c, inc, x) != 0 ||
	    alert_print_subjects(c, inc, worked, x->all_persons) != 0 ||
	    alert_print_records(c, inc) != 0 ||
	    alert_print_history(c, inc) != 0)
		return (1);
	return (0);
}

/* Rules and grace from the configuration, --rules, or the defaults. */
static void
alert_context(struct alert_ctx *x, const char *conffile)
{
	struct conf	*cf = NULL;
	struct buf	 text;
	char		*cause = NULL;

	x->grace = 3 * 24 * USEC_HOUR;
	x->rules_dir = xstrdup(WACHTER_DATADIR "/rules");
	buf_init(&text);
	if (conffile != NULL && slurp_file(conffile, &text, &cause) == 0 &&
	    conf_parse(conffile, buf_cstr(&text), text.len, &cf, &cause) == 0) {
		x->grace = cf->grace;
		free(x->rules_dir);
		x->rules_dir = xstrdup(cf->rules_dir);
		conf_free(cf);
	}
	free(cause);
	buf_free(&text);
	if (x->rules_arg != NULL) {
		free(x->rules_dir);
		x->rules_dir = xstrdup(x->rules_arg);
	}
	cause = NULL;
	x->rs = slurp_rules(x->rules_dir, &cause);
	free(cause);
}

/* Take --rules DIR and --all-persons. */
static int
alert_opt(int ch, const char *arg, void *p)
{
	struct alert_ctx	*x = p;

	if (ch == 'r')
		x->rules_arg = arg;
	else if (ch == 'P')
		x->all_persons = 1;
	else
		return (-1);
	return (0);
}

/* wachter alert ID [--rules DIR] [--all-persons] [--json] */
int
cmd_alert(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "all-persons", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	struct alert_ctx	 x;
	char			*inc;
	PGconn			*c;
	int			 rc;

	memset(&x, 0, sizeof x);
	if (officer_getopt(argc, argv, &o, longopts, alert_opt, &x) != 0)
		return (2);
	if (optind != argc - 1) {
		fprintf(stderr, "usage: wachter alert ID [--json]\n");
		return (2);
	}
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	if ((inc = alert_resolve(c, argv[optind])) == NULL) {
		PQfinish(c);
		return (1);
	}
	if (o.json)
		rc = officer_json(c, alert_json_sql, 1, (const char **)&inc);
	else {
		alert_context(&x, o.conffile);
		rc = alert_text(c, inc, &x);
		ruleset_free(x.rs);
		free(x.rules_dir);
	}
	free(inc);
	PQfinish(c);
	return (rc);
}
