/* test_event.c: the event struct keeps all subjects and reuses memory. */
#include "config.h"

#include <stdio.h>

#include "event/event.h"
#include "tap.h"

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
	lookup_free(&ev);
	lookup_free(&copy);
	return (done_testing());
}
