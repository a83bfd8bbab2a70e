/*
 * cmd_parse.c: "wachter parse", the parity and debugging tool. Reads log
 * files through their source definitions (daemon/cli/corpus.c: joined where
 * the format says so, merged in time order) and prints one normalised event
 * per line as TSV, each quarantined line as "!<TAB>file:line<TAB>id<TAB>
 * reason", and a count of quarantined lines by reason on stderr.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cmd.h"
#include "cli/corpus.h"
#include "event/event.h"
#include "util/esc.h"
#include "util/xmalloc.h"

#define PARSE_REASONS	32

struct parse_run {
	FILE		*out;
	uint64_t	 events;
	uint64_t	 bad;
	const char	*reason[PARSE_REASONS];
	uint64_t	 nreason[PARSE_REASONS];
};

/* Print a time as RFC 3339 UTC with microseconds. */
static void
parse_put_time(FILE *f, int64_t us)
{
	struct tm	 tm;
	time_t		 t;
	int64_t		 frac;
	char		 s[32];

	if (us == EV_TS_NONE) {
		fputs("-", f);
		return;
	}
	frac = us % 1000000;
	if (frac < 0)
		frac += 1000000;
	t = (time_t)((us - frac) / 1000000);
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%06lldZ", s, (long long)frac);
}

/*
 * Print a text field escaped for a terminal (util/esc.c): controls, DEL,
 * C1, bidi overrides and backslashes as \xNN; "-" when empty.
 */
static void
parse_put_str(FILE *f, const char *s)
{
	char	*e;

	if (*s == '\0') {
		fputc('-', f);
		return;
	}
	e = esc_term_str(s, NULL);
	fputs(e, f);
	free(e);
}

/*
 * One event as TSV: id, time, other reading, flags, register, request,
 * status, user, workstation, application, purpose, case as typed, case
 * id, surname, given, birth date, postcode, house number, subjects
 * (kind:role:value, "!" after an invalid one, comma-separated).
 */
static void
parse_put_event(FILE *f, const struct lookup *ev)
{
	static const char	*kinds[] = { "?", "bsn", "plate" };
	static const char	*roles[] = { "?", "queried", "returned",
	    "owner" };
	const char		*strs[] = { ev->user, ev->workstation,
	    ev->application, ev->purpose, ev->case_raw, ev->case_id,
	    ev->q_surname, ev->q_given, ev->q_birthdate, ev->q_postcode };
	const struct subject	*s;
	uint32_t		 i;

	parse_put_str(f, ev->id);
	fputc('\t', f);
	parse_put_time(f, ev->ts);
	fputc('\t', f);
	parse_put_time(f, ev->ts_alt);
	fprintf(f, "\t%u\t%s\t%s\t%s", ev->flags,
	    ev->reg == EV_REG_RDW ? "rdw" : "brp",
	    ev_request_name(ev->request),
	    ev->status == EV_STATUS_OK ? "ok" : "error");
	for (i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		fputc('\t', f);
		parse_put_str(f, strs[i]);
	}
	fprintf(f, "\t%d\t", ev->q_housenumber);
	for (i = 0; i < ev->nsubjects; i++) {
		s = &ev->subjects[i];
		fprintf(f, "%s%s:%s:", i ? "," : "", kinds[s->kind % 3],
		    roles[s->role % 4]);
		parse_put_str(f, s->value);
		if (!s->valid)
			fputc('!', f);
	}
	if (ev->nsubjects == 0)
		fputc('-', f);
	fputc('\n', f);
}

/* Count and print a quarantined line. */
static void
parse_put_bad(struct parse_run *r, const char *file, uint64_t lineno,
    const char *id, const char *reason)
{
	int	 i;

	r->bad++;
	for (i = 0; i < PARSE_REASONS && r->reason[i] != NULL; i++) {
		if (strcmp(r->reason[i], reason) == 0)
			break;
	}
	if (i < PARSE_REASONS) {
		r->reason[i] = reason;
		r->nreason[i]++;
	}
	fprintf(r->out, "!\t%s:%llu\t%s\t%s\n", file,
	    (unsigned long long)lineno, *id ? id : "-", reason);
}

/* Print every outcome of the corpus. */
static int
parse_run(struct parse_run *r, struct corpus *c, char **cause)
{
	struct corpus_item	 it;
	int			 rc;

	while ((rc = corpus_next(c, &it, cause)) == 1) {
		if (it.ev == NULL)
			parse_put_bad(r, it.file, it.lineno, it.id, it.reason);
		else {
			r->events++;
			parse_put_event(r->out, it.ev);
		}
	}
	return (rc);
}

/* Print the quarantine count by reason. */
static void
parse_summary(struct parse_run *r)
{
	int	 i;

	fprintf(stderr, "wachter parse: %llu events, %llu quarantined",
	    (unsigned long long)r->events, (unsigned long long)r->bad);
	for (i = 0; i < PARSE_REASONS && r->reason[i] != NULL; i++)
		fprintf(stderr, "%s %s: %llu", i ? "," : " (",
		    r->reason[i], (unsigned long long)r->nreason[i]);
	fprintf(stderr, "%s\n", r->reason[0] != NULL ? ")" : "");
}

/*
 * wachter parse [-S sourcedir] (-f format [-r recordsfile] file... | dir)
 */
int
cmd_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "records", required_argument, NULL, 'r' },
		{ "sources", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 } };
	struct parse_run	 r;
	const char		*format = NULL, *records = NULL;
	const char		*sourcedir = WACHTER_DATADIR "/sources";
	struct corpus		*c;
	char			*cause = NULL;
	struct stat		 st;
	int			 ch, i, rc = 0;

	memset(&r, 0, sizeof r);
	r.out = stdout;
	while ((ch = getopt_long(argc, argv, "f:r:S:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = optarg;
			break;
		case 'r':
			records = optarg;
			break;
		case 'S':
			sourcedir = optarg;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		goto usage;
	if (format == NULL) {
		if (argc != 1 || stat(argv[0], &st) != 0 || !S_ISDIR(st.st_mode))
			goto usage;
	}
	c = corpus_new(sourcedir);
	if (format == NULL)
		rc = corpus_open_dir(c, argv[0], &cause);
	for (i = 0; format != NULL && i < argc && rc == 0; i++)
		rc = corpus_add(c, argv[i], format, records, &cause);
	if (rc == 0)
		rc = parse_run(&r, c, &cause);
	corpus_free(c);
	if (fflush(stdout) != 0 && rc == 0) {
		xasprintf(&cause, "stdout: %s", strerror(errno));
		rc = -1;
	}
	parse_summary(&r);
	if (rc != 0) {
		fprintf(stderr, "wachter parse: %s\n", cause);
		free(cause);
		return (1);
	}
	return (0);
usage:
	fprintf(stderr, "usage: wachter parse [-S sourcedir] -f format "
	    "[-r recordsfile] file ...\n       wachter parse [-S sourcedir] "
	    "corpusdir\n");
	return (2);
}
