/*
 * test_chain.c: unit tests of lib/chain: RFC 6962 reference values, proofs,
 * the text rule, the record layout, signed notes, the ratchet, and the
 * verifier against an in-memory chain with each kind of tampering.
 */
#include "config.h"

#include <sodium.h>

#include "tap.h"
#include "testlib.h"
#include "chain/bundle.h"
#include "chain/text.h"

/*
 * The Certificate Transparency reference tree: leaves and roots from
 * google/certificate-transparency cpp/merkletree/merkle_tree_test.cc, as
 * reproduced by RFC 6962 implementations (e.g. transparency-dev/merkle).
 */
static const char *ct_leaves[] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};
static const char *ct_roots[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};
static const struct {
	int		 a, b;		/* index/size or first/second */
	int		 consistency;
	const char	*proof[3];
} ct_proofs[] = {
	{ 0, 8, 0, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 5, 8, 0, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 8, 1, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 6, 8, 1, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
};

static merkle_hash ct_leafhash[8];

/* Reference roots and proofs. */
static void
test_ct(void)
{
	merkle_hash	 proof[MERKLE_MAXPROOF], want[3], root;
	uint8_t		 data[32];
	size_t		 i, j, n, len;

	for (i = 0; i < 8; i++) {
		n = test_unhex(data, ct_leaves[i]);
		merkle_leaf(ct_leafhash[i], data, n);
	}
	for (i = 0; i <= 8; i++) {
		merkle_root(root, ct_leafhash, i);
		is_str(test_hex(root, 32), ct_roots[i], "CT root");
	}
	for (i = 0; i < sizeof ct_proofs / sizeof ct_proofs[0]; i++) {
		for (n = 0; n < 3 && ct_proofs[i].proof[n]; n++)
			test_unhex(want[n], ct_proofs[i].proof[n]);
		if (ct_proofs[i].consistency)
			len = merkle_consistency_proof(proof, ct_leafhash,
			    ct_proofs[i].a, ct_proofs[i].b);
		else
			len = merkle_inclusion_proof(proof, ct_leafhash,
			    ct_proofs[i].a, ct_proofs[i].b);
		ok(len == n && memcmp(proof, want, n * 32) == 0,
		    "CT %s proof (%d, %d)", ct_proofs[i].consistency ?
		    "consistency" : "inclusion", ct_proofs[i].a, ct_proofs[i].b);
		for (j = 0; j < n; j++)
			(void)j;
	}
}

/* Every proof in trees of 1..33 leaves verifies; damaged ones do not. */
static void
test_proofs(void)
{
	merkle_hash		 leaves[33], roots[34], proof[MERKLE_MAXPROOF];
	struct merkle_frontier	 f;
	uint8_t			 d[2];
	size_t			 len;
	int			 n, m, good = 1, bad = 1, fr = 1;

	merkle_frontier_init(&f);
	merkle_frontier_root(&f, roots[0]);
	for (n = 0; n < 33; n++) {
		d[0] = n; d[1] = n * 7;
		merkle_leaf(leaves[n], d, 2);
		merkle_frontier_add(&f, leaves[n]);
		merkle_root(roots[n + 1], leaves, n + 1);
		merkle_frontier_root(&f, proof[0]);
		fr &= memcmp(proof[0], roots[n + 1], 32) == 0;
	}
	ok(fr, "frontier roots equal recursive roots for sizes 1..33");
	for (n = 1; n <= 33; n++)
		for (m = 0; m < n; m++) {
			len = merkle_inclusion_proof(proof, leaves, m, n);
			good &= merkle_inclusion_verify(leaves[m], m, n, proof,
			    len, roots[n]);
			if (len > 0) {
				proof[len - 1][7] ^= 1;
				bad &= !merkle_inclusion_verify(leaves[m], m, n,
				    proof, len, roots[n]);
				proof[len - 1][7] ^= 1;
				bad &= !merkle_inclusion_verify(leaves[m], m, n,
				    proof, len - 1, roots[n]);
			}
			if (n < 33)
				bad &= !merkle_inclusion_verify(leaves[m], m,
				    n + 1, proof, len, roots[n + 1]);
		}
	ok(good, "every inclusion proof verifies (sizes 1..33)");
	ok(bad, "flipped, cut or re-sized inclusion proofs fail");
	good = bad = 1;
	for (n = 1; n <= 33; n++)
		for (m = 1; m <= n; m++) {
			len = merkle_consistency_proof(proof, leaves, m, n);
			good &= merkle_consistency_verify(m, n, roots[m],
			    roots[n], proof, len);
			if (len > 0) {
				proof[0][3] ^= 0x80;
				bad &= !merkle_consistency_verify(m, n, roots[m],
				    roots[n], proof, len);
				proof[0][3] ^= 0x80;
				bad &= !merkle_consistency_verify(m, n, roots[m],
				    roots[n], proof, len - 1);
			}
			if (m < n)
				bad &= !merkle_consistency_verify(m, n,
				    roots[m - 1], roots[n], proof, len);
		}
	ok(good, "every consistency proof verifies (sizes 1..33)");
	ok(bad, "flipped, cut or wrong-root consistency proofs fail");
}

/* The text rule, as a table. */
static void
test_text(void)
{
	static const struct {
		const char	*in;
		int		 canonical;
		const char	*out;
	} t[] = {
		{ "plain ascii", 1, "plain ascii" },
		{ "Zo\xc3\xab \xe2\x80\x94 \xe2\x82\xac" "5", 1, NULL },
		{ "e\xcc\x81", 0, "e\\u{0301}" },	/* combining acute */
		{ "\xce\xa9", 0, "\\u{03A9}" },		/* Greek omega */
		{ "a\x01" "b", 0, "a\\u{0001}b" },
		{ "\xc3", 0, "\\x{C3}" },		/* cut sequence */
		{ "\xc0\xaf", 0, "\\x{C0}\\x{AF}" },	/* overlong */
		{ "\xed\xa0\x80", 0, "\\x{ED}\\x{A0}\\x{80}" },	/* surrogate */
		{ "tab\there\nline", 1, NULL },
		{ "\xe2\x84\xa6", 0, "\\u{2126}" },	/* OHM SIGN, not NFC */
	};
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		is_int(chain_text_canonical(t[i].in, strlen(t[i].in)),
		    t[i].canonical, "text rule case");
		buf_reset(&b);
		chain_text_normalise(&b, t[i].in, strlen(t[i].in));
		is_str(buf_cstr(&b), t[i].out ? t[i].out : t[i].in,
		    "normalised form");
		ok(chain_text_canonical((char *)b.data, b.len),
		    "normalised text is canonical");
	}
	buf_free(&b);
}

/* Records round-trip; damaged encodings are refused. */
static void
test_record(void)
{
	struct chain_record	 r, d;
	struct alert		*a = test_alert(4);
	struct buf		 b, c;
	const char		*field;
	char			*cause = NULL;
	int			 rc;

	memset(&r, 0, sizeof r);
	r.seq = 7; r.epoch = 2; r.time_us = 1732300000123456LL;
	memset(r.log_id, 0xaa, 32);
	memset(r.prev, 0xbb, 32);
	r.alert = chain_alert_canonical(a);
	buf_init(&b);
	chain_record_encode(&b, &r);
	rc = chain_record_decode(b.data, b.len, &d, &cause);
	ok(rc == 0 && d.seq == 7 && d.epoch == 2 && d.time_us == r.time_us &&
	    chain_alert_equal(d.alert, r.alert, &field), "record round-trips");
	buf_init(&c);
	if (rc == 0) {
		chain_record_encode(&c, &d);
		ok(c.len == b.len && memcmp(c.data, b.data, b.len) == 0,
		    "decode then encode gives the same bytes");
		chain_record_clear(&d);
	}
	ok(chain_record_decode(b.data, b.len - 1, &d, &cause) != 0,
	    "a cut record is refused");
	free(cause);
	buf_reset(&c);
	buf_add(&c, b.data, b.len);
	buf_addc(&c, 0);
	ok(chain_record_decode(c.data, c.len, &d, &cause) != 0,
	    "a trailing byte is refused");
	free(cause);
	/* An optional field (tag >= 0x8000) is hashed and skipped. */
	buf_reset(&c);
	buf_add(&c, b.data, b.len);
	buf_add(&c, "\x80\x01\x00\x00\x00\x02hi", 8);
	rc = chain_record_decode(c.data, c.len, &d, &cause);
	ok(rc == 0, "an optional future field is skipped");
	if (rc == 0)
		chain_record_clear(&d);
	else
		free(cause);
	buf_reset(&c);
	buf_add(&c, b.data, b.len);
	buf_add(&c, "\x00\x20\x00\x00\x00\x00", 6);
	ok(chain_record_decode(c.data, c.len, &d, &cause) != 0,
	    "an unknown mandatory field is refused");
	free(cause);
	b.data[4] = 2;
	ok(chain_record_decode(b.data, b.len, &d, &cause) != 0,
	    "an unknown version is refused");
	free(cause);
	buf_free(&b);
	buf_free(&c);
	alert_free(r.alert);
	alert_free(a);
}

/* Encode alert a as record 1 and decode it; 0 when it decodes. */
static int
test_followup_one(struct alert *a, struct buf *b, const char **field)
{
	struct chain_record	 r, d;
	char			*cause = NULL;
	int			 rc;

	memset(&r, 0, sizeof r);
	r.seq = 1;
	r.epoch = 1;
	r.alert = chain_alert_canonical(a);
	buf_reset(b);
	chain_record_encode(b, &r);
	rc = chain_record_decode(b->data, b->len, &d, &cause);
	if (rc == 0) {
		if (!chain_alert_equal(d.alert, r.alert, field) ||
		    d.alert->nprov != a->nprov || d.alert->nby != a->nby)
			rc = 1;
		chain_record_clear(&d);
	}
	free(cause);
	alert_free(r.alert);
	return (rc);
}

/*
 * Provisional events (field 0x8101) and follow-ups (kind 2 with field
 * 0x8102) round-trip; the rules of CHAIN.md 1b are enforced.
 */
static void
test_followup(void)
{
	struct alert	*a = test_alert(1);
	struct buf	 b;
	const char	*field = NULL;

	buf_init(&b);
	alert_add_prov(a, "ev-000001");
	is_int(test_followup_one(a, &b, &field), 0, "a provisional event "
	    "round-trips");
	alert_add_prov(a, "ev-000002");
	ok(test_followup_one(a, &b, &field) < 0, "a provisional event not in "
	    "the record is refused");
	alert_free(a);
	a = test_alert(1);
	a->kind = ALERT_EXPLAINED;
	alert_add_by(a, "ZAAK-2026-0000010");
	is_int(test_followup_one(a, &b, &field), 0, "a follow-up round-trips");
	alert_add_prov(a, "ev-000001");
	ok(test_followup_one(a, &b, &field) < 0, "a follow-up with provisional "
	    "events is refused");
	alert_free(a);
	a = test_alert(1);
	a->kind = ALERT_EXPLAINED;
	ok(test_followup_one(a, &b, &field) < 0, "a follow-up without what "
	    "explains each event is refused");
	a->kind = ALERT_NEW;
	alert_add_by(a, "ZAAK-2026-0000010");
	ok(test_followup_one(a, &b, &field) == 1, "explained_by is not "
	    "written in an alert");
	buf_reset(&b);
	alert_free(a);
	a = test_alert(1);
	a->kind = 3;
	ok(test_followup_one(a, &b, &field) < 0, "kind 3 is refused");
	alert_free(a);
	buf_free(&b);
}

/* Add the group order L to the S half of a signature (non-canonical). */
static void
test_sig_addl(uint8_t *sig)
{
	static const uint8_t L[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
		0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	};
	unsigned c = 0;
	int	 i;

	for (i = 0; i < 32; i++) {
		c += sig[32 + i] + L[i];
		sig[32 + i] = c & 0xff;
		c >>= 8;
	}
}

/* Notes: signing, verification, strict parsing. */
static void
test_note(void)
{
	uint8_t			 pk[32], sk[64], seed[32], pk2[32], sk2[64];
	struct chain_note	 n;
	struct buf		 b, v;
	char			 name[CHAIN_NAME_MAX], *cause = NULL;
	const char		*body = "hello\nworld\n";

	memset(seed, 5, 32);
	chain_epoch_keypair(pk, sk, seed);
	seed[0] = 6;
	chain_epoch_keypair(pk2, sk2, seed);
	buf_init(&b);
	chain_note_sign(&b, body, strlen(body), TEST_ORIGIN, sk);
	ok(chain_note_split((char *)b.data, b.len, &n, &cause) == 0 &&
	    chain_note_verify(&n, TEST_ORIGIN, pk, &cause) == 0,
	    "a signed note verifies");
	ok(chain_note_verify(&n, TEST_ORIGIN, pk2, &cause) != 0,
	    "another key does not verify it");
	free(cause);
	test_sig_addl(n.sig);
	ok(chain_note_verify(&n, TEST_ORIGIN, pk, &cause) != 0,
	    "a non-canonical signature (S + L) is refused");
	free(cause);
	b.data[0] = 'j';
	ok(chain_note_split((char *)b.data, b.len, &n, &cause) == 0 &&
	    chain_note_verify(&n, TEST_ORIGIN, pk, &cause) != 0,
	    "an edited body does not verify");
	free(cause);
	ok(chain_note_split("no blank line\n", 14, &n, &cause) != 0,
	    "a note without signature is malformed");
	free(cause);
	ok(chain_note_split("body\n\n", 6, &n, &cause) != 0,
	    "a note ending at its blank line is malformed (fuzzer find)");
	free(cause);
	buf_init(&v);
	chain_vkey_format(&v, TEST_ORIGIN, pk);
	ok(chain_vkey_parse((char *)v.data, v.len, name, pk2, &cause) == 0 &&
	    memcmp(pk, pk2, 32) == 0 && strcmp(name, TEST_ORIGIN) == 0,
	    "verifier keys round-trip");
	v.data[v.len - 3] ^= 1;
	ok(chain_vkey_parse((char *)v.data, v.len, name, pk2, &cause) != 0,
	    "a damaged verifier key is refused");
	free(cause);
	buf_free(&v);
	buf_free(&b);
}

#define TC_MAX	64

/* An in-memory chain as the verifier would receive it from a store. */
struct tchain {
	struct buf		 rec[TC_MAX], note[TC_MAX], cert;
	struct chain_row	 rows[TC_MAX];
	struct chain_cprow	 cps[TC_MAX];
	struct alert		*alerts[TC_MAX];	/* owned; rows point */
	size_t			 nrows, ncps;
	uint8_t			 root_pk[32], root_sk[64];
	uint8_t			 seed[32];	/* the current epoch's */
};

/* Store one checkpoint. */
static void
tc_checkpoint(struct tchain *tc, struct chain_writer *w, int64_t t, int seal)
{
	struct chain_checkpoint	 c;
	struct chain_cprow	*cp = &tc->cps[tc->ncps];

	buf_init(&tc->note[tc->ncps]);
	chain_writer_checkpoint(w, t, seal, &tc->note[tc->ncps], &c);
	cp->n = c.n;
	cp->note = (char *)tc->note[tc->ncps].data;
	cp->len = tc->note[tc->ncps].len;
	cp->typed = 1;
	cp->epoch = c.epoch;
	cp->size = c.size;
	cp->time_us = c.time_us;
	memcpy(cp->root, c.root, 32);
	cp->seal = c.seal;
	tc->ncps++;
	if (seal)
		chain_writer_ratchet(w, tc->seed);
}

/* Build n records: a checkpoint after every 2, a seal every third. */
static void
tc_build(struct tchain *tc, int n, uint8_t rootseed, uint32_t epoch,
    const uint8_t *seed)
{
	struct chain_writer	*w;
	struct chain_append	 out;
	struct alert		*a;
	uint8_t			 rs[32], pk[32], sk[64];
	int64_t			 t = 1732300000000000LL;
	int			 i;

	memset(tc, 0, sizeof *tc);
	memset(rs, rootseed, 32);
	chain_epoch_keypair(tc->root_pk, tc->root_sk, rs);
	memset(tc->seed, 0x02, 32);
	chain_epoch_keypair(pk, sk, tc->seed);
	chain_cert_sign(&tc->cert, TEST_ORIGIN, 1, pk, t, tc->root_sk);
	w = chain_writer_new(TEST_ORIGIN, tc->root_pk, epoch,
	    seed ? seed : tc->seed);
	for (i = 0; i < n; i++) {
		a = test_alert(i);
		chain_writer_append(w, a, t += 1000000, &out);
		alert_free(a);
		tc->rec[i] = out.record;
		tc->rows[i].seq = out.seq;
		tc->rows[i].record = out.record.data;
		tc->rows[i].len = out.record.len;
		tc->rows[i].typed = 1;
		tc->rows[i].epoch = out.epoch;
		tc->rows[i].time_us = out.time_us;
		memcpy(tc->rows[i].leaf, out.leaf, 32);
		tc->rows[i].alert = tc->alerts[i] = out.alert;
		tc->nrows++;
		if (i % 2 == 1)
			tc_checkpoint(tc, w, t += 1000, tc->ncps % 3 == 2);
	}
	tc_checkpoint(tc, w, t += 1000, 0);
	chain_writer_free(w);
}

/* Free a built chain. */
static void
tc_free(struct tchain *tc)
{
	size_t	 i;

	for (i = 0; i < TC_MAX; i++) {
		buf_free(&tc->rec[i]);
		buf_free(&tc->note[i]);
		alert_free(tc->alerts[i]);
	}
	buf_free(&tc->cert);
}

/* Verify; the number of errors, with the report in text. */
static size_t
tc_verify(struct tchain *tc, const char *since, struct buf *text)
{
	struct chain_verify_in	 in;
	struct chain_report	 rep;
	size_t			 errors;

	memset(&in, 0, sizeof in);
	strcpy(in.origin, TEST_ORIGIN);
	memcpy(in.root_pk, tc->root_pk, 32);
	in.cert = (char *)tc->cert.data;
	in.certlen = tc->cert.len;
	in.rows = tc->rows;
	in.nrows = tc->nrows;
	in.cps = tc->cps;
	in.ncps = tc->ncps;
	in.since = since;
	in.sincelen = since ? strlen(since) : 0;
	chain_verify(&in, &rep);
	buf_reset(text);
	buf_add(text, rep.text.data, rep.text.len);
	errors = rep.errors;
	chain_report_free(&rep);
	return (errors);
}

/* Tampering: each edits tc; verify must fail with the given words. */
static void t_flip(struct tchain *tc) { tc->rec[3].data[120] ^= 1; }
static void t_typed(struct tchain *tc) { strcpy(tc->rows[2].alert->user, "x"); }
static void t_leafcol(struct tchain *tc) { tc->rows[1].leaf[0] ^= 1; }
static void t_timecol(struct tchain *tc) { tc->rows[4].time_us += 3600000000LL; }
static void
t_delete(struct tchain *tc)
{
	memmove(&tc->rows[3], &tc->rows[4], (tc->nrows - 4) * sizeof tc->rows[0]);
	tc->nrows--;
}
static void t_truncate(struct tchain *tc) { tc->nrows -= 2; }
static void
t_swap(struct tchain *tc)
{
	struct chain_row r = tc->rows[2];

	tc->rows[2] = tc->rows[3];
	tc->rows[3] = r;
	tc->rows[2].seq = 3;
	tc->rows[3].seq = 4;
}
static void
t_insert(struct tchain *tc)
{
	memmove(&tc->rows[4], &tc->rows[3], (tc->nrows - 3) * sizeof tc->rows[0]);
	tc->nrows++;
}
static void
t_cpdelete(struct tchain *tc)
{
	memmove(&tc->cps[1], &tc->cps[2], (tc->ncps - 2) * sizeof tc->cps[0]);
	tc->ncps--;
}
static void t_cpcopy(struct tchain *tc) { tc->cps[4] = tc->cps[1]; tc->cps[4].n = 5; }
static void
t_epoch(struct tchain *tc)
{
	/* checkpoints 4..6 are epoch 2; drop them and renumber the rows */
	memmove(&tc->cps[3], &tc->cps[6], (tc->ncps - 6) * sizeof tc->cps[0]);
	tc->ncps -= 3;
}
static void
t_malformed(struct tchain *tc)
{
	tc->cps[2].note = "origin\nnot a number\n\n\xe2\x80\x94 x AAAA\n";
	tc->cps[2].len = strlen(tc->cps[2].note);
}
static void
t_noncanon(struct tchain *tc)
{
	struct chain_note	 n;
	struct buf		*b = &tc->note[2];
	uint8_t			 raw[68];
	char			*cause;
	size_t			 hdr;

	if (chain_note_split((char *)b->data, b->len, &n, &cause) != 0)
		return;
	memcpy(raw, n.keyid, 4);
	memcpy(raw + 4, n.sig, 64);
	test_sig_addl(raw + 4);
	hdr = n.bodylen + 1 + strlen("\xe2\x80\x94 ") + strlen(n.name) + 1;
	b->len = hdr;
	chain_b64(b, raw, sizeof raw);
	buf_addc(b, '\n');
	tc->cps[2].note = (char *)b->data;
	tc->cps[2].len = b->len;
}
/* The first seal re-signed by epoch 1's key, certifying that key again. */
static void
t_samekey(struct tchain *tc)
{
	struct chain_checkpoint	 c;
	struct chain_note	 n;
	struct buf		*b = &tc->note[2], body;
	uint8_t			 seed[32], pk[32], sk[64];
	char			*cause;

	if (chain_note_split((char *)b->data, b->len, &n, &cause) != 0 ||
	    chain_checkpoint_parse(n.body, n.bodylen, &c, &cause) != 0)
		return;
	memset(seed, 0x02, 32);
	chain_epoch_keypair(pk, sk, seed);
	memcpy(c.next_pk, pk, 32);
	buf_init(&body);
	chain_checkpoint_body(&body, &c);
	buf_reset(b);
	chain_note_sign(b, (char *)body.data, body.len, TEST_ORIGIN, sk);
	buf_free(&body);
	tc->cps[2].note = (char *)b->data;
	tc->cps[2].len = b->len;
}

/* The epoch certificate re-issued by the root a day after the chain began. */
static void
t_certtime(struct tchain *tc)
{
	uint8_t	 seed[32], pk[32], sk[64];

	memset(seed, 0x02, 32);
	chain_epoch_keypair(pk, sk, seed);
	buf_reset(&tc->cert);
	chain_cert_sign(&tc->cert, TEST_ORIGIN, 1, pk, 1732300000000000LL +
	    86400000000LL, tc->root_sk);
}

static const struct {
	const char	*name;
	void		(*edit)(struct tchain *);
	const char	*want;
} tampers[] = {
	{ "seal certifying the same key again", t_samekey,
	    "certifies the sealed epoch's own key again" },
	{ "times before the certificate", t_certtime,
	    "record 1: time is before the epoch certificate's" },
	{ "flipped byte", t_flip, "root does not match" },
	{ "edited typed column", t_typed, "column 'user'" },
	{ "edited leaf hash column", t_leafcol, "leaf_hash column" },
	{ "edited time column", t_timecol, "recorded_at column" },
	{ "deleted middle row", t_delete, "link does not match" },
	{ "truncated tail", t_truncate, "records removed" },
	{ "reordered rows", t_swap, "reordered" },
	{ "inserted row", t_insert, "seq column" },
	{ "deleted checkpoint", t_cpdelete, "checkpoint deleted" },
	{ "rolled-back checkpoint", t_cpcopy, "rolled back" },
	{ "missing epoch", t_epoch, "never sealed" },
	{ "malformed checkpoint", t_malformed, "checkpoint 3: malformed" },
	{ "non-canonical signature", t_noncanon, "bad signature" },
};

/* Bundles: a round trip, and damaged files refused with a line number. */
static void
test_bundle(void)
{
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ "wachter-bundle v2\nend 0 0\n", "x:1:" },
		{ "wachter-bundle v1\nrecord 1 AAAA\n", "no end line" },
		{ "wachter-bundle v1\nrecord 1 AAAA\nend 2 0\n", "x:3:" },
		{ "wachter-bundle v1\nrecord x AAAA\nend 1 0\n", "x:2:" },
		{ "wachter-bundle v1\ne0dn  0", "x:2:" },	/* fuzzer find */
		{ "wachter-bundle v1\nrecord 1 A!==\nend 1 0\n", "x:2:" },
		{ "wachter-bundle v1\nend 0 0\nrecord 1 AAAA\n", "x:3:" },
		{ "wachter-bundle v1\nend 0 0", "x:2:" },	/* no newline */
		{ "wachter-bundle v1\nrecord 1 AB==\nend 1 0\n", "x:2:" },
		{ "wachter-bundle v1\nrecord 1 AAA\nend 1 0\n", "x:2:" },
		{ "wachter-bundle v1\nrecord 1 AA=A\nend 1 0\n", "x:2:" },
		{ "wachter-bundle v1\ncheckpoint 1 AAAA\nrecord 1 AAAA\n"
		    "end 1 1\n", "x:3:" },
	};
	struct tchain		 tc;
	struct chain_bundle	 b;
	struct buf		 out;
	char			*cause = NULL;
	size_t			 i;
	int			 rc;

	tc_build(&tc, 6, 1, 1, NULL);
	buf_init(&out);
	chain_bundle_write(&out, &tc.cert, tc.rows, tc.nrows, tc.cps, tc.ncps);
	rc = chain_bundle_parse("x", (char *)out.data, out.len, &b, &cause);
	ok(rc == 0 && b.nrows == 6 && b.ncps == tc.ncps && b.cert.len ==
	    tc.cert.len && memcmp(b.rows[5].record, tc.rows[5].record,
	    b.rows[5].len) == 0, "a bundle round-trips");
	if (rc == 0)
		chain_bundle_free(&b);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		rc = chain_bundle_parse("x", bad[i].text, strlen(bad[i].text),
		    &b, &cause);
		ok(rc != 0 && cause != NULL && strstr(cause, bad[i].want),
		    "bad bundle %zu refused: %s", i, cause ? cause : "");
		free(cause);
	}
	buf_free(&out);
	tc_free(&tc);
}

/* The verifier on a good chain and on each tampered copy. */
static void
test_verify(void)
{
	struct tchain	 tc, other;
	struct buf	 text;
	char		*kept;
	size_t		 i, e;
	uint8_t		 later[32], s[32];

	buf_init(&text);
	tc_build(&tc, 12, 1, 1, NULL);
	e = tc_verify(&tc, NULL, &text);
	ok(e == 0, "an untouched chain verifies");
	if (e)
		diag("%s", buf_cstr(&text));
	ok(strstr(buf_cstr(&text), "warning") == NULL, "and warns of nothing");
	kept = xstrdup(tc.cps[tc.ncps - 1].note);
	ok(tc_verify(&tc, kept, &text) == 0, "consistent with its own head");
	tc_free(&tc);
	for (i = 0; i < sizeof tampers / sizeof tampers[0]; i++) {
		tc_build(&tc, 12, 1, 1, NULL);
		tampers[i].edit(&tc);
		e = tc_verify(&tc, NULL, &text);
		ok(e > 0 && strstr(buf_cstr(&text), tampers[i].want) != NULL,
		    "caught: %s", tampers[i].name);
		if (e == 0 || strstr(buf_cstr(&text), tampers[i].want) == NULL)
			diag("%s", buf_cstr(&text));
		tc_free(&tc);
	}

	/* A row replayed from another installation. */
	tc_build(&tc, 12, 1, 1, NULL);
	tc_build(&other, 12, 9, 1, NULL);
	tc.rows[5].record = other.rows[5].record;
	e = tc_verify(&tc, NULL, &text);
	ok(e > 0 && strstr(buf_cstr(&text), "another installation"),
	    "caught: a row from another installation");
	tc_free(&other);

	/* History rewritten and re-signed with a later epoch's key. */
	memcpy(later, tc.seed, 32);	/* the thief's current seed */
	tc_free(&tc);
	tc_build(&tc, 12, 1, 1, later);
	e = tc_verify(&tc, NULL, &text);
	ok(e > 0 && strstr(buf_cstr(&text), "not signed by the key of epoch 1"),
	    "caught: history re-signed with a later epoch key");
	tc_free(&tc);

	/* Rolled back to an earlier state, caught by the kept checkpoint. */
	tc_build(&tc, 12, 1, 1, NULL);
	tc.nrows = 8;
	tc.ncps = 4;
	e = tc_verify(&tc, NULL, &text);
	ok(e == 0, "a consistent rollback alone looks like a shorter chain");
	e = tc_verify(&tc, kept, &text);
	ok(e > 0 && strstr(buf_cstr(&text), "kept checkpoint 7"),
	    "caught by the checkpoint the auditor kept");
	tc_free(&tc);
	free(kept);

	/* Empty epochs are sealed too: three seals in a row, no records. */
	tc_build(&tc, 2, 1, 1, NULL);
	{
		struct chain_writer	*w;
		struct chain_append	 out;
		struct alert		*a;
		size_t			 j;

		memset(s, 0x02, 32);	/* epoch 1's seed, as tc_build */
		w = chain_writer_new(TEST_ORIGIN, tc.root_pk, 1, s);
		for (j = 0; j < tc.nrows; j++)
			chain_writer_restore_leaf(w, tc.rows[j].leaf,
			    tc.rows[j].time_us);
		chain_writer_restore_checkpoint(w, tc.ncps,
		    tc.cps[tc.ncps - 1].time_us);
		for (j = 0; j < 3; j++)
			tc_checkpoint(&tc, w, 1732400000000000LL, 1);
		a = test_alert(50);
		chain_writer_append(w, a, 1732400000000000LL, &out);
		alert_free(a);
		tc.rec[tc.nrows] = out.record;
		tc.rows[tc.nrows].seq = out.seq;
		tc.rows[tc.nrows].record = out.record.data;
		tc.rows[tc.nrows].len = out.record.len;
		tc.rows[tc.nrows].typed = 0;
		tc.alerts[tc.nrows++] = out.alert;
		tc_checkpoint(&tc, w, 1732400000000001LL, 0);
		chain_writer_free(w);
	}
	e = tc_verify(&tc, NULL, &text);
	ok(e == 0 && strstr(buf_cstr(&text), "warning") == NULL,
	    "empty sealed epochs verify (restored writer, epoch 4 record)");
	if (e)
		diag("%s", buf_cstr(&text));
	tc_free(&tc);

	/* The ratchet: the writer's next seed is the documented hash. */
	memset(s, 0x02, 32);
	chain_epoch_ratchet(later, s, 2);
	ok(memcmp(later, s, 32) != 0, "the ratchet moves the seed");
	buf_free(&text);
}

/* A checkpoint body of test_history with the given lines after the epoch. */
static int
hist_parse(const char *extra, struct chain_checkpoint *c)
{
	struct buf	 b;
	char		*cause = NULL;
	int		 rc;

	buf_init(&b);
	buf_printf(&b, "o.example/x\n1\n%s\nwachter-epoch 1 1 5\n%s",
	    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", extra);
	rc = chain_checkpoint_parse((char *)b.data, b.len, c, &cause);
	free(cause);
	buf_free(&b);
	return (rc);
}

/* The officers' histories: the row hash, the checkpoint line, the steps. */
static void
test_history(void)
{
	struct chain_checkpoint	 c, d;
	struct chain_hrow	 r = { 1, { "incident", "inc-x", "confirmed",
	    "note", "officer_a" }, 1700000000000000LL, { 0 }, { 0 } };
	struct chain_hhead	 h = { 0, { 0 } };
	struct buf		 b;
	char			*cause;

	chain_hist_hash(r.hash, CHAIN_HIST_DECISION, h.hash, &r);
	is_str(test_hex(r.hash, 32), "6255f67db161598df82cbc240128e340f7cebbf2911"
	    "bbb3358fd9954e4907332", "a decision's hash is the documented one");
	ok(chain_hist_step(&h, CHAIN_HIST_DECISION, &r, &cause) == 0 &&
	    h.n == 1, "a row that holds is taken on");
	ok(chain_hist_step(&h, CHAIN_HIST_DECISION, &r, &cause) != 0, "the "
	    "same row again is refused");
	free(cause);
	r.n = 2;
	ok(chain_hist_step(&h, CHAIN_HIST_DECISION, &r, &cause) != 0, "a row "
	    "that does not link is refused");
	free(cause);
	memset(&c, 0, sizeof c);
	strcpy(c.origin, "o.example/x");
	c.size = 1;
	c.epoch = c.n = 1;
	c.has_hist = 1;
	c.hist[0] = h;
	buf_init(&b);
	chain_checkpoint_body(&b, &c);
	ok(chain_checkpoint_parse((char *)b.data, b.len, &d, &cause) == 0 &&
	    d.has_hist && d.hist[0].n == 1 && d.hist[1].n == 0 &&
	    memcmp(d.hist[0].hash, h.hash, 32) == 0,
	    "a wachter-history line reads back");
	buf_free(&b);
	ok(hist_parse("wachter-history 0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
	    "0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &d) == 0 &&
	    d.has_hist, "empty histories have count 0 and the zero hash");
	ok(hist_parse("wachter-history 0 AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
	    "0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &d) != 0,
	    "count 0 with a hash is refused");
	ok(hist_parse("wachter-history 1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
	    "0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &d) != 0,
	    "a count with the zero hash is refused");
	ok(hist_parse("wachter-history 01 AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
	    "0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &d) != 0,
	    "a count with a leading zero is refused");
	ok(hist_parse("wachter-history 0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	    &d) != 0, "a line with one history is refused");
	ok(hist_parse("wachter-next 2 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	    "wachter-history 0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
	    "0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", &d) != 0,
	    "a history line after wachter-next is refused");
	ok(hist_parse("", &d) == 0 && !d.has_hist,
	    "a checkpoint without the line still reads");
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_ct();
	test_proofs();
	test_text();
	test_record();
	test_followup();
	test_note();
	test_verify();
	test_bundle();
	test_history();
	return (done_testing());
}
