/*
 * test_enrich.c: CSV quoting, local calendar, reference loading errors
 * and interning (prefixes of a symbol are other symbols).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich/csv.h"
#include "enrich/ref.h"
#include "enrich/reftime.h"
#include "enrich/symtab.h"
#include "parse/tz.h"
#include "tap.h"

static const struct {
	const char	*in;
	int		 ncols;
	const char	*col1;
} csv_cases[] = {
	{ "a,b,c\n", 3, "b" },
	{ "a,\"b,1\",c\n", 3, "b,1" },
	{ "a,\"say \"\"hi\"\"\",c\n", 3, "say \"hi\"" },
	{ "a,\"two\nlines\",c\n", 3, "two\nlines" },
	{ "a,,c", 3, "" },
	{ "a,b\r\n", 2, "b" },
};

static const struct {
	const char	*utc;		/* RFC 3339 */
	int		 wday, minute;
} tz_cases[] = {
	{ "2026-03-02T07:00:00Z", 0, 8 * 60 },		/* winter: +1 */
	{ "2026-03-29T00:59:00Z", 6, 1 * 60 + 59 },	/* before the switch */
	{ "2026-03-29T01:00:00Z", 6, 3 * 60 },		/* after: +2 */
	{ "2026-10-25T00:30:00Z", 6, 2 * 60 + 30 },	/* summer */
	{ "2026-10-25T01:30:00Z", 6, 2 * 60 + 30 },	/* winter again */
};

static const struct {
	enum ref_kind	 kind;
	const char	*csv;
	const char	*error;		/* NULL: loads */
} ref_cases[] = {
	{ REF_VEHICLES, "kenteken,owner_bsn\n12-ABC-3,100000009\n", NULL },
	{ REF_VEHICLES, "kenteken,owner_bsn\n12-ABC-3,12345\n",
	    "v.csv:2: bad owner_bsn '12345'" },
	{ REF_VEHICLES, "plate,owner\n", "v.csv:1: header lacks column "
	    "'kenteken'" },
	{ REF_CASES, "case_id,case_type,department,status,opened_at,closed_at,"
	    "assignees,team,subjects,registered_at\nZAAK-2026-0000001,x,y,open,"
	    "2026-03-01T09:00:00+01:00,,a;b,T,100000009;1-AB-23,"
	    "2026-03-01T09:00:00+01:00\n", NULL },
	{ REF_CASES, "case_id,case_type,department,status,opened_at,closed_at,"
	    "assignees,team,subjects,registered_at\nZAAK-2026-0000001,x,y,open,"
	    "yesterday,,a,T,100000009,2026-03-01T09:00:00+01:00\n",
	    "v.csv:2: bad opened_at 'yesterday'" },
	{ REF_WATCHLIST, "subject,category,note\n\"100000009\",vip,\"a, b\"\n",
	    NULL },
};

/*
 * Intern strings that are prefixes of each other, enough to grow the
 * table, and find each by its length: the first, the middle and the
 * last symbol in the pool, and none for a prefix or extension not added.
 */
static void
test_symtab(void)
{
	struct symtab	*st = symtab_new();
	char		 s[16];
	uint32_t	 i, n = 1000, wrong = 0;

	for (i = 0; i < n; i++) {
		snprintf(s, sizeof s, "%u", i);
		wrong += symtab_intern(st, s, strlen(s)) != i;
	}
	is_int(wrong, 0, "symtab interns 1000 strings in order");
	is_int(symtab_intern(st, "1", 1), 1, "symtab interns once");
	is_int(symtab_find(st, "10", 2), 10, "symtab finds a prefix");
	is_int(symtab_find(st, "100", 3), 100, "symtab finds its extension");
	is_int(symtab_find(st, "999", 3), 999, "symtab finds the last");
	is_int(symtab_find(st, "0", 1), 0, "symtab finds the first");
	is_int(symtab_find(st, "9999", 4), SYM_NONE, "symtab: no extension");
	is_int(symtab_find(st, "99", 1), 9, "symtab compares len bytes");
	is_int(symtab_find(st, "", 0), SYM_NONE, "symtab: no empty string");
	is_str(symtab_str(st, 999), "999", "symtab string");
	is_int(symtab_count(st), n, "symtab count");
	/* Fitted to its length (as ref_finish does), it still grows. */
	symtab_fit(st);
	for (wrong = 0, i = n; i < 2 * n; i++) {
		snprintf(s, sizeof s, "%u", i);
		wrong += symtab_intern(st, s, strlen(s)) != i;
	}
	for (i = 0; i < 2 * n; i++) {
		snprintf(s, sizeof s, "%u", i);
		wrong += symtab_find(st, s, strlen(s)) != i ||
		    strcmp(symtab_str(st, i), s) != 0;
	}
	is_int(wrong, 0, "symtab fitted, then 1000 more: all found");
	symtab_free(st);
}

#define CASES_HDR	"case_id,case_type,department,status,opened_at," \
	"closed_at,assignees,team,subjects,registered_at\n"
#define CASE_ROW(id)	id ",x,y,open,2026-03-01T09:00:00+01:00,,a,T," \
	"100000009,2026-03-01T09:00:00+01:00\n"

#define CASE_ROW_T(id, t) id "," t ",y,open,2026-03-01T09:00:00+01:00,,a," \
	"T,100000009,2026-03-01T09:00:00+01:00\n"
#define APPTS_HDR	"appointment_id,start_at,end_at,desk_user,bsn,product\n"
#define APPT_ROW(n, end) "AFS-" n ",2026-03-02T09:00:00+01:00," \
	"2026-03-02T" end ":00+01:00,d,100000009,p\n"

/* Load one table into a new store and finish it. */
static struct ref *
ref_one(enum ref_kind kind, const char *csv)
{
	struct ref	*r = ref_new();
	char		*cause = NULL;

	ok(ref_load(r, kind, csv, strlen(csv), "t.csv", &cause) == 0,
	    "table loads");
	free(cause);
	ref_finish(r);
	return (r);
}

/* The type of the case an id names, or NULL. */
static const char *
case_type(const struct ref *r, const char *id)
{
	int32_t	 k = ref_case(r, id);

	return (k < 0 ? NULL : symtab_str(r->names, r->cases[k].type));
}

/*
 * A subject's record holds its person (the last row of its BSN); every
 * row counts for the resident areas. A case id names its case whether or
 * not ids come twice (the later row wins, as before).
 */
static void
test_ref_records(void)
{
	const struct subjinfo	*si;
	const struct person	*p;
	struct ref		*r;
	uint32_t		 sym;

	r = ref_one(REF_PERSONS, "bsn,surname,given_name,postcode,"
	    "housenumber,secret,deceased\n"
	    "100000009,Aa,x,1234AB,1,0,0\n100000010,Bb,x,1234AB,2,0,0\n"
	    "100000009,Cc,x,1234CD,3,1,0\n100000011,Dd,x,1234AB,4,0,0\n"
	    "100000012,Ee,x,1234AB,5,0,0\n100000013,Ff,x,5678AB,6,0,0\n");
	sym = ref_subject(r, "100000009");
	si = ref_subjinfo(r, sym);
	ok(si != NULL && si->person >= 0, "a person's subject has a person");
	p = ref_person(r, si->person);
	ok(p->nr == 3 && p->secret && strcmp(p->pc, "1234CD") == 0,
	    "the last row of a BSN is its person");
	p = ref_person(r, ref_subjinfo(r, ref_subject(r, "100000013"))->person);
	ok(p->nr == 6 && strcmp(p->pc, "5678AB") == 0, "another person");
	is_int(ref_resident(r, "1234ZZ"), 1, "5 rows (one BSN twice) count");
	is_int(ref_resident(r, "5678ZZ"), 0, "one row does not");
	ref_free(r);

	r = ref_one(REF_CASES, CASES_HDR CASE_ROW("ZAAK-2026-0000001")
	    CASE_ROW("ZAAK-2026-0000002") CASE_ROW("ZAAK-9999-0000003"));
	ok(r->case_by_id == NULL, "ids once: no map");
	ok(ref_case(r, "ZAAK-2026-0000002") == 1 &&
	    ref_case(r, "ZAAK-9999-0000003") == 2 &&
	    ref_case(r, "ZAAK-2026-0000003") == -1, "ids once: found");
	ref_free(r);
	r = ref_one(REF_CASES, CASES_HDR CASE_ROW_T("ZAAK-2026-0000001", "p")
	    CASE_ROW("ZAAK-2026-0000002") CASE_ROW_T("ZAAK-2026-0000001", "q"));
	ok(case_type(r, "ZAAK-2026-0000001") != NULL &&
	    strcmp(case_type(r, "ZAAK-2026-0000001"), "q") == 0 &&
	    strcmp(case_type(r, "ZAAK-2026-0000002"), "x") == 0,
	    "an id twice: the later row");
	ref_free(r);
}

/*
 * The store does not depend on the order of the rows: eval reads the
 * municipality's files as they come, wachterd the server's tables, and
 * the first of two cases (or appointments) that explain a lookup equally
 * well is the one taken.
 */
static void
test_ref_order(void)
{
	static const char *cases[2] = {
	    CASES_HDR CASE_ROW_T("ZAAK-2026-0000003", "c")
	    CASE_ROW_T("ZAAK-2026-0000001", "a")
	    CASE_ROW_T("ZAAK-2026-0000002", "b")
	    CASE_ROW_T("ZAAK-2026-0000001", "d"),
	    CASES_HDR CASE_ROW_T("ZAAK-2026-0000001", "a")
	    CASE_ROW_T("ZAAK-2026-0000002", "b")
	    CASE_ROW_T("ZAAK-2026-0000001", "d")
	    CASE_ROW_T("ZAAK-2026-0000003", "c") };
	static const char *appts[2] = {
	    APPTS_HDR APPT_ROW("1", "09:30") APPT_ROW("2", "09:10"),
	    APPTS_HDR APPT_ROW("2", "09:10") APPT_ROW("1", "09:30") };
	static const char *order = "adbc";
	struct ref	*r[2];
	const char	*id;
	size_t		 i;
	int		 k, same = 1, sorted = 1;

	for (k = 0; k < 2; k++)
		r[k] = ref_one(REF_CASES, cases[k]);
	for (i = 0; i < 4; i++) {
		id = symtab_str(r[0]->caseids, r[0]->cases[i].id);
		if (strcmp(id, symtab_str(r[1]->caseids,
		    r[1]->cases[i].id)) != 0)
			same = 0;
		for (k = 0; k < 2; k++)
			if (symtab_str(r[k]->names, r[k]->cases[i].type)[0] !=
			    order[i])
				sorted = 0;
	}
	ok(same && sorted, "cases in id order, an id's rows as they came");
	ok(strcmp(case_type(r[0], "ZAAK-2026-0000001"), "d") == 0 &&
	    strcmp(case_type(r[1], "ZAAK-2026-0000001"), "d") == 0 &&
	    strcmp(case_type(r[0], "ZAAK-2026-0000003"), "c") == 0,
	    "every id still names its case (the later row)");
	for (k = 0; k < 2; k++)
		ref_free(r[k]);
	for (k = 0; k < 2; k++)
		r[k] = ref_one(REF_APPOINTMENTS, appts[k]);
	ok(r[0]->appts[0].end == r[1]->appts[0].end &&
	    r[0]->appts[0].end < r[0]->appts[1].end,
	    "appointments that start together: the one that ends first");
	for (k = 0; k < 2; k++)
		ref_free(r[k]);
}

/*
 * reftime_local_span against reftime_local: moments stepping forward and
 * now and then back, from around both changes of offset of several
 * years, midnights, the turn of a year and before 1970. Counts the
 * differences.
 */
static int
span_check(void)
{
	static const char *const starts[] = {
		"2025-03-29T20:00:00Z", "2025-10-25T20:00:00Z",
		"2026-03-28T22:59:59Z", "2026-10-24T23:00:00Z",
		"2026-12-31T21:00:00Z", "2027-03-27T00:00:00Z",
		"1969-12-30T12:00:00Z", "1996-10-26T18:00:00Z",
	};
	static const int64_t steps[] = { 1, 59999999, 60000000, 7 * 60000000LL,
	    3600000000LL, 999999, 86399999999LL, 86400000000LL };
	struct localspan	 sp;
	struct localtm		 a, b;
	uint64_t		 x = 88172645463325252ULL;
	int64_t			 t;
	size_t			 i, k;
	int			 bad = 0;

	memset(&sp, 0, sizeof sp);
	for (i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		tz_rfc3339(starts[i], strlen(starts[i]), &t);
		for (k = 0; k < 20000; k++) {
			reftime_local(t, &a);
			reftime_local_span(&sp, t, &b);
			if (a.day != b.day || a.wday != b.wday ||
			    a.minute != b.minute)
				bad++;
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (x % 50 == 0)
				t -= (int64_t)(x >> 20) % (3 * 86400000000LL);
			else
				t += x % 4 == 0 ? (int64_t)(x >> 8) % 60000000 :
				    steps[(x >> 4) % 8];
		}
	}
	return (bad);
}

/*
 * Times as PostgreSQL sends a timestamptz (the daemon's COPY, TimeZone
 * UTC) load as the same instants as the exports' RFC 3339.
 */
static void
test_ref_pgtime(void)
{
	static const char rfc[] = CASES_HDR "ZAAK-2026-0000001,x,y,closed,"
	    "2026-03-01T09:00:00+01:00,2026-03-02T10:30:00.25+01:00,a,T,"
	    "100000009,2026-03-01T09:00:00+01:00\n";
	static const char pg[] = CASES_HDR "ZAAK-2026-0000001,x,y,closed,"
	    "2026-03-01 08:00:00+00,2026-03-02 09:30:00.25+00,a,T,"
	    "100000009,2026-03-01 05:30:00-02:30\n";
	struct ref	*a = ref_one(REF_CASES, rfc), *b = ref_one(REF_CASES, pg);

	ok(a->ncases == 1 && b->ncases == 1 &&
	    a->cases[0].opened == b->cases[0].opened &&
	    a->cases[0].closed == b->cases[0].closed &&
	    a->cases[0].registered == b->cases[0].registered,
	    "PostgreSQL's times are the exports' instants");
	ref_free(a);
	ref_free(b);
}

int
main(void)
{
	struct csv	 c;
	struct localtm	 lt;
	struct ref	*r;
	char		*cause;
	size_t		 i;
	int64_t		 t;

	for (i = 0; i < sizeof csv_cases / sizeof csv_cases[0]; i++) {
		cause = NULL;
		csv_init(&c, csv_cases[i].in, strlen(csv_cases[i].in));
		ok(csv_next(&c, &cause) == 1, "csv %zu reads", i);
		is_int(c.ncols, csv_cases[i].ncols, "csv columns");
		is_str(c.cols[1], csv_cases[i].col1, "csv cell");
		csv_free(&c);
	}
	for (i = 0; i < sizeof tz_cases / sizeof tz_cases[0]; i++) {
		tz_rfc3339(tz_cases[i].utc, strlen(tz_cases[i].utc), &t);
		reftime_local(t, &lt);
		is_int(lt.wday, tz_cases[i].wday, tz_cases[i].utc);
		is_int(lt.minute, tz_cases[i].minute, tz_cases[i].utc);
	}
	is_int(span_check(), 0, "a span's local time is reftime_local's");
	for (i = 0; i < sizeof ref_cases / sizeof ref_cases[0]; i++) {
		cause = NULL;
		r = ref_new();
		if (ref_cases[i].error == NULL)
			ok(ref_load(r, ref_cases[i].kind, ref_cases[i].csv,
			    strlen(ref_cases[i].csv), "v.csv", &cause) == 0,
			    "ref %zu loads", i);
		else {
			ok(ref_load(r, ref_cases[i].kind, ref_cases[i].csv,
			    strlen(ref_cases[i].csv), "v.csv", &cause) != 0,
			    "ref %zu refused", i);
			is_str(cause, ref_cases[i].error, "ref error message");
		}
		free(cause);
		ref_finish(r);
		ref_free(r);
	}
	test_symtab();
	test_ref_records();
	test_ref_order();
	test_ref_pgtime();
	return (done_testing());
}
