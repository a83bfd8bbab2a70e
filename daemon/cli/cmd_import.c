/*
 * cmd_import.c: `wachter import KIND FILE.csv`: replace one reference
 * table with a CSV export (FORMAT.md). Every row is validated by the same
 * loader the daemon uses, so a file that imports is a file the daemon can
 * read; a bad row is reported with its line number and nothing is
 * imported. The replacement is one transaction: readers see the old table
 * or the new one, never half of it.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "enrich/ref.h"
#include "slurp.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct import_table {
	const char	*table;
	const char	*columns;	/* of the CSV, all text */
	const char	*select;	/* from the staging table */
};

#define LIST(c)		"coalesce(string_to_array(NULLIF(" c ", ''), ';'), '{}')"
#define DAY(c)		"NULLIF(" c ", '')::date"
#define TS(c)		"NULLIF(" c ", '')::timestamptz"

static const struct import_table import_tables[REF_NKINDS] = {
	[REF_STAFF] = { "staff",
	    "user_id, display_name, surname, department, roles, team, "
	    "home_postcode, home_housenumber, bsn, employment_start, "
	    "employment_end, schedule, account_type",
	    "user_id, display_name, surname, department, " LIST("roles")
	    ", team, home_postcode, home_housenumber, bsn, "
	    DAY("employment_start") ", " DAY("employment_end")
	    ", schedule, account_type" },
	[REF_PERSONS] = { "persons",
	    "bsn, surname, given_name, birth_date, postcode, housenumber, "
	    "secret, deceased",
	    "bsn, surname, given_name, " DAY("birth_date") ", postcode, "
	    "housenumber, secret = '1', deceased = '1'" },
	[REF_VEHICLES] = { "vehicles", "kenteken, owner_bsn",
	    "kenteken, owner_bsn" },
	[REF_CASES] = { "cases",
	    "case_id, case_type, department, status, opened_at, closed_at, "
	    "assignees, team, subjects, registered_at",
	    "case_id, case_type, department, status, " TS("opened_at") ", "
	    TS("closed_at") ", " LIST("assignees") ", team, "
	    LIST("subjects") ", " TS("registered_at") },
	[REF_APPOINTMENTS] = { "appointments",
	    "appointment_id, start_at, end_at, desk_user, bsn, product",
	    "appointment_id, " TS("start_at") ", " TS("end_at")
	    ", desk_user, bsn, product" },
	[REF_WATCHLIST] = { "watchlist", "subject, category, note",
	    "subject, category, note" },
};

/* Run one command; print the server's message on failure. */
static int
import_exec(PGconn *c, const char *sql)
{
	PGresult	*r;
	int		 ok;

	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "wachter import: %s", PQerrorMessage(c));
	PQclear(r);
	return (ok ? 0 : -1);
}

/* Stream the file into the staging table with COPY. */
static int
import_copy(PGconn *c, const struct import_table *t, const struct buf *b)
{
	PGresult	*r;
	char		*sql;
	int		 ok;

	/* Empty cells are '' rather than NULL; typed columns NULLIF them. */
	xasprintf(&sql, "COPY import_staging (%s) FROM STDIN WITH (FORMAT "
	    "csv, HEADER MATCH, FORCE_NOT_NULL (%s))", t->columns, t->columns);
	r = PQexec(c, sql);
	free(sql);
	ok = PQresultStatus(r) == PGRES_COPY_IN;
	PQclear(r);
	if (!ok || PQputCopyData(c, (const char *)b->data, (int)b->len) != 1 ||
	    PQputCopyEnd(c, NULL) != 1) {
		fprintf(stderr, "wachter import: %s", PQerrorMessage(c));
		return (-1);
	}
	r = PQgetResult(c);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "wachter import: %s", PQerrorMessage(c));
	PQclear(r);
	return (ok ? 0 : -1);
}

/* A temporary table with the CSV's columns, all text, dropped at commit. */
static char *
import_staging_ddl(const struct import_table *t)
{
	struct buf	 ddl;
	const char	*s = t->columns, *e;

	buf_init(&ddl);
	buf_adds(&ddl, "CREATE TEMP TABLE import_staging (");
	while (*s != '\0') {
		e = s + strcspn(s, ",");
		buf_printf(&ddl, "%.*s text%s", (int)(e - s), s,
		    *e != '\0' ? "," : "");
		s = *e != '\0' ? e + 1 : e;
	}
	buf_adds(&ddl, ") ON COMMIT DROP");
	return ((char *)ddl.data);
}

/* Replace the table with the file's rows in one transaction. */
static int
import_replace(PGconn *c, const struct import_table *t, const struct buf *b)
{
	char	*ddl, *sql;
	int	 rc = -1;

	if (import_exec(c, "BEGIN") != 0)
		return (-1);
	ddl = import_staging_ddl(t);
	xasprintf(&sql, "DELETE FROM wachter.%s; INSERT INTO wachter.%s (%s) "
	    "SELECT %s FROM import_staging", t->table, t->table, t->columns,
	    t->select);
	if (import_exec(c, ddl) == 0 && import_copy(c, t, b) == 0 &&
	    import_exec(c, sql) == 0)
		rc = import_exec(c, "COMMIT");
	if (rc != 0)
		(void)import_exec(c, "ROLLBACK");
	free(ddl);
	free(sql);
	return (rc);
}

/* wachter import [-d CONNINFO] [-c FILE] KIND FILE.csv */
int
cmd_import(int argc, char **argv)
{
	const char	*dsn = NULL, *conffile = NULL;
	enum ref_kind	 kind;
	struct ref	*r;
	struct buf	 b;
	char		*conninfo, *cause = NULL;
	PGconn		*c;
	int		 rc = 1;

	if (cmd_db_options(argc, argv, &dsn, &conffile) != 0)
		return (2);
	if (argc - optind != 2 || ref_kind_parse(argv[optind], &kind) != 0) {
		fprintf(stderr, "usage: wachter import [-d CONNINFO] [-c FILE] "
		    "staff|persons|vehicles|cases|appointments|watchlist "
		    "FILE.csv\n");
		return (2);
	}
	buf_init(&b);
	r = ref_new();
	if (slurp_file(argv[optind + 1], &b, &cause) != 0 ||
	    ref_load(r, kind, (const char *)b.data, b.len, argv[optind + 1],
	    &cause) != 0) {
		fprintf(stderr, "wachter import: %s\nnothing was imported\n",
		    cause);
		goto out;
	}
	if ((conninfo = cmd_conninfo(dsn, conffile)) == NULL)
		goto out;
	c = cmd_connect(conninfo);
	free(conninfo);
	if (c == NULL)
		goto out;
	rc = import_replace(c, &import_tables[kind], &b) != 0;
	if (rc == 0)
		printf("imported %s into wachter.%s\n", argv[optind + 1],
		    import_tables[kind].table);
	else
		fprintf(stderr, "nothing was imported\n");
	PQfinish(c);
out:
	free(cause);
	ref_free(r);
	buf_free(&b);
	return (rc);
}
