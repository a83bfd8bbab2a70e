/*
 * rule_file.c: the structure of a rule file: a top-level "rules:" list,
 * each rule's keys, its window or sequence, and its tests.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "alert/alert.h"
#include "rules/fact.h"
#include "rules/rload.h"
#include "rules/rule.h"
#include "util/xmalloc.h"

#define NODE(rl, i)	yaml_document_get_node((rl)->doc, (i))
#define FOREACH_PAIR(n, pr) for ((pr) = (n)->data.mapping.pairs.start; \
	(pr) < (n)->data.mapping.pairs.top; (pr)++)
#define FOREACH_ITEM(n, it) for ((it) = (n)->data.sequence.items.start; \
	(it) < (n)->data.sequence.items.top; (it)++)

/* Create an empty rule set. */
struct ruleset *
ruleset_new(void)
{
	return (xcalloc(1, sizeof(struct ruleset)));
}

/* Free a predicate list. */
static void
preds_free(struct pred *p, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < p[i].nstrs; j++)
			free(p[i].strs[j]);
		free(p[i].strs);
	}
	free(p);
}

/* Free a list of strings. */
static void
strs_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free one rule's tests. */
static void
tests_free(struct rtest *t, size_t n)
{
	size_t			 i, j;
	struct rtest_event	*e;

	for (i = 0; i < n; i++) {
		for (j = 0; j < t[i].nevents; j++) {
			e = &t[i].events[j];
			free(e->user); free(e->time); free(e->reg);
			free(e->request); free(e->status); free(e->caseref);
			free(e->plate); free(e->owner); free(e->postcode);
			strs_free(e->bsns, e->nbsns);
			strs_free(e->results, e->nresults);
		}
		free(t[i].events);
	}
	free(t);
}

/* Free a rule set. */
void
ruleset_free(struct ruleset *rs)
{
	struct rule	*r;
	size_t		 i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		r = &rs->rules[i];
		free(r->id); free(r->title); free(r->description); free(r->file);
		preds_free(r->when, r->nwhen);
		preds_free(r->subj, r->nsubj);
		preds_free(r->first, r->nfirst);
		tests_free(r->tests, r->ntests);
	}
	free(rs->rules);
	free(rs);
}

/* Read a list of scalars. */
static int
rl_list(struct rload *rl, yaml_node_t *n, char ***out, size_t *nout)
{
	yaml_node_item_t	*it;
	const char		*s;

	if (n->type == YAML_SCALAR_NODE) {
		*out = xreallocarray(*out, *nout + 1, sizeof **out);
		(*out)[(*nout)++] = xstrdup(rl_scalar(n));
		return (0);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return (rl_err(rl, n, "expected a list"));
	FOREACH_ITEM(n, it) {
		if ((s = rl_scalar(NODE(rl, *it))) == NULL)
			return (rl_err(rl, NODE(rl, *it), "expected a value"));
		*out = xreallocarray(*out, *nout + 1, sizeof **out);
		(*out)[(*nout)++] = xstrdup(s);
	}
	return (0);
}

/* Read one test event. */
static int
rl_test_event(struct rload *rl, yaml_node_t *n, struct rtest_event *e)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*k, *v;
	const char		*ks;
	int64_t			 num;

	memset(e, 0, sizeof *e);
	e->repeat = 1;
	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "expected an event mapping"));
	FOREACH_PAIR(n, pr) {
		k = NODE(rl, pr->key);
		v = NODE(rl, pr->value);
		ks = rl_scalar(k) ? rl_scalar(k) : "";
		if (strcmp(ks, "user") == 0 && rl_str(rl, v, &e->user) == 0)
			continue;
		if (strcmp(ks, "time") == 0 && rl_str(rl, v, &e->time) == 0)
			continue;
		if (strcmp(ks, "register") == 0 && rl_str(rl, v, &e->reg) == 0)
			continue;
		if (strcmp(ks, "request") == 0 &&
		    rl_str(rl, v, &e->request) == 0)
			continue;
		if (strcmp(ks, "status") == 0 && rl_str(rl, v, &e->status) == 0)
			continue;
		if (strcmp(ks, "case") == 0 && rl_str(rl, v, &e->caseref) == 0)
			continue;
		if (strcmp(ks, "plate") == 0 && rl_str(rl, v, &e->plate) == 0)
			continue;
		if (strcmp(ks, "owner") == 0 && rl_str(rl, v, &e->owner) == 0)
			continue;
		if (strcmp(ks, "bsn") == 0 &&
		    rl_list(rl, v, &e->bsns, &e->nbsns) == 0)
			continue;
		if (strcmp(ks, "results") == 0 &&
		    rl_list(rl, v, &e->results, &e->nresults) == 0)
			continue;
		if (strcmp(ks, "repeat") == 0 && rl_num(rl, v, 0, &num) == 0) {
			if (num < 1 || num > 100000)
				return (rl_err(rl, v, "repeat is 1 to 100000"));
			e->repeat = (int)num;
			continue;
		}
		if (strcmp(ks, "step") == 0 && rl_duration(rl, v, &e->step) == 0)
			continue;
		if (strcmp(ks, "damaged") == 0 &&
		    rl_bool(rl, v, &e->damaged) == 0)
			continue;
		if (*rl->cause == NULL)
			rl_err(rl, k, "unknown test event key '%s'", ks);
		return (-1);
	}
	if (e->user == NULL || e->time == NULL)
		return (rl_err(rl, n, "a test event needs user and time"));
	return (0);
}

/* Read one test: {fire: true|false, [later: true|false,] events: [...]}. */
static int
rl_test(struct rload *rl, yaml_node_t *n, struct rtest *t)
{
	yaml_node_pair_t	*pr;
	yaml_node_item_t	*it;
	yaml_node_t		*k, *v;
	const char		*ks;
	int64_t			 b;

	memset(t, 0, sizeof *t);
	t->fire = t->later = -1;
	t->line = (int)n->start_mark.line + 1;
	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "expected a test mapping"));
	FOREACH_PAIR(n, pr) {
		k = NODE(rl, pr->key);
		v = NODE(rl, pr->value);
		ks = rl_scalar(k) ? rl_scalar(k) : "";
		if (strcmp(ks, "fire") == 0) {
			if (rl_bool(rl, v, &b) != 0)
				return (-1);
			t->fire = (int)b;
		} else if (strcmp(ks, "later") == 0) {
			if (rl_bool(rl, v, &b) != 0)
				return (-1);
			t->later = (int)b;
		} else if (strcmp(ks, "events") == 0 &&
		    v->type == YAML_SEQUENCE_NODE) {
			FOREACH_ITEM(v, it) {
				t->events = xreallocarray(t->events,
				    t->nevents + 1, sizeof *t->events);
				if (rl_test_event(rl, NODE(rl, *it),
				    &t->events[t->nevents++]) != 0)
					return (-1);
			}
		} else
			return (rl_err(rl, k, "unknown test key '%s' (fire, "
			    "later, events)", ks));
	}
	if (t->fire == -1 || t->nevents == 0)
		return (rl_err(rl, n, "a test needs fire: and events:"));
	return (0);
}

/* Read a window: {distinct: subjects|count: lookups, within, at_least}. */
static int
rl_window(struct rload *rl, yaml_node_t *n, struct rule *r)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*k, *v;
	const char		*ks, *vs;

	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "expected a window mapping"));
	FOREACH_PAIR(n, pr) {
		k = NODE(rl, pr->key);
		v = NODE(rl, pr->value);
		ks = rl_scalar(k) ? rl_scalar(k) : "";
		vs = rl_scalar(v) ? rl_scalar(v) : "";
		if (strcmp(ks, "count") == 0 && strcmp(vs, "subjects") == 0)
			r->window = WINDOW_DISTINCT;
		else if (strcmp(ks, "count") == 0 && strcmp(vs, "lookups") == 0)
			r->window = WINDOW_COUNT;
		else if (strcmp(ks, "count") == 0)
			return (rl_err(rl, v, "count is subjects or lookups"));
		else if (strcmp(ks, "within") == 0) {
			if (rl_duration(rl, v, &r->within) != 0)
				return (-1);
		} else if (strcmp(ks, "at_least") == 0) {
			if (rl_num(rl, v, 0, &r->at_least) != 0)
				return (-1);
		} else
			return (rl_err(rl, k, "unknown window key '%s' (count, "
			    "within, at_least)", ks));
	}
	if (r->window == WINDOW_NONE || r->within <= 0 || r->at_least <= 0)
		return (rl_err(rl, n, "a window needs count, within and "
		    "at_least"));
	return (0);
}

/* Read a sequence: {first: {facts}, within: 30m}; the link is the owner. */
static int
rl_sequence(struct rload *rl, yaml_node_t *n, struct rule *r)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*k, *v;
	const char		*ks;

	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "expected a sequence mapping"));
	r->seq = 1;
	FOREACH_PAIR(n, pr) {
		k = NODE(rl, pr->key);
		v = NODE(rl, pr->value);
		ks = rl_scalar(k) ? rl_scalar(k) : "";
		if (strcmp(ks, "first") == 0) {
			if (rl_preds(rl, v, &r->first, &r->nfirst, NULL,
			    NULL) != 0)
				return (-1);
		} else if (strcmp(ks, "within") == 0) {
			if (rl_duration(rl, v, &r->within) != 0)
				return (-1);
		} else
			return (rl_err(rl, k, "unknown sequence key '%s' "
			    "(first, within)", ks));
	}
	if (r->within <= 0)
		return (rl_err(rl, n, "a sequence needs within"));
	return (0);
}

/*
 * Whether a rule id is 1 to 64 ASCII letters, digits, '.', '_' or '-':
 * ids reach alerts, metrics labels, logs and terminals.
 */
static int
rl_id_valid(const char *id)
{
	size_t	 n = strspn(id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	return (n > 0 && n <= 64 && id[n] == '\0');
}

/* Read one key of a rule. */
static int
rl_rule_key(struct rload *rl, struct rule *r, yaml_node_t *k, yaml_node_t *v)
{
	const char		*ks = rl_scalar(k) ? rl_scalar(k) : "";
	enum alert_severity	 sev;
	int64_t			 num;
	yaml_node_item_t	*it;

	if (strcmp(ks, "id") == 0) {
		if (rl_str(rl, v, &r->id) != 0)
			return (-1);
		if (!rl_id_valid(r->id))
			return (rl_err(rl, v, "a rule id is 1 to 64 letters, "
			    "digits, '.', '_' or '-'"));
		return (0);
	}
	if (strcmp(ks, "title") == 0)
		return (rl_str(rl, v, &r->title));
	if (strcmp(ks, "description") == 0)
		return (rl_str(rl, v, &r->description));
	if (strcmp(ks, "severity") == 0) {
		if (rl_scalar(v) == NULL ||
		    alert_severity_parse(rl_scalar(v), &sev) != 0)
			return (rl_err(rl, v, "severity is info, low, medium, "
			    "high or critical"));
		r->severity = (uint8_t)sev;
		return (0);
	}
	if (strcmp(ks, "weight") == 0) {
		if (rl_num(rl, v, 1, &num) != 0)
			return (-1);
		if (num < -1000000 || num > 1000000)
			return (rl_err(rl, v, "weight is between -1000 and "
			    "1000"));
		r->weight = (int32_t)num;
		return (0);
	}
	if (strcmp(ks, "urgent") == 0) {
		if (rl_bool(rl, v, &num) != 0)
			return (-1);
		r->urgent = (int)num;
		return (0);
	}
	if (strcmp(ks, "reexamine") == 0) {
		if (rl_bool(rl, v, &num) != 0)
			return (-1);
		r->reexamine = (int)num;
		return (0);
	}
	if (strcmp(ks, "when") == 0)
		return (rl_preds(rl, v, &r->when, &r->nwhen, &r->subj,
		    &r->nsubj));
	if (strcmp(ks, "window") == 0)
		return (rl_window(rl, v, r));
	if (strcmp(ks, "sequence") == 0)
		return (rl_sequence(rl, v, r));
	if (strcmp(ks, "baseline") == 0)
		return (rl_baseline(rl, v, r));
	if (strcmp(ks, "first_time") == 0)
		return (rl_first_time(rl, v, r));
	if (strcmp(ks, "tests") == 0) {
		if (v->type != YAML_SEQUENCE_NODE)
			return (rl_err(rl, v, "tests is a list"));
		FOREACH_ITEM(v, it) {
			r->tests = xreallocarray(r->tests, r->ntests + 1,
			    sizeof *r->tests);
			if (rl_test(rl, NODE(rl, *it), &r->tests[r->ntests++]))
				return (-1);
		}
		return (0);
	}
	return (rl_err(rl, k, "unknown rule key '%s'", ks));
}

/* Read one rule mapping. */
static int
rl_rule(struct rload *rl, struct ruleset *rs, yaml_node_t *n)
{
	struct rule		*r;
	yaml_node_pair_t	*pr;

	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "a rule is a mapping"));
	if (rs->n == RULES_MAX)
		return (rl_err(rl, n, "more than %d rules", RULES_MAX));
	rs->rules = xreallocarray(rs->rules, rs->n + 1, sizeof *rs->rules);
	r = &rs->rules[rs->n++];
	memset(r, 0, sizeof *r);
	r->file = xstrdup(rl->file);
	r->line = (int)n->start_mark.line + 1;
	r->severity = ALERT_MEDIUM;
	FOREACH_PAIR(n, pr) {
		if (rl_rule_key(rl, r, NODE(rl, pr->key), NODE(rl, pr->value)))
			return (-1);
	}
	if (r->id == NULL || r->title == NULL || r->description == NULL)
		return (rl_err(rl, n, "a rule needs id, title and "
		    "description"));
	if ((r->window != WINDOW_NONE) + r->seq + (r->base != BASE_NONE) +
	    (r->novel != NOVEL_NONE) > 1)
		return (rl_err(rl, n, "a rule has at most one of window, "
		    "sequence, baseline and first_time"));
	if (r->reexamine && (RULE_STATEFUL(r) || r->urgent))
		return (rl_err(rl, n, "a rule that is reexamined has no "
		    "window, sequence, baseline, first_time or urgent"));
	return (0);
}

/* Walk the document: a mapping with one key, rules. */
static int
rl_document(struct rload *rl, struct ruleset *rs)
{
	yaml_node_t		*root, *k, *v;
	yaml_node_pair_t	*pr;
	yaml_node_item_t	*it;

	root = yaml_document_get_root_node(rl->doc);
	if (root == NULL)
		return (0);
	if (root->type != YAML_MAPPING_NODE)
		return (rl_err(rl, root, "expected a mapping with 'rules:'"));
	FOREACH_PAIR(root, pr) {
		k = NODE(rl, pr->key);
		v = NODE(rl, pr->value);
		if (rl_scalar(k) == NULL || strcmp(rl_scalar(k), "rules") != 0)
			return (rl_err(rl, k, "unknown top-level key '%s'",
			    rl_scalar(k) ? rl_scalar(k) : ""));
		if (v->type != YAML_SEQUENCE_NODE)
			return (rl_err(rl, v, "rules is a list"));
		FOREACH_ITEM(v, it)
			if (rl_rule(rl, rs, NODE(rl, *it)) != 0)
				return (-1);
	}
	return (0);
}

/* Load one rule file's text into the set; errors are file:line:column. */
int
ruleset_load(struct ruleset *rs, const char *file, const char *data,
    size_t len, char **cause)
{
	yaml_parser_t	 p;
	yaml_document_t	 doc;
	struct rload	 rl = { &doc, file, cause };
	int		 rv;

	*cause = NULL;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	if (!yaml_parser_load(&p, &doc)) {
		xasprintf(cause, "%s:%zu:%zu: %s", file,
		    p.problem_mark.line + 1, p.problem_mark.column + 1,
		    p.problem ? p.problem : "YAML error");
		yaml_parser_delete(&p);
		return (-1);
	}
	rv = rl_document(&rl, rs);
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return (rv);
}

/* Check the set as a whole: ids unique. */
int
ruleset_check(const struct ruleset *rs, char **cause)
{
	size_t	 i, j;

	for (i = 0; i < rs->n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(rs->rules[i].id, rs->rules[j].id) == 0) {
				xasprintf(cause, "%s:%d:1: rule id '%s' is "
				    "already used at %s:%d", rs->rules[i].file,
				    rs->rules[i].line, rs->rules[i].id,
				    rs->rules[j].file, rs->rules[j].line);
				return (-1);
			}
	return (0);
}
