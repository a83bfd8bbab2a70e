/*
 * keyfile.h: the chain's key files. Secrets are created 0600 and refused
 * when group or others may read them or when another user owns them.
 *
 * DIR.root.key		root seed, beside DIR: keygen's default, to be moved
 *			offline at once (wachterd warns while it finds it, or
 *			a DIR/root.key)
 * DIR/root.pub		root verifier key (C2SP vkey), what auditors pin
 * DIR/epoch.key	current epoch number and seed, rewritten in place
 * DIR/epoch-1.cert	root-signed certificate of epoch 1's key
 * DIR/chain.mac	the daemon's key for MACs of its own records
 * DIR/chain.head	what the daemon last committed (docs/CHAIN.md 9)
 */
#ifndef WACHTER_KEYFILE_H
#define WACHTER_KEYFILE_H

#include <stdint.h>

#include "chain/note.h"
#include "util/buf.h"

int	 keyfile_create(const char *, const void *, size_t, int, char **)
	    __attribute__((warn_unused_result));
int	 keyfile_replace(const char *, const void *, size_t, char **)
	    __attribute__((warn_unused_result));
int	 keyfile_read(const char *, int, struct buf *, char **)
	    __attribute__((warn_unused_result));
int	 keyfile_epoch_load(const char *, uint32_t *, uint8_t[CHAIN_SEED],
	    char **) __attribute__((warn_unused_result));
int	 keyfile_epoch_store(const char *, uint32_t, const uint8_t[CHAIN_SEED],
	    int, char **) __attribute__((warn_unused_result));
int	 keyfile_root_load(const char *, char *, uint8_t[CHAIN_PK], char **)
	    __attribute__((warn_unused_result));
void	 keyfile_epoch_format(char *, size_t, uint32_t,
	    const uint8_t[CHAIN_SEED]);
char	*keyfile_root_secret_path(const char *);
int	 keyfile_secret_load(const char *, const char *, uint8_t *, size_t,
	    int *, char **) __attribute__((warn_unused_result));
int	 keyfile_root_secret_near(const char *, char **);

#define KEYFILE_EPOCH_LEN	(21 + 11 + 45)	/* magic, epoch, seed lines */

#endif
