/*
 * refbench.c: time the daemon's reference load on its own, as its reload
 * thread runs it (refdb_load on one connection), without a daemon, a
 * log or a rule: a full load, then for each table named a reload after a
 * statement on that table (a DELETE of no row bumps its version as an
 * import does), carrying over what did not change from the store before.
 * Usage: refbench CONNINFO [TABLE...]. Prints one line a load: what it
 * was, wall seconds, this process's CPU seconds (user, system), and
 * which tables it kept and read. The server's CPU is not in it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <libpq-fe.h>

#include "store/refdb.h"

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

/* One load, carrying from from (or NULL); prints its line. */
static struct ref *
refbench_load(PGconn *c, struct ref *from, const char *what)
{
	struct ref	*r;
	double		 t0[3], t1[3];
	int64_t		 version;
	char		*cause = NULL, kept[256];

	refbench_now(t0);
	r = refdb_load(c, from, &version, &cause);
	refbench_now(t1);
	if (r == NULL) {
		fprintf(stderr, "refbench: %s\n", cause);
		exit(1);
	}
	refdb_describe(r, kept, sizeof kept);
	printf("%s\t%.3f\t%.3f\t%.3f\t%s\n", what, t1[0] - t0[0],
	    t1[1] - t0[1], t1[2] - t0[2], kept);
	fflush(stdout);
	return (r);
}

int
main(int argc, char **argv)
{
	PGconn		*c;
	PGresult	*res;
	struct ref	*r, *next;
	char		 sql[256];
	int		 i;

	if (argc < 2) {
		fprintf(stderr, "usage: refbench CONNINFO [TABLE...]\n");
		return (2);
	}
	c = PQconnectdb(argv[1]);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "refbench: %s", PQerrorMessage(c));
		return (1);
	}
	r = refbench_load(c, NULL, "full");
	for (i = 2; i < argc; i++) {
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
