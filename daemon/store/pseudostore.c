/*
 * pseudostore.c: before an alert is signed, replace its BSNs and plates by
 * keyed pseudonyms, and put each pseudonym's plaintext into
 * wachter.subject_plain in the same transaction, under the month of the
 * alert's last lookup, so retention can drop it by month.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "alert/pseudo.h"
#include "keyfile.h"
#include "log.h"
#include "store/pseudostore.h"
#include "util/xmalloc.h"

#define PSEUDO_MAGIC	"wachter-pseudonym-key v1\n"

struct pseudostore {
	uint8_t		*key;		/* sodium_malloc'd */
};

static const char plain_sql[] =
	"SELECT wachter.subject_plain_add($1, $2, $3,"
	" timestamptz 'epoch' + $4::bigint * interval '1 microsecond')";

/* Create a new key file: the magic line and the key in hex. */
static int
pseudostore_create(const char *path, char **cause)
{
	uint8_t	 key[PSEUDO_KEY];
	char	 text[sizeof PSEUDO_MAGIC + 2 * PSEUDO_KEY + 2];
	int	 rc;

	randombytes_buf(key, sizeof key);
	memcpy(text, PSEUDO_MAGIC, sizeof PSEUDO_MAGIC - 1);
	sodium_bin2hex(text + sizeof PSEUDO_MAGIC - 1, 2 * PSEUDO_KEY + 1, key,
	    sizeof key);
	strcat(text, "\n");
	rc = keyfile_create(path, text, strlen(text), 1, cause);
	sodium_memzero(key, sizeof key);
	sodium_memzero(text, sizeof text);
	return (rc);
}

/* Parse a key file's text into key. */
static int
pseudostore_parse(const struct buf *b, uint8_t *key, const char *path,
    char **cause)
{
	const char	*hex = (const char *)b->data + sizeof PSEUDO_MAGIC - 1;
	size_t		 n = 0;

	if (b->len != sizeof PSEUDO_MAGIC - 1 + 2 * PSEUDO_KEY + 1 ||
	    memcmp(b->data, PSEUDO_MAGIC, sizeof PSEUDO_MAGIC - 1) != 0 ||
	    sodium_hex2bin(key, PSEUDO_KEY, hex, 2 * PSEUDO_KEY, NULL, &n,
	    NULL) != 0 || n != PSEUDO_KEY) {
		xasprintf(cause, "%s: not a pseudonym key file", path);
		return (-1);
	}
	return (0);
}

/* Load DIR/pseudonym.key, creating it first when there is none. */
struct pseudostore *
pseudostore_open(const char *keydir, char **cause)
{
	struct pseudostore	*ps;
	struct buf		 b;
	char			*path;
	int			 rc;

	xasprintf(&path, "%s/pseudonym.key", keydir);
	rc = access(path, F_OK) != 0 && errno == ENOENT ?
	    pseudostore_create(path, cause) : 0;
	ps = xcalloc(1, sizeof *ps);
	if ((ps->key = sodium_malloc(PSEUDO_KEY)) == NULL)
		fatalx("out of memory");
	buf_init(&b);
	buf_reserve(&b, 256);	/* no realloc leaving copies */
	if (rc == 0 && (rc = keyfile_read(path, 1, &b, cause)) == 0)
		rc = pseudostore_parse(&b, ps->key, path, cause);
	sodium_memzero(b.data, b.cap);
	buf_free(&b);
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

/* The pseudonymised copy of an alert; its plaintext joins the txn. */
struct alert *
pseudostore_alert(struct pseudostore *ps, const struct alert *a,
    struct db_txn *txn)
{
	struct alert	*p;
	struct db_stmt	*st;
	size_t		 i;

	p = pseudo_alert(ps->key, a);
	for (i = 0; i < a->nsubjects; i++) {
		st = db_txn_add(txn, plain_sql, 4);
		db_stmt_text(st, 0, p->subjects[i]);
		db_stmt_text(st, 1, pseudo_is_bsn(a->subjects[i]) ? "bsn" :
		    "plate");
		db_stmt_text(st, 2, a->subjects[i]);
		db_stmt_int(st, 3, a->last_ts != INT64_MIN ? a->last_ts :
		    a->first_ts != INT64_MIN ? a->first_ts : 0);
	}
	return (p);
}
