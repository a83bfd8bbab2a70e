/*
 * pseudo.c: replace the BSNs and plates of an alert by keyed pseudonyms,
 * in its subject list and wherever its summary and explanation name them.
 * The same key gives the same handle for the same value, so an officer
 * sees that two alerts concern one person without learning who.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alert/pseudo.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define PSEUDO_DOMAIN	"wachter pseudonym v1"

/* A subject is a BSN when it is all digits; plates always have letters. */
int
pseudo_is_bsn(const char *value)
{
	return (*value != '\0' && strspn(value, "0123456789") ==
	    strlen(value));
}

/*
 * The handle of a value: the prefix ("ps:" person, "pv:" vehicle), then
 * hex(BLAKE2b-128 keyed with key over "wachter pseudonym v1" 0x00 prefix
 * value).
 */
void
pseudo_handle(const uint8_t key[PSEUDO_KEY], const char *value,
    char out[PSEUDO_HANDLE_MAX])
{
	crypto_generichash_state	 st;
	const char			*prefix;
	uint8_t				 h[16];

	prefix = pseudo_is_bsn(value) ? PSEUDO_PERSON : PSEUDO_VEHICLE;
	crypto_generichash_init(&st, key, PSEUDO_KEY, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)PSEUDO_DOMAIN,
	    sizeof PSEUDO_DOMAIN);	/* with its NUL: the separator */
	crypto_generichash_update(&st, (const uint8_t *)prefix, 3);
	crypto_generichash_update(&st, (const uint8_t *)value, strlen(value));
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(out, prefix, 3);
	sodium_bin2hex(out + 3, PSEUDO_HANDLE_MAX - 3, h, sizeof h);
}

/* Whether s is a handle: "ps:" or "pv:" and 32 lower-case hex digits. */
int
pseudo_is_handle(const char *s)
{
	size_t	 i;

	if ((strncmp(s, PSEUDO_PERSON, 3) != 0 &&
	    strncmp(s, PSEUDO_VEHICLE, 3) != 0) ||
	    strlen(s) != PSEUDO_HANDLE_LEN)
		return (0);
	for (i = 3; i < PSEUDO_HANDLE_LEN; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f'))
			return (0);
	return (1);
}

/* Whether c may stand next to an identifier without being part of it. */
static int
pseudo_edge(char c)
{
	return (!isalnum((unsigned char)c));
}

/* Copy text with every whole-word occurrence of each value replaced. */
static char *
pseudo_text(const char *text, char **values, char (*handles)[PSEUDO_HANDLE_MAX],
    size_t n)
{
	struct buf	 b;
	const char	*p = text, *run = text;
	size_t		 i, len = 0;
	char		*s;

	buf_init(&b);
	while (*p != '\0') {
		/* A value starts a word: look only where one can. */
		i = n;
		if (p == text || pseudo_edge(p[-1]))
			for (i = 0; i < n; i++) {
				if (*p != values[i][0])
					continue;
				len = strlen(values[i]);
				if (len > 0 && strncmp(p, values[i], len) == 0 &&
				    pseudo_edge(p[len]))
					break;
			}
		if (i < n) {
			buf_add(&b, run, (size_t)(p - run));
			buf_adds(&b, handles[i]);
			p += len;
			run = p;
		} else
			p++;
	}
	buf_add(&b, run, (size_t)(p - run));
	s = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return (s);
}

/* A copy of an alert that names its subjects only by handle. */
struct alert *
pseudo_alert(const uint8_t key[PSEUDO_KEY], const struct alert *a)
{
	struct alert	*p;
	char		(*h)[PSEUDO_HANDLE_MAX];
	size_t		 i;

	p = alert_new();
	*p = *a;
	p->rules = p->events = p->subjects = p->prov = p->by = NULL;
	p->nrules = p->nevents = p->nsubjects = p->nprov = p->nby = 0;
	p->subjidx = NULL;
	p->subjcap = p->nindexed = 0;
	for (i = 0; i < a->nrules; i++)
		alert_add_rule(p, a->rules[i]);
	for (i = 0; i < a->nevents; i++)
		alert_add_event(p, a->events[i]);
	for (i = 0; i < a->nprov; i++)
		alert_add_prov(p, a->prov[i]);
	for (i = 0; i < a->nby; i++)
		alert_add_by(p, a->by[i]);
	h = xcalloc(a->nsubjects + 1, sizeof *h);
	for (i = 0; i < a->nsubjects; i++) {
		pseudo_handle(key, a->subjects[i], h[i]);
		alert_add_subject(p, h[i]);
	}
	p->summary = pseudo_text(a->summary ? a->summary : "", a->subjects,
	    h, a->nsubjects);
	p->explanation = pseudo_text(a->explanation ? a->explanation : "",
	    a->subjects, h, a->nsubjects);
	free(h);
	return (p);
}
