/* rload.h: helpers shared by the two halves of the rule file reader. */
#ifndef WACHTER_RLOAD_H
#define WACHTER_RLOAD_H

#include <stdint.h>
#include <yaml.h>

#include "rules/rule.h"

struct rload {
	yaml_document_t	*doc;
	const char	*file;
	char		**cause;
};

int		 rl_err(struct rload *, yaml_node_t *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
const char	*rl_scalar(yaml_node_t *);
int		 rl_str(struct rload *, yaml_node_t *, char **);
int		 rl_bool(struct rload *, yaml_node_t *, int64_t *);
int		 rl_num(struct rload *, yaml_node_t *, int, int64_t *);
int		 rl_duration(struct rload *, yaml_node_t *, int64_t *);
int		 rl_preds(struct rload *, yaml_node_t *, struct pred **,
		    size_t *, struct pred **, size_t *);
int		 rl_baseline(struct rload *, yaml_node_t *, struct rule *);
int		 rl_first_time(struct rload *, yaml_node_t *, struct rule *);

#endif
