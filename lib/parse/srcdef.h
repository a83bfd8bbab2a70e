/*
 * srcdef.h: a declarative source definition, loaded from YAML, that says
 * how one log format maps onto struct lookup (see docs/SOURCES.md).
 */
#ifndef WACHTER_SRCDEF_H
#define WACHTER_SRCDEF_H

#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "parse/tz.h"

enum sd_kind {
	SD_JSON = 0,
	SD_DELIMITED,
};

/* Event fields a definition can map (besides subjects). */
enum sd_field {
	SF_ID = 0,
	SF_TIME,
	SF_USER,
	SF_WORKSTATION,
	SF_APPLICATION,
	SF_PURPOSE,
	SF_CASE,
	SF_REQUEST,
	SF_STATUS,
	SF_SURNAME,
	SF_PREFIX,
	SF_GIVEN,
	SF_BIRTHDATE,
	SF_POSTCODE,
	SF_HOUSENUMBER,
	SF__MAX
};

enum sd_timefmt {
	SD_TIME_RFC3339 = 0,
	SD_TIME_PATTERN,
	SD_TIME_EPOCH_S,
	SD_TIME_EPOCH_MS,
	SD_TIME_EPOCH_US,
};

enum sd_invalid {
	SD_INVALID_KEEP = 0,	/* keep, flagged subject.valid = 0 */
	SD_INVALID_BAD,		/* the line is malformed */
	SD_INVALID_BAD_IF_OK,	/* malformed unless the status is an error */
};

enum sd_join {
	SD_JOIN_NONE = 0,
	SD_JOIN_RECORDS,	/* many records per key; parentless closes */
	SD_JOIN_PARTNER,	/* one line per key, joined to records */
};

#define SD_ALT_MAX	4

/* One place a value may be found: a JSON path or a column. */
struct sd_path {
	char		*path;
	size_t		 len;
	int		 column;	/* delimited: index; -1 for JSON */
	int		 header;	/* look up under the header object */
	uint32_t	 slot;		/* its number among the definition's */
};

/* Where a value comes from: first alternative present wins. */
struct sd_src {
	struct sd_path	 alt[SD_ALT_MAX];
	int		 nalt;
	char		*value;		/* constant instead of a path */
	char		*before;	/* keep only what precedes this */
	char		*split;		/* several values in one cell */
};

struct sd_reqmap {
	char		*from;
	uint8_t		 request;	/* enum ev_request */
};

struct sd_subject {
	struct sd_src	 src;
	uint8_t		 kind;		/* enum subj_kind */
	uint8_t		 role;		/* enum subj_role */
	uint8_t		 invalid;	/* enum sd_invalid */
	char		**when;		/* raw request values; NULL: all */
	size_t		 nwhen;
};

struct srcdef {
	char		*name;
	char		*file;
	enum sd_kind	 kind;
	uint8_t		 reg;		/* enum ev_register */
	char		 sep;
	int		 header;	/* first line names the columns */
	char		**columns;
	size_t		 ncolumns;
	char		*header_line;	/* columns joined by sep */
	struct sd_path	 headers;	/* the header object (JSON) */
	size_t		 max_line;
	int64_t		 lateness;	/* default for its sources, 0: none */

	struct sd_src	 field[SF__MAX];
	enum sd_timefmt	 timefmt;
	char		*timepattern;
	enum tz_zone	 zone;
	char		**success;
	size_t		 nsuccess;
	struct sd_reqmap *requests;
	size_t		 nrequests;
	struct sd_subject *subjects;
	size_t		 nsubjects;

	enum sd_join	 join;
	struct sd_src	 key;
	struct sd_src	 parent;
	char		*with;		/* partner: the records' definition */
	uint32_t	 from_records;	/* partner: 1 << SF_* the records win */
	uint32_t	 npaths;	/* paths of fields, key, parent, subjects */
};

struct srcdef	*srcdef_load(const char *, const char *, size_t, char **)
		    __attribute__((warn_unused_result));
void		 srcdef_free(struct srcdef *);
const char	*srcdef_field_name(enum sd_field);

#endif
