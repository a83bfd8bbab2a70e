/*
 * refdb.c: read the reference tables with COPY ... TO STDOUT as CSV in the
 * very format of the municipality's exports, so the one CSV loader in
 * lib/enrich validates and indexes them whether they come from a file or
 * from PostgreSQL. Times are written out explicitly in UTC: nothing here
 * depends on the session's TimeZone or DateStyle.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/refdb.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define TS(c)	"to_char(" c " AT TIME ZONE 'UTC', " \
		"'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') AS " c
#define DAY(c)	"to_char(" c ", 'YYYY-MM-DD') AS " c
#define LIST(c)	"array_to_string(" c ", ';') AS " c
#define FLAG(c)	"CASE WHEN " c " THEN '1' ELSE '0' END AS " c

static const char *const refdb_queries[REF_NKINDS] = {
	[REF_STAFF] = "SELECT user_id, display_name, surname, department, "
	    LIST("roles") ", team, home_postcode, home_housenumber, bsn, "
	    DAY("employment_start") ", " DAY("employment_end") ", schedule, "
	    "account_type FROM wachter.staff ORDER BY user_id",
	[REF_PERSONS] = "SELECT bsn, surname, given_name, " DAY("birth_date")
	    ", postcode, housenumber, " FLAG("secret") ", " FLAG("deceased")
	    " FROM wachter.persons ORDER BY bsn",
	[REF_VEHICLES] = "SELECT kenteken, owner_bsn FROM wachter.vehicles "
	    "ORDER BY kenteken",
	[REF_CASES] = "SELECT case_id, case_type, department, status, "
	    TS("opened_at") ", " TS("closed_at") ", " LIST("assignees")
	    ", team, " LIST("subjects") ", " TS("registered_at")
	    " FROM wachter.cases ORDER BY case_id",
	[REF_APPOINTMENTS] = "SELECT appointment_id, " TS("start_at") ", "
	    TS("end_at") ", desk_user, bsn, product FROM wachter.appointments "
	    "ORDER BY appointment_id",
	[REF_WATCHLIST] = "SELECT subject, category, note FROM "
	    "wachter.watchlist ORDER BY subject, category",
};

/* The version counter bumped by every change to a reference table. */
int
refdb_version(PGconn *c, int64_t *version, char **cause)
{
	PGresult	*r;

	r = PQexec(c, "SELECT version FROM wachter.reference_version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		xasprintf(cause, "reading reference_version: %s",
		    PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	*version = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return (0);
}

/* Copy one table out as CSV text with a header. */
static int
refdb_copy(PGconn *c, const char *query, struct buf *out, char **cause)
{
	PGresult	*r;
	char		*sql, *row;
	int		 n;

	xasprintf(&sql, "COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER)",
	    query);
	r = PQexec(c, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		xasprintf(cause, "%s", PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	PQclear(r);
	while ((n = PQgetCopyData(c, &row, 0)) > 0) {
		buf_add(out, row, (size_t)n);
		PQfreemem(row);
	}
	r = PQgetResult(c);
	n = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
	if (n != 0)
		xasprintf(cause, "%s", PQerrorMessage(c));
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	return (n);
}

/*
 * Load all reference tables in one snapshot into new indexes; also return
 * the version they correspond to.
 */
struct ref *
refdb_load(PGconn *c, int64_t *version, char **cause)
{
	struct ref	*r;
	struct buf	 b;
	char		 what[64];
	int		 k, rv = 0;

	PQclear(PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
	if (refdb_version(c, version, cause) != 0) {
		PQclear(PQexec(c, "ROLLBACK"));
		return (NULL);
	}
	r = ref_new();
	buf_init(&b);
	for (k = 0; k < REF_NKINDS && rv == 0; k++) {
		buf_reset(&b);
		snprintf(what, sizeof what, "database %s",
		    ref_kind_name((enum ref_kind)k));
		if (refdb_copy(c, refdb_queries[k], &b, cause) != 0 ||
		    ref_load(r, (enum ref_kind)k, (const char *)b.data, b.len,
		    what, cause) != 0)
			rv = -1;
	}
	PQclear(PQexec(c, "COMMIT"));
	buf_free(&b);
	if (rv != 0) {
		ref_free(r);
		return (NULL);
	}
	ref_finish(r);
	return (r);
}
