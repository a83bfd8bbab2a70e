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

#include "cli/cmd.h"
#include "keyfile.h"
#include "chain_source.h"
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
adopt_head(const struct adopt_opts *o, const struct chain_report *rep,
    struct chain_head *h, char **cause)
{
	const struct chain_checkpoint *c = &rep->cp;

	memset(h, 0, sizeof *h);
	h->cp_n = c->n;
	h->cp_size = c->size;
	memcpy(h->cp_root, c->root, MERKLE_HASH);
	memcpy(h->cp_note, rep->cp_note, MERKLE_HASH);
	if (rep->size > c->size && !o->unsigned_too) {
		xasprintf(cause, "records %" PRIu64 "..%" PRIu64 " are signed "
		    "by no checkpoint; look at them, then adopt them with "
		    "--unsigned (or remove them)", c->size + 1, rep->size);
		return (-1);
	}
	h->size = rep->size;
	if (h->size > 0)
		memcpy(h->leaf, rep->last_leaf, MERKLE_HASH);
	h->tree = rep->tree;		/* the daemon's next check starts here */
	h->has_tree = rep->tree.size == h->size;
	return (adopt_next_key(o->dir, c, h, cause));
}

/* Verify the stored chain, streaming; 0 when it has no error. */
static int
adopt_verify(const struct adopt_opts *o, struct buf *since,
    struct chain_report *rep, char **cause)
{
	struct chain_source	 src;
	struct chain_verify_in	 in;
	struct chain_verifier	*v;
	const struct buf	*cert;
	char			 path[4096];
	int			 rc;

	memset(&in, 0, sizeof in);
	snprintf(path, sizeof path, "%s/root.pub", o->dir);
	if (keyfile_root_load(path, in.origin, in.root_pk, cause) != 0 ||
	    chain_source_db(&src, o->db, o->alarms_seen, 1, cause) != 0)
		return (-1);
	cert = chain_source_cert(&src);
	in.cert = cert->len ? (const char *)cert->data : NULL;
	in.certlen = cert->len;
	in.since = since->len ? (char *)since->data : NULL;
	in.sincelen = since->len;
	v = chain_verifier_new(&in, rep);
	rc = chain_verify_feed(v, chain_source_row, chain_source_cp, &src);
	chain_verifier_end(v);
	if (rc != 0)
		*cause = xstrdup(chain_source_error(&src));
	fputs(buf_cstr(&rep->text), stdout);
	fwrite(src.db.findings.data, 1, src.db.findings.len, stdout);
	if (rc == 0 && (rep->errors > 0 || src.db.nerr > 0 || !rep->have_cp)) {
		*cause = xstrdup("the chain does not verify; not adopted");
		rc = -1;
	}
	chain_source_close(&src);
	return (rc);
}

/* Verify, then write the head file and MAC key. */
static int
adopt_run(const struct adopt_opts *o, struct buf *since)
{
	struct chain_report	 rep;
	struct chain_head	 h;
	uint8_t			 key[CHAIN_MACKEY];
	char			*cause = NULL;
	int			 found, rc = 1;

	memset(&rep, 0, sizeof rep);
	buf_init(&rep.text);
	if (chainguard_head_load(o->dir, &h, &found, &cause) == 0 && found)
		cause = xstrdup("a chain head file exists already");
	if (cause == NULL && adopt_verify(o, since, &rep, &cause) == 0 &&
	    adopt_head(o, &rep, &h, &cause) == 0 &&
	    chainguard_mackey(o->dir, key, 1, &cause) == 0 &&
	    chainguard_head_store(o->dir, &h, &cause) == 0) {
		printf("adopted: %" PRIu64 " records, checkpoint %" PRIu64
		    "; wachterd may sign from here on\n", h.size, h.cp_n);
		rc = 0;
	}
	sodium_memzero(key, sizeof key);
	chain_report_free(&rep);
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
	rc = adopt_run(&o, &since);
	buf_free(&since);
	return (rc);
usage:
	fprintf(stderr, "usage: wachter adopt --db CONNINFO "
	    "[--since-checkpoint FILE] [--unsigned] [--alarms-seen ID] "
	    "KEYDIR\n");
	return (2);
}
