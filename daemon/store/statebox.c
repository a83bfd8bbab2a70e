/*
 * statebox.c: XChaCha20-Poly1305 (libsodium's IETF AEAD) over the engine's
 * state blobs. A sealed blob is
 *
 *   "WST1" || nonce (24 random bytes) || ciphertext and tag
 *
 * with the row's name as associated data ("engine_state", or
 * "engine_user:" and the official's account), so a blob moved to another
 * row does not open. The key is KEYDIR/state.key (0600), created at the
 * first start. Blobs written before it are plaintext: they are taken only
 * at the start that creates the key (the upgrade), then written sealed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keyfile.h"
#include "log.h"
#include "store/statebox.h"
#include "util/xmalloc.h"

#define STATEBOX_MAGIC	"WST1"
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

/* Append the sealed form of p to out, bound to the row named ad. */
void
statebox_seal(struct statebox *sb, const char *ad, const uint8_t *p,
    size_t len, struct buf *out)
{
	uint8_t			 nonce[STATEBOX_NONCE];
	unsigned long long	 clen;
	size_t			 at;

	randombytes_buf(nonce, sizeof nonce);
	buf_add(out, STATEBOX_MAGIC, 4);
	buf_add(out, nonce, sizeof nonce);
	at = out->len;
	buf_reserve(out, len + STATEBOX_TAG);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out->data + at, &clen,
	    p, len, (const uint8_t *)ad, strlen(ad), NULL, nonce, sb->key);
	out->len = at + (size_t)clen;
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

	*plain = len < 4 || memcmp(p, STATEBOX_MAGIC, 4) != 0;
	if (*plain && sb->created) {
		buf_add(out, p, len);
		return (0);
	}
	buf_reserve(out, len);
	if (*plain || len < hdr + STATEBOX_TAG ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt(out->data + out->len,
	    &mlen, NULL, p + hdr, len - hdr, (const uint8_t *)ad, strlen(ad),
	    p + 4, sb->key) != 0) {
		xasprintf(cause, "%s: the stored state is not sealed under "
		    "state.key (written by someone else, or the key was "
		    "replaced)", ad);
		return (-1);
	}
	out->len += (size_t)mlen;
	return (0);
}
