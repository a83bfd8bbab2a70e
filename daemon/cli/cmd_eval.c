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

#include "cli/cmd.h"
#include "cli/corpus.h"
#include "cli/eval_score.h"
#include "enrich/symtab.h"
#include "event/event.h"
#include "rules/engine.h"
#include "rules/rule.h"
#include "slurp.h"
#include "util/xmalloc.h"

struct eval {
	const char	*dir;
	const char	*sourcedir;
	struct corpus	*c;
	FILE		*dec;		/* --decisions */
	const struct ruleset *rs;
	struct symtab	*pairs;		/* --flagged: "event\tincident" */
	uint8_t		*gone;		/* per pair: withdrawn by a follow-up */
	size_t		 gonecap;
	unsigned long	 later;		/* provisional, explained later */
};

/*
 * Note a flagged (lookup, incident) pair, or one withdrawn because a
 * provisional alert was explained later: --flagged lists the final ones,
 * as the daemon's records leave them (alerts minus follow-ups).
 */
static void
eval_pair(struct eval *e, const struct decision *d)
{
	char		 key[EV_ID_MAX + 41];
	uint32_t	 sym;
	size_t		 old;

	snprintf(key, sizeof key, "%s\t%s", d->event, d->incident);
	sym = symtab_intern(e->pairs, key, strlen(key));
	if (sym >= e->gonecap) {
		old = e->gonecap;
		e->gonecap = (size_t)sym * 2 + 64;
		e->gone = xreallocarray(e->gone, e->gonecap, 1);
		memset(e->gone + old, 0, e->gonecap - old);
	}
	e->gone[sym] = d->held == ENGINE_LATER;
}

/* Write the final pairs. */
static void
eval_put_pairs(struct eval *e, FILE *out)
{
	uint32_t	 i;

	for (i = 0; i < symtab_count(e->pairs); i++)
		if (!e->gone[i])
			fprintf(out, "%s\n", symtab_str(e->pairs, i));
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
	fprintf(f, "\t%s", d->flagged ? d->incident : "-");
	if (d->held == ENGINE_LATER)
		fprintf(f, "\texplained later by %s (%s)", d->by, d->incident);
	fputc('\n', f);
}

/* Where decisions go: eval_drain's arguments, for the engine's drain. */
struct eval_sink {
	struct eval		*e;
	struct engine		*en;
	const struct ref	*ref;
	struct score		*s;
	FILE			*out;
};

/* Take the decisions waiting in the engine. */
static void
eval_decisions(void *arg)
{
	struct eval_sink	*k = arg;
	struct eval		*e = k->e;
	struct decision		 d;

	while (engine_next_decision(k->en, &d)) {
		e->later += d.held == ENGINE_LATER;
		if ((d.flagged || d.held == ENGINE_LATER) && k->out != NULL)
			eval_pair(e, &d);
		if (e->dec != NULL && (d.flagged || d.score != 0 ||
		    d.held == ENGINE_LATER))
			eval_put_decision(e->dec, e->rs, &d);
		if (k->s != NULL)
			score_decision(k->s, &d, k->ref);
	}
}

/* Drain decisions and alerts from the engine. */
static void
eval_drain(struct eval_sink *k)
{
	struct alert	*a;

	eval_decisions(k);
	while ((a = engine_next_alert(k->en)) != NULL)
		alert_free(a);
}

/*
 * Feed every lookup of the corpus, in time order; malformed lines and
 * unattributable LDV lookups (no partner line, so no user) are counted
 * by the reader and not examined.
 */
static int
eval_run(struct eval *e, struct engine *en, const struct ref *ref,
    struct score *s, FILE *out, char **cause)
{
	struct eval_sink	 k = { e, en, ref, s, out };
	struct corpus_item	 it;
	int64_t			 late;
	uint32_t		 i;
	int			 rc;

	/* Each log as a source of its own lateness, as the daemon has them. */
	for (i = 0; (late = corpus_lateness(e->c, i)) >= 0; i++)
		engine_source(en, i, late);
	while ((rc = corpus_next(e->c, &it, cause)) == 1) {
		if (it.ev == NULL || (it.ev->flags & EV_F_NO_USER))
			continue;
		engine_feed(en, it.ev);
		eval_drain(&k);
	}
	if (rc < 0)
		return (-1);
	/* A flush decides everything still waiting: take them as they come. */
	engine_on_decisions(en, eval_decisions, &k);
	engine_flush(en);
	engine_on_decisions(en, NULL, NULL);
	eval_drain(&k);
	return (0);
}

/* Print what was read. */
static void
eval_put_counts(struct eval *e)
{
	const struct corpus_stats	*st = corpus_stats(e->c);

	printf("lookups: %llu, malformed lines skipped: %llu, "
	    "unattributable lookups skipped: %llu\n",
	    (unsigned long long)st->lookups, (unsigned long long)st->bad,
	    (unsigned long long)st->unattributed);
}

/* Say how many lookups could not take their place in time. */
static void
eval_put_order(const struct engine *en)
{
	uint64_t	 released, late, outliers;
	size_t		 waiting;

	engine_counts(en, &released, &late, &outliers, &waiting);
	if (late != 0 || outliers != 0)
		printf("decided on their own: %llu late, %llu with a time far "
		    "ahead of their log\n", (unsigned long long)late,
		    (unsigned long long)outliers);
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
	e.pairs = symtab_new();
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
	e.c = corpus_new(e.sourcedir);
	if ((rs = slurp_rules(rulesdir, &cause)) == NULL ||
	    (ref = slurp_ref(e.dir, 1, &cause)) == NULL ||
	    corpus_open_dir(e.c, e.dir, &cause) != 0)
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
	if (out != NULL)
		eval_put_pairs(&e, out);
	eval_put_counts(&e);
	eval_put_order(en);
	printf("lookups alerted provisionally and explained later: %lu\n",
	    e.later);
	if (s != NULL)
		score_print(s, stdout, corpus_manifest_int(e.c, "officials"),
		    corpus_manifest_int(e.c, "days"));
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
	symtab_free(e.pairs);
	free(e.gone);
	corpus_free(e.c);
	score_free(s);
	ref_free(ref);
	ruleset_free(rs);
	return (rv);
}
