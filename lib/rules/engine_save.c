/*
 * engine_save.c: what the engine remembers of each user (sequence and
 * empty-search rings, sliding windows, baselines, the first-time filter),
 * in a durable form, one text per user. A restart must not forget: an
 * empty search at 09:00, a restart, and the explaining retry at 09:02
 * must still be a retry. The daemon stores the users changed in a batch
 * in the same transaction as the log positions.
 *
 * Lines: "u" lastday ndays seqpos emptypos; "q" slot ts holdgen owner;
 * "e" slot holdgen; "w" rule cap then hash:time pairs; "b" rule day ndays
 * mean var then pairs; "n" count cur old (hex words, "-" when none); a
 * last line with a hash of all before it. Rules are named by id, holds by
 * their generation number, so both survive a rule swap and a restart.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/symtab.h"
#include "rules/engine_int.h"
#include "util/tsv.h"
#include "util/xmalloc.h"

/* The generation of a live hold, 0 for none. */
static uint32_t
save_holdgen(const struct engine *e, int32_t hi, uint32_t gen)
{
	if (hi < 0 || (size_t)hi >= e->nholds || !e->holds[hi]->used ||
	    e->holds[hi]->gen != gen)
		return (0);
	return (gen);
}

/* A window's live entries as " hash:time" pairs. */
static void
save_set(struct buf *b, const struct wstate *w)
{
	uint32_t	 i;

	buf_printf(b, "\t%u", w->cap);
	for (i = 0; i < w->cap; i++)
		if (w->h[i] != 0)
			buf_printf(b, "\t%" PRIx64 ":%" PRId64, w->h[i],
			    w->ts[i]);
	buf_addc(b, '\n');
}

/* A bloom filter generation in hex, or "-". */
static void
save_filter(struct buf *b, const uint64_t *f)
{
	size_t	 i;

	buf_addc(b, '\t');
	if (f == NULL) {
		buf_addc(b, '-');
		return;
	}
	for (i = 0; i < NOVEL_WORDS; i++)
		buf_printf(b, "%016" PRIx64, f[i]);
}

/* The longest sequence window of the rules, µs. */
static int64_t
save_seq_within(const struct engine *e)
{
	int64_t	 w = 0;
	size_t	 i;

	for (i = 0; i < e->rs->n; i++)
		if (e->rs->rules[i].seq && e->rs->rules[i].within > w)
			w = e->rs->rules[i].within;
	return (w);
}

/*
 * Serialise one user's memories. A plate owner that no sequence can
 * complete any more is left out: it is a citizen's identifier, kept no
 * longer than a rule needs it.
 */
static void
save_user(const struct engine *e, const struct ustate *u, struct buf *b)
{
	size_t	 i, start = b->len;
	int64_t	 since = e->now - save_seq_within(e);

	buf_printf(b, "%s\t%d\nu\t%d\t%u\t%d\t%d\n", USER_STATE_MAGIC,
	    ENGINE_STATE_VERSION, u->lastday, u->ndays, u->seqpos,
	    u->emptypos);
	for (i = 0; u->seq != NULL && i < SEQ_RING; i++) {
		if (u->seq[i].owner[0] == '\0' || u->seq[i].ts < since)
			continue;
		buf_printf(b, "q\t%zu\t%" PRId64 "\t%u\t", i, u->seq[i].ts,
		    save_holdgen(e, u->seq[i].hold, u->seq[i].gen));
		tsv_add(b, u->seq[i].owner);
		buf_addc(b, '\n');
	}
	for (i = 0; i < EMPTY_RING; i++)
		if (save_holdgen(e, u->empty[i], u->emptygen[i]) != 0)
			buf_printf(b, "e\t%zu\t%u\n", i, u->emptygen[i]);
	for (i = 0; i < e->rs->n; i++) {
		const struct wstate *w = u->w != NULL && e->wslot[i] >= 0 ?
		    &u->w[e->wslot[i]] : NULL;
		const struct bstate *bs = u->b != NULL && e->bslot[i] >= 0 ?
		    &u->b[e->bslot[i]] : NULL;

		if (w != NULL && w->cap != 0) {
			buf_printf(b, "w\t%s", e->rs->rules[i].id);
			save_set(b, w);
		}
		if (bs != NULL && bs->set.cap != 0) {
			buf_printf(b, "b\t%s\t%d\t%u\t%a\t%a", e->rs->rules[i].id,
			    bs->day, bs->ndays, bs->mean, bs->var);
			save_set(b, &bs->set);
		}
	}
	if (u->nv.cur != NULL) {
		buf_printf(b, "n\t%u", u->nv.n);
		save_filter(b, u->nv.cur);
		save_filter(b, u->nv.old);
		buf_addc(b, '\n');
	}
	buf_printf(b, "end\t%016" PRIx64 "\n", symtab_hash((const char *)
	    b->data + start, b->len - start));
}

/*
 * Hand every user changed since the last call to put(), with the durable
 * form of its memories, and mark it clean.
 */
void
engine_users_export(struct engine *e, void (*put)(void *, const char *,
    const struct buf *), void *arg)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < symtab_count(e->users); i++) {
		if (!e->us[i].dirty)
			continue;
		buf_reset(&b);
		save_user(e, &e->us[i], &b);
		put(arg, symtab_str(e->users, (uint32_t)i), &b);
		e->us[i].dirty = 0;
	}
	buf_free(&b);
}

/* The index of the hold with generation gen (holds are in gen order). */
static int32_t
load_hold(const struct engine *e, uint32_t gen)
{
	size_t	 lo = 0, hi = e->nholds, mid;

	if (gen == 0)
		return (-1);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (e->holds[mid]->gen < gen)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < e->nholds && e->holds[lo]->gen == gen && e->holds[lo]->used)
		return ((int32_t)lo);
	return (-1);
}

/* Read " hash:time" pairs into a window of the given capacity. */
static int
load_set(struct wstate *w, char *s)
{
	char		*p, *end;
	unsigned long	 cap;
	uint64_t	 h;
	int64_t		 ts;

	p = strsep(&s, "\t");
	cap = strtoul(p, &end, 10);
	if (*end != '\0' || cap == 0 || cap > (1UL << 26) ||
	    (cap & (cap - 1)) != 0)
		return (-1);
	window_free(w);
	window_sweep(w, INT64_MIN, (uint32_t)cap);
	while ((p = strsep(&s, "\t")) != NULL) {
		h = strtoull(p, &end, 16);
		if (*end != ':' || h == 0)
			return (-1);
		ts = strtoll(end + 1, &end, 10);
		if (*end != '\0' || w->n + 1 >= w->cap)
			return (-1);
		window_put(w, h, ts);
	}
	return (0);
}

/* Read a filter generation from hex, or "-". */
static int
load_filter(uint64_t **f, const char *s)
{
	char	 word[17];
	size_t	 i;

	if (strcmp(s, "-") == 0)
		return (0);
	if (strlen(s) != NOVEL_WORDS * 16)
		return (-1);
	*f = xcalloc(NOVEL_WORDS, sizeof **f);
	for (i = 0; i < NOVEL_WORDS; i++) {
		memcpy(word, s + i * 16, 16);
		word[16] = '\0';
		(*f)[i] = strtoull(word, NULL, 16);
	}
	return (0);
}

/* The rule index of a rule id of the current set, -1 if gone. */
static int
load_rule(const struct engine *e, const char *id, int what)
{
	int	 i = engine_rule_index(e->rs, id);

	if (i < 0 || (what == 'w' && !e->rs->rules[i].window) ||
	    (what == 'b' && !e->rs->rules[i].base))
		return (-1);
	return (i);
}

/* One line of a user's memories. */
static int
load_line(struct engine *e, struct ustate *u, char *line)
{
	struct bstate	*bs;
	char		*f[6], *rest = line + 2;
	int		 n, i, slot;
	unsigned	 gen;
	int64_t		 ts;

	switch (line[0]) {
	case 'u':
		return (sscanf(rest, "%d\t%u\t%d\t%d", &u->lastday, &u->ndays,
		    &u->seqpos, &u->emptypos) == 4 ? 0 : -1);
	case 'q':
		for (n = 0; n < 4 && (f[n] = tsv_next(&rest)) != NULL; n++)
			;
		if (n != 4 || sscanf(f[0], "%d", &slot) != 1 || slot < 0 ||
		    slot >= SEQ_RING || sscanf(f[1], "%" SCNd64, &ts) != 1 ||
		    sscanf(f[2], "%u", &gen) != 1 ||
		    strlen(f[3]) >= SUBJ_VALUE_MAX)
			return (-1);
		if (u->seq == NULL)
			u->seq = xcalloc(SEQ_RING, sizeof *u->seq);
		memcpy(u->seq[slot].owner, f[3], strlen(f[3]) + 1);
		u->seq[slot].ts = ts;
		u->seq[slot].hold = load_hold(e, gen);
		u->seq[slot].gen = gen;
		return (0);
	case 'e':
		if (sscanf(rest, "%d\t%u", &slot, &gen) != 2 || slot < 0 ||
		    slot >= EMPTY_RING)
			return (-1);
		u->empty[slot] = load_hold(e, gen);
		u->emptygen[slot] = gen;
		if (u->empty[slot] >= 0)
			u->emptyts[slot] = e->holds[u->empty[slot]]->ts;
		return (0);
	case 'w':
		f[0] = strsep(&rest, "\t");
		if (rest == NULL)
			return (-1);
		if ((i = load_rule(e, f[0], 'w')) < 0)
			return (0);	/* the rule is gone */
		if (u->w == NULL)
			u->w = xcalloc(e->nwslot, sizeof *u->w);
		return (load_set(&u->w[e->wslot[i]], rest));
	case 'b':
		for (n = 0; n < 5 && (f[n] = strsep(&rest, "\t")) != NULL; n++)
			;
		if (n != 5 || rest == NULL)
			return (-1);
		if ((i = load_rule(e, f[0], 'b')) < 0)
			return (0);
		if (u->b == NULL)
			u->b = xcalloc(e->nbslot, sizeof *u->b);
		bs = &u->b[e->bslot[i]];
		if (sscanf(f[1], "%d", &bs->day) != 1 ||
		    sscanf(f[2], "%u", &bs->ndays) != 1 ||
		    sscanf(f[3], "%la", &bs->mean) != 1 ||
		    sscanf(f[4], "%la", &bs->var) != 1)
			return (-1);
		return (load_set(&bs->set, rest));
	case 'n':
		for (n = 0; n < 3 && (f[n] = strsep(&rest, "\t")) != NULL; n++)
			;
		if (n != 3 || rest != NULL ||
		    sscanf(f[0], "%u", &u->nv.n) != 1 ||
		    load_filter(&u->nv.cur, f[1]) != 0 ||
		    load_filter(&u->nv.old, f[2]) != 0)
			return (-1);
		return (0);
	}
	return (-1);
}

/*
 * Give a user back its memories, after the held lookups were imported
 * (the rings name holds by generation). A damaged text is refused with
 * its cause; the engine is then to be thrown away.
 */
int
engine_user_import(struct engine *e, const char *user, const char *data,
    size_t len, char **cause)
{
	struct ustate	*u;
	char		*copy, *line, *rest;
	size_t		 body;
	int		 lineno = 0, version;

	if ((body = engine_state_check(data, len, cause)) == 0)
		return (-1);
	copy = xstrndup(data, body);
	rest = copy;
	u = engine_user(e, user);
	while ((line = strsep(&rest, "\n")) != NULL) {
		if (++lineno == 1) {
			if (sscanf(line, USER_STATE_MAGIC "\t%d", &version) !=
			    1 || (version != ENGINE_STATE_VERSION &&
			    version != 3))	/* 4 changed no user line */
				goto bad;
			continue;
		}
		if (*line == '\0')
			continue;
		if (strlen(line) < 2 || line[1] != '\t' ||
		    load_line(e, u, line) != 0)
			goto bad;
	}
	free(copy);
	return (0);
bad:
	xasprintf(cause, "state of user %s: line %d does not parse", user,
	    lineno);
	free(copy);
	return (-1);
}
