/*
 * incident.c: group flagged lookups into incidents. An incident is open
 * while its user keeps producing flagged lookups less than `gap` apart;
 * it closes once nothing can join it any more (gap plus the engine's
 * grace period after its last lookup), and then becomes an alert. Open
 * incidents have a durable form, one line each, kept with the holds.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/incident.h"
#include "enrich/symtab.h"
#include "util/buf.h"
#include "util/tsv.h"
#include "util/xmalloc.h"

#define FACTS_MAX	12	/* fact lines quoted per alert */
#define INCIDENT_SLOTS_MAX (1 << 20)	/* refused beyond, on import */

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

static void	incident_emit(struct incidents *, struct incident *);

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

	if (f->alone || (inc = incident_find(in, f->user, f->ts)) == NULL)
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
	if (f->provisional)
		alert_add_prov(a, f->event);
	inc->total++;
	for (i = 0; i < f->nrules; i++) {
		if (incident_has(a->rules, a->nrules, f->rules[i]))
			continue;
		alert_add_rule(a, f->rules[i]);
		buf_printf(&inc->facts, "Regel %s: %s.\n", f->rules[i],
		    f->titles[i]);
	}
	for (i = 0; i < f->nsubjects; i++)
		alert_add_subject(a, f->subjects[i]);
	if (inc->nfacts++ < FACTS_MAX)
		buf_printf(&inc->facts, "%s\n", f->facts);
	if (f->urgent && !inc->emitted)
		inc->emitted = 2;	/* send at the next advance */
	if (f->alone) {
		/* Nothing joins it: it goes out at once, and closes. */
		incident_emit(in, inc);
		buf_free(&inc->facts);
		inc->used = 0;
	}
	return (inc->id);
}

/* Queue an alert record. */
static void
incident_out(struct incidents *in, struct alert *a)
{
	if (in->nout == in->outcap) {
		in->outcap = in->outcap ? in->outcap * 2 : 16;
		in->out = xreallocarray(in->out, in->outcap, sizeof *in->out);
	}
	in->out[in->nout++] = a;
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
	    "aanvaardbare grondslag, %zu persoon/voertuig(en)%s%s", inc->user,
	    a->nevents, a->nsubjects, a->kind == ALERT_ADDENDUM ?
	    " (aanvulling)" : "", a->nprov > 0 ? " (voorlopig: gemeld voor "
	    "het einde van de wachttijd)" : "");
	a->explanation = xstrdup(buf_cstr(&inc->facts));
	incident_out(in, a);
	inc->a = NULL;
	inc->emitted = 1;
}

/*
 * A provisional lookup of incident id was explained later, by `by` (a
 * case id): queue the follow-up record at once. It stands on its own, so
 * it needs nothing of the incident, which may be closed by now; the
 * lookup's facts (f->facts) are as of the end of its grace period.
 */
void
incidents_explained(struct incidents *in, const char *id,
    const struct flagged *f, const char *by)
{
	struct alert	*a = alert_new();
	size_t		 i;

	a->kind = ALERT_EXPLAINED;
	a->severity = ALERT_INFO;
	snprintf(a->incident, sizeof a->incident, "%s", id);
	snprintf(a->user, sizeof a->user, "%s", f->user);
	a->first_ts = a->last_ts = f->ts;
	for (i = 0; i < f->nrules; i++)
		alert_add_rule(a, f->rules[i]);
	alert_add_event(a, f->event);
	alert_add_by(a, by);
	for (i = 0; i < f->nsubjects; i++)
		alert_add_subject(a, f->subjects[i]);
	xasprintf(&a->summary, "%s: voorlopige melding van raadpleging %s "
	    "later verklaard door zaak %s (ingetrokken)", f->user, f->event,
	    by);
	xasprintf(&a->explanation, "Binnen de wachttijd geregistreerde zaak "
	    "%s verklaart de raadpleging.\n%s\n", by, f->facts);
	incident_out(in, a);
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

/* Write a field, tab first. */
static void
incident_field(struct buf *b, const char *s)
{
	buf_addc(b, '\t');
	tsv_add(b, s);
}

/* Write a counted list of fields. */
static void
incident_list(struct buf *b, char **v, size_t n)
{
	size_t	 i;

	buf_printf(b, "\t%zu", n);
	for (i = 0; i < n; i++)
		incident_field(b, v[i]);
}

/* Write one open incident as a line: slot, state, pending record. */
static void
incident_export(const struct incident *inc, size_t slot, struct buf *b)
{
	const struct alert	*a = inc->a;

	buf_printf(b, "%zu\t%d\t%" PRId64 "\t%" PRId64 "\t%zu\t%zu", slot,
	    inc->emitted, inc->first_ts, inc->last_ts, inc->total,
	    inc->nfacts);
	incident_field(b, inc->id);
	incident_field(b, inc->user);
	incident_field(b, inc->facts.len ? buf_cstr((struct buf *)
	    &inc->facts) : "");
	if (a != NULL) {
		buf_printf(b, "\t1\t%u\t%u\t%" PRId64 "\t%" PRId64 "\t%" PRId32,
		    a->kind, a->severity, a->first_ts, a->last_ts, a->score);
		incident_list(b, a->rules, a->nrules);
		incident_list(b, a->events, a->nevents);
		incident_list(b, a->subjects, a->nsubjects);
		if (a->nprov > 0)
			incident_list(b, a->prov, a->nprov);
	} else
		buf_adds(b, "\t0");
	buf_addc(b, '\n');
}

/*
 * Serialise the open incidents, one line each starting with "i\t", in
 * slot order (the slot decides the order alerts come out in). Alerts
 * already queued are not included: take them with incidents_next first.
 */
void
incidents_export(const struct incidents *in, struct buf *b)
{
	size_t	 i;

	for (i = 0; i < in->n; i++) {
		if (!in->v[i].used)
			continue;
		buf_adds(b, "i\t");
		incident_export(&in->v[i], i, b);
	}
}

/* Take the next field as a number in [min, max]. */
static int
incident_next_num(char **pp, int64_t min, int64_t max, int64_t *v)
{
	char		*f, *end;
	long long	 n;

	if ((f = tsv_next(pp)) == NULL || *f == '\0')
		return (-1);
	n = strtoll(f, &end, 10);
	if (*end != '\0' || n < min || n > max)
		return (-1);
	*v = n;
	return (0);
}

/* Take the next field into a fixed-size string. */
static int
incident_next_str(char **pp, char *dst, size_t size)
{
	char	*f;

	if ((f = tsv_next(pp)) == NULL || strlen(f) >= size)
		return (-1);
	memcpy(dst, f, strlen(f) + 1);
	return (0);
}

/* Read a counted list into an alert with add(). */
static int
incident_next_list(char **pp, struct alert *a,
    void (*add)(struct alert *, const char *))
{
	int64_t	 n, i;
	char	*f;

	if (incident_next_num(pp, 0, INT32_MAX, &n) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if ((f = tsv_next(pp)) == NULL)
			return (-1);
		add(a, f);
	}
	return (0);
}

/* Read the pending record of an incident. */
static int
incident_import_alert(struct incident *inc, char **pp)
{
	struct alert	*a;
	int64_t		 kind, sev, score;

	a = inc->a = alert_new();
	snprintf(a->incident, sizeof a->incident, "%s", inc->id);
	snprintf(a->user, sizeof a->user, "%s", inc->user);
	if (incident_next_num(pp, ALERT_NEW, ALERT_ADDENDUM, &kind) != 0 ||
	    incident_next_num(pp, 0, ALERT_CRITICAL, &sev) != 0 ||
	    incident_next_num(pp, INT64_MIN, INT64_MAX, &a->first_ts) != 0 ||
	    incident_next_num(pp, INT64_MIN, INT64_MAX, &a->last_ts) != 0 ||
	    incident_next_num(pp, INT32_MIN, INT32_MAX, &score) != 0 ||
	    incident_next_list(pp, a, alert_add_rule) != 0 ||
	    incident_next_list(pp, a, alert_add_event) != 0 ||
	    incident_next_list(pp, a, alert_add_subject) != 0)
		return (-1);
	/* Provisional lookups: a last list, absent when none (or older). */
	if (*pp != NULL && incident_next_list(pp, a, alert_add_prov) != 0)
		return (-1);
	a->kind = (uint8_t)kind;
	a->severity = (uint8_t)sev;
	a->score = (int32_t)score;
	return (0);
}

/* Parse one line into a cleared incident. */
static int
incident_import(struct incident *inc, char **pp)
{
	int64_t	 emitted, total, nfacts, has;
	char	*facts;

	inc->used = 1;
	buf_init(&inc->facts);
	if (incident_next_num(pp, 0, 2, &emitted) != 0 ||
	    incident_next_num(pp, INT64_MIN, INT64_MAX, &inc->first_ts) != 0 ||
	    incident_next_num(pp, INT64_MIN, INT64_MAX, &inc->last_ts) != 0 ||
	    incident_next_num(pp, 0, INT64_MAX, &total) != 0 ||
	    incident_next_num(pp, 0, INT64_MAX, &nfacts) != 0 ||
	    incident_next_str(pp, inc->id, sizeof inc->id) != 0 ||
	    incident_next_str(pp, inc->user, sizeof inc->user) != 0 ||
	    (facts = tsv_next(pp)) == NULL ||
	    incident_next_num(pp, 0, 1, &has) != 0)
		return (-1);
	inc->emitted = (int)emitted;
	inc->total = (size_t)total;
	inc->nfacts = (size_t)nfacts;
	buf_adds(&inc->facts, facts);
	if (has && incident_import_alert(inc, pp) != 0)
		return (-1);
	if (*pp != NULL || (inc->a == NULL && inc->emitted != 1))
		return (-1);
	return (0);
}

/*
 * Restore one line written by incidents_export (after its "i\t") into
 * its slot; the line is modified. Returns -1 if it does not parse or the
 * slot is taken, leaving the slot free.
 */
int
incidents_import(struct incidents *in, char *line)
{
	struct incident	*inc;
	int64_t		 slot;

	if (incident_next_num(&line, 0, INCIDENT_SLOTS_MAX, &slot) != 0)
		return (-1);
	if (in->n <= (size_t)slot) {	/* one step: a slot may be far out */
		in->v = xreallocarray(in->v, (size_t)slot + 1, sizeof *in->v);
		memset(&in->v[in->n], 0, ((size_t)slot + 1 - in->n) *
		    sizeof *in->v);
		in->n = (size_t)slot + 1;
	}
	inc = &in->v[slot];
	if (inc->used)
		return (-1);
	if (incident_import(inc, &line) != 0) {
		alert_free(inc->a);
		buf_free(&inc->facts);
		memset(inc, 0, sizeof *inc);
		return (-1);
	}
	return (0);
}
