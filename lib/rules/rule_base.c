/*
 * rule_base.c: the rule keys that compare a user with the past: a
 * baseline (today's volume against the user's own history and the
 * department's peers) and first_time (a subject or postcode area the
 * user never touched before).
 */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "rules/rload.h"
#include "rules/rule.h"

#define NODE(rl, i)	yaml_document_get_node((rl)->doc, (i))

/* Read one baseline key. */
static int
rl_baseline_key(struct rload *rl, struct rule *r, yaml_node_t *k,
    yaml_node_t *v)
{
	const char	*ks = rl_scalar(k) ? rl_scalar(k) : "";
	const char	*vs = rl_scalar(v) ? rl_scalar(v) : "";
	int64_t		 num;

	if (strcmp(ks, "metric") == 0) {
		if (strcmp(vs, "distinct_subjects_per_day") != 0)
			return (rl_err(rl, v, "metric is "
			    "distinct_subjects_per_day"));
		r->base = BASE_DISTINCT_DAY;
		return (0);
	}
	if (strcmp(ks, "min_days") == 0)
		return (rl_num(rl, v, 0, &r->min_days));
	if (strcmp(ks, "min_count") == 0)
		return (rl_num(rl, v, 0, &r->min_count));
	if (strcmp(ks, "above_own") != 0 && strcmp(ks, "above_peers") != 0)
		return (rl_err(rl, k, "unknown baseline key '%s' (metric, "
		    "above_own, above_peers, min_days, min_count)", ks));
	if (rl_num(rl, v, 1, &num) != 0)
		return (-1);
	if (num <= 0 || num > 1000000)
		return (rl_err(rl, v, "%s is a number of standard deviations "
		    "above 0", ks));
	if (strcmp(ks, "above_own") == 0)
		r->above_own = (int32_t)num;
	else
		r->above_peers = (int32_t)num;
	return (0);
}

/*
 * Read a baseline: {metric: distinct_subjects_per_day, above_own: 3,
 * above_peers: 3, min_days: 5, min_count: 20}.
 */
int
rl_baseline(struct rload *rl, yaml_node_t *n, struct rule *r)
{
	yaml_node_pair_t	*pr;

	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "expected a baseline mapping"));
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++)
		if (rl_baseline_key(rl, r, NODE(rl, pr->key),
		    NODE(rl, pr->value)) != 0)
			return (-1);
	if (r->base == BASE_NONE)
		return (rl_err(rl, n, "a baseline needs a metric"));
	if (r->above_own == 0 && r->above_peers == 0)
		return (rl_err(rl, n, "a baseline needs above_own, "
		    "above_peers or both"));
	if (r->min_days < 1 || r->min_count < 1)
		return (rl_err(rl, n, "a baseline needs min_days and "
		    "min_count of at least 1"));
	return (0);
}

/* Read first_time: {of: subject|postcode_area, min_days: 10}. */
int
rl_first_time(struct rload *rl, yaml_node_t *n, struct rule *r)
{
	yaml_node_pair_t	*pr;
	yaml_node_t		*k, *v;
	const char		*ks, *vs;

	if (n->type != YAML_MAPPING_NODE)
		return (rl_err(rl, n, "expected a first_time mapping"));
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++) {
		k = NODE(rl, pr->key);
		v = NODE(rl, pr->value);
		ks = rl_scalar(k) ? rl_scalar(k) : "";
		vs = rl_scalar(v) ? rl_scalar(v) : "";
		if (strcmp(ks, "of") == 0 && strcmp(vs, "subject") == 0)
			r->novel = NOVEL_SUBJECT;
		else if (strcmp(ks, "of") == 0 &&
		    strcmp(vs, "postcode_area") == 0)
			r->novel = NOVEL_AREA;
		else if (strcmp(ks, "of") == 0)
			return (rl_err(rl, v, "of is subject or postcode_area"));
		else if (strcmp(ks, "min_days") == 0) {
			if (rl_num(rl, v, 0, &r->min_days) != 0)
				return (-1);
		} else
			return (rl_err(rl, k, "unknown first_time key '%s' "
			    "(of, min_days)", ks));
	}
	if (r->novel == NOVEL_NONE)
		return (rl_err(rl, n, "first_time needs of: subject or "
		    "postcode_area"));
	return (0);
}
