/*
 * cmd_keygen.c: `wachter keygen [-n ORIGIN] [-r ROOTKEY] DIR` creates the
 * root key, the first epoch's seed and the root's certificate of epoch 1.
 * The root secret is only needed again to start a new log, and on the
 * daemon's host it defeats rollback detection: it is written outside DIR
 * (to ROOTKEY, by default DIR.root.key beside it) for the operator to move
 * offline, and wachterd warns while it finds it there.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "chain/chain.h"
#include "cli/cmd.h"
#include "keyfile.h"
#include "util/xmalloc.h"

/* Write one key file (name NULL: dir is the file's path). */
static int
keygen_file(const char *dir, const char *name, const struct buf *b,
    int secret)
{
	char	*path, *cause;
	int	 rc;

	if (name != NULL)
		xasprintf(&path, "%s/%s", dir, name);
	else
		path = xstrdup(dir);
	rc = keyfile_create(path, b->data, b->len, secret, &cause);
	if (rc != 0) {
		fprintf(stderr, "wachter keygen: %s\n", cause);
		free(cause);
	}
	free(path);
	return (rc);
}

/* Create root and epoch 1 keys in dir, the root secret at rootkey. */
static int
keygen_run(const char *dir, const char *rootpath, const char *origin)
{
	uint8_t		*rseed, *rsk, *eseed, rpk[CHAIN_PK], epk[CHAIN_PK];
	uint8_t		 esk[CHAIN_SK];
	struct buf	 rootkey, pub, cert;
	char		*cause, *path;
	int		 rc;

	rseed = sodium_malloc(CHAIN_SEED);
	rsk = sodium_malloc(CHAIN_SK);
	eseed = sodium_malloc(CHAIN_SEED);
	if (rseed == NULL || rsk == NULL || eseed == NULL)
		abort();
	randombytes_buf(rseed, CHAIN_SEED);
	randombytes_buf(eseed, CHAIN_SEED);
	chain_epoch_keypair(rpk, rsk, rseed);
	chain_epoch_keypair(epk, esk, eseed);
	sodium_memzero(esk, sizeof esk);
	buf_init(&rootkey);
	buf_init(&pub);
	buf_init(&cert);
	buf_printf(&rootkey, "wachter-root-key v1\n%s\n", origin);
	chain_b64(&rootkey, rseed, CHAIN_SEED);
	buf_addc(&rootkey, '\n');
	chain_vkey_format(&pub, origin, rpk);
	buf_addc(&pub, '\n');
	chain_cert_sign(&cert, origin, 1, epk, (int64_t)time(NULL) * 1000000,
	    rsk);
	rc = keygen_file(rootpath, NULL, &rootkey, 1);
	if (rc == 0)
		rc = keygen_file(dir, "root.pub", &pub, 0);
	if (rc == 0)
		rc = keygen_file(dir, "epoch-1.cert", &cert, 0);
	if (rc == 0) {
		xasprintf(&path, "%s/epoch.key", dir);
		if ((rc = keyfile_epoch_store(path, 1, eseed, 1, &cause)) != 0) {
			fprintf(stderr, "wachter keygen: %s\n", cause);
			free(cause);
		}
		free(path);
	}
	if (rc == 0) {
		printf("%s", buf_cstr(&pub));
		fprintf(stderr, "wachter keygen: the root secret is in %s. "
		    "Move it offline now: it is needed only to start a new "
		    "log, and on this host it defeats rollback detection "
		    "(wachterd warns while it is there)\n", rootpath);
	}
	sodium_memzero(rootkey.data, rootkey.len);
	buf_free(&rootkey);
	buf_free(&pub);
	buf_free(&cert);
	sodium_free(rseed);
	sodium_free(rsk);
	sodium_free(eseed);
	return (rc == 0 ? 0 : 1);
}

/* wachter keygen [-n ORIGIN] DIR */
int
cmd_keygen(int argc, char **argv)
{
	const char	*origin = "wachter.invalid/alerts", *rootkey = NULL;
	char		*path;
	int		 ch, rc;

	while ((ch = getopt(argc, argv, "n:r:")) != -1) {
		if (ch == 'n')
			origin = optarg;
		else if (ch == 'r')
			rootkey = optarg;
		else
			goto usage;
	}
	if (argc - optind != 1)
		goto usage;
	if (!chain_name_valid(origin)) {
		fprintf(stderr, "wachter keygen: origin must be printable "
		    "ASCII without spaces or '+'\n");
		return (2);
	}
	if (sodium_init() < 0)
		return (1);
	if (mkdir(argv[optind], 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "wachter keygen: %s: %s\n", argv[optind],
		    strerror(errno));
		return (1);
	}
	path = rootkey != NULL ? xstrdup(rootkey) :
	    keyfile_root_secret_path(argv[optind]);
	rc = keygen_run(argv[optind], path, origin);
	free(path);
	return (rc);
usage:
	fprintf(stderr, "usage: wachter keygen [-n ORIGIN] [-r ROOTKEY] DIR\n");
	return (2);
}
