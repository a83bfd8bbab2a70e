/*
 * engine_order.c: the engine's clock. Lookups arrive in whatever order
 * their logs reach the daemon: all at once, live, in daily batches, two
 * registers at different paces, or again after a restart. The engine must
 * decide the same whatever that order, so lookups are not judged as they
 * arrive but released in event-time order (time, RDW before BRP, event
 * id), once no lookup of any source can still come before them.
 *
 * Each source has a watermark: its newest time minus its declared
 * lateness (how far out of order its lines may be), raised by a floor the
 * caller sets (the daemon does that for a live source that is idle: the
 * only place the wall clock enters). The engine's clock is the lowest
 * watermark over the declared sources; what lies before it is released.
 *
 * Two kinds of line cannot take part and are decided on their own, with
 * the rules that need no history (engine_alone):
 * - late: older than its own source's watermark; its moment has passed.
 * - outlier: far in the future of its source (a workstation clock set to
 *   2099). It waits; if the source's next line confirms the jump it is
 *   ordered normally, if not it is decided on its own and the source's
 *   clock stays where it was. One bad clock cannot move the engine's.
 * Both depend only on the order of lines within their own log.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/lookup_pack.h"
#include "rules/engine_int.h"
#include "util/xmalloc.h"

/* Whether a must be released before b. */
static int
order_before(const struct oslot *sa, const struct oslot *sb)
{
	const struct oitem	*a = sa->it, *b = sb->it;
	int			 c;

	if (sa->ts != sb->ts)
		return (sa->ts < sb->ts);
	if ((a->reg == EV_REG_RDW) != (b->reg == EV_REG_RDW))
		return (a->reg == EV_REG_RDW);
	if ((c = strcmp((const char *)a->packed,
	    (const char *)b->packed)) != 0)
		return (c < 0);
	if (a->source != b->source)
		return (a->source < b->source);
	return (a->seq < b->seq);
}

/* Push onto the release heap. */
static void
order_push(struct engine *e, struct oitem *it, int64_t ts)
{
	size_t		 i, up;
	struct oslot	 t;

	if (e->noq == e->oqcap) {
		e->oqcap = e->oqcap ? e->oqcap * 2 : 1024;
		e->oq = xreallocarray(e->oq, e->oqcap, sizeof *e->oq);
	}
	i = e->noq++;
	e->oq[i].ts = ts;
	e->oq[i].it = it;
	while (i > 0 && order_before(&e->oq[i], &e->oq[up = (i - 1) / 2])) {
		t = e->oq[up];
		e->oq[up] = e->oq[i];
		e->oq[i] = t;
		i = up;
	}
}

/* Pop the first lookup from the release heap. */
static struct oitem *
order_pop(struct engine *e)
{
	struct oitem	*top = e->oq[0].it;
	struct oslot	 t;
	size_t		 i = 0, l, m;

	e->oq[0] = e->oq[--e->noq];
	for (;;) {
		m = i;
		l = 2 * i + 1;
		if (l < e->noq && order_before(&e->oq[l], &e->oq[m]))
			m = l;
		if (l + 1 < e->noq && order_before(&e->oq[l + 1], &e->oq[m]))
			m = l + 1;
		if (m == i)
			break;
		t = e->oq[m];
		e->oq[m] = e->oq[i];
		e->oq[i] = t;
		i = m;
	}
	return (top);
}

/* The ordering state of source i, created (undeclared) on first sight. */
static struct osrc *
order_src(struct engine *e, uint32_t i)
{
	size_t	 old = e->nos;

	if (i >= e->nos) {
		e->nos = (size_t)i + 1;
		e->os = xreallocarray(e->os, e->nos, sizeof *e->os);
		memset(e->os + old, 0, (e->nos - old) * sizeof *e->os);
		for (; old < e->nos; old++) {
			e->os[old].max_ts = INT64_MIN;
			e->os[old].floor = INT64_MIN;
			e->os[old].lateness = e->set.lateness;
		}
	}
	return (&e->os[i]);
}

/* A source's watermark: no line of it is expected before this time. */
static int64_t
order_watermark(const struct osrc *s)
{
	int64_t	 w = INT64_MIN;

	if (s->max_ts != INT64_MIN)
		w = s->max_ts - s->lateness;
	return (s->floor > w ? s->floor : w);
}

/* The engine's release point: the lowest watermark of the sources. */
int64_t
engine_watermark(const struct engine *e)
{
	int64_t	 w, low = INT64_MAX;
	size_t	 i;

	for (i = 0; i < e->nos; i++) {
		if (!e->os[i].declared && e->os[i].max_ts == INT64_MIN)
			continue;
		/* Read to its end; a suspect still waits for its turn. */
		if (e->os[i].done && !e->os[i].has_suspect)
			continue;
		if ((w = order_watermark(&e->os[i])) < low)
			low = w;
	}
	return (low == INT64_MAX ? INT64_MIN : low);
}

/* A queued lookup unpacked, valid until the next one is. */
static struct lookup *
order_unpack(const struct engine *e, const struct oitem *it)
{
	lookup_unpack(e->orel, it->packed);
	return (e->orel);
}

/* Take, in order, every queued lookup before t. */
static void
order_take_before(struct engine *e, int64_t t)
{
	struct oitem	*it;

	while (e->noq > 0 && e->oq[0].ts < t) {
		it = order_pop(e);
		engine_take(e, order_unpack(e, it));
		free(it);
		e->released++;
	}
}

/* Release every lookup before the release point, then let time pass. */
static void
order_release(struct engine *e)
{
	int64_t	 w = engine_watermark(e);

	if (w == INT64_MIN)
		return;
	order_take_before(e, w);
	engine_run_until(e, w - 1);
}

/* Declare a source and how late its lines may come, µs. */
void
engine_source(struct engine *e, uint32_t i, int64_t lateness)
{
	struct osrc	*s = order_src(e, i);

	s->declared = 1;
	s->lateness = lateness < 0 ? 0 : lateness;
}

/*
 * Promise that source i has nothing before t (a live source that is idle);
 * the floor only rises.
 */
void
engine_source_floor(struct engine *e, uint32_t i, int64_t t)
{
	struct osrc	*s = order_src(e, i);

	if (t > s->floor) {
		s->floor = t;
		order_release(e);
	}
}

/*
 * Source i will give no more lines (wachter scan has read its files to
 * their end): it holds nothing back, so a register whose history is empty
 * does not keep every other lookup waiting until the end of the scan. Not
 * saved: the daemon that follows a scan reads that source's live path.
 */
void
engine_source_done(struct engine *e, uint32_t i)
{
	struct osrc	*s = order_src(e, i);

	if (!s->done) {
		s->done = 1;
		order_release(e);
	}
}

/* Put a copy of a lookup on the release heap with its arrival number. */
static void
order_push_copy(struct engine *e, const struct lookup *ev, uint64_t seq)
{
	struct oitem	*it;

	if (e->orel == NULL) {
		e->orel = xcalloc(1, sizeof *e->orel);
		lookup_init(e->orel);
	}
	it = xmalloc(sizeof *it + lookup_pack_size(ev));
	it->seq = seq;
	it->source = ev->source;
	it->reg = ev->reg;
	lookup_pack(ev, it->packed);
	order_push(e, it, ev->ts);
}

/* Queue a lookup for release in time order. */
static void
order_queue(struct engine *e, struct osrc *s, const struct lookup *ev)
{
	order_push_copy(e, ev, s->seq++);
	if (ev->ts > s->max_ts)
		s->max_ts = ev->ts;
}

/* The newest time of any other source, for a source's first line. */
static int64_t
order_newest(const struct engine *e, const struct osrc *self)
{
	int64_t	 t = INT64_MIN;
	size_t	 i;

	for (i = 0; i < e->nos; i++)
		if (&e->os[i] != self && e->os[i].max_ts > t)
			t = e->os[i].max_ts;
	return (t);
}

/* Decide a suspect line on its own: no later line confirmed its time. */
static void
order_outlier(struct engine *e, struct osrc *s)
{
	engine_alone(e, s->suspect, ENGINE_OUTLIER);
	e->outliers++;
	s->has_suspect = 0;
}

/* Keep a line far ahead of its log until the next line says more. */
static void
order_suspect(struct osrc *s, const struct lookup *ev)
{
	if (s->suspect == NULL) {
		s->suspect = xcalloc(1, sizeof *s->suspect);
		lookup_init(s->suspect);
	}
	lookup_copy(s->suspect, ev);
	s->has_suspect = 1;
}

/* Take one lookup (the engine's front door). */
void
engine_feed(struct engine *e, const struct lookup *ev)
{
	struct osrc	*s = order_src(e, ev->source);
	int64_t		 newest;

	if (s->has_suspect) {
		if (ev->ts >= s->suspect->ts - e->set.jump) {
			s->has_suspect = 0;	/* the jump was real */
			order_queue(e, s, s->suspect);
		} else
			order_outlier(e, s);
	}
	newest = s->max_ts != INT64_MIN ? s->max_ts : order_newest(e, s);
	if (e->set.jump > 0 && newest != INT64_MIN &&
	    ev->ts > newest + e->set.jump)
		order_suspect(s, ev);
	else if (ev->ts < order_watermark(s) ||
	    ev->ts < engine_watermark(e)) {
		engine_alone(e, ev, ENGINE_LATE);
		e->late++;
	} else
		order_queue(e, s, ev);
	order_release(e);
}

/* End of input: decide whatever waits, in order. */
void
order_end(struct engine *e)
{
	size_t	 i;

	for (i = 0; i < e->nos; i++) {
		if (e->os[i].has_suspect) {
			order_queue(e, &e->os[i], e->os[i].suspect);
			e->os[i].has_suspect = 0;
		}
	}
	order_take_before(e, INT64_MAX);
}

/* Free the ordering state. */
void
order_free(struct engine *e)
{
	size_t	 i;

	for (i = 0; i < e->noq; i++)
		free(e->oq[i].it);
	if (e->orel != NULL)
		lookup_free(e->orel);
	free(e->orel);
	for (i = 0; i < e->nos; i++) {
		if (e->os[i].suspect != NULL)
			lookup_free(e->os[i].suspect);
		free(e->os[i].suspect);
	}
	free(e->oq);
	free(e->os);
}

/* Counters: lookups released in order, decided late, outliers. */
void
engine_counts(const struct engine *e, uint64_t *released, uint64_t *late,
    uint64_t *outliers, size_t *waiting)
{
	*released = e->released;
	*late = e->late;
	*outliers = e->outliers;
	*waiting = e->noq;
}

/*
 * Durable form: one "s" line per source (declared, lateness, newest time,
 * floor, next sequence number), then "o" lines for queued lookups and
 * "q" lines for suspects, both in the hold line layout.
 */
void
order_export(const struct engine *e, struct buf *b)
{
	const struct osrc	*s;
	size_t			 i;

	for (i = 0; i < e->nos; i++) {
		s = &e->os[i];
		buf_printf(b, "s\t%zu\t%d\t%" PRId64 "\t%" PRId64 "\t%" PRId64
		    "\t%" PRIu64 "\n", i, s->declared, s->lateness, s->max_ts,
		    s->floor, s->seq);
		if (s->has_suspect) {
			buf_adds(b, "q\t");
			hold_export(e, NULL, s->suspect, b);
		}
	}
	for (i = 0; i < e->noq; i++) {
		buf_printf(b, "o\t%" PRIu64 "\t", e->oq[i].it->seq);
		hold_export(e, NULL, order_unpack(e, e->oq[i].it), b);
	}
}

/* Read back one "s" line. */
int
order_import_source(struct engine *e, const char *line)
{
	struct osrc	*s;
	unsigned	 i;
	int		 declared;
	int64_t		 lateness, max_ts, floor;
	uint64_t	 seq;

	if (sscanf(line, "%u\t%d\t%" SCNd64 "\t%" SCNd64 "\t%" SCNd64 "\t%"
	    SCNu64, &i, &declared, &lateness, &max_ts, &floor, &seq) != 6 ||
	    i >= ENGINE_SOURCES_MAX)
		return (-1);
	s = order_src(e, i);
	s->declared |= declared;
	s->max_ts = max_ts;
	s->floor = floor;
	s->seq = seq;
	return (0);
}

/* Read back a queued lookup ("o", with its sequence) or a suspect ("q"). */
void
order_import_lookup(struct engine *e, const struct lookup *ev, int suspect,
    uint64_t seq)
{
	if (suspect)
		order_suspect(order_src(e, ev->source), ev);
	else
		order_push_copy(e, ev, seq);
}
