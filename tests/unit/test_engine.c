/*
 * test_engine.c: the engine's life cycle on the test reference data of
 * rules/tests: grace period and late registration, durable holds
 * (export, import into a new engine, same decisions), and rule swaps.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/rtest.h"
#include "tap.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Read a file of rules/tests into a reference store. */
static struct ref *
load_ref(void)
{
	static const char *files[REF_NKINDS] = { "employees.csv",
	    "persons.csv", "vehicles.csv", "cases.csv", "appointments.csv",
	    "watchlist.csv" };
	struct ref	*r = ref_new();
	char		 path[1024], *cause = NULL, *data;
	FILE		*f;
	long		 n;
	int		 k;
	const char	*top = getenv("top_srcdir");

	for (k = 0; k < REF_NKINDS; k++) {
		snprintf(path, sizeof path, "%s/rules/tests/%s", top ? top : ".",
		    files[k]);
		if ((f = fopen(path, "r")) == NULL)
			return (NULL);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		data = xmalloc((size_t)n + 1);
		if (fread(data, 1, (size_t)n, f) != (size_t)n ||
		    ref_load(r, k, data, (size_t)n, path, &cause) != 0)
			return (NULL);
		free(data);
		fclose(f);
	}
	ref_finish(r);
	return (r);
}

static const char rules_text[] =
    "rules:\n"
    "  - {id: nb, title: t, description: d, weight: 1.0,"
    " when: {explanation: none}}\n"
    "  - {id: self, title: t, description: d, weight: 2.0, urgent: true,"
    " when: {subject.self: true}}\n";

/* Feed one test event. */
static void
feed(struct engine *e, const char *user, const char *time, const char *bsn,
    int n)
{
	struct rtest_event	 t;
	struct lookup		 ev;
	char			*b[1] = { (char *)bsn }, *cause = NULL;

	memset(&t, 0, sizeof t);
	t.user = (char *)user;
	t.time = (char *)time;
	t.bsns = b;
	t.nbsns = 1;
	lookup_init(&ev);
	if (rtest_event(&t, 0, n, &ev, &cause) == 0)
		engine_feed(e, &ev);
	free(cause);
	lookup_free(&ev);
}

/* Collect decisions: flagged count and the last explanation. */
static int
drain(struct engine *e, int *held, int *expl)
{
	struct decision	 d;
	struct alert	*a;
	int		 flagged = 0;

	*held = 0;
	while (engine_next_decision(e, &d)) {
		flagged += d.flagged;
		*held += d.held;
		*expl = d.expl;
	}
	while ((a = engine_next_alert(e)) != NULL)
		alert_free(a);
	return (flagged);
}

int
main(void)
{
	struct engine_settings	 set;
	struct ruleset		*rs = ruleset_new(), *rs2 = ruleset_new();
	struct ref		*ref = load_ref();
	struct engine		*e, *e2;
	struct buf		 b;
	char			*cause = NULL;
	int			 held, expl = -1;

	ok(ref != NULL, "test reference data loads");
	ok(ruleset_load(rs, "t.yaml", rules_text, strlen(rules_text),
	    &cause) == 0, "rules load");
	ok(ruleset_load(rs2, "t.yaml", rules_text, strlen(rules_text),
	    &cause) == 0, "rules load again");
	engine_defaults(&set);
	e = engine_new(rs, ref, &set);

	/* Case 4 is opened on 5 March and registered on 6 March. */
	feed(e, "jbakker", "2026-03-05T11:00:00+01:00", "100000149", 1);
	is_int(engine_holds(e), 1, "unexplained lookup is held");
	is_int(drain(e, &held, &expl), 0, "nothing decided yet");
	feed(e, "jbakker", "2026-03-05T12:00:00+01:00", "100000101", 2);
	feed(e, "jbakker", "2026-03-05T12:30:00+01:00", "100000009", 3);
	is_int(drain(e, &held, &expl), 1, "self lookup is decided at once");
	is_int(engine_holds(e), 2, "two lookups held");

	/* Restart: holds go to a new engine through their durable form. */
	buf_init(&b);
	engine_holds_export(e, &b);
	e2 = engine_new(rs, ref, &set);
	ok(engine_holds_import(e2, (const char *)b.data, b.len, &cause) == 0,
	    "holds import");
	is_int(engine_holds(e2), 2, "both holds restored");
	ok(engine_holds_import(e2, "garbage\n", 8, &cause) != 0,
	    "a bad hold line is refused");
	free(cause);
	cause = NULL;

	/* After the grace period: the late case explains the first one. */
	engine_advance(e2, engine_holds(e2) ? INT64_MAX / 4 : 0);
	is_int(drain(e2, &held, &expl), 1, "one of two held lookups flagged");
	is_int(held, 2, "both were decided as held");
	is_int(engine_holds(e2), 0, "no holds left");

	/* A rule swap keeps holds and maps their rules by id. */
	feed(e, "jbakker", "2026-03-06T10:00:00+01:00", "100000101", 4);
	ok(engine_swap_rules(e, rs2) == rs, "swap returns the old rules");
	engine_flush(e);
	is_int(drain(e, &held, &expl), 2, "held lookups decided after swap");

	buf_free(&b);
	engine_free(e);
	engine_free(e2);
	ruleset_free(rs);
	ruleset_free(rs2);
	ref_free(ref);
	return (done_testing());
}
