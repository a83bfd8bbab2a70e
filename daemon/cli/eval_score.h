/* eval_score.h: compare decisions with a corpus's labels and print scores. */
#ifndef WACHTER_EVAL_SCORE_H
#define WACHTER_EVAL_SCORE_H

#include <stdio.h>

#include "enrich/ref.h"
#include "rules/engine.h"

struct score;

struct score	*score_new(const char *, char **);
void		 score_free(struct score *);
void		 score_decision(struct score *, const struct decision *,
		    const struct ref *);
void		 score_print(struct score *, FILE *, int, int);

#endif
