/*
 * text.c: canonical record text. Rather than carry the Unicode tables for
 * full NFC, records allow a closed set of code points (ASCII, Latin-1,
 * Latin Extended-A and -B, general punctuation, the euro sign) in which no
 * character decomposes or combines, so every string over it is NFC.
 * Anything else (combining marks, other scripts, controls other than TAB and
 * LF, invalid UTF-8) is replaced by an ASCII escape the officer can read.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "chain/text.h"

/* 1 if code point c may appear verbatim in a record. */
static int
chain_text_allowed(uint32_t c)
{
	if (c == 0x09 || c == 0x0a)
		return (1);
	if (c >= 0x20 && c <= 0x7e)
		return (1);
	if (c >= 0xa0 && c <= 0x24f)
		return (1);
	if ((c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e))
		return (1);
	return (c == 0x20ac);
}

/* Decode one UTF-8 sequence at s; its length, or 0 if it is not valid. */
static size_t
chain_text_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		 n, i;
	uint32_t	 c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return (0);
	if (n > len)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/* 1 if the text is canonical: valid UTF-8 over the allowed code points. */
int
chain_text_canonical(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 c;

	while (i < len) {
		/* Printable ASCII, tab, line feed: nearly every byte there is. */
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' ||
		    p[i] == '\n') {
			i++;
			continue;
		}
		n = chain_text_decode(p + i, len - i, &c);
		if (n == 0 || !chain_text_allowed(c))
			return (0);
		i += n;
	}
	return (1);
}

/*
 * Append the canonical form of s: allowed code points as they are, other
 * code points as \u{HEX} and undecodable bytes as \x{HEX} (upper-case hex).
 */
void
chain_text_normalise(struct buf *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 c;

	while (i < len) {
		/* A run of printable ASCII, tab, line feed: as it is. */
		for (n = i; n < len && ((p[n] >= 0x20 && p[n] < 0x7f) ||
		    p[n] == '\t' || p[n] == '\n'); n++)
			;
		if (n > i) {
			buf_add(out, p + i, n - i);
			i = n;
			continue;
		}
		n = chain_text_decode(p + i, len - i, &c);
		if (n == 0) {
			buf_printf(out, "\\x{%02X}", p[i]);
			i++;
			continue;
		}
		if (chain_text_allowed(c))
			buf_add(out, p + i, n);
		else
			buf_printf(out, "\\u{%04X}", (unsigned)c);
		i += n;
	}
}
