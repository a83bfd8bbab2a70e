/*
 * engine_reexam_state.c: the durable form of the lookups kept for
 * re-examination, one "x" line per lookup in the engine's state, so a
 * restart neither forgets a case under watch nor decides it twice.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine_int.h"
#include "rules/engine_reexam.h"
#include "util/tsv.h"
#include "util/xmalloc.h"

#define RX_FIELDS	11

/* Write a field, tab after. */
static void
rx_field(struct buf *b, const char *s)
{
	tsv_add(b, s);
	buf_addc(b, '\t');
}

/* One kept lookup as an "x" line. */
static void
rx_export_look(const struct reexam *rx, const struct rx_case *c,
    const struct rx_look *l, struct buf *b)
{
	uint8_t	 i;

	buf_adds(b, "x\t");
	rx_field(b, c->case_id);
	rx_field(b, reexam_name(rx, c->user));
	buf_printf(b, "%u\t%" PRId64 "\t", c->others, c->until);
	rx_field(b, l->id != NULL ? l->id : "");
	rx_field(b, reexam_name(rx, l->user));
	buf_printf(b, "%" PRId64 "\t%u\t%u\t%u\t", l->ts, l->source, l->reg,
	    l->request);
	for (i = 0; i < l->nsubj; i++)
		buf_printf(b, "%u%u%u%s,", l->subj[i].kind, l->subj[i].role,
		    l->subj[i].valid, l->subj[i].value);
	buf_addc(b, '\n');
}

/* Write every kept lookup. */
void
reexam_export(const struct engine *e, struct buf *b)
{
	const struct rx_case	*c;
	struct rx_look		 none;	/* a case touched by others, none kept */
	size_t			 i;
	uint32_t		 j;

	memset(&none, 0, sizeof none);
	none.user = SYM_NONE;

	for (i = 0; e->rx != NULL && i < e->rx->n; i++) {
		c = &e->rx->v[i];
		for (j = 0; j < c->nlooks; j++)
			rx_export_look(e->rx, c, &c->looks[j], b);
		if (c->nlooks == 0)
			rx_export_look(e->rx, c, &none, b);
	}
}

/* A number field within [min, max]. */
static int
rx_num(const char *s, int64_t min, int64_t max, int64_t *v)
{
	char	*end;

	*v = strtoll(s, &end, 10);
	return (*s == '\0' || *end != '\0' || *v < min || *v > max ? -1 : 0);
}

/* Subjects from "KRVvalue," items. */
static int
rx_subjects(struct rx_look *l, char *s)
{
	char	*p;

	while ((p = strsep(&s, ",")) != NULL) {
		if (*p == '\0')
			continue;
		if (l->nsubj == RX_SUBJ || strlen(p) < 4 ||
		    strlen(p + 3) >= SUBJ_VALUE_MAX)
			return (-1);
		l->subj[l->nsubj].kind = (uint8_t)(p[0] - '0');
		l->subj[l->nsubj].role = (uint8_t)(p[1] - '0');
		l->subj[l->nsubj].valid = p[2] == '1';
		memcpy(l->subj[l->nsubj].value, p + 3, strlen(p + 3) + 1);
		l->nsubj++;
	}
	return (0);
}

/* Read one "x" line (without its tag) back. */
int
reexam_import(struct engine *e, char *line)
{
	char		*f[RX_FIELDS], *p = line;
	int64_t		 others, until, ts, src, reg, req;
	struct rx_case	*c;
	struct rx_look	*l;
	struct lookup	 ev;
	int		 n = 0;

	while (n < RX_FIELDS && (f[n] = tsv_next(&p)) != NULL)
		n++;
	if (n != RX_FIELDS || strlen(f[0]) >= EV_CASEID_MAX ||
	    strlen(f[1]) >= EV_NAME_MAX || strlen(f[4]) >= EV_ID_MAX ||
	    strlen(f[5]) >= EV_NAME_MAX || rx_num(f[2], 0, 1, &others) ||
	    rx_num(f[3], INT64_MIN, INT64_MAX, &until) ||
	    rx_num(f[6], INT64_MIN, INT64_MAX, &ts) ||
	    rx_num(f[7], 0, UINT32_MAX, &src) || rx_num(f[8], 0, 255, &reg) ||
	    rx_num(f[9], 0, 255, &req))
		return (-1);
	c = reexam_case(e, f[0], f[1], until);
	c->others |= (uint8_t)others;
	if (*f[4] == '\0')
		return (0);
	lookup_init(&ev);
	snprintf(ev.id, sizeof ev.id, "%s", f[4]);
	snprintf(ev.user, sizeof ev.user, "%s", f[5]);
	ev.ts = ts;
	ev.source = (uint32_t)src;
	ev.reg = (uint8_t)reg;
	ev.request = (uint8_t)req;
	l = reexam_keep(e->rx, c, &ev);
	lookup_free(&ev);
	if (l == NULL)
		return (-1);
	return (rx_subjects(l, f[10]));
}
