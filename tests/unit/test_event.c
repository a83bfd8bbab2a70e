/* test_event.c: the event struct keeps all subjects and reuses memory. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "event/event.h"
#include "event/lookup_pack.h"
#include "tap.h"

/* A packed lookup reads back field for field, subjects and all. */
static void
test_pack(struct lookup *ev)
{
	struct lookup	 back;
	unsigned char	 buf[8192];
	size_t		 n;

	lookup_reset(ev);
	snprintf(ev->id, sizeof ev->id, "brp-000000042");
	snprintf(ev->user, sizeof ev->user, "jdevries");
	snprintf(ev->case_id, sizeof ev->case_id, "ZAAK-2026-0000001");
	memset(ev->q_surname, 'x', sizeof ev->q_surname);	/* no NUL */
	ev->ts = 1767225600000000LL;
	ev->ts_alt = -5;
	ev->source = 3;
	ev->reg = EV_REG_RDW;
	ev->flags = EV_F_DAMAGED;
	ev->q_housenumber = 17;
	lookup_add_subject(ev, "999999990", 9, SUBJ_BSN, SUBJ_RETURNED);
	lookup_add_subject(ev, "AB12CD", 6, SUBJ_PLATE, SUBJ_RETURNED);
	n = lookup_pack_size(ev);
	ok(n < 400, "packed in the bytes it uses (%zu)", n);
	lookup_pack(ev, buf);
	is_str((const char *)buf, "brp-000000042", "packed form starts with the id");
	lookup_init(&back);
	lookup_add_subject(&back, "1", 1, SUBJ_BSN, SUBJ_RETURNED);
	lookup_unpack(&back, buf);
	ok(memcmp(ev, &back, offsetof(struct lookup, nsubjects)) == 0,
	    "every field before the subjects reads back");
	is_int(back.nsubjects, 2, "subjects read back");
	ok(memcmp(ev->subjects, back.subjects, 2 * sizeof *ev->subjects) == 0,
	    "subject values, kinds and roles read back");
	lookup_free(&back);
}

int
main(void)
{
	struct lookup	 ev, copy;
	char		 v[16];
	int		 i;

	lookup_init(&ev);
	lookup_init(&copy);
	for (i = 0; i < 40; i++) {
		snprintf(v, sizeof v, "%09d", i);
		lookup_add_subject(&ev, v, 9, SUBJ_BSN, SUBJ_RETURNED);
	}
	is_int(ev.nsubjects, 40, "a large search keeps all 40 subjects");
	ok(lookup_has_subject(&ev, SUBJ_BSN, "000000039"), "last subject found");
	ok(!lookup_has_subject(&ev, SUBJ_PLATE, "000000039"),
	    "kind is part of the identity");
	lookup_copy(&copy, &ev);
	is_int(copy.nsubjects, 40, "copy holds all subjects");
	is_str(copy.subjects[17].value, "000000017", "copy keeps values");
	lookup_reset(&ev);
	is_int(ev.nsubjects, 0, "reset empties subjects");
	ok(ev.subjcap >= 40, "reset keeps spilled capacity");
	is_int(ev.ts_alt, EV_TS_NONE, "reset clears the alternative time");
	is_int(ev_request_parse("ZoekMetPostcodeEnHuisnummer", 27),
	    EV_REQ_ZOEK_POSTCODE, "request names parse");
	is_int(ev_request_parse("Zoek", 4), EV_REQ_UNKNOWN,
	    "a prefix is not a request name");
	test_pack(&ev);
	lookup_free(&ev);
	lookup_free(&copy);
	return (done_testing());
}
