/*
 * ref_load.c: one loader per reference CSV export (FORMAT.md). Every row
 * is checked; the first bad row stops the load with "line N: message".
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/csv.h"
#include "enrich/ref.h"
#include "enrich/reftime.h"
#include "parse/norm.h"
#include "parse/tz.h"
#include "util/buf.h"
#include "util/xmalloc.h"

typedef int (*ref_row_fn)(struct ref *, const struct csv *, const int *,
    char **);

/* Intern a lower-cased copy of a cell into names. */
static uint32_t
ref_lower(struct ref *r, const char *s, size_t len)
{
	char	 tmp[256];
	size_t	 i;

	if (len >= sizeof tmp)
		len = sizeof tmp - 1;
	for (i = 0; i < len; i++)
		tmp[i] = (char)tolower((unsigned char)s[i]);
	return (symtab_intern(r->names, tmp, len));
}

/*
 * The next capacity of a table that grows one row at a time: doubling
 * while small, then by an eighth. A large table is mapped (memtune.c),
 * so it grows in place by mremap, not by copying, and the capacity not
 * yet used at the end of loading (when every table is at its largest at
 * once) is at most an eighth instead of up to half: 16 MB less for the
 * subjects and the case pool of a million cases.
 */
static size_t
ref_more(size_t cap, size_t first)
{
	if (cap == 0)
		return (first);
	return (cap < 65536 ? cap * 2 : cap + cap / 8);
}

/*
 * Make sure a record exists for every subject symbol. A new symbol is
 * the next number, so only its own record is cleared: the unused half of
 * a doubled array stays untouched, and costs no memory, until it is used.
 */
static uint32_t
ref_subj_intern(struct ref *r, const char *s, size_t len, int plate)
{
	char		 norm[32];
	uint32_t	 sym, n = keytab_count(r->subjects);

	if (plate) {
		if (norm_plate(s, len, norm, sizeof norm) < 0)
			snprintf(norm, sizeof norm, "%.*s", (int)len, s);
		s = norm;
		len = strlen(norm);
	}
	sym = keytab_intern(r->subjects, s, len);
	if (sym == n) {
		if (sym >= r->subjcap) {
			r->subjcap = ref_more(r->subjcap, 1024);
			r->subj = xreallocarray(r->subj, r->subjcap,
			    sizeof *r->subj);
		}
		memset(&r->subj[sym], 0, sizeof r->subj[sym]);
		r->subj[sym].info.person = -1;
	}
	if (plate && !r->subj[sym].info.plate) {
		r->subj[sym].info.plate = 1;
		r->subj[sym].info.plate_by = (uint8_t)(r->pos + 1);
	}
	return (sym);
}

/* Is this a BSN (9 digits)? Anything else on a case is a plate. */
static int
ref_is_bsn(const char *s, size_t len)
{
	size_t	 i;

	if (len != 9)
		return (0);
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return (0);
	return (1);
}

/* Make room for one more element in an array that grows by doubling. */
static void *
ref_grow(void *p, size_t n, size_t size)
{
	size_t	 cap = 64;

	if (n < cap || (n & (n - 1)) != 0)
		return (n == 0 ? xreallocarray(p, cap, size) : p);
	while (cap <= n)
		cap *= 2;
	return (xreallocarray(p, cap, size));
}

/* Append to the shared pool. */
static void
ref_pool_add(struct ref *r, uint32_t v)
{
	if (r->poollen == r->poolcap) {
		r->poolcap = ref_more(r->poolcap, 4096);
		r->pool = xreallocarray(r->pool, r->poolcap, sizeof *r->pool);
	}
	r->pool[r->poollen++] = v;
}

/* Split a ;-joined cell, calling fn on each part. */
static void
ref_split(struct ref *r, const char *s, size_t len, uint32_t *n,
    void (*fn)(struct ref *, const char *, size_t))
{
	const char	*p = s, *e = s + len, *q;

	*n = 0;
	while (p < e) {
		for (q = p; q < e && *q != ';'; q++)
			;
		if (q > p) {
			fn(r, p, (size_t)(q - p));
			(*n)++;
		}
		p = q + 1;
	}
}

/* Add an assignee to the pool. */
static void
ref_add_user(struct ref *r, const char *s, size_t len)
{
	ref_pool_add(r, symtab_intern(r->names, s, len));
}

/* Add a case subject (BSN or plate) to the pool. */
static void
ref_add_subject(struct ref *r, const char *s, size_t len)
{
	ref_pool_add(r, ref_subj_intern(r, s, len, !ref_is_bsn(s, len)));
}

/* Parse one day spec such as "mon-wed" into a 7-bit mask. */
static int
ref_days(const char *s, size_t len, int *mask)
{
	static const char *dn[] = { "mon", "tue", "wed", "thu", "fri", "sat",
	    "sun" };
	int	 a = -1, b = -1, i;

	for (i = 0; i < 7; i++) {
		if (len >= 3 && strncmp(s, dn[i], 3) == 0)
			a = i;
		if (len == 7 && strncmp(s + 4, dn[i], 3) == 0)
			b = i;
	}
	if (a == -1 || (len != 3 && (len != 7 || s[3] != '-' || b == -1)))
		return (-1);
	if (len == 3)
		b = a;
	for (i = a; ; i = (i + 1) % 7) {
		*mask |= 1 << i;
		if (i == b)
			break;
	}
	return (0);
}

/* Parse one "DAYS HH:MM-HH:MM" segment into the staff schedule. */
static int
ref_segment(struct staff *st, const char *s, size_t len)
{
	const char	*sp, *p, *q;
	int		 mask = 0, h1, m1, h2, m2, d;

	if ((sp = memchr(s, ' ', len)) == NULL || s + len - sp != 12 ||
	    sscanf(sp + 1, "%2d:%2d-%2d:%2d", &h1, &m1, &h2, &m2) != 4)
		return (-1);
	for (p = s; p < sp; p = q + 1) {
		for (q = p; q < sp && *q != ','; q++)
			;
		if (ref_days(p, (size_t)(q - p), &mask) != 0)
			return (-1);
	}
	for (d = 0; d < 7; d++) {
		if (!(mask & (1 << d)) || st->nseg[d] == SCHED_SEGS)
			continue;
		st->seg[d][st->nseg[d]][0] = (uint16_t)(h1 * 60 + m1);
		st->seg[d][st->nseg[d]++][1] = (uint16_t)(h2 * 60 + m2);
	}
	return (0);
}

/* Parse a schedule cell. */
static int
ref_schedule(struct staff *st, const char *s, size_t len)
{
	const char	*p = s, *e = s + len, *q;

	while (p < e) {
		for (q = p; q < e && *q != ';'; q++)
			;
		if (ref_segment(st, p, (size_t)(q - p)) != 0)
			return (-1);
		p = q + 1;
	}
	return (0);
}

/* Parse the roles cell into bits. */
static uint32_t
ref_roles(const char *s)
{
	static const struct { const char *n; uint32_t b; } tab[] = {
		{ "brp-raadplegen", ROLE_BRP }, { "rdw-raadplegen", ROLE_RDW },
		{ "zaakbehandelaar", ROLE_HANDLER }, { "balie", ROLE_BALIE },
		{ "teamleider", ROLE_LEAD }, { "piket", ROLE_PIKET },
		{ "batch", ROLE_BATCH },
	};
	uint32_t	 bits = 0;
	size_t		 i, n;
	const char	*p = s, *q;

	while (*p != '\0') {
		q = strchr(p, ';');
		n = q ? (size_t)(q - p) : strlen(p);
		for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
			if (strlen(tab[i].n) == n && strncmp(p, tab[i].n, n) == 0)
				bits |= tab[i].b;
		p += n + (q != NULL);
	}
	return (bits);
}

/*
 * A time cell: RFC 3339, as the exports write it, or PostgreSQL's ISO
 * output of a timestamptz ("2026-03-01 08:00:00+00", a space for the T
 * and an offset of hours alone), which the daemon's COPY sends as stored:
 * formatting it on the server (to_char) cost more than this. One parse
 * either way: the PostgreSQL form is made RFC 3339 first.
 */
static int
ref_time(const char *s, size_t len, int64_t *us)
{
	char	 tmp[48];

	if (len < 22 || len + 3 > sizeof tmp || s[10] != ' ')
		return (tz_rfc3339(s, len, us));
	memcpy(tmp, s, len);
	tmp[10] = 'T';
	if (tmp[len - 3] == '+' || tmp[len - 3] == '-') {
		memcpy(tmp + len, ":00", 3);
		len += 3;
	}
	return (tz_rfc3339(tmp, len, us));
}

#define C(i)	(c->cols[idx[i]])
#define L(i)	(c->lens[idx[i]])

/* employees.csv row. */
static int
ref_row_staff(struct ref *r, const struct csv *c, const int *idx,
    char **cause)
{
	struct staff	*st;
	uint32_t	 sym;
	size_t		 old;

	if (L(0) == 0)
		return (xasprintf(cause, "empty user_id"), -1);
	r->staff = ref_grow(r->staff, r->nstaff, sizeof *r->staff);
	st = &r->staff[r->nstaff];
	memset(st, 0, sizeof *st);
	st->user = sym = symtab_intern(r->names, C(0), L(0));
	st->surname = ref_lower(r, C(1), L(1));
	st->dept = symtab_intern(r->names, C(2), L(2));
	st->roles = ref_roles(C(3));
	st->team = symtab_intern(r->names, C(4), L(4));
	snprintf(st->home_pc, sizeof st->home_pc, "%s", C(5));
	st->home_nr = atoi(C(6));
	st->bsn = L(7) ? ref_subj_intern(r, C(7), L(7), 0) : SYM_NONE;
	if (reftime_date(C(8), L(8), &st->emp_start) != 0)
		return (xasprintf(cause, "bad employment_start '%s'", C(8)), -1);
	st->emp_end = DAY_NONE;
	if (L(9) && reftime_date(C(9), L(9), &st->emp_end) != 0)
		return (xasprintf(cause, "bad employment_end '%s'", C(9)), -1);
	if (ref_schedule(st, C(10), L(10)) != 0)
		return (xasprintf(cause, "bad schedule '%s'", C(10)), -1);
	if (strcmp(C(11), "service") == 0)
		st->service = 1;
	else if (strcmp(C(11), "person") != 0)
		return (xasprintf(cause, "bad account_type '%s'", C(11)), -1);
	if (sym >= r->nstaff_by_name) {
		old = r->nstaff_by_name;
		r->nstaff_by_name = (sym + 1) * 2;
		r->staff_by_name = xreallocarray(r->staff_by_name,
		    r->nstaff_by_name, sizeof *r->staff_by_name);
		for (; old < r->nstaff_by_name; old++)
			r->staff_by_name[old] = -1;
	}
	if (r->staff_by_name[sym] != -1)
		return (xasprintf(cause, "duplicate user_id '%s'", C(0)), -1);
	r->staff_by_name[sym] = (int32_t)r->nstaff;
	if (st->bsn != SYM_NONE)
		r->subj[st->bsn].info.staff = 1;
	r->nstaff++;
	return (0);
}

/*
 * Count a person row by its postcode area for ref_find_residents: every
 * row, also one whose BSN comes again (only the last is kept).
 */
static void
ref_count_pc4(struct ref *r, const char *pc)
{
	int	 v, j;

	if (r->pc4_count == NULL)
		r->pc4_count = xcalloc(10000, sizeof *r->pc4_count);
	for (v = 0, j = 0; j < 4; j++)
		v = v * 10 + (pc[j] - '0');
	if (v >= 0 && v < 10000)
		r->pc4_count[v]++;
}

/* persons.csv row. */
static int
ref_row_person(struct ref *r, const struct csv *c, const int *idx,
    char **cause)
{
	struct person	*p;
	uint32_t	 sym;

	if (!ref_is_bsn(C(0), L(0)))
		return (xasprintf(cause, "bad bsn '%s'", C(0)), -1);
	if (L(3) != 0 && (L(3) != 6 || !isdigit((unsigned char)C(3)[0])))
		return (xasprintf(cause, "bad postcode '%s'", C(3)), -1);
	sym = ref_subj_intern(r, C(0), L(0), 0);
	p = &r->subj[sym].p;
	p->surname = ref_lower(r, C(1), L(1));
	snprintf(p->pc, sizeof p->pc, "%s", C(3));
	p->nr = atoi(C(4));
	p->secret = C(5)[0] == '1';
	p->deceased = C(6)[0] == '1';
	ref_count_pc4(r, p->pc);
	r->subj[sym].info.person = (int32_t)sym;
	r->npersons++;
	return (0);
}

/* vehicles.csv row. */
static int
ref_row_vehicle(struct ref *r, const struct csv *c, const int *idx,
    char **cause)
{
	if (L(0) == 0 || L(0) > 10)
		return (xasprintf(cause, "bad kenteken '%s'", C(0)), -1);
	if (L(1) != 0) {
		if (!ref_is_bsn(C(1), L(1)))
			return (xasprintf(cause, "bad owner_bsn '%s'", C(1)), -1);
		/* The owner is known as a subject; which plate is not kept. */
		(void)ref_subj_intern(r, C(1), L(1), 0);
	}
	(void)ref_subj_intern(r, C(0), L(0), 1);
	return (0);
}

/*
 * While no case id has come twice, an id's symbol is its case's index and
 * no map is kept (4 MB for a million cases, and a cache miss for every
 * cited case). At the first repeat, make the map of the n ids so far, with
 * the capacity ref_grow would have given it.
 */
static void
ref_case_map(struct ref *r, uint32_t n)
{
	size_t		 cap = 64;
	uint32_t	 i;

	while (cap <= n)
		cap *= 2;
	r->case_by_id = xreallocarray(NULL, cap, sizeof *r->case_by_id);
	for (i = 0; i < n; i++)
		r->case_by_id[i] = (int32_t)i;
}

/* cases.csv row. */
static int
ref_row_case(struct ref *r, const struct csv *c, const int *idx,
    char **cause)
{
	struct refcase	*k;
	uint32_t	 sym, nids;

	if (L(0) != 17 || strncmp(C(0), "ZAAK-", 5) != 0)
		return (xasprintf(cause, "bad case_id '%s'", C(0)), -1);
	r->cases = ref_grow(r->cases, r->ncases, sizeof *r->cases);
	k = &r->cases[r->ncases];
	k->type = symtab_intern(r->names, C(1), L(1));
	k->dept = symtab_intern(r->names, C(2), L(2));
	if (ref_time(C(4), L(4), &k->opened) != 0)
		return (xasprintf(cause, "bad opened_at '%s'", C(4)), -1);
	k->closed = TS_NEVER;
	if (L(5) && ref_time(C(5), L(5), &k->closed) != 0)
		return (xasprintf(cause, "bad closed_at '%s'", C(5)), -1);
	if (ref_time(C(9), L(9), &k->registered) != 0)
		return (xasprintf(cause, "bad registered_at '%s'", C(9)), -1);
	k->team = symtab_intern(r->names, C(7), L(7));
	k->assign_off = (uint32_t)r->poollen;
	ref_split(r, C(6), L(6), &k->nassign, ref_add_user);
	ref_split(r, C(8), L(8), &k->nsubj, ref_add_subject);
	/* Intern the id only for a good row: every id then has its case. */
	nids = symtab_count(r->caseids);
	k->id = sym = symtab_intern(r->caseids, C(0), L(0));
	if (sym != r->ncases && r->case_by_id == NULL)
		ref_case_map(r, nids);
	if (r->case_by_id != NULL) {
		if (sym == nids)
			r->case_by_id = ref_grow(r->case_by_id, sym,
			    sizeof *r->case_by_id);
		r->case_by_id[sym] = (int32_t)r->ncases;
	}
	r->ncases++;
	return (0);
}

/* appointments.csv row. */
static int
ref_row_appt(struct ref *r, const struct csv *c, const int *idx,
    char **cause)
{
	struct appt	*a;
	struct localtm	 lt;

	r->appts = ref_grow(r->appts, r->nappts, sizeof *r->appts);
	a = &r->appts[r->nappts];
	if (ref_time(C(0), L(0), &a->start) != 0 ||
	    ref_time(C(1), L(1), &a->end) != 0 || a->end < a->start)
		return (xasprintf(cause, "bad start_at/end_at"), -1);
	if (!ref_is_bsn(C(3), L(3)))
		return (xasprintf(cause, "bad bsn '%s'", C(3)), -1);
	a->desk = symtab_intern(r->names, C(2), L(2));
	a->bsn = ref_subj_intern(r, C(3), L(3), 0);
	reftime_local(a->start, &lt);
	a->day = lt.day;
	r->nappts++;
	return (0);
}

/* watchlist.csv row. */
static int
ref_row_watch(struct ref *r, const struct csv *c, const int *idx,
    char **cause)
{
	static const struct { const char *n; uint8_t b; } tab[] = {
		{ "vip", WATCH_VIP }, { "protected", WATCH_PROTECTED },
		{ "employee-family", WATCH_FAMILY },
		{ "ondermijning", WATCH_CRIME },
	};
	uint32_t	 sym;
	uint8_t		 bit = WATCH_OTHER;
	size_t		 i;

	if (L(0) == 0)
		return (xasprintf(cause, "empty subject"), -1);
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(C(1), tab[i].n) == 0)
			bit = tab[i].b;
	sym = ref_subj_intern(r, C(0), L(0), !ref_is_bsn(C(0), L(0)));
	r->subj[sym].info.watch |= bit;
	return (0);
}

#undef C
#undef L

static const char *cols_staff[] = { "user_id", "surname", "department",
    "roles", "team", "home_postcode", "home_housenumber", "bsn",
    "employment_start", "employment_end", "schedule", "account_type" };
static const char *cols_persons[] = { "bsn", "surname", "given_name",
    "postcode", "housenumber", "secret", "deceased" };
static const char *cols_vehicles[] = { "kenteken", "owner_bsn" };
static const char *cols_cases[] = { "case_id", "case_type", "department",
    "status", "opened_at", "closed_at", "assignees", "team", "subjects",
    "registered_at" };
static const char *cols_appts[] = { "start_at", "end_at", "desk_user",
    "bsn", "product" };
static const char *cols_watch[] = { "subject", "category" };

static const struct {
	const char	**cols;
	size_t		  ncols;
	ref_row_fn	  fn;
} ref_loaders[REF_NKINDS] = {
	{ cols_staff, 12, ref_row_staff },
	{ cols_persons, 7, ref_row_person },
	{ cols_vehicles, 2, ref_row_vehicle },
	{ cols_cases, 10, ref_row_case },
	{ cols_appts, 5, ref_row_appt },
	{ cols_watch, 2, ref_row_watch },
};

/* Does the row lack a column the header promised? */
static int
ref_short_row(const struct csv *c, const int *idx, size_t n, char **why)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if ((size_t)idx[i] >= c->ncols) {
			xasprintf(why, "%zu columns, fewer than the header",
			    c->ncols);
			return (1);
		}
	}
	return (0);
}

/*
 * A kind's rows begin (or go on, piece by piece): note how many symbols
 * there were before it, for ref_carry. Kinds loaded out of ref_kind_at
 * order load as well; only no prefix can be carried from that store.
 */
static void
ref_begin(struct ref *r, enum ref_kind kind)
{
	int	 pos = ref_kind_pos(kind);

	if (pos < r->pos)
		r->carryable = 0;
	else
		ref_mark_upto(r, pos);
}

/* Load one CSV export of the given kind; errors name file and line. */
int
ref_load(struct ref *r, enum ref_kind kind, const char *data, size_t len,
    const char *file, char **cause)
{
	return (ref_load_from(r, kind, data, len, file, 0, cause));
}

/*
 * Load a piece of a CSV export: the header, then rows that stood after
 * skip more lines of the file, so that a large export can be read in
 * pieces (memory) and its errors still name the file's own lines.
 */
int
ref_load_from(struct ref *r, enum ref_kind kind, const char *data,
    size_t len, const char *file, size_t skip, char **cause)
{
	struct csv	 c;
	struct buf	 errs;
	int		 idx[CSV_MAXCOLS], rv, nbad = 0;
	char		*why = NULL;

	ref_begin(r, kind);
	csv_init(&c, data, len);
	buf_init(&errs);
	if (csv_header(&c, (const char *const *)ref_loaders[kind].cols,
	    ref_loaders[kind].ncols, idx, &why) != 0) {
		buf_printf(&errs, "%s:1: %s", file, why);
		free(why);
		nbad++;
		goto out;
	}
	c.next_line += skip;
	/* Report every bad row (up to 100), not just the first. */
	while ((rv = csv_next(&c, &why)) != 0) {
		if (rv == 1 && !ref_short_row(&c, idx, ref_loaders[kind].ncols,
		    &why) && ref_loaders[kind].fn(r, &c, idx, &why) == 0)
			continue;
		if (nbad++ < 100)
			buf_printf(&errs, "%s%s:%zu: %s", nbad > 1 ? "\n" : "",
			    file, c.line ? c.line : 1, why);
		free(why);
		why = NULL;
		if (rv == -1)
			break;
	}
out:
	csv_free(&c);
	if (nbad > 0)
		*cause = xstrdup(buf_cstr(&errs));
	buf_free(&errs);
	return (nbad > 0 ? -1 : 0);
}
