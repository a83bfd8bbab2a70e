/*
 * note.c: signed notes. A note is a UTF-8 body of lines ending in newline,
 * a blank line, and signature lines "— NAME BASE64(KEYID || SIG)". wachter
 * writes and accepts exactly one signature per note; the key ID is the first
 * four bytes of SHA-256(NAME || "\n" || 0x01 || PUBKEY) as C2SP specifies.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "chain/note.h"
#include "util/xmalloc.h"

#define CHAIN_DASH	"\xe2\x80\x94 "	/* U+2014 EM DASH, space */
#define CHAIN_ALG_ED25519 0x01

/* 1 if a key name is usable: printable ASCII without space or '+'. */
int
chain_name_valid(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n >= CHAIN_NAME_MAX)
		return (0);
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '+')
			return (0);
	return (1);
}

/* The C2SP key ID of an Ed25519 key. */
void
chain_key_id(uint8_t id[4], const char *name, const uint8_t pk[CHAIN_PK])
{
	crypto_hash_sha256_state st;
	uint8_t			 h[32], tail[2] = { '\n', CHAIN_ALG_ED25519 };

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_update(&st, tail, 2);
	crypto_hash_sha256_update(&st, pk, CHAIN_PK);
	crypto_hash_sha256_final(&st, h);
	memcpy(id, h, 4);
}

/* Append standard padded base64. */
void
chain_b64(struct buf *b, const uint8_t *p, size_t len)
{
	size_t	 n = sodium_base64_ENCODED_LEN(len,
		    sodium_base64_VARIANT_ORIGINAL);
	char	*s = xmalloc(n);

	sodium_bin2base64(s, n, p, len, sodium_base64_VARIANT_ORIGINAL);
	buf_adds(b, s);
	free(s);
}

/* Decode canonical base64 of exactly want bytes; 0 on success. */
int
chain_unb64(uint8_t *out, size_t want, const char *s, size_t len)
{
	struct buf	 again;
	size_t		 got;
	int		 same;

	if (sodium_base642bin(out, want, s, len, NULL, &got, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != want)
		return (-1);
	buf_init(&again);
	chain_b64(&again, out, want);
	same = again.len == len && memcmp(again.data, s, len) == 0;
	buf_free(&again);
	return (same ? 0 : -1);
}

/* Append a verifier key "NAME+HEXID+BASE64(0x01 || PK)". */
void
chain_vkey_format(struct buf *b, const char *name, const uint8_t pk[CHAIN_PK])
{
	uint8_t	 id[4], raw[1 + CHAIN_PK];

	chain_key_id(id, name, pk);
	raw[0] = CHAIN_ALG_ED25519;
	memcpy(raw + 1, pk, CHAIN_PK);
	buf_printf(b, "%s+%02x%02x%02x%02x+", name, id[0], id[1], id[2], id[3]);
	chain_b64(b, raw, sizeof raw);
}

/* Parse a verifier key (one line, trailing newline allowed). */
int
chain_vkey_parse(const char *s, size_t len, char *name, uint8_t pk[CHAIN_PK],
    char **cause)
{
	struct buf	 check;
	const char	*p1, *p2;
	uint8_t		 raw[1 + CHAIN_PK];
	int		 ok;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	p1 = memchr(s, '+', len);
	p2 = p1 ? memchr(p1 + 1, '+', len - (p1 + 1 - s)) : NULL;
	if (p2 == NULL || (size_t)(p1 - s) >= CHAIN_NAME_MAX ||
	    chain_unb64(raw, sizeof raw, p2 + 1, len - (p2 + 1 - s)) != 0 ||
	    raw[0] != CHAIN_ALG_ED25519) {
		*cause = xstrdup("not an Ed25519 verifier key");
		return (-1);
	}
	memcpy(name, s, p1 - s);
	name[p1 - s] = '\0';
	memcpy(pk, raw + 1, CHAIN_PK);
	buf_init(&check);
	chain_vkey_format(&check, name, pk);
	ok = check.len == len && memcmp(check.data, s, len) == 0;
	buf_free(&check);
	if (!ok || !chain_name_valid(name)) {
		*cause = xstrdup("verifier key name or key ID does not match");
		return (-1);
	}
	return (0);
}

/* Append body, blank line and one Ed25519 signature line. */
void
chain_note_sign(struct buf *out, const char *body, size_t len,
    const char *name, const uint8_t sk[CHAIN_SK])
{
	uint8_t	 raw[4 + CHAIN_SIG];

	chain_key_id(raw, name, sk + CHAIN_SEED);
	crypto_sign_detached(raw + 4, NULL, (const uint8_t *)body, len, sk);
	buf_add(out, body, len);
	buf_printf(out, "\n" CHAIN_DASH "%s ", name);
	chain_b64(out, raw, sizeof raw);
	buf_addc(out, '\n');
}

/* Split a note into body and its single signature line. */
int
chain_note_split(const char *s, size_t len, struct chain_note *n, char **cause)
{
	const char	*sep = NULL, *line, *sp, *end;
	uint8_t		 raw[4 + CHAIN_SIG];
	size_t		 i;

	for (i = 0; i + 1 < len; i++)
		if (s[i] == '\n' && s[i + 1] == '\n') {
			sep = s + i + 1;
			break;
		}
	if (sep == NULL || len == 0 || s[len - 1] != '\n' ||
	    memchr(s, '\0', len) != NULL) {
		*cause = xstrdup("malformed note: no blank line before the "
		    "signature, or no final newline");
		return (-1);
	}
	n->body = s;
	n->bodylen = sep - s;
	line = sep + 1;
	end = s + len - 1;
	if (line > end || (size_t)(end - line) < strlen(CHAIN_DASH) ||
	    memcmp(line, CHAIN_DASH, strlen(CHAIN_DASH)) != 0 ||
	    memchr(line, '\n', end - line) != NULL) {
		*cause = xstrdup("malformed note: want exactly one signature "
		    "line");
		return (-1);
	}
	line += strlen(CHAIN_DASH);
	sp = memchr(line, ' ', end - line);
	if (sp == NULL || (size_t)(sp - line) >= CHAIN_NAME_MAX ||
	    chain_unb64(raw, sizeof raw, sp + 1, end - (sp + 1)) != 0) {
		*cause = xstrdup("malformed signature line");
		return (-1);
	}
	memcpy(n->name, line, sp - line);
	n->name[sp - line] = '\0';
	memcpy(n->keyid, raw, 4);
	memcpy(n->sig, raw + 4, CHAIN_SIG);
	return (0);
}

/* Check a split note's signature against one named key. */
int
chain_note_verify(const struct chain_note *n, const char *name,
    const uint8_t pk[CHAIN_PK], char **cause)
{
	uint8_t	 id[4];

	chain_key_id(id, name, pk);
	if (strcmp(n->name, name) != 0 || memcmp(id, n->keyid, 4) != 0) {
		xasprintf(cause, "signed by key %s+%02x%02x%02x%02x, not by "
		    "the expected key %s+%02x%02x%02x%02x", n->name,
		    n->keyid[0], n->keyid[1], n->keyid[2], n->keyid[3],
		    name, id[0], id[1], id[2], id[3]);
		return (-1);
	}
	if (crypto_sign_verify_detached(n->sig, (const uint8_t *)n->body,
	    n->bodylen, pk) != 0) {
		*cause = xstrdup("bad signature");
		return (-1);
	}
	return (0);
}
