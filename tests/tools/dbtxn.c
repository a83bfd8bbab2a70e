/*
 * dbtxn.c: drive daemon/store/db.c through large transactions, for
 * tests/e2e/db_txn.sh. In the tables public.dbtxn (n, v) and public.dbtxn_b
 * (n, t, v) of the database given:
 *
 *   1. one transaction of N single-row INSERTs into dbtxn and N rows into
 *      dbtxn_b in batches (db_batch.c), with a count(*) of dbtxn half-way
 *      whose rows come back to the caller;
 *   2. one that fails at its last statement (a duplicate key): nothing of
 *      it may stay; the connection is then dropped, as wachterd does;
 *   3. after the reconnect (every statement prepared again), 10 more rows
 *      of each kind.
 *
 * It prints what each step saw; the test reads the tables.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "store/db.h"
#include "util/xmalloc.h"

static const char one_sql[] =
    "INSERT INTO public.dbtxn (n, v) VALUES ($1, $2)";
static const char rows_sql[] =
    "INSERT INTO public.dbtxn_b (n, t, v) SELECT n, t, v FROM "
    "unnest($1::bigint[], $2::text[], $3::bytea[]) AS r(n, t, v)";
static const uint32_t rows_types[] = { DB_INT8, DB_TEXT, DB_BYTEA };

struct dt {
	struct event_base	*base;
	struct db		*db;
	long long		 n;
	int			 step;
	int			 rc;
};

/* Row i of both tables (v: 200 bytes of i % 256; every 7th t NULL). */
static void
dt_row(struct db_txn *t, long long i)
{
	struct db_stmt	*s;
	struct db_batch	*b;
	uint8_t		 v[200];
	char		 txt[64];

	s = db_txn_add(t, one_sql, 2);
	db_stmt_int(s, 0, i);
	(void)snprintf(txt, sizeof txt, "row \"%lld\" \\ \xc3\xa9", i);
	db_stmt_text(s, 1, txt);
	memset(v, (int)(i % 256), sizeof v);
	b = db_txn_batch(t, rows_sql, 3, rows_types);
	db_batch_int(b, i);
	db_batch_text(b, i % 7 == 0 ? NULL : txt);
	db_batch_bin(b, v, sizeof v);
}

/* The half-way count (a bigint, in binary as every result). */
static void
dt_count(void *arg, const PGresult *r)
{
	const uint8_t	*p = (const uint8_t *)PQgetvalue(r, 0, 0);
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; i < PQgetlength(r, 0, 0); i++)
		v = v << 8 | p[i];
	printf("step %d: count %llu\n", ((struct dt *)arg)->step,
	    (unsigned long long)v);
}

static void	dt_next(struct dt *);

/* A transaction finished. */
static void
dt_done(void *arg, int ok, const char *error)
{
	struct dt	*dt = arg;

	printf("step %d: %s\n", dt->step, ok ? "committed" : "failed");
	if (!ok && dt->step == 2) {
		dt->step++;
		db_fail(dt->db, "dropped after a failed transaction");
		return;		/* step 3 when it is up again */
	}
	if (ok != (dt->step != 2))
		dt->rc = 1;
	dt->step++;
	dt_next(dt);
}

/* Send the step's transaction. */
static void
dt_next(struct dt *dt)
{
	struct db_txn	 t;
	struct db_stmt	*s;
	long long	 i;

	db_txn_init(&t);
	switch (dt->step) {
	case 1:
		for (i = 1; i <= dt->n; i++) {
			dt_row(&t, i);
			if (i == dt->n / 2) {
				(void)db_txn_add(&t, "SELECT count(*) FROM "
				    "public.dbtxn", 0);
				db_txn_rows(&t, dt_count, dt);
			}
		}
		break;
	case 2:
		for (i = dt->n + 1; i <= dt->n + 1000; i++)
			dt_row(&t, i);
		s = db_txn_add(&t, one_sql, 2);
		db_stmt_int(s, 0, 1);			/* is there */
		db_stmt_text(s, 1, "twice");
		break;
	case 3:
		for (i = dt->n + 1; i <= dt->n + 10; i++)
			dt_row(&t, i);
		break;
	default:
		event_base_loopbreak(dt->base);
		db_txn_clear(&t);
		free(t.stmts);
		return;
	}
	if (db_send(dt->db, &t, dt_done, dt) != 0) {
		fprintf(stderr, "dbtxn: cannot send\n");
		dt->rc = 1;
		event_base_loopbreak(dt->base);
	}
	db_txn_clear(&t);
	free(t.stmts);
}

/* The connection is up; the loop sends the step's transaction. */
static int
dt_up(void *arg, PGconn *c)
{
	return (0);
}

/* After an up: start (or resume) from the loop. */
static void
dt_tick(int fd, short what, void *arg)
{
	struct dt	*dt = arg;

	if (db_is_up(dt->db) && !db_busy(dt->db))
		dt_next(dt);
}

/* Lost: step 3 follows the reconnect; anything else is a failure. */
static void
dt_down(void *arg, const char *why)
{
	struct dt	*dt = arg;

	if (dt->step != 3) {
		fprintf(stderr, "dbtxn: connection lost: %s\n", why);
		dt->rc = 1;
		event_base_loopbreak(dt->base);
	}
}

int
main(int argc, char **argv)
{
	struct dt	 dt;
	struct event	*tick;
	struct timeval	 tv = { 0, 100000 };

	if (argc != 3) {
		fprintf(stderr, "usage: dbtxn CONNINFO N\n");
		return (2);
	}
	log_init("dbtxn", 0);
	memset(&dt, 0, sizeof dt);
	dt.n = strtoll(argv[2], NULL, 10);
	dt.step = 1;
	dt.base = event_base_new();
	dt.db = db_new(dt.base, argv[1], dt_up, dt_down, &dt);
	tick = event_new(dt.base, -1, EV_PERSIST, dt_tick, &dt);
	event_add(tick, &tv);
	db_start(dt.db);
	(void)event_base_dispatch(dt.base);
	event_free(tick);
	db_free(dt.db);
	event_base_free(dt.base);
	printf("dbtxn: %s\n", dt.rc == 0 && dt.step == 4 ? "done" : "failed");
	return (dt.rc == 0 && dt.step == 4 ? 0 : 1);
}
