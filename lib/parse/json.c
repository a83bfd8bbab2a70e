/*
 * json.c: strict zero-copy JSON scanner. A recursive descent over one line
 * (recursion bounded by the depth limit) that records a token per value in
 * a preallocated array. Anything RFC 8259 forbids is an error with a short
 * reason: truncation, NUL bytes, invalid UTF-8, raw control characters,
 * bad escapes, bad numbers, trailing bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "parse/json.h"
#include "util/xmalloc.h"

struct json_scan {
	struct json	*j;
	const uint8_t	*p;
	const uint8_t	*end;
	const char	*reason;
};

static int	json_value(struct json_scan *, uint32_t);
static size_t	json_utf8(const uint8_t *, const uint8_t *);

/* Allocate the token array once; cap bounds the values per line. */
void
json_init(struct json *j, uint32_t cap, uint32_t maxdepth)
{
	memset(j, 0, sizeof *j);
	j->tok = xreallocarray(NULL, cap, sizeof *j->tok);
	j->cap = cap;
	j->maxdepth = maxdepth > JSON_DEPTH_MAX ? JSON_DEPTH_MAX : maxdepth;
}

/* Release the token array. */
void
json_free(struct json *j)
{
	free(j->tok);
	memset(j, 0, sizeof *j);
}

/* Record an error unless an earlier, more precise one is set. */
static int
json_fail(struct json_scan *s, const char *reason)
{
	if (s->reason == NULL)
		s->reason = reason;
	return (-1);
}

/* The reason for an unexpected byte (or the end of the line). */
static int
json_unexpected(struct json_scan *s)
{
	if (s->p >= s->end)
		return (json_fail(s, "truncated JSON"));
	if (*s->p == '\0')
		return (json_fail(s, "NUL byte"));
	if (*s->p >= 0x80 && json_utf8(s->p, s->end) == 0)
		return (json_fail(s, "invalid UTF-8"));
	if (*s->p >= 0x80)
		return (json_fail(s, "invalid JSON (non-ASCII byte outside string)"));
	return (json_fail(s, "invalid JSON syntax"));
}

/* Skip insignificant whitespace. */
static void
json_ws(struct json_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Append a token; -1 when the array is full. */
static inline int
json_new(struct json_scan *s, enum json_type type)
{
	struct json	*j = s->j;
	struct json_tok	*t;

	if (j->ntok == j->cap)
		return (json_fail(s, "too many JSON values"));
	t = &j->tok[j->ntok];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->start = (uint32_t)(s->p - (const uint8_t *)j->buf);
	return ((int)j->ntok++);
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
json_utf8(const uint8_t *p, const uint8_t *end)
{
	size_t		 n, i;
	uint32_t	 c;

	if (p[0] < 0xc2)
		return (0);
	if (p[0] < 0xe0) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] < 0xf0) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] < 0xf5) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return (0);
	if ((size_t)(end - p) < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	return (n);
}

/* Whether bytes are valid UTF-8 (for logs that are not JSON). */
int
json_utf8_valid(const char *s, size_t len)
{
	const uint8_t	*p = (const uint8_t *)s, *end = p + len;
	size_t		 n;

	while (p < end) {
		if (*p < 0x80)
			p++;
		else if ((n = json_utf8(p, end)) == 0)
			return (0);
		else
			p += n;
	}
	return (1);
}

/* Value of four hex digits, or -1. */
static long
json_hex4(const uint8_t *p)
{
	long	 v = 0;
	int	 i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
			v |= (p[i] | 0x20) - 'a' + 10;
		else
			return (-1);
	}
	return (v);
}

/* Whether a low surrogate escape (\uDC00-\uDFFF) starts at p. */
static int
json_low_at(const uint8_t *p, const uint8_t *end)
{
	long	 lo;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return (0);
	lo = json_hex4(p + 2);
	return (lo >= 0xdc00 && lo <= 0xdfff);
}

/*
 * Check one escape after the backslash; surrogates must pair up. A lone
 * one is an error, or (lone_ok) returns 1: the string reads it as U+FFFD.
 */
static int
json_escape(struct json_scan *s)
{
	long	 hi;

	if (s->p >= s->end)
		return (json_fail(s, "truncated JSON"));
	if (strchr("\"\\/bfnrt", *s->p) != NULL && *s->p != '\0') {
		s->p++;
		return (0);
	}
	if (*s->p != 'u')
		return (json_fail(s, "invalid JSON escape"));
	if (s->end - s->p < 5)
		return (json_fail(s, "truncated JSON"));
	if ((hi = json_hex4(s->p + 1)) < 0)
		return (json_fail(s, "invalid JSON escape"));
	s->p += 5;
	if (hi < 0xd800 || hi > 0xdfff)
		return (0);
	if (hi <= 0xdbff && json_low_at(s->p, s->end)) {
		s->p += 6;
		return (0);
	}
	if (s->j->lone_ok)
		return (1);
	if (hi <= 0xdbff && s->end - s->p < 6 && (s->p == s->end ||
	    (s->p[0] == '\\' && (s->end - s->p == 1 || s->p[1] == 'u'))))
		return (json_fail(s, "truncated JSON"));
	return (json_fail(s, "unpaired surrogate escape"));
}

#define JSON_ONES	UINT64_C(0x0101010101010101)
#define JSON_HIGHS	UINT64_C(0x8080808080808080)

/*
 * Whether any byte of w is below n (n <= 0x80): exact as a yes or no
 * ("hasless" in Sean Anderson's Bit Twiddling Hacks).
 */
#define JSON_HAS_LESS(w, n)	(((w) - JSON_ONES * (n)) & ~(w) & JSON_HIGHS)
#define JSON_HAS_BYTE(w, b)	JSON_HAS_LESS((w) ^ (JSON_ONES * (b)), 1)

#if defined(__SSE2__)
/*
 * The same 16 bytes at a time, first: a signed compare below 0x20 finds
 * the control characters and the bytes from 0x80 (negative) at once, so a
 * block takes a few instructions where the word loop takes a dozen a
 * word. Stops at the first such byte (1), or leaves fewer than 16 (0).
 */
static int
json_plain16(struct json_scan *s)
{
	const __m128i	 quote = _mm_set1_epi8('"');
	const __m128i	 bslash = _mm_set1_epi8('\\');
	const __m128i	 space = _mm_set1_epi8(0x20);
	__m128i		 v;
	unsigned	 m;

	while (s->end - s->p >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)s->p);
		m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
		    _mm_cmplt_epi8(v, space)));
		if (m != 0) {
			s->p += __builtin_ctz(m);
			return (1);
		}
		s->p += 16;
	}
	return (0);
}
#endif

/*
 * Skip 8 bytes at a time while none is a quote, a backslash, a control
 * character or non-ASCII: the bytes the byte loop below would pass too.
 */
static void
json_plain8(struct json_scan *s)
{
	uint64_t	 w, m;

#if defined(__SSE2__)
	if (json_plain16(s))
		return;
#endif
	while (s->end - s->p >= 8) {
		memcpy(&w, s->p, sizeof w);
		m = (w & JSON_HIGHS) | JSON_HAS_LESS(w, 0x20) |
		    JSON_HAS_BYTE(w, '"') | JSON_HAS_BYTE(w, '\\');
		if (m != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/*
			 * A borrow runs only upwards, so the lowest flagged
			 * byte is the first one that stops the byte loop.
			 */
			s->p += __builtin_ctzll(m) >> 3;
#endif
			return;
		}
		s->p += 8;
	}
}

/* Scan a string (s->p at the opening quote). */
static int
json_string(struct json_scan *s)
{
	struct json_tok	*t;
	size_t		 n;
	int		 i, e;

	s->p++;
	if ((i = json_new(s, JSON_STRING)) < 0)
		return (-1);
	t = &s->j->tok[i];
	for (;;) {
		/* Fast path: printable ASCII other than quote and backslash. */
		json_plain8(s);
		while (s->p < s->end && *s->p >= 0x20 && *s->p < 0x80 &&
		    *s->p != '"' && *s->p != '\\')
			s->p++;
		if (s->p >= s->end)
			return (json_fail(s, "truncated JSON"));
		if (*s->p == '"')
			break;
		if (*s->p == '\\') {
			t->esc |= JSON_ESC;
			s->p++;
			if ((e = json_escape(s)) < 0)
				return (-1);
			if (e == 1 && !(t->esc & JSON_ESC_LONE)) {
				t->esc |= JSON_ESC_LONE;
				s->j->nlone++;
			}
		} else if (*s->p == '\0')
			return (json_fail(s, "NUL byte"));
		else if (*s->p < 0x20)
			return (json_fail(s, "control character in string"));
		else if (*s->p < 0x80)
			s->p++;
		else if ((n = json_utf8(s->p, s->end)) == 0)
			return (json_fail(s, "invalid UTF-8"));
		else
			s->p += n;
	}
	t->len = (uint32_t)(s->p - (const uint8_t *)s->j->buf) - t->start;
	t->next = s->j->ntok;
	s->p++;
	return (i);
}

/* Skip digits; return how many. */
static size_t
json_digits(struct json_scan *s)
{
	const uint8_t	*p = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return ((size_t)(s->p - p));
}

/* Scan a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
json_number(struct json_scan *s)
{
	int	 i;

	if ((i = json_new(s, JSON_NUMBER)) < 0)
		return (-1);
	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (json_digits(s) == 0)
		return (json_unexpected(s));
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (json_digits(s) == 0)
			return (json_unexpected(s));
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (json_digits(s) == 0)
			return (json_unexpected(s));
	}
	s->j->tok[i].len = (uint32_t)(s->p - (const uint8_t *)s->j->buf) -
	    s->j->tok[i].start;
	s->j->tok[i].next = s->j->ntok;
	return (i);
}

/* Scan true, false or null. */
static int
json_literal(struct json_scan *s, const char *word, enum json_type type)
{
	size_t	 len = strlen(word), have = (size_t)(s->end - s->p);
	int	 i;

	if (have < len) {
		if (memcmp(s->p, word, have) == 0)
			return (json_fail(s, "truncated JSON"));
		return (json_unexpected(s));
	}
	if (memcmp(s->p, word, len) != 0)
		return (json_fail(s, "invalid JSON syntax"));
	if ((i = json_new(s, type)) < 0)
		return (-1);
	s->p += len;
	s->j->tok[i].len = (uint32_t)len;
	s->j->tok[i].next = s->j->ntok;
	return (i);
}

/* Scan an object or array (s->p at the opening bracket). */
static int
json_container(struct json_scan *s, uint32_t depth, int obj)
{
	int	 i;
	uint8_t	 close = obj ? '}' : ']';

	if (depth >= s->j->maxdepth)
		return (json_fail(s, "JSON nested too deeply"));
	if ((i = json_new(s, obj ? JSON_OBJECT : JSON_ARRAY)) < 0)
		return (-1);
	s->p++;
	json_ws(s);
	if (s->p < s->end && *s->p == close)
		goto out;
	for (;;) {
		if (obj) {
			if (s->p >= s->end || *s->p != '"')
				return (json_unexpected(s));
			if (json_string(s) < 0)
				return (-1);
			json_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return (json_unexpected(s));
			s->p++;
		}
		if (json_value(s, depth + 1) < 0)
			return (-1);
		s->j->tok[i].n++;
		json_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			json_ws(s);
			continue;
		}
		if (s->p < s->end && *s->p == close)
			break;
		return (json_unexpected(s));
	}
out:
	s->p++;
	s->j->tok[i].len = (uint32_t)(s->p - (const uint8_t *)s->j->buf) -
	    s->j->tok[i].start;
	s->j->tok[i].next = s->j->ntok;
	return (i);
}

/* Scan any value. */
static int
json_value(struct json_scan *s, uint32_t depth)
{
	json_ws(s);
	if (s->p >= s->end)
		return (json_fail(s, "truncated JSON"));
	switch (*s->p) {
	case '{':
		return (json_container(s, depth, 1));
	case '[':
		return (json_container(s, depth, 0));
	case '"':
		return (json_string(s));
	case 't':
		return (json_literal(s, "true", JSON_TRUE));
	case 'f':
		return (json_literal(s, "false", JSON_FALSE));
	case 'n':
		return (json_literal(s, "null", JSON_NULL));
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return (json_number(s));
		return (json_unexpected(s));
	}
}

/*
 * Validate one document and fill the token array (token 0 is the root).
 * On error return -1 with a static reason.
 */
int
json_parse(struct json *j, const char *buf, size_t len, const char **reason)
{
	struct json_scan	 s;

	j->buf = buf;
	j->len = len;
	j->ntok = 0;
	j->nlone = 0;
	if (len > UINT32_MAX - 1) {
		*reason = "line too long";
		return (-1);
	}
	s.j = j;
	s.p = (const uint8_t *)buf;
	s.end = s.p + len;
	s.reason = NULL;
	if (json_value(&s, 0) < 0)
		goto bad;
	json_ws(&s);
	if (s.p != s.end) {
		if (memchr(s.p, '\0', (size_t)(s.end - s.p)) != NULL)
			json_fail(&s, "NUL byte");
		else
			json_fail(&s, "trailing bytes after JSON");
		goto bad;
	}
	return (0);
bad:
	*reason = s.reason;
	j->ntok = 0;
	return (-1);
}

/* Whether a key token equals bytes (raw compare; optionally ASCII case). */
static int
json_keyeq(const struct json *j, const struct json_tok *k, const char *s,
    size_t len, int icase)
{
	if (k->len != len)
		return (0);
	if (icase)
		return (strncasecmp(j->buf + k->start, s, len) == 0);
	return (memcmp(j->buf + k->start, s, len) == 0);
}

/* The i-th child of an array (or i-th value of an object), or -1. */
int
json_child(const struct json *j, int tok, uint32_t idx)
{
	const struct json_tok	*t;
	uint32_t		 c, k;

	if (tok < 0 || (uint32_t)tok >= j->ntok)
		return (-1);
	t = &j->tok[tok];
	if ((t->type != JSON_ARRAY && t->type != JSON_OBJECT) || idx >= t->n)
		return (-1);
	c = (uint32_t)tok + 1;
	for (k = 0; k < idx; k++) {
		if (t->type == JSON_OBJECT)
			c++;
		c = j->tok[c].next;
	}
	return ((int)(t->type == JSON_OBJECT ? c + 1 : c));
}

/*
 * Find a path below tok: dot-separated object keys, or decimal indexes
 * into arrays. Keys may themselves contain dots ("service.name"): every
 * key that matches a prefix of the path is tried. Returns -1 if absent.
 */
int
json_get(const struct json *j, int tok, const char *path, size_t plen,
    int icase)
{
	const struct json_tok	*t;
	uint32_t		 c, k, idx;
	size_t			 seg;
	int			 r;

	if (tok < 0 || (uint32_t)tok >= j->ntok)
		return (-1);
	if (plen == 0)
		return (tok);
	t = &j->tok[tok];
	if (t->type == JSON_ARRAY) {
		for (seg = 0, idx = 0; seg < plen && path[seg] != '.'; seg++) {
			if (path[seg] < '0' || path[seg] > '9' || idx > 100000)
				return (-1);
			idx = idx * 10 + (uint32_t)(path[seg] - '0');
		}
		if (seg == 0)
			return (-1);
		return (json_get(j, json_child(j, tok, idx),
		    path + seg + (seg < plen), plen - seg - (seg < plen), icase));
	}
	if (t->type != JSON_OBJECT)
		return (-1);
	c = (uint32_t)tok + 1;
	for (k = 0; k < t->n; k++, c = j->tok[c + 1].next) {
		const struct json_tok	*key = &j->tok[c];

		if (key->len > plen || (key->len < plen && path[key->len] != '.'))
			continue;
		if (!icase && key->len > 0 && j->buf[key->start] != path[0])
			continue;
		if (!json_keyeq(j, key, path, key->len, icase))
			continue;
		if (key->len == plen)
			return ((int)c + 1);
		r = json_get(j, (int)c + 1, path + key->len + 1,
		    plen - key->len - 1, icase);
		if (r >= 0)
			return (r);
	}
	return (-1);
}

/* Encode a code point as UTF-8 into dst; returns the length. */
static size_t
json_put_utf8(char *dst, uint32_t c)
{
	if (c < 0x80) {
		dst[0] = (char)c;
		return (1);
	}
	if (c < 0x800) {
		dst[0] = (char)(0xc0 | (c >> 6));
		dst[1] = (char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		dst[0] = (char)(0xe0 | (c >> 12));
		dst[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		dst[2] = (char)(0x80 | (c & 0x3f));
		return (3);
	}
	dst[0] = (char)(0xf0 | (c >> 18));
	dst[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	dst[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	dst[3] = (char)(0x80 | (c & 0x3f));
	return (4);
}

/*
 * Decode the escape at p (after the backslash, before end) into out;
 * returns the bytes used. A lone surrogate reads as U+FFFD.
 */
static size_t
json_unescape1(const uint8_t *p, const uint8_t *end, char *out,
    size_t *outlen)
{
	static const char	 from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char		*f;
	uint32_t		 c, lo;

	if (*p != 'u' && (f = strchr(from, *p)) != NULL) {
		out[0] = to[f - from];
		*outlen = 1;
		return (1);
	}
	c = (uint32_t)json_hex4(p + 1);
	if (c >= 0xd800 && c <= 0xdbff && json_low_at(p + 5, end)) {
		lo = (uint32_t)json_hex4(p + 7);
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		*outlen = json_put_utf8(out, c);
		return (11);
	}
	if (c >= 0xd800 && c <= 0xdfff)
		c = 0xfffd;
	*outlen = json_put_utf8(out, c);
	return (5);
}

/* Cut n bytes of UTF-8 in dst back to a character boundary. */
size_t
json_utf8_cut(const char *dst, size_t n)
{
	size_t	 i = n, need;

	while (i > 0 && ((unsigned char)dst[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return (0);
	need = (unsigned char)dst[i - 1] >= 0xf0 ? 4 :
	    (unsigned char)dst[i - 1] >= 0xe0 ? 3 :
	    (unsigned char)dst[i - 1] >= 0xc0 ? 2 : 1;
	return (n - (i - 1) >= need ? n : i - 1);
}

/*
 * Copy a string value (unescaped) or the text of a number or literal into
 * dst, NUL-terminated. -1 if it is a container, or if it does not fit:
 * then dst holds as much as fits, cut at a character boundary.
 */
int
json_str(const struct json *j, int tok, char *dst, size_t dstsz, size_t *outlen)
{
	const struct json_tok	*t;
	const uint8_t		*p, *end;
	char			 tmp[4];
	size_t			 n = 0, m;
	int			 rc = 0;

	if (tok < 0 || (uint32_t)tok >= j->ntok || dstsz == 0)
		return (-1);
	t = &j->tok[tok];
	if (t->type == JSON_OBJECT || t->type == JSON_ARRAY)
		return (-1);
	p = (const uint8_t *)j->buf + t->start;
	end = p + t->len;
	if (!t->esc) {
		n = t->len < dstsz ? t->len : dstsz - 1;
		memcpy(dst, p, n);
		if (n < t->len) {
			n = json_utf8_cut(dst, n);
			rc = -1;
		}
		p = end;
	}
	while (p < end) {
		if (*p != '\\') {
			tmp[0] = (char)*p++;
			m = 1;
		} else
			p += 1 + json_unescape1(p + 1, end, tmp, &m);
		if (n + m >= dstsz) {
			n = json_utf8_cut(dst, n);
			rc = -1;
			break;
		}
		memcpy(dst + n, tmp, m);
		n += m;
	}
	dst[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return (rc);
}

/* Whether a string token (without escapes) or scalar equals s. */
int
json_eq(const struct json *j, int tok, const char *s, size_t len)
{
	const struct json_tok	*t;

	if (tok < 0 || (uint32_t)tok >= j->ntok)
		return (0);
	t = &j->tok[tok];
	return (t->len == len && memcmp(j->buf + t->start, s, len) == 0);
}

/* A name for a token type, for messages. */
const char *
json_type_name(enum json_type t)
{
	static const char *names[] = { "none", "object", "array", "string",
	    "number", "true", "false", "null" };

	if ((size_t)t >= sizeof names / sizeof names[0])
		return ("none");
	return (names[t]);
}
