/*
 * cmd_verify.c: `wachter verify` checks a chain, from the database or from
 * an exported bundle, against the pinned root public key, and optionally
 * against checkpoints the auditor kept. Exit 0: verified; 1: problems
 * found (each printed); 2: could not run.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "chain_source.h"
#include "cli/cmd.h"
#include "keyfile.h"
#include "store/histstore.h"
#include "util/xmalloc.h"

struct verify_opts {
	long		 max_age;	/* seconds; 0: no check */
	const char	*db;
	const char	*bundle;
	const char	*pubkey;
	const char	*since;
	int		 quiet;
	int		 require_kept;
	long long	 alarms_seen;
};

/* Read a whole file. */
static int
verify_read(const char *path, struct buf *b)
{
	FILE	*f;
	char	 tmp[65536];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "wachter verify: %s: %s\n", path,
		    strerror(errno));
		return (-1);
	}
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(b, tmp, n);
	if (ferror(f)) {
		fprintf(stderr, "wachter verify: %s: read error\n", path);
		fclose(f);
		return (-1);
	}
	fclose(f);
	return (0);
}

/*
 * What only a kept checkpoint can tell apart: an old newest checkpoint
 * means the daemon stopped signing, or recent history was rolled back.
 * Both fail verification when the auditor's bounds say so.
 */
static void
verify_policy(const struct verify_opts *o, struct chain_report *rep)
{
	int64_t	 age;

	if (o->since == NULL && o->require_kept) {
		buf_adds(&rep->text, "error: no kept checkpoints given "
		    "(--require-kept): a rollback cannot be ruled out\n");
		rep->errors++;
	} else if (o->since == NULL) {
		buf_adds(&rep->text, "warning: no kept checkpoints given "
		    "(--since-checkpoint): a log rolled back to an earlier, "
		    "consistent state would pass\n");
		rep->warnings++;
	}
	if (o->max_age <= 0 || rep->last_time < 0)
		return;
	age = (int64_t)time(NULL) - rep->last_time / 1000000;
	if (age > o->max_age) {
		buf_printf(&rep->text, "error: the newest checkpoint is %" PRId64
		    " s old (more than --max-age %ld): the daemon stopped "
		    "signing, or recent history was rolled back (check with "
		    "--since-checkpoint SINKFILE; --max-age 0 for an old copy)\n",
		    age, o->max_age);
		rep->errors++;
	}
}

/* Print the findings and a summary; the exit status. */
static int
verify_report(const struct verify_opts *o, const struct chain_report *rep,
    uint64_t ncps)
{
	fputs(buf_cstr((struct buf *)&rep->text), stdout);
	if (rep->errors > 0) {
		printf("FAILED: %zu error(s), %zu warning(s) in %" PRIu64
		    " records, %" PRIu64 " checkpoints\n", rep->errors,
		    rep->warnings, rep->size, ncps);
		return (1);
	}
	if (!o->quiet)
		printf("OK: %" PRIu64 " records, %" PRIu64 " checkpoints, epoch %u, "
		    "signed back to the pinned root key\n", rep->size, ncps,
		    rep->epoch);
	return (0);
}

/* Open the chain's source: the database or a bundle. */
static int
verify_open(const struct verify_opts *o, struct chain_source *src)
{
	char	*cause = NULL;

	if (o->db != NULL) {
		if (chain_source_db(src, o->db, o->alarms_seen, 1, &cause) == 0)
			return (0);
		fprintf(stderr, "wachter verify: %s%s", cause,
		    cause[strlen(cause) - 1] == '\n' ? "" : "\n");
		free(cause);
		return (2);
	}
	if (chain_source_bundle(src, o->bundle, &cause) == 0)
		return (0);
	printf("error: %s\nFAILED: the bundle is unreadable\n", cause);
	free(cause);
	return (1);
}

/* Stream the chain from the database or a bundle through the verifier. */
static int
verify_run(const struct verify_opts *o, struct chain_verify_in *in)
{
	struct chain_source	 src;
	struct chain_report	 rep;
	struct chain_verifier	*v;
	const struct buf	*cert;
	int			 rc;

	if ((rc = verify_open(o, &src)) != 0)
		return (rc);
	cert = chain_source_cert(&src);
	in->cert = cert->len ? (const char *)cert->data : NULL;
	in->certlen = cert->len;
	v = chain_verifier_new(in, &rep);
	if (chain_verify_feed(v, chain_source_row, chain_source_cp,
	    &src) != 0) {
		if (src.conn != NULL)
			fprintf(stderr, "wachter verify: %s\n",
			    chain_source_error(&src));
		else
			printf("error: %s\nFAILED: the bundle is unreadable\n",
			    chain_source_error(&src));
		rc = src.conn != NULL ? 2 : 1;
		chain_verifier_end(v);
		chain_report_free(&rep);
		chain_source_close(&src);
		return (rc);
	}
	chain_verifier_end(v);
	if (src.conn != NULL) {
		buf_add(&rep.text, src.db.findings.data, src.db.findings.len);
		rep.errors += src.db.nerr;
		histstore_verify(src.conn, &rep, &rep.text, &rep.errors,
		    &rep.warnings);
	}
	verify_policy(o, &rep);
	rc = verify_report(o, &rep, rep.ncps);
	chain_report_free(&rep);
	chain_source_close(&src);
	return (rc);
}

/* Parse the options. */
static int
verify_opts(int argc, char **argv, struct verify_opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "bundle", required_argument, NULL, 'b' },
		{ "root-pubkey", required_argument, NULL, 'k' },
		{ "since-checkpoint", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-age", required_argument, NULL, 'a' },
		{ "alarms-seen", required_argument, NULL, 'A' },
		{ "require-kept", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	memset(o, 0, sizeof *o);
	o->max_age = -1;
	while ((ch = getopt_long(argc, argv, "d:b:k:s:qa:A:K", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd': o->db = optarg; break;
		case 'b': o->bundle = optarg; break;
		case 'k': o->pubkey = optarg; break;
		case 's': o->since = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'a':
			if (*optarg < '0' || *optarg > '9')
				return (-1);
			o->max_age = strtol(optarg, NULL, 10);
			break;
		case 'A': o->alarms_seen = strtoll(optarg, NULL, 10); break;
		case 'K': o->require_kept = 1; break;
		default: return (-1);
		}
	}
	if (optind != argc || o->pubkey == NULL ||
	    (o->db == NULL) == (o->bundle == NULL))
		return (-1);
	if (o->max_age < 0)	/* a bundle is a copy, the database live */
		o->max_age = o->db != NULL ? 300 : 0;
	return (0);
}

/* wachter verify (--db CONNINFO | --bundle FILE) --root-pubkey FILE ... */
int
cmd_verify(int argc, char **argv)
{
	struct verify_opts	 o;
	struct chain_verify_in	 in;
	struct buf		 since;
	char			*cause;
	int			 rc;

	if (verify_opts(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: wachter verify (--db CONNINFO | "
		    "--bundle FILE) --root-pubkey FILE\n"
		    "           [--since-checkpoint FILE] [--max-age SECONDS] "
		    "[--alarms-seen ID]\n"
		    "           [--require-kept] [--quiet]\n");
		return (2);
	}
	if (sodium_init() < 0)
		return (2);
	memset(&in, 0, sizeof in);
	if (keyfile_root_load(o.pubkey, in.origin, in.root_pk, &cause) != 0) {
		fprintf(stderr, "wachter verify: %s\n", cause);
		free(cause);
		return (2);
	}
	buf_init(&since);
	if (o.since != NULL) {
		if (verify_read(o.since, &since) != 0)
			return (2);
		in.since = since.len ? (char *)since.data : "";
		in.sincelen = since.len;
	}
	rc = verify_run(&o, &in);
	buf_free(&since);
	return (rc);
}
