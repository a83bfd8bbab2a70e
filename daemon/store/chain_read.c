/*
 * chain_read.c: read a stored chain for `wachter verify`, `export` and
 * `adopt` in bounded memory: one REPEATABLE READ READ ONLY snapshot shared
 * by two connections, the records fetched page by page from a cursor on
 * one (the next page asked for before this one is checked) while the
 * checkpoints are fetched in pages from a cursor on the other, all in binary format, so neither the length of the chain nor a
 * session setting changes what is compared. Also the findings only a database has: the
 * daemon's alarms, certificate rows other than epoch 1's, and append-only
 * triggers that are not enabled ALWAYS.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store/chain_read.h"
#include "store/chain_sql.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define CHAIN_READ_PAGE	"FETCH 5000 FROM "
#define CHAIN_READ_ROWS	"FETCH 2000 FROM chain_read_r"

static const char chain_read_select_records[] =
    "DECLARE chain_read_r NO SCROLL CURSOR FOR SELECT seq, epoch, recorded_at, leaf_hash, kind, severity, incident, "
    "user_name, first_at, last_at, score, rules, event_ids, subjects, "
    "summary, explanation, record FROM wachter.chain_record ORDER BY seq";
static const char chain_read_select_checkpoints[] =
    "DECLARE chain_read_c NO SCROLL CURSOR FOR SELECT n, epoch, tree_size, signed_at, root_hash, seal, note "
    "FROM wachter.chain_checkpoint ORDER BY n";


/* Read a big-endian 32-bit signed integer at p (-1 marks NULL). */
static int32_t
chain_read_get32(const uint8_t *p)
{
	return ((int32_t)(uint32_t)be_get(p, 4));
}

/*
 * A text[] in binary format: dimensions, a null flag, the element type,
 * then per dimension its length and lower bound; -1 unless it is empty or
 * one-dimensional, indexed from 1 and without NULL elements.
 */
static int
chain_read_array_get(const PGresult *res, int row, int col, char ***list,
    size_t *n)
{
	const uint8_t	*p = (const uint8_t *)PQgetvalue(res, row, col);
	size_t		 len = PQgetlength(res, row, col), off = 20;
	int32_t		 ndim, count, i, ilen;

	*list = NULL;
	*n = 0;
	if (len < 12 || (ndim = chain_read_get32(p)) == 0)
		return (len < 12 ? -1 : 0);
	if (ndim != 1 || len < 20 || (count = chain_read_get32(p + 12)) < 0 ||
	    chain_read_get32(p + 16) != 1)
		return (-1);
	*list = xcalloc((size_t)count + 1, sizeof **list);
	for (i = 0; i < count; i++) {
		if (len - off < 4 || (ilen = chain_read_get32(p + off)) < 0 ||
		    (size_t)ilen > len - off - 4)
			return (-1);
		(*list)[(*n)++] = xstrndup((const char *)p + off + 4, ilen);
		off += 4 + ilen;
	}
	return (0);
}

/* Copy a text value into a fixed-size field, cut if too long. */
static void
chain_read_fixed(char *dst, size_t size, const PGresult *res, int row, int col)
{
	size_t	 n = PQgetlength(res, row, col);

	if (n >= size)
		n = size - 1;
	memcpy(dst, PQgetvalue(res, row, col), n);
	dst[n] = '\0';
}

/* The typed columns of one record row, as an alert; *bad names a bad array. */
static struct alert *
chain_read_alert(const PGresult *res, int i, const char **bad)
{
	struct alert		*a = alert_new();
	enum alert_severity	 sev = ALERT_INFO;

	a->kind = strcmp(PQgetvalue(res, i, 4), "addendum") == 0 ?
	    ALERT_ADDENDUM : strcmp(PQgetvalue(res, i, 4), "explained") == 0 ?
	    ALERT_EXPLAINED : ALERT_NEW;
	if (alert_severity_parse(PQgetvalue(res, i, 5), &sev) != 0)
		sev = 0xff;
	a->severity = sev;
	chain_read_fixed(a->incident, sizeof a->incident, res, i, 6);
	chain_read_fixed(a->user, sizeof a->user, res, i, 7);
	a->first_ts = chain_sql_ts(res, i, 8);
	a->last_ts = chain_sql_ts(res, i, 9);
	a->score = (int32_t)chain_sql_be(res, i, 10);
	*bad = NULL;
	if (chain_read_array_get(res, i, 11, &a->rules, &a->nrules) != 0)
		*bad = "rules";
	else if (chain_read_array_get(res, i, 12, &a->events, &a->nevents) != 0)
		*bad = "event_ids";
	else if (chain_read_array_get(res, i, 13, &a->subjects,
	    &a->nsubjects) != 0)
		*bad = "subjects";
	a->summary = xstrndup(PQgetvalue(res, i, 14), PQgetlength(res, i, 14));
	a->explanation = xstrndup(PQgetvalue(res, i, 15),
	    PQgetlength(res, i, 15));
	return (a);
}

/*
 * The daemon's alarms (migration 0010), one line each for the auditor:
 * when and why it refused to sign; an error unless its id is at most seen
 * (acknowledged after an investigation), then a warning. The reason is
 * escaped: the table is writable by the daemon's role.
 */
static int
chain_read_alarms(PGconn *conn, int64_t seen, struct buf *out, size_t *nerr,
    char **cause)
{
	PGresult	*res;
	const uint8_t	*p;
	int64_t		 id;
	int		 i, j, len;

	*nerr = 0;
	res = chain_sql_query(conn, "SELECT to_regclass('wachter.chain_alarm') "
	    "IS NULL", cause);
	if (res == NULL)
		return (-1);
	i = PQgetvalue(res, 0, 0)[0];
	PQclear(res);
	if (i)
		return (0);	/* before migration 0010 */
	res = chain_sql_query(conn, "SELECT id, at, reason FROM "
	    "wachter.chain_alarm ORDER BY id", cause);
	if (res == NULL)
		return (-1);
	for (i = 0; i < PQntuples(res); i++) {
		id = chain_sql_be(res, i, 0);
		if (id > seen)
			(*nerr)++;
		buf_printf(out, "%s: the daemon refused to sign (alarm %" PRId64
		    " at %" PRId64 " µs: ", id > seen ? "error" : "warning", id,
		    chain_sql_ts(res, i, 1));
		p = (const uint8_t *)PQgetvalue(res, i, 2);
		len = PQgetlength(res, i, 2);
		for (j = 0; j < len && j < 1000; j++) {
			if (p[j] >= 0x20 && p[j] < 0x7f)
				buf_addc(out, p[j]);
			else
				buf_printf(out, "\\x%02x", p[j]);
		}
		buf_adds(out, ")\n");
	}
	PQclear(res);
	return (0);
}

/* The certificate; rows for other epochs are findings. */
static int
chain_read_cert(struct chain_read *r, char **cause)
{
	PGresult	*res;
	int		 i;

	res = chain_sql_query(r->conn, "SELECT epoch, note FROM "
	    "wachter.chain_certificate ORDER BY epoch", cause);
	if (res == NULL)
		return (-1);
	for (i = 0; i < PQntuples(res); i++) {
		if (chain_sql_be(res, i, 0) == 1) {
			buf_add(&r->cert, PQgetvalue(res, i, 1),
			    PQgetlength(res, i, 1));
			continue;
		}
		buf_printf(&r->findings, "error: a certificate row for epoch %"
		    PRId64 ": the root certifies only epoch 1, later epochs "
		    "are certified by seals (inserted row)\n",
		    chain_sql_be(res, i, 0));
		r->nerr++;
	}
	PQclear(res);
	return (0);
}

/* The append-only triggers must exist and fire ALWAYS. */
static int
chain_read_triggers(struct chain_read *r, char **cause)
{
	static const char *const tables[] = {
		"chain_certificate", "chain_record", "chain_checkpoint"
	};
	PGresult	*res;
	char		*sql;
	size_t		 i;
	int		 k;

	for (i = 0; i < sizeof tables / sizeof *tables; i++) {
		for (k = 0; k < 2; k++) {
			xasprintf(&sql, "SELECT tgenabled FROM pg_trigger WHERE "
			    "tgrelid = 'wachter.%s'::regclass AND tgname = "
			    "'%s_no_%s'", tables[i], tables[i],
			    k ? "truncate" : "change");
			res = chain_sql_query(r->conn, sql, cause);
			free(sql);
			if (res == NULL)
				return (-1);
			if (PQntuples(res) != 1 || PQgetvalue(res, 0, 0)[0] != 'A') {
				buf_printf(&r->findings, "error: the append-only "
				    "trigger %s_no_%s is %s (the table's "
				    "protection was changed by a superuser)\n",
				    tables[i], k ? "truncate" : "change",
				    PQntuples(res) != 1 ? "missing" :
				    "not enabled ALWAYS");
				r->nerr++;
			}
			PQclear(res);
		}
	}
	return (0);
}

/*
 * A second connection in the same snapshot, for the checkpoints, so the
 * records can stream on the first one while they are verified.
 */
static int
chain_read_second(struct chain_read *r, const char *conninfo, char **cause)
{
	PGresult	*res;
	char		*sql;
	int		 rc;

	res = chain_sql_query(r->conn, "SELECT pg_export_snapshot()", cause);
	if (res == NULL)
		return (-1);
	xasprintf(&sql, "SET TRANSACTION SNAPSHOT '%.*s'",
	    (int)strspn(PQgetvalue(res, 0, 0), "0123456789ABCDEF-"),
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	r->cpconn = PQconnectdb(conninfo);
	if (PQstatus(r->cpconn) != CONNECTION_OK) {
		*cause = xstrdup(PQerrorMessage(r->cpconn));
		free(sql);
		return (-1);
	}
	rc = chain_sql_command(r->cpconn, "BEGIN ISOLATION LEVEL REPEATABLE "
	    "READ READ ONLY", cause) != 0 ||
	    chain_sql_command(r->cpconn, sql, cause) != 0 ||
	    chain_sql_command(r->cpconn, chain_read_select_checkpoints,
	    cause) != 0 ? -1 : 0;
	free(sql);
	return (rc);
}

/*
 * Ask for the next page of records, in binary. The server reads it while
 * the page before is checked; pages, not single rows, because a result
 * a row costs the client more than the hashing.
 */
static int
chain_read_ask(struct chain_read *r, char **cause)
{
	if (!PQsendQueryParams(r->conn, CHAIN_READ_ROWS, 0, NULL, NULL, NULL,
	    NULL, 1)) {
		*cause = xstrdup(PQerrorMessage(r->conn));
		return (-1);
	}
	r->streaming = 1;
	return (0);
}

/* Open the records' cursor and ask for the first page. */
static int
chain_read_stream(struct chain_read *r, char **cause)
{
	if (chain_sql_command(r->conn, chain_read_select_records, cause) != 0)
		return (-1);
	return (chain_read_ask(r, cause));
}

/* Start reading: snapshot, certificate, findings, cursors. */
int
chain_read_open(struct chain_read *r, PGconn *conn, const char *conninfo,
    int64_t alarms_seen, int typed, char **cause)
{
	size_t	 n;

	memset(r, 0, sizeof *r);
	r->conn = conn;
	r->typed = typed;
	buf_init(&r->cert);
	buf_init(&r->findings);
	if (PQsetClientEncoding(conn, "UTF8") != 0) {
		*cause = xstrdup("cannot set client_encoding to UTF8");
		return (-1);
	}
	if (chain_sql_command(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ "
	    "READ ONLY", cause) != 0)
		return (-1);
	if (chain_read_cert(r, cause) != 0 ||
	    chain_read_alarms(conn, alarms_seen, &r->findings, &n, cause) != 0 ||
	    chain_read_triggers(r, cause) != 0 ||
	    chain_read_second(r, conninfo, cause) != 0 ||
	    chain_read_stream(r, cause) != 0) {
		chain_read_close(r, NULL);
		return (-1);
	}
	r->nerr += n;
	return (0);
}

/* Fetch the next page of a cursor into *res; 0 rows at the end. */
static int
chain_read_fetch(struct chain_read *r, const char *cursor, PGresult **res)
{
	char	*sql;

	PQclear(*res);
	xasprintf(&sql, CHAIN_READ_PAGE "%s", cursor);
	*res = chain_sql_query(r->cpconn, sql, &r->cause);
	free(sql);
	return (*res == NULL ? -1 : 0);
}

/* The end of the record stream: drain it; -1 if it ended in an error. */
static int
chain_read_drain(struct chain_read *r)
{
	PGresult	*res;
	int		 ok = 1;

	while ((res = PQgetResult(r->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_TUPLES_OK &&
		    PQresultStatus(res) != PGRES_SINGLE_TUPLE && ok) {
			free(r->cause);
			r->cause = xstrdup(PQresultErrorMessage(res));
			ok = 0;
		}
		PQclear(res);
	}
	r->streaming = 0;
	return (ok ? 0 : -1);
}

/*
 * Take the page of records asked for and ask for the next: 1, or 0 at
 * the end, -1 on error (in r->cause).
 */
static int
chain_read_page(struct chain_read *r)
{
	PGresult	*res;

	PQclear(r->rres);
	r->rres = NULL;
	if (!r->streaming)
		return (r->cause != NULL ? -1 : 0);
	res = PQgetResult(r->conn);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		if (r->cause == NULL)
			r->cause = xstrdup(res != NULL ?
			    PQresultErrorMessage(res) : "no result");
		PQclear(res);
		(void)chain_read_drain(r);
		return (-1);
	}
	if (chain_read_drain(r) != 0 || PQntuples(res) == 0) {
		PQclear(res);
		return (r->cause != NULL ? -1 : 0);
	}
	r->rres = res;
	r->ri = 0;
	return (chain_read_ask(r, &r->cause) != 0 ? -1 : 1);
}

/* The next record (a chain_next_row for chain_verify_feed). */
int
chain_read_row(void *arg, const struct chain_row **out)
{
	struct chain_read	*r = arg;
	struct chain_row	*row = &r->row;
	const PGresult		*res;
	int			 i, rc;

	alert_free(row->alert);
	row->alert = NULL;
	if ((r->rres == NULL || r->ri >= PQntuples(r->rres)) &&
	    (rc = chain_read_page(r)) != 1)
		return (rc);
	res = r->rres;
	i = r->ri++;
	row->seq = chain_sql_be(res, i, 0);
	row->record = (const uint8_t *)PQgetvalue(res, i, 16);
	row->len = PQgetlength(res, i, 16);
	row->typed = r->typed;
	row->epoch = (int32_t)chain_sql_be(res, i, 1);
	row->time_us = chain_sql_ts(res, i, 2);
	memset(row->leaf, 0, MERKLE_HASH);
	if (PQgetlength(res, i, 3) == MERKLE_HASH)
		memcpy(row->leaf, PQgetvalue(res, i, 3), MERKLE_HASH);
	if (r->typed)
		row->alert = chain_read_alert(res, i, &row->bad_column);
	r->nrows++;
	*out = row;
	return (1);
}

/* The next checkpoint (a chain_next_cp for chain_verify_feed). */
int
chain_read_cp(void *arg, const struct chain_cprow **out)
{
	struct chain_read	*r = arg;
	struct chain_cprow	*c = &r->cp;
	const PGresult		*res;
	int			 i;

	if (r->cres == NULL || r->ci >= PQntuples(r->cres)) {
		if (chain_read_fetch(r, "chain_read_c", &r->cres) != 0)
			return (-1);
		r->ci = 0;
	}
	if (PQntuples(r->cres) == 0)
		return (0);
	res = r->cres;
	i = r->ci++;
	c->n = chain_sql_be(res, i, 0);
	c->typed = r->typed;
	c->epoch = (int32_t)chain_sql_be(res, i, 1);
	c->size = chain_sql_be(res, i, 2);
	c->time_us = chain_sql_ts(res, i, 3);
	memset(c->root, 0, MERKLE_HASH);
	if (PQgetlength(res, i, 4) == MERKLE_HASH)
		memcpy(c->root, PQgetvalue(res, i, 4), MERKLE_HASH);
	c->seal = PQgetvalue(res, i, 5)[0] != 0;
	c->note = PQgetvalue(res, i, 6);
	c->len = PQgetlength(res, i, 6);
	r->ncps++;
	*out = c;
	return (1);
}

/* Stop the server sending rows nobody will read. */
static void
chain_read_cancel(struct chain_read *r)
{
	PGcancel	*c;
	char		 err[256];

	if ((c = PQgetCancel(r->conn)) != NULL) {
		(void)PQcancel(c, err, sizeof err);
		PQfreeCancel(c);
	}
}

/* End the snapshot and free everything; cause may be NULL. */
int
chain_read_close(struct chain_read *r, char **cause)
{
	char	*why = NULL;
	int	 rc;

	alert_free(r->row.alert);
	PQclear(r->rres);
	PQclear(r->cres);
	if (r->streaming) {
		chain_read_cancel(r);
		(void)chain_read_drain(r);
	}
	if (r->cpconn != NULL)
		PQfinish(r->cpconn);
	rc = chain_sql_command(r->conn, "COMMIT", &why);
	if (rc != 0 && cause != NULL)
		*cause = why;
	else
		free(why);
	buf_free(&r->cert);
	buf_free(&r->findings);
	free(r->cause);
	memset(r, 0, sizeof *r);
	return (rc);
}
