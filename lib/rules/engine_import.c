/*
 * engine_import.c: read back the state written by engine_holds_export
 * (held lookups and open incidents), after a restart. A state whose hash
 * does not match is refused before the engine is touched; a line that
 * does not parse is an error with its line number, after which the
 * engine is to be thrown away. A state without header (version 1, held
 * lookups only) is still read, and so are version 2 (before the sources'
 * clocks were kept) and 3 (before provisional alerts were held).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine_int.h"
#include "util/tsv.h"
#include "util/xmalloc.h"

#define HOLD_FIELDS	22

/* Split a line on tabs, unescaping fields in place. */
static int
hold_split(char *line, char **f, int max)
{
	char	*p = line;
	int	 n = 0;

	while (n < max && (f[n] = tsv_next(&p)) != NULL)
		n++;
	return (n);
}

/* Copy a field into a fixed-size event string. */
static int
hold_copy(char *dst, size_t size, const char *src)
{
	if (strlen(src) >= size)
		return (-1);
	memcpy(dst, src, strlen(src) + 1);
	return (0);
}

/* Fill an event's subjects from "KRVvalue," items. */
static int
hold_subjects(struct lookup *ev, char *s)
{
	char		*p;
	struct subject	*sj;

	while ((p = strsep(&s, ",")) != NULL) {
		if (*p == '\0')
			continue;
		if (strlen(p) < 4 || strlen(p + 3) >= SUBJ_VALUE_MAX)
			return (-1);
		sj = lookup_add_subject(ev, p + 3, strlen(p + 3),
		    (enum subj_kind)(p[0] - '0'), (enum subj_role)(p[1] - '0'));
		if (sj == NULL)
			return (-1);
		sj->valid = p[2] == '1';
	}
	return (0);
}

/* Within years 1 to 9999, in µs (a fuzzer found a held time near INT64_MAX). */
#define HOLD_TS_MAX	(INT64_C(253402300799) * 1000000)
#define HOLD_TS_OK(t)	((t) >= -HOLD_TS_MAX && (t) <= HOLD_TS_MAX)

/* Rule bits from a comma list of rule ids (unknown ids are dropped). */
static uint64_t
hold_bits(const struct ruleset *rs, char *s)
{
	char		*p;
	uint64_t	 bits = 0;
	int		 i;

	while ((p = strsep(&s, ",")) != NULL)
		if (*p != '\0' && (i = engine_rule_index(rs, p)) >= 0)
			bits |= 1ULL << i;
	return (bits);
}

/* Parse one exported line into ev; returns deadline etc. */
static int
hold_parse(const struct ruleset *rs, char *line, struct lookup *ev,
    int64_t *deadline, uint64_t *bits, int *retry)
{
	char		*f[HOLD_FIELDS];
	unsigned	 reg, req, st, fl, src;

	if (hold_split(line, f, HOLD_FIELDS) != HOLD_FIELDS)
		return (-1);
	if (sscanf(f[0], "%" SCNd64, deadline) != 1 ||
	    sscanf(f[1], "%" SCNd64, &ev->ts) != 1 ||
	    sscanf(f[2], "%" SCNd64, &ev->ts_alt) != 1 ||
	    sscanf(f[3], "%u", &reg) != 1 || sscanf(f[4], "%u", &req) != 1 ||
	    sscanf(f[5], "%u", &st) != 1 || sscanf(f[6], "%u", &fl) != 1 ||
	    sscanf(f[7], "%u", &src) != 1 || sscanf(f[8], "%d", retry) != 1 ||
	    sscanf(f[9], "%d", &ev->q_housenumber) != 1)
		return (-1);
	/* Times a parser can produce, so that adding the grace cannot overflow. */
	if (src >= ENGINE_SOURCES_MAX)
		return (-1);
	if (!HOLD_TS_OK(*deadline) || !HOLD_TS_OK(ev->ts) ||
	    (ev->ts_alt != EV_TS_NONE && !HOLD_TS_OK(ev->ts_alt)))
		return (-1);
	ev->reg = (uint8_t)reg;
	ev->request = (uint8_t)req;
	ev->status = (uint8_t)st;
	ev->flags = (uint8_t)fl;
	ev->source = src;
	*bits = hold_bits(rs, f[10]);
	if (hold_copy(ev->id, sizeof ev->id, f[11]) ||
	    hold_copy(ev->user, sizeof ev->user, f[12]) ||
	    hold_copy(ev->workstation, sizeof ev->workstation, f[13]) ||
	    hold_copy(ev->application, sizeof ev->application, f[14]) ||
	    hold_copy(ev->purpose, sizeof ev->purpose, f[15]) ||
	    hold_copy(ev->case_raw, sizeof ev->case_raw, f[16]) ||
	    hold_copy(ev->case_id, sizeof ev->case_id, f[17]) ||
	    hold_copy(ev->q_surname, sizeof ev->q_surname, f[18]) ||
	    hold_copy(ev->q_given, sizeof ev->q_given, f[19]) ||
	    hold_copy(ev->q_birthdate, sizeof ev->q_birthdate, f[20]) ||
	    hold_copy(ev->q_postcode, sizeof ev->q_postcode, f[21]))
		return (-1);
	return (0);
}

/* Read a line in the hold layout into ev. */
static int
lookup_import(struct engine *e, char *line, struct lookup *ev,
    int64_t *deadline, uint64_t *bits, int *retry)
{
	char		*tab;

	lookup_reset(ev);
	if ((tab = strrchr(line, '\t')) == NULL)
		return (-1);
	*tab++ = '\0';
	if (hold_parse(e->rs, line, ev, deadline, bits, retry) != 0 ||
	    hold_subjects(ev, tab) != 0)
		return (-1);
	return (0);
}

/* Restore a lookup waiting for its turn: "o" SEQ, or a suspect "q". */
static int
order_line(struct engine *e, char *line, struct lookup *ev, int suspect)
{
	int64_t		 deadline;
	uint64_t	 bits, seq = 0;
	int		 retry;
	char		*end;

	if (!suspect) {
		seq = strtoull(line, &end, 10);
		if (end == line || *end != '\t')
			return (-1);
		line = end + 1;
	}
	if (lookup_import(e, line, ev, &deadline, &bits, &retry) != 0)
		return (-1);
	order_import_lookup(e, ev, suspect, seq);
	return (0);
}

/* Restore one held lookup from its line; gen 0: give it a new one. */
static int
hold_import(struct engine *e, char *line, struct lookup *ev, uint32_t gen)
{
	int64_t		 deadline;
	uint64_t	 bits;
	int		 retry;
	int32_t		 h;

	if (lookup_import(e, line, ev, &deadline, &bits, &retry) != 0)
		return (-1);
	h = engine_hold(e, ev, bits);
	if (gen != 0) {
		/* Users' memories name holds by generation. */
		e->holds[h]->gen = gen;
		if (gen > e->gen)
			e->gen = gen;
	}
	e->holds[h]->deadline = deadline;
	e->holds[h]->retry = (uint8_t)retry;
	return (0);
}

/* "H" GEN then a hold line. */
static int
hold_gen_import(struct engine *e, char *line, struct lookup *ev)
{
	unsigned long	 gen;
	char		*end;

	gen = strtoul(line, &end, 10);
	if (end == line || *end != '\t' || gen == 0 || gen > UINT32_MAX)
		return (-1);
	return (hold_import(e, end + 1, ev, (uint32_t)gen));
}

/* "P" GEN INCIDENT then a hold line: a lookup alerted provisionally. */
static int
hold_prov_import(struct engine *e, char *line, struct lookup *ev)
{
	unsigned long	 gen;
	char		*end, *inc;
	struct hold	*h;

	gen = strtoul(line, &end, 10);
	if (end == line || *end != '\t' || gen == 0 || gen > UINT32_MAX)
		return (-1);
	line = end + 1;
	if ((inc = tsv_next(&line)) == NULL || line == NULL ||
	    strlen(inc) >= sizeof h->incident ||
	    hold_import(e, line, ev, (uint32_t)gen) != 0)
		return (-1);
	/* The hold just made is the last in arrival order. */
	h = e->holds[e->fifo[(e->ftail - 1) % e->fcap]];
	h->prov = 1;
	memcpy(h->incident, inc, strlen(inc) + 1);
	return (0);
}

/*
 * Check a versioned state: its header and the hash on its last line.
 * Returns the length before the last line, or 0 with *cause set.
 */
size_t
engine_state_check(const char *data, size_t len, char **cause)
{
	const char	*last;
	char		 want[32];
	size_t		 body;

	if (len < 2 || data[len - 1] != '\n') {
		xasprintf(cause, "engine state: truncated (no final line)");
		return (0);
	}
	last = memrchr(data, '\n', len - 1);
	body = last == NULL ? 0 : (size_t)(last - data) + 1;
	snprintf(want, sizeof want, "end\t%016" PRIx64 "\n",
	    symtab_hash(data, body));
	if (len - body != strlen(want) || memcmp(data + body, want,
	    strlen(want)) != 0) {
		xasprintf(cause, "engine state: truncated or damaged (hash "
		    "does not match)");
		return (0);
	}
	return (body);
}

/* Read the header line of a versioned state: version and clock. */
static int
state_header(struct engine *e, char *line, char **cause)
{
	int	 version;
	int64_t	 now;
	char	 end;

	if (sscanf(line, ENGINE_STATE_MAGIC "\t%d\t%" SCNd64 "%c", &version,
	    &now, &end) != 2) {
		xasprintf(cause, "engine state: bad header");
		return (-1);
	}
	if (version != ENGINE_STATE_VERSION && version != 3 && version != 2) {
		xasprintf(cause, "engine state: version %d, this build reads "
		    "%d", version, ENGINE_STATE_VERSION);
		return (-1);
	}
	if (now > e->now)
		e->now = now;
	return (0);
}

/* Restore one line of a versioned state by its tag. */
static int
state_line(struct engine *e, char *line, struct lookup *ev)
{
	if (strncmp(line, "h\t", 2) == 0)
		return (hold_import(e, line + 2, ev, 0));
	if (strncmp(line, "H\t", 2) == 0)
		return (hold_gen_import(e, line + 2, ev));
	if (strncmp(line, "P\t", 2) == 0)
		return (hold_prov_import(e, line + 2, ev));
	if (strncmp(line, "d\t", 2) == 0)
		return (dstat_import(e, line + 2));
	if (strncmp(line, "i\t", 2) == 0)
		return (incidents_import(e->inc, line + 2));
	if (strncmp(line, "s\t", 2) == 0)
		return (order_import_source(e, line + 2));
	if (strncmp(line, "o\t", 2) == 0 || strncmp(line, "q\t", 2) == 0)
		return (order_line(e, line + 2, ev, line[0] == 'q'));
	if (strncmp(line, "x\t", 2) == 0)
		return (reexam_import(e, line + 2));
	return (-1);
}

/*
 * Import exported state into an engine that has none of it yet: held
 * lookups, open incidents and the engine's clock.
 */
int
engine_holds_import(struct engine *e, const char *data, size_t len,
    char **cause)
{
	struct lookup	 ev;
	char		*copy, *line, *rest;
	int		 lineno = 0, versioned;
	size_t		 magic = strlen(ENGINE_STATE_MAGIC);

	versioned = len > magic && memcmp(data, ENGINE_STATE_MAGIC, magic) == 0;
	if (versioned && (len = engine_state_check(data, len, cause)) == 0)
		return (-1);
	copy = xstrndup(data, len);
	rest = copy;
	lookup_init(&ev);
	while ((line = strsep(&rest, "\n")) != NULL) {
		if (++lineno == 1 && versioned) {
			if (state_header(e, line, cause) != 0)
				goto fail;
			continue;
		}
		if (*line == '\0')
			continue;
		if ((versioned ? state_line(e, line, &ev) :
		    hold_import(e, line, &ev, 0)) != 0)
			goto bad;
	}
	lookup_free(&ev);
	free(copy);
	return (0);
bad:
	xasprintf(cause, "engine state: line %d does not parse", lineno);
fail:
	lookup_free(&ev);
	free(copy);
	return (-1);
}
