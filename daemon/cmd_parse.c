/*
 * cmd_parse.c: "wachter parse", the parity and debugging tool. Reads log
 * files through their source definitions and prints one normalised event
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

#include "cmd.h"
#include "event/event.h"
#include "parse/json.h"
#include "parse/ldv.h"
#include "parse/parser.h"
#include "parse/srcdef.h"
#include "source/lines.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define PARSE_REASONS	32

struct parse_run {
	const char	*sourcedir;
	FILE		*out;
	uint64_t	 events;
	uint64_t	 bad;
	const char	*reason[PARSE_REASONS];
	uint64_t	 nreason[PARSE_REASONS];
	struct srcdef	*defs[8];
	int		 ndefs;
};

/* Read a whole file into a buffer. */
static int
parse_slurp(const char *path, struct buf *b, char **cause)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	if (ferror(f)) {
		xasprintf(cause, "%s: read error", path);
		fclose(f);
		return (-1);
	}
	fclose(f);
	return (0);
}

/* Load the definition of a format from the sources directory (cached). */
static struct srcdef *
parse_def(struct parse_run *r, const char *name, char **cause)
{
	struct srcdef	*sd;
	struct buf	 b;
	char		*path;
	int		 i;

	for (i = 0; i < r->ndefs; i++) {
		if (strcmp(r->defs[i]->name, name) == 0)
			return (r->defs[i]);
	}
	if (r->ndefs == (int)(sizeof r->defs / sizeof r->defs[0])) {
		xasprintf(cause, "too many formats");
		return (NULL);
	}
	xasprintf(&path, "%s/%s.yaml", r->sourcedir, name);
	buf_init(&b);
	sd = NULL;
	if (parse_slurp(path, &b, cause) == 0)
		sd = srcdef_load(path, (const char *)b.data, b.len, cause);
	buf_free(&b);
	free(path);
	if (sd != NULL)
		r->defs[r->ndefs++] = sd;
	return (sd);
}

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

/* Print a text field, escaping tabs, newlines and bytes below 0x20. */
static void
parse_put_str(FILE *f, const char *s)
{
	if (*s == '\0')
		fputc('-', f);
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == '\\')
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

/*
 * One event as TSV: id, time, other reading, flags, register, request,
 * status, user, workstation, application, purpose, case as typed, case
 * id, surname, given, birth date, postcode, house number, subjects
 * (kind:role:value, "!" after an invalid one, comma-separated).
 */
static void
parse_put_event(FILE *f, const struct event *ev)
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

/* One input file with a parsed line of lookahead. */
struct parse_in {
	const char	*file;
	struct lines	*lines;
	struct parser	*parser;
	struct event	 ev;
	struct line	 ln;
	enum parse_rc	 rc;
	const char	*reason;
	int		 have;		/* a line is waiting */
	int		 eof;
};

/* Open an input for a definition. */
static int
parse_in_open(struct parse_in *in, const char *file, const struct srcdef *sd,
    char **cause)
{
	memset(in, 0, sizeof *in);
	in->file = file;
	/* One byte over the limit, so an over-long line is seen as such. */
	if ((in->lines = lines_open(file, sd->max_line + 1, cause)) == NULL)
		return (-1);
	in->parser = parser_new(sd);
	event_init(&in->ev);
	return (0);
}

/* Close an input. */
static void
parse_in_close(struct parse_in *in)
{
	lines_close(in->lines);
	parser_free(in->parser);
	event_free(&in->ev);
}

/* Read and parse the next line into the lookahead; 0 at the end. */
static int
parse_in_next(struct parse_in *in, char **cause)
{
	int	 rc;

	if (in->have)
		return (1);
	if (in->eof)
		return (0);
	if ((rc = lines_next(in->lines, &in->ln, cause)) <= 0) {
		in->eof = 1;
		return (rc);
	}
	in->reason = NULL;
	in->rc = parser_line(in->parser, in->ln.data, in->ln.len, &in->ev,
	    &in->reason);
	in->have = 1;
	return (1);
}

/* Report a bad line of a plain (unjoined) input. */
static void
parse_in_bad(struct parse_run *r, struct parse_in *in)
{
	char	 id[EV_ID_MAX];

	id[0] = '\0';
	parser_salvage(in->parser, in->ln.data, in->ln.len, PARSER_SALVAGE_ID,
	    id, sizeof id);
	parse_put_bad(r, in->file, in->ln.lineno, id, in->reason);
}

/* Parse one file of a format that needs no partner. */
static int
parse_file(struct parse_run *r, const char *file, const struct srcdef *sd,
    char **cause)
{
	struct parse_in	 in;
	int		 rc;

	if (parse_in_open(&in, file, sd, cause) != 0)
		return (-1);
	while ((rc = parse_in_next(&in, cause)) == 1) {
		in.have = 0;
		if (in.rc == PARSE_EVENT) {
			r->events++;
			parse_put_event(r->out, &in.ev);
		} else if (in.rc == PARSE_BAD)
			parse_in_bad(r, &in);
	}
	parse_in_close(&in);
	return (rc);
}

/* Print what the join hands out. */
static void
parse_join_drain(struct parse_run *r, struct ldv *l, const char *file)
{
	struct ldv_out	 o;

	while (ldv_next(l, &o)) {
		if (o.bad)
			parse_put_bad(r, file, 0, o.id, o.reason);
		else {
			r->events++;
			parse_put_event(r->out, o.ev);
		}
	}
}

/*
 * Which input goes next: lines that are not events at once, then the
 * earlier time (records first on a tie), as the two logs were written.
 */
static int
parse_join_pick(struct parse_in *in)
{
	if (!in[0].have)
		return (1);
	if (!in[1].have || in[0].rc != PARSE_EVENT)
		return (0);
	if (in[1].rc != PARSE_EVENT)
		return (1);
	return (in[1].ev.ts < in[0].ev.ts);
}

/* Parse a records file and its partner file, joined, in time order. */
static int
parse_join(struct parse_run *r, const char *rfile, const struct srcdef *rsd,
    const char *pfile, const struct srcdef *psd, char **cause)
{
	struct parse_in		 in[2];
	struct ldv_limits	 lim;
	struct ldv		*l;
	int			 i, rc = 0;

	if (parse_in_open(&in[0], rfile, rsd, cause) != 0)
		return (-1);
	if (parse_in_open(&in[1], pfile, psd, cause) != 0) {
		parse_in_close(&in[0]);
		return (-1);
	}
	ldv_limits_default(&lim);
	l = ldv_new(rsd, psd, &lim);
	for (;;) {
		if (parse_in_next(&in[0], cause) < 0 ||
		    parse_in_next(&in[1], cause) < 0) {
			rc = -1;
			break;
		}
		if (!in[0].have && !in[1].have)
			break;
		i = parse_join_pick(in);
		in[i].have = 0;
		ldv_add(l, i, in[i].parser, in[i].rc, &in[i].ev, in[i].reason,
		    in[i].ln.data, in[i].ln.len, in[i].ln.offset, 0);
		parse_join_drain(r, l, pfile);
	}
	ldv_flush(l);
	parse_join_drain(r, l, pfile);
	ldv_free(l);
	parse_in_close(&in[0]);
	parse_in_close(&in[1]);
	return (rc);
}

/* Parse a log and its join partner, if its definition has one. */
static int
parse_log(struct parse_run *r, const char *file, const char *format,
    const char *records, char **cause)
{
	struct srcdef	*sd, *rsd;

	if ((sd = parse_def(r, format, cause)) == NULL)
		return (-1);
	if (sd->join == SD_JOIN_NONE)
		return (parse_file(r, file, sd, cause));
	if (sd->join == SD_JOIN_RECORDS) {
		xasprintf(cause, "%s: format %s is read together with its "
		    "partner log", file, format);
		return (-1);
	}
	if (records == NULL) {
		xasprintf(cause, "%s: format %s needs its %s log (-r FILE)",
		    file, format, sd->with);
		return (-1);
	}
	if ((rsd = parse_def(r, sd->with, cause)) == NULL)
		return (-1);
	if (rsd->join != SD_JOIN_RECORDS) {
		xasprintf(cause, "%s: format %s is not a records format",
		    rsd->file, rsd->name);
		return (-1);
	}
	return (parse_join(r, records, rsd, file, sd, cause));
}

/* A string member of a manifest entry. */
static int
parse_manifest_str(const struct json *j, int tok, const char *key, char *dst,
    size_t dstsz)
{
	int	 t;

	t = json_get(j, tok, key, strlen(key), 0);
	if (t < 0 || j->tok[t].type != JSON_STRING)
		return (-1);
	return (json_str(j, t, dst, dstsz, NULL));
}

/* Parse every log a corpus folder's manifest.json lists. */
static int
parse_dir(struct parse_run *r, const char *dir, char **cause)
{
	struct json	 j;
	struct buf	 b;
	char		*path, file[256], fmt[64], rfile[256], rfmt[64];
	char		*log, *rlog;
	const char	*reason;
	struct srcdef	*sd;
	int		 logs, i, k, rc = -1;

	buf_init(&b);
	json_init(&j, 65536, 16);
	xasprintf(&path, "%s/manifest.json", dir);
	if (parse_slurp(path, &b, cause) != 0)
		goto out;
	if (json_parse(&j, (const char *)b.data, b.len, &reason) != 0 ||
	    (logs = json_get(&j, 0, "logs", 4, 0)) < 0 ||
	    j.tok[logs].type != JSON_ARRAY) {
		xasprintf(cause, "%s: no list of logs", path);
		goto out;
	}
	for (i = 0; i < (int)j.tok[logs].n; i++) {
		if (parse_manifest_str(&j, json_child(&j, logs, i), "file",
		    file, sizeof file) != 0 || parse_manifest_str(&j,
		    json_child(&j, logs, i), "format", fmt, sizeof fmt) != 0) {
			xasprintf(cause, "%s: log %d lacks file or format",
			    path, i);
			goto out;
		}
		if ((sd = parse_def(r, fmt, cause)) == NULL)
			goto out;
		if (sd->join == SD_JOIN_RECORDS)
			continue;
		rlog = NULL;
		for (k = 0; sd->join == SD_JOIN_PARTNER &&
		    k < (int)j.tok[logs].n; k++) {
			if (parse_manifest_str(&j, json_child(&j, logs, k),
			    "format", rfmt, sizeof rfmt) == 0 &&
			    strcmp(rfmt, sd->with) == 0 &&
			    parse_manifest_str(&j, json_child(&j, logs, k),
			    "file", rfile, sizeof rfile) == 0)
				xasprintf(&rlog, "%s/%s", dir, rfile);
		}
		xasprintf(&log, "%s/%s", dir, file);
		k = parse_log(r, log, fmt, rlog, cause);
		free(log);
		free(rlog);
		if (k != 0)
			goto out;
	}
	rc = 0;
out:
	free(path);
	json_free(&j);
	buf_free(&b);
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
	char			*cause = NULL;
	struct stat		 st;
	int			 ch, i, rc = 0;

	memset(&r, 0, sizeof r);
	r.sourcedir = WACHTER_DATADIR "/sources";
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
			r.sourcedir = optarg;
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
		rc = parse_dir(&r, argv[0], &cause);
	}
	for (i = 0; format != NULL && i < argc && rc == 0; i++)
		rc = parse_log(&r, argv[i], format, records, &cause);
	for (i = 0; i < r.ndefs; i++)
		srcdef_free(r.defs[i]);
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
