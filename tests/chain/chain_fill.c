/*
 * chain_fill.c: append synthetic alerts to a real database the way the
 * daemon does (writer, chain_sql, key file, checkpoint sink), for the
 * end-to-end tamper tests.
 *
 * usage: chain_fill KEYDIR CONNINFO N [-c EVERY] [-s EVERY] [-t T0_US]
 *	  (T0 defaults to the epoch certificate's time)
 *	  [-k SINKFILE] [-f]
 * -c: a checkpoint after every EVERY records (default 2)
 * -s: seal the epoch at every EVERY-th checkpoint (default 3)
 * -f: forge: act as a thief holding the current epoch seed who rewrites
 *     history from seq 1, claiming epoch 1 (the tables must be emptied)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "checkpoint_sink.h"
#include "keyfile.h"
#include "store/chain_sql.h"
#include "testlib.h"

struct fill {
	const char		*dir;
	PGconn			*conn;
	struct chain_writer	*w;
	const char		*sink;
	char			 origin[CHAIN_NAME_MAX];
	uint8_t			 rootpk[CHAIN_PK];
	int64_t			 t;
	int64_t			 cert_time;
};

/* Print and exit. */
static void __attribute__((noreturn))
fill_fatal(const char *what, char *cause)
{
	fprintf(stderr, "chain_fill: %s: %s\n", what, cause ? cause : "");
	exit(1);
}

/* Run one statement or die. */
static void
fill_exec(struct fill *f, struct chain_sql_stmt *st)
{
	char	*cause;

	if (chain_sql_exec(f->conn, st, &cause) != 0)
		fill_fatal("insert", cause);
	chain_sql_stmt_free(st);
}

/* Run plain SQL or die. */
static void
fill_sql(struct fill *f, const char *sql)
{
	PGresult	*res = PQexec(f->conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fill_fatal(sql, PQresultErrorMessage(res));
	PQclear(res);
}

/* Write a checkpoint (a seal, then ratchet the key file after commit). */
static void
fill_checkpoint(struct fill *f, int seal)
{
	struct chain_checkpoint	 c;
	struct chain_sql_stmt	 st;
	struct buf		 note;
	uint8_t			 seed[CHAIN_SEED];
	char			*path, *cause;

	buf_init(&note);
	fill_sql(f, "BEGIN");
	chain_writer_checkpoint(f->w, f->t += 1000, seal, &note, &c);
	chain_sql_checkpoint(&st, &c, &note);
	fill_exec(f, &st);
	fill_sql(f, "COMMIT");
	if (f->sink != NULL && checkpoint_sink_append(f->sink,
	    (char *)note.data, note.len, 0, &cause) != 0)
		fill_fatal("sink", cause);
	buf_free(&note);
	if (!seal)
		return;
	chain_writer_ratchet(f->w, seed);
	xasprintf(&path, "%s/epoch.key", f->dir);
	if (keyfile_epoch_store(path, chain_writer_epoch(f->w), seed, 0,
	    &cause) != 0)
		fill_fatal("epoch key", cause);
	sodium_memzero(seed, sizeof seed);
	free(path);
}

/* The certificate's time: records and checkpoints may not be older. */
static void
fill_cert_time(struct fill *f, const struct buf *cert)
{
	struct chain_note	 n;
	struct chain_cert	 c;
	char			*cause;

	if (chain_note_split((const char *)cert->data, cert->len, &n,
	    &cause) != 0 || chain_cert_parse(n.body, n.bodylen, &c,
	    &cause) != 0)
		fill_fatal("certificate", cause);
	f->cert_time = c.time_us;
}

/* Load keys, connect, store the certificate, restore the writer. */
static void
fill_open(struct fill *f, const char *conninfo, int forge)
{
	struct chain_sql_stmt	 st;
	struct buf		 cert;
	uint8_t			 seed[CHAIN_SEED];
	uint32_t		 epoch, sealed;
	char			*path, *cause;

	xasprintf(&path, "%s/root.pub", f->dir);
	if (keyfile_root_load(path, f->origin, f->rootpk, &cause) != 0)
		fill_fatal("root key", cause);
	free(path);
	xasprintf(&path, "%s/epoch.key", f->dir);
	if (keyfile_epoch_load(path, &epoch, seed, &cause) != 0)
		fill_fatal("epoch key", cause);
	f->conn = PQconnectdb(conninfo);
	if (PQstatus(f->conn) != CONNECTION_OK)
		fill_fatal("connect", PQerrorMessage(f->conn));
	buf_init(&cert);
	free(path);
	xasprintf(&path, "%s/epoch-1.cert", f->dir);
	if (keyfile_read(path, 0, &cert, &cause) != 0)
		fill_fatal("certificate", cause);
	free(path);
	fill_cert_time(f, &cert);
	chain_sql_certificate(&st, 1, &cert);
	fill_exec(f, &st);
	buf_free(&cert);
	f->w = chain_writer_new(f->origin, f->rootpk, forge ? 1 : epoch, seed);
	if (chain_sql_restore(f->conn, f->w, &sealed, &cause) != 0)
		fill_fatal("restore", cause);
	if (!forge && sealed == epoch)	/* crashed after a seal's commit */
		chain_writer_ratchet(f->w, NULL);
	sodium_memzero(seed, sizeof seed);
}

int
main(int argc, char **argv)
{
	struct fill		 f;
	struct chain_append	 out;
	struct chain_sql_stmt	 st;
	struct alert		*a;
	int			 ch, n, i, every = 2, seal = 3, forge = 0, ncp = 0;

	memset(&f, 0, sizeof f);
	f.t = -1;		/* the certificate's time */
	while ((ch = getopt(argc, argv, "c:s:t:k:f")) != -1) {
		switch (ch) {
		case 'c': every = atoi(optarg); break;
		case 's': seal = atoi(optarg); break;
		case 't': f.t = strtoll(optarg, NULL, 10); break;
		case 'k': f.sink = optarg; break;
		case 'f': forge = 1; break;
		default: return (2);
		}
	}
	if (argc - optind != 3 || sodium_init() < 0 || every < 1 || seal < 1)
		return (2);
	f.dir = argv[optind];
	n = atoi(argv[optind + 2]);
	fill_open(&f, argv[optind + 1], forge);
	if (f.t < 0)
		f.t = f.cert_time;
	if (chain_writer_time(f.w) > f.t)
		f.t = chain_writer_time(f.w);
	for (i = 0; i < n; i++) {
		a = test_alert((int)chain_writer_size(f.w) + (forge ? 100 : 0));
		fill_sql(&f, "BEGIN");
		chain_writer_append(f.w, a, f.t += 1000, &out);
		chain_sql_record(&st, &out);
		fill_exec(&f, &st);
		fill_sql(&f, "COMMIT");
		chain_append_clear(&out);
		alert_free(a);
		if ((i + 1) % every == 0)
			fill_checkpoint(&f, ++ncp % seal == 0);
	}
	fill_checkpoint(&f, 0);
	chain_writer_free(f.w);
	PQfinish(f.conn);
	return (0);
}
