/*
 * test_engine.c: the engine's life cycle on the test reference data of
 * rules/tests: grace period and late registration, durable holds
 * (export, import into a new engine, same decisions), rule swaps, and
 * durable incidents: a run cut anywhere and resumed from the exported
 * state gives the same alerts as one that never stopped; lookups kept for
 * re-examination across a restart, and the case.pending guard of an
 * urgent rule.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/reftime.h"
#include "enrich/symtab.h"
#include "rules/engine.h"
#include "rules/engine_reexam.h"
#include "rules/rtest.h"
#include "tap.h"
#include "testref.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char rules_text[] =
    "rules:\n"
    "  - {id: nb, title: t, description: d, weight: 1.0,"
    " when: {explanation: none}}\n"
    "  - {id: self, title: t, description: d, weight: 2.0, urgent: true,"
    " when: {subject.self: true}}\n";

/* Give the engine one test event; its time is returned. */
static int64_t
put(struct engine *e, const char *user, const char *time, const char *bsn,
    int n)
{
	struct rtest_event	 t;
	struct lookup		 ev;
	char			*b[1] = { (char *)bsn }, *cause = NULL;
	int64_t			 ts = 0;

	memset(&t, 0, sizeof t);
	t.user = (char *)user;
	t.time = (char *)time;
	t.bsns = b;
	t.nbsns = 1;
	lookup_init(&ev);
	if (rtest_event(&t, 0, n, &ev, &cause) == 0) {
		engine_feed(e, &ev);
		ts = ev.ts;
	}
	free(cause);
	lookup_free(&ev);
	return (ts);
}

/* Feed one test event of a live log: nothing older will come. */
static void
feed(struct engine *e, const char *user, const char *time, const char *bsn,
    int n)
{
	int64_t	 ts = put(e, user, time, bsn, n);

	if (ts != 0)
		engine_source_floor(e, 0, ts + 1);
}

/* Feed one test event that cites a case. */
static void
feed_case(struct engine *e, const char *user, const char *time,
    const char *bsn, const char *caseref, int n)
{
	struct rtest_event	 t;
	struct lookup		 ev;
	char			*b[1] = { (char *)bsn }, *cause = NULL;

	memset(&t, 0, sizeof t);
	t.user = (char *)user;
	t.time = (char *)time;
	t.bsns = b;
	t.nbsns = 1;
	t.caseref = (char *)caseref;
	lookup_init(&ev);
	if (rtest_event(&t, 0, n, &ev, &cause) == 0) {
		engine_feed(e, &ev);
		engine_source_floor(e, 0, ev.ts + 1);
	}
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

/* One lookup of the incident run. */
struct step {
	const char	*user, *time, *bsn;
};

/*
 * With a grace of 2 hours: jbakker's self lookup at 09:30 is urgent (NEW
 * at once), his held lookups join it later (ADDENDUM); mcoll's held
 * lookups form a non-urgent incident that stays open for hours; the next
 * morning a new urgent incident of jbakker opens while one is held.
 */
static const struct step steps[] = {
	{ "jbakker", "2026-03-09T09:00:00+01:00", "100000010" },
	{ "jbakker", "2026-03-09T09:05:00+01:00", "100000022" },
	{ "mcoll", "2026-03-09T09:10:00+01:00", "100000010" },
	{ "jbakker", "2026-03-09T09:30:00+01:00", "100000009" },
	{ "jbakker", "2026-03-09T09:40:00+01:00", "100000034" },
	{ "mcoll", "2026-03-09T10:00:00+01:00", "100000022" },
	{ "jbakker", "2026-03-09T11:30:00+01:00", "100000046" },
	{ "jbakker", "2026-03-09T12:00:00+01:00", "100000010" },
	{ "mcoll", "2026-03-09T13:00:00+01:00", "100000009" },
	{ "jbakker", "2026-03-10T09:00:00+01:00", "100000022" },
	{ "jbakker", "2026-03-10T09:15:00+01:00", "100000009" },
	{ "mcoll", "2026-03-10T09:20:00+01:00", "100000010" },
};
#define NSTEPS	(sizeof steps / sizeof steps[0])

/* Append the alerts waiting in an engine to a record, drop decisions. */
static void
record(struct engine *e, struct buf *out)
{
	struct decision	 d;
	struct alert	*a;
	size_t		 i;

	while (engine_next_decision(e, &d))
		;
	while ((a = engine_next_alert(e)) != NULL) {
		buf_printf(out, "%s %s sev=%u score=%d %lld-%lld ev=",
		    a->kind == ALERT_NEW ? "new" : "addendum", a->incident,
		    a->severity, a->score, (long long)a->first_ts,
		    (long long)a->last_ts);
		for (i = 0; i < a->nevents; i++)
			buf_printf(out, "%s,", a->events[i]);
		buf_printf(out, " subj=%zu rules=%zu | %s | %s\n",
		    a->nsubjects, a->nrules, a->summary, a->explanation);
		alert_free(a);
	}
}

/* Feed steps [from, to) with their step numbers as event numbers. */
static void
feed_steps(struct engine *e, size_t from, size_t to, struct buf *out)
{
	size_t	 i;

	for (i = from; i < to; i++) {
		feed(e, steps[i].user, steps[i].time, steps[i].bsn,
		    (int)i + 10);
		record(e, out);
	}
}

/* Count lines of a state that start with a tag. */
static int
count_tag(const struct buf *b, const char *tag)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i + 1 < b->len; i++)
		if ((i == 0 || b->data[i - 1] == '\n') &&
		    memcmp(b->data + i, tag, 2) == 0)
			n++;
	return (n);
}

/* Run cut after each step: export, import into a new engine, go on. */
static void
test_cuts(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	struct engine	*e, *e2;
	struct buf	 want, got, state;
	char		*cause = NULL;
	size_t		 k;
	int		 open = 0, fine = 1;

	buf_init(&want);
	e = engine_new(rs, ref, set);
	feed_steps(e, 0, NSTEPS, &want);
	engine_flush(e);
	record(e, &want);
	engine_free(e);
	if (getenv("SHOW_ALERTS") != NULL)
		diag("%s", buf_cstr(&want));
	ok(strstr(buf_cstr(&want), "addendum") != NULL &&
	    strstr(buf_cstr(&want), "new") != NULL,
	    "the uninterrupted run has new alerts and addenda");
	for (k = 0; k <= NSTEPS; k++) {
		buf_init(&got);
		buf_init(&state);
		e = engine_new(rs, ref, set);
		feed_steps(e, 0, k, &got);
		engine_holds_export(e, &state);
		open += count_tag(&state, "i\t") > 0;
		e2 = engine_new(rs, ref, set);
		if (engine_holds_import(e2, (const char *)state.data,
		    state.len, &cause) != 0) {
			diag("cut %zu: %s", k, cause);
			free(cause);
			cause = NULL;
			fine = 0;
		}
		feed_steps(e2, k, NSTEPS, &got);
		engine_flush(e2);
		record(e2, &got);
		if (strcmp(buf_cstr(&got), buf_cstr(&want)) != 0) {
			diag("cut %zu differs:\n%s---\n%s", k, buf_cstr(&got),
			    buf_cstr(&want));
			fine = 0;
		}
		engine_free(e);
		engine_free(e2);
		buf_free(&got);
		buf_free(&state);
	}
	ok(open >= 4, "open incidents in the state at %d cut points", open);
	ok(fine, "every cut point gives the same alerts as no cut");
	buf_free(&want);
}

/* Feed steps in the order given (indices), then flush; record alerts. */
static void
run_order(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set, const int *order, size_t n,
    const char *extra, struct buf *out, int *late, int *outliers)
{
	struct engine	*e = engine_new(rs, ref, set);
	struct decision	 d;
	struct alert	*a;
	size_t		 i;

	*late = *outliers = 0;
	for (i = 0; i < n; i++) {
		if (order[i] < 0)
			put(e, "jbakker", extra, "100000046", 99);
		else
			put(e, steps[order[i]].user, steps[order[i]].time,
			    steps[order[i]].bsn, order[i] + 10);
	}
	engine_flush(e);
	while (engine_next_decision(e, &d)) {
		*late += d.held == ENGINE_LATE;
		*outliers += d.held == ENGINE_OUTLIER;
	}
	while ((a = engine_next_alert(e)) != NULL) {
		if (a->nevents != 1 || strcmp(a->events[0], "test-000099") != 0)
			buf_printf(out, "%s %s %d %zu\n", a->kind ==
			    ALERT_NEW ? "new" : "addendum", a->incident,
			    a->score, a->nevents);
		alert_free(a);
	}
	engine_free(e);
}

/*
 * Event time: lines out of order within the lateness give the same
 * alerts; a line from 2099 in the middle is decided on its own and moves
 * nothing; a line far behind the others is decided on its own, late.
 */
static void
test_order(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	static const int inorder[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const int swapped[] = { 1, 0, 2, 4, 3, 5, 6, 7, 8, 9, 11, 10 };
	static const int future[] = { 0, 1, 2, 3, 4, -1, 5, 6, 7, 8, 9, 10,
	    11 };
	static const int behind[] = { 0, 1, 3, 4, 5, 6, 7, 2, 8, 9, 10, 11 };
	struct buf	 want, got;
	int		 late, outl;

	buf_init(&want);
	buf_init(&got);
	run_order(rs, ref, set, inorder, 12, NULL, &want, &late, &outl);
	ok(want.len > 0 && late == 0 && outl == 0, "in order: alerts, none "
	    "decided on its own");
	run_order(rs, ref, set, swapped, 12, NULL, &got, &late, &outl);
	ok(strcmp(buf_cstr(&got), buf_cstr(&want)) == 0 && late == 0,
	    "lines out of order within the lateness: the same alerts");
	buf_reset(&got);
	run_order(rs, ref, set, future, 13, "2099-03-09T09:41:00+01:00", &got,
	    &late, &outl);
	ok(strcmp(buf_cstr(&got), buf_cstr(&want)) == 0 && outl == 1 &&
	    late == 0, "a line dated 2099 is decided on its own and changes "
	    "no other alert");
	buf_reset(&got);
	run_order(rs, ref, set, future, 13, "2026-03-15T09:41:00+01:00", &got,
	    &late, &outl);
	ok(strcmp(buf_cstr(&got), buf_cstr(&want)) == 0 && outl == 1,
	    "a line dated days ahead of its log: the same");
	buf_reset(&got);
	run_order(rs, ref, set, behind, 12, NULL, &got, &late, &outl);
	ok(late == 1 && outl == 0, "a line hours behind its log is decided "
	    "late, on its own");
	buf_free(&want);
	buf_free(&got);
}

/* Import a state, expecting it to be refused with a cause. */
static void
refused(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set, const struct buf *b, size_t len,
    const char *what, const char *msg)
{
	struct engine	*e = engine_new(rs, ref, set);
	char		*cause = NULL;
	int		 rc;

	rc = engine_holds_import(e, (const char *)b->data, len, &cause);
	ok(rc != 0 && cause != NULL && strstr(cause, what) != NULL &&
	    engine_holds(e) == 0, "%s is refused: %s", msg,
	    cause ? cause : "(no cause)");
	free(cause);
	engine_free(e);
}

/*
 * One lookup of five persons, none explained: the explanation describes
 * three and says how many more there are, instead of dropping them.
 */
static void
test_words(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	static char		*five[] = { "100000010", "100000022",
	    "100000034", "100000095", "100000101" };
	struct engine		*e = engine_new(rs, ref, set);
	struct rtest_event	 t;
	struct lookup		 ev;
	struct decision		 d;
	struct alert		*a, *last = NULL;
	char			*cause = NULL;

	memset(&t, 0, sizeof t);
	t.user = "mcoll";
	t.time = "2026-03-09T10:00:00+01:00";
	t.bsns = five;
	t.nbsns = 5;
	lookup_init(&ev);
	ok(rtest_event(&t, 0, 1, &ev, &cause) == 0, "a lookup of five persons");
	engine_feed(e, &ev);
	engine_flush(e);
	while (engine_next_decision(e, &d))
		;
	while ((a = engine_next_alert(e)) != NULL) {
		alert_free(last);
		last = a;
	}
	ok(last != NULL && last->nsubjects == 5 &&
	    strstr(last->explanation, "; +2 anderen") != NULL,
	    "five persons: three described, then \"+2 anderen\" (%s)",
	    last ? last->explanation : "no alert");
	alert_free(last);
	free(cause);
	lookup_free(&ev);
	engine_free(e);
}

/* Damaged, truncated and foreign states; a version 1 state still loads. */
static void
test_damage(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	struct engine	*e;
	struct buf	 b, v1, other;
	char		*cause = NULL, *p, *nl;
	size_t		 mid, body;
	int		 nholds;

	buf_init(&b);
	buf_init(&v1);
	buf_init(&other);
	e = engine_new(rs, ref, set);
	feed_steps(e, 0, 6, &other);
	engine_holds_export(e, &b);
	engine_free(e);
	refused(rs, ref, set, &b, b.len / 2, "truncated", "a state cut in half");
	refused(rs, ref, set, &b, b.len - 1, "truncated", "a state without "
	    "its last newline");
	mid = b.len / 2;
	b.data[mid] ^= 0x01;
	refused(rs, ref, set, &b, b.len, "damaged", "a state with one bit "
	    "flipped");
	b.data[mid] ^= 0x01;

	/* Same layout, other version, right hash. */
	buf_reset(&other);
	buf_add(&other, b.data, b.len);
	p = strchr(buf_cstr(&other), '\t');
	p[1] = '9';
	nl = memrchr(other.data, '\n', other.len - 1);
	body = (size_t)(nl - (char *)other.data) + 1;
	snprintf(nl + 1, other.len - body, "end\t%016llx", (unsigned long long)
	    symtab_hash((const char *)other.data, body));
	other.data[other.len - 1] = '\n';
	refused(rs, ref, set, &other, other.len, "version", "a state of "
	    "another version");

	/* Version 1: the hold lines alone, no header, no incidents. */
	nholds = count_tag(&b, "H\t");
	buf_cstr(&b);
	p = strtok((char *)b.data, "\n");
	for (; p != NULL; p = strtok(NULL, "\n"))
		if (strncmp(p, "H\t", 2) == 0)
			buf_printf(&v1, "%s\n", strchr(p + 2, '\t') + 1);
	e = engine_new(rs, ref, set);
	ok(engine_holds_import(e, (const char *)v1.data, v1.len, &cause) == 0 &&
	    engine_holds(e) == (size_t)nholds &&
	    engine_holds(e) > 0, "a version 1 state (holds only) still loads");
	free(cause);
	engine_free(e);

	/* A held lookup of a source no configuration can have (field 8). */
	buf_reset(&other);
	buf_printf(&other, "%.*s\n", (int)strcspn(buf_cstr(&v1), "\n"),
	    (char *)v1.data);
	p = (char *)other.data;
	for (mid = 0; mid < 7; mid++)
		p = strchr(p, '\t') + 1;
	nl = strchr(p, '\t');
	buf_reset(&b);
	buf_printf(&b, "%.*s3000000000%s", (int)(p - (char *)other.data),
	    (char *)other.data, nl);
	refused(rs, ref, set, &b, b.len, "does not parse", "a held lookup of "
	    "source 3000000000");
	buf_free(&b);
	buf_free(&v1);
	buf_free(&other);
}

static const char prot_rules[] =
    "rules:\n"
    "  - {id: nb, title: t, description: d, weight: 1.0,"
    " when: {explanation: none}}\n"
    "  - {id: prot, title: t, description: d, weight: 0.8, urgent: true,"
    " when: {explanation: none, case.pending: false,"
    " subject.secret: true}}\n";

/*
 * An urgent rule guarded by case.pending waits for a cited case that is
 * not registered yet (case 10 is registered the day after the lookup),
 * and alerts at once without a cited case; once the grace period is
 * over, a cited case that never came is no longer pending.
 */
static void
test_pending(const struct ref *ref, const struct engine_settings *set)
{
	struct ruleset		*rs = ruleset_new();
	struct engine		*e;
	struct engine_settings	 s = *set;
	char			*cause = NULL;
	int			 held, expl = -1;

	s.grace = 3 * USEC_PER_DAY;
	ok(ruleset_load(rs, "p.yaml", prot_rules, strlen(prot_rules),
	    &cause) == 0, "pending-guarded rules load");
	e = engine_new(rs, ref, &s);
	feed_case(e, "jbakker", "2026-03-02T10:00:00+01:00", "100000083",
	    "ZAAK-2026-0099999", 1);
	is_int(engine_holds(e), 1, "a lookup citing an unknown case is held");
	feed(e, "jbakker", "2026-03-02T10:05:00+01:00", "100000083", 2);
	is_int(drain(e, &held, &expl), 1, "without a cited case: at once");
	feed_case(e, "jbakker", "2026-03-23T10:00:00+01:00", "100000083",
	    "ZAAK-2026-0000010", 3);
	/* A second line confirms the jump of three weeks in the log. */
	feed(e, "jbakker", "2026-03-23T10:01:00+01:00", "100000046", 4);
	is_int(drain(e, &held, &expl), 1, "the case that never came: flagged "
	    "after the grace period");
	is_int(engine_holds(e), 1, "a lookup citing a case to come is held");
	engine_flush(e);
	is_int(drain(e, &held, &expl), 0, "the case that came explains it");
	engine_free(e);

	/* Without a grace period nothing is pending: alert at once. */
	s.grace = 0;
	e = engine_new(rs, ref, &s);
	feed_case(e, "jbakker", "2026-03-02T10:00:00+01:00", "100000083",
	    "ZAAK-2026-0099999", 1);
	is_int(drain(e, &held, &expl), 1, "no grace: an unknown case is not "
	    "pending");
	is_int(held, 0, "decided at once");
	engine_free(e);
	ruleset_free(rs);
}

/*
 * The engine's durable state, moved to a new engine (a restart); the
 * old one is freed.
 */
static struct engine *
restart(struct engine *e, const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	struct engine	*n = engine_new(rs, ref, set);
	struct buf	 b;
	char		*cause = NULL;

	buf_init(&b);
	engine_holds_export(e, &b);
	if (engine_holds_import(n, (const char *)b.data, b.len, &cause) != 0)
		diag("import: %s", cause);
	free(cause);
	buf_free(&b);
	engine_free(e);
	return (n);
}

/* Count alerts by kind, noting the last follow-up's case. */
static void
kinds(struct engine *e, int *nnew, int *nlater, int *nflag, char *by,
    size_t bysize)
{
	struct decision	 d;
	struct alert	*a;

	while (engine_next_decision(e, &d)) {
		*nflag += d.flagged;
		if (d.held == ENGINE_LATER)
			*nflag -= 1;
	}
	while ((a = engine_next_alert(e)) != NULL) {
		if (a->kind == ALERT_NEW && a->nprov == 1)
			(*nnew)++;
		if (a->kind == ALERT_EXPLAINED) {
			(*nlater)++;
			if (a->nby == 1 && a->nevents == 1)
				snprintf(by, bysize, "%s", a->by[0]);
		}
		alert_free(a);
	}
}

/*
 * An urgent alert is provisional. jbakker looks up a protected person on
 * 23 March at 10:00 without a case; case 10 with that person is
 * registered on 24 March at 09:00. With a grace period of 3 days the
 * case comes within it: a follow-up names it, also across a restart
 * between the alert and the deadline, exactly once. With 12 hours the
 * case comes too late: the alert stands.
 */
static void
test_provisional(const struct ref *ref, const struct engine_settings *set)
{
	struct ruleset		*rs = ruleset_new();
	struct engine		*e;
	struct engine_settings	 s = *set;
	char			*cause = NULL, by[64] = "";
	int			 k, nnew, nlater, nflag;

	ok(ruleset_load(rs, "p.yaml", prot_rules, strlen(prot_rules),
	    &cause) == 0, "urgent rules load");
	for (k = 0; k < 2; k++) {
		s.grace = 3 * USEC_PER_DAY;
		nnew = nlater = nflag = 0;
		by[0] = '\0';
		e = engine_new(rs, ref, &s);
		feed(e, "jbakker", "2026-03-23T10:00:00+01:00", "100000083", 1);
		kinds(e, &nnew, &nlater, &nflag, by, sizeof by);
		is_int(nnew, 1, k ? "restart: provisional alert at once" :
		    "provisional alert at once, marked so");
		is_int(engine_holds(e), 1, "and its lookup is held");
		if (k)
			e = restart(e, rs, ref, &s);
		feed(e, "mcoll", "2026-03-24T10:00:00+01:00", "100000046", 2);
		kinds(e, &nnew, &nlater, &nflag, by, sizeof by);
		is_int(nlater, 0, "no follow-up before the deadline");
		if (k)
			e = restart(e, rs, ref, &s);
		feed(e, "mcoll", "2026-03-27T10:00:00+01:00", "100000046", 3);
		kinds(e, &nnew, &nlater, &nflag, by, sizeof by);
		if (k)
			e = restart(e, rs, ref, &s);
		engine_flush(e);
		kinds(e, &nnew, &nlater, &nflag, by, sizeof by);
		is_int(nlater, 1, k ? "restart: one follow-up" :
		    "explained within the grace period: one follow-up");
		is_str(by, "ZAAK-2026-0000010", "it names the case");
		is_int(nflag, 2, "finally flagged: mcoll's two, not jbakker's");
		engine_free(e);
	}

	s.grace = 12 * USEC_PER_HOUR;
	nnew = nlater = nflag = 0;
	e = engine_new(rs, ref, &s);
	feed(e, "jbakker", "2026-03-23T10:00:00+01:00", "100000083", 1);
	engine_flush(e);
	kinds(e, &nnew, &nlater, &nflag, by, sizeof by);
	is_int(nnew, 1, "late case: provisional alert");
	is_int(nlater, 0, "case registered after the grace period: it stands");
	is_int(nflag, 1, "and stays flagged");
	engine_free(e);
	ruleset_free(rs);
}

static const char rx_rules[] =
    "rules:\n"
    "  - {id: short, title: t, description: d, weight: 0.6, reexamine: true,"
    " when: {explanation: case, subject.case.life_permille: {at_most: 100}}}\n"
    "  - {id: alone, title: t, description: d, weight: 0.5, reexamine: true,"
    " when: {explanation: case, subject.case.untouched: true}}\n";

/*
 * A case someone else on it looked at is remembered across a restart,
 * also when none of its lookups is kept any more: the maker's next
 * lookup under it must not pass for untouched.
 */
static void
test_reexam_touched(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	struct engine	*e, *e2;
	struct buf	 b;
	char		*cause = NULL;
	int		 held, expl;

	e = engine_new(rs, ref, set);
	feed(e, "jbakker", "2026-03-16T10:00:00+01:00", "100000058", 1);
	feed(e, "npiket", "2026-03-16T11:00:00+01:00", "100000058", 2);
	feed(e, "kdesk", "2026-03-16T12:30:00+01:00", "100000046", 3);
	is_int((int)reexam_count(e), 0, "touched: nothing left that could flag");
	buf_init(&b);
	engine_holds_export(e, &b);
	e2 = engine_new(rs, ref, set);
	ok(engine_holds_import(e2, (const char *)b.data, b.len, &cause) == 0,
	    "a touched case with nothing kept imports");
	feed(e2, "jbakker", "2026-03-16T13:00:00+01:00", "100000058", 4);
	feed(e2, "kdesk", "2026-03-20T12:00:00+01:00", "100000046", 5);
	engine_flush(e2);
	is_int(drain(e2, &held, &expl), 0, "still touched after the restart");
	free(cause);
	buf_free(&b);
	engine_free(e);
	engine_free(e2);
}

/*
 * Re-examination across a restart: case 6 is made on 16 March and
 * closed the next day. The lookup is kept, not flagged; the kept lookup
 * goes through the durable state to a new engine, which flags it once
 * time passes the case's closure. A team mate's lookup of the case's
 * person would have made it "touched" (no alert).
 */
static void
test_reexam(const struct ref *ref, const struct engine_settings *set)
{
	struct ruleset	*rs = ruleset_new();
	struct engine	*e, *e2;
	struct buf	 b;
	char		*cause = NULL, bad[] = "ZAAK-2026-0000006\tjbakker\t7";
	struct decision	 d;
	struct alert	*a;
	int		 held, expl, flagged = 0;

	ok(ruleset_load(rs, "rx.yaml", rx_rules, strlen(rx_rules),
	    &cause) == 0, "reexamine rules load");
	e = engine_new(rs, ref, set);
	feed(e, "jbakker", "2026-03-16T10:00:00+01:00", "100000058", 1);
	is_int(drain(e, &held, &expl), 0, "fresh case: not flagged on arrival");
	is_int((int)reexam_count(e), 1, "the lookup is kept for later");
	buf_init(&b);
	engine_holds_export(e, &b);
	ok(strstr(buf_cstr(&b), "\nx\t") != NULL, "kept lookup in the state");
	e2 = engine_new(rs, ref, set);
	ok(engine_holds_import(e2, (const char *)b.data, b.len, &cause) == 0,
	    "kept lookup imports");
	feed(e2, "kdesk", "2026-03-20T12:00:00+01:00", "100000046", 2);
	engine_flush(e2);
	while (engine_next_decision(e2, &d))
		flagged += d.flagged;
	is_int(flagged, 1, "flagged once the case closed");
	a = engine_next_alert(e2);
	ok(a != NULL && strstr(a->explanation, "na 1.0 dagen gesloten, "
	    "gewoonlijk 30 dagen; niemand anders") != NULL,
	    "the alert says how long the case lasted and that nobody else "
	    "looked");
	alert_free(a);
	feed(e, "npiket", "2026-03-16T11:00:00+01:00", "100000058", 3);
	feed(e, "kdesk", "2026-03-20T12:00:00+01:00", "100000046", 4);
	engine_flush(e);
	is_int(drain(e, &held, &expl), 0, "a team mate looked: no alert");
	ok(reexam_import(e2, bad) != 0, "a bad kept-lookup line is refused");
	test_reexam_touched(rs, ref, set);
	buf_free(&b);
	engine_free(e);
	engine_free(e2);
	ruleset_free(rs);
}

/* One user's exported memories. */
struct kept {
	const char	*user;
	struct buf	 b;
};

/* Keep one user's memories (engine_users_export's callback). */
static void
keep_user(void *arg, const char *user, const struct buf *state)
{
	struct kept	*k = arg;

	if (strcmp(user, k->user) == 0) {
		buf_reset(&k->b);
		buf_add(&k->b, state->data, state->len);
	}
}

/*
 * An empty search, a restart, and the explained search two minutes
 * later: still a retry, so nothing is flagged. The user's memories name
 * the empty search's hold; its time must come back with them.
 */
static void
test_retry_restart(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	struct engine		*e = engine_new(rs, ref, set), *n;
	struct rtest_event	 t;
	struct lookup		 ev;
	struct buf		 hb;
	struct kept		 ku = { "jbakker", { NULL, 0, 0 } };
	char			*cause = NULL;
	int			 held, expl;

	memset(&t, 0, sizeof t);
	t.user = (char *)"jbakker";
	t.time = (char *)"2026-03-02T10:00:00+01:00";
	t.request = (char *)"ZoekMetGeslachtsnaamEnGeboortedatum";
	lookup_init(&ev);
	ok(rtest_event(&t, 0, 1, &ev, &cause) == 0, "an empty search");
	engine_feed(e, &ev);
	engine_source_floor(e, 0, ev.ts + 1);
	lookup_free(&ev);
	is_int(engine_holds(e), 1, "the empty search is held");
	buf_init(&hb);
	buf_init(&ku.b);
	engine_holds_export(e, &hb);
	engine_users_export(e, keep_user, &ku);
	engine_free(e);
	n = engine_new(rs, ref, set);
	ok(engine_holds_import(n, (const char *)hb.data, hb.len, &cause) ==
	    0 && engine_user_import(n, "jbakker", (const char *)ku.b.data,
	    ku.b.len, &cause) == 0, "restarted with jbakker's memories");
	feed(n, "jbakker", "2026-03-02T10:02:00+01:00", "100000046", 2);
	engine_flush(n);
	is_int(drain(n, &held, &expl), 0, "the explained search two minutes "
	    "later makes the empty one a retry");
	free(cause);
	buf_free(&hb);
	buf_free(&ku.b);
	engine_free(n);
}

/* A user's state of window and baseline rules: before and after. */
static const char slots_a[] =
    "rules:\n"
    "  - {id: quiet, title: t, description: d, weight: 1.0,"
    " when: {subject.self: true, user.service: true}}\n"
    "  - {id: win, title: t, description: d, weight: 1.0,"
    " when: {user.service: false},"
    " window: {count: subjects, within: 2h, at_least: 16}}\n"
    "  - {id: base, title: t, description: d, weight: 1.0,"
    " when: {user.service: false},"
    " baseline: {metric: distinct_subjects_per_day, above_own: 0.001,"
    " min_days: 1, min_count: 16}}\n";

/* The same rules elsewhere, each second of its kind. */
static const char slots_b[] =
    "rules:\n"
    "  - {id: b2, title: t, description: d, weight: 1.0,"
    " when: {user.service: true},"
    " baseline: {metric: distinct_subjects_per_day, above_own: 1,"
    " min_days: 1, min_count: 1}}\n"
    "  - {id: base, title: t, description: d, weight: 1.0,"
    " when: {user.service: false},"
    " baseline: {metric: distinct_subjects_per_day, above_own: 0.001,"
    " min_days: 1, min_count: 16}}\n"
    "  - {id: w2, title: t, description: d, weight: 1.0,"
    " when: {user.service: true},"
    " window: {count: subjects, within: 2h, at_least: 1}}\n"
    "  - {id: win, title: t, description: d, weight: 1.0,"
    " when: {user.service: false},"
    " window: {count: subjects, within: 2h, at_least: 16}}\n";

/* Feed jbakker's lookups of persons first..last-1 on 3 March. */
static void
slots_feed(struct engine *e, int first, int last)
{
	char	 bsn[16], time[32];
	int	 i;

	for (i = first; i < last; i++) {
		snprintf(bsn, sizeof bsn, "1000005%02d", i);
		snprintf(time, sizeof time, "2026-03-03T10:%02d:00+01:00", i);
		feed(e, "jbakker", time, bsn, 100 + i);
	}
}

/* Did a rule of this id fire in an alert since the last call? */
static int
slots_fired(struct engine *e, const char *id)
{
	struct decision	 d;
	struct alert	*a;
	size_t		 i;
	int		 found = 0;

	engine_flush(e);
	while (engine_next_decision(e, &d))
		;
	while ((a = engine_next_alert(e)) != NULL) {
		for (i = 0; i < a->nrules; i++)
			found |= strcmp(a->rules[i], id) == 0;
		alert_free(a);
	}
	return (found);
}

/*
 * Window and baseline state lives in one slot per rule of its kind: a
 * swap to a set with those rules elsewhere, and a restart into such a
 * set, must find the state of each rule where the rule now is. Sixteen
 * distinct persons in a day fire both; fourteen before the change and
 * two after only do if the fourteen were carried over (and the day's set
 * grew past its first table of eight on the way).
 */
static void
test_slots(const struct ref *ref, const struct engine_settings *set)
{
	struct ruleset	*ra = ruleset_new(), *rb = ruleset_new();
	struct engine	*e, *n;
	struct kept	 ku = { "jbakker", { NULL, 0, 0 } };
	char		*cause = NULL;

	ok(ruleset_load(ra, "a.yaml", slots_a, strlen(slots_a), &cause) ==
	    0 && ruleset_load(rb, "b.yaml", slots_b, strlen(slots_b),
	    &cause) == 0, "rules with windows and baselines load");
	/* jbakker needs a past active day for the baseline. */
	e = engine_new(ra, ref, set);
	feed(e, "jbakker", "2026-03-02T10:00:00+01:00", "100000599", 99);
	slots_feed(e, 0, 14);
	ok(!slots_fired(e, "win") && !slots_fired(e, "base"),
	    "fourteen persons fire neither");
	engine_free(e);

	/* (No flush before the swap: it would end the window.) */
	e = engine_new(ra, ref, set);
	feed(e, "jbakker", "2026-03-02T10:00:00+01:00", "100000599", 99);
	slots_feed(e, 0, 14);
	buf_init(&ku.b);
	engine_users_export(e, keep_user, &ku);
	ok(engine_swap_rules(e, rb) == ra, "swap to the reordered rules");
	slots_feed(e, 14, 16);
	ok(slots_fired(e, "win"), "the window kept its subjects over a swap");
	engine_free(e);

	e = engine_new(ra, ref, set);
	feed(e, "jbakker", "2026-03-02T10:00:00+01:00", "100000599", 99);
	slots_feed(e, 0, 14);
	engine_swap_rules(e, rb);
	slots_feed(e, 14, 16);
	ok(slots_fired(e, "base"), "the baseline kept its day over a swap");
	engine_free(e);

	n = engine_new(rb, ref, set);
	ok(engine_user_import(n, "jbakker", (const char *)ku.b.data, ku.b.len,
	    &cause) == 0, "memories of the first rules import into the second");
	slots_feed(n, 14, 16);
	ok(slots_fired(n, "win"), "the window restored in its new slot");
	engine_free(n);

	n = engine_new(rb, ref, set);
	slots_feed(n, 14, 16);
	ok(!slots_fired(n, "win") && !slots_fired(n, "base"),
	    "without the memories two persons fire neither");
	engine_free(n);

	n = engine_new(rb, ref, set);
	ok(engine_user_import(n, "jbakker", (const char *)ku.b.data, ku.b.len,
	    &cause) == 0 && (slots_feed(n, 14, 16), slots_fired(n, "base")),
	    "the baseline restored in its new slot");
	engine_free(n);
	free(cause);
	buf_free(&ku.b);
	ruleset_free(ra);
	ruleset_free(rb);
}

/* A plate, then its owner's address: the sequence of pattern.yaml. */
static const char seq_rules[] =
    "rules:\n"
    "  - {id: plate-owner, title: t, description: d, weight: 1.0,"
    " when: {register: brp, explanation: none},"
    " sequence: {first: {register: rdw, explanation: none}, within: 1h}}\n";

/* mcoll looks up a plate whose owner is 100000125. */
static void
seq_plate(struct engine *e)
{
	struct rtest_event	 t;
	struct lookup		 ev;
	char			*cause = NULL;

	memset(&t, 0, sizeof t);
	t.user = (char *)"mcoll";
	t.time = (char *)"2026-03-02T10:00:00+01:00";
	t.reg = (char *)"rdw";
	t.plate = (char *)"12abc3";
	t.owner = (char *)"100000125";
	lookup_init(&ev);
	if (rtest_event(&t, 0, 1, &ev, &cause) == 0) {
		engine_feed(e, &ev);
		engine_source_floor(e, 0, ev.ts + 1);
	}
	free(cause);
	lookup_free(&ev);
}

/*
 * A user's sequence ring is made when a first lookup names an owner:
 * the owner survives a restart through the user's memories, and a user
 * without one has no ring and completes nothing.
 */
static void
test_seq_ring(const struct ref *ref, const struct engine_settings *set)
{
	struct ruleset	*rs = ruleset_new();
	struct engine	*e, *n;
	struct buf	 hb;
	struct kept	 ku = { "mcoll", { NULL, 0, 0 } };
	char		*cause = NULL;

	ok(ruleset_load(rs, "s.yaml", seq_rules, strlen(seq_rules), &cause) ==
	    0, "a sequence rule loads");
	buf_init(&hb);
	buf_init(&ku.b);
	e = engine_new(rs, ref, set);
	seq_plate(e);
	engine_holds_export(e, &hb);
	engine_users_export(e, keep_user, &ku);
	ok(strstr(buf_cstr(&ku.b), "\nq\t") != NULL,
	    "the owner is in mcoll's memories");
	engine_free(e);

	n = engine_new(rs, ref, set);
	ok(engine_holds_import(n, (const char *)hb.data, hb.len, &cause) ==
	    0 && engine_user_import(n, "mcoll", (const char *)ku.b.data, ku.b.len,
	    &cause) == 0, "restarted with mcoll's memories");
	feed(n, "mcoll", "2026-03-02T10:05:00+01:00", "100000125", 2);
	ok(slots_fired(n, "plate-owner"), "the owner's address completes the "
	    "sequence after the restart");
	engine_free(n);

	n = engine_new(rs, ref, set);
	feed(n, "mcoll", "2026-03-02T10:05:00+01:00", "100000125", 2);
	ok(!slots_fired(n, "plate-owner"), "without the plate: nothing");
	engine_free(n);
	free(cause);
	buf_free(&hb);
	buf_free(&ku.b);
	ruleset_free(rs);
}

/* What the drain of test_drain saw. */
struct drained {
	struct engine	*e;
	int		 calls, most, total;
};

/* The drain: take every waiting decision, counting. */
static void
drain_count(void *arg)
{
	struct drained	*k = arg;
	struct decision	 d;
	int		 n = 0;

	while (engine_next_decision(k->e, &d))
		n++;
	k->calls++;
	k->total += n;
	if (n > k->most)
		k->most = n;
}

/*
 * A flush that decides more than the queue's drain size hands them to
 * the drain as they come (at most that many waiting), and none is lost.
 */
static void
test_drain(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set)
{
	struct drained	 k;
	char		 t[64];
	int		 i, held, expl;

	memset(&k, 0, sizeof k);
	k.e = engine_new(rs, ref, set);
	for (i = 0; i < 5000; i++) {
		snprintf(t, sizeof t, "2026-03-05T%02d:%02d:%02d+01:00",
		    8 + i / 3600, i / 60 % 60, i % 60);
		put(k.e, "jbakker", t, "100000149", 1000 + i);
	}
	is_int(drain(k.e, &held, &expl), 0, "5000 lookups wait");
	engine_on_decisions(k.e, drain_count, &k);
	engine_flush(k.e);
	engine_on_decisions(k.e, NULL, NULL);
	ok(k.calls >= 1, "the flush drained as it went (%d times)", k.calls);
	is_int(k.most, 4096, "at most 4096 decisions waited");
	drain_count(&k);
	is_int(k.total, 5000, "every lookup decided once");
	engine_free(k.e);
}

int
main(void)
{
	struct engine_settings	 set;
	struct ruleset		*rs = ruleset_new(), *rs2 = ruleset_new();
	struct ref		*ref = test_ref_load();
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
	/* The self lookup's alert is provisional: held until its deadline. */
	is_int(engine_holds(e), 3, "two lookups held, and the provisional one");

	/* Restart: holds go to a new engine through their durable form. */
	buf_init(&b);
	engine_holds_export(e, &b);
	e2 = engine_new(rs, ref, &set);
	ok(engine_holds_import(e2, (const char *)b.data, b.len, &cause) == 0,
	    "holds import");
	is_int(engine_holds(e2), 3, "the holds restored");
	ok(engine_holds_import(e2, "garbage\n", 8, &cause) != 0,
	    "a bad hold line is refused");
	free(cause);
	cause = NULL;

	/* After the grace period: the late case explains the first one. */
	engine_source_floor(e2, 0, INT64_MAX / 4);
	is_int(drain(e2, &held, &expl), 1, "one of two held lookups flagged");
	is_int(held, 2, "both were decided as held");
	is_int(engine_holds(e2), 0, "no holds left");

	/* A rule swap keeps holds and maps their rules by id. */
	feed(e, "jbakker", "2026-03-06T10:00:00+01:00", "100000101", 4);
	ok(engine_swap_rules(e, rs2) == rs, "swap returns the old rules");
	engine_flush(e);
	is_int(drain(e, &held, &expl), 2, "held lookups decided after swap");

	/* Durable incidents, with a short grace to keep the run short. */
	set.grace = 2 * USEC_PER_HOUR;
	test_cuts(rs, ref, &set);
	test_order(rs, ref, &set);
	test_damage(rs, ref, &set);
	test_words(rs, ref, &set);
	test_reexam(ref, &set);
	test_pending(ref, &set);
	test_provisional(ref, &set);
	test_retry_restart(rs, ref, &set);
	test_slots(ref, &set);
	test_seq_ring(ref, &set);
	test_drain(rs, ref, &set);

	buf_free(&b);
	engine_free(e);
	engine_free(e2);
	ruleset_free(rs);
	ruleset_free(rs2);
	ref_free(ref);
	return (done_testing());
}
