/*
 * fact.h: the facts a rule can test, computed once per lookup from the
 * event and the reference data. Event facts hold for the lookup; subject
 * facts hold for one subject (a person or vehicle it touched), and a
 * rule's subject predicates must all hold for the same subject.
 */
#ifndef WACHTER_FACT_H
#define WACHTER_FACT_H

#include <stdint.h>

#include "enrich/explain.h"
#include "rules/case_stats.h"
#include "enrich/ref.h"
#include "enrich/reftime.h"
#include "event/event.h"

enum fact_type {
	FT_BOOL = 0,
	FT_NUM,
	FT_STR,
	FT_SET,		/* bits named by values */
};

enum fact_id {
	F_REGISTER = 0, F_REQUEST, F_STATUS, F_EXPLANATION, F_EMPTY,
	F_SUBJECTS, F_CASE_CITED, F_CASE_KNOWN, F_CASE_PENDING, F_CASE_EXPLAINS, F_CASE_OWN,
	F_HOUR, F_WEEKDAY, F_USER_KNOWN, F_USER_DEPT, F_USER_ROLE,
	F_USER_SERVICE, F_USER_EMPLOYED, F_USER_IN_SCHEDULE,
	F_USER_OUTSIDE_MIN, F_USER_DESK_SHIFT, F_DAMAGED,
	F_ANY_RELATED, F_ANY_SECRET, F_ALL_RESIDENT,
	F_NEVENT,
	/* Subject facts from here on. */
	FS_EXPLAINED = F_NEVENT, FS_EXPLANATION, FS_ROLE, FS_SELF,
	FS_RELATED, FS_COLLEAGUE, FS_NEIGHBOUR, FS_HOUSEMATE, FS_SAME_SURNAME, FS_WATCH,
	FS_SECRET, FS_RESIDENT, FS_KNOWN, FS_PLATE, FS_CASE_SELF,
	FS_CASE_AGE_MIN, FS_CASE_SUBJECTS, FS_CASE_FOREIGN, FS_CASE_TYPE,
	FS_CASE_CLOSED_DAYS, FS_CASE_TYPE_PERMILLE,
	FS_CASE_LIFE_PERMILLE, FS_CASE_UNTOUCHED, FS_CASE_TYPE_ONCALL,
	F_NFACTS
};

/* Per-subject facts. */
#define SF_SELF		0x0001
#define SF_COLLEAGUE	0x0002
#define SF_NEIGHBOUR	0x0004
#define SF_HOUSEMATE	0x0008
#define SF_SURNAME	0x0010
#define SF_SECRET	0x0020
#define SF_RESIDENT	0x0040
#define SF_KNOWN	0x0080
#define SF_PLATE	0x0100
#define SF_COUNTS	0x0200	/* counts for the explanation */

struct sfacts {
	uint64_t	 key;		/* keytab_key, until sym is found */
	uint32_t	 sym;		/* subjects symbol, SYM_NONE */
	uint16_t	 flags;		/* SF_* */
	uint8_t		 watch;		/* WATCH_* */
	uint8_t		 role;		/* enum subj_role */
	struct expl	 e;
};

struct facts {
	const struct lookup	*ev;
	const struct ref	*ref;
	const struct staff	*st;
	struct refkeys		 keys;		/* of ev's user and case id */
	struct localtm		 lt;
	struct localspan	 lspan;		/* lt's day, for the next */
	int64_t			 now;
	int64_t			 grace;		/* a cited case may still come */
	int32_t			 cited;		/* case index, -1 */
	uint8_t			 expl;		/* event-level enum expl_kind */
	uint8_t			 employed;
	uint8_t			 in_schedule;
	uint8_t			 desk_shift;
	uint8_t			 case_explains;
	uint8_t			 case_own;
	int32_t			 outside_min;
	uint32_t		 ncounting;
	uint8_t			 nobody;	/* the register returned nobody */
	uint8_t			 any_related;	/* of the counting subjects */
	uint8_t			 any_secret;
	uint8_t			 all_resident;
	uint32_t		 nsf;
	uint32_t		 sfcap;
	struct sfacts		*sf;
	struct case_stats	*cs;		/* of cs_ref */
	const struct ref	*cs_ref;
	/* Re-examination (engine_reexam.c): a case's life is known. */
	uint8_t			 reexam;	/* reexamine rules may fire */
	uint8_t			 partial;	/* late facts not known yet */
	uint8_t			 rx_untouched;	/* nobody else on rx_case */
	uint8_t			 rx_known;	/* rx_untouched is final */
	int32_t			 rx_case;	/* case index, -1 */
};

struct fact_def {
	const char	*name;
	uint8_t		 type;		/* enum fact_type */
	const char	*const *values;	/* allowed strings, NULL if free */
};

const struct fact_def *fact_def(enum fact_id);
int		 fact_lookup(const char *);
void		 facts_init(struct facts *);
void		 facts_free(struct facts *);
void		 facts_compute(struct facts *, const struct ref *,
		    const struct explain_settings *, const struct lookup *,
		    int64_t);
void		 facts_set_retry(struct facts *);
int		 fact_late(const struct facts *, enum fact_id);
int		 fact_may_be_late(enum fact_id);
int64_t		 fact_num(const struct facts *, const struct sfacts *,
		    enum fact_id);
int		 fact_code(const struct facts *, const struct sfacts *,
		    enum fact_id);
const char	*fact_str(const struct facts *, const struct sfacts *,
		    enum fact_id, char *, size_t);

#endif
