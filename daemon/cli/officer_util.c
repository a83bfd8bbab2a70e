/*
 * officer_util.c: what the officer's commands share. Queries take their
 * filters as text parameters (never spliced into SQL); output is either
 * aligned Dutch text for a terminal or JSON built by PostgreSQL itself
 * for scripts, so both come from the same query.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/nldate.h"
#include "cli/officer.h"
#include "cli/cmd.h"
#include "util/xmalloc.h"

static const char *const status_words[][2] = {
	{ "new", "nieuw" },
	{ "under_investigation", "in onderzoek" },
	{ "false_positive", "vals alarm" },
	{ "confirmed", "bevestigd" },
	{ "closed", "gesloten" },
};

static const char *const severity_words[][2] = {
	{ "info", "info" },
	{ "low", "laag" },
	{ "medium", "middel" },
	{ "high", "hoog" },
	{ "critical", "kritiek" },
};

/* Connect with -d, or the configuration's connection string. */
PGconn *
officer_connect(const struct officer_opts *o)
{
	char	*conninfo;
	PGconn	*c;

	if ((conninfo = cmd_conninfo(o->dsn, o->conffile)) == NULL)
		return (NULL);
	c = cmd_connect(conninfo);
	free(conninfo);
	return (c);
}

/* Parse -c/-d/--json and the given extra long options. */
int
officer_getopt(int argc, char **argv, struct officer_opts *o,
    const struct option *longopts, int (*more)(int, const char *, void *),
    void *arg)
{
	int	 ch;

	while ((ch = getopt_long(argc, argv, "c:d:o:", longopts, NULL)) != -1) {
		if (ch == 'c')
			o->conffile = optarg;
		else if (ch == 'd')
			o->dsn = optarg;
		else if (ch == 'j')
			o->json = 1;
		else if (more == NULL || more(ch, optarg, arg) != 0)
			return (-1);
	}
	return (0);
}

/* Run a query with text parameters (NULL = SQL NULL); NULL on error. */
PGresult *
officer_query(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult	*r;

	r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "wachter: %s", PQresultErrorMessage(r));
		PQclear(r);
		return (NULL);
	}
	return (r);
}

/* Print the rows of a query as one JSON array. */
int
officer_json(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult	*r;
	char		*q;

	xasprintf(&q, "SELECT coalesce(json_agg(q), '[]')::text FROM (%s) q",
	    sql);
	r = officer_query(c, q, n, p);
	free(q);
	if (r == NULL)
		return (1);
	printf("%s\n", PQgetvalue(r, 0, 0));
	PQclear(r);
	return (0);
}

/* A cell's text ("" for NULL). */
const char *
officer_cell(PGresult *r, int row, int col)
{
	return (PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

/* A moment given as µs since 1970 in text, in Dutch; "" stays "". */
void
officer_when(const char *us, char *out, size_t size)
{
	if (us == NULL || *us == '\0') {
		snprintf(out, size, "onbekend");
		return;
	}
	nldate_format(strtoll(us, NULL, 10), out, size);
}

/* Dutch for a triage state. */
const char *
officer_status_nl(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
		if (strcmp(s, status_words[i][0]) == 0)
			return (status_words[i][1]);
	return (s);
}

/* Whether a state name is one the history accepts. */
int
officer_status_valid(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
		if (strcmp(s, status_words[i][0]) == 0)
			return (1);
	return (0);
}

/* Dutch for a severity. */
const char *
officer_severity_nl(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof severity_words / sizeof severity_words[0]; i++)
		if (strcmp(s, severity_words[i][0]) == 0)
			return (severity_words[i][1]);
	return (s);
}

/* Start a table of ncols columns. */
void
table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

/* Add a row: ncols strings, copied. */
void
table_add(struct table *t, ...)
{
	va_list	 ap;
	size_t	 i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof *t->cells);
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = xstrdup(va_arg(ap,
		    const char *));
	va_end(ap);
	t->nrows++;
}

/* Columns a string takes on a terminal: its UTF-8 code points. */
static size_t
table_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

/* Print one row padded to the widths; the last column is not padded. */
static void
table_row(const struct table *t, const char *const *row, const size_t *w)
{
	size_t	 i, pad;

	for (i = 0; i < t->ncols; i++) {
		fputs(row[i], stdout);
		if (i + 1 == t->ncols)
			break;
		for (pad = table_width(row[i]); pad < w[i] + 2; pad++)
			putchar(' ');
	}
	putchar('\n');
}

/* Print the header and the rows in aligned columns. */
void
table_print(struct table *t, const char *const *head)
{
	size_t	*w, i, j, n;

	w = xcalloc(t->ncols, sizeof *w);
	for (i = 0; i < t->ncols; i++)
		w[i] = table_width(head[i]);
	for (j = 0; j < t->nrows; j++)
		for (i = 0; i < t->ncols; i++) {
			n = table_width(t->cells[j * t->ncols + i]);
			if (n > w[i])
				w[i] = n;
		}
	table_row(t, head, w);
	for (j = 0; j < t->nrows; j++)
		table_row(t, (const char *const *)&t->cells[j * t->ncols], w);
	free(w);
}

/* Free the cells. */
void
table_free(struct table *t)
{
	size_t	 i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}
