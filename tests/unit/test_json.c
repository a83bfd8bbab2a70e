/* test_json.c: the JSON scanner's reasons, path lookup and unescaping. */
#include "config.h"

#include <string.h>

#include "parse/json.h"
#include "tap.h"

static const struct {
	const char	*in;
	size_t		 len;	/* 0: strlen */
	const char	*reason;	/* NULL: valid */
} cases[] = {
	{ "{\"a\":1}", 0, NULL },
	{ " [1, 2.5e3, -0, true, false, null] ", 0, NULL },
	{ "{\"event_id\":\"brp-1\",\"user\":\"ab", 0, "truncated JSON" },
	{ "{\"a\":tr", 0, "truncated JSON" },
	{ "{\"a\":1", 0, "truncated JSON" },
	{ "{\"a\":\"x\0\0\0", 10, "NUL byte" },
	{ "{\"a\":1}\0\0", 9, "NUL byte" },
	{ "{\"a\":\"\xff\"}", 0, "invalid UTF-8" },
	{ "{\"a\":\"\xc0\xaf\"}", 0, "invalid UTF-8" },
	{ "{\"a\":\"\xed\xa0\x80\"}", 0, "invalid UTF-8" },
	{ "{\"a\":\"\t\"}", 0, "control character in string" },
	{ "{\"a\":1} x", 0, "trailing bytes after JSON" },
	{ "{\"a\":01}", 0, "invalid JSON syntax" },
	{ "{\"a\":\"\\q\"}", 0, "invalid JSON escape" },
	{ "\"\\ud800\"", 0, "unpaired surrogate escape" },
	{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	  "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	  0, "JSON nested too deeply" },
	{ "{\"a\":\xc3\xa9}", 0, "invalid JSON (non-ASCII byte outside string)" },
};

/*
 * The string scanner skips plain bytes 16 and 8 at a time before its byte
 * loop: whichever of them meets it, a byte that ends or interrupts the
 * string must be seen at every offset, with any number of bytes after the
 * string (which decides how far the wide skips may read).
 */
static const struct {
	const char	*stop;
	size_t		 len;		/* of stop */
	size_t		 add;		/* string bytes it adds, if valid */
	const char	*reason;	/* NULL: valid */
} stops[] = {
	{ "", 0, 0, NULL },			/* the closing quote */
	{ "\\n", 2, 2, NULL },
	{ "\x7f", 1, 1, NULL },
	{ "\xc3\xa9", 2, 2, NULL },
	{ "\x01", 1, 0, "control character in string" },
	{ "\x1f", 1, 0, "control character in string" },
	{ "\xff", 1, 0, "invalid UTF-8" },
	{ "\0", 1, 0, "NUL byte" },
};

static void
test_string_stops(void)
{
	struct json	 j;
	const char	*reason;
	char		 doc[128];
	size_t		 k, m, x, n;
	int		 bad = 0, rc;

	json_init(&j, 64, JSON_DEPTH_MAX);
	for (x = 0; x < sizeof stops / sizeof stops[0]; x++)
		for (k = 0; k <= 40; k++)
			for (m = 0; m <= 20; m++) {
				n = 0;
				doc[n++] = '[';
				doc[n++] = '"';
				memset(doc + n, 'a', k);
				n += k;
				memcpy(doc + n, stops[x].stop, stops[x].len);
				n += stops[x].len;
				doc[n++] = '"';
				doc[n++] = ',';
				doc[n++] = '"';
				memset(doc + n, 'b', m);
				n += m;
				doc[n++] = '"';
				doc[n++] = ']';
				reason = NULL;
				rc = json_parse(&j, doc, n, &reason);
				if (stops[x].reason != NULL)
					bad += rc == 0 ||
					    strcmp(reason, stops[x].reason) != 0;
				else
					bad += rc != 0 || j.ntok != 3 ||
					    j.tok[1].len != k + stops[x].add ||
					    j.tok[2].len != m ||
					    !(j.tok[1].esc & JSON_ESC) !=
					    (stops[x].stop[0] != '\\');
			}
	ok(bad == 0, "a string's end or odd byte is found at every offset");
	json_free(&j);
}

int
main(void)
{
	struct json	 j, small;
	const char	*reason, *doc;
	char		 buf[64];
	size_t		 i, len, n;
	int		 t, rc;

	json_init(&j, 1024, JSON_DEPTH_MAX);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		reason = NULL;
		rc = json_parse(&j, cases[i].in, len, &reason);
		if (cases[i].reason == NULL)
			ok(rc == 0, "case %zu valid", i);
		else
			is_str(rc == 0 ? "(accepted)" : reason, cases[i].reason,
			    cases[i].reason);
	}

	doc = "{\"query\":{\"burgerservicenummer\":[\"123456782\",\"111\"]},"
	    "\"headers\":{\"X-Gebruiker\":\"ablom\"},\"attributes\":"
	    "{\"dpl.core.data_subject_id\":\"999\"},\"esc\":\"caf\\u00e9 \\\"x\\\"\","
	    "\"n\":82}";
	ok(json_parse(&j, doc, strlen(doc), &reason) == 0, "document parses");
	t = json_get(&j, 0, "query.burgerservicenummer", 25, 0);
	is_int(t >= 0 ? j.tok[t].n : 0, 2, "array of two BSNs");
	ok(json_str(&j, json_child(&j, t, 1), buf, sizeof buf, &n) == 0 &&
	    strcmp(buf, "111") == 0, "second element");
	is_int(json_get(&j, 0, "headers.x-gebruiker", 19, 0), -1,
	    "header lookup is case-sensitive by default");
	t = json_get(&j, 0, "headers.x-gebruiker", 19, 1);
	ok(t >= 0 && json_str(&j, t, buf, sizeof buf, NULL) == 0 &&
	    strcmp(buf, "ablom") == 0, "case-insensitive header lookup");
	t = json_get(&j, 0, "attributes.dpl.core.data_subject_id", 35, 0);
	ok(t >= 0 && json_eq(&j, t, "999", 3), "key with dots");
	t = json_get(&j, 0, "esc", 3, 0);
	ok(json_str(&j, t, buf, sizeof buf, NULL) == 0 &&
	    strcmp(buf, "caf\xc3\xa9 \"x\"") == 0, "unescape");
	ok(json_str(&j, t, buf, 5, &n) == -1 && n == 3 &&
	    strcmp(buf, "caf") == 0, "a value too long is cut before a "
	    "character, and reported");
	t = json_get(&j, 0, "n", 1, 0);
	ok(json_str(&j, t, buf, sizeof buf, NULL) == 0 &&
	    strcmp(buf, "82") == 0, "number text");
	is_int(json_get(&j, 0, "query.burgerservicenummer.1", 27, 0) >= 0, 1,
	    "array index in path");
	is_int(json_get(&j, 0, "query.nothing", 13, 0), -1, "absent path");

	doc = "{\"a\":\"x\\ud800y\",\"b\":\"\\udc00\",\"c\":\"\\ud83d\\ude00\"}";
	ok(json_parse(&j, doc, strlen(doc), &reason) == -1 &&
	    strcmp(reason, "unpaired surrogate escape") == 0,
	    "lone surrogate refused by default");
	j.lone_ok = 1;
	ok(json_parse(&j, doc, strlen(doc), &reason) == 0 && j.nlone == 2,
	    "lone surrogates accepted when asked, and counted");
	t = json_get(&j, 0, "a", 1, 0);
	ok(json_str(&j, t, buf, sizeof buf, NULL) == 0 &&
	    strcmp(buf, "x\xef\xbf\xbdy") == 0, "a lone surrogate reads as U+FFFD");
	t = json_get(&j, 0, "c", 1, 0);
	ok(json_str(&j, t, buf, sizeof buf, NULL) == 0 &&
	    strcmp(buf, "\xf0\x9f\x98\x80") == 0 && !(j.tok[t].esc &
	    JSON_ESC_LONE), "a pair still reads as one character");
	ok(json_str(&j, t, buf, 4, &n) == -1 && n == 0,
	    "a character is never split when cut");
	j.lone_ok = 0;

	json_init(&small, 4, 8);
	ok(json_parse(&small, "[1,2,3,4]", 9, &reason) == -1 &&
	    strcmp(reason, "too many JSON values") == 0, "token cap");
	json_free(&small);
	json_free(&j);
	test_string_stops();
	return (done_testing());
}
