/*
 * rtest.c: the tests a rule carries. Each test feeds its events to a
 * fresh engine that holds only that rule (with the test reference data)
 * and checks whether the rule fired on any of them. A test with `later:`
 * runs the rule as if it alone reached the threshold (an urgent rule then
 * alerts at once, provisionally) and checks whether such an alert was
 * explained later, by the end of its grace period.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/norm.h"
#include "parse/tz.h"
#include "rules/rtest.h"
#include "util/xmalloc.h"

/* Add the k-th variant of a BSN or plate (k added to its number). */
static int
rtest_subject(struct lookup *ev, const char *v, int k, enum subj_kind kind,
    enum subj_role role)
{
	char	 tmp[32];

	if (kind == SUBJ_PLATE) {
		if (norm_plate(v, strlen(v), tmp, sizeof tmp) < 0)
			return (-1);
	} else if (k > 0 && strlen(v) == 9)
		snprintf(tmp, sizeof tmp, "%09lld", (atoll(v) + k) % 1000000000LL);
	else
		snprintf(tmp, sizeof tmp, "%s", v);
	return (lookup_add_subject(ev, tmp, strlen(tmp), kind, role) ? 0 : -1);
}

/* Build copy k of test event t as event number n. */
int
rtest_event(const struct rtest_event *t, int k, int n, struct lookup *ev,
    char **cause)
{
	size_t	 i;
	int	 rv = 0;

	lookup_reset(ev);
	snprintf(ev->id, sizeof ev->id, "test-%06d", n);
	snprintf(ev->user, sizeof ev->user, "%s", t->user);
	if (tz_rfc3339(t->time, strlen(t->time), &ev->ts) != 0)
		return (xasprintf(cause, "bad time '%s'", t->time), -1);
	ev->ts += k * t->step;
	ev->reg = t->reg && strcmp(t->reg, "rdw") == 0 ? EV_REG_RDW : EV_REG_BRP;
	ev->status = t->status && strcmp(t->status, "error") == 0 ?
	    EV_STATUS_ERROR : EV_STATUS_OK;
	ev->request = ev->reg == EV_REG_RDW ? EV_REQ_KENTEKEN :
	    t->request ? ev_request_parse(t->request, strlen(t->request)) :
	    EV_REQ_RAADPLEEG_BSN;
	if (ev->request == EV_REQ_UNKNOWN)
		return (xasprintf(cause, "unknown request '%s'", t->request), -1);
	if (t->damaged)
		ev->flags |= EV_F_DAMAGED;
	if (t->caseref != NULL) {
		snprintf(ev->case_raw, sizeof ev->case_raw, "%s", t->caseref);
		if (norm_case(t->caseref, strlen(t->caseref), ev->case_id,
		    sizeof ev->case_id) < 0)
			ev->case_id[0] = '\0';
	}
	for (i = 0; i < t->nbsns; i++)
		rv |= rtest_subject(ev, t->bsns[i], k, SUBJ_BSN, SUBJ_QUERIED);
	for (i = 0; i < t->nresults; i++)
		rv |= rtest_subject(ev, t->results[i], k, SUBJ_BSN,
		    SUBJ_RETURNED);
	if (t->plate)
		rv |= rtest_subject(ev, t->plate, k, SUBJ_PLATE, SUBJ_QUERIED);
	if (t->owner)
		rv |= rtest_subject(ev, t->owner, k, SUBJ_BSN, SUBJ_OWNER);
	if (rv != 0)
		return (xasprintf(cause, "bad subject in test event"), -1);
	return (0);
}

/* The users' memories as the daemon's table holds them: the last of each. */
struct rtest_users {
	char		**name;
	struct buf	*state;
	size_t		 n;
};

/* Keep one user's durable memories, replacing what it had. */
static void
rtest_put_user(void *arg, const char *user, const struct buf *state)
{
	struct rtest_users	*u = arg;
	size_t			 i;

	for (i = 0; i < u->n && strcmp(u->name[i], user) != 0; i++)
		;
	if (i == u->n) {
		u->name = xreallocarray(u->name, u->n + 1, sizeof *u->name);
		u->state = xreallocarray(u->state, u->n + 1, sizeof *u->state);
		u->name[i] = xstrdup(user);
		buf_init(&u->state[i]);
		u->n++;
	}
	buf_reset(&u->state[i]);
	buf_add(&u->state[i], state->data, state->len);
}

/* Forget the kept memories. */
static void
rtest_users_free(struct rtest_users *u)
{
	size_t	 i;

	for (i = 0; i < u->n; i++) {
		free(u->name[i]);
		buf_free(&u->state[i]);
	}
	free(u->name);
	free(u->state);
}

/*
 * A restart: the engine's durable state (held and waiting lookups, open
 * incidents, users' memories) goes to a new engine, as the daemon's does
 * through the database.
 */
static struct engine *
rtest_restart(struct engine *e, struct rtest_users *u, const struct ruleset *rs,
    const struct ref *ref, const struct engine_settings *set, char **cause)
{
	struct engine	*n;
	struct buf	 st;
	size_t		 i;

	buf_init(&st);
	engine_holds_export(e, &st);
	engine_users_export(e, rtest_put_user, u);
	engine_free(e);
	n = engine_new(rs, ref, set);
	if (engine_holds_import(n, (const char *)st.data, st.len, cause) != 0)
		goto fail;
	for (i = 0; i < u->n; i++)
		if (engine_user_import(n, u->name[i], (const char *)
		    u->state[i].data, u->state[i].len, cause) != 0)
			goto fail;
	buf_free(&st);
	return (n);
fail:
	buf_free(&st);
	engine_free(n);
	return (NULL);
}

/* Note what a decision says: bit 0 fired, bit 1 explained later. */
static int
rtest_seen(struct engine *e)
{
	struct decision	 d;
	struct alert	*a;
	int		 seen = 0;

	while (engine_next_decision(e, &d)) {
		seen |= (int)(d.fired & 1);
		if (d.held == ENGINE_LATER)
			seen |= 2;
	}
	while ((a = engine_next_alert(e)) != NULL)
		alert_free(a);
	return (seen);
}

/*
 * Run one test; bit 0: the rule fired on any event, bit 1: an alert was
 * explained later; -1 on error. With restart, the engine is rebuilt from
 * its durable state after every lookup: the outcome must not change.
 */
static int
rtest_one(const struct rule *r, const struct rtest *t, const struct ref *ref,
    const struct engine_settings *set, int restart, char **cause)
{
	struct ruleset	 one = { (struct rule *)r, 1 };
	struct rtest_users users = { NULL, NULL, 0 };
	struct engine_settings s = *set;
	struct engine	*e;
	struct lookup	 ev;
	size_t		 i;
	int		 k, n = 0, fired = 0;

	if (t->later >= 0 && r->weight > 0)
		s.threshold = r->weight;
	set = &s;
	e = engine_new(&one, ref, set);
	lookup_init(&ev);
	for (i = 0; i < t->nevents; i++)
		for (k = 0; k < t->events[i].repeat; k++) {
			if (rtest_event(&t->events[i], k, n++, &ev, cause)) {
				fired = -1;
				goto out;
			}
			engine_feed(e, &ev);
			fired |= rtest_seen(e);
			if (restart && (e = rtest_restart(e, &users, &one,
			    ref, set, cause)) == NULL) {
				fired = -1;
				goto out;
			}
		}
	engine_flush(e);
	fired |= rtest_seen(e);
out:
	lookup_free(&ev);
	engine_free(e);
	rtest_users_free(&users);
	return (fired);
}

/* Did a test get what it wants? */
static int
rtest_pass(const struct rtest *t, int got)
{
	return (got >= 0 && (got & 1) == t->fire &&
	    (t->later < 0 || !!(got & 2) == t->later));
}

/* Run every test of every rule; report lines into out. Failures count. */
int
rtest_run(const struct ruleset *rs, const struct ref *ref,
    const struct engine_settings *set, struct buf *out, int *ntests)
{
	const struct rule	*r;
	const struct rtest	*t;
	size_t			 i, j;
	int			 got, failed = 0;
	char			*cause = NULL;

	*ntests = 0;
	for (i = 0; i < rs->n; i++) {
		r = &rs->rules[i];
		for (j = 0; j < r->ntests; j++) {
			(*ntests)++;
			t = &r->tests[j];
			got = rtest_one(r, t, ref, set, 0, &cause);
			if (rtest_pass(t, got))
				got = rtest_one(r, t, ref, set, 1, &cause);
			if (rtest_pass(t, got))
				continue;
			failed++;
			if (got < 0)
				buf_printf(out, "%s:%d: rule %s: %s\n", r->file,
				    r->tests[j].line, r->id, cause);
			else if ((got & 1) == t->fire)
				buf_printf(out, "%s:%d: rule %s: its alert must "
				    "%sbe explained later but was%s (with "
				    "the engine restarted after each lookup, "
				    "if it passed without)\n", r->file,
				    t->line, r->id, t->later ? "" : "not ",
				    got & 2 ? "" : " not");
			else
				buf_printf(out, "%s:%d: rule %s: test must %s "
				    "but did %s (with the engine restarted "
				    "after each lookup, if it passed "
				    "without)\n", r->file, t->line,
				    r->id, t->fire ? "fire" :
				    "not fire", got & 1 ? "fire" : "not fire");
			free(cause);
			cause = NULL;
		}
	}
	return (failed);
}
