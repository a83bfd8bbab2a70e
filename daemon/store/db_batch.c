/*
 * db_batch.c: many rows of one statement sent as one, each column a
 * binary-format array parameter the SQL unnests. The server parses and
 * plans the statement once per batch instead of once per row, and the
 * values cross the wire without quoting or hex. A batch stays the
 * statement of its first row in the transaction, so the transaction is
 * the same: only fewer statements.
 *
 * The array format is array_send's: dimensions, a has-nulls flag, the
 * element type, the length and lower bound of the one dimension, then
 * each element as a 4-byte length (-1 for NULL) and its bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define DB_BATCH_HEAD	20		/* ndim, flags, type, length, lbound */
/*
 * A batch takes rows up to about this many bytes; the next rows start
 * another. libpq copies a statement whole into its output buffer and
 * shifts what the socket did not take: a bounded statement keeps that
 * cheap, and a reader of the server's log sees statements of sane size.
 */
#define DB_BATCH_BYTES	(1024 * 1024)

struct db_batch {
	struct db_batch	*next;		/* in the transaction's open list */
	const char	*sql;		/* its statement's */
	int		 ncols;
	int		 col;		/* next column of the row being added */
	uint32_t	 rows;
	size_t		 bytes;
	uint32_t	 types[DB_BATCH_MAXCOL];
	int		 nulls[DB_BATCH_MAXCOL];
	struct buf	 cols[DB_BATCH_MAXCOL];
};

/* Free a batch's columns. */
void
db_batch_free(struct db_batch *b)
{
	int	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->ncols; i++)
		buf_free(&b->cols[i]);
	free(b);
}

/* A new batch statement of ncols columns of the given element types. */
static struct db_batch *
db_batch_new(struct db_txn *t, const char *sql, int ncols,
    const uint32_t *types)
{
	static const uint8_t	 head[DB_BATCH_HEAD];
	struct db_stmt		*s;
	struct db_batch		*b;
	int			 i;

	if (ncols < 1 || ncols > DB_BATCH_MAXCOL)
		fatalx("db batch: %d columns", ncols);
	s = db_txn_add(t, sql, ncols);
	b = xcalloc(1, sizeof *b);
	b->sql = s->sql;
	b->ncols = ncols;
	for (i = 0; i < ncols; i++) {
		b->types[i] = types[i];
		buf_init(&b->cols[i]);
		/* The header is written when the batch is sent. */
		buf_add(&b->cols[i], head, DB_BATCH_HEAD);
	}
	s->batch = b;
	b->next = t->open;
	t->open = b;
	return (b);
}

/*
 * The batch of sql in t to add a row to, column by column with the
 * db_batch_* calls; a new one when there is none or it is full.
 */
struct db_batch *
db_txn_batch(struct db_txn *t, const char *sql, int ncols,
    const uint32_t *types)
{
	struct db_batch	**bp, *b;

	for (bp = &t->open; (b = *bp) != NULL; bp = &b->next) {
		if (strcmp(b->sql, sql) != 0)
			continue;
		if (b->col != 0)
			fatalx("db batch: a row left unfinished");
		if (b->bytes < DB_BATCH_BYTES)
			return (b);
		*bp = b->next;	/* full: its statement stays */
		break;
	}
	return (db_batch_new(t, sql, ncols, types));
}

/* Start the next value, of element type type (-1 for NULL). */
static struct buf *
db_batch_next(struct db_batch *b, uint32_t type, int64_t len)
{
	struct buf	*c = &b->cols[b->col];

	if (b->types[b->col] != type && len >= 0)
		fatalx("db batch: column %d is of type %u, not %u", b->col,
		    b->types[b->col], type);
	if (len < 0)
		b->nulls[b->col] = 1;
	buf_add_be(c, (uint64_t)(len < 0 ? -1 : len), 4);
	b->bytes += 4 + (len < 0 ? 0 : (size_t)len);
	if (++b->col == b->ncols) {
		b->col = 0;
		b->rows++;
	}
	return (c);
}

/* The next column: a bigint. */
void
db_batch_int(struct db_batch *b, int64_t v)
{
	buf_add_be(db_batch_next(b, DB_INT8, 8), (uint64_t)v, 8);
}

/* The next column: text, or NULL. */
void
db_batch_text(struct db_batch *b, const char *v)
{
	size_t	 len;

	if (v == NULL) {
		db_batch_null(b);
		return;
	}
	len = strlen(v);
	buf_add(db_batch_next(b, DB_TEXT, (int64_t)len), v, len);
}

/* The next column: bytes (bytea). */
void
db_batch_bin(struct db_batch *b, const void *p, size_t len)
{
	buf_add(db_batch_next(b, DB_BYTEA, (int64_t)len), p, len);
}

/* The next column: NULL. */
void
db_batch_null(struct db_batch *b)
{
	(void)db_batch_next(b, 0, -1);
}

/*
 * The batch's columns as binary array parameters (pointing into the
 * batch, valid while it lives); returns how many.
 */
int
db_batch_params(struct db_batch *b, const char **values, int *lengths,
    int *formats)
{
	struct buf	 h;
	int		 i;

	if (b->col != 0)
		fatalx("db batch: a row left unfinished");
	for (i = 0; i < b->ncols; i++) {
		buf_init(&h);
		buf_add_be(&h, 1, 4);			/* one dimension */
		buf_add_be(&h, (uint64_t)b->nulls[i], 4);
		buf_add_be(&h, b->types[i], 4);
		buf_add_be(&h, b->rows, 4);
		buf_add_be(&h, 1, 4);			/* lower bound */
		memcpy(b->cols[i].data, h.data, DB_BATCH_HEAD);
		buf_free(&h);
		values[i] = (const char *)b->cols[i].data;
		lengths[i] = (int)b->cols[i].len;
		formats[i] = 1;
	}
	return (b->ncols);
}
