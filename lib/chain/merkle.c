/*
 * merkle.c: RFC 6962 tree hashing. Leaves are SHA-256(0x00 || data),
 * nodes SHA-256(0x01 || left || right); the proof verifiers follow RFC
 * 9162 sections 2.1.3.2 and 2.1.4.2.
 *
 * Leaves and nodes are nearly all the hashing a verifier does (two a
 * record). Built with libcrypto they use OpenSSL's SHA-256, which runs
 * on the CPU's SHA instructions where there are some: four to five
 * times libsodium's portable code. Its low-level interface, deprecated
 * in OpenSSL 3 in favour of EVP, is used on purpose: it needs no library
 * context and no allocation, and costs a third less per 65-byte node.
 */
#include "config.h"

#ifdef HAVE_LIBCRYPTO
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#endif

#include <string.h>

#include <sodium.h>

#include "chain/merkle.h"

/* SHA-256 of one prefix byte followed by len bytes. */
static void
merkle_hash_prefixed(merkle_hash out, uint8_t prefix, const uint8_t *data,
    size_t len)
{
#ifdef HAVE_LIBCRYPTO
	SHA256_CTX			 st;

	SHA256_Init(&st);
	SHA256_Update(&st, &prefix, 1);
	SHA256_Update(&st, data, len);
	SHA256_Final(out, &st);
#else
	crypto_hash_sha256_state	 st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	crypto_hash_sha256_update(&st, data, len);
	crypto_hash_sha256_final(&st, out);
#endif
}

/* Hash one leaf. */
void
merkle_leaf(merkle_hash out, const uint8_t *data, size_t len)
{
	merkle_hash_prefixed(out, 0x00, data, len);
}

/* Hash an interior node from its children. */
void
merkle_node(merkle_hash out, const merkle_hash l, const merkle_hash r)
{
	uint8_t	 in[2 * MERKLE_HASH];

	memcpy(in, l, MERKLE_HASH);
	memcpy(in + MERKLE_HASH, r, MERKLE_HASH);
	merkle_hash_prefixed(out, 0x01, in, sizeof in);
}

/* The largest power of two smaller than n (n > 1). */
static uint64_t
merkle_split(uint64_t n)
{
	uint64_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return (k);
}

/* MTH(D[n]) over leaf hashes; the empty tree is SHA-256 of nothing. */
void
merkle_root(merkle_hash out, const merkle_hash *leaves, uint64_t n)
{
	merkle_hash	 l, r;
	uint64_t	 k;

	if (n == 0) {
		crypto_hash_sha256(out, NULL, 0);
		return;
	}
	if (n == 1) {
		memcpy(out, leaves[0], MERKLE_HASH);
		return;
	}
	k = merkle_split(n);
	merkle_root(l, leaves, k);
	merkle_root(r, leaves + k, n - k);
	merkle_node(out, l, r);
}

/* Start an empty frontier. */
void
merkle_frontier_init(struct merkle_frontier *f)
{
	memset(f, 0, sizeof *f);
}

/* Append one leaf hash, merging equal-sized subtrees like a binary carry. */
void
merkle_frontier_add(struct merkle_frontier *f, const merkle_hash leaf)
{
	merkle_hash	 c;
	int		 i;

	memcpy(c, leaf, MERKLE_HASH);
	for (i = 0; f->size & ((uint64_t)1 << i); i++)
		merkle_node(c, f->sub[i], c);
	memcpy(f->sub[i], c, MERKLE_HASH);
	f->size++;
}

/* The tree head of everything appended so far. */
void
merkle_frontier_root(const struct merkle_frontier *f, merkle_hash out)
{
	merkle_hash	 acc;
	int		 i, have = 0;

	if (f->size == 0) {
		crypto_hash_sha256(out, NULL, 0);
		return;
	}
	for (i = 0; i < 64; i++) {
		if ((f->size & ((uint64_t)1 << i)) == 0)
			continue;
		if (!have)
			memcpy(acc, f->sub[i], MERKLE_HASH);
		else
			merkle_node(acc, f->sub[i], acc);
		have = 1;
	}
	memcpy(out, acc, MERKLE_HASH);
}

/* PATH(m, D[n]) from RFC 6962 2.1.1; returns the number of hashes. */
size_t
merkle_inclusion_proof(merkle_hash *out, const merkle_hash *leaves,
    uint64_t m, uint64_t n)
{
	uint64_t k;
	size_t	 len;

	if (n <= 1 || m >= n)
		return (0);
	k = merkle_split(n);
	if (m < k) {
		len = merkle_inclusion_proof(out, leaves, m, k);
		merkle_root(out[len], leaves + k, n - k);
	} else {
		len = merkle_inclusion_proof(out, leaves + k, m - k, n - k);
		merkle_root(out[len], leaves, k);
	}
	return (len + 1);
}

/* SUBPROOF(m, D[n], b) from RFC 6962 2.1.2. */
static size_t
merkle_subproof(merkle_hash *out, const merkle_hash *leaves, uint64_t m,
    uint64_t n, int b)
{
	uint64_t k;
	size_t	 len;

	if (m == n) {
		if (b)
			return (0);
		merkle_root(out[0], leaves, n);
		return (1);
	}
	k = merkle_split(n);
	if (m <= k) {
		len = merkle_subproof(out, leaves, m, k, b);
		merkle_root(out[len], leaves + k, n - k);
	} else {
		len = merkle_subproof(out, leaves + k, m - k, n - k, 0);
		merkle_root(out[len], leaves, k);
	}
	return (len + 1);
}

/* PROOF(m, D[n]): consistency of the first m leaves with all n. */
size_t
merkle_consistency_proof(merkle_hash *out, const merkle_hash *leaves,
    uint64_t m, uint64_t n)
{
	if (m == 0 || m >= n)
		return (0);
	return (merkle_subproof(out, leaves, m, n, 1));
}

/* Shift fn and sn right until fn's lowest bit is set or fn is zero. */
static void
merkle_shift(uint64_t *fn, uint64_t *sn)
{
	while ((*fn & 1) == 0 && *fn != 0) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

/* Check an inclusion proof (RFC 9162 2.1.3.2); 1 if it holds. */
int
merkle_inclusion_verify(const merkle_hash leaf, uint64_t index,
    uint64_t size, const merkle_hash *proof, size_t len, const merkle_hash root)
{
	merkle_hash	 r;
	uint64_t	 fn, sn;
	size_t		 i;

	if (index >= size)
		return (0);
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, MERKLE_HASH);
	for (i = 0; i < len; i++) {
		if (sn == 0)
			return (0);
		if ((fn & 1) || fn == sn) {
			merkle_node(r, proof[i], r);
			merkle_shift(&fn, &sn);
		} else
			merkle_node(r, r, proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	return (sn == 0 && sodium_memcmp(r, root, MERKLE_HASH) == 0);
}

/* Check a consistency proof (RFC 9162 2.1.4.2); 1 if it holds. */
int
merkle_consistency_verify(uint64_t first, uint64_t second,
    const merkle_hash r1, const merkle_hash r2, const merkle_hash *proof,
    size_t len)
{
	merkle_hash	 fr, sr, empty;
	uint64_t	 fn, sn;
	size_t		 i = 0;

	if (first > second)
		return (0);
	if (first == second)
		return (len == 0 && sodium_memcmp(r1, r2, MERKLE_HASH) == 0);
	if (first == 0) {
		crypto_hash_sha256(empty, NULL, 0);
		return (len == 0 && sodium_memcmp(r1, empty, MERKLE_HASH) == 0);
	}
	if (len == 0)
		return (0);
	fn = first - 1;
	sn = second - 1;
	if ((first & (first - 1)) == 0) {
		memcpy(fr, r1, MERKLE_HASH);	/* proof starts with first's root */
	} else
		memcpy(fr, proof[i++], MERKLE_HASH);
	memcpy(sr, fr, MERKLE_HASH);
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < len; i++) {
		if (sn == 0)
			return (0);
		if ((fn & 1) || fn == sn) {
			merkle_node(fr, proof[i], fr);
			merkle_node(sr, proof[i], sr);
			merkle_shift(&fn, &sn);
		} else
			merkle_node(sr, sr, proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	return (sn == 0 && sodium_memcmp(fr, r1, MERKLE_HASH) == 0 &&
	    sodium_memcmp(sr, r2, MERKLE_HASH) == 0);
}
