/*
 * test_jpath.c: the one-walk path lookup against json_get(). Every line of
 * the sample corpus and of the malformed examples, a line of each shipped
 * JSON shape, and thousands of mutations of them (keys repeated before and
 * after, in other case, with dots, escaped; values null, containers,
 * arrays, NULs, lone surrogates, too long; bytes cut, dropped and added)
 * are parsed by each shipped JSON definition both ways, and must give the
 * same lookup, reason, damage and join key. Tricky paths are looked up in
 * the same documents below every token, both ways.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "parse/srcdef.h"
#include "tap.h"
#include "unit/jpath_check.h"
#include "unit/shipped_def.h"
#include "util/buf.h"

#define LINE_MAX_	8192
#define VARIANTS	24	/* mutations per line */

static const char *defnames[] = { "brp-audit-jsonl", "brp-gateway-jsonl",
    "ldv", "ldv-app-audit" };
#define NDEFS	(sizeof defnames / sizeof defnames[0])

/* A line of each JSON shape the shipped definitions read. */
static const char *shapes[] = {
	"{\"event_id\":\"brp-1\",\"timestamp\":\"2026-01-05T01:00:00.000+01:00"
	"\",\"user\":\"u\",\"workstation\":\"WS-1\",\"application\":\"A\","
	"\"request_type\":\"ZoekMetGeslachtsnaamEnGeboortedatum\",\"query\":"
	"{\"geslachtsnaam\":\"Jansen\",\"voorvoegsel\":\"de\",\"voornamen\":"
	"\"Jan\",\"geboortedatum\":\"1970-01-01\",\"postcode\":\"1234 ab\","
	"\"huisnummer\":12,\"burgerservicenummer\":[\"111222333\"]},"
	"\"result_bsns\":[\"111222333\",\"123456782\"],\"case_ref\":"
	"\"ZAAK-2025-0001189\",\"status\":\"ok\",\"purpose\":\"p\"}",
	"{\"request_id\":\"brp-2\",\"received_at\":\"2026-03-02T00:17:17.808+"
	"01:00\",\"headers\":{\"x-gebruiker\":\"adel\",\"X-Toepassing\":\"BZ\","
	"\"x-verwerking\":\"BZ-PL@piket\",\"x-zaak-identificatie\":\"ZAAK-2026-"
	"0011375\"},\"body\":{\"type\":\"RaadpleegMetBurgerservicenummer\","
	"\"burgerservicenummer\":[\"475365550\"]},\"response\":{\"status\":200,"
	"\"burgerservicenummers\":[\"475365550\"]}}",
	"{\"trace_id\":\"69a4\",\"operation_id\":\"0ac6\",\"parent_operation_id\""
	":\"30e2\",\"name\":\"raadplegenPersoon\",\"status_code\":1,"
	"\"start_time\":1772407037897,\"resource\":{\"attributes\":{\"service."
	"name\":\"bz-suite\"}},\"attributes\":{\"dpl.core.data_subject_id\":"
	"\"475365550\"}}",
	"{\"event_id\":\"brp-3\",\"trace_id\":\"69a4\",\"timestamp\":\"2026-03-"
	"02T00:17:17.913+01:00\",\"user\":\"adel\",\"request_type\":\"Raadpleeg"
	"MetBurgerservicenummer\",\"query\":{\"burgerservicenummer\":"
	"[\"475365550\"]},\"case_ref\":\"ZAAK-2026-0011375\"}",
};

/* Values put in place of others or next to them. */
static const char *alts[] = { "null", "{}", "[]", "\"x\"", "123", "true",
    "[\"111222333\",\"123456782\",\"1\"]", "\"a\\u0000b\"", "\"\\ud800\"",
    "{\"burgerservicenummer\":[\"123456782\"]}", "[{\"a\":1},2]",
    "\"\\u0041\\n\"", "\"1970-01-01T00:00:00Z\"", "[null,\"123456782\"]",
    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" };
#define NALTS	(sizeof alts / sizeof alts[0])

/* Paths that try json_get()'s corners. */
static const char *paths[] = { "a", "a.b", "a.b.c", ".a", "a.", "a..b",
    "0", "a.0", "a.1.b", "query", "query.burgerservicenummer",
    "query.burgerservicenummer.0", "headers.X-GEBRUIKER", "x-gebruiker",
    "attributes.dpl.core.data_subject_id", "status", "A.b", "a.B",
    "HEADERS.x-gebruiker", "a.b.c.d.e.f", "a.b.c.d.e.f.g.h" };
#define NPATHS	(sizeof paths / sizeof paths[0])

/* Documents for the paths: repeated keys, keys with dots, in any case. */
static const char *pathdocs[] = {
	"{\"a\":{\"b\":1,\"B\":2},\"A\":{\"b\":3},\"a.b\":4,\"\":{\"a\":5},"
	"\"0\":[6]}",
	"{\"a.b\":4,\"a\":null,\"a\":{\"b\":1},\"a.\":7,\"a\":[{\"b\":8},9]}",
	"{\"A\":{\"B\":{\"C\":1}},\"a\":{\"b.c\":2},\"a.b\":{\"c\":3}}",
	"[{\"a\":1},{\"a\":{\"b\":2}}]",
	"{\"headers\":{\"X-Gebruiker\":\"u\",\"x-gebruiker\":\"v\"},"
	"\"Headers\":{\"x-gebruiker\":\"w\"}}",
	"{\"query\":{\"burgerservicenummer\":[]},\"query\":"
	"{\"burgerservicenummer\":[\"1\",\"2\"]}}",
	"{\"a.b.c\":{\"d\":{\"e.f\":1}},\"a\":{\"b\":{\"c\":{\"d\":{\"e\":"
	"{\"f\":{\"g\":{\"h\":2}}}}}}},\"a.b.c.d.e.f.g\":{\"h\":3}}",
};

static struct srcdef	*defs[NDEFS];
static struct jpath_twin twins[NDEFS];
static struct json	 doc;
static unsigned long	 nbad[NDEFS], nevent[NDEFS], ndamaged[NDEFS];
static unsigned long	 differ[NDEFS], nlines, npathdocs, pathdiffer;
static uint64_t		 rng = 0x9e3779b97f4a7c15ULL;

/* A deterministic pseudo-random number below n. */
static size_t
rnd(size_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (n == 0 ? 0 : (size_t)(rng % n));
}


/* Parse a line with every definition both ways; count what came out. */
static void
check_line(const char *line, size_t len)
{
	enum parse_rc	 rc;
	size_t		 k;
	const char	*reason;

	nlines++;
	for (k = 0; k < NDEFS; k++) {
		if (!jpath_same_line(&twins[k], line, len, &rc)) {
			if (differ[k]++ < 3)
				diag("%s differs on: %.*s", defnames[k],
				    (int)(len > 300 ? 300 : len), line);
		}
		nbad[k] += rc == PARSE_BAD;
		nevent[k] += rc == PARSE_EVENT;
		ndamaged[k] += rc == PARSE_EVENT &&
		    parser_damage(twins[k].walk) != NULL;
	}
	if (json_parse(&doc, line, len, &reason) != 0)
		return;
	npathdocs++;
	if (!jpath_same_paths(paths, NPATHS, (int)(nlines & 1), &doc))
		pathdiffer++;
}

/* Collect the members (key token, its object) of a parsed document. */
static size_t
members(const struct json *j, int tok, int *key, int *obj, size_t n,
    size_t max)
{
	const struct json_tok	*t = &j->tok[tok];
	uint32_t		 c, k;

	c = (uint32_t)tok + 1;
	for (k = 0; k < t->n; k++) {
		if (t->type == JSON_OBJECT) {
			if (n < max) {
				key[n] = (int)c;
				obj[n++] = tok;
			}
			c++;
		}
		n = members(j, (int)c, key, obj, n, max);
		c = j->tok[c].next;
	}
	return (n);
}

/* Replace len bytes at off of the line with s. */
static void
splice(struct buf *b, const char *line, size_t len, size_t off, size_t cut,
    const char *s, size_t slen)
{
	b->len = 0;
	buf_add(b, line, off);
	buf_add(b, s, slen);
	buf_add(b, line + off + cut, len - off - cut);
}

/* One structural change to a member of a parsed line, into b. */
static int
mutate_member(const char *line, size_t len, struct buf *b)
{
	const struct json_tok	*k, *v, *o;
	int			 key[256], obj[256];
	char			 ins[1024], c;
	const char		*alt = alts[rnd(NALTS)], *reason;
	size_t			 n, m;

	if (json_parse(&doc, line, len, &reason) != 0 ||
	    (n = members(&doc, 0, key, obj, 0, 256)) == 0)
		return (-1);
	m = rnd(n);
	k = &doc.tok[key[m]];
	v = &doc.tok[key[m] + 1];
	o = &doc.tok[obj[m]];
	switch (rnd(7)) {
	case 0:		/* the same key before, another value */
		n = (size_t)snprintf(ins, sizeof ins, "\"%.*s\":%s,",
		    (int)k->len, line + k->start, alt);
		splice(b, line, len, o->start + 1, 0, ins, n);
		break;
	case 1:		/* ...or after */
		n = (size_t)snprintf(ins, sizeof ins, ",\"%.*s\":%s",
		    (int)k->len, line + k->start, alt);
		splice(b, line, len, o->start + o->len - 1, 0, ins, n);
		break;
	case 2:		/* the key in other case */
		if (k->len == 0)
			return (-1);
		c = line[k->start];
		c = c >= 'a' && c <= 'z' ? (char)(c - 32) : c >= 'A' &&
		    c <= 'Z' ? (char)(c + 32) : c;
		splice(b, line, len, k->start, 1, &c, 1);
		break;
	case 3:		/* another value */
		splice(b, line, len, v->start - (v->type == JSON_STRING),
		    v->len + 2 * (v->type == JSON_STRING), alt, strlen(alt));
		break;
	case 4:		/* a key with a dot for a member of an object */
		if (v->type != JSON_OBJECT || v->n == 0)
			return (-1);
		n = (size_t)snprintf(ins, sizeof ins, "\"%.*s.%.*s\":%s,",
		    (int)k->len, line + k->start, (int)doc.tok[key[m] + 2].len,
		    line + doc.tok[key[m] + 2].start, alt);
		splice(b, line, len, o->start + 1, 0, ins, n);
		break;
	case 5:		/* the key's first byte escaped */
		if (k->len == 0)
			return (-1);
		n = (size_t)snprintf(ins, sizeof ins, "\\u%04x",
		    (unsigned char)line[k->start]);
		splice(b, line, len, k->start, 1, ins, n);
		break;
	default:	/* the member's value wrapped in an array */
		n = (size_t)snprintf(ins, sizeof ins, "[%.*s]",
		    (int)(v->len + 2 * (v->type == JSON_STRING)),
		    line + v->start - (v->type == JSON_STRING));
		splice(b, line, len, v->start - (v->type == JSON_STRING),
		    v->len + 2 * (v->type == JSON_STRING), ins, n);
		break;
	}
	return (0);
}

/* One byte-level change: cut the line, drop or add a byte. */
static void
mutate_bytes(const char *line, size_t len, struct buf *b)
{
	static const char	 set[] = "{}[]\":,.\\ 0n-e";
	size_t			 at = rnd(len + 1);
	char			 c = set[rnd(sizeof set - 1)];

	switch (rnd(3)) {
	case 0:
		splice(b, line, at, at, 0, "", 0);
		break;
	case 1:
		splice(b, line, len, at, at < len, "", 0);
		break;
	default:
		splice(b, line, len, at, 0, &c, 1);
		break;
	}
}

/* A line and its mutations, each of one to three changes. */
static void
check_mutated(const char *line, size_t len)
{
	struct buf	 a, b;
	int		 v, n, i;

	check_line(line, len);
	buf_init(&a);
	buf_init(&b);
	for (v = 0; v < VARIANTS; v++) {
		a.len = 0;
		buf_add(&a, line, len);
		for (n = 1 + (int)rnd(3), i = 0; i < n; i++) {
			if (rnd(5) == 0 || mutate_member((const char *)a.data,
			    a.len, &b) != 0)
				mutate_bytes((const char *)a.data, a.len, &b);
			a.len = 0;
			buf_add(&a, b.data, b.len);
		}
		check_line((const char *)a.data, a.len);
	}
	buf_free(&a);
	buf_free(&b);
}

/* Every line of a file, plain or gzip. */
static long
check_file(const char *path, int mutate)
{
	char	 line[LINE_MAX_];
	gzFile	 gz;
	size_t	 len;
	long	 n = 0;

	if ((gz = gzopen(path, "rb")) == NULL)
		return (-1);
	while (gzgets(gz, line, sizeof line) != NULL) {
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (mutate)
			check_mutated(line, len);
		else
			check_line(line, len);
		n++;
	}
	gzclose(gz);
	return (n);
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		 path[1024], dir[1024], *cause = NULL;
	struct jpath_twin other;
	size_t		 k;
	long		 n;

	if (top == NULL)
		top = ".";
	snprintf(dir, sizeof dir, "%s/contrib/sources", top);
	json_init(&doc, 4096, 32);
	doc.lone_ok = 1;
	for (k = 0; k < NDEFS; k++) {
		defs[k] = shipped_def(dir, defnames[k], &cause);
		ok(defs[k] != NULL, "%s loads", defnames[k]);
		if (defs[k] == NULL) {
			diag("%s", cause);
			return (done_testing());
		}
		jpath_twin_init(&twins[k], defs[k], defs[k]);
	}

	/* The comparison can fail: two definitions read a line differently. */
	jpath_twin_init(&other, defs[0], defs[3]);
	ok(!jpath_same_line(&other, shapes[0], strlen(shapes[0]), NULL),
	    "two definitions give different lookups (the check can fail)");
	jpath_twin_free(&other);

	snprintf(path, sizeof path, "%s/tests/data/corpus/brp-audit.jsonl.gz",
	    top);
	n = check_file(path, 0);
	ok(n > 300, "sample corpus read whole (%ld lines)", n);
	snprintf(path, sizeof path, "%s/tests/data/malformed-brp.jsonl", top);
	ok(check_file(path, 1) > 10, "malformed examples read and mutated");
	for (k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		for (n = 0; n < 200; n++)
			check_mutated(shapes[k], strlen(shapes[k]));
	}
	snprintf(path, sizeof path, "%s/tests/data/corpus/brp-audit.jsonl.gz",
	    top);
	(void)check_file(path, 1);
	for (k = 0; k < sizeof pathdocs / sizeof pathdocs[0]; k++) {
		const char	*reason;
		int		 same;

		same = json_parse(&doc, pathdocs[k], strlen(pathdocs[k]),
		    &reason) == 0 && jpath_same_paths(paths, NPATHS, 0, &doc) &&
		    jpath_same_paths(paths, NPATHS, 1, &doc);
		ok(same, "paths in %s", pathdocs[k]);
	}
	diag("%lu lines, %lu documents for the paths", nlines, npathdocs);

	for (k = 0; k < NDEFS; k++) {
		is_int(differ[k], 0, defnames[k]);
		diag("%s: %lu events (%lu damaged), %lu bad", defnames[k],
		    nevent[k], ndamaged[k], nbad[k]);
		ok(nevent[k] > 1000 && ndamaged[k] > 100 && nbad[k] > 1000,
		    "%s: the lines are events, damaged events and bad lines",
		    defnames[k]);
	}
	is_int(pathdiffer, 0, "jpath_find gives json_get's token for every "
	    "path below every token");
	ok(npathdocs > 10000, "paths looked up in %lu documents", npathdocs);

	for (k = 0; k < NDEFS; k++) {
		jpath_twin_free(&twins[k]);
		srcdef_free(defs[k]);
	}
	json_free(&doc);
	return (done_testing());
}
