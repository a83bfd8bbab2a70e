/*
 * histstore.c: the officers' histories as the chain covers them. Rows
 * are read in binary format (times as integer microseconds computed by
 * the same expression as the SQL hash), so no session setting changes
 * what is hashed, and each row's hash is recomputed in lib/chain.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/note.h"
#include "store/histstore.h"
#include "util/xmalloc.h"

#define HIST_LIMIT	10000	/* rows per history per read */
#define HIST_US		"(extract(epoch FROM at) * 1000000)::bigint"

/* Both histories after the given counts, in order. */
static const char histstore_sql[] =
    "(SELECT 0::bigint, n, scope, target, status, note, officer, " HIST_US
    ", prev_hash, hash FROM wachter.decision WHERE n > $1 ORDER BY n "
    "LIMIT 10000) UNION ALL "
    "(SELECT 1::bigint, n, what, incident, handle, reason, who, " HIST_US
    ", prev_hash, hash FROM wachter.access_log WHERE n > $2 ORDER BY n "
    "LIMIT 10000) ORDER BY 1, 2";

/* A big-endian int8 of a binary result. */
static int64_t
histstore_int8(const PGresult *r, int i, int col)
{
	const uint8_t	*p = (const uint8_t *)PQgetvalue(r, i, col);
	uint64_t	 v = 0;
	int		 k;

	if (PQgetlength(r, i, col) != 8)
		return (-1);
	for (k = 0; k < 8; k++)
		v = v << 8 | p[k];
	return ((int64_t)v);
}

/* Row i of a read; the history it belongs to, or -1 if malformed. */
static int
histstore_row(const PGresult *r, int i, struct chain_hrow *row)
{
	int64_t	 which;
	int	 k;

	if (PQnfields(r) != 10 || PQgetlength(r, i, 8) != MERKLE_HASH ||
	    PQgetlength(r, i, 9) != MERKLE_HASH)
		return (-1);
	which = histstore_int8(r, i, 0);
	row->n = (uint64_t)histstore_int8(r, i, 1);
	for (k = 0; k < CHAIN_HIST_FIELDS; k++)
		row->f[k] = PQgetvalue(r, i, 2 + k);
	row->at_us = histstore_int8(r, i, 7);
	memcpy(row->prev, PQgetvalue(r, i, 8), MERKLE_HASH);
	memcpy(row->hash, PQgetvalue(r, i, 9), MERKLE_HASH);
	return (which >= 0 && which < CHAIN_HISTS ? (int)which : -1);
}

/* Add to txn the read of the rows after heads h; cb gets them. */
void
histstore_txn_read(struct db_txn *txn, const struct chain_hhead h[],
    db_rows_cb cb, void *arg)
{
	struct db_stmt	*s;
	int		 i;

	s = db_txn_add(txn, histstore_sql, CHAIN_HISTS);
	for (i = 0; i < CHAIN_HISTS; i++)
		db_stmt_int(s, i, (long long)h[i].n);
	db_txn_rows(txn, cb, arg);
}

/*
 * Take the rows of a read onto heads h. A history stops at its first row
 * that does not hold; -1 then, with the cause (the first one).
 */
int
histstore_take(const PGresult *r, struct chain_hhead h[], char **cause)
{
	struct chain_hrow	 row;
	int			 bad[CHAIN_HISTS] = { 0 };
	int			 i, w, rc = 0;
	char			*why;

	*cause = NULL;
	for (i = 0; i < PQntuples(r); i++) {
		if ((w = histstore_row(r, i, &row)) < 0) {
			if (*cause == NULL)
				*cause = xstrdup("malformed history row");
			return (-1);
		}
		if (bad[w])
			continue;
		if (chain_hist_step(&h[w], w, &row, &why) != 0) {
			bad[w] = 1;
			rc = -1;
			if (*cause == NULL)
				*cause = why;
			else
				free(why);
		}
	}
	return (rc);
}

/* Read the rows after heads h (synchronously); NULL with a cause. */
static PGresult *
histstore_read(PGconn *c, const struct chain_hhead h[], char **cause)
{
	char		 num[CHAIN_HISTS][24];
	const char	*v[CHAIN_HISTS];
	PGresult	*r;
	int		 i;

	for (i = 0; i < CHAIN_HISTS; i++) {
		snprintf(num[i], sizeof num[i], "%" PRIu64, h[i].n);
		v[i] = num[i];
	}
	r = PQexecParams(c, histstore_sql, CHAIN_HISTS, NULL, v, NULL, NULL, 1);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading the officers' histories: %s",
		    PQresultErrorMessage(r));
		(*cause)[strcspn(*cause, "\n")] = '\0';
		PQclear(r);
		return (NULL);
	}
	return (r);
}

/* One scanned row against what was signed. */
static void
histstore_scan_row(struct histstore_scan *s, const struct chain_hhead *sig,
    int w, const struct chain_hrow *row, int *stop)
{
	char	*why;

	if (chain_hist_step(&s->head[w], w, row, &why) != 0) {
		buf_printf(&s->findings, "error: %s\n", why);
		free(why);
		s->errors++;
		*stop = 1;
		return;
	}
	if (sig != NULL && row->n == sig[w].n &&
	    memcmp(row->hash, sig[w].hash, MERKLE_HASH) != 0) {
		buf_printf(&s->findings, "error: %s history: row %" PRIu64
		    " is not what the last checkpoint signed (the history was "
		    "rewritten)\n", chain_hist_name(w), row->n);
		s->errors++;
		*stop = 1;
	}
	if (sig == NULL || row->n > sig[w].n)
		s->unsigned_rows[w]++;
}

/*
 * Walk both histories from their first row, check every hash and link,
 * and that each still holds what sig (the last checkpoint's heads, or
 * NULL) signed. s->head is what may be signed next: never behind sig.
 */
int
histstore_scan(PGconn *c, const struct chain_hhead *sig,
    struct histstore_scan *s, char **cause)
{
	struct chain_hrow	 row;
	struct chain_hhead	 at[CHAIN_HISTS];
	PGresult		*r;
	int			 stop[CHAIN_HISTS] = { 0 };
	int			 i, w, more = 1;

	memset(s->head, 0, sizeof s->head);
	memset(s->unsigned_rows, 0, sizeof s->unsigned_rows);
	while (more) {
		memcpy(at, s->head, sizeof at);
		if ((r = histstore_read(c, at, cause)) == NULL)
			return (-1);
		more = 0;
		for (i = 0; i < PQntuples(r); i++) {
			if ((w = histstore_row(r, i, &row)) < 0) {
				PQclear(r);
				*cause = xstrdup("malformed history row");
				return (-1);
			}
			if (!stop[w])
				histstore_scan_row(s, sig, w, &row, &stop[w]);
		}
		for (w = 0; w < CHAIN_HISTS; w++)
			if (!stop[w] && s->head[w].n - at[w].n == HIST_LIMIT)
				more = 1;
		PQclear(r);
	}
	for (w = 0; sig != NULL && w < CHAIN_HISTS; w++) {
		if (!stop[w] && s->head[w].n < sig[w].n) {
			buf_printf(&s->findings, "error: %s history: the last "
			    "checkpoint signed %" PRIu64 " rows, the table holds "
			    "%" PRIu64 " (rows deleted)\n", chain_hist_name(w),
			    sig[w].n, s->head[w].n);
			s->errors++;
		}
		if (s->head[w].n < sig[w].n || (stop[w] &&
		    s->head[w].n <= sig[w].n))
			s->head[w] = sig[w];
	}
	return (0);
}

/*
 * The history heads the newest stored checkpoint signed: *have is 0 when
 * there is none or it has no wachter-history line (written before the
 * histories were covered).
 */
int
histstore_signed(PGconn *c, struct chain_hhead *h, int *have, char **cause)
{
	struct chain_checkpoint	 cp;
	struct chain_note	 note;
	PGresult		*r;
	int			 rc = 0;

	*have = 0;
	r = PQexecParams(c, "SELECT note FROM wachter.chain_checkpoint "
	    "ORDER BY n DESC LIMIT 1", 0, NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading the last checkpoint: %s",
		    PQresultErrorMessage(r));
		(*cause)[strcspn(*cause, "\n")] = '\0';
		PQclear(r);
		return (-1);
	}
	if (PQntuples(r) == 1 && (chain_note_split(PQgetvalue(r, 0, 0),
	    (size_t)PQgetlength(r, 0, 0), &note, cause) != 0 ||
	    chain_checkpoint_parse(note.body, note.bodylen, &cp, cause) != 0))
		rc = -1;
	else if (PQntuples(r) == 1 && (*have = cp.has_hist) != 0)
		memcpy(h, cp.hist, sizeof cp.hist);
	PQclear(r);
	return (rc);
}

/*
 * The histories' protection: their append-only and stamping triggers
 * exist and fire ALWAYS (as step 8 of CHAIN.md checks the chain's).
 */
void
histstore_protection(PGconn *c, struct buf *findings, size_t *errors)
{
	static const char *const want[] = { "decision_stamp",
	    "decision_no_change", "decision_no_truncate",
	    "access_log_no_change", "access_log_no_truncate" };
	PGresult	*r;
	size_t		 i;
	int		 k, ok;

	r = PQexec(c, "SELECT tgname FROM pg_trigger WHERE tgrelid IN "
	    "('wachter.decision'::regclass, 'wachter.access_log'::regclass) "
	    "AND tgenabled = 'A'");
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		ok = 0;
		for (k = 0; PQresultStatus(r) == PGRES_TUPLES_OK &&
		    k < PQntuples(r); k++)
			ok |= strcmp(PQgetvalue(r, k, 0), want[i]) == 0;
		if (!ok) {
			buf_printf(findings, "error: trigger %s is missing or "
			    "not enabled ALWAYS (the officers' history lost its "
			    "protection)\n", want[i]);
			(*errors)++;
		}
	}
	PQclear(r);
}

/*
 * For `wachter verify --db`: the officers' histories against the heads
 * the last verified checkpoint signed, and their protection.
 */
void
histstore_verify(PGconn *c, const struct chain_report *rep, struct buf *text,
    size_t *errors, size_t *warnings)
{
	struct histstore_scan	 s;
	char			*cause;
	int			 w;

	if (!rep->have_cp)
		return;
	if (!rep->cp.has_hist) {
		buf_adds(text, "warning: the last checkpoint does not sign the "
		    "officers' histories (written before they were covered)\n");
		(*warnings)++;
	}
	buf_init(&s.findings);
	s.errors = 0;
	if (histstore_scan(c, rep->cp.has_hist ? rep->cp.hist : NULL, &s,
	    &cause) != 0) {
		buf_printf(text, "error: %s\n", cause);
		(*errors)++;
		free(cause);
	}
	buf_add(text, s.findings.data, s.findings.len);
	*errors += s.errors;
	for (w = 0; rep->cp.has_hist && w < CHAIN_HISTS; w++) {
		if (s.unsigned_rows[w] == 0)
			continue;
		buf_printf(text, "warning: %" PRIu64 " %s row(s) after the last "
		    "checkpoint (the daemon signs them with its next ones)\n",
		    s.unsigned_rows[w], chain_hist_name(w));
		(*warnings)++;
	}
	buf_free(&s.findings);
	histstore_protection(c, text, errors);
}
