/*
 * test_statebox.c: the engine state sealed at rest (daemon/store/
 * statebox.c) on a real key file: it round-trips, it is deflated before
 * it is sealed (sealed bytes do not compress, so PostgreSQL could not do
 * it), blobs of the earlier sealed-only format still open, and a blob of
 * another row, a flipped byte or a plaintext blob after the upgrade do
 * not.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "store/statebox.h"
#include "tap.h"
#include "util/buf.h"

static char	 dir[] = "/tmp/statebox.XXXXXX";

/* A state like the engine's: many similar lines of held lookups. */
static void
make_state(struct buf *b)
{
	int	 i;

	for (i = 0; i < 20000; i++)
		buf_printf(b, "H\t%d\t1772700000000000\tbrp-%09d\tjbakker\tWS-1"
		    "\tZaaksysteem\t\t%09d\n", i + 1, i, 100000000 + i * 7);
}

/* Seal p as the format before compression did: "WST1" || nonce || ct. */
static void
seal_v1(const uint8_t *key, const char *ad, const struct buf *p,
    struct buf *out)
{
	uint8_t			 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long	 clen;

	randombytes_buf(nonce, sizeof nonce);
	buf_add(out, "WST1", 4);
	buf_add(out, nonce, sizeof nonce);
	buf_reserve(out, p->len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out->data + out->len, &clen,
	    p->data, p->len, (const uint8_t *)ad, strlen(ad), NULL, nonce, key);
	out->len += (size_t)clen;
}

/* The key as state.key holds it: a magic line, then 64 hex digits. */
static int
read_key(uint8_t key[32])
{
	char	 path[64], text[256], *hex;
	FILE	*f;
	size_t	 n, got = 0;

	snprintf(path, sizeof path, "%s/state.key", dir);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	if ((hex = strchr(text, '\n')) == NULL)
		return (-1);
	if (sodium_hex2bin(key, 32, hex + 1, 64, NULL, &got, NULL) != 0 ||
	    got != 32)
		return (-1);
	return (0);
}

int
main(void)
{
	struct statebox	*sb;
	struct buf	 state, sealed, out, v1;
	uint8_t		 key[32];
	char		*cause = NULL;
	int		 plain;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL) {
		ok(0, "setup");
		return (done_testing());
	}
	buf_init(&state);
	buf_init(&sealed);
	buf_init(&out);
	buf_init(&v1);
	make_state(&state);

	sb = statebox_open(dir, &cause);
	ok(sb != NULL && statebox_new_key(sb), "the first open makes state.key");
	statebox_seal(sb, "engine_state", state.data, state.len, &sealed);
	ok(sealed.len > 4 && memcmp(sealed.data, "WST2", 4) == 0,
	    "a sealed state starts WST2");
	ok(sealed.len * 4 < state.len, "it is deflated before it is sealed "
	    "(%zu bytes of %zu)", sealed.len, state.len);
	ok(statebox_unseal(sb, "engine_state", sealed.data, sealed.len, &out,
	    &plain, &cause) == 0 && !plain && out.len == state.len &&
	    memcmp(out.data, state.data, state.len) == 0,
	    "it opens to the same bytes");
	buf_reset(&out);
	ok(statebox_unseal(sb, "engine_user:jbakker", sealed.data, sealed.len,
	    &out, &plain, &cause) != 0 && cause != NULL,
	    "it does not open as another row");
	free(cause);
	cause = NULL;
	sealed.data[sealed.len / 2] ^= 1;
	buf_reset(&out);
	ok(statebox_unseal(sb, "engine_state", sealed.data, sealed.len, &out,
	    &plain, &cause) != 0, "a flipped byte does not open");
	free(cause);
	cause = NULL;
	buf_reset(&sealed);
	statebox_seal(sb, "engine_user:x", NULL, 0, &sealed);
	buf_reset(&out);
	ok(statebox_unseal(sb, "engine_user:x", sealed.data, sealed.len, &out,
	    &plain, &cause) == 0 && out.len == 0, "an empty state round-trips");
	statebox_free(sb);

	/* A later start: the key is there, plaintext is refused. */
	sb = statebox_open(dir, &cause);
	ok(sb != NULL && !statebox_new_key(sb), "a later open loads the key");
	buf_reset(&out);
	ok(statebox_unseal(sb, "engine_state", state.data, state.len, &out,
	    &plain, &cause) != 0, "a plaintext state is refused once the key "
	    "exists");
	free(cause);
	cause = NULL;
	ok(read_key(key) == 0, "state.key reads");
	seal_v1(key, "engine_state", &state, &v1);
	buf_reset(&out);
	ok(statebox_unseal(sb, "engine_state", v1.data, v1.len, &out, &plain,
	    &cause) == 0 && !plain && out.len == state.len &&
	    memcmp(out.data, state.data, state.len) == 0,
	    "a WST1 state (sealed, not deflated) still opens");
	statebox_free(sb);

	buf_free(&state);
	buf_free(&sealed);
	buf_free(&out);
	buf_free(&v1);
	free(cause);
	{
		char	 path[64];

		snprintf(path, sizeof path, "%s/state.key", dir);
		unlink(path);
		rmdir(dir);
	}
	return (done_testing());
}
