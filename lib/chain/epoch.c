/*
 * epoch.c: forward-secure epoch keys. Each epoch's Ed25519 key comes from a
 * 32-byte seed; the next seed is a one-way hash of the current one, so a
 * thief of today's seed can sign for today and later, never for the past.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "chain/chain.h"

#define CHAIN_RATCHET_TAG	"wachter epoch ratchet v1"
#define CHAIN_LOGID_TAG		"wachter log id v1"

/* The log id: SHA-256(tag || 0x00 || root public key). */
void
chain_log_id(merkle_hash out, const uint8_t root_pk[CHAIN_PK])
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)CHAIN_LOGID_TAG,
	    sizeof CHAIN_LOGID_TAG);	/* includes the NUL */
	crypto_hash_sha256_update(&st, root_pk, CHAIN_PK);
	crypto_hash_sha256_final(&st, out);
}

/* seed(e+1) = SHA-256(tag || 0x00 || be32(e+1) || seed(e)). */
void
chain_epoch_ratchet(uint8_t next[CHAIN_SEED], const uint8_t seed[CHAIN_SEED],
    uint32_t next_epoch)
{
	crypto_hash_sha256_state st;
	uint8_t			 e[4];

	e[0] = next_epoch >> 24;
	e[1] = next_epoch >> 16;
	e[2] = next_epoch >> 8;
	e[3] = next_epoch;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)CHAIN_RATCHET_TAG,
	    sizeof CHAIN_RATCHET_TAG);
	crypto_hash_sha256_update(&st, e, sizeof e);
	crypto_hash_sha256_update(&st, seed, CHAIN_SEED);
	crypto_hash_sha256_final(&st, next);
	sodium_memzero(&st, sizeof st);
}

/* The Ed25519 key pair of a seed. */
void
chain_epoch_keypair(uint8_t pk[CHAIN_PK], uint8_t sk[CHAIN_SK],
    const uint8_t seed[CHAIN_SEED])
{
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* A root-signed certificate naming an epoch's public key. */
void
chain_cert_sign(struct buf *note, const char *origin, uint32_t epoch,
    const uint8_t pk[CHAIN_PK], int64_t time_us,
    const uint8_t root_sk[CHAIN_SK])
{
	struct chain_cert	 c;
	struct buf		 body;

	memset(&c, 0, sizeof c);
	strncpy(c.origin, origin, sizeof c.origin - 1);
	c.epoch = epoch;
	memcpy(c.pk, pk, CHAIN_PK);
	c.time_us = time_us;
	buf_init(&body);
	chain_cert_body(&body, &c);
	chain_note_sign(note, (const char *)body.data, body.len, origin,
	    root_sk);
	buf_free(&body);
}
