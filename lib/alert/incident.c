/*
 * incident.c: group flagged lookups into incidents. An incident is open
 * while its user keeps producing flagged lookups less than `gap` apart;
 * it closes once nothing can join it any more (gap plus the engine's
 * grace period after its last lookup), and then becomes an alert.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/incident.h"
#include "enrich/symtab.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define FACTS_MAX	12	/* fact lines quoted per alert */

struct incident {
	int		 used;
	int		 emitted;	/* NEW already sent */
	struct alert	*a;		/* what is not sent yet */
	struct buf	 facts;
	size_t		 nfacts;
	char		 id[40];
	int64_t		 first_ts, last_ts;
	char		 user[EV_NAME_MAX];
	size_t		 total;		/* lookups over all records */
};

struct incidents {
	int64_t		 gap;
	int64_t		 delay;
	struct incident	*v;
	size_t		 n;
	struct alert	**out;
	size_t		 nout, outhead, outcap;
};

/* Create an incident table. */
struct incidents *
incidents_new(int64_t gap, int64_t delay)
{
	struct incidents	*in;

	in = xcalloc(1, sizeof *in);
	in->gap = gap;
	in->delay = delay;
	return (in);
}

/* Free the table and alerts not collected. */
void
incidents_free(struct incidents *in)
{
	size_t	 i;

	if (in == NULL)
		return;
	for (i = 0; i < in->n; i++) {
		alert_free(in->v[i].a);
		buf_free(&in->v[i].facts);
	}
	for (i = in->outhead; i < in->nout; i++)
		alert_free(in->out[i]);
	free(in->out);
	free(in->v);
	free(in);
}

/* Does the alert already list this string? */
static int
incident_has(char **v, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (1);
	return (0);
}

/* Find the open incident of a user that a lookup at ts belongs to. */
static struct incident *
incident_find(struct incidents *in, const char *user, int64_t ts)
{
	size_t	 i;

	for (i = 0; i < in->n; i++) {
		if (in->v[i].used && strcmp(in->v[i].user, user) == 0 &&
		    ts >= in->v[i].first_ts - in->gap &&
		    ts <= in->v[i].last_ts + in->gap)
			return (&in->v[i]);
	}
	return (NULL);
}

/* Open a new incident for a flagged lookup. */
static struct incident *
incident_open(struct incidents *in, const struct flagged *f)
{
	struct incident	*inc = NULL;
	size_t		 i;

	for (i = 0; i < in->n && inc == NULL; i++)
		if (!in->v[i].used)
			inc = &in->v[i];
	if (inc == NULL) {
		in->v = xreallocarray(in->v, in->n + 1, sizeof *in->v);
		inc = &in->v[in->n++];
	}
	memset(inc, 0, sizeof *inc);
	inc->used = 1;
	inc->first_ts = inc->last_ts = f->ts;
	snprintf(inc->user, sizeof inc->user, "%s", f->user);
	snprintf(inc->id, sizeof inc->id, "inc-%016llx", (unsigned long long)
	    (symtab_hash(f->user, strlen(f->user)) ^
	    symtab_hash(f->event, strlen(f->event)) ^ (uint64_t)f->ts));
	buf_init(&inc->facts);
	return (inc);
}

/* Start the alert record that collects what is not yet sent. */
static void
incident_alert(struct incident *inc)
{
	inc->a = alert_new();
	inc->a->kind = inc->emitted ? ALERT_ADDENDUM : ALERT_NEW;
	snprintf(inc->a->incident, sizeof inc->a->incident, "%s", inc->id);
	snprintf(inc->a->user, sizeof inc->a->user, "%s", inc->user);
	inc->a->first_ts = INT64_MAX;
	inc->a->last_ts = INT64_MIN;
	inc->nfacts = 0;
	buf_reset(&inc->facts);
}

/* Add a flagged lookup; returns the incident id it joined. */
const char *
incidents_add(struct incidents *in, const struct flagged *f)
{
	struct incident	*inc;
	struct alert	*a;
	size_t		 i;

	if ((inc = incident_find(in, f->user, f->ts)) == NULL)
		inc = incident_open(in, f);
	if (inc->a == NULL)
		incident_alert(inc);
	a = inc->a;
	if (f->ts < inc->first_ts)
		inc->first_ts = f->ts;
	if (f->ts > inc->last_ts)
		inc->last_ts = f->ts;
	if (f->ts < a->first_ts)
		a->first_ts = f->ts;
	if (f->ts > a->last_ts)
		a->last_ts = f->ts;
	if (f->severity > a->severity)
		a->severity = f->severity;
	a->score += f->score;
	alert_add_event(a, f->event);
	inc->total++;
	for (i = 0; i < f->nrules; i++) {
		if (incident_has(a->rules, a->nrules, f->rules[i]))
			continue;
		alert_add_rule(a, f->rules[i]);
		buf_printf(&inc->facts, "Regel %s: %s.\n", f->rules[i],
		    f->titles[i]);
	}
	for (i = 0; i < f->nsubjects; i++)
		if (!incident_has(a->subjects, a->nsubjects, f->subjects[i]))
			alert_add_subject(a, f->subjects[i]);
	if (inc->nfacts++ < FACTS_MAX)
		buf_printf(&inc->facts, "%s\n", f->facts);
	if (f->urgent && !inc->emitted)
		inc->emitted = 2;	/* send at the next advance */
	return (inc->id);
}

/* Queue the pending record of an incident as an alert. */
static void
incident_emit(struct incidents *in, struct incident *inc)
{
	struct alert	*a = inc->a;

	if (a == NULL)
		return;
	if (inc->nfacts > FACTS_MAX)
		buf_printf(&inc->facts, "... en nog %zu raadplegingen.\n",
		    inc->nfacts - FACTS_MAX);
	xasprintf(&a->summary, "%s: %zu raadpleging(en) zonder "
	    "aanvaardbare grondslag, %zu persoon/voertuig(en)%s", inc->user,
	    a->nevents, a->nsubjects, a->kind == ALERT_ADDENDUM ?
	    " (aanvulling)" : "");
	a->explanation = xstrdup(buf_cstr(&inc->facts));
	if (in->nout == in->outcap) {
		in->outcap = in->outcap ? in->outcap * 2 : 16;
		in->out = xreallocarray(in->out, in->outcap, sizeof *in->out);
	}
	in->out[in->nout++] = a;
	inc->a = NULL;
	inc->emitted = 1;
}

/* Send urgent alerts now; close incidents nothing can join any more. */
void
incidents_advance(struct incidents *in, int64_t now)
{
	size_t	 i;

	for (i = 0; i < in->n; i++) {
		if (!in->v[i].used)
			continue;
		if (in->v[i].emitted == 2)
			incident_emit(in, &in->v[i]);
		if (now > in->v[i].last_ts + in->gap + in->delay) {
			incident_emit(in, &in->v[i]);
			buf_free(&in->v[i].facts);
			in->v[i].used = 0;
		}
	}
}

/* Close every incident. */
void
incidents_flush(struct incidents *in)
{
	incidents_advance(in, INT64_MAX / 2);
}

/* Take the next alert, or NULL; the caller frees it. */
struct alert *
incidents_next(struct incidents *in)
{
	if (in->outhead == in->nout) {
		in->outhead = in->nout = 0;
		return (NULL);
	}
	return (in->out[in->outhead++]);
}
