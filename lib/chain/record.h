/*
 * record.h: the versioned binary layout of one chain record (an alert plus
 * its place in the chain). The bytes are what the Merkle tree hashes and
 * what PostgreSQL stores verbatim; docs/CHAIN.md gives the layout.
 */
#ifndef WACHTER_CHAIN_RECORD_H
#define WACHTER_CHAIN_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"
#include "chain/merkle.h"
#include "util/buf.h"

#define CHAIN_RECORD_VERSION	1
#define CHAIN_RECORD_V2		2	/* subjects are keyed pseudonyms */
#define CHAIN_RECORD_MAX	(1024 * 1024)
#define CHAIN_RECORD_HDR	89	/* magic .. prev hash */

enum chain_tag {
	CHAIN_TAG_KIND = 1,
	CHAIN_TAG_SEVERITY,
	CHAIN_TAG_INCIDENT,
	CHAIN_TAG_USER,
	CHAIN_TAG_FIRST_TS,
	CHAIN_TAG_LAST_TS,
	CHAIN_TAG_SCORE,
	CHAIN_TAG_RULES,
	CHAIN_TAG_EVENTS,
	CHAIN_TAG_SUBJECTS,
	CHAIN_TAG_SUMMARY,
	CHAIN_TAG_EXPLANATION,
	CHAIN_TAG_LAST = CHAIN_TAG_EXPLANATION,
};
#define CHAIN_TAG_OPTIONAL	0x8000	/* tags from here may be skipped */
#define CHAIN_TAG_PROVISIONAL	0x8101	/* events alerted provisionally */
#define CHAIN_TAG_EXPLAINED_BY	0x8102	/* kind 2: what explains each event */

struct chain_record {
	uint64_t	 seq;
	uint32_t	 epoch;
	int64_t		 time_us;
	merkle_hash	 log_id;
	merkle_hash	 prev;
	struct alert	*alert;		/* decoded fields; owned */
	uint8_t		 version;	/* 0 = CHAIN_RECORD_VERSION */
};

void	 chain_record_encode(struct buf *, const struct chain_record *);
int	 chain_record_decode(const uint8_t *, size_t, struct chain_record *,
	    char **) __attribute__((warn_unused_result));
void	 chain_record_clear(struct chain_record *);
int	 chain_record_v2_check(const struct alert *, char **)
	    __attribute__((warn_unused_result));
struct alert *chain_alert_canonical(const struct alert *);
int	 chain_alert_equal(const struct alert *, const struct alert *,
	    const char **);

#endif
