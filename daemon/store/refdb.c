/*
 * refdb.c: read the reference tables with COPY ... TO STDOUT as CSV in
 * the format of the municipality's exports, so the one CSV loader in
 * lib/enrich validates and indexes them whether they come from a file or
 * from PostgreSQL. Times and dates go out as stored, in a transaction
 * whose TimeZone is UTC and DateStyle ISO (the loader reads PostgreSQL's
 * form of a time too: to_char cost the server more than the loader's
 * rewrite); lists are joined with ';' as in the exports (array_to_string
 * is cheaper for the server than the array's own output). Only the
 * columns the loader reads are sent. Rows come sorted by their key (the
 * order of cases and appointments can decide which one explains a
 * lookup, and must not depend on where rows lie in the table), in the
 * key's own collation, so the server walks the primary key's index
 * instead of sorting: a million cases sorted bytewise (COLLATE "C") cost
 * the server 1.8 s more than walking the index. Case ids, BSNs and
 * appointment ids have one fixed form, which sorts alike in any locale.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/refdb.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define LIST(c)	"array_to_string(" c ", ';') AS " c
#define FLAG(c)	"CASE WHEN " c " THEN '1' ELSE '0' END AS " c

static const char *const refdb_queries[REF_NKINDS] = {
	[REF_STAFF] = "SELECT user_id, surname, department, " LIST("roles")
	    ", team, home_postcode, home_housenumber, bsn, employment_start, "
	    "employment_end, schedule, account_type FROM wachter.staff "
	    "ORDER BY user_id",
	[REF_PERSONS] = "SELECT bsn, surname, given_name, postcode, "
	    "housenumber, " FLAG("secret") ", " FLAG("deceased")
	    " FROM wachter.persons ORDER BY bsn",
	[REF_VEHICLES] = "SELECT kenteken, owner_bsn FROM wachter.vehicles "
	    "ORDER BY kenteken",
	[REF_CASES] = "SELECT case_id, case_type, department, status, "
	    "opened_at, closed_at, " LIST("assignees") ", team, "
	    LIST("subjects") ", registered_at FROM wachter.cases "
	    "ORDER BY case_id",
	[REF_APPOINTMENTS] = "SELECT start_at, end_at, desk_user, bsn, product "
	    "FROM wachter.appointments ORDER BY appointment_id",
	[REF_WATCHLIST] = "SELECT subject, category FROM wachter.watchlist "
	    "ORDER BY subject, category",
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

#define REFDB_PIECE	(4 << 20)	/* rows loaded at a time */

/* What one table's copy is loaded into, piece by piece. */
struct refdb_piece {
	struct ref	*r;
	enum ref_kind	 k;
	struct buf	 b;		/* the header row, then rows */
	size_t		 hlen;		/* bytes of the header row */
	size_t		 skip;		/* lines of rows loaded before */
	size_t		 lines;		/* lines of the rows in b */
	char		*cause;		/* the first piece that failed */
};

/*
 * Load the rows gathered so far under the header, as ref_load_from
 * loads a piece of a file (errors name their line of the whole copy).
 * After a failed piece the rest is only drained.
 */
static void
refdb_piece_load(struct refdb_piece *p)
{
	char	 what[64];

	if (p->cause == NULL) {
		snprintf(what, sizeof what, "database %s",
		    ref_kind_name(p->k));
		if (ref_load_from(p->r, p->k, (const char *)p->b.data, p->b.len,
		    what, p->skip, &p->cause) != 0 && p->cause == NULL)
			p->cause = xstrdup(what);
	}
	p->skip += p->lines;
	p->lines = 0;
	p->b.len = p->hlen;
}

/* Take one row of the copy: the header, or a row of data. */
static void
refdb_piece_add(struct refdb_piece *p, const char *row, size_t n)
{
	const char	*q, *e = row + n;

	buf_add(&p->b, row, n);
	if (p->hlen == 0) {
		p->hlen = p->b.len;
		return;
	}
	/* A quoted cell may hold a newline: count lines, not rows. */
	for (q = row; (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++)
		p->lines++;
	if (p->b.len - p->hlen >= REFDB_PIECE)
		refdb_piece_load(p);
}

/*
 * Copy one table out as CSV with a header and load it while it comes:
 * the parse runs while the server still sends the rest, and the text of
 * a million cases never sits whole in memory.
 */
static int
refdb_copy(PGconn *c, struct ref *ref, enum ref_kind k, char **cause)
{
	struct refdb_piece	 p;
	PGresult		*r;
	char			*sql, *row;
	int			 n;

	xasprintf(&sql, "COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER)",
	    refdb_queries[k]);
	r = PQexec(c, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		xasprintf(cause, "%s", PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	PQclear(r);
	memset(&p, 0, sizeof p);
	p.r = ref;
	p.k = k;
	buf_init(&p.b);
	while ((n = PQgetCopyData(c, &row, 0)) > 0) {
		refdb_piece_add(&p, row, (size_t)n);
		PQfreemem(row);
	}
	refdb_piece_load(&p);
	buf_free(&p.b);
	r = PQgetResult(c);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		free(p.cause);
		xasprintf(&p.cause, "%s", PQerrorMessage(c));
	}
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	if (p.cause == NULL)
		return (0);
	*cause = p.cause;
	return (-1);
}

/* Each table's version (migration 0018); -1 for a table not listed. */
static int
refdb_versions(PGconn *c, int64_t *v, char **cause)
{
	PGresult	*r;
	enum ref_kind	 k;
	int		 i;

	for (i = 0; i < REF_NKINDS; i++)
		v[i] = -1;
	r = PQexec(c, "SELECT name, version FROM wachter.reference_tables");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading reference_tables: %s",
		    PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	for (i = 0; i < PQntuples(r); i++)
		if (ref_kind_parse(PQgetvalue(r, i, 0), &k) == 0)
			v[k] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
	PQclear(r);
	return (0);
}

/*
 * A new store, holding what from loaded first while those tables kept
 * their versions (the longest such prefix of ref_kind_at order), or an
 * empty one.
 */
static struct ref *
refdb_start(const struct ref *from, const int64_t *v)
{
	struct ref	*r = NULL;
	enum ref_kind	 k;
	int		 i;

	for (i = 0; from != NULL && i < REF_NKINDS; i++) {
		k = ref_kind_at(i);
		if (v[k] == -1 || from->version[k] != v[k])
			break;
	}
	if (i > 0)
		r = ref_carry(from, i);
	return (r != NULL ? r : ref_new());
}

/*
 * Load the reference tables in one snapshot into new indexes; also
 * return the version they correspond to. With from (the indexes in use),
 * the tables whose version did not move since from was loaded are carried
 * over from it (ref_carry), as far as the load order allows, instead of
 * being read again.
 */
struct ref *
refdb_load(PGconn *c, const struct ref *from, int64_t *version,
    char **cause)
{
	struct ref	*r = NULL;
	int64_t		 v[REF_NKINDS];
	enum ref_kind	 k;
	int		 i, rv = 0;

	PQclear(PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
	    "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'"));
	if (refdb_version(c, version, cause) != 0 ||
	    refdb_versions(c, v, cause) != 0) {
		PQclear(PQexec(c, "ROLLBACK"));
		return (NULL);
	}
	r = refdb_start(from, v);
	for (i = r->carried; i < REF_NKINDS && rv == 0; i++) {
		k = ref_kind_at(i);
		rv = refdb_copy(c, r, k, cause);
		r->version[k] = v[k];
	}
	PQclear(PQexec(c, "COMMIT"));
	if (rv != 0) {
		ref_free(r);
		return (NULL);
	}
	ref_finish(r);
	return (r);
}

/* For the log: which tables a load carried over, and which it read. */
void
refdb_describe(const struct ref *r, char *out, size_t size)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 0; i < REF_NKINDS; i++) {
		if (i == 0 || i == r->carried)
			buf_printf(&b, "%s%s ", i > 0 ? "; " : "",
			    i < r->carried ? "kept" : "read");
		else
			buf_adds(&b, ", ");
		buf_adds(&b, ref_kind_name(ref_kind_at(i)));
	}
	snprintf(out, size, "%s", buf_cstr(&b));
	buf_free(&b);
}
