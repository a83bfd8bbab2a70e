/*
 * event.h: struct lookup, one normalised lookup event, whatever log it
 * came from. (Not "struct event": that name belongs to libevent.)
 *
 * Every parser (vendor JSON, RDW CSV, Logboek Dataverwerkingen, gateway log,
 * or a municipality's own format described in YAML) fills this struct; the
 * rules, the alerts and the ledger only ever see this struct. Strings are
 * fixed-size so that an event can be reused line after line without
 * allocating; a log value that does not fit is cut, never silently: the
 * event is flagged EV_F_DAMAGED and the line kept in quarantine too.
 */
#ifndef WACHTER_EVENT_H
#define WACHTER_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EV_ID_MAX	64	/* event_id / record_id / request_id */
#define EV_NAME_MAX	64	/* user, workstation, application, purpose */
#define EV_CASE_MAX	64	/* case reference as typed */
#define EV_CASEID_MAX	24	/* canonical ZAAK-YYYY-NNNNNNN */
#define EV_TEXT_MAX	128	/* search keys as typed */
#define SUBJ_VALUE_MAX	16	/* a BSN (9) or a normalised plate */
#define EV_SUBJ_INLINE	8	/* subjects held without allocating */
#define EV_TS_NONE	INT64_MIN

enum ev_register {
	EV_REG_NONE = 0,
	EV_REG_BRP,		/* population register */
	EV_REG_RDW,		/* vehicle register */
};

enum ev_request {
	EV_REQ_UNKNOWN = 0,
	EV_REQ_RAADPLEEG_BSN,	/* RaadpleegMetBurgerservicenummer */
	EV_REQ_ZOEK_NAAM_GEBDAT,	/* ZoekMetGeslachtsnaamEnGeboortedatum */
	EV_REQ_ZOEK_POSTCODE,	/* ZoekMetPostcodeEnHuisnummer */
	EV_REQ_ZOEK_NAAM_GEMEENTE,	/* ZoekMetNaamEnGemeenteVanInschrijving */
	EV_REQ_KENTEKEN,	/* RDW lookup of a licence plate */
};

enum ev_status {
	EV_STATUS_OK = 0,
	EV_STATUS_ERROR,
};

enum subj_kind {
	SUBJ_BSN = 1,
	SUBJ_PLATE,
};

enum subj_role {
	SUBJ_QUERIED = 1,	/* what the user asked for */
	SUBJ_RETURNED,		/* a person the register returned */
	SUBJ_OWNER,		/* the registered owner of a queried plate */
};

/* One person or vehicle an event touched. */
struct subject {
	char	 value[SUBJ_VALUE_MAX];	/* BSN digits or normalised plate */
	uint8_t	 kind;			/* enum subj_kind */
	uint8_t	 role;			/* enum subj_role */
	uint8_t	 valid;			/* BSN passes the 11-check */
};

/* Event flags. */
#define EV_F_AMBIGUOUS_TIME	0x01	/* ts_alt holds the other reading */
#define EV_F_NONEXISTENT_TIME	0x02	/* local time fell in the DST gap */
#define EV_F_NO_USER		0x04	/* unattributable (LDV without partner) */
#define EV_F_CASE_INVALID	0x08	/* case reference present, not a case id */
#define EV_F_DAMAGED		0x10	/* a field was cut or dropped (BAD-INPUT.md) */

struct lookup {
	char		 id[EV_ID_MAX];
	int64_t		 ts;		/* microseconds since 1970, UTC */
	int64_t		 ts_alt;	/* other reading, or EV_TS_NONE */
	uint8_t		 reg;		/* enum ev_register */
	uint8_t		 request;	/* enum ev_request */
	uint8_t		 status;	/* enum ev_status */
	uint8_t		 flags;		/* EV_F_* */
	uint32_t	 source;	/* index of the configured source */

	char		 user[EV_NAME_MAX];
	char		 workstation[EV_NAME_MAX];
	char		 application[EV_NAME_MAX];
	char		 purpose[EV_NAME_MAX];
	char		 case_raw[EV_CASE_MAX];	/* as typed, "" if none */
	char		 case_id[EV_CASEID_MAX];	/* normalised, "" if none */

	/* Search keys as typed, for risky-search signals. */
	char		 q_surname[EV_TEXT_MAX];	/* voorvoegsel + geslachtsnaam */
	char		 q_given[EV_TEXT_MAX];
	char		 q_birthdate[16];
	char		 q_postcode[8];		/* normalised 1234AB */
	int32_t		 q_housenumber;

	uint32_t	 nsubjects;
	uint32_t	 subjcap;
	struct subject	*subjects;	/* subj_inline or heap */
	struct subject	 subj_inline[EV_SUBJ_INLINE];
};

void	 lookup_init(struct lookup *);
void	 lookup_reset(struct lookup *);
void	 lookup_free(struct lookup *);
void	 lookup_copy(struct lookup *, const struct lookup *);
struct subject *lookup_add_subject(struct lookup *, const char *, size_t,
	    enum subj_kind, enum subj_role);
int	 lookup_has_subject(const struct lookup *, enum subj_kind, const char *);
const char *ev_request_name(enum ev_request);
const char *ev_request_words(enum ev_request);
enum ev_request ev_request_parse(const char *, size_t);

#endif
