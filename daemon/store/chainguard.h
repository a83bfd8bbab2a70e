/*
 * chainguard.h: the daemon's files beside its keys that let it recognise
 * its own part of the chain (the head file and the MAC key), and the
 * replay of the stored chain through lib/chain/guard.c at every
 * (re)connect, before anything new is signed.
 */
#ifndef WACHTER_CHAINGUARD_H
#define WACHTER_CHAINGUARD_H

#include <libpq-fe.h>

#include "chain/chain.h"

int	 chainguard_head_load(const char *, struct chain_head *, int *, char **)
	    __attribute__((warn_unused_result));
int	 chainguard_head_store(const char *, const struct chain_head *, char **)
	    __attribute__((warn_unused_result));
int	 chainguard_mackey(const char *, uint8_t[CHAIN_MACKEY], int, char **)
	    __attribute__((warn_unused_result));
int	 chainguard_count(PGconn *, int64_t *, char **)
	    __attribute__((warn_unused_result));
int	 chainguard_replay(PGconn *, struct chain_guard *, struct chain_writer *,
	    uint64_t, char **) __attribute__((warn_unused_result));
int	 chainguard_log_check(PGconn *, const char *, const char *,
	    const uint8_t[CHAIN_PK], char **) __attribute__((warn_unused_result));
void	 chainguard_alarm(PGconn *, const char *);

#endif
