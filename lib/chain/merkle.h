/*
 * merkle.h: RFC 6962 / RFC 9162 Merkle tree hashing over SHA-256: leaf and
 * node hashes, tree heads, a compact frontier for appending, and inclusion
 * and consistency proofs (generation and verification).
 */
#ifndef WACHTER_MERKLE_H
#define WACHTER_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH	32
#define MERKLE_MAXPROOF	64

typedef uint8_t merkle_hash[MERKLE_HASH];

/* The right edge of a tree: roots of its perfect subtrees, one per set bit. */
struct merkle_frontier {
	uint64_t	size;
	merkle_hash	sub[64];
};

void	 merkle_leaf(merkle_hash, const uint8_t *, size_t);
void	 merkle_node(merkle_hash, const merkle_hash, const merkle_hash);
void	 merkle_root(merkle_hash, const merkle_hash *, uint64_t);
void	 merkle_frontier_init(struct merkle_frontier *);
void	 merkle_frontier_add(struct merkle_frontier *, const merkle_hash);
void	 merkle_frontier_root(const struct merkle_frontier *, merkle_hash);
size_t	 merkle_inclusion_proof(merkle_hash *, const merkle_hash *, uint64_t,
	    uint64_t);
size_t	 merkle_consistency_proof(merkle_hash *, const merkle_hash *,
	    uint64_t, uint64_t);
int	 merkle_inclusion_verify(const merkle_hash, uint64_t, uint64_t,
	    const merkle_hash *, size_t, const merkle_hash);
int	 merkle_consistency_verify(uint64_t, uint64_t, const merkle_hash,
	    const merkle_hash, const merkle_hash *, size_t);

#endif
