/*
 * test_srcdef.c: source definitions that must be refused (with the
 * position and a message a person understands), a small delimited format
 * parsed end to end, and the two-stream join with its low watermark.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parse/ldv.h"
#include "parse/parser.h"
#include "parse/srcdef.h"
#include "tap.h"

static const struct {
	const char	*yaml;
	const char	*cause;
} bad[] = {
	{ "name: x\nregister: brp\nfields:\n  id: a\n  tyme: b\n",
	  "t.yaml:5:3: unknown event field 'tyme'" },
	{ "name: x\nregister: brp\ncolour: red\n",
	  "t.yaml:3:1: unknown key 'colour' in a source definition" },
	{ "name: x\nregister: hr\n", "t.yaml:2:11: register 'hr'" },
	{ "name: x\nregister: brp\nfields:\n  id: a\n",
	  "t.yaml:1:1: fields need 'time'" },
	{ "name: x\nregister: brp\nfields: {id: a, time: {path: t, "
	  "format: '%Y %q'}}\n", "t.yaml:3:41: format '%Y %q'" },
	{ "name: x\nregister: brp\nkind: delimited\ncolumns: [a, b]\n"
	  "fields: {id: a, time: c}\n",
	  "t.yaml:5:23: no column named 'c'" },
	{ "name: x\nregister: brp\nfields: {id: a, time: t, status: s}\n",
	  "status needs 'path' and 'success'" },
	{ "name: x\nregister: brp\nfields: {id: a, time: t}\nsubjects:\n"
	  "  - {path: b, kind: bsn}\n", "t.yaml:5:5: a subject needs" },
	{ "name: x\nregister: brp\nfields: {id: [a, b, c, d, e], time: t}\n",
	  "at most 4 alternatives" },
	{ "name: x\nregister: brp\nfields: {user: {header: u}, id: a, "
	  "time: t}\n", "needs a top-level 'headers'" },
	{ "name: x\n  register: [\n", "t.yaml:2:11:" },
	{ "", "empty definition" },
	{ "name: x\nregister: brp\nfields: {id: a, time: t, request: "
	  "{path: r, map: {x: Nope}}}\n", "unknown request type 'Nope'" },
	{ "name: x\nregister: brp\njoin: {role: partner, key: k}\n",
	  "a partner needs 'with'" },
};

static const char csv[] =
    "name: csvtest\nregister: rdw\nkind: delimited\nseparator: ','\n"
    "header: true\ncolumns: [when, who, plate, owners, id]\n"
    "fields:\n  id: id\n  time: {column: when, format: '%d-%m-%Y %H:%M', "
    "zone: UTC}\n  user: who\n  request: {value: Kenteken}\n"
    "subjects:\n  - {column: plate, kind: plate, role: queried}\n"
    "  - {column: owners, kind: bsn, role: owner, split: ';', "
    "invalid: malformed}\n";

static const char recs[] =
    "name: r\nregister: brp\njoin: {role: records, key: t, parent: p}\n"
    "fields:\n  time: {path: ms, format: epoch-ms}\n"
    "subjects:\n  - {path: s, kind: bsn, role: returned}\n";
static const char partner[] =
    "name: a\nregister: brp\njoin: {role: partner, with: r, key: t, "
    "from_records: [time]}\nfields: {id: id, user: u, time: {path: ms, "
    "format: epoch-s}}\n";

/* Feed one line to a join. */
static void
feed(struct ldv *l, int stream, struct parser *p, struct lookup *ev,
    const char *line, uint64_t off)
{
	const char	*reason = NULL;
	enum parse_rc	 rc;

	rc = parser_line(p, line, strlen(line), ev, &reason);
	ldv_add(l, stream, p, rc, ev, reason, line, strlen(line), off);
}

/* The join: complete, unattributable and malformed groups. */
static void
test_join(void)
{
	struct srcdef		*rsd, *psd;
	struct parser		*rp, *pp;
	struct ldv_limits	 lim;
	struct ldv		*l;
	struct ldv_out		 o;
	struct lookup		 ev;
	char			*cause = NULL;

	rsd = srcdef_load("r.yaml", recs, strlen(recs), &cause);
	psd = srcdef_load("a.yaml", partner, strlen(partner), &cause);
	ok(rsd != NULL && psd != NULL, "join definitions load");
	if (rsd == NULL || psd == NULL) {
		diag("%s", cause);
		return;
	}
	rp = parser_new(rsd);
	pp = parser_new(psd);
	lookup_init(&ev);
	ldv_limits_default(&lim);
	lim.wait_us = 2000 * INT64_C(1000000);
	lim.linger_us = 10 * INT64_C(1000000);
	lim.linger_lines = 0;
	l = ldv_new(rsd, psd, &lim);
	feed(l, 0, rp, &ev, "{\"t\":\"A\",\"p\":\"x\",\"ms\":5,\"s\":\"123456782\"}",
	    100);
	feed(l, 0, rp, &ev, "{\"t\":\"B\",\"p\":\"x\",\"ms\":6,\"s\":\"111222333\"}",
	    150);
	feed(l, 0, rp, &ev, "{\"t\":\"A\",\"ms\":1000}", 200);
	is_int(ldv_low_watermark(l, 0), 100, "watermark: oldest held line");
	feed(l, 1, pp, &ev, "{\"t\":\"A\",\"id\":\"e1\",\"u\":\"ab\",\"ms\":9}", 10);
	feed(l, 1, pp, &ev, "{\"t\":\"C\",\"id\":\"e3\",\"u\":\"cd\",\"ms\":9", 60);
	ok(!ldv_next(l, &o), "complete group lingers for late parts");
	feed(l, 0, rp, &ev, "{\"t\":\"A\",\"p\":\"x\",\"ms\":7,\"s\":\"123456782\"}",
	    250);
	ok(!ldv_next(l, &o), "lines read do not end lingering: event time does");
	ldv_floor(l, 0, 1011 * INT64_C(1000000));
	ldv_floor(l, 1, 1011 * INT64_C(1000000));
	ok(ldv_next(l, &o) && !o.bad && strcmp(o.ev->id, "e1") == 0 &&
	    strcmp(o.ev->user, "ab") == 0 && o.ev->ts == 1000000 &&
	    o.ev->nsubjects == 1, "joined event: partner's user, records' "
	    "time and subjects");
	is_int(ldv_low_watermark(l, 0), 150, "watermark moves past A");
	ldv_flush(l);
	ok(ldv_next(l, &o) && o.bad && strcmp(o.key, "B") == 0,
	    "group without closing record is malformed");
	ok(ldv_next(l, &o) && o.bad && strcmp(o.id, "e3") == 0 &&
	    strcmp(o.reason, "truncated JSON") == 0,
	    "truncated partner line makes its group malformed");
	ok(!ldv_next(l, &o), "nothing more");
	is_int(ldv_low_watermark(l, 0), UINT64_MAX, "nothing held");
	feed(l, 0, rp, &ev, "{\"t\":\"D\",\"ms\":2000,\"s\":\"123456782\"}", 300);
	ldv_flush(l);
	ok(ldv_next(l, &o) && !o.bad && (o.ev->flags & EV_F_NO_USER) &&
	    strcmp(o.ev->id, "D") == 0 && o.ev->ts == 2000000 &&
	    o.ev->nsubjects == 1, "no partner: unattributable event, time "
	    "and subjects kept");
	/* Both logs 2001 s past E's time: its partner is not waited for. */
	feed(l, 0, rp, &ev, "{\"t\":\"E\",\"ms\":3000000,\"s\":\"123456782\"}", 400);
	feed(l, 0, rp, &ev, "{\"t\":\"F\",\"ms\":5001000,\"s\":\"123456782\"}", 500);
	ok(!ldv_next(l, &o), "one log ahead is not enough to give up");
	feed(l, 1, pp, &ev, "{\"t\":\"F\",\"id\":\"e6\",\"u\":\"ab\",\"ms\":5001}", 70);
	ok(ldv_next(l, &o) && !o.bad && (o.ev->flags & EV_F_NO_USER) &&
	    strcmp(o.ev->id, "E") == 0, "both logs past the wait: no partner");
	ldv_flush(l);
	while (ldv_next(l, &o))
		;
	ldv_free(l);
	lookup_free(&ev);
	parser_free(rp);
	parser_free(pp);
	srcdef_free(rsd);
	srcdef_free(psd);
}

int
main(void)
{
	struct srcdef	*sd;
	struct parser	*p;
	struct lookup	 ev;
	const char	*reason;
	char		*cause;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		sd = srcdef_load("t.yaml", bad[i].yaml, strlen(bad[i].yaml),
		    &cause);
		ok(sd == NULL && cause != NULL &&
		    strstr(cause, bad[i].cause) != NULL, "refused: %s",
		    bad[i].cause);
		if (cause != NULL && strstr(cause, bad[i].cause) == NULL)
			diag("got: %s", cause);
		srcdef_free(sd);
		free(cause);
	}

	cause = NULL;
	sd = srcdef_load("csv.yaml", csv, sizeof csv - 1, &cause);
	ok(sd != NULL, "delimited definition loads");
	if (sd == NULL) {
		diag("%s", cause);
		return (done_testing());
	}
	p = parser_new(sd);
	lookup_init(&ev);
	is_int(parser_line(p, "when,who,plate,owners,id", 24, &ev, &reason),
	    PARSE_SKIP, "header line skipped");
	is_int(parser_line(p, "  ", 2, &ev, &reason), PARSE_SKIP, "blank");
	ok(parser_line(p, "02-03-2026 07:00,ab,kz-28-zb,123456782;111222333,x1",
	    51, &ev, &reason) == PARSE_EVENT && ev.nsubjects == 3 &&
	    strcmp(ev.subjects[0].value, "KZ28ZB") == 0 &&
	    ev.ts == INT64_C(1772434800) * 1000000 &&
	    ev.request == EV_REQ_KENTEKEN, "delimited line with split cell");
	ok(parser_line(p, "02-03-2026 07:00,ab,kz,123456782;111222334,x2",
	    45, &ev, &reason) == PARSE_BAD &&
	    strcmp(reason, "invalid result BSN") == 0, "bad owner BSN");
	lookup_free(&ev);
	parser_free(p);
	srcdef_free(sd);
	test_join();
	return (done_testing());
}
