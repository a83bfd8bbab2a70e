/*
 * engine_state.c: the engine's state that outlives one lookup: sliding
 * windows of distinct subjects per user (memory bounded by the subjects
 * still inside a window), swapping rule sets, and the durable form of
 * held lookups and open incidents that the daemon stores with its log
 * position.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/symtab.h"
#include "rules/engine_int.h"
#include "rules/match.h"
#include "util/tsv.h"
#include "util/xmalloc.h"

/*
 * First table of a window (grows). Where a window is swept does not
 * change what it counts: a sweep drops only subjects already outside it,
 * and the clock does not go back.
 */
#define WINDOW_MIN	8

/* Free a window's table. */
void
window_free(struct wstate *w)
{
	free(w->h);
	free(w->ts);
	memset(w, 0, sizeof *w);
}

/* Insert or refresh one subject hash; no growth here. */
void
window_put(struct wstate *w, uint64_t h, int64_t ts)
{
	uint32_t	 i, mask = w->cap - 1;

	for (i = (uint32_t)h & mask; w->h[i] != 0; i = (i + 1) & mask) {
		if (w->h[i] == h) {
			if (ts > w->ts[i])
				w->ts[i] = ts;
			return;
		}
	}
	w->h[i] = h;
	w->ts[i] = ts;
	w->n++;
}

/* Rebuild the table without the subjects that left the window. */
void
window_sweep(struct wstate *w, int64_t since, uint32_t cap)
{
	struct wstate	 old = *w;
	uint32_t	 i;

	w->cap = cap;
	w->n = 0;
	w->h = xcalloc(cap, sizeof *w->h);
	w->ts = xcalloc(cap, sizeof *w->ts);
	for (i = 0; i < old.cap; i++)
		if (old.h[i] != 0 && old.ts[i] >= since)
			window_put(w, old.h[i], old.ts[i]);
	free(old.h);
	free(old.ts);
}

/*
 * Number the rules of one kind ('w' window, 'b' baseline) in order into
 * slot[], -1 for the others; returns how many there are. A user's state
 * for them is then as long as the rules that need it, not RULES_MAX.
 */
size_t
rule_slots(const struct ruleset *rs, int kind, int8_t *slot)
{
	size_t	 i, n = 0;

	for (i = 0; i < RULES_MAX; i++) {
		if (i < rs->n && (kind == 'w' ? rs->rules[i].window != 0 :
		    rs->rules[i].base != 0))
			slot[i] = (int8_t)n++;
		else
			slot[i] = -1;
	}
	return (n);
}

/* Number the window and baseline rules of the engine's rule set. */
void
engine_slots(struct engine *e)
{
	e->nwslot = rule_slots(e->rs, 'w', e->wslot);
	e->nbslot = rule_slots(e->rs, 'b', e->bslot);
}

/* Add the lookup's subjects to a user's window; fire at the threshold. */
void
engine_window(struct engine *e, struct ustate *u, size_t ri,
    const struct rule *r, uint64_t *bits)
{
	const struct lookup	*ev = e->fx.ev;
	struct wstate		*w;
	int64_t			 since = e->now - r->within;
	uint32_t		 i;
	uint64_t		 h;
	int			 which;

	if (!matcher_rule(e->m, ri, &e->fx, &which))
		return;
	if (u->w == NULL)
		u->w = xcalloc(e->nwslot, sizeof *u->w);
	w = &u->w[e->wslot[ri]];
	if (w->cap == 0)
		window_sweep(w, since, WINDOW_MIN);
	for (i = 0; i < ev->nsubjects || i == 0; i++) {
		if (r->window == WINDOW_COUNT || ev->nsubjects == 0)
			h = symtab_hash(ev->id, strlen(ev->id)) | 1;
		else if (!(e->fx.sf[i].flags & SF_COUNTS))
			continue;
		else
			h = symtab_hash(ev->subjects[i].value,
			    strlen(ev->subjects[i].value)) | 1;
		if ((w->n + 1) * 2 > w->cap)
			window_sweep(w, since, w->cap * ((w->n + 1) * 4 >
			    w->cap * 3 ? 2 : 1));
		window_put(w, h, ev->ts);
		if (r->window == WINDOW_COUNT || ev->nsubjects == 0)
			break;
	}
	if (w->n >= r->at_least) {
		window_sweep(w, since, w->cap);
		if (w->n >= r->at_least)
			*bits |= 1ULL << ri;
	}
}

/* Index of a rule id in a set, -1. */
int
engine_rule_index(const struct ruleset *rs, const char *id)
{
	size_t	 i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return ((int)i);
	return (-1);
}

/* Map a bit set from one rule set to another by rule id. */
static uint64_t
engine_remap(const struct ruleset *from, const struct ruleset *to,
    uint64_t bits)
{
	uint64_t	 out = 0;
	size_t		 i;
	int		 j;

	for (i = 0; i < from->n; i++)
		if ((bits >> i) & 1 &&
		    (j = engine_rule_index(to, from->rules[i].id)) >= 0)
			out |= 1ULL << j;
	return (out);
}

/*
 * Swap in a new rule set, keeping window state and hold bits of rules
 * whose id stays; returns the old set, which the caller frees.
 */
const struct ruleset *
engine_swap_rules(struct engine *e, const struct ruleset *rs)
{
	const struct ruleset	*old = e->rs;
	struct wstate		*nw;
	int8_t			 slot[RULES_MAX];
	size_t			 i, j, n;
	int			 k;

	for (i = 0; i < e->nholds; i++)
		if (e->holds[i]->used)
			e->holds[i]->bits = engine_remap(old, rs,
			    e->holds[i]->bits);
	n = rule_slots(rs, 'w', slot);
	for (i = 0; i < symtab_count(e->users); i++) {
		if (e->us[i].w == NULL)
			continue;
		nw = n > 0 ? xcalloc(n, sizeof *nw) : NULL;
		for (j = 0; j < old->n; j++) {
			if (e->wslot[j] < 0)
				continue;
			k = engine_rule_index(rs, old->rules[j].id);
			if (k >= 0 && slot[k] >= 0)
				nw[slot[k]] = e->us[i].w[e->wslot[j]];
			else
				window_free(&e->us[i].w[e->wslot[j]]);
		}
		free(e->us[i].w);
		e->us[i].w = nw;
	}
	engine_base_swap(e, old, rs);
	e->rs = rs;
	engine_slots(e);
	matcher_free(e->m);
	e->m = matcher_new(rs);
	return (old);
}

/* Write a field, tab after. */
static void
hold_field(struct buf *b, const char *s)
{
	tsv_add(b, s);
	buf_addc(b, '\t');
}

/*
 * Write a lookup as a line, with what its hold adds (deadline, rules that
 * fired on arrival, retry); h is NULL for a lookup not held.
 */
void
hold_export(const struct engine *e, const struct hold *h,
    const struct lookup *ev, struct buf *b)
{
	uint32_t		 i;
	size_t			 j;

	buf_printf(b, "%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%u\t%u\t%u\t%u"
	    "\t%u\t%u\t%d\t", h ? h->deadline : 0, ev->ts, ev->ts_alt,
	    ev->reg, ev->request, ev->status, ev->flags, ev->source,
	    h ? h->retry : 0, ev->q_housenumber);
	for (j = 0; h != NULL && j < e->rs->n; j++)
		if ((h->bits >> j) & 1) {
			buf_adds(b, e->rs->rules[j].id);
			buf_addc(b, ',');
		}
	buf_addc(b, '\t');
	hold_field(b, ev->id); hold_field(b, ev->user);
	hold_field(b, ev->workstation); hold_field(b, ev->application);
	hold_field(b, ev->purpose); hold_field(b, ev->case_raw);
	hold_field(b, ev->case_id); hold_field(b, ev->q_surname);
	hold_field(b, ev->q_given); hold_field(b, ev->q_birthdate);
	hold_field(b, ev->q_postcode);
	for (i = 0; i < ev->nsubjects; i++)
		buf_printf(b, "%u%u%u%s,", ev->subjects[i].kind,
		    ev->subjects[i].role, ev->subjects[i].valid,
		    ev->subjects[i].value);
	buf_addc(b, '\n');
}

/*
 * Serialise the durable state: a header with the format version and the
 * engine's clock; every held lookup in arrival order with its generation
 * ("H" lines; version 2 wrote "h" without it; "P" GEN INCIDENT for one
 * alerted provisionally, since version 4); the open incidents ("i");
 * kept lookups of re-examination ("x"); the departments' baselines ("d");
 * the sources' clocks and the lookups waiting for their turn ("s", "o",
 * "q": engine_order.c); and a last line with a hash of all before it, so
 * a truncated or damaged state is refused. The daemon stores this with
 * the log position in one transaction, after taking the alerts.
 */
void
engine_holds_export(const struct engine *e, struct buf *b)
{
	size_t	 i, start = b->len;

	buf_printf(b, "%s\t%d\t%" PRId64 "\n", ENGINE_STATE_MAGIC,
	    ENGINE_STATE_VERSION, e->now);
	for (i = e->fhead; i != e->ftail; i++) {
		const struct hold *h = e->holds[e->fifo[i % e->fcap]];

		if (h->used && h->prov) {
			buf_printf(b, "P\t%u\t", h->gen);
			hold_field(b, h->incident);
			hold_export(e, h, hold_lookup(e, h, 0), b);
		} else if (h->used) {
			buf_printf(b, "H\t%u\t", h->gen);
			hold_export(e, h, hold_lookup(e, h, 0), b);
		}
	}
	reexam_export(e, b);
	incidents_export(e->inc, b);
	dstat_export(e, b);
	order_export(e, b);
	buf_printf(b, "end\t%016" PRIx64 "\n", symtab_hash((const char *)
	    b->data + start, b->len - start));
}
