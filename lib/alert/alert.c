/* alert.c: building and freeing alerts; sets of names kept without duplicates. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "enrich/symtab.h"
#include "util/xmalloc.h"

static const char *alert_severity_names[] = {
	"info", "low", "medium", "high", "critical"
};

/* A new empty alert. */
struct alert *
alert_new(void)
{
	struct alert	*a;

	a = xcalloc(1, sizeof *a);
	a->first_ts = a->last_ts = EV_TS_NONE;
	return (a);
}

/* Free a list of strings. */
static void
alert_free_list(char **list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Free an alert and everything it owns. */
void
alert_free(struct alert *a)
{
	if (a == NULL)
		return;
	alert_free_list(a->rules, a->nrules);
	alert_free_list(a->events, a->nevents);
	alert_free_list(a->subjects, a->nsubjects);
	alert_free_list(a->prov, a->nprov);
	alert_free_list(a->by, a->nby);
	free(a->summary);
	free(a->explanation);
	free(a->subjidx);
	free(a);
}

/* Append s to a list unless it is already there. */
static void
alert_list_add(char ***list, size_t *n, const char *s, int unique)
{
	size_t	 i;

	if (unique) {
		for (i = 0; i < *n; i++)
			if (strcmp((*list)[i], s) == 0)
				return;
	}
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = xstrdup(s);
}

/* Note that a rule fired (once per rule). */
void
alert_add_rule(struct alert *a, const char *id)
{
	alert_list_add(&a->rules, &a->nrules, id, 1);
}

/* Add an event id; events are unique by construction, so no search. */
void
alert_add_event(struct alert *a, const char *id)
{
	alert_list_add(&a->events, &a->nevents, id, 0);
}

/* The slot of s in the subject index, or the empty one where it goes. */
static size_t
alert_subject_slot(const struct alert *a, const char *s)
{
	size_t	 i, mask = a->subjcap - 1;

	for (i = (size_t)symtab_hash(s, strlen(s)) & mask; a->subjidx[i] != 0;
	    i = (i + 1) & mask)
		if (strcmp(a->subjects[a->subjidx[i] - 1], s) == 0)
			break;
	return (i);
}

/*
 * Index every subject (those set without alert_add_subject too), in a
 * table that stays at most half full with one more.
 */
static void
alert_subject_index(struct alert *a)
{
	size_t	 i, cap;

	for (cap = a->subjcap ? a->subjcap : 16; (a->nsubjects + 1) * 2 > cap;
	    cap *= 2)
		;
	if (cap != a->subjcap) {
		free(a->subjidx);
		a->subjidx = xcalloc(cap, sizeof *a->subjidx);
		a->subjcap = cap;
		a->nindexed = 0;
	}
	for (i = a->nindexed; i < a->nsubjects; i++)
		a->subjidx[alert_subject_slot(a, a->subjects[i])] =
		    (uint32_t)(i + 1);
	a->nindexed = a->nsubjects;
}

/* Add a subject (once per subject), found by hash, not by a scan. */
void
alert_add_subject(struct alert *a, const char *s)
{
	size_t	 i;

	alert_subject_index(a);
	i = alert_subject_slot(a, s);
	if (a->subjidx[i] != 0)
		return;
	alert_list_add(&a->subjects, &a->nsubjects, s, 0);
	a->subjidx[i] = (uint32_t)a->nsubjects;
	a->nindexed = a->nsubjects;
}

/* Mark an event (already added) as decided provisionally. */
void
alert_add_prov(struct alert *a, const char *id)
{
	alert_list_add(&a->prov, &a->nprov, id, 0);
}

/* What explains the next event of a follow-up, in event order. */
void
alert_add_by(struct alert *a, const char *what)
{
	alert_list_add(&a->by, &a->nby, what, 0);
}

/* The name of a severity, as in rule files and the database. */
const char *
alert_severity_name(enum alert_severity s)
{
	if ((size_t)s >= sizeof alert_severity_names /
	    sizeof alert_severity_names[0])
		return ("unknown");
	return (alert_severity_names[s]);
}

/* Parse a severity name; 0 on success, -1 if unknown. */
int
alert_severity_parse(const char *s, enum alert_severity *out)
{
	size_t	 i;

	for (i = 0; i < sizeof alert_severity_names /
	    sizeof alert_severity_names[0]; i++) {
		if (strcmp(s, alert_severity_names[i]) == 0) {
			*out = (enum alert_severity)i;
			return (0);
		}
	}
	return (-1);
}
