/*
 * explain.h: what explains a lookup under the municipality's policy: a
 * case of the user or the user's team that has the subject on it (open,
 * or closed at most the after-care period ago), or a counter appointment
 * with the citizen. Deciding live, a case counts only once it has been
 * registered ("now" >= registered_at).
 */
#ifndef WACHTER_EXPLAIN_H
#define WACHTER_EXPLAIN_H

#include <stdint.h>

#include "enrich/ref.h"
#include "event/event.h"

enum expl_kind {
	EXPL_NONE = 0,
	EXPL_CASE,		/* named assignee */
	EXPL_CASE_TEAM,		/* case of the user's team */
	EXPL_APPOINTMENT,	/* counter appointment */
	EXPL_AFTERCARE,		/* case closed within the after-care period */
	EXPL_RETRY,		/* empty result, followed by an explained one */
	EXPL_NKINDS
};

struct explain_settings {
	int64_t		 aftercare;	/* µs after closed_at */
	int64_t		 appt_before;	/* µs before start_at */
	int64_t		 appt_after;	/* µs after end_at */
};

/* The explanation of one subject. */
struct expl {
	uint8_t		 kind;		/* enum expl_kind */
	int32_t		 kase;		/* explaining case, -1 */
	int32_t		 appt;		/* explaining appointment, -1 */
};

void		 explain_defaults(struct explain_settings *);
int		 explain_employed(const struct staff *, int64_t);
int		 explain_employed_on(const struct staff *, int32_t);
void		 explain_subject(const struct ref *, const struct explain_settings *,
		    const struct staff *, uint32_t, int32_t, int64_t, int64_t,
		    struct expl *);
void		 explain_subject_employed(const struct ref *,
		    const struct explain_settings *, const struct staff *,
		    uint32_t, int32_t, int64_t, int64_t, struct expl *);
const char	*explain_name(enum expl_kind);
const char	*explain_words(enum expl_kind);
int		 explain_parse(const char *, enum expl_kind *);
int		 explain_rank(enum expl_kind);

#endif
