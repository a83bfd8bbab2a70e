/*
 * cmd_import.c: `wachter import KIND FILE.csv` replaces one reference
 * table with a CSV export. Every row is validated first by the same
 * loader wachterd uses (all bad rows are reported with their line
 * numbers); then the table is emptied and filled with COPY in one
 * transaction, so a failure leaves the old content.
 */
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "enrich/ref.h"
#include "slurp.h"
#include "util/xmalloc.h"

static const char *import_tables[REF_NKINDS] = {
	"wachter.staff (user_id, display_name, surname, department, roles, "
	    "team, home_postcode, home_housenumber, bsn, employment_start, "
	    "employment_end, schedule, account_type)",
	"wachter.persons (bsn, surname, given_name, birth_date, postcode, "
	    "housenumber, secret, deceased)",
	"wachter.vehicles (kenteken, owner_bsn)",
	"wachter.cases (case_id, case_type, department, status, opened_at, "
	    "closed_at, assignees, team, subjects, registered_at)",
	"wachter.appointments (appointment_id, start_at, end_at, desk_user, "
	    "bsn, product)",
	"wachter.watchlist (subject, category, note)",
};

/* Run one command; 0 when it did what was expected. */
static int
import_exec(PGconn *c, const char *sql, ExecStatusType want, char **cause)
{
	PGresult	*res;
	int		 rv = 0;

	res = PQexec(c, sql);
	if (PQresultStatus(res) != want) {
		xasprintf(cause, "%s", PQerrorMessage(c));
		rv = -1;
	}
	PQclear(res);
	return (rv);
}

/* COPY the file's bytes into the table. */
static int
import_copy(PGconn *c, enum ref_kind k, const struct buf *b, char **cause)
{
	PGresult	*res;
	char		*sql;
	int		 rv = 0;

	xasprintf(&sql, "COPY %s FROM STDIN (FORMAT csv, HEADER true)",
	    import_tables[k]);
	rv = import_exec(c, sql, PGRES_COPY_IN, cause);
	free(sql);
	if (rv != 0)
		return (-1);
	if (PQputCopyData(c, (const char *)b->data, (int)b->len) != 1 ||
	    PQputCopyEnd(c, NULL) != 1) {
		xasprintf(cause, "%s", PQerrorMessage(c));
		return (-1);
	}
	while ((res = PQgetResult(c)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rv == 0) {
			xasprintf(cause, "%s", PQerrorMessage(c));
			rv = -1;
		}
		PQclear(res);
	}
	return (rv);
}

/* Replace the table of one kind in one transaction. */
static int
import_store(PGconn *c, enum ref_kind k, const struct buf *b, size_t rows,
    char **cause)
{
	char	*sql;
	int	 rv;

	if (import_exec(c, "BEGIN", PGRES_COMMAND_OK, cause) != 0)
		return (-1);
	xasprintf(&sql, "DELETE FROM %.*s", (int)strcspn(import_tables[k],
	    " "), import_tables[k]);
	rv = import_exec(c, sql, PGRES_COMMAND_OK, cause);
	free(sql);
	if (rv == 0)
		rv = import_copy(c, k, b, cause);
	if (rv == 0) {
		xasprintf(&sql, "INSERT INTO wachter.reference_version (kind, "
		    "rows) VALUES ('%s', %zu) ON CONFLICT (kind) DO UPDATE SET "
		    "imported_at = now(), rows = EXCLUDED.rows; "
		    "NOTIFY wachter_reference, '%s'", ref_kind_name(k), rows,
		    ref_kind_name(k));
		rv = import_exec(c, sql, PGRES_COMMAND_OK, cause);
		free(sql);
	}
	if (rv == 0)
		return (import_exec(c, "COMMIT", PGRES_COMMAND_OK, cause));
	PQclear(PQexec(c, "ROLLBACK"));
	return (-1);
}

/* Count the data rows of a validated store for the kind. */
static size_t
import_rows(const struct ref *r, enum ref_kind k, const struct buf *b)
{
	size_t	 i, n = 0;

	switch (k) {
	case REF_STAFF: return (r->nstaff);
	case REF_PERSONS: return (r->npersons);
	case REF_CASES: return (r->ncases);
	case REF_APPOINTMENTS: return (r->nappts);
	default:
		for (i = 0; i < b->len; i++)
			n += b->data[i] == '\n';
		return (n > 0 ? n - 1 : 0);
	}
}

/* wachter import [-d conninfo] KIND FILE.csv */
int
cmd_import(int argc, char **argv)
{
	enum ref_kind	 k;
	struct ref	*r = NULL;
	struct buf	 b;
	PGconn		*c = NULL;
	const char	*conninfo = "";
	char		*cause = NULL;
	int		 rv = 1;

	if (argc == 5 && strcmp(argv[1], "-d") == 0) {
		conninfo = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc != 3 || ref_kind_parse(argv[1], &k) != 0) {
		fprintf(stderr, "usage: wachter import [-d CONNINFO] "
		    "staff|persons|vehicles|cases|appointments|watchlist "
		    "FILE.csv\n");
		return (2);
	}
	buf_init(&b);
	r = ref_new();
	if (slurp_file(argv[2], &b, &cause) != 0 ||
	    ref_load(r, k, (const char *)b.data, b.len, argv[2], &cause) != 0)
		goto out;
	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		xasprintf(&cause, "database: %s", PQerrorMessage(c));
		goto out;
	}
	if (import_store(c, k, &b, import_rows(r, k, &b), &cause) == 0) {
		printf("imported %zu %s rows\n", import_rows(r, k, &b),
		    ref_kind_name(k));
		rv = 0;
	}
out:
	if (cause != NULL)
		fprintf(stderr, "%s\n", cause);
	free(cause);
	PQfinish(c);
	ref_free(r);
	buf_free(&b);
	return (rv);
}
