/*
 * writer.c: the daemon's side of the chain. It keeps only what appending
 * needs: the Merkle frontier, the last leaf hash, the current epoch's key
 * (in locked memory) and the last time used, which never goes backwards.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "chain/chain.h"
#include "util/xmalloc.h"

struct chain_writer {
	char			 origin[CHAIN_NAME_MAX];
	merkle_hash		 log_id;
	struct merkle_frontier	 tree;
	merkle_hash		 last;		/* leaf hash of the last record */
	uint64_t		 ncheckpoints;
	int64_t			 time_us;	/* last time handed out */
	uint32_t		 epoch;
	uint8_t			 version;	/* of the records it writes */
	uint8_t			*seed;		/* sodium_malloc'd */
	uint8_t			*sk;
	uint8_t			 pk[CHAIN_PK];
	int			 has_hist;	/* sign the officers' heads */
	struct chain_hhead	 hist[CHAIN_HISTS];
};

/* Derive the key pair of the current seed. */
static void
chain_writer_keys(struct chain_writer *w)
{
	chain_epoch_keypair(w->pk, w->sk, w->seed);
}

/* A writer for an empty chain at the given epoch and seed. */
struct chain_writer *
chain_writer_new(const char *origin, const uint8_t root_pk[CHAIN_PK],
    uint32_t epoch, const uint8_t seed[CHAIN_SEED])
{
	struct chain_writer	*w;

	w = xcalloc(1, sizeof *w);
	strncpy(w->origin, origin, sizeof w->origin - 1);
	chain_log_id(w->log_id, root_pk);
	merkle_frontier_init(&w->tree);
	w->epoch = epoch;
	w->seed = sodium_malloc(CHAIN_SEED);
	w->sk = sodium_malloc(CHAIN_SK);
	if (w->seed == NULL || w->sk == NULL)
		abort();
	memcpy(w->seed, seed, CHAIN_SEED);
	chain_writer_keys(w);
	return (w);
}

/* Free a writer; secrets are wiped by sodium_free. */
void
chain_writer_free(struct chain_writer *w)
{
	if (w == NULL)
		return;
	sodium_free(w->seed);
	sodium_free(w->sk);
	free(w);
}

/* Take the larger of the current time and the last time used. */
static int64_t
chain_writer_clock(struct chain_writer *w, int64_t now_us)
{
	if (now_us < 0)
		now_us = 0;
	if (now_us > w->time_us)
		w->time_us = now_us;
	return (w->time_us);
}

/* Replay one stored leaf (in seq order) when restoring. */
void
chain_writer_restore_leaf(struct chain_writer *w, const merkle_hash leaf,
    int64_t time_us)
{
	merkle_frontier_add(&w->tree, leaf);
	memcpy(w->last, leaf, MERKLE_HASH);
	chain_writer_clock(w, time_us);
}

/*
 * Take on a whole checked tree at once (the guard's frontier, its last
 * leaf and time) when restoring.
 */
void
chain_writer_restore_tree(struct chain_writer *w,
    const struct merkle_frontier *f, const merkle_hash last, int64_t time_us)
{
	w->tree = *f;
	memcpy(w->last, last, MERKLE_HASH);
	chain_writer_clock(w, time_us);
}

/* The frontier over every record appended (for the head file). */
void
chain_writer_tree(const struct chain_writer *w, struct merkle_frontier *f)
{
	*f = w->tree;
}

/* Replay the last stored checkpoint when restoring. */
void
chain_writer_restore_checkpoint(struct chain_writer *w, uint64_t n,
    int64_t time_us)
{
	w->ncheckpoints = n;
	chain_writer_clock(w, time_us);
}

/* Turn an alert into the next record. */
void
chain_writer_append(struct chain_writer *w, const struct alert *a,
    int64_t now_us, struct chain_append *out)
{
	struct chain_record	 r;

	memset(&r, 0, sizeof r);
	r.seq = w->tree.size + 1;
	r.epoch = w->epoch;
	r.time_us = chain_writer_clock(w, now_us);
	memcpy(r.log_id, w->log_id, MERKLE_HASH);
	if (r.seq > 1)
		memcpy(r.prev, w->last, MERKLE_HASH);
	r.alert = chain_alert_canonical(a);
	r.version = w->version;
	buf_init(&out->record);
	chain_record_encode(&out->record, &r);
	merkle_leaf(out->leaf, out->record.data, out->record.len);
	memcpy(out->prev, r.prev, MERKLE_HASH);
	out->hasmac = 0;
	out->seq = r.seq;
	out->epoch = r.epoch;
	out->time_us = r.time_us;
	out->alert = r.alert;
	merkle_frontier_add(&w->tree, out->leaf);
	memcpy(w->last, out->leaf, MERKLE_HASH);
}

/* Write records of this version from now on (docs/CHAIN.md 1a). */
void
chain_writer_set_version(struct chain_writer *w, uint8_t version)
{
	w->version = version;
}

/* The officers' history heads the next checkpoints sign. */
void
chain_writer_set_history(struct chain_writer *w,
    const struct chain_hhead hist[CHAIN_HISTS])
{
	memcpy(w->hist, hist, sizeof w->hist);
	w->has_hist = 1;
}

/* Free what an append result owns. */
void
chain_append_clear(struct chain_append *out)
{
	buf_free(&out->record);
	alert_free(out->alert);
	out->alert = NULL;
}

/* Sign a checkpoint of the whole tree; a seal also names the next key. */
void
chain_writer_checkpoint(struct chain_writer *w, int64_t now_us, int seal,
    struct buf *note, struct chain_checkpoint *c)
{
	struct buf	 body;
	uint8_t		*next, *nsk;

	memset(c, 0, sizeof *c);
	memcpy(c->origin, w->origin, sizeof c->origin);
	c->size = w->tree.size;
	merkle_frontier_root(&w->tree, c->root);
	c->epoch = w->epoch;
	c->n = ++w->ncheckpoints;
	c->time_us = chain_writer_clock(w, now_us);
	if ((c->has_hist = w->has_hist) != 0)
		memcpy(c->hist, w->hist, sizeof c->hist);
	if ((c->seal = seal) != 0) {
		next = sodium_malloc(CHAIN_SEED);
		nsk = sodium_malloc(CHAIN_SK);
		if (next == NULL || nsk == NULL)
			abort();
		chain_epoch_ratchet(next, w->seed, w->epoch + 1);
		chain_epoch_keypair(c->next_pk, nsk, next);
		sodium_free(next);
		sodium_free(nsk);
	}
	buf_init(&body);
	chain_checkpoint_body(&body, c);
	chain_note_sign(note, (const char *)body.data, body.len, w->origin,
	    w->sk);
	buf_free(&body);
}

/*
 * Step to the next epoch once its seal is committed: the old seed and key
 * are overwritten in place; the new seed is copied out for the key file.
 */
void
chain_writer_ratchet(struct chain_writer *w, uint8_t out[CHAIN_SEED])
{
	uint8_t	 next[CHAIN_SEED];

	chain_epoch_ratchet(next, w->seed, w->epoch + 1);
	memcpy(w->seed, next, CHAIN_SEED);
	sodium_memzero(next, sizeof next);
	w->epoch++;
	chain_writer_keys(w);
	if (out != NULL)
		memcpy(out, w->seed, CHAIN_SEED);
}

/* The current epoch. */
uint32_t
chain_writer_epoch(const struct chain_writer *w)
{
	return (w->epoch);
}

/* Records in the chain. */
uint64_t
chain_writer_size(const struct chain_writer *w)
{
	return (w->tree.size);
}

/* The last time handed out. */
int64_t
chain_writer_time(const struct chain_writer *w)
{
	return (w->time_us);
}

/* The public key of the current epoch. */
void
chain_writer_pk(const struct chain_writer *w, uint8_t pk[CHAIN_PK])
{
	memcpy(pk, w->pk, CHAIN_PK);
}

/* The leaf hash of the last record (zeros for an empty chain). */
void
chain_writer_last(const struct chain_writer *w, merkle_hash leaf)
{
	memcpy(leaf, w->last, MERKLE_HASH);
}
