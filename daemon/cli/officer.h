/*
 * officer.h: the integrity officer's commands (docs/OFFICERS.md) and the
 * small helpers they share: connecting, running a query with text
 * parameters, aligned tables, Dutch words for states and times.
 */
#ifndef WACHTER_OFFICER_H
#define WACHTER_OFFICER_H

#include <stddef.h>

#include <libpq-fe.h>

#include "util/buf.h"

/* Options every officer command takes. */
struct officer_opts {
	const char	*dsn;
	const char	*conffile;
	int		 json;
};

/* Rows of text cells printed as aligned columns. */
struct table {
	size_t		 ncols;
	size_t		 nrows;
	char		**cells;	/* nrows * ncols, owned */
};

int	 cmd_alerts(int, char **);
int	 cmd_alert(int, char **);
int	 cmd_triage(int, char **);
int	 cmd_cases(int, char **);
int	 cmd_exceptions(int, char **);
int	 cmd_decisions(int, char **);
int	 cmd_reveal(int, char **);
int	 cmd_breach(int, char **);
int	 cmd_subject_report(int, char **);
int	 cmd_retention(int, char **);
int	 officer_rules_stats(int, char **);

struct option;
int	 officer_getopt(int, char **, struct officer_opts *,
	    const struct option *, int (*)(int, const char *, void *), void *);
PGconn	*officer_connect(const struct officer_opts *);
PGresult *officer_query(PGconn *, const char *, int, const char *const *);
int	 officer_json(PGconn *, const char *, int, const char *const *);
const char *officer_cell(PGresult *, int, int);
void	 officer_when(const char *, char *, size_t);
const char *officer_status_nl(const char *);
const char *officer_severity_nl(const char *);
int	 officer_status_valid(const char *);

void	 table_init(struct table *, size_t);
void	 table_add(struct table *, ...);
void	 table_print(struct table *, const char *const *);
void	 table_free(struct table *);

#endif
