/* alert.c: building and freeing alerts; sets of names kept without duplicates. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
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

/* Add a subject (once per subject). */
void
alert_add_subject(struct alert *a, const char *s)
{
	alert_list_add(&a->subjects, &a->nsubjects, s, 1);
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
