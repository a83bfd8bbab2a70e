/*
 * test_alert.c: an alert names each subject once, in the order first
 * seen, however many (a scrape names thousands), also when its list was
 * filled without alert_add_subject (as a record read back is).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "tap.h"
#include "util/xmalloc.h"

#define NSUBJ	20000

/* Many subjects, each added twice: once each, in order. */
static void
test_many(void)
{
	struct alert	*a = alert_new();
	char		 s[32];
	size_t		 i, bad = 0;

	for (i = 0; i < 2 * NSUBJ; i++) {
		snprintf(s, sizeof s, "%09zu", i % NSUBJ);
		alert_add_subject(a, s);
	}
	is_int(a->nsubjects, NSUBJ, "each subject once");
	for (i = 0; i < a->nsubjects; i++) {
		snprintf(s, sizeof s, "%09zu", i);
		bad += strcmp(a->subjects[i], s) != 0;
	}
	is_int(bad, 0, "in the order first seen");
	alert_free(a);
}

/* A list filled directly is indexed before the next add. */
static void
test_behind(void)
{
	struct alert	*a = alert_new();

	a->subjects = xcalloc(2, sizeof *a->subjects);
	a->subjects[0] = xstrdup("100000009");
	a->subjects[1] = xstrdup("99AA99");
	a->nsubjects = 2;
	alert_add_subject(a, "99AA99");
	alert_add_subject(a, "100000009");
	is_int(a->nsubjects, 2, "subjects set directly are not added again");
	alert_add_subject(a, "200000202");
	alert_add_subject(a, "200000202");
	is_int(a->nsubjects, 3, "a new one is added once");
	is_str(a->subjects[2], "200000202", "at the end");
	alert_free(a);
}

int
main(void)
{
	test_many();
	test_behind();
	return (done_testing());
}
