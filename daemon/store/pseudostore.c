/*
 * pseudostore.c: before an alert is signed, replace its BSNs and plates by
 * keyed pseudonyms, and put each pseudonym's plaintext into
 * wachter.subject_plain in the same transaction, under the month of the
 * alert's last lookup, so retention can drop it by month.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alert/pseudo.h"
#include "keyfile.h"
#include "log.h"
#include "store/pseudostore.h"
#include "util/xmalloc.h"

#define PSEUDO_MAGIC	"wachter-pseudonym-key v1"

struct pseudostore {
	uint8_t		*key;		/* sodium_malloc'd */
};

static const char plain_sql[] =
	"SELECT wachter.subject_plain_add($1, $2, $3,"
	" timestamptz 'epoch' + $4::bigint * interval '1 microsecond')";

/* Many at once: the batch of a transaction (daemon/store/db_batch.c). */
static const char plain_rows_sql[] =
	"SELECT wachter.subject_plain_add_rows($1::text[], $2::text[],"
	" $3::text[], $4::bigint[])";
static const uint32_t plain_rows_types[] = { DB_TEXT, DB_TEXT, DB_TEXT,
    DB_INT8 };

/* Load DIR/pseudonym.key, creating it first when there is none. */
struct pseudostore *
pseudostore_open(const char *keydir, char **cause)
{
	struct pseudostore	*ps;
	char			*path;
	int			 rc, created;

	xasprintf(&path, "%s/pseudonym.key", keydir);
	ps = xcalloc(1, sizeof *ps);
	if ((ps->key = sodium_malloc(PSEUDO_KEY)) == NULL)
		fatalx("out of memory");
	rc = keyfile_secret_load(path, PSEUDO_MAGIC, ps->key, PSEUDO_KEY,
	    &created, cause);
	free(path);
	if (rc != 0) {
		pseudostore_free(ps);
		return (NULL);
	}
	return (ps);
}

/* Free the key. */
void
pseudostore_free(struct pseudostore *ps)
{
	if (ps == NULL)
		return;
	sodium_free(ps->key);
	free(ps);
}

/* The handle of one BSN or plate (out: PSEUDO_HANDLE_MAX bytes). */
void
pseudostore_handle(struct pseudostore *ps, const char *value, char *out)
{
	pseudo_handle(ps->key, value, out);
}

/* The plaintext of handle h joins txn under the month of ts (µs). */
static void
pseudostore_plain(const char *h, const char *value, int64_t ts,
    struct db_txn *txn)
{
	struct db_batch	*b;

	b = db_txn_batch(txn, plain_rows_sql, 4, plain_rows_types);
	db_batch_text(b, h);
	db_batch_text(b, pseudo_is_bsn(value) ? "bsn" : "plate");
	db_batch_text(b, value);
	db_batch_int(b, ts);
}

/*
 * The handle of one BSN or plate (out: PSEUDO_HANDLE_MAX bytes); its
 * plaintext joins txn under the month of ts (µs).
 */
void
pseudostore_value(struct pseudostore *ps, const char *value, int64_t ts,
    struct db_txn *txn, char *out)
{
	pseudo_handle(ps->key, value, out);
	pseudostore_plain(out, value, ts, txn);
}

/* The pseudonymised copy of an alert; its plaintext joins the txn. */
struct alert *
pseudostore_alert(struct pseudostore *ps, const struct alert *a,
    struct db_txn *txn)
{
	struct alert	*p;
	char		 h[PSEUDO_HANDLE_MAX];
	int64_t		 ts;
	size_t		 i;

	p = pseudo_alert(ps->key, a);
	ts = a->last_ts != INT64_MIN ? a->last_ts : a->first_ts != INT64_MIN ?
	    a->first_ts : 0;
	for (i = 0; i < a->nsubjects; i++) {
		/*
		 * The copy's subjects are their handles, in order, unless
		 * two came to one (a list filled directly may repeat).
		 */
		if (p->nsubjects == a->nsubjects)
			pseudostore_plain(p->subjects[i], a->subjects[i], ts,
			    txn);
		else
			pseudostore_value(ps, a->subjects[i], ts, txn, h);
	}
	return (p);
}

/* Row i's subjects (";"-separated) as handles; their plaintext is kept. */
static int
pseudostore_row(struct pseudostore *ps, PGconn *c, const PGresult *r, int i,
    char **cause)
{
	struct buf	 subj;
	char		 h[PSEUDO_HANDLE_MAX], *list, *v, *next;
	const char	*pv[4];
	PGresult	*u;
	int		 rc = 0;

	buf_init(&subj);
	list = xstrdup(PQgetvalue(r, i, 1));
	for (next = list; rc == 0 && (v = strsep(&next, ";")) != NULL; ) {
		pseudo_handle(ps->key, v, h);
		buf_printf(&subj, "%s%s", subj.len ? ";" : "", h);
		pv[0] = h;
		pv[1] = pseudo_is_bsn(v) ? "bsn" : "plate";
		pv[2] = v;
		pv[3] = PQgetvalue(r, i, 2);
		u = PQexecParams(c, plain_sql, 4, NULL, pv, NULL, NULL, 0);
		rc = PQresultStatus(u) == PGRES_TUPLES_OK ? 0 : -1;
		PQclear(u);
	}
	pv[0] = PQgetvalue(r, i, 0);
	pv[1] = buf_cstr(&subj);
	u = rc == 0 ? PQexecParams(c, "UPDATE wachter.unattributed SET "
	    "subjects = $2 WHERE id = $1", 2, NULL, pv, NULL, NULL, 0) : NULL;
	if (u == NULL || PQresultStatus(u) != PGRES_COMMAND_OK) {
		xasprintf(cause, "pseudonymising unattributed lookups: %s",
		    PQerrorMessage(c));
		rc = -1;
	}
	PQclear(u);
	free(list);
	buf_free(&subj);
	return (rc);
}

/*
 * Unattributed lookups written before their subjects were pseudonymised
 * (migration 0014): replace them by handles, once, at start.
 */
int
pseudostore_unattributed(struct pseudostore *ps, PGconn *c, char **cause)
{
	PGresult	*r;
	int		 i, rc = 0;

	r = PQexec(c, "SELECT id, subjects, (extract(epoch FROM looked_up_at)"
	    " * 1000000)::bigint FROM wachter.unattributed WHERE subjects <> ''"
	    " AND subjects !~ '^p[sv]:[0-9a-f]{32}(;p[sv]:[0-9a-f]{32})*$'");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading unattributed lookups: %s",
		    PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	for (i = 0; i < PQntuples(r) && rc == 0; i++)
		rc = pseudostore_row(ps, c, r, i, cause);
	if (rc == 0 && PQntuples(r) > 0)
		log_info("%d unattributed lookup(s) pseudonymised", PQntuples(r));
	PQclear(r);
	return (rc);
}
