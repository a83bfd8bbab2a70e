/*
 * verify.c: the auditor's check of a whole chain, given the pinned root key.
 * It never stops at the first problem: every finding becomes one line that
 * names the record or checkpoint, so an auditor sees the extent of damage.
 * The algorithm is the one docs/CHAIN.md specifies, step by step.
 *
 * It streams: records and checkpoints are fed in order, merged so that a
 * checkpoint arrives when the tree has reached its size, and the verifier
 * keeps only a Merkle frontier and the previous record, so memory does not
 * grow with the chain (only the auditor's kept checkpoints are held).
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

/* One checkpoint the auditor kept, parsed up front. */
struct chain_kept {
	const char		*note;
	size_t			 len;
	int			 parsed;
	struct chain_checkpoint	 c;
	int			 stored;	/* -1 missing, 0 differs, 1 same */
	int			 root;		/* -1 not reached, 0 bad, 1 ok */
};

struct chain_verifier {
	const struct chain_verify_in	*in;
	struct chain_report		*rep;
	merkle_hash			 log_id;
	int64_t				 cert_time;
	uint64_t			 nrec;		/* records fed */
	merkle_hash			 last;		/* their last leaf */
	int64_t				 last_time;
	uint32_t			 last_epoch;
	int64_t				 floor_time;	/* next record >= */
	uint64_t			 floor_n;
	struct merkle_frontier		 tree;
	uint64_t			 sealed;	/* size at last seal */
	uint32_t			 run_epoch;	/* first since seal */
	uint64_t			 run_bad;	/* first other, or 0 */
	uint32_t			 run_bad_epoch;
	uint8_t				(*keys)[CHAIN_PK];	/* by epoch */
	size_t				 nkeys;
	uint32_t			 epoch;		/* current, certified */
	uint64_t			 ncps;
	struct chain_checkpoint		 prev;
	int				 have;
	struct chain_kept		*kept;
	size_t				 nkept;
	size_t				*by_size;	/* kept, by tree size */
	size_t				 size_i;
	size_t				*by_n;		/* kept, by number */
	size_t				 n_i;
};

/* Add one finding to the report. */
static void __attribute__((format(printf, 3, 4)))
chain_find(struct chain_verifier *v, int error, const char *fmt, ...)
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
chain_verify_typed(struct chain_verifier *v, const struct chain_row *row,
    const struct chain_record *r, const merkle_hash leaf)
{
	const char	*field;

	if (row->epoch < 0 || (uint32_t)row->epoch != r->epoch)
		chain_find(v, 1, "record %" PRIu64 ": epoch column does not "
		    "match the record bytes", r->seq);
	if (row->time_us != r->time_us)
		chain_find(v, 1, "record %" PRIu64 ": recorded_at column does "
		    "not match the record bytes", r->seq);
	if (memcmp(row->leaf, leaf, MERKLE_HASH) != 0)	/* public: plain */
		chain_find(v, 1, "record %" PRIu64 ": leaf_hash column does not "
		    "match the hash of the record bytes", r->seq);
	if (row->bad_column != NULL)
		chain_find(v, 1, "record %" PRIu64 ": column '%s' is not a "
		    "one-dimensional array indexed from 1", r->seq,
		    row->bad_column);
	else if (row->alert != NULL && !chain_alert_equal(r->alert, row->alert,
	    &field))
		chain_find(v, 1, "record %" PRIu64 ": column '%s' does not "
		    "match the record bytes (edited)", r->seq, field);
}

/* Check one decoded record's place in the chain (i counts from 1). */
static void
chain_verify_link(struct chain_verifier *v, uint64_t i,
    const struct chain_record *r)
{
	merkle_hash	 zero;

	/* Hashes everyone may know: memcmp, not a constant-time compare. */
	memset(zero, 0, sizeof zero);
	if (r->seq != i)
		chain_find(v, 1, "record at position %" PRIu64 " holds seq %"
		    PRIu64 " (deleted, inserted or reordered records)", i,
		    r->seq);
	if (memcmp(r->log_id, v->log_id, MERKLE_HASH) != 0)
		chain_find(v, 1, "record %" PRIu64 ": log id is not this log's "
		    "(a record from another installation)", i);
	if (memcmp(r->prev, i == 1 ? zero : v->last, MERKLE_HASH) != 0)
		chain_find(v, 1, "record %" PRIu64 ": previous-hash link does "
		    "not match record %" PRIu64, i, i - 1);
	if (i > 1 && r->epoch < v->last_epoch)
		chain_find(v, 1, "record %" PRIu64 ": epoch %" PRIu32 " goes "
		    "back from %" PRIu32, i, r->epoch, v->last_epoch);
	if (i > 1 && r->time_us < v->last_time)
		chain_find(v, 1, "record %" PRIu64 ": time %" PRId64 " is before "
		    "the previous record's %" PRId64, i, r->time_us,
		    v->last_time);
	if (v->floor_n != 0 && r->time_us < v->floor_time)
		chain_find(v, 1, "record %" PRIu64 ": time is before checkpoint "
		    "%" PRIu64 " that precedes it", i, v->floor_n);
	if (v->cert_time >= 0 && r->time_us < v->cert_time)
		chain_find(v, 1, "record %" PRIu64 ": time is before the epoch "
		    "certificate's", i);
}

/* Remember which epochs the records since the last seal carry. */
static void
chain_verify_run(struct chain_verifier *v, uint64_t i, uint32_t epoch)
{
	if (i == v->sealed + 1)
		v->run_epoch = epoch;
	else if (v->run_bad == 0 && epoch != v->run_epoch) {
		v->run_bad = i;
		v->run_bad_epoch = epoch;
	}
}

/* The auditor's kept checkpoints whose size the tree has just reached. */
static void
chain_verify_kept_roots(struct chain_verifier *v)
{
	struct chain_kept	*k;
	merkle_hash		 root;
	int			 have = 0;

	while (v->size_i < v->nkept &&
	    (k = &v->kept[v->by_size[v->size_i]])->c.size <= v->tree.size) {
		if (k->c.size == v->tree.size) {
			if (!have)
				merkle_frontier_root(&v->tree, root);
			have = 1;
			k->root = sodium_memcmp(root, k->c.root,
			    MERKLE_HASH) == 0;
		}
		v->size_i++;
	}
}

/* Feed the next stored record. */
void
chain_verifier_record(struct chain_verifier *v, const struct chain_row *row)
{
	struct chain_record	 r;
	merkle_hash		 leaf;
	char			*cause;
	uint64_t		 i = ++v->nrec;

	merkle_leaf(leaf, row->record, row->len);
	if (row->seq != (int64_t)i)
		chain_find(v, 1, "row %" PRIu64 ": seq column is %" PRId64
		    " (a row deleted, inserted or reordered)", i, row->seq);
	if (chain_record_decode(row->record, row->len, &r, &cause)) {
		chain_find(v, 1, "record %" PRIu64 ": cannot decode: %s", i,
		    cause);
		free(cause);
		chain_verify_run(v, i, v->last_epoch);
	} else {
		chain_verify_link(v, i, &r);
		if (row->typed)
			chain_verify_typed(v, row, &r, leaf);
		v->last_time = r.time_us;
		v->last_epoch = r.epoch;
		chain_verify_run(v, i, r.epoch);
		chain_record_clear(&r);
	}
	v->floor_n = 0;
	memcpy(v->last, leaf, MERKLE_HASH);
	memcpy(v->rep->last_leaf, leaf, MERKLE_HASH);
	merkle_frontier_add(&v->tree, leaf);
	chain_verify_kept_roots(v);
}

/* Make room for and remember the key of an epoch. */
static void
chain_verify_addkey(struct chain_verifier *v, uint32_t epoch,
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
chain_verify_cert(struct chain_verifier *v)
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
	v->cert_time = c.time_us;
}

/* Check that the records since the last seal carry epoch e. */
static void
chain_verify_epochs(struct chain_verifier *v, uint32_t e)
{
	if (v->nrec <= v->sealed)
		return;
	if (v->run_epoch != e)
		chain_find(v, 1, "record %" PRIu64 ": epoch %" PRIu32 " but it "
		    "lies in epoch %" PRIu32 "'s part of the tree", v->sealed + 1,
		    v->run_epoch, e);
	else if (v->run_bad != 0)
		chain_find(v, 1, "record %" PRIu64 ": epoch %" PRIu32 " but it "
		    "lies in epoch %" PRIu32 "'s part of the tree", v->run_bad,
		    v->run_bad_epoch, e);
}

/* A checkpoint's typed columns against its note. */
static void
chain_verify_cptyped(struct chain_verifier *v, const struct chain_cprow *row,
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
chain_verify_cpsig(struct chain_verifier *v, const struct chain_note *n,
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
	if (c->seal && sodium_memcmp(c->next_pk, v->keys[c->epoch],
	    CHAIN_PK) == 0) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": its seal certifies "
		    "the sealed epoch's own key again", c->n);
		return (0);
	}
	return (1);
}

/* The tree, sizes and times one checkpoint commits to. */
static void
chain_verify_cptree(struct chain_verifier *v, const struct chain_checkpoint *c)
{
	merkle_hash	 root;

	if (v->have && c->size < v->prev.size)
		chain_find(v, 1, "checkpoint %" PRIu64 ": tree size %" PRIu64
		    " is smaller than the previous %" PRIu64 " (rolled back)",
		    c->n, c->size, v->prev.size);
	if (v->have && c->time_us < v->prev.time_us)
		chain_find(v, 1, "checkpoint %" PRIu64 ": time goes backwards",
		    c->n);
	if (v->cert_time >= 0 && c->time_us < v->cert_time)
		chain_find(v, 1, "checkpoint %" PRIu64 ": time is before the "
		    "epoch certificate's", c->n);
	if (c->size > v->nrec) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": covers %" PRIu64
		    " records but only %" PRIu64 " are stored (records removed "
		    "from the end)", c->n, c->size, v->nrec);
		return;
	}
	if (c->size < v->tree.size)
		return;		/* went back: reported above */
	merkle_frontier_root(&v->tree, root);
	if (sodium_memcmp(root, c->root, MERKLE_HASH) != 0)
		chain_find(v, 1, "checkpoint %" PRIu64 ": root does not match "
		    "records 1..%" PRIu64 " (altered, removed, inserted or "
		    "reordered records)", c->n, c->size);
	if (c->size > 0 && v->last_time > c->time_us)
		chain_find(v, 1, "checkpoint %" PRIu64 ": older than record %"
		    PRIu64 " it covers", c->n, c->size);
	if (v->floor_n == 0 || c->time_us > v->floor_time)
		v->floor_time = c->time_us;
	v->floor_n = c->n;
}

/* Compare stored checkpoint j with the kept copies of the same number. */
static void
chain_verify_kept_bytes(struct chain_verifier *v, uint64_t j,
    const struct chain_cprow *row)
{
	struct chain_kept	*k;

	for (; v->n_i < v->nkept; v->n_i++) {
		k = &v->kept[v->by_n[v->n_i]];
		if (k->c.n > j)
			break;
		if (k->c.n == j)
			k->stored = row->len == k->len &&
			    memcmp(row->note, k->note, k->len) == 0;
	}
}

/* Parse a checkpoint row's note; -1 with a finding if it does not. */
static int
chain_verify_cpparse(struct chain_verifier *v, uint64_t j,
    const struct chain_cprow *row, struct chain_note *n,
    struct chain_checkpoint *c)
{
	char	*cause;

	if (row->n != (int64_t)j)
		chain_find(v, 1, "checkpoint row %" PRIu64 ": number is %" PRId64
		    " (checkpoint deleted, inserted or reordered)", j, row->n);
	if (chain_note_split(row->note, row->len, n, &cause) != 0 ||
	    chain_checkpoint_parse(n->body, n->bodylen, c, &cause)) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": %s", j, cause);
		free(cause);
		return (-1);
	}
	if (c->n != j)
		chain_find(v, 1, "checkpoint %" PRIu64 ": its note says number %"
		    PRIu64, j, c->n);
	if (strcmp(c->origin, v->in->origin) != 0)
		chain_find(v, 1, "checkpoint %" PRIu64 ": origin '%s' is not "
		    "this log's", j, c->origin);
	return (0);
}

/*
 * The officers' history heads (section 4a): once a checkpoint carries
 * them, every later one does, and neither history shrinks or changes
 * what an earlier checkpoint signed at the same count.
 */
static void
chain_verify_cphist(struct chain_verifier *v, uint64_t j,
    const struct chain_checkpoint *c)
{
	const struct chain_hhead *a, *b;
	int			 i;

	if (!v->have || !v->prev.has_hist)
		return;
	if (!c->has_hist) {
		chain_find(v, 1, "checkpoint %" PRIu64 ": no wachter-history "
		    "line after checkpoints that had one", j);
		return;
	}
	for (i = 0; i < CHAIN_HISTS; i++) {
		a = &v->prev.hist[i];
		b = &c->hist[i];
		if (b->n < a->n || (b->n == a->n && memcmp(a->hash, b->hash,
		    MERKLE_HASH) != 0))
			chain_find(v, 1, "checkpoint %" PRIu64 ": the %s history "
			    "went back (%" PRIu64 " rows after %" PRIu64 ", or "
			    "the same count with another hash)", j,
			    chain_hist_name(i), b->n, a->n);
	}
}

/* Feed the next stored checkpoint, once the tree has reached its size. */
void
chain_verifier_checkpoint(struct chain_verifier *v,
    const struct chain_cprow *row)
{
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	uint64_t		 j = ++v->ncps;

	chain_verify_kept_bytes(v, j, row);
	if (chain_verify_cpparse(v, j, row, &n, &c) != 0)
		return;
	if (row->typed)
		chain_verify_cptyped(v, row, &c);
	chain_verify_cptree(v, &c);
	chain_verify_cphist(v, j, &c);
	if (chain_verify_cpsig(v, &n, &c) && c.seal) {
		chain_verify_epochs(v, c.epoch);
		v->sealed = c.size;
		v->run_bad = 0;
		chain_verify_addkey(v, c.epoch + 1, c.next_pk);
		v->epoch = c.epoch + 1;
	}
	v->prev = c;
	v->have = 1;
	v->rep->cp = c;
	crypto_hash_sha256(v->rep->cp_note, (const uint8_t *)row->note,
	    row->len);
}

/* The tree size a checkpoint row claims, for merging; 0 if unreadable. */
uint64_t
chain_cprow_size(const struct chain_cprow *row)
{
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	char			*cause;

	if (chain_note_split(row->note, row->len, &n, &cause) != 0 ||
	    chain_checkpoint_parse(n.body, n.bodylen, &c, &cause) != 0) {
		free(cause);
		return (0);
	}
	return (c.size);
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

/* Order kept checkpoints by tree size, or by number; unparsed first. */
static const struct chain_kept *chain_sort_kept;
static int	 chain_sort_by_n;
static int
chain_kept_cmp(const void *a, const void *b)
{
	const struct chain_kept	*ka = &chain_sort_kept[*(const size_t *)a];
	const struct chain_kept	*kb = &chain_sort_kept[*(const size_t *)b];
	uint64_t		 x, y;

	if (ka->parsed != kb->parsed)
		return (ka->parsed - kb->parsed);
	x = chain_sort_by_n ? ka->c.n : ka->c.size;
	y = chain_sort_by_n ? kb->c.n : kb->c.size;
	return (x < y ? -1 : x > y);
}

/* An index of the kept checkpoints, sorted; skips the unparsed ones. */
static size_t *
chain_kept_index(struct chain_verifier *v, int by_n, size_t *first)
{
	size_t	*idx, i;

	idx = xcalloc(v->nkept + 1, sizeof *idx);
	for (i = 0; i < v->nkept; i++)
		idx[i] = i;
	chain_sort_kept = v->kept;
	chain_sort_by_n = by_n;
	qsort(idx, v->nkept, sizeof *idx, chain_kept_cmp);
	for (*first = 0; *first < v->nkept && !v->kept[idx[*first]].parsed;
	    (*first)++)
		;
	return (idx);
}

/* Split the auditor's file of kept checkpoints into parsed notes. */
static void
chain_verify_since(struct chain_verifier *v)
{
	const char		*s = v->in->since;
	size_t			 len = v->in->sincelen, n;
	struct chain_kept	*k;
	struct chain_note	 note;
	char			*cause;

	while (s != NULL && len > 0) {
		for (; len > 0 && *s == '\n'; s++, len--)
			;
		if (len == 0)
			break;
		if ((n = chain_note_extent(s, len)) == 0) {
			/* A crash mid-append cuts the last note, nothing else. */
			chain_find(v, 0, "kept checkpoints: the file ends in "
			    "%zu bytes that are not a whole note (a torn "
			    "write): ignored", len);
			break;
		}
		v->kept = xreallocarray(v->kept, v->nkept + 1, sizeof *v->kept);
		k = &v->kept[v->nkept++];
		memset(k, 0, sizeof *k);
		k->note = s;
		k->len = n;
		k->stored = k->root = -1;
		if (chain_note_split(s, n, &note, &cause) != 0 ||
		    chain_checkpoint_parse(note.body, note.bodylen, &k->c,
		    &cause) != 0) {
			chain_find(v, 1, "kept checkpoint: %s", cause);
			free(cause);
		} else
			k->parsed = 1;
		s += n;
		len -= n;
	}
	if (v->in->since != NULL && v->nkept == 0)
		chain_find(v, 1, "kept checkpoints: no note found");
	v->by_size = chain_kept_index(v, 0, &v->size_i);
	v->by_n = chain_kept_index(v, 1, &v->n_i);
}

/* One kept checkpoint, once everything stored has been seen. */
static void
chain_verify_kept(struct chain_verifier *v, const struct chain_kept *k)
{
	struct chain_note	 n;
	char			*cause;
	const struct chain_checkpoint *c = &k->c;

	if (strcmp(c->origin, v->in->origin) != 0 || c->epoch == 0 ||
	    c->epoch > v->epoch) {
		chain_find(v, 1, "kept checkpoint %" PRIu64 ": epoch %" PRIu32
		    " is not in the stored key chain, which reaches epoch %"
		    PRIu32 " (epochs removed or rolled back)", c->n, c->epoch,
		    v->epoch);
		return;
	}
	if (chain_note_split(k->note, k->len, &n, &cause) != 0 ||
	    chain_note_verify(&n, v->in->origin, v->keys[c->epoch], &cause)) {
		chain_find(v, 1, "kept checkpoint %" PRIu64 ": %s", c->n, cause);
		free(cause);
		return;
	}
	if (k->stored == -1)
		chain_find(v, 1, "kept checkpoint %" PRIu64 " is missing from "
		    "the store (checkpoints rolled back)", c->n);
	else if (k->stored == 0)
		chain_find(v, 1, "stored checkpoint %" PRIu64 " differs from "
		    "the kept copy (rewritten)", c->n);
	if (c->size > v->nrec)
		chain_find(v, 1, "kept checkpoint %" PRIu64 " covers %" PRIu64
		    " records; the store has %" PRIu64 " (records removed)",
		    c->n, c->size, v->nrec);
	else if (k->root != 1)
		chain_find(v, 1, "the store is not consistent with kept "
		    "checkpoint %" PRIu64 " (history rewritten)", c->n);
}

/* A verifier for the log in (certificate and kept checkpoints). */
struct chain_verifier *
chain_verifier_new(const struct chain_verify_in *in, struct chain_report *rep)
{
	struct chain_verifier	*v;

	memset(rep, 0, sizeof *rep);
	buf_init(&rep->text);
	v = xcalloc(1, sizeof *v);
	v->in = in;
	v->rep = rep;
	v->cert_time = -1;
	chain_log_id(v->log_id, in->root_pk);
	merkle_frontier_init(&v->tree);
	chain_verify_cert(v);
	chain_verify_since(v);
	chain_verify_kept_roots(v);
	return (v);
}

/* Records in the tree so far. */
uint64_t
chain_verifier_size(const struct chain_verifier *v)
{
	return (v->tree.size);
}

/* Everything is in: the last checks, the summary; frees v. */
void
chain_verifier_end(struct chain_verifier *v)
{
	struct chain_report	*rep = v->rep;
	size_t			 i;

	if (v->epoch != 0)
		chain_verify_epochs(v, v->epoch);
	if (!v->have)
		chain_find(v, 1, "no signed checkpoint at all: nothing in the "
		    "store is signed (the daemon writes one at least every "
		    "minute)");
	rep->last_time = v->have ? v->prev.time_us : -1;
	rep->have_cp = v->have;
	if (v->have && v->prev.size < v->nrec)
		chain_find(v, 0, "records %" PRIu64 "..%" PRIu64 " are not yet "
		    "covered by a signed checkpoint", v->prev.size + 1, v->nrec);
	for (i = 0; i < v->nkept; i++)
		if (v->kept[i].parsed)
			chain_verify_kept(v, &v->kept[i]);
	if (rep->errors + rep->warnings > CHAIN_REPORT_MAX)
		buf_printf(&rep->text, "... %zu more findings not shown\n",
		    rep->errors + rep->warnings - CHAIN_REPORT_MAX);
	rep->size = v->nrec;
	rep->tree = v->tree;
	rep->ncps = v->ncps;
	rep->epoch = v->epoch;
	free(v->keys);
	free(v->kept);
	free(v->by_size);
	free(v->by_n);
	free(v);
}

/*
 * Feed a verifier from two ordered sources, each returning 1 and the next
 * item, 0 at the end or -1 on failure: a checkpoint goes in as soon as
 * the tree has reached the size it claims. -1 if a source failed.
 */
int
chain_verify_feed(struct chain_verifier *v, chain_next_row next_row,
    chain_next_cp next_cp, void *arg)
{
	const struct chain_row		*row = NULL;
	const struct chain_cprow	*cp = NULL;
	uint64_t			 size = 0;
	int				 rr, rc;

	if ((rr = next_row(arg, &row)) < 0 || (rc = next_cp(arg, &cp)) < 0)
		return (-1);
	if (rc)
		size = chain_cprow_size(cp);
	while (rr || rc) {
		if (rc && (!rr || size <= chain_verifier_size(v))) {
			chain_verifier_checkpoint(v, cp);
			if ((rc = next_cp(arg, &cp)) < 0)
				return (-1);
			if (rc)
				size = chain_cprow_size(cp);
		} else {
			chain_verifier_record(v, row);
			if ((rr = next_row(arg, &row)) < 0)
				return (-1);
		}
	}
	return (0);
}

/* Positions in a chain held in memory. */
struct chain_verify_mem {
	const struct chain_verify_in	*in;
	size_t				 i, j;
};

/* The next record of an in-memory chain. */
static int
chain_verify_mem_row(void *arg, const struct chain_row **row)
{
	struct chain_verify_mem	*m = arg;

	if (m->i >= m->in->nrows)
		return (0);
	*row = &m->in->rows[m->i++];
	return (1);
}

/* The next checkpoint of an in-memory chain. */
static int
chain_verify_mem_cp(void *arg, const struct chain_cprow **cp)
{
	struct chain_verify_mem	*m = arg;

	if (m->j >= m->in->ncps)
		return (0);
	*cp = &m->in->cps[m->j++];
	return (1);
}

/* Verify a chain held in memory (in->rows, in->cps). */
void
chain_verify(const struct chain_verify_in *in, struct chain_report *rep)
{
	struct chain_verify_mem	 m = { in, 0, 0 };
	struct chain_verifier	*v;

	v = chain_verifier_new(in, rep);
	(void)chain_verify_feed(v, chain_verify_mem_row, chain_verify_mem_cp,
	    &m);
	chain_verifier_end(v);
}

/* Free a report's text. */
void
chain_report_free(struct chain_report *rep)
{
	buf_free(&rep->text);
}
