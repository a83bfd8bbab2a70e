/*
 * eval_score.c: the measures of FORMAT.md's "Scoring": event precision
 * and recall, incident recall per scenario, false-positive alerts per
 * 100 officials per day, and the share of lawful lookups the reference
 * data explained automatically (per source and per department).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrich/csv.h"
#include "enrich/symtab.h"
#include "cli/eval_score.h"
#include "slurp.h"
#include "util/xmalloc.h"

enum { L_LAWFUL, L_UNLAWFUL, L_MALFORMED };

struct label {
	uint8_t		 label;
	uint8_t		 flagged;
	uint8_t		 decided;
	uint8_t		 explained;
	uint8_t		 rdw;
	uint8_t		 later;		/* provisional alert explained later */
	uint32_t	 scenario;	/* sym in s->names */
	uint32_t	 incident;	/* sym in s->names */
	uint32_t	 alert;		/* sym in s->alerts */
	uint32_t	 laterin;	/* sym in s->alerts of the provisional
					   alert explained later */
	uint32_t	 dept;		/* sym in s->names */
};

struct score {
	struct symtab	*ids;
	struct symtab	*names;
	struct symtab	*alerts;
	struct label	*l;
	size_t		 n, cap;
};

/* Where the labels read so far stand. */
struct score_load {
	struct score	*s;
	const char	*path;
	int		 stop;	/* a row did not parse: no more rows */
};

/* The labels of one piece of labels.csv: its header line, then rows. */
static int
score_piece(void *arg, const char *data, size_t len, size_t skip,
    char **why)
{
	struct score_load	*sl = arg;
	struct score		*s = sl->s;
	struct csv		 c;
	static const char *cols[] = { "event_id", "source", "label",
	    "scenario", "incident_id" };
	int			 idx[CSV_MAXCOLS], rv = 0;
	struct label		*l;
	uint32_t		 id;
	char			*bad = NULL;

	(void)skip;
	if (sl->stop)
		return (0);
	csv_init(&c, data, len);
	if (csv_header(&c, cols, 5, idx, &bad) != 0) {
		xasprintf(why, "%s: %s", sl->path, bad);
		free(bad);
		bad = NULL;
		sl->stop = 1;
		rv = -1;
	}
	while (rv == 0 && csv_next(&c, &bad) == 1) {
		id = symtab_intern(s->ids, c.cols[idx[0]], c.lens[idx[0]]);
		if (id >= s->cap) {
			s->cap = s->cap ? s->cap * 2 : 4096;
			s->l = xreallocarray(s->l, s->cap, sizeof *s->l);
		}
		if (id >= s->n)
			s->n = id + 1;
		l = &s->l[id];
		memset(l, 0, sizeof *l);
		l->rdw = strcmp(c.cols[idx[1]], "rdw") == 0;
		l->label = strcmp(c.cols[idx[2]], "lawful") == 0 ? L_LAWFUL :
		    strcmp(c.cols[idx[2]], "unlawful") == 0 ? L_UNLAWFUL :
		    L_MALFORMED;
		l->scenario = symtab_intern(s->names, c.cols[idx[3]],
		    c.lens[idx[3]]);
		l->incident = symtab_intern(s->names, c.cols[idx[4]],
		    c.lens[idx[4]]);
		l->alert = SYM_NONE;
		l->dept = SYM_NONE;
	}
	if (bad != NULL)
		sl->stop = 1;	/* as before pieces: the rest is not read */
	free(bad);
	csv_free(&c);
	return (rv);
}

/*
 * Load labels.csv(.gz) from a corpus folder; NULL with no labels. Read
 * in pieces of whole rows: val's 19 MB of labels never sit whole in
 * memory beside the table made of them.
 */
struct score *
score_new(const char *dir, char **cause)
{
	struct score_load	 sl;
	char			*path;

	xasprintf(&path, "%s/labels.csv.gz", dir);
	if (access(path, R_OK) != 0) {
		free(path);
		return (NULL);
	}
	sl.s = xcalloc(1, sizeof *sl.s);
	sl.path = path;
	sl.stop = 0;
	sl.s->ids = symtab_new();
	sl.s->names = symtab_new();
	sl.s->alerts = symtab_new();
	(void)slurp_csv(path, score_piece, &sl, cause);
	free(path);
	return (sl.s);
}

/* Free the scores. */
void
score_free(struct score *s)
{
	if (s == NULL)
		return;
	symtab_free(s->ids);
	symtab_free(s->names);
	symtab_free(s->alerts);
	free(s->l);
	free(s);
}

/* Record one decision. */
void
score_decision(struct score *s, const struct decision *d,
    const struct ref *ref)
{
	struct label	*l;
	uint32_t	 id;
	int32_t		 st;

	id = symtab_find(s->ids, d->event, strlen(d->event));
	if (id == SYM_NONE)
		return;
	l = &s->l[id];
	l->decided = 1;
	l->explained = d->expl != EXPL_NONE;
	st = ref_staff(ref, d->user);
	l->dept = symtab_intern(s->names, st >= 0 ? symtab_str(ref->names,
	    ref->staff[st].dept) : "(unknown)", strlen(st >= 0 ?
	    symtab_str(ref->names, ref->staff[st].dept) : "(unknown)"));
	if (d->held == ENGINE_LATER) {
		/* A provisional alert explained later: finally not flagged. */
		l->flagged = 0;
		l->later = 1;
		l->laterin = symtab_intern(s->alerts, d->incident,
		    strlen(d->incident));
	}
	if (d->flagged) {
		l->flagged = 1;
		l->alert = symtab_intern(s->alerts, d->incident,
		    strlen(d->incident));
	}
}

/* Incident recall per scenario, from the unlawful labels. */
static void
score_incidents(struct score *s, FILE *f)
{
	uint32_t	 nn = symtab_count(s->names), i, sc;
	uint8_t		*seen, *hit;
	uint32_t	*tot, *det, all = 0, alldet = 0;
	double		 worst = 1.0;

	seen = xcalloc(nn, 1);
	hit = xcalloc(nn, 1);
	tot = xcalloc(nn, sizeof *tot);
	det = xcalloc(nn, sizeof *det);
	for (i = 0; i < s->n; i++) {
		if (s->l[i].label != L_UNLAWFUL)
			continue;
		seen[s->l[i].incident] = 1;
		hit[s->l[i].incident] |= s->l[i].flagged;
		/* Remember the scenario of the incident in tot's index. */
		det[s->l[i].incident] = s->l[i].scenario;
	}
	for (i = 0; i < nn; i++) {
		if (!seen[i])
			continue;
		sc = det[i];
		tot[sc] += 0x10000;
		tot[sc] += hit[i];
		all++;
		alldet += hit[i];
	}
	fprintf(f, "incident recall: %.3f (%u of %u)\n", all ?
	    (double)alldet / all : 0.0, alldet, all);
	for (i = 0; i < nn; i++) {
		if (tot[i] == 0)
			continue;
		fprintf(f, "  %-22s %.3f (%u of %u)\n", symtab_str(s->names, i),
		    (double)(tot[i] & 0xffff) / (tot[i] >> 16), tot[i] & 0xffff,
		    tot[i] >> 16);
		if ((double)(tot[i] & 0xffff) / (tot[i] >> 16) < worst)
			worst = (double)(tot[i] & 0xffff) / (tot[i] >> 16);
	}
	fprintf(f, "weakest scenario recall: %.3f\n", worst);
	free(seen);
	free(hit);
	free(tot);
	free(det);
}

/* Share of lawful lookups explained, overall, per source, per department. */
static void
score_explained(struct score *s, FILE *f)
{
	uint32_t	 nn = symtab_count(s->names), i;
	uint32_t	*tot, *ex, src[2][2] = { { 0, 0 }, { 0, 0 } };

	tot = xcalloc(nn, sizeof *tot);
	ex = xcalloc(nn, sizeof *ex);
	for (i = 0; i < s->n; i++) {
		if (s->l[i].label != L_LAWFUL || !s->l[i].decided)
			continue;
		src[s->l[i].rdw][0]++;
		src[s->l[i].rdw][1] += s->l[i].explained;
		tot[s->l[i].dept]++;
		ex[s->l[i].dept] += s->l[i].explained;
	}
	fprintf(f, "lawful lookups explained automatically: %.3f\n",
	    (double)(src[0][1] + src[1][1]) / (src[0][0] + src[1][0] + 0.0001));
	fprintf(f, "  source brp %.3f, rdw %.3f\n", (double)src[0][1] /
	    (src[0][0] + 0.0001), (double)src[1][1] / (src[1][0] + 0.0001));
	for (i = 0; i < nn; i++)
		if (tot[i] > 0)
			fprintf(f, "  %-26s %.3f (%u)\n", symtab_str(s->names, i),
			    (double)ex[i] / tot[i], tot[i]);
	free(tot);
	free(ex);
}

/*
 * Provisional alerts explained later: the alerts an officer received
 * at once that a follow-up then withdrew (in part or whole), and their
 * lookups by label.
 */
static void
score_later(struct score *s, FILE *f, int officials, int days)
{
	uint32_t	 i, na = 0, nl = 0, unl = 0;
	uint8_t		*seen;

	seen = xcalloc(symtab_count(s->alerts) + 1, 1);
	for (i = 0; i < s->n; i++) {
		if (!s->l[i].later)
			continue;
		nl++;
		unl += s->l[i].label == L_UNLAWFUL;
		if (!seen[s->l[i].laterin]) {
			seen[s->l[i].laterin] = 1;
			na++;
		}
	}
	fprintf(f, "provisional alerts later explained: %u (%u lookups, %u "
	    "unlawful), per 100 officials per day: %.3f\n", na, nl, unl,
	    officials > 0 && days > 0 ? na / (officials / 100.0) / days :
	    0.0);
	free(seen);
}

/* Print every measure. */
void
score_print(struct score *s, FILE *f, int officials, int days)
{
	uint32_t	 i, tp = 0, fp = 0, unl = 0, mal = 0, nfpa = 0;
	uint8_t		*fpa;

	fpa = xcalloc(symtab_count(s->alerts) + 1, 1);
	for (i = 0; i < s->n; i++) {
		if (s->l[i].label == L_UNLAWFUL)
			unl++;
		if (!s->l[i].flagged)
			continue;
		if (s->l[i].label == L_UNLAWFUL) {
			tp++;
			continue;
		}
		fp++;
		mal += s->l[i].label == L_MALFORMED;
		if (!fpa[s->l[i].alert]) {
			fpa[s->l[i].alert] = 1;
			nfpa++;
		}
	}
	fprintf(f, "events flagged: %u (%u unlawful, %u lawful, %u malformed)"
	    "\n", tp + fp, tp, fp - mal, mal);
	fprintf(f, "event precision: %.3f\nevent recall: %.3f\n",
	    tp + fp ? (double)tp / (tp + fp) : 0.0, unl ? (double)tp / unl :
	    0.0);
	score_incidents(s, f);
	fprintf(f, "false-positive alerts: %u, per 100 officials per day: "
	    "%.3f\n", nfpa, officials > 0 && days > 0 ? nfpa /
	    (officials / 100.0) / days : 0.0);
	score_later(s, f, officials, days);
	score_explained(s, f);
	free(fpa);
}
