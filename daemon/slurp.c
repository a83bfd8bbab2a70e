/*
 * slurp.c: the file side of loading rules and reference data: read a
 * folder's rule files (*.yaml, in name order) or reference CSV exports,
 * plain or gzip, and hand the bytes to lib/.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "enrich/csv.h"
#include "slurp.h"
#include "util/xmalloc.h"

/* Read a whole file, gunzipping when it is gzip. */
int
slurp_file(const char *path, struct buf *b, char **cause)
{
	gzFile	 gz;
	char	 tmp[65536];
	int	 n;

	buf_reset(b);
	if ((gz = gzopen(path, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while ((n = gzread(gz, tmp, sizeof tmp)) > 0)
		buf_add(b, tmp, (size_t)n);
	if (n < 0) {
		xasprintf(cause, "%s: read error", path);
		gzclose(gz);
		return (-1);
	}
	gzclose(gz);
	return (0);
}

/* Keep *.yaml and *.yml names. */
static int
slurp_is_yaml(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return (d->d_name[0] != '.' && ((n > 5 &&
	    strcmp(d->d_name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(d->d_name + n - 4, ".yml") == 0)));
}

/* Load and check every rule file of a folder. */
struct ruleset *
slurp_rules(const char *dir, char **cause)
{
	struct dirent	**names;
	struct ruleset	*rs;
	struct buf	 b;
	char		*path;
	int		 n, i, rv = 0;

	if ((n = scandir(dir, &names, slurp_is_yaml, alphasort)) < 0) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		return (NULL);
	}
	rs = ruleset_new();
	buf_init(&b);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]->d_name);
		if (rv == 0 && (slurp_file(path, &b, cause) != 0 ||
		    ruleset_load(rs, path, (const char *)b.data, b.len,
		    cause) != 0))
			rv = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	buf_free(&b);
	if (rv == 0 && ruleset_check(rs, cause) != 0)
		rv = -1;
	if (rv != 0) {
		ruleset_free(rs);
		return (NULL);
	}
	return (rs);
}

/* Where a CSV read in pieces stands. */
struct slurp_csv {
	struct buf	 b;		/* the header, then rows not yet loaded */
	struct buf	 errs;		/* of the pieces loaded */
	size_t		 hdr;		/* length of the header line, 0 unknown */
	size_t		 scanned;	/* bytes of b looked at */
	size_t		 cut;		/* end of the last whole row, 0 none */
	size_t		 nl;		/* newlines after the header, to scanned */
	size_t		 nlcut;		/* the same, to cut */
	size_t		 skip;		/* file lines loaded, after the header */
	struct csv_scan	 cs;
};

/*
 * Rows loaded at a time. The read buffer grows to twice this while the
 * tables are at their largest (at 8 MB it was 16 MB of the loading peak).
 */
#define SLURP_PIECE	(1 << 20)

/* Find the row ends (csv.c's) in the bytes not yet looked at. */
static void
slurp_csv_scan(struct slurp_csv *sc)
{
	int	 end;

	while ((end = csv_scan_row_end(&sc->cs, (const char *)sc->b.data,
	    sc->b.len, &sc->scanned)) != -1) {
		if (sc->hdr == 0) {
			if (end)
				sc->hdr = sc->scanned;
			continue;
		}
		sc->nl++;
		if (end) {
			sc->cut = sc->scanned;
			sc->nlcut = sc->nl;
		}
	}
}

/* Add a piece's errors to those of the pieces before. */
static void
slurp_csv_error(struct slurp_csv *sc, char *why)
{
	if (sc->errs.len > 0)
		buf_addc(&sc->errs, '\n');
	buf_adds(&sc->errs, why);
	free(why);
}

/* Load the whole rows read so far and keep only the header and the rest. */
static void
slurp_csv_load(struct slurp_csv *sc, slurp_piece_fn load, void *arg)
{
	size_t	 rest = sc->b.len - sc->cut;
	char	*why = NULL;

	if (load(arg, (const char *)sc->b.data, sc->cut, sc->skip, &why) != 0)
		slurp_csv_error(sc, why);
	memmove(sc->b.data + sc->hdr, sc->b.data + sc->cut, rest);
	sc->b.len = sc->hdr + rest;
	sc->scanned = sc->b.len;
	sc->skip += sc->nlcut;
	sc->nl -= sc->nlcut;
	sc->cut = sc->nlcut = 0;
}

/*
 * Read a CSV file (plain or gzip) in pieces of whole rows and hand each,
 * its header line first, to load(), so a large file never sits whole in
 * memory beside what is built from it. The errors of all pieces come
 * back together.
 */
int
slurp_csv(const char *path, slurp_piece_fn load, void *arg, char **cause)
{
	struct slurp_csv	 sc;
	gzFile			 gz;
	char			 tmp[65536], *why = NULL;
	int			 n;

	memset(&sc, 0, sizeof sc);
	csv_scan_init(&sc.cs);
	if ((gz = gzopen(path, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while ((n = gzread(gz, tmp, sizeof tmp)) > 0) {
		buf_add(&sc.b, tmp, (size_t)n);
		slurp_csv_scan(&sc);
		if (sc.cut > SLURP_PIECE)
			slurp_csv_load(&sc, load, arg);
	}
	if (n < 0)
		xasprintf(&why, "%s: read error", path);
	else if (load(arg, (const char *)sc.b.data, sc.b.len, sc.skip,
	    &why) == 0)
		why = NULL;
	if (why != NULL)
		slurp_csv_error(&sc, why);
	gzclose(gz);
	buf_free(&sc.b);
	if (sc.errs.len == 0)
		return (0);
	*cause = xstrdup(buf_cstr(&sc.errs));
	buf_free(&sc.errs);
	return (-1);
}

/* What a piece of a reference CSV goes into. */
struct slurp_refcsv {
	struct ref	*r;
	enum ref_kind	 k;
	const char	*path;
};

/* Load one piece of a reference CSV into the tables. */
static int
slurp_ref_piece(void *arg, const char *data, size_t len, size_t skip,
    char **why)
{
	struct slurp_refcsv	*rc = arg;

	return (ref_load_from(rc->r, rc->k, data, len, rc->path, skip, why));
}

/* Load one reference CSV in pieces: 1 M cases never sit whole as text. */
static int
slurp_ref_csv(struct ref *r, enum ref_kind k, const char *path,
    char **cause)
{
	struct slurp_refcsv	 rc = { r, k, path };

	return (slurp_csv(path, slurp_ref_piece, &rc, cause));
}

/*
 * Load the reference CSVs of a folder (employees.csv, persons.csv, ...);
 * with required set every kind must be there.
 */
struct ref *
slurp_ref(const char *dir, int required, char **cause)
{
	struct ref	*r;
	char		*path;
	int		 i, rv = 0;
	enum ref_kind	 k;

	r = ref_new();
	for (i = 0; i < REF_NKINDS && rv == 0; i++) {
		k = ref_kind_at(i);
		xasprintf(&path, "%s/%s", dir, ref_kind_file(k));
		if (!required && access(path, R_OK) != 0) {
			free(path);
			continue;
		}
		if (slurp_ref_csv(r, k, path, cause) != 0)
			rv = -1;
		free(path);
	}
	if (rv != 0) {
		ref_free(r);
		return (NULL);
	}
	ref_finish(r);
	return (r);
}
