/*
 * verify.c: the auditor's check of a whole chain, given the pinned root key.
 * It never stops at the first problem: every finding becomes one line that
 * names the record or checkpoint, so an auditor sees the extent of damage.
 * The algorithm is the one docs/CHAIN.md specifies, step by step.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "chain/chain.h"
#include "util/xmalloc.h"

#define CHAIN_REPORT_MAX	200	/* lines kept; the rest are counted */

struct chain_vstate {
	const struct chain_verify_in	*in;
	struct chain_report		*rep;
	merkle_hash			 log_id;
	merkle_hash			*leaves;
	int64_t				*times;
	uint32_t			*epochs;
	uint8_t				(*keys)[CHAIN_PK];	/* by epoch */
	size_t				 nkeys;
	uint32_t			 epoch;		/* current, certified */
	uint64_t			 sealed;	/* size at last seal */
	struct merkle_frontier		 tree;
};

/* Add one finding to the report. */
static void __attribute__((format(printf, 3, 4)))
chain_find(struct chain_vstate *v, int error, const char *fmt, ...)
{
	struct chain_report	*rep = v->rep;
	va_list			 ap;
	char			*s;

	if (error)
		rep->errors++;
	else
		rep->warnings++;
	if (rep->errors + rep->warnings > CHAIN_REPORT_MAX)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		abort();
	va_end(ap);
	buf_printf(&rep->text, "%s: %s\n", error ? "error" : "warning", s);
	free(s);
}

/* Record i's checks against its typed columns. */
static void
chain_verify_typed(struct chain_vstate *v, const struct chain_row *row,
    const struct chain_record *r, const merkle_hash leaf)
{
	const char	*field;

	if (row->epoch < 0 || (uint32_t)row->epoch != r->epoch)
		chain_find(v, 1, "record %" PRIu64 ": epoch column does not "
		    "match the record bytes", r->seq);
	if (row->time_us != r->time_us)
		chain_find(v, 1, "record %" PRIu64 ": recorded_at column does "
		    "not match the record bytes", r->seq);
	if (sodium_memcmp(row->leaf, leaf, MERKLE_HASH) != 0)
		chain_find(v, 1, "record %" PRIu64 ": leaf_hash column does not "
		    "match the hash of the record bytes", r->seq);
	if (row->alert != NULL && !chain_alert_equal(r->alert, row->alert,
	    &field))
		chain_find(v, 1, "record %" PRIu64 ": column '%s' does not "
		    "match the record bytes (edited)", r->seq, field);
}

/* Check one decoded record's place in the chain. */
static void
chain_verify_link(struct chain_vstate *v, size_t i,
    const struct chain_record *r)
{
	merkle_hash	 zero;

	memset(zero, 0, sizeof zero);
	if (r->seq != i + 1)
		chain_find(v, 1, "record at position %zu holds seq %" PRIu64
		    " (deleted, inserted or reordered records)", i + 1, r->seq);
	if (sodium_memcmp(r->log_id, v->log_id, MERKLE_HASH) != 0)
		chain_find(v, 1, "record %zu: log id is not this log's (a "
		    "record from another installation)", i + 1);
	if (sodium_memcmp(r->prev, i == 0 ? zero : v->leaves[i - 1],
	    MERKLE_HASH) != 0)
		chain_find(v, 1, "record %zu: previous-hash link does not match "
		    "record %zu", i + 1, i);
	if (i > 0 && r->epoch < v->epochs[i - 1])
		chain_find(v, 1, "record %zu: epoch %" PRIu32 " goes back from "
		    "%" PRIu32, i + 1, r->epoch, v->epochs[i - 1]);
	if (i > 0 && r->time_us < v->times[i - 1])
		chain_find(v, 1, "record %zu: time %" PRId64 " is before the "
		    "previous record's %" PRId64, i + 1, r->time_us,
		    v->times[i - 1]);
}

/* Pass 1: every record, its link to the previous, its typed columns. */
static void
chain_verify_records(struct chain_vstate *v)
{
	const struct chain_row	*row;
	struct chain_record	 r;
	char			*cause;
	size_t			 i;

	for (i = 0; i < v->in->nrows; i++) {
		row = &v->in->rows[i];
		merkle_leaf(v->leaves[i], row->record, row->len);
		v->times[i] = i > 0 ? v->times[i - 1] : 0;
		v->epochs[i] = i > 0 ? v->epochs[i - 1] : 1;
		if (row->seq != (int64_t)i + 1)
			chain_find(v, 1, "row %zu: seq column is %" PRId64
			    " (a row deleted, inserted or reordered)", i + 1,
			    row->seq);
		if (chain_record_decode(row->record, row->len, &r, &cause)) {
			chain_find(v, 1, "record %zu: cannot decode: %s", i + 1,
			    cause);
			free(cause);
			continue;
		}
		chain_verify_link(v, i, &r);
		if (row->typed)
			chain_verify_typed(v, row, &r, v->leaves[i]);
		v->times[i] = r.time_us;
		v->epochs[i] = r.epoch;
		chain_record_clear(&r);
	}
}

/* Make room for and remember the key of an epoch. */
static void
chain_verify_addkey(struct chain_vstate *v, uint32_t epoch,
    const uint8_t pk[CHAIN_PK])
{
	if (epoch >= v->nkeys) {
		v->keys = xreallocarray(v->keys, epoch + 16, CHAIN_PK);
		v->nkeys = epoch + 16;
	}
	memcpy(v->keys[epoch], pk, CHAIN_PK);
}

/* Check the root's certificate of epoch 1. */
static void
chain_verify_cert(struct chain_vstate *v)
{
	struct chain_note	 n;
	struct chain_cert	 c;
	char			*cause;

	v->epoch = 0;
	if (v->in->cert == NULL) {
		chain_find(v, 1, "no epoch certificate: nothing is signed by "
		    "the root key");
		return;
	}
	if (chain_note_split(v->in->cert, v->in->certlen, &n, &cause) != 0 ||
	    chain_note_verify(&n, v->in->origin, v->in->root_pk, &cause) != 0 ||
	    chain_cert_parse(n.body, n.bodylen, &c, &cause) != 0) {
		chain_find(v, 1, "epoch certificate: %s", cause);
		free(cause);
		return;
	}
	if (strcmp(c.origin, v->in->origin) != 0 || c.epoch != 1) {
		chain_find(v, 1, "epoch certificate is not for epoch 1 of "
		    "this log");
		return;
	}
	chain_verify_addkey(v, 1, c.pk);
	v->epoch = 1;
}

/* The tree head over the first size leaves. */
static void
chain_verify_root(struct chain_vstate *v, uint64_t size, merkle_hash out)
{
	if (size < v->tree.size) {
		merkle_root(out, v->leaves, size);
		return;
	}
	while (v->tree.size < size)
		merkle_frontier_add(&v->tree, v->leaves[v->tree.size]);
	merkle_frontier_root(&v->tree, out);
}

/* Check that records sealed into epoch e carry epoch e. */
static void
chain_verify_epochs(struct chain_vstate *v, uint64_t from, uint64_t to,
    uint32_t e)
{
	uint64_t i;

	for (i = from; i < to && i < v->in->nrows; i++) {
		if (v->epochs[i] != e) {
			chain_find(v, 1, "record %" PRIu64 ": epoch %" PRIu32
			    " but it lies in epoch %" PRIu32 "'s part of the "
			    "tree", i + 1, v->epochs[i], e);
			return;
		}
	}
}

/* A checkpoint's typed columns against its note. */
static void
chain_verify_cptyped(struct chain_vstate *v, const struct chain_cprow *row,
    const struct chain_checkpoint *c)
{
	if (row->epoch < 0 || (uint32_t)row->epoch != c->epoch ||
	    row->size != (int64_t)c->size || row->time_us != c->time_us ||
	    row->seal != c->seal ||
	    sodium_memcmp(row->root, c->root, MERKLE_HASH) != 0)
		chain_find(v, 1, "checkpoint %" PRIu64 ": typed columns do not "
		    "match the signed note (edited)", c->n);
}

/* Signature and epoch continuity of one checkpoint; 1 if signed right. */
static int
chain_verify_cpsig(struct chain_vstate *v, const struct chain_note *n,
    const struct chain_checkpoint *c)
{
	char	*cause;

	if (v->epoch == 0)
		return (0);
	if (c->epoch > v->epoch) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": epoch %" PRIu32
		    ", but epoch %" PRIu32 " was never sealed (missing epoch "
		    "or deleted checkpoints)", c->n, c->epoch, v->epoch);
		return (0);
	}
	if (c->epoch < v->epoch) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": epoch %" PRIu32
		    " after that epoch was sealed", c->n, c->epoch);
		return (0);
	}
	if (chain_note_verify(n, v->in->origin, v->keys[c->epoch],
	    &cause) != 0) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": not signed by the key "
		    "of epoch %" PRIu32 ": %s", c->n, c->epoch, cause);
		free(cause);
		return (0);
	}
	return (1);
}

/* The tree, sizes and times one checkpoint commits to. */
static void
chain_verify_cptree(struct chain_vstate *v, const struct chain_checkpoint *c,
    const struct chain_checkpoint *prev)
{
	merkle_hash	 root;
	uint64_t	 n = v->in->nrows;

	if (prev != NULL && c->size < prev->size)
		chain_find(v, 1, "checkpoint %" PRIu64 ": tree size %" PRIu64
		    " is smaller than the previous %" PRIu64 " (rolled back)",
		    c->n, c->size, prev->size);
	if (prev != NULL && c->time_us < prev->time_us)
		chain_find(v, 1, "checkpoint %" PRIu64 ": time goes backwards",
		    c->n);
	if (c->size > n) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": covers %" PRIu64
		    " records but only %" PRIu64 " are stored (records removed "
		    "from the end)", c->n, c->size, n);
		return;
	}
	chain_verify_root(v, c->size, root);
	if (sodium_memcmp(root, c->root, MERKLE_HASH) != 0)
		chain_find(v, 1, "checkpoint %" PRIu64 ": root does not match "
		    "records 1..%" PRIu64 " (altered, removed, inserted or "
		    "reordered records)", c->n, c->size);
	if (c->size > 0 && v->times[c->size - 1] > c->time_us)
		chain_find(v, 1, "checkpoint %" PRIu64 ": older than record %"
		    PRIu64 " it covers", c->n, c->size);
	if (c->size < n && v->times[c->size] < c->time_us)
		chain_find(v, 1, "record %" PRIu64 ": time is before checkpoint "
		    "%" PRIu64 " that precedes it", c->size + 1, c->n);
}

/* Pass 2: every checkpoint, in number order. */
static void
chain_verify_checkpoints(struct chain_vstate *v)
{
	const struct chain_cprow *row;
	struct chain_checkpoint	 c, prev;
	struct chain_note	 n;
	char			*cause;
	size_t			 j;
	int			 have = 0;

	for (j = 0; j < v->in->ncps; j++) {
		row = &v->in->cps[j];
		if (row->n != (int64_t)j + 1)
			chain_find(v, 1, "checkpoint row %zu: number is %" PRId64
			    " (checkpoint deleted, inserted or reordered)",
			    j + 1, row->n);
		if (chain_note_split(row->note, row->len, &n, &cause) != 0 ||
		    chain_checkpoint_parse(n.body, n.bodylen, &c, &cause)) {
			chain_find(v, 1, "checkpoint %zu: %s", j + 1, cause);
			free(cause);
			continue;
		}
		if (c.n != j + 1)
			chain_find(v, 1, "checkpoint %zu: its note says number %"
			    PRIu64, j + 1, c.n);
		if (strcmp(c.origin, v->in->origin) != 0)
			chain_find(v, 1, "checkpoint %zu: origin '%s' is not "
			    "this log's", j + 1, c.origin);
		if (row->typed)
			chain_verify_cptyped(v, row, &c);
		chain_verify_cptree(v, &c, have ? &prev : NULL);
		if (chain_verify_cpsig(v, &n, &c) && c.seal) {
			chain_verify_epochs(v, v->sealed, c.size, c.epoch);
			v->sealed = c.size;
			chain_verify_addkey(v, c.epoch + 1, c.next_pk);
			v->epoch = c.epoch + 1;
		}
		prev = c;
		have = 1;
	}
	if (v->epoch != 0)
		chain_verify_epochs(v, v->sealed, v->in->nrows, v->epoch);
	if (!have)
		chain_find(v, 1, "no signed checkpoint at all: nothing in the "
		    "store is signed (the daemon writes one at least every "
		    "minute)");
	v->rep->last_time = have ? prev.time_us : -1;
	if (have && prev.size < v->in->nrows)
		chain_find(v, 0, "records %" PRIu64 "..%zu are not yet covered "
		    "by a signed checkpoint", prev.size + 1, v->in->nrows);
}

/* Length of the first note in s (through its signature line), or 0. */
static size_t
chain_note_extent(const char *s, size_t len)
{
	const char	*nl;
	size_t		 i;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] == '\n' && s[i + 1] == '\n') {
			nl = memchr(s + i + 2, '\n', len - i - 2);
			return (nl ? (size_t)(nl + 1 - s) : 0);
		}
	}
	return (0);
}

/* One checkpoint the auditor kept, against the store. */
static void
chain_verify_kept(struct chain_vstate *v, const char *s, size_t len)
{
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	const struct chain_cprow *row;
	merkle_hash		 root;
	char			*cause;

	if (chain_note_split(s, len, &n, &cause) != 0 ||
	    chain_checkpoint_parse(n.body, n.bodylen, &c, &cause) != 0) {
		chain_find(v, 1, "kept checkpoint: %s", cause);
		free(cause);
		return;
	}
	if (strcmp(c.origin, v->in->origin) != 0 || c.epoch == 0 ||
	    c.epoch > v->epoch) {
		chain_find(v, 1, "kept checkpoint %" PRIu64 ": epoch %" PRIu32
		    " is not in the stored key chain, which reaches epoch %"
		    PRIu32 " (epochs removed or rolled back)", c.n, c.epoch,
		    v->epoch);
		return;
	}
	if (chain_note_verify(&n, v->in->origin, v->keys[c.epoch], &cause)) {
		chain_find(v, 1, "kept checkpoint %" PRIu64 ": %s", c.n, cause);
		free(cause);
		return;
	}
	if (c.n > v->in->ncps)
		chain_find(v, 1, "kept checkpoint %" PRIu64 " is missing from "
		    "the store (checkpoints rolled back)", c.n);
	else {
		row = &v->in->cps[c.n - 1];
		if (row->len != len || memcmp(row->note, s, len) != 0)
			chain_find(v, 1, "stored checkpoint %" PRIu64 " differs "
			    "from the kept copy (rewritten)", c.n);
	}
	if (c.size > v->in->nrows) {
		chain_find(v, 1, "kept checkpoint %" PRIu64 " covers %" PRIu64
		    " records; the store has %zu (records removed)", c.n,
		    c.size, v->in->nrows);
		return;
	}
	chain_verify_root(v, c.size, root);
	if (sodium_memcmp(root, c.root, MERKLE_HASH) != 0)
		chain_find(v, 1, "the store is not consistent with kept "
		    "checkpoint %" PRIu64 " (history rewritten)", c.n);
}

/* Pass 3: every note in the auditor's file of kept checkpoints. */
static void
chain_verify_since(struct chain_vstate *v)
{
	const char	*s = v->in->since;
	size_t		 len = v->in->sincelen, n;
	int		 count = 0;

	while (s != NULL && len > 0) {
		while (len > 0 && *s == '\n') {
			s++;
			len--;
		}
		if (len == 0)
			break;
		if ((n = chain_note_extent(s, len)) == 0) {
			/* A crash mid-append cuts the last note, nothing else. */
			chain_find(v, 0, "kept checkpoints: the file ends in "
			    "%zu bytes that are not a whole note (a torn "
			    "write): ignored", len);
			break;
		}
		chain_verify_kept(v, s, n);
		s += n;
		len -= n;
		count++;
	}
	if (v->in->since != NULL && count == 0)
		chain_find(v, 1, "kept checkpoints: no note found");
}

/* Verify a whole chain; findings go to rep (errors > 0 means it failed). */
void
chain_verify(const struct chain_verify_in *in, struct chain_report *rep)
{
	struct chain_vstate	 v;
	size_t			 n = in->nrows ? in->nrows : 1;

	memset(rep, 0, sizeof *rep);
	buf_init(&rep->text);
	memset(&v, 0, sizeof v);
	v.in = in;
	v.rep = rep;
	chain_log_id(v.log_id, in->root_pk);
	v.leaves = xcalloc(n, sizeof *v.leaves);
	v.times = xcalloc(n, sizeof *v.times);
	v.epochs = xcalloc(n, sizeof *v.epochs);
	merkle_frontier_init(&v.tree);
	chain_verify_records(&v);
	chain_verify_cert(&v);
	chain_verify_checkpoints(&v);
	chain_verify_since(&v);
	if (rep->errors + rep->warnings > CHAIN_REPORT_MAX)
		buf_printf(&rep->text, "... %zu more findings not shown\n",
		    rep->errors + rep->warnings - CHAIN_REPORT_MAX);
	rep->size = in->nrows;
	rep->epoch = v.epoch;
	free(v.leaves);
	free(v.times);
	free(v.epochs);
	free(v.keys);
}

/* Free a report's text. */
void
chain_report_free(struct chain_report *rep)
{
	buf_free(&rep->text);
}
