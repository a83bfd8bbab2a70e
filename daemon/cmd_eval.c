/*
 * cmd_eval.c: `wachter eval DIR [--flagged FILE]` runs the daemon's
 * engine over a corpus folder as it would have run live: the logs of the
 * manifest are merged in time order, each case counts from the moment it
 * was registered, unexplained lookups wait out the same grace period.
 * With labels in the folder it prints the measures of FORMAT.md.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "eval_score.h"
#include "parse/json.h"
#include "parse/ldv.h"
#include "parse/parser.h"
#include "parse/srcdef.h"
#include "rules/engine.h"
#include "rules/rule.h"
#include "slurp.h"
#include "source/lines.h"
#include "util/xmalloc.h"

#define EVAL_LOGS	8

/* One input file of a joined pair (Logboek Dataverwerkingen). */
struct ejoin {
	struct srcdef	*def;
	struct parser	*p;
	struct lines	*lines;
	struct lookup	 ev;
	struct line	 ln;
	enum parse_rc	 rc;
	const char	*reason;
	int		 have, eof;
};

/* One log of the corpus (or a joined pair), read one event ahead. */
struct elog {
	struct srcdef	*def;
	struct parser	*p;
	struct lines	*lines;
	struct lookup	 ev;
	int		 have;
	uint32_t	 index;
	struct ldv	*ldv;		/* joined: records + partner */
	struct ejoin	 in[2];
	int		 flushed;
};

struct eval {
	const char	*dir;
	const char	*sourcedir;
	struct elog	 logs[EVAL_LOGS];
	int		 nlogs;
	int		 officials, days;
	size_t		 bad, events;
	FILE		*dec;		/* --decisions */
	const struct ruleset *rs;
};

/* Read the next line of one input of a pair. */
static int
eval_join_next(struct ejoin *in, char **cause)
{
	int	 rc;

	if (in->have || in->eof)
		return (in->have);
	if ((rc = lines_next(in->lines, &in->ln, cause)) <= 0) {
		in->eof = 1;
		return (rc);
	}
	in->reason = NULL;
	in->rc = parser_line(in->p, in->ln.data, in->ln.len, &in->ev,
	    &in->reason);
	in->have = 1;
	return (1);
}

/* Which input of a pair goes next: non-events first, then the earlier. */
static int
eval_join_pick(struct ejoin *in)
{
	if (!in[0].have)
		return (1);
	if (!in[1].have || in[0].rc != PARSE_EVENT)
		return (0);
	if (in[1].rc != PARSE_EVENT)
		return (1);
	return (in[1].ev.ts < in[0].ev.ts);
}

/* Read the next joined event of a pair. */
static int
eval_pull_join(struct eval *e, struct elog *l, char **cause)
{
	struct ldv_out	 o;
	int		 i;

	l->have = 0;
	for (;;) {
		if (ldv_next(l->ldv, &o)) {
			if (o.bad) {
				e->bad++;
				continue;
			}
			lookup_copy(&l->ev, o.ev);
			l->ev.source = l->index;
			l->have = 1;
			return (1);
		}
		if (eval_join_next(&l->in[0], cause) < 0 ||
		    eval_join_next(&l->in[1], cause) < 0)
			return (-1);
		if (!l->in[0].have && !l->in[1].have) {
			if (l->flushed)
				return (0);
			ldv_flush(l->ldv);
			l->flushed = 1;
			continue;
		}
		i = eval_join_pick(l->in);
		l->in[i].have = 0;
		ldv_add(l->ldv, i, l->in[i].p, l->in[i].rc, &l->in[i].ev,
		    l->in[i].reason, l->in[i].ln.data, l->in[i].ln.len,
		    l->in[i].ln.offset, 0);
	}
}

/* Read the next event of a log into l->ev (l->have = 0 at the end). */
static int
eval_pull(struct eval *e, struct elog *l, char **cause)
{
	struct line	 ln;
	const char	*why;
	int		 r;

	if (l->ldv != NULL)
		return (eval_pull_join(e, l, cause));
	l->have = 0;
	for (;;) {
		if ((r = lines_next(l->lines, &ln, cause)) <= 0)
			return (r);
		switch (parser_line(l->p, ln.data, ln.len, &l->ev, &why)) {
		case PARSE_EVENT:
			l->ev.source = l->index;
			l->have = 1;
			return (1);
		case PARSE_BAD:
			e->bad++;
			break;
		case PARSE_SKIP:
			break;
		}
	}
}

/*
 * A log that is half of a joined pair: once both halves are open, the
 * second becomes an input of the first, which reads them joined.
 */
static int
eval_pair(struct eval *e, struct elog *l, char **cause)
{
	struct elog		*o = NULL;
	struct ldv_limits	 lim;
	int			 i, r;

	for (i = 0; i < e->nlogs - 1 && o == NULL; i++)
		if (e->logs[i].def->join != SD_JOIN_NONE &&
		    e->logs[i].ldv == NULL && e->logs[i].def->join !=
		    l->def->join)
			o = &e->logs[i];
	if (o == NULL)
		return (0);	/* wait for the other half */
	r = o->def->join == SD_JOIN_RECORDS ? 0 : 1;
	o->in[r].def = o->def; o->in[r].p = o->p; o->in[r].lines = o->lines;
	o->in[!r].def = l->def; o->in[!r].p = l->p;
	o->in[!r].lines = l->lines;
	lookup_init(&o->in[0].ev);
	lookup_init(&o->in[1].ev);
	o->def = o->in[0].def;
	o->p = NULL;
	o->lines = NULL;
	ldv_limits_default(&lim);
	o->ldv = ldv_new(o->in[0].def, o->in[1].def, &lim);
	lookup_free(&l->ev);
	memset(l, 0, sizeof *l);
	e->nlogs--;
	return (eval_pull(e, o, cause) < 0 ? -1 : 0);
}

/* Open one log of the manifest with its source definition. */
static int
eval_open_log(struct eval *e, const char *file, const char *format,
    char **cause)
{
	struct elog	*l = &e->logs[e->nlogs];
	struct buf	 b;
	char		*path;

	if (e->nlogs == EVAL_LOGS)
		return (xasprintf(cause, "too many logs"), -1);
	xasprintf(&path, "%s/%s.yaml", e->sourcedir, format);
	buf_init(&b);
	if (slurp_file(path, &b, cause) == 0)
		l->def = srcdef_load(path, (const char *)b.data, b.len, cause);
	buf_free(&b);
	free(path);
	if (l->def == NULL)
		return (-1);
	l->p = parser_new(l->def);
	xasprintf(&path, "%s/%s", e->dir, file);
	l->lines = lines_open(path, l->def->max_line, cause);
	free(path);
	if (l->lines == NULL)
		return (-1);
	lookup_init(&l->ev);
	l->index = (uint32_t)e->nlogs++;
	if (l->def->join != SD_JOIN_NONE)
		return (eval_pair(e, l, cause));
	return (eval_pull(e, l, cause) < 0 ? -1 : 0);
}

/* Read a number from the manifest. */
static int
eval_manifest_int(struct json *j, const char *key)
{
	char	 tmp[32];
	int	 t;

	t = json_get(j, 0, key, strlen(key), 0);
	if (t < 0 || json_str(j, t, tmp, sizeof tmp, NULL) != 0)
		return (0);
	return (atoi(tmp));
}

/* Read manifest.json: sizes, and open every log it lists. */
static int
eval_manifest(struct eval *e, char **cause)
{
	struct json	 j;
	struct buf	 b;
	char		*path, file[256], format[64];
	const char	*why;
	int		 logs, t, i, rv = -1;

	xasprintf(&path, "%s/manifest.json", e->dir);
	buf_init(&b);
	json_init(&j, 1 << 16, JSON_DEPTH_MAX);
	if (slurp_file(path, &b, cause) != 0)
		goto out;
	if (json_parse(&j, (const char *)b.data, b.len, &why) != 0) {
		xasprintf(cause, "%s: %s", path, why);
		goto out;
	}
	e->officials = eval_manifest_int(&j, "officials");
	e->days = eval_manifest_int(&j, "days");
	if ((logs = json_get(&j, 0, "logs", 4, 0)) < 0) {
		xasprintf(cause, "%s: no logs", path);
		goto out;
	}
	for (i = 0; (t = json_child(&j, logs, (uint32_t)i)) >= 0; i++) {
		if (json_str(&j, json_get(&j, t, "file", 4, 0), file,
		    sizeof file, NULL) != 0 || json_str(&j, json_get(&j, t,
		    "format", 6, 0), format, sizeof format, NULL) != 0) {
			xasprintf(cause, "%s: log %d lacks file or format",
			    path, i);
			goto out;
		}
		if (eval_open_log(e, file, format, cause) != 0)
			goto out;
	}
	rv = 0;
out:
	json_free(&j);
	buf_free(&b);
	free(path);
	return (rv);
}

/* One decision with its explanation, score and rules (--decisions). */
static void
eval_put_decision(FILE *f, const struct ruleset *rs, const struct decision *d)
{
	size_t	 i;

	fprintf(f, "%s\t%s\t%s\t%d\t%s\t", d->event, d->user,
	    explain_name(d->expl), d->score, d->held ? "held" : "at-once");
	for (i = 0; i < rs->n; i++)
		if ((d->fired >> i) & 1)
			fprintf(f, "%s,", rs->rules[i].id);
	fprintf(f, "\t%s\n", d->flagged ? d->incident : "-");
}

/* Drain decisions and alerts from the engine. */
static void
eval_drain(struct eval *e, struct engine *en, const struct ref *ref,
    struct score *s, FILE *out)
{
	struct decision	 d;
	struct alert	*a;

	while (engine_next_decision(en, &d)) {
		if (d.flagged && out != NULL)
			fprintf(out, "%s\t%s\n", d.event, d.incident);
		if (e->dec != NULL && (d.flagged || d.score != 0))
			eval_put_decision(e->dec, e->rs, &d);
		if (s != NULL)
			score_decision(s, &d, ref);
	}
	while ((a = engine_next_alert(en)) != NULL)
		alert_free(a);
}

/* Feed every log, merged in time order. */
static int
eval_run(struct eval *e, struct engine *en, const struct ref *ref,
    struct score *s, FILE *out, char **cause)
{
	struct elog	*best;
	int		 i;

	for (;;) {
		best = NULL;
		for (i = 0; i < e->nlogs; i++)
			if (e->logs[i].have && (best == NULL ||
			    e->logs[i].ev.ts < best->ev.ts))
				best = &e->logs[i];
		if (best == NULL)
			break;
		engine_feed(en, &best->ev);
		e->events++;
		eval_drain(e, en, ref, s, out);
		if (eval_pull(e, best, cause) < 0)
			return (-1);
	}
	engine_flush(en);
	eval_drain(e, en, ref, s, out);
	return (0);
}

/* Free the logs. */
static void
eval_close(struct eval *e)
{
	int	 i, j;

	for (i = 0; i < e->nlogs; i++) {
		if (e->logs[i].ldv != NULL) {
			for (j = 0; j < 2; j++) {
				lines_close(e->logs[i].in[j].lines);
				parser_free(e->logs[i].in[j].p);
				srcdef_free(e->logs[i].in[j].def);
				lookup_free(&e->logs[i].in[j].ev);
			}
			ldv_free(e->logs[i].ldv);
		} else {
			lines_close(e->logs[i].lines);
			parser_free(e->logs[i].p);
			srcdef_free(e->logs[i].def);
		}
		lookup_free(&e->logs[i].ev);
	}
}

/* wachter eval DIR [--flagged FILE] [--rules DIR] [--sources DIR] [--grace D] */
int
cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "flagged", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "sources", required_argument, NULL, 's' },
		{ "grace", required_argument, NULL, 'g' },
		{ "decisions", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 } };
	struct eval		 e;
	struct engine_settings	 set;
	struct ruleset		*rs = NULL;
	struct ref		*ref = NULL;
	struct score		*s = NULL;
	struct engine		*en = NULL;
	const char		*flagged = NULL, *decisions = NULL, *rulesdir = WACHTER_DATADIR "/rules";
	FILE			*out = NULL;
	char			*cause = NULL;
	int			 ch, rv = 1;

	memset(&e, 0, sizeof e);
	e.sourcedir = WACHTER_DATADIR "/sources";
	engine_defaults(&set);
	while ((ch = getopt_long(argc, argv, "f:r:s:g:d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': flagged = optarg; break;
		case 'd': decisions = optarg; break;
		case 'r': rulesdir = optarg; break;
		case 's': e.sourcedir = optarg; break;
		case 'g':
			if (rule_duration(optarg, &set.grace) != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	e.dir = argv[optind];
	if ((rs = slurp_rules(rulesdir, &cause)) == NULL ||
	    (ref = slurp_ref(e.dir, 1, &cause)) == NULL ||
	    eval_manifest(&e, &cause) != 0)
		goto fail;
	s = score_new(e.dir, &cause);
	if (cause != NULL)
		goto fail;
	if (flagged != NULL && (out = fopen(flagged, "w")) == NULL) {
		xasprintf(&cause, "%s: cannot create", flagged);
		goto fail;
	}
	if (decisions != NULL && (e.dec = fopen(decisions, "w")) == NULL) {
		xasprintf(&cause, "%s: cannot create", decisions);
		goto fail;
	}
	e.rs = rs;
	en = engine_new(rs, ref, &set);
	if (eval_run(&e, en, ref, s, out, &cause) != 0)
		goto fail;
	printf("lookups: %zu, malformed lines skipped: %zu\n", e.events, e.bad);
	if (s != NULL)
		score_print(s, stdout, e.officials, e.days);
	rv = 0;
	goto done;
usage:
	fprintf(stderr, "usage: wachter eval DIR [--flagged FILE] [--rules DIR] "
	    "[--sources DIR] [--grace DURATION] [--decisions FILE]\n");
	return (2);
fail:
	fprintf(stderr, "wachter eval: %s\n", cause ? cause : "failed");
	free(cause);
done:
	if (out != NULL)
		fclose(out);
	if (e.dec != NULL)
		fclose(e.dec);
	engine_free(en);
	eval_close(&e);
	score_free(s);
	ref_free(ref);
	ruleset_free(rs);
	return (rv);
}
