/*
 * corpus.h: read the logs of a corpus (a folder with manifest.json, or
 * files named with their format) through their source definitions, a
 * records log and its partner joined (Logboek Dataverwerkingen), and
 * merged into one stream of lookups in time order. For "wachter parse"
 * and "wachter eval".
 */
#ifndef WACHTER_CORPUS_H
#define WACHTER_CORPUS_H

#include <stdint.h>

#include "event/event.h"

/* One outcome; pointers stay valid until the next corpus_next(). */
struct corpus_item {
	const struct lookup *ev;	/* NULL: a malformed line or group */
	const char	*file;
	uint64_t	 lineno;	/* 0 for a joined group */
	const char	*id;		/* bad: the salvaged id, or "" */
	const char	*reason;	/* bad: why */
};

struct corpus_stats {
	uint64_t	 lookups;	/* attributable lookups */
	uint64_t	 unattributed;	/* EV_F_NO_USER (LDV, no partner) */
	uint64_t	 bad;		/* malformed lines and groups */
};

struct corpus;

struct corpus	*corpus_new(const char *);
void		 corpus_free(struct corpus *);
int		 corpus_add(struct corpus *, const char *, const char *,
		    const char *, char **);
int		 corpus_open_dir(struct corpus *, const char *, char **);
int		 corpus_manifest_int(const struct corpus *, const char *);
int		 corpus_next(struct corpus *, struct corpus_item *, char **);
const struct corpus_stats *corpus_stats(const struct corpus *);
int64_t		 corpus_lateness(const struct corpus *, uint32_t);

#endif
