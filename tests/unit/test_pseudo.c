/*
 * test_pseudo.c: keyed pseudonyms, the alert's text rewritten to name
 * subjects by handle, record version 2 (docs/CHAIN.md 1a) and the Dutch
 * dates of explanations.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alert/nldate.h"
#include "alert/pseudo.h"
#include "chain/record.h"
#include "tap.h"
#include "util/xmalloc.h"

/* An alert about a person and a vehicle, as the engine words it. */
static struct alert *
sample_alert(void)
{
	struct alert	*a = alert_new();

	snprintf(a->incident, sizeof a->incident, "inc-1");
	snprintf(a->user, sizeof a->user, "jdevries");
	alert_add_rule(a, "no-basis");
	alert_add_event(a, "rdw-1");
	alert_add_subject(a, "99AA99");
	alert_add_subject(a, "200000202");
	a->summary = xstrdup("jdevries: 1 raadpleging(en)");
	a->explanation = xstrdup("rdw-1: kentekenraadpleging 99AA99; kenteken "
	    "99AA99: geen zaak; BSN 200000202: geen zaak; zaak 1200000202X; "
	    "x99AA99");
	return (a);
}

/* Handles: prefix, length, determinism, key and kind separate them. */
static void
test_handles(const uint8_t *key)
{
	uint8_t	 other[PSEUDO_KEY];
	char	 h1[PSEUDO_HANDLE_MAX], h2[PSEUDO_HANDLE_MAX];

	pseudo_handle(key, "200000202", h1);
	pseudo_handle(key, "200000202", h2);
	ok(strcmp(h1, h2) == 0 && pseudo_is_handle(h1) &&
	    strncmp(h1, "ps:", 3) == 0, "a BSN gets a stable ps: handle");
	/* BLAKE2b-128, key 00..1f, "wachter pseudonym v1\0ps:200000202" */
	is_str(h1, "ps:2f1a38d646d5e51825746466bbcfafb5",
	    "the handle is the documented keyed hash");
	pseudo_handle(key, "99AA99", h2);
	ok(strncmp(h2, "pv:", 3) == 0 && pseudo_is_handle(h2),
	    "a plate gets a pv: handle");
	memset(other, 7, sizeof other);
	pseudo_handle(other, "200000202", h2);
	ok(strcmp(h1, h2) != 0, "another key gives another handle");
	ok(!pseudo_is_handle("200000202") && !pseudo_is_handle("ps:XYZ") &&
	    !pseudo_is_handle("ps:2F1A38D646D5E51825746466BBCFAFB5"),
	    "plaintext and malformed handles are not handles");
}

/* The text names subjects only by handle; other words stay. */
static void
test_alert(const uint8_t *key)
{
	struct alert	*a = sample_alert(), *p;
	char		 hp[PSEUDO_HANDLE_MAX], hb[PSEUDO_HANDLE_MAX];

	p = pseudo_alert(key, a);
	pseudo_handle(key, "99AA99", hp);
	pseudo_handle(key, "200000202", hb);
	is_int(p->nsubjects, 2, "both subjects kept");
	ok(strcmp(p->subjects[0], hp) == 0 && strcmp(p->subjects[1], hb) == 0,
	    "subjects become their handles");
	ok(strstr(p->explanation, "kentekenraadpleging pv:") != NULL &&
	    strstr(p->explanation, "BSN ps:") != NULL,
	    "the explanation names them by handle");
	ok(strstr(p->explanation, "; kenteken 99AA99") == NULL &&
	    strstr(p->explanation, "BSN 200000202") == NULL,
	    "no whole-word plaintext is left");
	ok(strstr(p->explanation, "1200000202X") != NULL &&
	    strstr(p->explanation, "x99AA99") != NULL,
	    "values inside longer words are left alone");
	is_str(p->incident, "inc-1", "other fields are copied");
	alert_free(a);
	alert_free(p);
}

/*
 * The whole text, to the byte: a value at the start and at the end, one
 * that begins another (the first listed that matches whole wins), values
 * side by side, inside words, and a text with none.
 */
static void
test_text(const uint8_t *key)
{
	struct alert	*a = alert_new(), *p;
	char		 h1[PSEUDO_HANDLE_MAX], h2[PSEUDO_HANDLE_MAX], *want;

	alert_add_subject(a, "99AA99");
	alert_add_subject(a, "99AA9");
	a->summary = xstrdup("99AA9 99AA99 x99AA99 99AA99x 99AA9,99AA99.99AA9");
	a->explanation = xstrdup("geen kenteken");
	p = pseudo_alert(key, a);
	pseudo_handle(key, "99AA99", h1);
	pseudo_handle(key, "99AA9", h2);
	xasprintf(&want, "%s %s x99AA99 99AA99x %s,%s.%s", h2, h1, h2, h1, h2);
	is_str(p->summary, want, "every whole-word value replaced, nothing else");
	is_str(p->explanation, "geen kenteken", "a text without them is kept");
	free(want);
	alert_free(a);
	alert_free(p);
}

/* Encode a record of the given version; decode it back. */
static int
roundtrip(struct alert *a, uint8_t version, struct chain_record *out,
    char **cause)
{
	struct chain_record	 r;
	struct buf		 b;
	int			 rc;

	memset(&r, 0, sizeof r);
	r.seq = 1;
	r.epoch = 1;
	r.alert = chain_alert_canonical(a);
	r.version = version;
	buf_init(&b);
	chain_record_encode(&b, &r);
	rc = chain_record_decode(b.data, b.len, out, cause);
	buf_free(&b);
	alert_free(r.alert);
	return (rc);
}

/* Version 2 carries handles only; version 1 still decodes. */
static void
test_record(const uint8_t *key)
{
	struct alert		*a = sample_alert(), *p;
	struct chain_record	 r;
	char			*cause = NULL;

	p = pseudo_alert(key, a);
	ok(roundtrip(p, CHAIN_RECORD_V2, &r, &cause) == 0 &&
	    r.version == CHAIN_RECORD_V2, "a version 2 record decodes");
	chain_record_clear(&r);
	ok(roundtrip(a, 0, &r, &cause) == 0 && r.version == 1,
	    "a version 1 record with plaintext subjects still decodes");
	chain_record_clear(&r);
	ok(roundtrip(a, CHAIN_RECORD_V2, &r, &cause) != 0 && cause != NULL &&
	    strstr(cause, "not a pseudonym") != NULL,
	    "a version 2 record with a plaintext subject is refused");
	free(cause);
	alert_free(a);
	alert_free(p);
}

/* Dutch civil dates in Amsterdam time, summer and winter. */
static void
test_dates(void)
{
	char	 s[NLDATE_MAX];

	nldate_format(1772447760LL * 1000000, s, sizeof s);
	is_str(s, "ma 2 mrt 2026 11:36", "winter time, Dutch names");
	nldate_format(1782986400LL * 1000000, s, sizeof s);
	is_str(s, "do 2 jul 2026 12:00", "summer time");
	nldate_format(INT64_MIN, s, sizeof s);
	is_str(s, "onbekend", "an unknown time says so");
}

int
main(void)
{
	uint8_t	 key[PSEUDO_KEY];
	size_t	 i;

	for (i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)i;
	test_handles(key);
	test_alert(key);
	test_text(key);
	test_record(key);
	test_dates();
	return (done_testing());
}
