/*
 * test_guard.c: the daemon's guard (lib/chain/guard.c) on an in-memory
 * chain: its own records and checkpoints pass, including those committed
 * after the head file was last written; a foreign, copied-MAC, rewritten
 * or removed row, a rewritten or foreign checkpoint are refused, both by
 * the full check and by the check that resumes at the head's record (v2
 * head file), which by design does not see a record before the head
 * rewritten without relinking the rest (docs/CHAIN.md section 9). And
 * the head file's text: a round trip, and nothing but its exact form.
 */
#include "config.h"

#include <sodium.h>

#include "tap.h"
#include "testlib.h"

#define TG_N	9		/* records; the head knows 8, checkpoint at 6 */

struct tg {
	struct buf	 rec[TG_N + 2];		/* by seq; one spare */
	uint8_t		 mac[TG_N + 2][CHAIN_MAC];
	int		 hasmac[TG_N + 2];
	struct buf	 note[4];
	size_t		 nrec, ncp;
	uint8_t		 root_pk[CHAIN_PK], root_sk[CHAIN_SK], seed[CHAIN_SEED];
	uint8_t		 key[CHAIN_MACKEY];
	struct chain_head h;
};

/*
 * Build the chain and the head the daemon would have written. With mid,
 * a checkpoint over records 1..7 is stored too that the head never took
 * on (the daemon was killed after storing it, and the head file was last
 * written with record 8 but the checkpoint at 6).
 */
static void
tg_build_mid(struct tg *t, int mid)
{
	struct chain_writer	*w;
	struct chain_append	 out;
	struct chain_checkpoint	 c;
	struct alert		*a;
	size_t			 i;

	memset(t, 0, sizeof *t);
	test_keys(t->root_pk, t->root_sk, t->seed);
	memset(t->key, 0x05, sizeof t->key);
	w = chain_writer_new(TEST_ORIGIN, t->root_pk, 1, t->seed);
	for (i = 1; i <= TG_N; i++) {
		a = test_alert((int)i);
		chain_writer_append(w, a, 1732300000000000LL + i, &out);
		alert_free(a);
		t->rec[i] = out.record;
		chain_record_mac(t->mac[i], t->key, out.leaf);
		t->hasmac[i] = 1;
		alert_free(out.alert);
		if (i <= 8)
			merkle_frontier_add(&t->h.tree, out.leaf);
		if (i == 8)
			memcpy(t->h.leaf, out.leaf, MERKLE_HASH);
		if (i == 6) {
			buf_init(&t->note[1]);
			chain_writer_checkpoint(w, 1732300000000100LL, 0,
			    &t->note[1], &c);
			t->h.cp_n = c.n;
			t->h.cp_size = c.size;
			memcpy(t->h.cp_root, c.root, MERKLE_HASH);
			crypto_hash_sha256(t->h.cp_note, t->note[1].data,
			    t->note[1].len);
			t->ncp = 1;
		}
		if (i == 7 && mid) {
			buf_init(&t->note[2]);
			chain_writer_checkpoint(w, 1732300000000150LL, 0,
			    &t->note[2], &c);
			t->ncp = 2;
		}
	}
	t->nrec = TG_N;
	t->h.size = 8;
	t->h.epoch = 1;
	chain_writer_pk(w, t->h.pk);
	/* The next checkpoint, over all nine, committed after the head. */
	t->ncp++;
	buf_init(&t->note[t->ncp]);
	chain_writer_checkpoint(w, 1732300000000200LL, 0, &t->note[t->ncp],
	    &c);
	chain_writer_free(w);
}

/* The chain and head of a clean run. */
static void
tg_build(struct tg *t)
{
	tg_build_mid(t, 0);
}

/* Free what tg_build made. */
static void
tg_free(struct tg *t)
{
	size_t	 i;

	for (i = 0; i <= TG_N + 1; i++)
		buf_free(&t->rec[i]);
	for (i = 0; i < 4; i++)
		buf_free(&t->note[i]);
}

/*
 * Run the guard over the chain as the daemon would, resuming at the
 * head's record or from record 1; its finding or NULL.
 */
static char *
tg_run(struct tg *t, int resume)
{
	struct chain_guard	*g;
	struct chain_head	 h = t->h;
	merkle_hash		 leaf;
	int64_t			 time;
	size_t			 i, from;
	char			*why = NULL;

	h.has_tree = resume;
	g = chain_guard_new(&h, TEST_ORIGIN, t->root_pk, t->key);
	for (i = t->h.cp_n; i <= t->ncp; i++)
		(void)chain_guard_checkpoint(g, (int64_t)i,
		    (char *)t->note[i].data, t->note[i].len);
	chain_guard_checkpoints_done(g);
	from = chain_guard_from(g);
	if (from > 1)
		(void)chain_guard_prefix(g, (int64_t)(t->nrec < from ?
		    t->nrec : from), 1);
	for (i = from; i <= t->nrec; i++)
		(void)chain_guard_record(g, (int64_t)i, t->rec[i].data,
		    t->rec[i].len, t->hasmac[i] ? t->mac[i] : NULL, CHAIN_MAC,
		    leaf, &time);
	if (chain_guard_end(g) != 0)
		why = xstrdup(chain_guard_error(g));
	chain_guard_free(g);
	return (why);
}

static void e_none(struct tg *t) { (void)t; }
static void e_nomac(struct tg *t) { t->hasmac[9] = 0; }
static void e_copymac(struct tg *t) { memcpy(t->mac[9], t->mac[8], CHAIN_MAC); }
static void e_flip3(struct tg *t) { t->rec[3].data[120] ^= 1; }
static void e_flip8(struct tg *t) { t->rec[8].data[120] ^= 1; }
static void e_removed(struct tg *t) { t->nrec = 7; }
static void e_cpnote(struct tg *t) { t->note[1].data[3] ^= 1; }
static void e_cpgone(struct tg *t) { t->h.cp_n = 3; }

/* Checkpoint 2 re-signed with a key that is not the daemon's. */
static void
e_foreigncp(struct tg *t)
{
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	struct buf		 body;
	char			*cause;

	if (chain_note_split((char *)t->note[2].data, t->note[2].len, &n,
	    &cause) != 0 || chain_checkpoint_parse(n.body, n.bodylen, &c,
	    &cause) != 0)
		return;
	buf_init(&body);
	chain_checkpoint_body(&body, &c);
	buf_reset(&t->note[2]);
	chain_note_sign(&t->note[2], (char *)body.data, body.len, TEST_ORIGIN,
	    t->root_sk);
	buf_free(&body);
}

/* A tenth record, correctly linked, written by someone else. */
static void
e_forged(struct tg *t)
{
	struct chain_record	 r;
	char			*cause;

	if (chain_record_decode(t->rec[9].data, t->rec[9].len, &r,
	    &cause) != 0)
		return;
	r.seq = 10;
	merkle_leaf(r.prev, t->rec[9].data, t->rec[9].len);
	buf_init(&t->rec[10]);
	chain_record_encode(&t->rec[10], &r);
	chain_record_clear(&r);
	memcpy(t->mac[10], t->mac[9], CHAIN_MAC);
	t->hasmac[10] = 1;
	t->nrec = 10;
}

/* Record 3 rewritten and every later one relinked (MACs cannot follow). */
static void
e_relink(struct tg *t)
{
	struct chain_record	 r;
	size_t			 i;
	char			*cause;

	t->rec[3].data[120] ^= 1;
	for (i = 4; i <= t->nrec; i++) {
		if (chain_record_decode(t->rec[i].data, t->rec[i].len, &r,
		    &cause) != 0)
			return;
		merkle_leaf(r.prev, t->rec[i - 1].data, t->rec[i - 1].len);
		buf_reset(&t->rec[i]);
		chain_record_encode(&t->rec[i], &r);
		chain_record_clear(&r);
	}
}

#define SAME	((const char *)1)	/* resuming finds the same */

static const struct {
	const char	*name;
	void		(*edit)(struct tg *);
	const char	*want;		/* NULL: accepted */
	const char	*resumed;	/* the same, resuming at the head */
} cases[] = {
	{ "its own chain, a record and checkpoint after the head", e_none,
	    NULL, SAME },
	{ "a record after the head without MAC", e_nomac,
	    "record 9 was not written by this daemon", SAME },
	{ "a record with another record's MAC", e_copymac,
	    "record 9 was not written by this daemon", SAME },
	{ "a forged, linked record with a copied MAC", e_forged,
	    "record 10 was not written by this daemon", SAME },
	/* Resuming, the tree is the head's: nothing signed covers it. */
	{ "a signed record rewritten", e_flip3, "record 4: does not link",
	    NULL },
	{ "a signed record rewritten and the rest relinked", e_relink,
	    "records 1..6 no longer give the root of checkpoint 1",
	    "record 8 is not the one this daemon committed" },
	{ "the head's record rewritten", e_flip8,
	    "record 8 is not the one this daemon committed", SAME },
	{ "records removed", e_removed, "7 records stored, but this daemon "
	    "committed 8", "7 rows numbered up to 8 where this daemon "
	    "committed records 1..8" },
	{ "the head's checkpoint rewritten", e_cpnote,
	    "checkpoint 1 is not the one this daemon signed", SAME },
	{ "the head's checkpoint missing", e_cpgone,
	    "checkpoint 3 this daemon signed is missing", SAME },
	{ "a checkpoint after the head signed by another key", e_foreigncp,
	    "checkpoint 2 was not signed by this daemon's key", SAME },
};

/* One case on a fresh chain, one way of checking. */
static void
test_case(size_t i, int resume)
{
	struct tg	 t;
	const char	*want = cases[i].want;
	char		*why;

	if (resume && cases[i].resumed != SAME)
		want = cases[i].resumed;
	tg_build(&t);
	cases[i].edit(&t);
	why = tg_run(&t, resume);
	if (want == NULL)
		ok(why == NULL, "%s: accepted: %s", resume ? "resumed" : "full",
		    cases[i].name);
	else
		ok(why != NULL && strstr(why, want) != NULL, "%s: refused: %s",
		    resume ? "resumed" : "full", cases[i].name);
	if ((why == NULL) != (want == NULL) || (why != NULL &&
	    strstr(why, want) == NULL))
		diag("got: %s", why ? why : "(accepted)");
	free(why);
	tg_free(&t);
}

/*
 * Killed after a checkpoint was stored but before the head took it on,
 * with later records committed: its own chain, accepted both ways (the
 * resumed check falls back to record 1 for that checkpoint), and a
 * record rewritten before it is still refused.
 */
static void
test_mid(void)
{
	struct tg	 t;
	char		*why;
	int		 resume;

	for (resume = 0; resume <= 1; resume++) {
		tg_build_mid(&t, 1);
		why = tg_run(&t, resume);
		ok(why == NULL, "%s: accepted: a checkpoint over fewer records "
		    "than the head counts, stored before the head took it on",
		    resume ? "resumed" : "full");
		if (why != NULL)
			diag("got: %s", why);
		free(why);
		tg_free(&t);
		tg_build_mid(&t, 1);
		e_flip3(&t);
		why = tg_run(&t, resume);
		ok(why != NULL, "%s: refused: the same with record 3 rewritten",
		    resume ? "resumed" : "full");
		free(why);
		tg_free(&t);
	}
}

/* Each case, checked in full and resuming at the head. */
static void
test_cases(void)
{
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		test_case(i, 0);
		test_case(i, 1);
	}
	test_mid();
}

/* The head file: a round trip and only its exact text. */
static void
test_head(void)
{
	struct chain_head	 h, back;
	struct buf		 b, z;
	char			*cause = NULL;

	memset(&h, 0, sizeof h);
	h.cp_n = 7;
	h.cp_size = 12;
	h.epoch = 3;
	h.size = 13;
	memset(h.leaf, 0xab, sizeof h.leaf);
	memset(h.pk, 0x11, sizeof h.pk);
	buf_init(&b);
	chain_head_format(&b, &h);
	ok(chain_head_parse((char *)b.data, b.len, &back, &cause) == 0 &&
	    memcmp(&h, &back, sizeof h) == 0 && strncmp((char *)b.data,
	    "wachter-chain-head v1\n", 22) == 0,
	    "a head file without its tree round-trips as v1");
	buf_reset(&b);
	h.has_tree = 1;
	h.tree.size = 13;	/* 1101: subtrees of 8, 4 and 1 */
	memset(h.tree.sub[0], 0x01, MERKLE_HASH);
	memset(h.tree.sub[2], 0x04, MERKLE_HASH);
	memset(h.tree.sub[3], 0x08, MERKLE_HASH);
	chain_head_format(&b, &h);
	ok(chain_head_parse((char *)b.data, b.len, &back, &cause) == 0 &&
	    memcmp(&h, &back, sizeof h) == 0 && strstr((char *)b.data,
	    "\ntree CAgI") != NULL, "a head file with its tree round-trips "
	    "as v2, the largest subtree first");
	buf_addc(&b, '\n');
	ok(chain_head_parse((char *)b.data, b.len, &back, &cause) != 0,
	    "a head file with a trailing line is refused");
	free(cause);
	cause = NULL;
	b.len--;
	buf_init(&z);
	buf_adds(&z, "wachter-chain-head v2\ncheckpoint 07");
	buf_add(&z, b.data + 34, b.len - 34);	/* after "checkpoint 7" */
	ok(chain_head_parse((char *)z.data, z.len, &back, &cause) != 0,
	    "a head file with a leading zero is refused");
	free(cause);
	buf_free(&z);
	buf_free(&b);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_cases();
	test_head();
	return (done_testing());
}
