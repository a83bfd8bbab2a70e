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

/*
 * Load the reference CSVs of a folder (employees.csv, persons.csv, ...);
 * with required set every kind must be there.
 */
struct ref *
slurp_ref(const char *dir, int required, char **cause)
{
	struct ref	*r;
	struct buf	 b;
	char		*path;
	int		 k, rv = 0;

	r = ref_new();
	buf_init(&b);
	for (k = 0; k < REF_NKINDS && rv == 0; k++) {
		xasprintf(&path, "%s/%s", dir, ref_kind_file(k));
		if (!required && access(path, R_OK) != 0) {
			free(path);
			continue;
		}
		if (slurp_file(path, &b, cause) != 0 ||
		    ref_load(r, k, (const char *)b.data, b.len, path,
		    cause) != 0)
			rv = -1;
		free(path);
	}
	buf_free(&b);
	if (rv != 0) {
		ref_free(r);
		return (NULL);
	}
	ref_finish(r);
	return (r);
}
