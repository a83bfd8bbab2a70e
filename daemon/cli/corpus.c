/*
 * corpus.c: the logs of a corpus as one stream of lookups. Each stream is
 * a plain log, or a records log and its partner joined by lib/parse/ldv
 * (the two files merged as they were written: lines that are not events
 * at once, then the earlier time, records first on a tie). The streams
 * are merged by time, one outcome of lookahead each; malformed lines and
 * groups go out at once.
 *
 * A join hands out groups as they complete, which is not the order of
 * their times (a trace completes when its last line is written and has
 * lingered); the engine is fed by time, as from the vendor's log, so a
 * join's lookups pass a window of CORPUS_REORDER that gives out the
 * earliest.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "cli/corpus.h"
#include "parse/json.h"
#include "parse/ldv.h"
#include "parse/parser.h"
#include "parse/srcdef.h"
#include "slurp.h"
#include "source/lines.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define CORPUS_STREAMS	8
#define CORPUS_DEFS	8
#define CORPUS_REORDER	4096	/* >= the join's wait_lines */
#define CORPUS_LINE	(1024 * 1024)	/* as the daemon's max_line default */

/* One input file with a parsed line of lookahead. */
struct corpus_in {
	char		*file;
	struct lines	*lines;
	struct parser	*parser;
	struct lookup	 ev;
	struct line	 ln;
	enum parse_rc	 rc;
	const char	*reason;
	int		 have;		/* a line is waiting */
	int		 eof;
};

/* A plain log (one input) or a joined pair (records, partner). */
struct corpus_stream {
	struct corpus_in	 in[2];
	int			 nin;
	struct ldv		*ldv;
	int			 flushed;
	uint32_t		 index;
	const struct srcdef	*def;	/* of its (records) log */
	int			 have;	/* item is waiting */
	int			 eof;
	struct corpus_item	 item;
	int64_t			 ts;	/* of item; bad: INT64_MIN */
	char			 id[EV_ID_MAX];
	struct lookup		**heap;	/* join: the reorder window */
	size_t			 nheap;
	struct lookup		*out;	/* join: the lookup given out */
};

struct corpus {
	const char		*sourcedir;
	struct srcdef		*defs[CORPUS_DEFS];
	int			 ndefs;
	struct corpus_stream	*s[CORPUS_STREAMS];
	int			 ns;
	struct corpus_stats	 st;
	struct json		 j;	/* the manifest */
	struct buf		 mb;
	int			 manifest;
};

/* A corpus reader that finds source definitions in a folder. */
struct corpus *
corpus_new(const char *sourcedir)
{
	struct corpus	*c;

	c = xcalloc(1, sizeof *c);
	c->sourcedir = sourcedir;
	json_init(&c->j, 1 << 16, JSON_DEPTH_MAX);
	buf_init(&c->mb);
	return (c);
}

/* Close an input. */
static void
corpus_in_close(struct corpus_in *in)
{
	if (in->lines != NULL)
		lines_close(in->lines);
	if (in->parser != NULL)
		parser_free(in->parser);
	lookup_free(&in->ev);
	free(in->file);
}

/* Free a lookup of the reorder window. */
static void
corpus_lookup_free(struct lookup *ev)
{
	if (ev != NULL) {
		lookup_free(ev);
		free(ev);
	}
}

/* Free a join's reorder window. */
static void
corpus_heap_free(struct corpus_stream *s)
{
	size_t	 i;

	for (i = 0; i < s->nheap; i++)
		corpus_lookup_free(s->heap[i]);
	free(s->heap);
	corpus_lookup_free(s->out);
}

/* Whether lookup a goes before b (by time, then id). */
static int
corpus_before(const struct lookup *a, const struct lookup *b)
{
	if (a->ts != b->ts)
		return (a->ts < b->ts);
	return (strcmp(a->id, b->id) < 0);
}

/* Put a copy of a lookup into the window. */
static void
corpus_heap_push(struct corpus_stream *s, const struct lookup *ev)
{
	struct lookup	*e, *t;
	size_t		 i, up;

	e = xmalloc(sizeof *e);
	lookup_init(e);
	lookup_copy(e, ev);
	i = s->nheap++;
	s->heap[i] = e;
	while (i > 0 && corpus_before(s->heap[i], s->heap[up = (i - 1) / 2])) {
		t = s->heap[up];
		s->heap[up] = s->heap[i];
		s->heap[i] = t;
		i = up;
	}
}

/* Take the earliest lookup out of the window (owned by the caller). */
static struct lookup *
corpus_heap_pop(struct corpus_stream *s)
{
	struct lookup	*top = s->heap[0], *t;
	size_t		 i = 0, k;

	s->heap[0] = s->heap[--s->nheap];
	for (;;) {
		k = 2 * i + 1;
		if (k >= s->nheap)
			break;
		if (k + 1 < s->nheap && corpus_before(s->heap[k + 1],
		    s->heap[k]))
			k++;
		if (!corpus_before(s->heap[k], s->heap[i]))
			break;
		t = s->heap[k];
		s->heap[k] = s->heap[i];
		s->heap[i] = t;
		i = k;
	}
	return (top);
}

/* Free the reader, its streams and definitions. */
void
corpus_free(struct corpus *c)
{
	int	 i, k;

	if (c == NULL)
		return;
	for (i = 0; i < c->ns; i++) {
		for (k = 0; k < c->s[i]->nin; k++)
			corpus_in_close(&c->s[i]->in[k]);
		if (c->s[i]->ldv != NULL)
			ldv_free(c->s[i]->ldv);
		corpus_heap_free(c->s[i]);
		free(c->s[i]);
	}
	for (i = 0; i < c->ndefs; i++)
		srcdef_free(c->defs[i]);
	json_free(&c->j);
	buf_free(&c->mb);
	free(c);
}

/* Load the definition of a format from the sources folder (cached). */
static struct srcdef *
corpus_def(struct corpus *c, const char *name, char **cause)
{
	struct srcdef	*sd = NULL;
	struct buf	 b;
	char		*path;
	int		 i;

	for (i = 0; i < c->ndefs; i++) {
		if (strcmp(c->defs[i]->name, name) == 0)
			return (c->defs[i]);
	}
	if (c->ndefs == CORPUS_DEFS) {
		xasprintf(cause, "too many formats");
		return (NULL);
	}
	xasprintf(&path, "%s/%s.yaml", c->sourcedir, name);
	buf_init(&b);
	if (slurp_file(path, &b, cause) == 0)
		sd = srcdef_load(path, (const char *)b.data, b.len, cause);
	buf_free(&b);
	free(path);
	if (sd != NULL)
		c->defs[c->ndefs++] = sd;
	return (sd);
}

/* Open an input for a definition. */
static int
corpus_in_open(struct corpus_in *in, const char *file, const struct srcdef *sd,
    char **cause)
{
	in->file = xstrdup(file);
	lookup_init(&in->ev);
	/*
	 * As the daemon: a line over the format's max_line is still read
	 * (flagged damaged); one over CORPUS_LINE is cut and quarantined.
	 */
	if ((in->lines = lines_open(file, sd->max_line > CORPUS_LINE ?
	    sd->max_line : CORPUS_LINE, cause)) == NULL)
		return (-1);
	in->parser = parser_new(sd);
	return (0);
}

/* Read and parse the next line into the lookahead; 0 at the end. */
static int
corpus_in_next(struct corpus_in *in, char **cause)
{
	int	 rc;

	if (in->have)
		return (1);
	if (in->eof)
		return (0);
	if ((rc = lines_next(in->lines, &in->ln, cause)) <= 0) {
		in->eof = 1;
		return (rc);
	}
	in->reason = NULL;
	in->rc = parser_line(in->parser, in->ln.data, in->ln.len, &in->ev,
	    &in->reason);
	if (in->ln.full > in->ln.len) {
		in->rc = PARSE_BAD;
		in->reason = "line too long";
	}
	in->have = 1;
	return (1);
}

/* Add a stream of one or two inputs (records first). */
/* A format's lateness, as the daemon takes it when none is configured. */
static int64_t
corpus_def_lateness(const struct srcdef *sd)
{
	return (sd->lateness > 0 ? sd->lateness : CONF_LATENESS_DEFAULT);
}

/* How far out of order stream i's lookups may be; -1: no such stream. */
int64_t
corpus_lateness(const struct corpus *c, uint32_t i)
{
	if (i >= (uint32_t)c->ns)
		return (-1);
	return (corpus_def_lateness(c->s[i]->def));
}

static int
corpus_stream(struct corpus *c, const char *file, const struct srcdef *sd,
    const char *pfile, const struct srcdef *psd, char **cause)
{
	struct corpus_stream	*s;
	struct ldv_limits	 lim;

	if (c->ns == CORPUS_STREAMS) {
		xasprintf(cause, "too many logs");
		return (-1);
	}
	s = xcalloc(1, sizeof *s);
	s->index = (uint32_t)c->ns;
	s->def = sd;
	c->s[c->ns++] = s;
	s->nin = psd != NULL ? 2 : 1;
	if (corpus_in_open(&s->in[0], file, sd, cause) != 0)
		return (-1);
	if (psd == NULL)
		return (0);
	if (corpus_in_open(&s->in[1], pfile, psd, cause) != 0)
		return (-1);
	ldv_limits_default(&lim);
	s->ldv = ldv_new(sd, psd, &lim);
	/* As the daemon's join with its sources' default lateness. */
	ldv_lateness(s->ldv, LDV_RECORDS, corpus_def_lateness(sd));
	ldv_lateness(s->ldv, LDV_PARTNER, corpus_def_lateness(psd));
	s->heap = xreallocarray(NULL, CORPUS_REORDER + 1, sizeof *s->heap);
	return (0);
}

/*
 * Add a log in a format; a partner format is read joined with its records
 * log (records), which a records format cannot be read without.
 */
int
corpus_add(struct corpus *c, const char *file, const char *format,
    const char *records, char **cause)
{
	struct srcdef	*sd, *rsd;

	if ((sd = corpus_def(c, format, cause)) == NULL)
		return (-1);
	if (sd->join == SD_JOIN_NONE)
		return (corpus_stream(c, file, sd, NULL, NULL, cause));
	if (sd->join == SD_JOIN_RECORDS) {
		xasprintf(cause, "%s: format %s is read together with its "
		    "partner log", file, format);
		return (-1);
	}
	if (records == NULL) {
		xasprintf(cause, "%s: format %s needs its %s log", file,
		    format, sd->with);
		return (-1);
	}
	if ((rsd = corpus_def(c, sd->with, cause)) == NULL)
		return (-1);
	if (rsd->join != SD_JOIN_RECORDS) {
		xasprintf(cause, "%s: format %s is not a records format",
		    rsd->file, rsd->name);
		return (-1);
	}
	return (corpus_stream(c, records, rsd, file, sd, cause));
}

/* A string member of manifest entry i; -1 if there is none. */
static int
corpus_manifest_str(struct corpus *c, int logs, int i, const char *key,
    char *dst, size_t dstsz)
{
	int	 t;

	t = json_get(&c->j, json_child(&c->j, logs, (uint32_t)i), key,
	    strlen(key), 0);
	if (t < 0 || c->j.tok[t].type != JSON_STRING)
		return (-1);
	return (json_str(&c->j, t, dst, dstsz, NULL));
}

/* Add manifest log i, finding the records log of a partner format. */
static int
corpus_manifest_log(struct corpus *c, const char *dir, int logs, int i,
    char **cause)
{
	struct srcdef	*sd;
	char		 file[256], fmt[64], rfile[256], rfmt[64];
	char		*log, *rlog = NULL;
	int		 k, rc;

	if (corpus_manifest_str(c, logs, i, "file", file, sizeof file) != 0 ||
	    corpus_manifest_str(c, logs, i, "format", fmt, sizeof fmt) != 0) {
		xasprintf(cause, "%s/manifest.json: log %d lacks file or "
		    "format", dir, i);
		return (-1);
	}
	if ((sd = corpus_def(c, fmt, cause)) == NULL)
		return (-1);
	if (sd->join == SD_JOIN_RECORDS)
		return (0);
	for (k = 0; sd->join == SD_JOIN_PARTNER &&
	    k < (int)c->j.tok[logs].n && rlog == NULL; k++) {
		if (corpus_manifest_str(c, logs, k, "format", rfmt,
		    sizeof rfmt) == 0 && strcmp(rfmt, sd->with) == 0 &&
		    corpus_manifest_str(c, logs, k, "file", rfile,
		    sizeof rfile) == 0)
			xasprintf(&rlog, "%s/%s", dir, rfile);
	}
	xasprintf(&log, "%s/%s", dir, file);
	rc = corpus_add(c, log, fmt, rlog, cause);
	free(log);
	free(rlog);
	return (rc);
}

/* Add every log a corpus folder's manifest.json lists. */
int
corpus_open_dir(struct corpus *c, const char *dir, char **cause)
{
	char		*path;
	const char	*why;
	int		 logs, i, rc = -1;

	xasprintf(&path, "%s/manifest.json", dir);
	if (slurp_file(path, &c->mb, cause) != 0)
		goto out;
	if (json_parse(&c->j, (const char *)c->mb.data, c->mb.len,
	    &why) != 0) {
		xasprintf(cause, "%s: %s", path, why);
		goto out;
	}
	c->manifest = 1;
	if ((logs = json_get(&c->j, 0, "logs", 4, 0)) < 0 ||
	    c->j.tok[logs].type != JSON_ARRAY) {
		xasprintf(cause, "%s: no list of logs", path);
		goto out;
	}
	for (i = 0; i < (int)c->j.tok[logs].n; i++) {
		if (corpus_manifest_log(c, dir, logs, i, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	free(path);
	return (rc);
}

/* A number at the top of the manifest; 0 if there is none. */
int
corpus_manifest_int(const struct corpus *c, const char *key)
{
	char	 tmp[32];
	int	 t;

	if (!c->manifest)
		return (0);
	t = json_get(&c->j, 0, key, strlen(key), 0);
	if (t < 0 || json_str(&c->j, t, tmp, sizeof tmp, NULL) != 0)
		return (0);
	return (atoi(tmp));
}

/* Set the waiting item of a stream from a parsed line or a lookup. */
static void
corpus_set(struct corpus_stream *s, const struct lookup *ev, const char *file,
    uint64_t lineno, const char *id, const char *reason)
{
	s->item.ev = ev;
	s->item.file = file;
	s->item.lineno = lineno;
	s->item.id = id;
	s->item.reason = reason;
	s->ts = ev != NULL ? ev->ts : INT64_MIN;
	if (ev != NULL)
		((struct lookup *)ev)->source = s->index;
}

/* The next outcome of a plain log; 0 at the end. */
static int
corpus_fill_plain(struct corpus_stream *s, char **cause)
{
	struct corpus_in	*in = &s->in[0];
	int			 rc;

	for (;;) {
		in->have = 0;
		if ((rc = corpus_in_next(in, cause)) <= 0)
			return (rc);
		if (in->rc == PARSE_EVENT) {
			corpus_set(s, &in->ev, in->file, in->ln.lineno, "",
			    NULL);
			return (1);
		}
		if (in->rc != PARSE_BAD)
			continue;
		s->id[0] = '\0';
		parser_salvage(in->parser, in->ln.data, in->ln.len,
		    PARSER_SALVAGE_ID, s->id, sizeof s->id);
		corpus_set(s, NULL, in->file, in->ln.lineno, s->id,
		    in->reason);
		return (1);
	}
}

/* Which input of a join goes next: lines that are not events at once. */
static int
corpus_pick(struct corpus_in *in)
{
	if (!in[0].have)
		return (1);
	if (!in[1].have || in[0].rc != PARSE_EVENT)
		return (0);
	if (in[1].rc != PARSE_EVENT)
		return (1);
	return (in[1].ev.ts < in[0].ev.ts);
}

/* Give out the earliest lookup of a join's window. */
static int
corpus_join_out(struct corpus_stream *s)
{
	s->out = corpus_heap_pop(s);
	corpus_set(s, s->out, s->in[1].file, 0, "", NULL);
	return (1);
}

/*
 * The next outcome of a join, 0 at the end: a malformed group at once, a
 * lookup when the window is full or the logs are done.
 */
static int
corpus_fill_join(struct corpus_stream *s, char **cause)
{
	struct corpus_in	*in = s->in;
	struct ldv_out		 o;
	int			 i;

	corpus_lookup_free(s->out);
	s->out = NULL;
	for (;;) {
		if (s->nheap > CORPUS_REORDER)
			return (corpus_join_out(s));
		if (ldv_next(s->ldv, &o)) {
			if (!o.bad) {
				corpus_heap_push(s, o.ev);
				continue;
			}
			corpus_set(s, NULL, in[1].file, 0, o.id, o.reason);
			return (1);
		}
		if (s->flushed)
			return (s->nheap > 0 ? corpus_join_out(s) : 0);
		if (corpus_in_next(&in[0], cause) < 0 ||
		    corpus_in_next(&in[1], cause) < 0)
			return (-1);
		if (!in[0].have && !in[1].have) {
			ldv_flush(s->ldv);
			s->flushed = 1;
			continue;
		}
		i = corpus_pick(in);
		in[i].have = 0;
		ldv_add(s->ldv, i, in[i].parser, in[i].rc, &in[i].ev,
		    in[i].reason, in[i].ln.data, in[i].ln.len,
		    in[i].ln.offset);
	}
}

/* Count an outcome given out. */
static void
corpus_count(struct corpus *c, const struct corpus_item *it)
{
	if (it->ev == NULL)
		c->st.bad++;
	else if (it->ev->flags & EV_F_NO_USER)
		c->st.unattributed++;
	else
		c->st.lookups++;
}

/*
 * The next outcome of the corpus, the earliest of the streams; 1 with
 * *it set, 0 at the end, -1 on a read error.
 */
int
corpus_next(struct corpus *c, struct corpus_item *it, char **cause)
{
	struct corpus_stream	*s, *best = NULL;
	int			 i, rc;

	for (i = 0; i < c->ns; i++) {
		s = c->s[i];
		if (!s->have && !s->eof) {
			if (s->ldv != NULL)
				rc = corpus_fill_join(s, cause);
			else
				rc = corpus_fill_plain(s, cause);
			if (rc < 0)
				return (-1);
			s->have = rc;
			s->eof = !rc;
		}
		if (s->have && (best == NULL || s->ts < best->ts))
			best = s;
	}
	if (best == NULL)
		return (0);
	best->have = 0;
	*it = best->item;
	corpus_count(c, it);
	return (1);
}

/* What has been given out so far. */
const struct corpus_stats *
corpus_stats(const struct corpus *c)
{
	return (&c->st);
}
