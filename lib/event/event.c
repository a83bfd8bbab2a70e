/*
 * event.c: lifecycle of the normalised lookup event. Subjects live inline
 * for the common case and spill to the heap for large searches; a reset
 * keeps the spilled array so a long-lived event stops allocating.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "util/xmalloc.h"

static const char *ev_request_names[] = {
	[EV_REQ_UNKNOWN] = "unknown",
	[EV_REQ_RAADPLEEG_BSN] = "RaadpleegMetBurgerservicenummer",
	[EV_REQ_ZOEK_NAAM_GEBDAT] = "ZoekMetGeslachtsnaamEnGeboortedatum",
	[EV_REQ_ZOEK_POSTCODE] = "ZoekMetPostcodeEnHuisnummer",
	[EV_REQ_ZOEK_NAAM_GEMEENTE] = "ZoekMetNaamEnGemeenteVanInschrijving",
	[EV_REQ_KENTEKEN] = "Kenteken",
};

/* Prepare an event for first use. */
void
lookup_init(struct lookup *ev)
{
	memset(ev, 0, offsetof(struct lookup, subj_inline));
	ev->ts_alt = EV_TS_NONE;
	ev->subjects = ev->subj_inline;
	ev->subjcap = EV_SUBJ_INLINE;
}

/* Clear an event for the next line, keeping any spilled subject array. */
void
lookup_reset(struct lookup *ev)
{
	struct subject	*s = ev->subjects;
	uint32_t	 cap = ev->subjcap;

	memset(ev, 0, offsetof(struct lookup, nsubjects));
	ev->ts_alt = EV_TS_NONE;
	ev->nsubjects = 0;
	ev->subjects = s;
	ev->subjcap = cap;
}

/* Release an event's heap memory. */
void
lookup_free(struct lookup *ev)
{
	if (ev->subjects != ev->subj_inline)
		free(ev->subjects);
	lookup_init(ev);
}

/*
 * Deep-copy src into dst (dst must have been initialised), keeping dst's
 * spilled subject array. The fields before nsubjects are copied whole, so
 * they need no clearing first.
 */
void
lookup_copy(struct lookup *dst, const struct lookup *src)
{
	uint32_t	 i;

	memcpy(dst, src, offsetof(struct lookup, nsubjects));
	dst->nsubjects = 0;
	for (i = 0; i < src->nsubjects; i++)
		*lookup_add_subject(dst, "", 0, src->subjects[i].kind,
		    src->subjects[i].role) = src->subjects[i];
}

/*
 * Append a subject. The value must already be normalised and fit; the
 * caller checks length (it owns the error message).
 */
struct subject *
lookup_add_subject(struct lookup *ev, const char *v, size_t len,
    enum subj_kind kind, enum subj_role role)
{
	struct subject	*s;

	if (ev->nsubjects == ev->subjcap) {
		uint32_t	 ncap = ev->subjcap * 2;

		if (ev->subjects == ev->subj_inline) {
			s = xreallocarray(NULL, ncap, sizeof *s);
			memcpy(s, ev->subj_inline, sizeof ev->subj_inline);
		} else
			s = xreallocarray(ev->subjects, ncap, sizeof *s);
		ev->subjects = s;
		ev->subjcap = ncap;
	}
	s = &ev->subjects[ev->nsubjects++];
	memset(s, 0, sizeof *s);
	if (len >= sizeof s->value)
		len = sizeof s->value - 1;
	memcpy(s->value, v, len);
	s->kind = kind;
	s->role = role;
	return (s);
}

/* Whether the event touched this subject (any role). */
int
lookup_has_subject(const struct lookup *ev, enum subj_kind kind, const char *v)
{
	uint32_t	 i;

	for (i = 0; i < ev->nsubjects; i++) {
		if (ev->subjects[i].kind == kind &&
		    strcmp(ev->subjects[i].value, v) == 0)
			return (1);
	}
	return (0);
}

/* The log's name for a request type. */
const char *
ev_request_name(enum ev_request r)
{
	if ((size_t)r >= sizeof ev_request_names / sizeof ev_request_names[0])
		return ("unknown");
	return (ev_request_names[r]);
}

/* What a request type does, in Dutch words for an officer. */
const char *
ev_request_words(enum ev_request r)
{
	static const char *const words[] = {
		[EV_REQ_UNKNOWN] = "onbekende vraag",
		[EV_REQ_RAADPLEEG_BSN] = "persoonslijst opgevraagd op BSN",
		[EV_REQ_ZOEK_NAAM_GEBDAT] = "gezocht op naam en geboortedatum",
		[EV_REQ_ZOEK_POSTCODE] = "gezocht op postcode en huisnummer",
		[EV_REQ_ZOEK_NAAM_GEMEENTE] = "gezocht op naam en gemeente",
		[EV_REQ_KENTEKEN] = "kentekenraadpleging",
	};

	if ((size_t)r >= sizeof words / sizeof words[0])
		return (words[EV_REQ_UNKNOWN]);
	return (words[r]);
}

/* Map a request type name from a log to its enum (EV_REQ_UNKNOWN if none). */
enum ev_request
ev_request_parse(const char *s, size_t len)
{
	size_t	 i;

	for (i = 1; i < sizeof ev_request_names / sizeof ev_request_names[0];
	    i++) {
		if (strlen(ev_request_names[i]) == len &&
		    memcmp(ev_request_names[i], s, len) == 0)
			return ((enum ev_request)i);
	}
	return (EV_REQ_UNKNOWN);
}
