/*
 * history.c: one step along an officers' history. The hash of row n is
 *
 *   SHA-256(LABEL || 0x00 || hash(n-1) || UTF-8(n LF f1 .. LF f5 LF at_us))
 *
 * exactly as migrations 0007 and 0008 compute it in SQL; recomputing it
 * here means a replaced SQL function cannot vouch for an altered row.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "chain/history.h"
#include "util/xmalloc.h"

static const char *const chain_hist_labels[CHAIN_HISTS] = {
	"wachter decision v1", "wachter access v1"
};
static const char *const chain_hist_names[CHAIN_HISTS] = {
	"decision", "access"
};

/* The history's name as findings and the checkpoint line use it. */
const char *
chain_hist_name(int which)
{
	return (chain_hist_names[which]);
}

/* The hash a row must have, given the hash of the row before. */
void
chain_hist_hash(merkle_hash out, int which, const merkle_hash prev,
    const struct chain_hrow *r)
{
	crypto_hash_sha256_state st;
	char	 num[24];
	int	 i;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)chain_hist_labels[which],
	    strlen(chain_hist_labels[which]) + 1);
	crypto_hash_sha256_update(&st, prev, MERKLE_HASH);
	snprintf(num, sizeof num, "%" PRIu64, r->n);
	crypto_hash_sha256_update(&st, (const uint8_t *)num, strlen(num));
	for (i = 0; i < CHAIN_HIST_FIELDS; i++) {
		crypto_hash_sha256_update(&st, (const uint8_t *)"\n", 1);
		crypto_hash_sha256_update(&st, (const uint8_t *)r->f[i],
		    strlen(r->f[i]));
	}
	snprintf(num, sizeof num, "\n%" PRId64, r->at_us);
	crypto_hash_sha256_update(&st, (const uint8_t *)num, strlen(num));
	crypto_hash_sha256_final(&st, out);
}

/*
 * Take the next row onto head h: it must be numbered next, link to h's
 * hash and hash to its stored hash. Otherwise h stays and cause says why.
 */
int
chain_hist_step(struct chain_hhead *h, int which, const struct chain_hrow *r,
    char **cause)
{
	merkle_hash	 want;

	if (r->n != h->n + 1) {
		xasprintf(cause, "%s %" PRIu64 " follows %s %" PRIu64 " (rows "
		    "deleted, inserted or renumbered)", chain_hist_name(which),
		    r->n, chain_hist_name(which), h->n);
		return (-1);
	}
	if (memcmp(r->prev, h->hash, MERKLE_HASH) != 0) {
		xasprintf(cause, "%s %" PRIu64 " does not link to the one before "
		    "(an earlier row was changed)", chain_hist_name(which), r->n);
		return (-1);
	}
	chain_hist_hash(want, which, h->hash, r);
	if (memcmp(want, r->hash, MERKLE_HASH) != 0) {
		xasprintf(cause, "%s %" PRIu64 ": its hash does not match its "
		    "fields (altered)", chain_hist_name(which), r->n);
		return (-1);
	}
	h->n = r->n;
	memcpy(h->hash, r->hash, MERKLE_HASH);
	return (0);
}
