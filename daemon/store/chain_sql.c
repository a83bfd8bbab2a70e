/*
 * chain_sql.c: INSERT statements for chain records, checkpoints and
 * certificates, and the binary-format read path for verify and for
 * restoring the writer. Times cross the wire as integer microseconds and
 * become timestamptz in SQL ('epoch' + n microseconds), so neither the
 * session's TimeZone nor its DateStyle can change what is stored.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "chain_sql.h"
#include "store/db.h"
#include "util/xmalloc.h"

#define CHAIN_SQL_TS(n)	"timestamptz 'epoch' + $" #n "::bigint * interval '1 microsecond'"
#define CHAIN_PG_EPOCH	946684800000000LL	/* 2000-01-01 in µs since 1970 */

static const char chain_sql_insert_record[] =
    "INSERT INTO wachter.chain_record (seq, epoch, recorded_at, leaf_hash, "
    "kind, severity, incident, user_name, first_at, last_at, score, rules, "
    "event_ids, subjects, summary, explanation, record, mac) VALUES ($1, $2, "
    CHAIN_SQL_TS(3) ", $4, $5, $6, $7, $8, "
    "CASE WHEN $9::bigint IS NULL THEN NULL ELSE " CHAIN_SQL_TS(9) " END, "
    "CASE WHEN $10::bigint IS NULL THEN NULL ELSE " CHAIN_SQL_TS(10) " END, "
    "$11, $12::text[], $13::text[], $14::text[], $15, $16, $17, $18)";

/*
 * The same rows, many at once: each column an array parameter (binary
 * format), the times and text arrays converted as one row's are.
 */
#define CHAIN_SQL_US(c)	\
    "timestamptz 'epoch' + " c " * interval '1 microsecond'"
static const char chain_sql_insert_records[] =
    "INSERT INTO wachter.chain_record (seq, epoch, recorded_at, leaf_hash, "
    "kind, severity, incident, user_name, first_at, last_at, score, rules, "
    "event_ids, subjects, summary, explanation, record, mac) SELECT seq, "
    "epoch, " CHAIN_SQL_US("t") ", leaf, kind, severity, incident, u, "
    CHAIN_SQL_US("f") ", " CHAIN_SQL_US("l") ", score, rules::text[], "
    "ev::text[], subj::text[], summary, expl, rec, mac FROM unnest("
    "$1::bigint[], $2::bigint[], $3::bigint[], $4::bytea[], $5::text[], "
    "$6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], "
    "$11::bigint[], $12::text[], $13::text[], $14::text[], $15::text[], "
    "$16::text[], $17::bytea[], $18::bytea[]) AS r(seq, epoch, t, leaf, "
    "kind, severity, incident, u, f, l, score, rules, ev, subj, summary, "
    "expl, rec, mac)";
static const uint32_t chain_sql_record_types[] = { DB_INT8, DB_INT8,
    DB_INT8, DB_BYTEA, DB_TEXT, DB_TEXT, DB_TEXT, DB_TEXT, DB_INT8, DB_INT8,
    DB_INT8, DB_TEXT, DB_TEXT, DB_TEXT, DB_TEXT, DB_TEXT, DB_BYTEA,
    DB_BYTEA };

static const char chain_sql_insert_checkpoint[] =
    "INSERT INTO wachter.chain_checkpoint (n, epoch, tree_size, signed_at, "
    "root_hash, seal, note) VALUES ($1, $2, $3, " CHAIN_SQL_TS(4) ", $5, $6, "
    "$7)";

static const char chain_sql_insert_certificate[] =
    "INSERT INTO wachter.chain_certificate (epoch, note) VALUES ($1, $2) "
    "ON CONFLICT (epoch) DO NOTHING";

/* Add a text parameter (NULL for SQL NULL). */
static void
chain_sql_text(struct chain_sql_stmt *st, char *s)
{
	st->values[st->n] = s;
	st->lengths[st->n] = 0;
	st->formats[st->n++] = 0;
}

/* Add a binary (bytea) parameter. */
static void
chain_sql_bin(struct chain_sql_stmt *st, const void *p, size_t len)
{
	st->values[st->n] = xmalloc(len ? len : 1);
	memcpy(st->values[st->n], p, len);
	st->lengths[st->n] = (int)len;
	st->formats[st->n++] = 1;
}

/* Add an integer parameter. */
static void
chain_sql_int(struct chain_sql_stmt *st, int64_t v)
{
	char	*s;

	xasprintf(&s, "%" PRId64, v);
	chain_sql_text(st, s);
}

/* An array literal of texts: every element quoted, " and \ escaped. */
static char *
chain_sql_array(char **l, size_t n)
{
	struct buf	 b;
	const char	*p;
	size_t		 i;
	char		*s;

	buf_init(&b);
	buf_addc(&b, '{');
	for (i = 0; i < n; i++) {
		buf_adds(&b, i ? ",\"" : "\"");
		for (p = l[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, (uint8_t)*p);
		}
		buf_addc(&b, '"');
	}
	buf_addc(&b, '}');
	s = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return (s);
}

/* The INSERT of one appended record. */
void
chain_sql_record(struct chain_sql_stmt *st, const struct chain_append *o)
{
	const struct alert *a = o->alert;

	memset(st, 0, sizeof *st);
	st->sql = chain_sql_insert_record;
	chain_sql_int(st, (int64_t)o->seq);
	chain_sql_int(st, o->epoch);
	chain_sql_int(st, o->time_us);
	chain_sql_bin(st, o->leaf, MERKLE_HASH);
	chain_sql_text(st, xstrdup(a->kind == ALERT_ADDENDUM ? "addendum" :
	    a->kind == ALERT_EXPLAINED ? "explained" : "new"));
	chain_sql_text(st, xstrdup(alert_severity_name(a->severity)));
	chain_sql_text(st, xstrdup(a->incident));
	chain_sql_text(st, xstrdup(a->user));
	if (a->first_ts == EV_TS_NONE)
		chain_sql_text(st, NULL);
	else
		chain_sql_int(st, a->first_ts);
	if (a->last_ts == EV_TS_NONE)
		chain_sql_text(st, NULL);
	else
		chain_sql_int(st, a->last_ts);
	chain_sql_int(st, a->score);
	chain_sql_text(st, chain_sql_array(a->rules, a->nrules));
	chain_sql_text(st, chain_sql_array(a->events, a->nevents));
	chain_sql_text(st, chain_sql_array(a->subjects, a->nsubjects));
	chain_sql_text(st, xstrdup(a->summary ? a->summary : ""));
	chain_sql_text(st, xstrdup(a->explanation ? a->explanation : ""));
	chain_sql_bin(st, o->record.data, o->record.len);
	if (o->hasmac)
		chain_sql_bin(st, o->mac, CHAIN_MAC);
	else
		chain_sql_text(st, NULL);
}

/* An event time (µs) or NULL. */
static void
chain_sql_batch_ts(struct db_batch *b, int64_t ts)
{
	if (ts == EV_TS_NONE)
		db_batch_null(b);
	else
		db_batch_int(b, ts);
}

/* A text array as its literal (as chain_sql_record sends it). */
static void
chain_sql_batch_array(struct db_batch *b, char **l, size_t n)
{
	char	*s = chain_sql_array(l, n);

	db_batch_text(b, s);
	free(s);
}

/*
 * One appended record as a row of txn's batch of records: the row
 * chain_sql_record would insert, with many rows to a statement.
 */
void
chain_sql_record_row(struct db_txn *txn, const struct chain_append *o)
{
	const struct alert *a = o->alert;
	struct db_batch	*b;

	b = db_txn_batch(txn, chain_sql_insert_records,
	    (int)(sizeof chain_sql_record_types /
	    sizeof chain_sql_record_types[0]), chain_sql_record_types);
	db_batch_int(b, (int64_t)o->seq);
	db_batch_int(b, o->epoch);
	db_batch_int(b, o->time_us);
	db_batch_bin(b, o->leaf, MERKLE_HASH);
	db_batch_text(b, a->kind == ALERT_ADDENDUM ? "addendum" :
	    a->kind == ALERT_EXPLAINED ? "explained" : "new");
	db_batch_text(b, alert_severity_name(a->severity));
	db_batch_text(b, a->incident);
	db_batch_text(b, a->user);
	chain_sql_batch_ts(b, a->first_ts);
	chain_sql_batch_ts(b, a->last_ts);
	db_batch_int(b, a->score);
	chain_sql_batch_array(b, a->rules, a->nrules);
	chain_sql_batch_array(b, a->events, a->nevents);
	chain_sql_batch_array(b, a->subjects, a->nsubjects);
	db_batch_text(b, a->summary ? a->summary : "");
	db_batch_text(b, a->explanation ? a->explanation : "");
	db_batch_bin(b, o->record.data, o->record.len);
	if (o->hasmac)
		db_batch_bin(b, o->mac, CHAIN_MAC);
	else
		db_batch_null(b);
}

/* The INSERT of one signed checkpoint. */
void
chain_sql_checkpoint(struct chain_sql_stmt *st,
    const struct chain_checkpoint *c, const struct buf *note)
{
	memset(st, 0, sizeof *st);
	st->sql = chain_sql_insert_checkpoint;
	chain_sql_int(st, (int64_t)c->n);
	chain_sql_int(st, c->epoch);
	chain_sql_int(st, (int64_t)c->size);
	chain_sql_int(st, c->time_us);
	chain_sql_bin(st, c->root, MERKLE_HASH);
	chain_sql_text(st, xstrdup(c->seal ? "true" : "false"));
	chain_sql_bin(st, note->data, note->len);
}

/* The INSERT of the root's epoch certificate (idempotent). */
void
chain_sql_certificate(struct chain_sql_stmt *st, uint32_t epoch,
    const struct buf *note)
{
	memset(st, 0, sizeof *st);
	st->sql = chain_sql_insert_certificate;
	chain_sql_int(st, epoch);
	chain_sql_bin(st, note->data, note->len);
}

/* Free a statement's parameters. */
void
chain_sql_stmt_free(struct chain_sql_stmt *st)
{
	int	 i;

	for (i = 0; i < st->n; i++)
		free(st->values[i]);
	st->n = 0;
}

/* Run a statement synchronously. */
int
chain_sql_exec(PGconn *conn, struct chain_sql_stmt *st, char **cause)
{
	PGresult	*res;
	int		 rc = 0;

	res = PQexecParams(conn, st->sql, st->n, NULL,
	    (const char *const *)st->values, st->lengths, st->formats, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		xasprintf(cause, "%s", PQresultErrorMessage(res));
		rc = -1;
	}
	PQclear(res);
	return (rc);
}

/* A big-endian integer from a binary-format value. */
int64_t
chain_sql_be(const PGresult *res, int row, int col)
{
	const uint8_t	*p = (const uint8_t *)PQgetvalue(res, row, col);
	int		 i, n = PQgetlength(res, row, col);
	uint64_t	 v = 0;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	if (n == 4)
		return ((int32_t)(uint32_t)v);
	return ((int64_t)v);
}

/* A timestamptz (µs since 2000) as µs since 1970, or EV_TS_NONE if NULL. */
int64_t
chain_sql_ts(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return (EV_TS_NONE);
	return (chain_sql_be(res, row, col) + CHAIN_PG_EPOCH);
}

/* Run a query with binary results; NULL and *cause on failure. */
PGresult *
chain_sql_query(PGconn *conn, const char *sql, char **cause)
{
	PGresult	*res;

	res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK) {
		xasprintf(cause, "%s", PQresultErrorMessage(res));
		PQclear(res);
		return (NULL);
	}
	return (res);
}

/* Run a statement whose result is not needed. */
int
chain_sql_command(PGconn *conn, const char *sql, char **cause)
{
	PGresult	*res = chain_sql_query(conn, sql, cause);

	PQclear(res);
	return (res == NULL ? -1 : 0);
}

/*
 * Replay the stored records (hashing their bytes, never trusting the
 * leaf_hash column) and the last checkpoint into a fresh writer. The
 * epoch of the last seal comes back in *sealed (0 if none): if the key file
 * still holds that epoch, the daemon crashed between committing the seal
 * and storing the next seed, and must ratchet once before appending.
 */
int
chain_sql_restore(PGconn *conn, struct chain_writer *w, uint32_t *sealed,
    char **cause)
{
	PGresult	*res;
	merkle_hash	 leaf;
	int		 i;

	*sealed = 0;
	res = chain_sql_query(conn, "SELECT record, recorded_at FROM "
	    "wachter.chain_record ORDER BY seq", cause);
	if (res == NULL)
		return (-1);
	for (i = 0; i < PQntuples(res); i++) {
		merkle_leaf(leaf, (const uint8_t *)PQgetvalue(res, i, 0),
		    PQgetlength(res, i, 0));
		chain_writer_restore_leaf(w, leaf, chain_sql_ts(res, i, 1));
	}
	PQclear(res);
	res = chain_sql_query(conn, "SELECT n, signed_at, (SELECT max(epoch) "
	    "FROM wachter.chain_checkpoint WHERE seal) FROM "
	    "wachter.chain_checkpoint ORDER BY n DESC LIMIT 1", cause);
	if (res == NULL)
		return (-1);
	if (PQntuples(res) == 1) {
		chain_writer_restore_checkpoint(w, chain_sql_be(res, 0, 0),
		    chain_sql_ts(res, 0, 1));
		if (!PQgetisnull(res, 0, 2))
			*sealed = (uint32_t)chain_sql_be(res, 0, 2);
	}
	PQclear(res);
	return (0);
}
