/*
 * pipeline.c: source -> parse -> engine -> alert -> chain -> store.
 *
 * A pipeline lives exactly as long as one database connection. It is
 * built from what the database committed (log positions, held lookups,
 * reference data, the chain) and torn down when the connection fails or a
 * transaction does not commit; the next connection builds a fresh one from
 * the committed state and reads the logs again from the committed
 * positions. There is one recovery path, and kill -9 takes it too.
 *
 * Lines are taken in batches. One transaction commits a batch's alerts
 * (as chain records), quarantined lines, the new log positions and the
 * engine's durable state together, so a line is examined exactly once.
 * While a batch is in flight, or when one is full, reading pauses
 * (backpressure): memory is bounded by the batch size.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "enrich/symtab.h"
#include "slurp.h"
#include "log.h"
#include "parse/ldv.h"
#include "parse/parser.h"
#include "parse/srcdef.h"
#include "ops/pipeline.h"
#include "ops/scan.h"
#include "store/chainstore.h"
#include "store/ledger.h"
#include "store/pseudostore.h"
#include "store/refdb.h"
#include "store/statebox.h"
#include "util/xmalloc.h"
#include "ops/wachterd.h"

#define PIPE_RAW_MAX	(64 * 1024)	/* bytes of a bad line kept */
/*
 * When catching up, a source may run at most this far ahead (in event
 * time) of another source that still has unread lines, so that the engine
 * sees lookups of all registers in time order (a plate lookup in one log,
 * the owner's address in another).
 */
#define PIPE_SKEW	(10 * INT64_C(1000000))

/* Where one file of a source has been read up to in this batch. */
struct filepos {
	struct tail_pos	 pos;
	char		*path;
	uint64_t	 lines;
};

struct src {
	struct pipeline		*p;
	uint32_t		 idx;
	const struct conf_source *cs;
	struct srcdef		*def;
	struct parser		*parser;
	struct tail		*tail;
	struct ldv		*join;		/* records source of a join */
	struct src		*records;	/* partner: its records source */
	struct src		*partner;	/* records: its partner source */
	struct symtab		*done;		/* keys handed on before */
	struct buf		 donenew;	/* keys handed on, this batch */
	uint64_t		 readpos;	/* end of the last line read */
	struct lookup		 ev;
	int			 lagging;	/* has unread lines */
	int			 ahead;		/* paused for the others */
	int			 live;		/* newest line within max_delay */
	int			 fed;		/* has given a lookup */
	struct filepos		*pos;
	size_t			 npos;
	struct pipeline_stats	 stats;
};

struct pipeline {
	struct wachterd		*wd;
	struct src		*srcs;
	size_t			 nsrcs;
	struct ref		*ref;
	int64_t			 refversion;
	struct engine		*engine;
	struct db_txn		 txn;		/* quarantine rows so far */
	struct alert		**alerts;	/* decided, not yet sent */
	size_t			 nalerts;
	struct alert		**sent;		/* in the transaction in flight */
	size_t			 nsent;
	uint64_t		 lines;		/* in this batch */
	int64_t			 batch_start;	/* wall clock, µs */
	int			 inflight;
	int			 stopped;	/* draining: read no more */
	int64_t			 sent_at;
	struct event		*ev_kick;	/* rebalance paused sources */
	struct pipeline_totals	 totals;
};

static int	pipe_line(void *, const char *, size_t, int,
		    const struct tail_pos *);
static void	pipe_kick(int, short, void *);

/* Read and compile a source definition (a name in sources_dir, or a path). */
static struct srcdef *
pipe_load_def(const struct conf *c, const char *format, char **cause)
{
	struct srcdef	*sd = NULL;
	struct buf	 text;
	char		*path;

	if (strchr(format, '/') != NULL)
		path = xstrdup(format);
	else
		xasprintf(&path, "%s/%s.yaml", c->sources_dir, format);
	buf_init(&text);
	if (slurp_file(path, &text, cause) == 0)
		sd = srcdef_load(path, buf_cstr(&text), text.len, cause);
	buf_free(&text);
	free(path);
	return (sd);
}

/* Check every source definition of a configuration (for -n and reload). */
int
pipeline_check_sources(const struct conf *c, char **cause)
{
	struct srcdef	*sd;
	size_t		 i;

	for (i = 0; i < c->nsources; i++) {
		if ((sd = pipe_load_def(c, c->sources[i].format, cause)) == NULL)
			return (-1);
		srcdef_free(sd);
	}
	return (0);
}

/*
 * How far out of time order a source's lines may be: as configured, else
 * as its format says (a Logboek is written when a trace ends), else 15m.
 */
static int64_t
pipe_lateness(const struct src *s)
{
	if (s->cs->lateness >= 0)
		return (s->cs->lateness);
	return (s->def->lateness > 0 ? s->def->lateness :
	    CONF_LATENESS_DEFAULT);
}

/* Pair each join partner with the records source it names. */
static int
pipe_pair(struct pipeline *p, char **cause)
{
	struct ldv_limits	 lim;
	struct src		*s, *r;
	size_t			 i, j;

	ldv_limits_default(&lim);
	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		if (s->def->join != SD_JOIN_PARTNER)
			continue;
		for (j = 0; j < p->nsrcs; j++) {
			r = &p->srcs[j];
			if (r->def->join == SD_JOIN_RECORDS && r->join == NULL &&
			    strcmp(r->def->name, s->def->with) == 0)
				break;
		}
		if (j == p->nsrcs) {
			xasprintf(cause, "source %s: format %s must be read "
			    "together with a source of format %s", s->cs->name,
			    s->cs->format, s->def->with);
			return (-1);
		}
		r->join = ldv_new(r->def, s->def, &lim);
		ldv_lateness(r->join, LDV_RECORDS, pipe_lateness(r));
		ldv_lateness(r->join, LDV_PARTNER, pipe_lateness(s));
		r->done = symtab_new();
		buf_init(&r->donenew);
		r->partner = s;
		s->records = r;
	}
	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		if (s->def->join == SD_JOIN_RECORDS && s->join == NULL) {
			xasprintf(cause, "source %s: format %s names no user; "
			    "it needs a partner source (the application's "
			    "audit log)", s->cs->name, s->cs->format);
			return (-1);
		}
	}
	return (0);
}

/* Log tail notes (rotation, truncation) at info level: no personal data. */
static void
pipe_note(void *arg, const char *msg)
{
	char	*e = log_escape(msg, strlen(msg));

	log_info("%s", e);
	free(e);
}

/* Build the sources of the configuration. */
static int
pipe_sources(struct pipeline *p, char **cause)
{
	struct wachterd	*wd = p->wd;
	struct src	*s;
	size_t		 i;

	p->nsrcs = wd->conf->nsources;
	p->srcs = xcalloc(p->nsrcs, sizeof *p->srcs);
	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		s->p = p;
		s->idx = (uint32_t)i;
		s->cs = &wd->conf->sources[i];
		lookup_init(&s->ev);
		if ((s->def = pipe_load_def(wd->conf, s->cs->format,
		    cause)) == NULL)
			return (-1);
		s->parser = parser_new(s->def);
		s->tail = tail_new(wd->base, s->cs->name, s->cs->path,
		    wd->conf->poll_interval, (size_t)wd->conf->max_line,
		    pipe_line, pipe_note, s);
		if (wd->scan != NULL)
			scan_tail(wd->scan, i, s->tail);
	}
	return (pipe_pair(p, cause));
}

/* The source with this name, or NULL. */
static struct src *
pipe_find_src(struct pipeline *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < p->nsrcs; i++)
		if (strcmp(p->srcs[i].cs->name, name) == 0)
			return (&p->srcs[i]);
	return (NULL);
}

/* Hand the committed log positions to the tails. */
static int
pipe_load_positions(struct pipeline *p, PGconn *c, char **cause)
{
	struct tail_pos	 tp;
	struct src	*s;
	PGresult	*r;
	int		 i;

	r = PQexecParams(c, "SELECT source, dev, ino, fingerprint, path, "
	    "\"offset\" FROM wachter.source_file", 0, NULL, NULL, NULL, NULL,
	    0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading positions: %s", PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	for (i = 0; i < PQntuples(r); i++) {
		if ((s = pipe_find_src(p, PQgetvalue(r, i, 0))) == NULL)
			continue;
		memset(&tp, 0, sizeof tp);
		tp.dev = strtoull(PQgetvalue(r, i, 1), NULL, 10);
		tp.ino = strtoull(PQgetvalue(r, i, 2), NULL, 10);
		{
			size_t		 n;
			unsigned char	*fp;

			fp = PQunescapeBytea((const unsigned char *)
			    PQgetvalue(r, i, 3), &n);
			if (fp != NULL && n <= sizeof tp.fp) {
				memcpy(tp.fp, fp, n);
				tp.fplen = n;
			}
			PQfreemem(fp);
		}
		tp.path = PQgetvalue(r, i, 4);
		tp.end = tp.off = strtoull(PQgetvalue(r, i, 5), NULL, 10);
		tail_saved(s->tail, &tp);
	}
	PQclear(r);
	return (0);
}

/* The keys of joined groups decided before, whose lines may be read again. */
static int
pipe_load_join_done(struct pipeline *p, PGconn *c, char **cause)
{
	struct src	*s;
	PGresult	*r;
	int		 i;

	r = PQexec(c, "SELECT source, key FROM wachter.join_done");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading join_done: %s", PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	for (i = 0; i < PQntuples(r); i++) {
		s = pipe_find_src(p, PQgetvalue(r, i, 0));
		if (s != NULL && s->done != NULL)
			(void)symtab_intern(s->done, PQgetvalue(r, i, 1),
			    (size_t)PQgetlength(r, i, 1));
	}
	PQclear(r);
	return (0);
}

/*
 * Open row i's sealed state blob (the row named ad) into out. A plaintext
 * one, written before the state was sealed, is sealed in place now (sql
 * with the sealed blob as $1 and name, if any, as $2).
 */
static int
pipe_unseal(struct pipeline *p, PGconn *c, const PGresult *r, int i,
    const char *ad, const char *sql, const char *name, struct buf *out,
    char **cause)
{
	const char	*v[2];
	int		 len[2] = { 0, 0 }, fmt[2] = { 1, 0 }, plain;
	struct buf	 sealed;
	PGresult	*u;

	if (statebox_unseal(p->wd->box, ad, (const uint8_t *)PQgetvalue(r, i,
	    1), (size_t)PQgetlength(r, i, 1), out, &plain, cause) != 0)
		return (-1);
	if (!plain)
		return (0);
	buf_init(&sealed);
	statebox_seal(p->wd->box, ad, out->data, out->len, &sealed);
	v[0] = (const char *)sealed.data;
	len[0] = (int)sealed.len;
	v[1] = name;
	u = PQexecParams(c, sql, name != NULL ? 2 : 1, NULL, v, len, fmt, 0);
	if (PQresultStatus(u) != PGRES_COMMAND_OK)
		xasprintf(cause, "sealing %s: %s", ad, PQerrorMessage(c));
	plain = PQresultStatus(u) == PGRES_COMMAND_OK ? 0 : -1;
	PQclear(u);
	buf_free(&sealed);
	return (plain);
}

/* Bring back what the engine remembers of each user. */
static int
pipe_load_users(struct pipeline *p, PGconn *c, char **cause)
{
	PGresult	*r;
	struct buf	 b;
	char		*ad;
	int		 i, rc = 0;

	r = PQexecParams(c, "SELECT name, state FROM wachter.engine_user", 0,
	    NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading users' memories: %s",
		    PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	buf_init(&b);
	for (i = 0; i < PQntuples(r) && rc == 0; i++) {
		buf_reset(&b);
		xasprintf(&ad, "engine_user:%s", PQgetvalue(r, i, 0));
		rc = pipe_unseal(p, c, r, i, ad, "UPDATE wachter.engine_user "
		    "SET state = $1 WHERE name = $2", PQgetvalue(r, i, 0), &b,
		    cause);
		free(ad);
		if (rc == 0)
			rc = engine_user_import(p->engine, PQgetvalue(r, i, 0),
			    b.len ? (const char *)b.data : "", b.len, cause);
	}
	buf_free(&b);
	PQclear(r);
	return (rc);
}

/* Bring back the lookups held for their grace period, and open incidents. */
static int
pipe_load_engine_state(struct pipeline *p, PGconn *c, char **cause)
{
	PGresult	*r;
	struct buf	 b;
	int		 rc = 0;

	r = PQexecParams(c, "SELECT true, state FROM wachter.engine_state", 0,
	    NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading engine state: %s", PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	buf_init(&b);
	if (PQntuples(r) == 1 && (rc = pipe_unseal(p, c, r, 0, "engine_state",
	    "UPDATE wachter.engine_state SET state = $1", NULL, &b,
	    cause)) == 0)
		rc = engine_holds_import(p->engine, b.len ? (const char *)b.data :
		    "", b.len, cause);
	buf_free(&b);
	PQclear(r);
	if (rc == 0)
		rc = pipe_load_users(p, c, cause);
	return (rc);
}

/*
 * Tell the engine which sources give it lookups and how far out of order
 * each may be; it waits for all of them. A join partner gives none of its
 * own: its lines reach the engine through its records source.
 */
static void
pipe_declare_sources(struct pipeline *p)
{
	size_t	 i;

	for (i = 0; i < p->nsrcs; i++)
		if (p->srcs[i].records == NULL)
			engine_source(p->engine, p->srcs[i].idx,
			    pipe_lateness(&p->srcs[i]));
}

/*
 * Build a pipeline from what the database holds (synchronous: the
 * connection is not yet in pipeline mode).
 */
struct pipeline *
pipeline_new(struct wachterd *wd, PGconn *c, char **cause)
{
	struct pipeline		*p;
	struct engine_settings	 set;

	p = xcalloc(1, sizeof *p);
	p->wd = wd;
	p->ev_kick = event_new(wd->base, -1, 0, pipe_kick, p);
	db_txn_init(&p->txn);
	if (pipe_sources(p, cause) != 0 ||
	    pipe_load_positions(p, c, cause) != 0 ||
	    pipe_load_join_done(p, c, cause) != 0)
		goto fail;
	if ((p->ref = refdb_load(c, NULL, &p->refversion, cause)) == NULL)
		goto fail;
	engine_defaults(&set);
	set.grace = wd->conf->grace;
	p->engine = engine_new(wd->rules, p->ref, &set);
	pipe_declare_sources(p);
	if (pipe_load_engine_state(p, c, cause) != 0 ||
	    pseudostore_unattributed(wd->pseudo, c, cause) != 0)
		goto fail;
	return (p);
fail:
	pipeline_free(p);
	return (NULL);
}

/* Start reading. */
void
pipeline_start(struct pipeline *p)
{
	size_t	 i;

	for (i = 0; i < p->nsrcs; i++)
		tail_start(p->srcs[i].tail);
}

/* Free a list of alerts. */
static void
pipe_free_alerts(struct alert ***list, size_t *n)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		alert_free((*list)[i]);
	free(*list);
	*list = NULL;
	*n = 0;
}

/* Forget the positions noted in this batch. */
static void
pipe_clear_positions(struct src *s)
{
	size_t	 i;

	for (i = 0; i < s->npos; i++)
		free(s->pos[i].path);
	free(s->pos);
	s->pos = NULL;
	s->npos = 0;
}

/*
 * After a commit: a joined log's position is held back by the lines its
 * join holds, and moves on when they are handed out, even with no new line
 * read; so its files stay noted (with no new lines). Others start afresh.
 */
static void
pipe_next_positions(struct src *s)
{
	size_t	 i;

	if (s->join == NULL && s->records == NULL) {
		pipe_clear_positions(s);
		return;
	}
	for (i = 0; i < s->npos; i++)
		s->pos[i].lines = 0;
}

/* Tear everything down; nothing here outlives the connection. */
void
pipeline_free(struct pipeline *p)
{
	struct src	*s;
	size_t		 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		tail_free(s->tail);
		parser_free(s->parser);
		ldv_free(s->join);
		if (s->done != NULL)
			symtab_free(s->done);
		buf_free(&s->donenew);
		srcdef_free(s->def);
		lookup_free(&s->ev);
		pipe_clear_positions(s);
	}
	free(p->srcs);
	if (p->ev_kick != NULL)
		event_free(p->ev_kick);
	engine_free(p->engine);
	ref_free(p->ref);
	pipe_free_alerts(&p->alerts, &p->nalerts);
	pipe_free_alerts(&p->sent, &p->nsent);
	db_txn_clear(&p->txn);
	free(p->txn.stmts);
	free(p);
}

/* Note that a file has been read up to pos->end. */
static void
pipe_note_position(struct src *s, const struct tail_pos *tp)
{
	struct filepos	*f;
	size_t		 i;

	for (i = 0; i < s->npos; i++) {
		f = &s->pos[i];
		if (f->pos.dev == tp->dev && f->pos.ino == tp->ino)
			break;
	}
	if (i == s->npos) {
		s->pos = xreallocarray(s->pos, s->npos + 1, sizeof *s->pos);
		f = &s->pos[s->npos++];
		memset(f, 0, sizeof *f);
	}
	if (f->path == NULL || strcmp(f->path, tp->path) != 0) {
		free(f->path);
		f->path = xstrdup(tp->path);
	}
	f->pos = *tp;
	f->pos.path = f->path;
	f->lines++;
}

/* Add a quarantine row for a line that could not be used. */
static void
pipe_quarantine(struct src *s, const struct tail_pos *tp, const char *line,
    size_t len, size_t fulllen, const char *reason)
{
	struct db_stmt	*st;
	char		 id[EV_ID_MAX];

	id[0] = '\0';
	parser_salvage(s->parser, line, len, PARSER_SALVAGE_ID, id, sizeof id);
	/* Once per line (migration 0016): a line read again adds nothing. */
	st = db_txn_add(&s->p->txn, "SELECT wachter.quarantine_add($1, $2, "
	    "$3, $4, $5, $6, NULLIF($7, ''), $8, $9)", 9);
	db_stmt_text(st, 0, s->cs->name);
	db_stmt_text(st, 1, tp->path);
	db_stmt_int(st, 2, (long long)tp->off);
	db_stmt_int(st, 3, (long long)fulllen);
	db_stmt_bin(st, 4, line, len > PIPE_RAW_MAX ? PIPE_RAW_MAX : len);
	db_stmt_text(st, 5, reason);
	db_stmt_text(st, 6, id);
	db_stmt_int(st, 7, (long long)tp->dev);
	db_stmt_int(st, 8, (long long)tp->ino);
	s->stats.quarantined++;
	metric_inc(metric_get2(s->p->wd->wm.events_quarantined, s->cs->name,
	    reason));
	log_debug("source %s: line at %s:%llu quarantined: %s", s->cs->name,
	    tp->path, (unsigned long long)tp->off, reason);
}

/*
 * Record a lookup nobody can be named for (LDV without its partner). Its
 * subjects by pseudonym: the plaintext goes to wachter.subject_plain,
 * which retention empties by month (docs/PRIVACY.md).
 */
static void
pipe_unattributed(struct src *s, const struct lookup *ev, const char *key)
{
	struct db_stmt	*st;
	struct buf	 subj;
	char		 h[PSEUDO_HANDLE_MAX];
	uint32_t	 i;

	buf_init(&subj);
	for (i = 0; i < ev->nsubjects; i++) {
		pseudostore_value(s->p->wd->pseudo, ev->subjects[i].value,
		    ev->ts, &s->p->txn, h);
		buf_printf(&subj, "%s%s", i ? ";" : "", h);
	}
	st = db_txn_add(&s->p->txn, "SELECT wachter.unattributed_add($1, $2, "
	    "$3, $4)", 4);
	db_stmt_text(st, 0, s->cs->name);
	db_stmt_text(st, 1, key);
	db_stmt_int(st, 2, (long long)ev->ts);
	db_stmt_text(st, 3, buf_cstr(&subj));
	buf_free(&subj);
	s->stats.unattributed++;
}

/* Count a decision by source, department and the explanation that held. */
static void
pipe_count_decision(struct pipeline *p, const struct decision *d)
{
	const char	*dept = "unknown";
	int32_t		 i;

	if ((i = ref_staff(p->ref, d->user)) >= 0)
		dept = symtab_str(p->ref->names, p->ref->staff[i].dept);
	if (d->source < p->nsrcs)
		metric_inc(metric_get3(p->wd->wm.lookups_explained,
		    p->srcs[d->source].cs->name, dept,
		    explain_name((enum expl_kind)d->expl)));
}

/* Move the engine's decisions and alerts into the batch. */
static void
pipe_collect(struct pipeline *p)
{
	struct decision	 d;
	struct alert	*a;

	while (engine_next_decision(p->engine, &d)) {
		if (d.held == ENGINE_AGAIN || d.held == ENGINE_LATER) {
			/* Counted when first decided; only a flag is new
			   (a follow-up record says what was withdrawn). */
			p->totals.flagged += d.flagged;
			continue;
		}
		pipe_count_decision(p, &d);
		ledger_decision(p->wd->ledger, &d, wd_now());
		p->totals.decided++;
		if (d.expl != EXPL_NONE)
			p->totals.explained++;
		if (d.flagged)
			p->totals.flagged++;
	}
	while ((a = engine_next_alert(p->engine)) != NULL) {
		p->alerts = xreallocarray(p->alerts, p->nalerts + 1,
		    sizeof *p->alerts);
		p->alerts[p->nalerts++] = a;
	}
}

/* A source gave a line of time ts: is it live (within its max_delay)? */
static void
pipe_seen(struct src *s, int64_t ts)
{
	s->fed = 1;
	s->live = wd_now() - ts <= s->cs->max_delay;
}

/* Examine one lookup. */
static void
pipe_feed(struct src *s, const struct lookup *ev)
{
	struct lookup	*e = (struct lookup *)ev;

	e->source = s->idx;
	s->stats.parsed++;
	pipe_seen(s, ev->ts);
	ledger_lookup(s->p->wd->ledger, ev, s->cs->name);
	engine_feed(s->p->engine, ev);
	pipe_collect(s->p);
}

/*
 * Take what a join has finished. A group with a malformed line is skipped
 * as a whole: that line is in quarantine already, the group is counted.
 */
static void
pipe_join_drain(struct src *r)
{
	struct ldv_out	 o;

	while (ldv_next(r->join, &o)) {
		if (o.key != NULL && *o.key != '\0') {
			if (symtab_find(r->done, o.key, strlen(o.key)) !=
			    SYM_NONE)
				continue;	/* decided before a restart */
			buf_adds(&r->donenew, o.key);
			buf_addc(&r->donenew, '\n');
		}
		if (o.bad) {
			r->stats.skipped++;
			continue;
		}
		if (o.ev->flags & EV_F_NO_USER)
			pipe_unattributed(r, o.ev, o.key);
		else
			pipe_feed(r, o.ev);
	}
}

/* Parse one line of a joined stream and feed the join. */
static void
pipe_join_line(struct src *s, const char *line, size_t len,
    const struct tail_pos *tp, enum parse_rc rc, const char *reason)
{
	struct src	*r = s->records != NULL ? s->records : s;
	int		 stream = s->records != NULL ? LDV_PARTNER : LDV_RECORDS;

	if (rc == PARSE_EVENT)
		pipe_seen(s, s->ev.ts);
	ldv_add(r->join, stream, s->parser, rc, &s->ev, reason, line, len,
	    tp->off);
	pipe_join_drain(r);
}

/* Whether s has run ahead of a source that still has lines to read. */
static int
pipe_is_ahead(struct pipeline *p, const struct src *s)
{
	size_t	 i;

	for (i = 0; i < p->nsrcs; i++) {
		if (&p->srcs[i] == s || !p->srcs[i].lagging)
			continue;
		if (s->stats.last_ts > p->srcs[i].stats.last_ts + PIPE_SKEW)
			return (1);
	}
	return (0);
}

/* Whether the batch being gathered holds as many lines as it may. */
static int
pipe_full(const struct pipeline *p)
{
	return (p->lines >= (uint64_t)p->wd->conf->batch_events);
}

/* The tail's line callback: parse, examine, note the position. */
static int
pipe_line(void *arg, const char *line, size_t len, int flags,
    const struct tail_pos *tp)
{
	struct src	*s = arg;
	struct pipeline	*p = s->p;
	enum parse_rc	 rc;
	const char	*reason = NULL;
	char		 why[128];
	uint64_t	 full;

	if (p->lines++ == 0)
		p->batch_start = wd_now();
	s->stats.read++;
	s->readpos = tp->end;
	pipe_note_position(s, tp);
	if (flags & TAIL_LINE_TOOLONG) {
		full = tp->end - tp->off - (flags & TAIL_LINE_NOEOL ? 0 : 1);
		snprintf(why, sizeof why, "line longer than max_line (%llu "
		    "bytes)", (unsigned long long)full);
		pipe_quarantine(s, tp, line, len, full, why);
		rc = PARSE_BAD;
		reason = "line too long";
	} else {
		rc = parser_line(s->parser, line, len, &s->ev, &reason);
		if (rc == PARSE_BAD)
			pipe_quarantine(s, tp, line, len, len, reason);
		else if (rc == PARSE_EVENT && s->ev.ts > s->stats.last_ts)
			s->stats.last_ts = s->ev.ts;
		if (rc == PARSE_EVENT && parser_damage(s->parser) != NULL)
			pipe_quarantine(s, tp, line, len, len,
			    parser_damage(s->parser));
	}
	if (s->join != NULL || s->records != NULL)
		pipe_join_line(s, line, len, tp, rc, reason);
	else if (rc == PARSE_EVENT)
		pipe_feed(s, &s->ev);
	if (s->lagging && pipe_is_ahead(p, s)) {
		s->ahead = 1;
		event_active(p->ev_kick, EV_TIMEOUT, 0);
	}
	if (pipe_full(p)) {
		event_active(p->ev_kick, EV_TIMEOUT, 0);
		return (1);
	}
	/*
	 * A batch in flight does not stop reading: the next one fills
	 * meanwhile (at most one batch more in memory), so the server's
	 * commit and the reading overlap.
	 */
	return (s->ahead || p->stopped);
}

/* The position to commit for a file: never past a line a join holds. */
static uint64_t
pipe_commit_offset(struct src *s, const struct filepos *f)
{
	struct src	*r = s->records != NULL ? s->records : s;
	uint64_t	 low;

	if (r->join == NULL)
		return (f->pos.end);
	low = ldv_low_watermark(r->join, s->records != NULL ? LDV_PARTNER :
	    LDV_RECORDS);
	return (low < f->pos.end ? low : f->pos.end);
}

/*
 * Add the position upserts of this batch. A file's fingerprint (its first
 * bytes) grows while the file is shorter than a fingerprint: the same
 * file still, so its line count goes on; another file behind a reused
 * inode starts again.
 */
static void
pipe_txn_positions(struct pipeline *p)
{
	struct db_stmt	*st;
	struct filepos	*f;
	struct src	*s;
	size_t		 i, j;

	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		for (j = 0; j < s->npos; j++) {
			f = &s->pos[j];
			st = db_txn_add(&p->txn, "INSERT INTO wachter.source_file "
			    "(source, dev, ino, fingerprint, path, \"offset\", "
			    "lines) VALUES ($1, $2, $3, $4, $5, $6, $7) "
			    "ON CONFLICT (source, dev, ino) DO UPDATE SET "
			    "fingerprint = EXCLUDED.fingerprint, path = "
			    "EXCLUDED.path, \"offset\" = EXCLUDED.\"offset\", "
			    "lines = CASE WHEN substring(EXCLUDED.fingerprint "
			    "FROM 1 FOR length(source_file.fingerprint)) = "
			    "source_file.fingerprint THEN source_file.lines + "
			    "EXCLUDED.lines ELSE EXCLUDED.lines END, "
			    "updated_at = now()", 7);
			db_stmt_text(st, 0, s->cs->name);
			db_stmt_int(st, 1, (long long)f->pos.dev);
			db_stmt_int(st, 2, (long long)f->pos.ino);
			db_stmt_bin(st, 3, f->pos.fp, f->pos.fplen);
			db_stmt_text(st, 4, f->path);
			db_stmt_int(st, 5, (long long)pipe_commit_offset(s, f));
			db_stmt_int(st, 6, (long long)f->lines);
		}
	}
}

/* Where a join stream is committed up to: its oldest held line, or all. */
static uint64_t
pipe_join_low(struct src *r, int stream, uint64_t readpos)
{
	uint64_t	 low = ldv_low_watermark(r->join, stream);

	return (low == UINT64_MAX ? readpos : low);
}

/*
 * Record the keys of groups a join handed on in this batch, and forget
 * those whose lines are all behind both committed positions.
 */
static void
pipe_txn_join(struct pipeline *p)
{
	struct db_stmt	*st;
	struct src	*r;
	size_t		 i;

	for (i = 0; i < p->nsrcs; i++) {
		r = &p->srcs[i];
		if (r->join == NULL)
			continue;
		if (r->donenew.len != 0) {
			st = db_txn_add(&p->txn, "INSERT INTO wachter.join_done "
			    "(source, key, records_off, partner_off) SELECT $1, "
			    "k, $3, $4 FROM unnest(string_to_array(rtrim($2, "
			    "E'\\n'), E'\\n')) AS k ON CONFLICT DO NOTHING", 4);
			db_stmt_text(st, 0, r->cs->name);
			db_stmt_text(st, 1, buf_cstr(&r->donenew));
			db_stmt_int(st, 2, (long long)r->readpos);
			db_stmt_int(st, 3, (long long)r->partner->readpos);
			buf_reset(&r->donenew);
		}
		st = db_txn_add(&p->txn, "DELETE FROM wachter.join_done WHERE "
		    "source = $1 AND records_off <= $2 AND partner_off <= $3",
		    3);
		db_stmt_text(st, 0, r->cs->name);
		db_stmt_int(st, 1, (long long)pipe_join_low(r, LDV_RECORDS,
		    r->readpos));
		db_stmt_int(st, 2, (long long)pipe_join_low(r, LDV_PARTNER,
		    r->partner->readpos));
	}
}

/* Add the upsert of one user's memories. */
static void
pipe_txn_user(void *arg, const char *user, const struct buf *state)
{
	struct pipeline	*p = arg;
	struct db_stmt	*st;
	struct buf	 b;
	char		*ad;

	buf_init(&b);
	xasprintf(&ad, "engine_user:%s", user);
	statebox_seal(p->wd->box, ad, state->data, state->len, &b);
	free(ad);
	st = db_txn_add(&p->txn, "INSERT INTO wachter.engine_user (name, "
	    "state) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET state = "
	    "EXCLUDED.state, updated_at = now()", 2);
	db_stmt_text(st, 0, user);
	db_stmt_bin(st, 1, b.data, b.len);
	buf_free(&b);
}

/* Add the engine's durable state: its queues, and the users it changed. */
static void
pipe_txn_engine(struct pipeline *p)
{
	struct db_stmt	*st;
	struct buf	 b, sealed;

	buf_init(&b);
	buf_init(&sealed);
	engine_holds_export(p->engine, &b);
	statebox_seal(p->wd->box, "engine_state", b.data, b.len, &sealed);
	st = db_txn_add(&p->txn, "INSERT INTO wachter.engine_state (id, "
	    "state) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET state = "
	    "EXCLUDED.state, updated_at = now()", 1);
	db_stmt_bin(st, 0, sealed.data, sealed.len);
	buf_free(&sealed);
	buf_free(&b);
	engine_users_export(p->engine, pipe_txn_user, p);
}

/* Count a committed alert by each rule that fired and its severity. */
static void
pipe_count_alert(struct wachterd *wd, const struct alert *a)
{
	size_t	 i;

	if (a->kind != ALERT_NEW)
		return;
	for (i = 0; i < a->nrules; i++)
		metric_inc(metric_get2(wd->wm.alerts, a->rules[i],
		    alert_severity_name(a->severity)));
}

/*
 * A batch committed, or not. What was read while it was in flight belongs
 * to the next batch and is left alone.
 */
static void
pipe_committed(void *arg, int ok, const char *error)
{
	struct pipeline	*p = arg;
	struct wachterd	*wd = p->wd;
	char		*cause = NULL;
	size_t		 i;

	p->inflight = 0;
	if (!ok) {
		log_warnx("database: batch not committed: %s; reading again "
		    "from the last committed position", error);
		wd_restart_pipeline(wd, error);
		return;
	}
	p->totals.batches++;
	p->totals.alerts += p->nsent;
	p->totals.batch_us_last = wd_now() - p->sent_at;
	if (chainstore_committed(wd->chain, wd_now(), &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
	}
	metric_observe(metric_get(wd->wm.batch_seconds, NULL),
	    (double)p->totals.batch_us_last / 1e6);
	for (i = 0; i < p->nsent; i++) {
		pipe_count_alert(wd, p->sent[i]);
		log_info("alert %s committed: %zu rule(s), %zu lookup(s), "
		    "severity %s", p->sent[i]->incident, p->sent[i]->nrules,
		    p->sent[i]->nevents,
		    alert_severity_name(p->sent[i]->severity));
	}
	pipe_free_alerts(&p->sent, &p->nsent);
	wd_batch_done(wd);
	if (!p->stopped)
		event_active(p->ev_kick, EV_TIMEOUT, 0);
	if (!p->stopped)
		for (i = 0; i < p->nsrcs; i++)
			if (!p->srcs[i].ahead)
				tail_resume(p->srcs[i].tail);
}

/*
 * Commit what the batch holds, with a checkpoint when one is due (or a
 * sealing one when final). Returns 1 if a transaction was sent.
 */
int
pipeline_commit(struct pipeline *p, int checkpoint, int final)
{
	struct wachterd	*wd = p->wd;
	int64_t		 now = wd_now();
	size_t		 i;

	if (p->inflight || !db_is_up(wd->db))
		return (0);
	if (p->lines == 0 && p->nalerts == 0 && !checkpoint && !final)
		return (0);
	for (i = 0; i < p->nalerts; i++)
		(void)chainstore_append(wd->chain, p->alerts[i], now, &p->txn);
	pipe_txn_positions(p);
	pipe_txn_join(p);
	pipe_txn_engine(p);
	ledger_flush(wd->ledger, &p->txn);
	if (checkpoint || final)
		chainstore_checkpoint(wd->chain, now, final, &p->txn);
	p->inflight = 1;
	p->sent_at = now;
	if (db_send(wd->db, &p->txn, pipe_committed, p) != 0) {
		p->inflight = 0;
		return (0);
	}
	/* The batch is in the transaction now; start the next one. */
	db_txn_clear(&p->txn);
	p->sent = p->alerts;
	p->nsent = p->nalerts;
	p->alerts = NULL;
	p->nalerts = 0;
	p->lines = 0;
	for (i = 0; i < p->nsrcs; i++)
		pipe_next_positions(&p->srcs[i]);
	return (1);
}

/* Whether lines or alerts wait for a transaction. */
int
pipeline_pending(const struct pipeline *p)
{
	return (p->lines != 0 || p->nalerts != 0);
}

/* Whether the batch should be committed now. */
int
pipeline_due(struct pipeline *p, int64_t now)
{
	if (p->inflight)
		return (0);
	if (p->nalerts != 0 || pipe_full(p))
		return (1);
	return (p->lines != 0 && now - p->batch_start >= p->wd->conf->batch_delay);
}

/*
 * Note which sources have unread lines, and resume those no longer ahead.
 * Returns 1 when every source has caught up.
 */
static int
pipe_rebalance(struct pipeline *p)
{
	struct src	*s;
	size_t		 i;
	int		 caught_up = 1;

	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		s->lagging = tail_lag_bytes(s->tail) != 0;
		caught_up &= !s->lagging;
		/*
		 * A scan's source at the end of its files gives no more
		 * lines: it must not hold the others' lookups back until the
		 * end (a register whose history is empty would keep them
		 * all in memory). A join's sources still wait for each other.
		 */
		if (!s->lagging && s->join == NULL && s->records == NULL &&
		    tail_history_done(s->tail))
			engine_source_done(p->engine, s->idx);
	}
	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		if (s->ahead && !pipe_is_ahead(p, s)) {
			s->ahead = 0;
			if (!pipe_full(p) && !p->stopped)
				tail_resume(s->tail);
		}
	}
	return (caught_up);
}

/*
 * Run outside the tails' callbacks after a source paused (ahead of the
 * others, or the batch is full) and after a commit: resume what may go on,
 * and send a full batch at once rather than at the next tick.
 */
static void
pipe_kick(int fd, short what, void *arg)
{
	struct pipeline	*p = arg;

	(void)pipe_rebalance(p);
	if (!p->stopped && pipeline_due(p, wd_now()))
		(void)pipeline_commit(p, 0, 0);
}

/* Whether an idle source may promise nothing older than now - max_delay. */
static int
pipe_floor_due(const struct src *s, int anylive)
{
	return (!s->lagging && (s->live || (!s->fed && anylive)));
}

/*
 * The one place the wall clock reaches the engine. A live source (its
 * newest line is no older than its max_delay) that has caught up promises
 * nothing older than now - max_delay will come; so does a source that
 * never gave a line while another is live. Historic data (a backfill, a
 * replay, logs copied in late) is never live and is ordered by event time
 * alone.
 */
static void
pipe_floors(struct pipeline *p)
{
	int64_t		 wall = wd_now(), t, held;
	struct src	*s;
	size_t		 i;
	int		 anylive = 0;

	for (i = 0; i < p->nsrcs; i++)
		anylive |= p->srcs[i].live;
	/* The joins first: what they hand on may still come before t. */
	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		if (!pipe_floor_due(s, anylive))
			continue;
		t = wall - s->cs->max_delay;
		if (s->records != NULL)		/* a join's partner */
			ldv_floor(s->records->join, LDV_PARTNER, t);
		else if (s->join != NULL)
			ldv_floor(s->join, LDV_RECORDS, t);
	}
	for (i = 0; i < p->nsrcs; i++) {
		s = &p->srcs[i];
		if (s->join != NULL)
			pipe_join_drain(s);
		if (s->records != NULL || !pipe_floor_due(s, anylive))
			continue;
		t = wall - s->cs->max_delay;
		if (s->join != NULL && (held = ldv_oldest(s->join)) < t)
			t = held;
		engine_source_floor(p->engine, s->idx, t);
	}
}

/*
 * Let time pass for the engine when every source has caught up: lookups
 * held for their grace period are decided and quiet incidents close even
 * when no new line arrives. Returns 1 when every source has been read to
 * its end.
 */
int
pipeline_advance(struct pipeline *p)
{
	if (!pipe_rebalance(p))
		return (0);
	pipe_floors(p);
	pipe_collect(p);
	return (1);
}

/*
 * End of input (wachterd -1): every source has been read to its end, so
 * nothing more can come; decide everything that waits.
 */
void
pipeline_finish(struct pipeline *p)
{
	size_t	 i;

	for (i = 0; i < p->nsrcs; i++) {
		if (p->srcs[i].join != NULL) {
			ldv_flush(p->srcs[i].join);
			pipe_join_drain(&p->srcs[i]);
		}
	}
	engine_flush(p->engine);
	pipe_collect(p);
}

/* Stop reading (draining before exit). */
void
pipeline_stop_reading(struct pipeline *p)
{
	p->stopped = 1;
}

/* Whether a transaction is in flight. */
int
pipeline_inflight(const struct pipeline *p)
{
	return (p->inflight);
}

/* Swap in a new rule set; window state is kept. */
void
pipeline_set_rules(struct pipeline *p, const struct ruleset *rs)
{
	(void)engine_swap_rules(p->engine, rs);
}

/* Swap in new reference data; returns the old one for the caller to free. */
struct ref *
pipeline_set_ref(struct pipeline *p, struct ref *ref, int64_t version)
{
	struct ref	*old = p->ref;

	(void)engine_swap_ref(p->engine, ref);
	p->ref = ref;
	p->refversion = version;
	return (old);
}

/* The reference data in use (the reload carries tables over from it). */
struct ref *
pipeline_ref(const struct pipeline *p)
{
	return (p->ref);
}

/* The reference data version loaded. */
int64_t
pipeline_ref_version(const struct pipeline *p)
{
	return (p->refversion);
}

/* Counters for one source. */
const struct pipeline_stats *
pipeline_source_stats(const struct pipeline *p, size_t i, const char **name,
    uint64_t *lag)
{
	if (i >= p->nsrcs)
		return (NULL);
	*name = p->srcs[i].cs->name;
	*lag = tail_lag_bytes(p->srcs[i].tail);
	return (&p->srcs[i].stats);
}

/* The engine, for its counters. */
const struct engine *
pipeline_engine(const struct pipeline *p)
{
	return (p->engine);
}

/* Totals over all sources. */
const struct pipeline_totals *
pipeline_totals(const struct pipeline *p)
{
	return (&p->totals);
}
