/*
 * statebox.c: XChaCha20-Poly1305 (libsodium's IETF AEAD) over the engine's
 * state blobs. A sealed blob is
 *
 *   "WST2" || nonce (24 random bytes) || ciphertext and tag
 *
 * of be32(length of the state) || the state deflated (zlib), with the
 * row's name as associated data ("engine_state", or "engine_user:" and
 * the official's account), so a blob moved to another row does not open.
 * The state is compressed before it is sealed because PostgreSQL can no
 * longer compress it after: the held lookups of a day (a daily RDW export)
 * are megabytes of text, rewritten at every commit, and sealed they were
 * written to the table and its WAL at full size (4.2 MB a commit on val,
 * 1.06 MB deflated).
 * "WST1" blobs (sealed, not compressed) are still read. The key is
 * KEYDIR/state.key (0600), created at the first start. Blobs written
 * before it are plaintext: they are taken only at the start that creates
 * the key (the upgrade), then written sealed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>

#include "keyfile.h"
#include "log.h"
#include "store/statebox.h"
#include "util/xmalloc.h"

#define STATEBOX_MAGIC	"WST2"	/* deflated, then sealed */
#define STATEBOX_MAGIC1	"WST1"	/* sealed only */
#define STATEBOX_MAX	(1024U * 1024 * 1024)	/* a state is far smaller */
#define STATEBOX_KEYMAGIC "wachter-state-key v1"
#define STATEBOX_KEY	crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define STATEBOX_NONCE	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define STATEBOX_TAG	crypto_aead_xchacha20poly1305_ietf_ABYTES

struct statebox {
	uint8_t		*key;		/* sodium_malloc'd */
	int		 created;	/* the key was made at this start */
};

/* Load KEYDIR/state.key, creating it when there is none. */
struct statebox *
statebox_open(const char *keydir, char **cause)
{
	struct statebox	*sb;
	char		*path;
	int		 rc;

	sb = xcalloc(1, sizeof *sb);
	if ((sb->key = sodium_malloc(STATEBOX_KEY)) == NULL)
		fatalx("out of memory");
	xasprintf(&path, "%s/state.key", keydir);
	rc = keyfile_secret_load(path, STATEBOX_KEYMAGIC, sb->key,
	    STATEBOX_KEY, &sb->created, cause);
	free(path);
	if (rc != 0) {
		statebox_free(sb);
		return (NULL);
	}
	return (sb);
}

/* Wipe and free the key. */
void
statebox_free(struct statebox *sb)
{
	if (sb == NULL)
		return;
	sodium_free(sb->key);
	free(sb);
}

/* Whether the key was created at this start (plaintext blobs allowed). */
int
statebox_new_key(const struct statebox *sb)
{
	return (sb->created);
}

/* be32(len) || p deflated, into z (emptied first). */
static void
statebox_deflate(const uint8_t *p, size_t len, struct buf *z)
{
	uLongf	 zlen = compressBound((uLong)len);

	if (len > STATEBOX_MAX)
		fatalx("engine state of %zu bytes", len);
	buf_reset(z);
	buf_reserve(z, 4 + zlen);
	buf_add_be(z, len, 4);
	/* Level 1: most of the gain at a fraction of the time. */
	if (compress2(z->data + 4, &zlen, p, (uLong)len, 1) != Z_OK)
		fatalx("engine state: deflate failed");
	z->len = 4 + (size_t)zlen;
}

/* Append what a WST2 blob's be32(length) || deflated bytes hold to out. */
static int
statebox_inflate(const uint8_t *z, size_t zlen, struct buf *out)
{
	uLongf	 len;
	size_t	 want;

	if (zlen < 4)
		return (-1);
	want = (size_t)be_get(z, 4);
	if (want > STATEBOX_MAX)
		return (-1);
	buf_reserve(out, want);
	len = (uLongf)want;
	if (uncompress(out->data + out->len, &len, z + 4, (uLong)(zlen - 4)) !=
	    Z_OK || len != want)
		return (-1);
	out->len += want;
	return (0);
}

/* Append the sealed form of p to out, bound to the row named ad. */
void
statebox_seal(struct statebox *sb, const char *ad, const uint8_t *p,
    size_t len, struct buf *out)
{
	uint8_t			 nonce[STATEBOX_NONCE];
	unsigned long long	 clen;
	struct buf		 z;
	size_t			 at;

	buf_init(&z);
	statebox_deflate(p, len, &z);
	randombytes_buf(nonce, sizeof nonce);
	buf_add(out, STATEBOX_MAGIC, 4);
	buf_add(out, nonce, sizeof nonce);
	at = out->len;
	buf_reserve(out, z.len + STATEBOX_TAG);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out->data + at, &clen,
	    z.data, z.len, (const uint8_t *)ad, strlen(ad), NULL, nonce,
	    sb->key);
	out->len = at + (size_t)clen;
	buf_free(&z);
}

/*
 * Open a blob of the row named ad into out. *plain says it was an
 * unsealed blob, accepted only when the key is new; anything else that
 * does not open is refused.
 */
int
statebox_unseal(struct statebox *sb, const char *ad, const uint8_t *p,
    size_t len, struct buf *out, int *plain, char **cause)
{
	unsigned long long	 mlen;
	size_t			 hdr = 4 + STATEBOX_NONCE;
	struct buf		 z;
	int			 deflated, rc = 0;

	deflated = len >= 4 && memcmp(p, STATEBOX_MAGIC, 4) == 0;
	*plain = !deflated && (len < 4 || memcmp(p, STATEBOX_MAGIC1, 4) != 0);
	if (*plain && sb->created) {
		buf_add(out, p, len);
		return (0);
	}
	buf_init(&z);
	buf_reserve(&z, len);
	if (*plain || len < hdr + STATEBOX_TAG ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt(z.data, &mlen, NULL,
	    p + hdr, len - hdr, (const uint8_t *)ad, strlen(ad), p + 4,
	    sb->key) != 0) {
		xasprintf(cause, "%s: the stored state is not sealed under "
		    "state.key (written by someone else, or the key was "
		    "replaced)", ad);
		rc = -1;
	} else if (!deflated)
		buf_add(out, z.data, (size_t)mlen);
	else if (statebox_inflate(z.data, (size_t)mlen, out) != 0) {
		xasprintf(cause, "%s: the stored state opens but does not "
		    "inflate", ad);
		rc = -1;
	}
	buf_free(&z);
	return (rc);
}
