/*
 * refbench.c: time the daemon's reference load on its own, as its reload
 * thread runs it (refdb_load on one connection), without a daemon, a
 * log or a rule: a full load, then for each table named a reload after a
 * statement on that table (a DELETE of no row bumps its version as an
 * import does), carrying over what did not change from the store before.
 * Usage: refbench [-c DIR] CONNINFO [TABLE...]. Prints one line a load:
 * what it was, wall seconds, this process's CPU seconds (user, system),
 * the server backend's CPU seconds (from /proc: the server must run on
 * this machine, else "-"), and which tables it kept and read.
 * With -c, the full load is also compared with `wachter eval`'s load of
 * the CSV files in DIR (the ones imported): the same cases, times and
 * appointments, whatever order the files had their rows in.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "slurp.h"
#include "store/refdb.h"

#define SAME(what, x, y) do {						\
	if ((x) != (y)) {						\
		printf("differs: %s %zu\n", what, i);			\
		return (1);						\
	}								\
} while (0)
#define SAMESTR(what, ta, sa, tb, sb) do {				\
	if (strcmp(symtab_str(ta, sa), symtab_str(tb, sb)) != 0) {	\
		printf("differs: %s %zu\n", what, i);			\
		return (1);						\
	}								\
} while (0)

/*
 * Do a (from the files) and b (from the database) hold the same cases,
 * appointments and counts? Symbols are compared by their strings, so the
 * order of the persons' rows (symbol numbers) does not matter.
 */
static int
refbench_same(const struct ref *a, const struct ref *b)
{
	const struct refcase	*x, *y;
	const struct appt	*p, *q;
	size_t			 i = 0;

	SAME("cases", a->ncases, b->ncases);
	SAME("appointments", a->nappts, b->nappts);
	SAME("staff", a->nstaff, b->nstaff);
	SAME("persons", a->npersons, b->npersons);
	SAME("subjects", keytab_count(a->subjects),
	    keytab_count(b->subjects));
	SAME("residents", memcmp(a->resident_pc4, b->resident_pc4, 10000), 0);
	for (i = 0; i < a->ncases; i++) {
		x = &a->cases[i];
		y = &b->cases[i];
		SAMESTR("case id", a->caseids, x->id, b->caseids, y->id);
		SAMESTR("case type", a->names, x->type, b->names, y->type);
		SAMESTR("case team", a->names, x->team, b->names, y->team);
		SAME("case opened", x->opened, y->opened);
		SAME("case closed", x->closed, y->closed);
		SAME("case registered", x->registered, y->registered);
		SAME("case assignees", x->nassign, y->nassign);
		SAME("case subjects", x->nsubj, y->nsubj);
		SAME("case type share", x->type_permille, y->type_permille);
	}
	for (i = 0; i < a->nappts; i++) {
		p = &a->appts[i];
		q = &b->appts[i];
		SAME("appointment start", p->start, q->start);
		SAME("appointment end", p->end, q->end);
		SAME("appointment day", p->day, q->day);
		SAMESTR("appointment desk", a->names, p->desk, b->names,
		    q->desk);
	}
	printf("same as the files: %zu cases, %zu appointments\n", a->ncases,
	    a->nappts);
	return (0);
}

/* Wall, user and system seconds so far. */
static void
refbench_now(double *t)
{
	struct timespec	 ts;
	struct rusage	 ru;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &ru);
	t[0] = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	t[1] = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	t[2] = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* CPU seconds of the server backend so far, or -1. */
static double
refbench_server(PGconn *c)
{
	FILE		*f;
	char		 path[64], line[1024], *p;
	unsigned long	 ut, st;

	snprintf(path, sizeof path, "/proc/%d/stat", PQbackendPID(c));
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	p = fgets(line, sizeof line, f);
	fclose(f);
	/* After the command's name in brackets: field 14 and 15. */
	if (p == NULL || (p = strrchr(line, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
	    &st) != 2)
		return (-1);
	return ((double)(ut + st) / (double)sysconf(_SC_CLK_TCK));
}

/* One load, carrying from from (or NULL); prints its line. */
static struct ref *
refbench_load(PGconn *c, struct ref *from, const char *what)
{
	struct ref	*r;
	double		 t0[3], t1[3], s0, s1;
	int64_t		 version;
	char		*cause = NULL, kept[256], server[32];

	s0 = refbench_server(c);
	refbench_now(t0);
	r = refdb_load(c, from, &version, &cause);
	refbench_now(t1);
	s1 = refbench_server(c);
	if (r == NULL) {
		fprintf(stderr, "refbench: %s\n", cause);
		exit(1);
	}
	refdb_describe(r, kept, sizeof kept);
	if (s0 < 0 || s1 < 0)
		snprintf(server, sizeof server, "-");
	else
		snprintf(server, sizeof server, "%.2f", s1 - s0);
	printf("%s\t%.3f\t%.3f\t%.3f\t%s\t%s\n", what, t1[0] - t0[0],
	    t1[1] - t0[1], t1[2] - t0[2], server, kept);
	fflush(stdout);
	return (r);
}

int
main(int argc, char **argv)
{
	PGconn		*c;
	PGresult	*res;
	struct ref	*r, *next, *files;
	const char	*dir = NULL;
	char		 sql[256], *cause = NULL;
	int		 i, o = 1;

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		dir = argv[2];
		o = 3;
	}
	if (argc - o < 1) {
		fprintf(stderr, "usage: refbench [-c DIR] CONNINFO "
		    "[TABLE...]\n");
		return (2);
	}
	c = PQconnectdb(argv[o]);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "refbench: %s", PQerrorMessage(c));
		return (1);
	}
	r = refbench_load(c, NULL, "full");
	if (dir != NULL) {
		if ((files = slurp_ref(dir, 1, &cause)) == NULL) {
			fprintf(stderr, "refbench: %s\n", cause);
			return (1);
		}
		if (refbench_same(files, r) != 0)
			return (1);
		ref_free(files);
	}
	for (i = o + 1; i < argc; i++) {
		snprintf(sql, sizeof sql, "DELETE FROM wachter.%s WHERE false",
		    argv[i]);
		res = PQexec(c, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "refbench: %s", PQerrorMessage(c));
			return (1);
		}
		PQclear(res);
		next = refbench_load(c, r, argv[i]);
		ref_free(r);
		r = next;
	}
	ref_free(r);
	PQfinish(c);
	return (0);
}
