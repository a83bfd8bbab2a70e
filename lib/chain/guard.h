/*
 * guard.h: what the daemon checks before it signs. The daemon keeps a
 * small head file beside its keys (its last committed checkpoint and
 * record, and the key that signs next); before it extends the chain it
 * replays every stored checkpoint and record through a guard, which
 * refuses anything it did not write itself: a record after the head must
 * carry a MAC under the daemon's own key, a checkpoint after the head must
 * be signed with the daemon's epoch keys, and everything up to the head
 * must still hash to what the head says. With the head's Merkle frontier
 * (a v2 head file) the guard starts at the head's last record instead of
 * record 1, so a restart costs what was added since, not the whole
 * history. docs/CHAIN.md section 9 argues why that is enough.
 */
#ifndef WACHTER_CHAIN_GUARD_H
#define WACHTER_CHAIN_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "chain/merkle.h"
#include "chain/note.h"
#include "util/buf.h"

#define CHAIN_MAC	32	/* HMAC-SHA-256 of a leaf hash */
#define CHAIN_MACKEY	32

/* The head file: what this daemon last committed. */
struct chain_head {
	uint64_t	 cp_n;		/* last own checkpoint, 0: none */
	uint64_t	 cp_size;
	merkle_hash	 cp_root;
	merkle_hash	 cp_note;	/* SHA-256 of its note bytes */
	uint32_t	 epoch;		/* the epoch that signs next */
	uint8_t		 pk[CHAIN_PK];	/* and its public key */
	uint64_t	 size;		/* records committed */
	merkle_hash	 leaf;		/* leaf hash of record size */
	int		 has_tree;	/* a v2 file: tree below is set */
	struct merkle_frontier tree;	/* over records 1..size */
};

struct chain_guard;

void	 chain_head_format(struct buf *, const struct chain_head *);
int	 chain_head_parse(const char *, size_t, struct chain_head *, char **)
	    __attribute__((warn_unused_result));
void	 chain_record_mac(uint8_t[CHAIN_MAC], const uint8_t[CHAIN_MACKEY],
	    const merkle_hash);

struct chain_guard *chain_guard_new(const struct chain_head *, const char *,
	    const uint8_t[CHAIN_PK], const uint8_t[CHAIN_MACKEY]);
void	 chain_guard_free(struct chain_guard *);
int	 chain_guard_checkpoint(struct chain_guard *, int64_t, const char *,
	    size_t);
int	 chain_guard_record(struct chain_guard *, int64_t, const uint8_t *,
	    size_t, const uint8_t *, size_t, merkle_hash, int64_t *);
void	 chain_guard_checkpoints_done(struct chain_guard *);
uint64_t chain_guard_from(const struct chain_guard *);
int	 chain_guard_prefix(struct chain_guard *, int64_t, int64_t);
int	 chain_guard_end(struct chain_guard *);
const char *chain_guard_error(const struct chain_guard *);
void	 chain_guard_state(const struct chain_guard *, uint64_t *, int64_t *,
	    uint32_t *, uint8_t[CHAIN_PK]);
void	 chain_guard_tree(const struct chain_guard *, struct merkle_frontier *,
	    merkle_hash, int64_t *);

#endif
