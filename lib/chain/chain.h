/*
 * chain.h: the signed alert chain as the daemon and the tools use it.
 *
 * Writer: the daemon restores it from the database (every leaf hash in seq
 * order and the last checkpoint), then, inside its store transaction, calls
 * chain_writer_append for each alert and chain_writer_checkpoint on its
 * timer (at least every 60 s). To close an epoch it writes a sealing
 * checkpoint, commits, then calls chain_writer_ratchet and stores the new
 * seed. After a failed transaction, free the writer and restore it again.
 *
 * Verifier: chain_verify checks records, links, tree, checkpoints and the
 * epoch key chain handed to it and reports every problem it finds.
 */
#ifndef WACHTER_CHAIN_H
#define WACHTER_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"
#include "chain/guard.h"
#include "chain/history.h"
#include "chain/merkle.h"
#include "chain/note.h"
#include "chain/record.h"
#include "util/buf.h"

struct chain_writer;

/* What one append produced, for the INSERT. */
struct chain_append {
	uint64_t	 seq;
	uint32_t	 epoch;
	int64_t		 time_us;
	merkle_hash	 leaf;
	merkle_hash	 prev;
	struct buf	 record;	/* exact bytes to store */
	struct alert	*alert;		/* the canonical fields it holds */
	int		 hasmac;	/* the daemon's MAC of leaf is set */
	uint8_t		 mac[CHAIN_MAC];
};

void	 chain_log_id(merkle_hash, const uint8_t[CHAIN_PK]);
void	 chain_epoch_ratchet(uint8_t[CHAIN_SEED], const uint8_t[CHAIN_SEED],
	    uint32_t);
void	 chain_epoch_keypair(uint8_t[CHAIN_PK], uint8_t[CHAIN_SK],
	    const uint8_t[CHAIN_SEED]);
void	 chain_cert_sign(struct buf *, const char *, uint32_t,
	    const uint8_t[CHAIN_PK], int64_t, const uint8_t[CHAIN_SK]);

struct chain_writer *chain_writer_new(const char *, const uint8_t[CHAIN_PK],
	    uint32_t, const uint8_t[CHAIN_SEED]);
void	 chain_writer_free(struct chain_writer *);
void	 chain_writer_restore_leaf(struct chain_writer *, const merkle_hash,
	    int64_t);
void	 chain_writer_restore_checkpoint(struct chain_writer *, uint64_t,
	    int64_t);
void	 chain_writer_restore_tree(struct chain_writer *,
	    const struct merkle_frontier *, const merkle_hash, int64_t);
void	 chain_writer_tree(const struct chain_writer *,
	    struct merkle_frontier *);
void	 chain_writer_append(struct chain_writer *, const struct alert *,
	    int64_t, struct chain_append *);
void	 chain_writer_set_version(struct chain_writer *, uint8_t);
void	 chain_writer_set_history(struct chain_writer *,
	    const struct chain_hhead[CHAIN_HISTS]);
void	 chain_append_clear(struct chain_append *);
void	 chain_writer_checkpoint(struct chain_writer *, int64_t, int,
	    struct buf *, struct chain_checkpoint *);
void	 chain_writer_ratchet(struct chain_writer *, uint8_t[CHAIN_SEED]);
uint32_t chain_writer_epoch(const struct chain_writer *);
uint64_t chain_writer_size(const struct chain_writer *);
int64_t	 chain_writer_time(const struct chain_writer *);
void	 chain_writer_pk(const struct chain_writer *, uint8_t[CHAIN_PK]);
void	 chain_writer_last(const struct chain_writer *, merkle_hash);

/* One stored record as the verifier receives it. */
struct chain_row {
	int64_t		 seq;		/* the row's seq column */
	const uint8_t	*record;
	size_t		 len;
	int		 typed;		/* typed columns below are present */
	int32_t		 epoch;
	int64_t		 time_us;
	merkle_hash	 leaf;
	struct alert	*alert;		/* typed columns, as an alert */
	const char	*bad_column;	/* an array column that is not 1-D */
};

/* One stored checkpoint. */
struct chain_cprow {
	int64_t		 n;		/* the row's checkpoint number */
	const char	*note;
	size_t		 len;
	int		 typed;
	int32_t		 epoch;
	int64_t		 size;
	int64_t		 time_us;
	merkle_hash	 root;
	int		 seal;
};

struct chain_verify_in {
	char			 origin[CHAIN_NAME_MAX];
	uint8_t			 root_pk[CHAIN_PK];
	const char		*cert;		/* root-signed epoch 1 note */
	size_t			 certlen;
	const struct chain_row	*rows;
	size_t			 nrows;
	const struct chain_cprow *cps;
	size_t			 ncps;
	const char		*since;		/* kept notes, or NULL */
	size_t			 sincelen;
};

struct chain_report {
	size_t		 errors;
	size_t		 warnings;
	struct buf	 text;		/* one line per finding */
	uint64_t	 size;		/* records verified */
	uint32_t	 epoch;		/* last epoch reached */
	int64_t		 last_time;	/* of the last checkpoint, or -1 */
	uint64_t	 ncps;		/* checkpoints verified */
	int		 have_cp;	/* cp below is the last checkpoint */
	struct chain_checkpoint cp;
	merkle_hash	 cp_note;	/* SHA-256 of its note */
	merkle_hash	 last_leaf;	/* of the last record */
	struct merkle_frontier tree;	/* over the records verified */
};

struct chain_verifier;

struct chain_verifier *chain_verifier_new(const struct chain_verify_in *,
	    struct chain_report *);
void	 chain_verifier_record(struct chain_verifier *,
	    const struct chain_row *);
void	 chain_verifier_checkpoint(struct chain_verifier *,
	    const struct chain_cprow *);
uint64_t chain_verifier_size(const struct chain_verifier *);
void	 chain_verifier_end(struct chain_verifier *);
uint64_t chain_cprow_size(const struct chain_cprow *);
typedef int (*chain_next_row)(void *, const struct chain_row **);
typedef int (*chain_next_cp)(void *, const struct chain_cprow **);
int	 chain_verify_feed(struct chain_verifier *, chain_next_row,
	    chain_next_cp, void *);
void	 chain_verify(const struct chain_verify_in *, struct chain_report *);
void	 chain_report_free(struct chain_report *);

#endif
