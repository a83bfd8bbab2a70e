/*
 * esc.c: escaping of untrusted text for terminals and logs (esc.h). Every
 * place that prints a log value, a YAML key or a rule id to a person goes
 * through here.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "parse/json.h"
#include "util/buf.h"
#include "util/esc.h"

/*
 * Whether the UTF-8 character of n bytes at p must be escaped: C1 controls
 * (U+0080-U+009F), the bidirectional marks and overrides (U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069).
 */
static int
esc_unsafe(const uint8_t *p, size_t n)
{
	if (n == 2)
		return ((p[0] == 0xc2 && p[1] < 0xa0) ||
		    (p[0] == 0xd8 && p[1] == 0x9c));
	if (n != 3 || p[0] != 0xe2)
		return (0);
	if (p[1] == 0x80)
		return (p[2] == 0x8e || p[2] == 0x8f ||
		    (p[2] >= 0xaa && p[2] <= 0xae));
	return (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

/* Length of the valid UTF-8 character at p (at most end), or 0. */
static size_t
esc_utf8_len(const uint8_t *p, const uint8_t *end)
{
	size_t	 n;

	for (n = 2; n <= 4 && p + n <= end; n++)
		if (json_utf8_valid((const char *)p, n))
			return (n);
	return (0);
}

/* Append bytes as \xNN each. */
static void
esc_hex(struct buf *b, const uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		buf_printf(b, "\\x%02x", p[i]);
}

/*
 * Append len bytes of s to b, escaped; bytes in keep (e.g. "\n\t" for a
 * multi-line message) are kept as they are.
 */
void
esc_term(struct buf *b, const char *s, size_t len, const char *keep)
{
	const uint8_t	*p = (const uint8_t *)s, *end = p + len;
	size_t		 n;

	while (p < end) {
		if (*p >= 0x80) {
			if ((n = esc_utf8_len(p, end)) == 0)
				n = 1;
			if (n == 1 || esc_unsafe(p, n))
				esc_hex(b, p, n);
			else
				buf_add(b, p, n);
			p += n;
			continue;
		}
		if ((*p < 0x20 || *p == 0x7f || *p == '\\') &&
		    (*p == '\0' || keep == NULL || strchr(keep, *p) == NULL))
			esc_hex(b, p, 1);
		else
			buf_addc(b, *p);
		p++;
	}
}

/* An allocated, escaped copy of a C string. */
char *
esc_term_str(const char *s, const char *keep)
{
	struct buf	 b;

	buf_init(&b);
	esc_term(&b, s, strlen(s), keep);
	buf_cstr(&b);
	return ((char *)b.data);
}
