/*
 * cmd_adopt.c: `wachter adopt --db CONNINFO KEYDIR` lets a daemon take on
 * a chain it has no head file for (a chain written before the head file
 * existed, docs/CHAIN.md "Upgrading"). It verifies the whole chain first
 * (as `wachter verify` does, optionally against kept checkpoints) and
 * refuses on any error; then it writes KEYDIR/chain.head naming the last
 * signed checkpoint, and KEYDIR/chain.mac if missing. Records after the
 * last checkpoint were signed by nobody: they are adopted only with
 * --unsigned, by an operator who has looked at them; alarms the daemon
 * raised only when acknowledged with --alarms-seen.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "keyfile.h"
#include "store/chain_sql.h"
#include "store/chainguard.h"
#include "util/xmalloc.h"

struct adopt_opts {
	const char	*db;
	const char	*since;
	const char	*dir;
	int		 unsigned_too;
	long long	 alarms_seen;
};

/* The key that signs the checkpoint after c: from the seal, or epoch.key. */
static int
adopt_next_key(const char *dir, const struct chain_checkpoint *c,
    struct chain_head *h, char **cause)
{
	uint8_t	 seed[CHAIN_SEED], sk[CHAIN_SK];
	uint32_t epoch;
	char	*path;
	int	 rc;

	h->epoch = c->epoch + (c->seal ? 1 : 0);
	if (c->seal) {
		memcpy(h->pk, c->next_pk, CHAIN_PK);
		return (0);
	}
	xasprintf(&path, "%s/epoch.key", dir);
	rc = keyfile_epoch_load(path, &epoch, seed, cause);
	free(path);
	if (rc != 0)
		return (-1);
	chain_epoch_keypair(h->pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(sk, sizeof sk);
	if (epoch != c->epoch) {
		xasprintf(cause, "%s/epoch.key holds epoch %" PRIu32 ", the "
		    "chain's last checkpoint epoch %" PRIu32, dir, epoch,
		    c->epoch);
		return (-1);
	}
	return (0);
}

/* The head for a verified chain: its last checkpoint and record. */
static int
adopt_head(const struct adopt_opts *o, const struct chain_sql_data *d,
    struct chain_head *h, char **cause)
{
	const struct chain_cprow *row = &d->cps[d->ncps - 1];
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	uint64_t		 size;

	memset(h, 0, sizeof *h);
	if (chain_note_split(row->note, row->len, &n, cause) != 0 ||
	    chain_checkpoint_parse(n.body, n.bodylen, &c, cause) != 0)
		return (-1);
	h->cp_n = c.n;
	h->cp_size = c.size;
	memcpy(h->cp_root, c.root, MERKLE_HASH);
	crypto_hash_sha256(h->cp_note, (const uint8_t *)row->note, row->len);
	if (d->nrows > c.size && !o->unsigned_too) {
		xasprintf(cause, "records %" PRIu64 "..%zu are signed by no "
		    "checkpoint; look at them, then adopt them with --unsigned "
		    "(or remove them)", c.size + 1, d->nrows);
		return (-1);
	}
	size = d->nrows;
	h->size = size;
	if (size > 0)
		merkle_leaf(h->leaf, d->rows[size - 1].record,
		    d->rows[size - 1].len);
	return (adopt_next_key(o->dir, &c, h, cause));
}

/* Verify the stored chain; 0 when it has no error. */
static int
adopt_verify(const struct adopt_opts *o, const struct chain_sql_data *d,
    struct buf *since)
{
	struct chain_verify_in	 in;
	struct chain_report	 rep;
	char			*cause;
	char			 path[4096];
	int			 rc;

	memset(&in, 0, sizeof in);
	snprintf(path, sizeof path, "%s/root.pub", o->dir);
	if (keyfile_root_load(path, in.origin, in.root_pk, &cause) != 0) {
		fprintf(stderr, "wachter adopt: %s\n", cause);
		free(cause);
		return (-1);
	}
	in.cert = d->cert.len ? (char *)d->cert.data : NULL;
	in.certlen = d->cert.len;
	in.rows = d->rows;
	in.nrows = d->nrows;
	in.cps = d->cps;
	in.ncps = d->ncps;
	in.since = since->len ? (char *)since->data : NULL;
	in.sincelen = since->len;
	chain_verify(&in, &rep);
	fputs(buf_cstr(&rep.text), stdout);
	fwrite(d->alarms.data, 1, d->alarms.len, stdout);
	rc = rep.errors == 0 && d->nalarms == 0 && d->ncps > 0 ? 0 : -1;
	chain_report_free(&rep);
	return (rc);
}

/* Verify, then write the head file and MAC key. */
static int
adopt_run(const struct adopt_opts *o, PGconn *conn, struct buf *since)
{
	struct chain_sql_data	 d;
	struct chain_head	 h;
	uint8_t			 key[CHAIN_MACKEY];
	char			*cause = NULL;
	int			 found, rc = 1;

	if (chainguard_head_load(o->dir, &h, &found, &cause) == 0 && found)
		cause = xstrdup("a chain head file exists already");
	d.alarms_seen = o->alarms_seen;
	if (cause == NULL && chain_sql_load(conn, &d, &cause) == 0) {
		if (adopt_verify(o, &d, since) != 0)
			cause = xstrdup("the chain does not verify; not adopted");
		else if (adopt_head(o, &d, &h, &cause) == 0 &&
		    chainguard_mackey(o->dir, key, 1, &cause) == 0 &&
		    chainguard_head_store(o->dir, &h, &cause) == 0) {
			printf("adopted: %" PRIu64 " records, checkpoint %" PRIu64
			    "; wachterd may sign from here on\n", h.size, h.cp_n);
			rc = 0;
		}
		chain_sql_data_free(&d);
	}
	sodium_memzero(key, sizeof key);
	if (rc != 0)
		fprintf(stderr, "wachter adopt: %s\n", cause);
	free(cause);
	return (rc);
}

/* wachter adopt --db CONNINFO [--since-checkpoint FILE] [--unsigned] KEYDIR */
int
cmd_adopt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since-checkpoint", required_argument, NULL, 's' },
		{ "unsigned", no_argument, NULL, 'u' },
		{ "alarms-seen", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	struct adopt_opts	 o;
	struct buf		 since;
	PGconn			*conn;
	char			*cause = NULL;
	int			 ch, rc;

	memset(&o, 0, sizeof o);
	while ((ch = getopt_long(argc, argv, "d:s:uA:", longopts, NULL)) != -1) {
		if (ch == 'd')
			o.db = optarg;
		else if (ch == 's')
			o.since = optarg;
		else if (ch == 'u')
			o.unsigned_too = 1;
		else if (ch == 'A')
			o.alarms_seen = strtoll(optarg, NULL, 10);
		else
			goto usage;
	}
	if (o.db == NULL || optind != argc - 1)
		goto usage;
	o.dir = argv[optind];
	if (sodium_init() < 0)
		return (2);
	buf_init(&since);
	if (o.since != NULL && keyfile_read(o.since, 0, &since, &cause) != 0) {
		fprintf(stderr, "wachter adopt: %s\n", cause);
		free(cause);
		return (2);
	}
	conn = PQconnectdb(o.db);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "wachter adopt: %s", PQerrorMessage(conn));
		rc = 2;
	} else
		rc = adopt_run(&o, conn, &since);
	PQfinish(conn);
	buf_free(&since);
	return (rc);
usage:
	fprintf(stderr, "usage: wachter adopt --db CONNINFO "
	    "[--since-checkpoint FILE] [--unsigned] [--alarms-seen ID] "
	    "KEYDIR\n");
	return (2);
}
