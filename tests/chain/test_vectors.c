/*
 * test_vectors.c: the JSON test vectors in tests/chain/vectors.json.
 * "gen" prints them (run once, then reviewed and committed); "check" reads
 * the line form vectors.sh extracts with jq and checks every vector against
 * lib/chain, so a change in any format breaks make check.
 */
#include "config.h"

#include <inttypes.h>

#include <sodium.h>

#include "tap.h"
#include "testlib.h"

#define VEC_RECORDS	10	/* records in the vector chain */

/* The CT reference leaves (see test_chain.c for the source). */
static const char *vec_leaves[] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

/* Print a JSON string. */
static void
vec_str(const char *s, size_t len)
{
	size_t	 i;

	putchar('"');
	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			fputs("\\n", stdout);
		else if (s[i] == '"' || s[i] == '\\')
			printf("\\%c", s[i]);
		else
			putchar(s[i]);
	}
	putchar('"');
}

/* Print a proof as a JSON array of hex strings. */
static void
vec_proof(merkle_hash *p, size_t n)
{
	size_t	 i;

	printf("[");
	for (i = 0; i < n; i++)
		printf("%s\"%s\"", i ? ", " : "", test_hex(p[i], 32));
	printf("]");
}

/* Merkle vectors: leaves, roots, proofs good and corrupted. */
static void
vec_gen_merkle(void)
{
	merkle_hash	 l[8], root, p[MERKLE_MAXPROOF];
	uint8_t		 d[32];
	size_t		 i, n, m, len;
	int		 first = 1, bad;

	printf("\"merkle\": {\n\"source\": \"leaves and roots 0..8: "
	    "certificate-transparency merkle_tree_test.cc reference values\",\n"
	    "\"leaves\": [");
	for (i = 0; i < 8; i++) {
		merkle_leaf(l[i], d, test_unhex(d, vec_leaves[i]));
		printf("%s{\"data\": \"%s\", ", i ? ",\n  " : "", vec_leaves[i]);
		printf("\"leaf_hash\": \"%s\"}", test_hex(l[i], 32));
	}
	printf("],\n\"roots\": [");
	for (n = 0; n <= 8; n++) {
		merkle_root(root, l, n);
		printf("%s{\"size\": %zu, \"root\": \"%s\"}", n ? ",\n  " : "",
		    n, test_hex(root, 32));
	}
	printf("],\n\"inclusion\": [");
	for (n = 1; n <= 8; n++)
		for (m = 0; m < n; m++)
			for (bad = 0; bad <= (n > 1); bad++) {
				len = merkle_inclusion_proof(p, l, m, n);
				if (bad)
					p[(m + n) % len][m % 32] ^= 0x40;
				printf("%s{\"index\": %zu, \"size\": %zu, "
				    "\"valid\": %s, \"proof\": ", first ? "" :
				    ",\n  ", m, n, bad ? "false" : "true");
				vec_proof(p, len);
				printf("}");
				first = 0;
			}
	printf("],\n\"consistency\": [");
	first = 1;
	for (n = 1; n <= 8; n++)
		for (m = 1; m <= n; m++)
			for (bad = 0; bad <= (m < n); bad++) {
				len = merkle_consistency_proof(p, l, m, n);
				if (bad)
					p[(m * n) % len][n] ^= 0x01;
				printf("%s{\"first\": %zu, \"second\": %zu, "
				    "\"valid\": %s, \"proof\": ", first ? "" :
				    ",\n  ", m, n, bad ? "false" : "true");
				vec_proof(p, len);
				printf("}");
				first = 0;
			}
	printf("]\n},\n");
}

/* Ratchet vectors: four epochs from the test seed. */
static void
vec_gen_ratchet(void)
{
	uint8_t		 seed[32], next[32], pk[32], sk[64];
	uint32_t	 e;

	memset(seed, 0x02, 32);
	printf("\"ratchet\": [");
	for (e = 1; e <= 4; e++) {
		chain_epoch_keypair(pk, sk, seed);
		printf("%s{\"epoch\": %" PRIu32 ", \"seed\": \"%s\", ",
		    e > 1 ? ",\n  " : "", e, test_hex(seed, 32));
		printf("\"public_key\": \"%s\"}", test_hex(pk, 32));
		chain_epoch_ratchet(next, seed, e + 1);
		memcpy(seed, next, 32);
	}
	printf("],\n");
}

/*
 * Record i of the vector chain: test_alert's first 8, then an addendum
 * whose lookup is provisional (field 0x8101) and the follow-up that
 * withdraws it, explained later by a case (kind 2, field 0x8102).
 */
static struct alert *
vec_alert(int i)
{
	struct alert	*a;

	if (i < 9) {
		a = test_alert(i);
		if (i == 8)
			alert_add_prov(a, a->events[0]);
		return (a);
	}
	a = test_alert(8);
	a->kind = ALERT_EXPLAINED;
	a->severity = ALERT_INFO;
	a->last_ts = a->first_ts;
	alert_add_by(a, "ZAAK-2024-0000010");
	free(a->summary);
	a->summary = xstrdup("medewerker01: voorlopige melding van "
	    "raadpleging ev-000008 later verklaard door zaak "
	    "ZAAK-2024-0000010 (ingetrokken)");
	return (a);
}

/*
 * A chain of 10 records, a checkpoint after each, epoch 1 sealed at 4;
 * records 9 and 10 are a provisional alert and its follow-up.
 */
static void
vec_gen_chain(void)
{
	struct chain_writer	*w;
	struct chain_append	 out;
	struct chain_checkpoint	 c;
	struct alert		*a;
	struct buf		 note, cps;
	uint8_t			 rpk[32], rsk[64], seed[32], pk[32], sk[64];
	merkle_hash		 lid;
	int64_t			 t = 1732300000000000LL;
	int			 i;

	test_keys(rpk, rsk, seed);
	chain_epoch_keypair(pk, sk, seed);
	chain_log_id(lid, rpk);
	buf_init(&note);
	buf_init(&cps);
	printf("\"chain\": {\n\"origin\": \"%s\",\n\"root_public_key\": "
	    "\"%s\",\n", TEST_ORIGIN, test_hex(rpk, 32));
	chain_vkey_format(&note, TEST_ORIGIN, rpk);
	printf("\"root_vkey\": \"%s\",\n", buf_cstr(&note));
	printf("\"log_id\": \"%s\",\n\"certificate\": ", test_hex(lid, 32));
	buf_reset(&note);
	chain_cert_sign(&note, TEST_ORIGIN, 1, pk, t, rsk);
	vec_str((char *)note.data, note.len);
	printf(",\n\"records\": [");
	w = chain_writer_new(TEST_ORIGIN, rpk, 1, seed);
	for (i = 0; i < VEC_RECORDS; i++) {
		a = vec_alert(i);
		chain_writer_append(w, a, t += 1000000, &out);
		alert_free(a);
		printf("%s{\"seq\": %" PRIu64 ", \"epoch\": %" PRIu32 ", "
		    "\"time_us\": %" PRId64 ",\n   \"record\": \"", i ? ",\n  " :
		    "", out.seq, out.epoch, out.time_us);
		printf("%s\",\n", test_hex(out.record.data, out.record.len));
		printf("   \"leaf_hash\": \"%s\"}", test_hex(out.leaf, 32));
		chain_append_clear(&out);
		buf_reset(&note);
		chain_writer_checkpoint(w, t += 1000, i == 3, &note, &c);
		if (i == 3)
			chain_writer_ratchet(w, NULL);
		buf_add(&cps, i ? ",\n  " : "", i ? 4 : 0);
		buf_addc(&cps, '{');
		buf_printf(&cps, "\"size\": %" PRIu64 ", \"root\": \"%s\", "
		    "\"note\": ", c.size, test_hex(c.root, 32));
		fflush(stdout);
		buf_addc(&cps, '"');
		for (size_t k = 0; k < note.len; k++) {
			if (note.data[k] == '\n')
				buf_adds(&cps, "\\n");
			else
				buf_addc(&cps, note.data[k]);
		}
		buf_adds(&cps, "\"}");
	}
	printf("],\n\"checkpoints\": [%s]\n}\n", buf_cstr(&cps));
	chain_writer_free(w);
	buf_free(&note);
	buf_free(&cps);
}

/* What check collects from the vector lines. */
struct vec {
	merkle_hash		 leaves[8];
	size_t			 nleaves;
	char			 origin[CHAIN_NAME_MAX];
	uint8_t			 rootpk[32];
	struct buf		 cert;
	struct buf		 rec[16], note[16];
	struct chain_row	 rows[16];
	struct chain_cprow	 cps[16];
	size_t			 nrows, ncps;
};

/* Decode a hex proof ("-" is empty). */
static size_t
vec_unproof(merkle_hash *p, const char *s)
{
	if (strcmp(s, "-") == 0)
		return (0);
	return (test_unhex((uint8_t *)p, s) / 32);
}

/* Decode base64 into a buffer. */
static void
vec_unb64(struct buf *b, const char *s)
{
	size_t	 len;

	buf_reserve(b, strlen(s));
	sodium_base642bin(b->data, strlen(s), s, strlen(s), NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL);
	b->len = len;
}

/* leaf DATA HASH and root SIZE HASH. */
static void
vec_check_tree(struct vec *v, char **w)
{
	merkle_hash	 h;
	uint8_t		 d[64];
	size_t		 n;

	if (strcmp(w[0], "leaf") == 0) {
		n = strcmp(w[1], "-") == 0 ? 0 : test_unhex(d, w[1]);
		merkle_leaf(v->leaves[v->nleaves++], d, n);
		is_str(test_hex(v->leaves[v->nleaves - 1], 32), w[2],
		    "leaf hash");
		return;
	}
	n = strtoull(w[1], NULL, 10);
	merkle_root(h, v->leaves, n);
	is_str(test_hex(h, 32), w[2], "root of the reference tree");
}

/* incl INDEX SIZE VALID PROOF and cons FIRST SECOND VALID PROOF. */
static void
vec_check_proof(struct vec *v, char **w)
{
	merkle_hash	 p[MERKLE_MAXPROOF], g[MERKLE_MAXPROOF], r1, r2;
	uint64_t	 a = strtoull(w[1], NULL, 10), b = strtoull(w[2], NULL, 10);
	int		 valid = strcmp(w[3], "true") == 0, got;
	size_t		 n = vec_unproof(p, w[4]), gn;

	merkle_root(r2, v->leaves, b);
	if (w[0][0] == 'i') {
		got = merkle_inclusion_verify(v->leaves[a], a, b, p, n, r2);
		gn = merkle_inclusion_proof(g, v->leaves, a, b);
	} else {
		merkle_root(r1, v->leaves, a);
		got = merkle_consistency_verify(a, b, r1, r2, p, n);
		gn = merkle_consistency_proof(g, v->leaves, a, b);
	}
	ok(got == valid, "%s proof (%s, %s) is %s", w[0], w[1], w[2], w[3]);
	if (valid)
		ok(gn == n && memcmp(g, p, n * 32) == 0, "and generated alike");
}

/* ratchet EPOCH SEED PK: the seed chain and keys. */
static void
vec_check_ratchet(char **w)
{
	static uint8_t	 seed[32];
	uint8_t		 want[32], next[32], pk[32], sk[64];
	uint32_t	 e = strtoul(w[1], NULL, 10);

	test_unhex(want, w[2]);
	if (e == 1)
		memcpy(seed, want, 32);
	ok(memcmp(seed, want, 32) == 0, "ratchet seed of epoch %u", e);
	chain_epoch_keypair(pk, sk, want);
	is_str(test_hex(pk, 32), w[3], "epoch public key");
	chain_epoch_ratchet(next, seed, e + 1);
	memcpy(seed, next, 32);
}

/* record SEQ EPOCH TIME HEX LEAF: decodes, re-encodes, hashes. */
static void
vec_check_record(struct vec *v, char **w)
{
	struct chain_record	 r;
	struct chain_row	*row = &v->rows[v->nrows];
	struct buf		*b = &v->rec[v->nrows], again;
	merkle_hash		 h;
	char			*cause;

	buf_reserve(b, strlen(w[4]) / 2);
	b->len = test_unhex(b->data, w[4]);
	row->seq = ++v->nrows;
	row->record = b->data;
	row->len = b->len;
	merkle_leaf(h, b->data, b->len);
	is_str(test_hex(h, 32), w[5], "record leaf hash");
	if (chain_record_decode(b->data, b->len, &r, &cause) != 0) {
		ok(0, "record decodes: %s", cause);
		free(cause);
		return;
	}
	ok(r.seq == strtoull(w[1], NULL, 10) && r.epoch == strtoul(w[2],
	    NULL, 10) && r.time_us == strtoll(w[3], NULL, 10),
	    "record %s header fields", w[1]);
	if (r.seq == VEC_RECORDS - 1)
		ok(r.alert->nprov == 1 && r.alert->kind == ALERT_ADDENDUM,
		    "record %s: an addendum with a provisional lookup", w[1]);
	if (r.seq == VEC_RECORDS)
		ok(r.alert->kind == ALERT_EXPLAINED && r.alert->nby == 1 &&
		    strcmp(r.alert->by[0], "ZAAK-2024-0000010") == 0,
		    "record %s: its follow-up, explained later by a case", w[1]);
	buf_init(&again);
	chain_record_encode(&again, &r);
	ok(again.len == b->len && memcmp(again.data, b->data, b->len) == 0,
	    "record %s re-encodes to the same bytes", w[1]);
	buf_free(&again);
	chain_record_clear(&r);
}

/* checkpoint SIZE ROOT NOTE. */
static void
vec_check_checkpoint(struct vec *v, char **w)
{
	struct chain_cprow	*cp = &v->cps[v->ncps];
	struct buf		*b = &v->note[v->ncps];
	struct chain_note	 n;
	struct chain_checkpoint	 c;
	char			*cause;

	vec_unb64(b, w[3]);
	cp->n = ++v->ncps;
	cp->note = (char *)b->data;
	cp->len = b->len;
	if (chain_note_split(cp->note, cp->len, &n, &cause) != 0 ||
	    chain_checkpoint_parse(n.body, n.bodylen, &c, &cause) != 0) {
		ok(0, "checkpoint parses: %s", cause);
		free(cause);
		return;
	}
	ok(c.size == strtoull(w[1], NULL, 10) &&
	    strcmp(test_hex(c.root, 32), w[2]) == 0, "checkpoint %zu body",
	    v->ncps);
}

/* The whole vector chain verifies; one flipped byte does not. */
static void
vec_check_chain(struct vec *v)
{
	struct chain_verify_in	 in;
	struct chain_report	 rep;

	memset(&in, 0, sizeof in);
	strcpy(in.origin, v->origin);
	memcpy(in.root_pk, v->rootpk, 32);
	in.cert = (char *)v->cert.data;
	in.certlen = v->cert.len;
	in.rows = v->rows;
	in.nrows = v->nrows;
	in.cps = v->cps;
	in.ncps = v->ncps;
	chain_verify(&in, &rep);
	ok(rep.errors == 0 && rep.epoch == 2 && v->nrows == VEC_RECORDS,
	    "the vector chain verifies and reaches epoch 2");
	if (rep.errors)
		diag("%s", buf_cstr(&rep.text));
	chain_report_free(&rep);
	v->rec[4].data[100] ^= 1;
	chain_verify(&in, &rep);
	ok(rep.errors > 0, "a flipped byte in record 5 fails it");
	chain_report_free(&rep);
}

/* Dispatch one line. */
static void
vec_check_line(struct vec *v, char **w, int nw)
{
	char	 name[CHAIN_NAME_MAX], *cause;
	uint8_t	 pk[32];

	if (strcmp(w[0], "leaf") == 0 || strcmp(w[0], "root") == 0)
		vec_check_tree(v, w);
	else if (strcmp(w[0], "incl") == 0 || strcmp(w[0], "cons") == 0)
		vec_check_proof(v, w);
	else if (strcmp(w[0], "ratchet") == 0)
		vec_check_ratchet(w);
	else if (strcmp(w[0], "origin") == 0)
		strncpy(v->origin, w[1], sizeof v->origin - 1);
	else if (strcmp(w[0], "rootpk") == 0)
		test_unhex(v->rootpk, w[1]);
	else if (strcmp(w[0], "vkey") == 0) {
		ok(chain_vkey_parse(w[1], strlen(w[1]), name, pk, &cause) ==
		    0 && memcmp(pk, v->rootpk, 32) == 0, "root vkey");
	} else if (strcmp(w[0], "logid") == 0) {
		chain_log_id(pk, v->rootpk);
		is_str(test_hex(pk, 32), w[1], "log id");
	} else if (strcmp(w[0], "cert") == 0)
		vec_unb64(&v->cert, w[1]);
	else if (strcmp(w[0], "record") == 0 && nw == 6)
		vec_check_record(v, w);
	else if (strcmp(w[0], "checkpoint") == 0 && nw == 4)
		vec_check_checkpoint(v, w);
	else
		ok(0, "unknown vector line '%s'", w[0]);
}

/* Read the line form on stdin. */
static void
vec_check(void)
{
	static struct vec v;
	char		*line = NULL, *w[8], *p;
	size_t		 cap = 0;
	int		 nw;

	while (getline(&line, &cap, stdin) != -1) {
		line[strcspn(line, "\n")] = '\0';
		for (nw = 0, p = strtok(line, " "); p && nw < 8;
		    p = strtok(NULL, " "))
			w[nw++] = p;
		if (nw > 0)
			vec_check_line(&v, w, nw);
	}
	free(line);
	vec_check_chain(&v);
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return (1);
	if (argc > 1 && strcmp(argv[1], "gen") == 0) {
		printf("{\n\"about\": \"wachter chain test vectors; see "
		    "docs/CHAIN.md\",\n");
		vec_gen_merkle();
		vec_gen_ratchet();
		vec_gen_chain();
		printf("}\n");
		return (0);
	}
	vec_check();
	return (done_testing());
}
