/*
 * ref.h: the reference data that explains lookups (staff, persons,
 * vehicles, cases, appointments, watchlist), parsed from the CSV exports
 * of FORMAT.md into compact indexes. A struct ref is built once, then
 * only read; the daemon swaps in a new one when the tables change.
 */
#ifndef WACHTER_REF_H
#define WACHTER_REF_H

#include <stddef.h>
#include <stdint.h>

#include "enrich/keytab.h"
#include "enrich/symtab.h"

enum ref_kind {
	REF_STAFF = 0,
	REF_PERSONS,
	REF_VEHICLES,
	REF_CASES,
	REF_APPOINTMENTS,
	REF_WATCHLIST,
	REF_NKINDS
};

/* Staff roles. */
#define ROLE_BRP	0x01
#define ROLE_RDW	0x02
#define ROLE_HANDLER	0x04
#define ROLE_BALIE	0x08
#define ROLE_LEAD	0x10
#define ROLE_PIKET	0x20
#define ROLE_BATCH	0x40

/* Watchlist categories. */
#define WATCH_VIP	0x01
#define WATCH_PROTECTED	0x02
#define WATCH_FAMILY	0x04
#define WATCH_CRIME	0x08
#define WATCH_OTHER	0x10

#define SCHED_SEGS	4
#define DAY_NONE	INT32_MAX
#define TS_NEVER	INT64_MAX

struct staff {
	uint32_t	 user;		/* sym in names */
	uint32_t	 dept;
	uint32_t	 team;
	uint32_t	 surname;	/* lower case, sym in names */
	uint32_t	 bsn;		/* sym in subjects, or SYM_NONE */
	uint32_t	 roles;
	char		 home_pc[8];
	int32_t		 home_nr;
	int32_t		 emp_start;	/* local day */
	int32_t		 emp_end;	/* local day, DAY_NONE while employed */
	uint8_t		 service;
	uint8_t		 nseg[7];
	uint16_t	 seg[7][SCHED_SEGS][2];	/* minutes [from, to) */
};

/* 16 bytes, not 20: a postcode has 6 characters, the flags one bit. */
struct person {
	uint32_t	 surname;	/* lower case, sym in names */
	int32_t		 nr;
	char		 pc[7];
	uint8_t		 secret:1;
	uint8_t		 deceased:1;
};

struct refcase {
	uint32_t	 id;		/* sym in caseids */
	uint32_t	 type;		/* sym in names */
	uint32_t	 dept;
	uint32_t	 team;
	int64_t		 opened;
	int64_t		 closed;	/* TS_NEVER while open */
	int64_t		 registered;
	/*
	 * Assignees, then subjects, in ref->pool: the subjects start at
	 * assign_off + nassign (no offset of their own, so a case is 56
	 * bytes, not 64: 8 MB of a million cases).
	 */
	uint32_t	 assign_off;
	uint32_t	 nassign;
	uint32_t	 nsubj;
	uint16_t	 type_permille;	/* share of its type in its department */
};

struct appt {
	int64_t		 start;
	int64_t		 end;
	uint32_t	 desk;		/* sym in names */
	uint32_t	 bsn;		/* sym in subjects */
	int32_t		 day;		/* local day of start */
};

/*
 * What is known about one BSN or plate (indexed by subject symbol): 8
 * bytes, as there are more subjects than anything else. Which official
 * and which owner were never read, only whether it is an official's.
 */
struct subjinfo {
	int32_t		 person;	/* for ref_person: the symbol, or -1 */
	uint8_t		 watch;		/* WATCH_* */
	uint8_t		 plate;
	uint8_t		 staff;		/* an official's own BSN */
	uint8_t		 plate_by;	/* load position + 1 of the first
					   kind that made it a plate (ref_carry) */
};

/*
 * A subject's record: what is known about it and its person (the last
 * persons.csv row of its BSN) side by side, 24 bytes, so the facts of a
 * subject are one cache miss, not one for the info and one for a person
 * it points to.
 */
struct subjrec {
	struct subjinfo	 info;
	struct person	 p;
};

/*
 * How many symbols there were before the kind at a load position began
 * (ref_kind_at): a store carried over up to there keeps these.
 */
struct ref_mark {
	uint32_t	 names;
	uint32_t	 subjects;
};

struct ref {
	int		 refs;		/* holders (ref_hold); freed at 0 */
	struct symtab	*names;		/* users, teams, departments, types */
	struct keytab	*subjects;	/* BSNs and normalised plates */
	struct symtab	*caseids;	/* canonical case ids */

	struct staff	*staff;
	size_t		 nstaff;
	int32_t		*staff_by_name;	/* names sym -> staff index, -1 */
	size_t		 nstaff_by_name;
	size_t		 npersons;	/* rows of persons.csv */
	uint32_t	*pc4_count;	/* persons by postcode area, loading */
	struct subjrec	*subj;		/* subject symbol -> record */
	size_t		 subjcap;
	struct refcase	*cases;
	size_t		 ncases;
	int32_t		*case_by_id;	/* caseids sym -> case index, NULL:
					   the same number (ref_case_map) */
	struct appt	*appts;
	size_t		 nappts;
	uint32_t	*pool;		/* assignees and subjects of cases */
	size_t		 poollen;
	size_t		 poolcap;

	/* Postings built by ref_finish. */
	uint32_t	*sc_off;	/* subject -> cases */
	uint32_t	*sc;
	uint32_t	*sa_off;	/* subject -> appointments */
	uint32_t	*sa;
	uint32_t	*ua_off;	/* user (names sym) -> appointments */
	uint32_t	*ua;
	uint8_t		*resident_pc4;	/* 10000 flags: postcode area is ours */
	int		 finished;

	/* Loading in ref_kind_at order, so a prefix can be carried over. */
	int		 pos;		/* load position being loaded, -1 */
	int		 carryable;	/* kinds came in that order */
	int		 carried;	/* positions carried from another */
	struct ref_mark	 mark[REF_NKINDS + 1];
	int64_t		 version[REF_NKINDS];	/* the table's, -1 unknown */
};

struct ref	*ref_new(void);
void		 ref_free(struct ref *);
struct ref	*ref_hold(struct ref *);
struct ref	*ref_carry(const struct ref *, int);
enum ref_kind	 ref_kind_at(int);
int		 ref_kind_pos(enum ref_kind);
void		 ref_mark_upto(struct ref *, int);
int		 ref_load(struct ref *, enum ref_kind, const char *, size_t,
		    const char *, char **) __attribute__((warn_unused_result));
int		 ref_load_from(struct ref *, enum ref_kind, const char *,
		    size_t, const char *, size_t, char **)
		    __attribute__((warn_unused_result));
void		 ref_finish(struct ref *);
void		 ref_order_cases(struct ref *);
const char	*ref_kind_name(enum ref_kind);
int		 ref_kind_parse(const char *, enum ref_kind *);
const char	*ref_kind_file(enum ref_kind);

/*
 * The keys of a lookup's user and case id (ref_keys), computed once for
 * the prefetch and the find. uval is the user's symtab_value, the same in
 * every table made by symtab_new (the engine's users too).
 */
struct refkeys {
	size_t		 ulen;
	uint32_t	 uval;
	uint32_t	 cval;
	size_t		 clen;		/* 0: no case id */
};

int32_t		 ref_staff(const struct ref *, const char *);
int32_t		 ref_staff_keyed(const struct ref *, const char *,
		    const struct refkeys *);
uint32_t	 ref_subject(const struct ref *, const char *);
uint32_t	 ref_subject_keyed(const struct ref *, const char *, uint64_t);
const struct subjinfo *ref_subjinfo(const struct ref *, uint32_t);
const struct person *ref_person(const struct ref *, int32_t);
int32_t		 ref_case(const struct ref *, const char *);
int32_t		 ref_case_keyed(const struct ref *, const char *,
		    const struct refkeys *);
void		 ref_keys(const struct ref *, const char *, const char *,
		    struct refkeys *);
uint64_t	 ref_prefetch_subject(const struct ref *, const char *);
void		 ref_prefetch_record(const struct ref *, uint32_t);
int		 ref_case_has_user(const struct ref *, const struct refcase *,
		    uint32_t);
int		 ref_case_has_subject(const struct ref *,
		    const struct refcase *, uint32_t);
int		 ref_resident(const struct ref *, const char *);

#endif
