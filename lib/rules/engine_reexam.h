/*
 * engine_reexam.h: lookups kept until the life of the case that
 * explained them is known (engine_reexam.c), and their durable form
 * (engine_reexam_state.c).
 */
#ifndef WACHTER_ENGINE_REEXAM_H
#define WACHTER_ENGINE_REEXAM_H

#include "event/event.h"
#include "util/buf.h"

#define RX_SCAN		USEC_PER_HOUR	/* how often due cases are looked at */
#define RX_SUBJ		2	/* subjects kept per lookup */
#define RX_LOOKS	16	/* lookups kept per case */
#define RX_AGAIN	ENGINE_AGAIN	/* decision.held of a re-examination (after
				   ENGINE_LATE, ENGINE_OUTLIER) */

/*
 * A kept lookup: enough to compute its facts again. Tens of thousands
 * are kept at a time, so who looked is a symbol in the state's names
 * and the event id its own string (ids do not repeat).
 */
struct rx_look {
	char		*id;
	int64_t		 ts;
	uint32_t	 user;		/* sym in reexam names */
	uint32_t	 source;
	uint8_t		 reg, request, nsubj;
	struct subject	 subj[RX_SUBJ];
};

/* A case whose lookups wait for its life to be known. */
struct rx_case {
	char		 case_id[EV_CASEID_MAX];
	uint32_t	 user;			/* first to look, sym in names */
	int32_t		 kase;			/* index in rx->ref, -1 */
	uint8_t		 others;		/* someone else on it looked */
	uint8_t		 pruned;		/* looks that cannot flag dropped */
	uint32_t	 nlooks;
	int64_t		 until;
	struct rx_look	*looks;
};

struct reexam {
	const struct ref	*ref;		/* kase and by_case are for it */
	int32_t			*by_case;	/* case index -> entry, -1 */
	uint64_t		*by_subj;	/* a bit per subject of a kept
						   case (and maybe of one since
						   dropped, until rx_mark_all) */
	uint32_t		 nsubj;		/* subjects by_subj covers */
	struct symtab		*names;		/* users of kept lookups */
	struct rx_case		*v;
	size_t			 n, cap;
	int64_t			 last_scan;
};

struct engine;

void	 reexam_feed(struct engine *, const struct lookup *);
void	 reexam_advance(struct engine *);
void	 reexam_flush(struct engine *);
size_t	 reexam_count(const struct engine *);
void	 reexam_free(struct reexam *);
void	 reexam_words(struct engine *, struct buf *);
void	 reexam_export(const struct engine *, struct buf *);
int	 reexam_import(struct engine *, char *)
	    __attribute__((warn_unused_result));
struct rx_look *reexam_keep(struct reexam *, struct rx_case *,
	    const struct lookup *);
const char *reexam_name(const struct reexam *, uint32_t);
struct rx_case *reexam_case(struct engine *, const char *, const char *,
	    int64_t);

#endif
