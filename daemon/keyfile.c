/*
 * keyfile.c: reading and writing key files. The epoch key file has a fixed
 * length and is rewritten in place (same blocks, then fsync), so the old
 * seed's bytes are overwritten rather than left in a freed block; on
 * copy-on-write or journaling file systems and on SSDs the old bytes may
 * survive below the file system, which docs/CHAIN.md states.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "keyfile.h"
#include "util/xmalloc.h"

#define KEYFILE_EPOCH_MAGIC	"wachter-epoch-key v1"

/* Refuse a secret file that others may read or another user owns. */
static int
keyfile_check(int fd, const char *path, int secret, char **cause)
{
	struct stat	 st;

	if (fstat(fd, &st) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: not a regular file", path);
		return (-1);
	}
	if (secret && st.st_uid != geteuid()) {
		xasprintf(cause, "%s: owned by uid %u, not by the running user",
		    path, (unsigned)st.st_uid);
		return (-1);
	}
	if (secret && (st.st_mode & 077) != 0) {
		xasprintf(cause, "%s: readable by group or others (mode %03o); "
		    "chmod 600 it", path, (unsigned)(st.st_mode & 0777));
		return (-1);
	}
	return (0);
}

/* Write all bytes and fsync. */
static int
keyfile_write_all(int fd, const void *p, size_t len, const char *path,
    char **cause)
{
	const char	*s = p;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, s, len)) < 0) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "%s: %s", path, strerror(errno));
			return (-1);
		}
		s += n;
		len -= n;
	}
	if (fsync(fd) != 0) {
		xasprintf(cause, "%s: fsync: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

/* Create a new file (never overwrite); 0600 if secret, else 0644. */
int
keyfile_create(const char *path, const void *p, size_t len, int secret,
    char **cause)
{
	int	 fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    secret ? 0600 : 0644);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	rc = keyfile_write_all(fd, p, len, path, cause);
	close(fd);
	return (rc);
}

/* Read a whole (small) file, checking its mode when it is secret. */
int
keyfile_read(const char *path, int secret, struct buf *b, char **cause)
{
	char	 tmp[4096];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (keyfile_check(fd, path, secret, cause) != 0) {
		close(fd);
		return (-1);
	}
	buf_reserve(b, sizeof tmp);	/* no realloc leaving secret copies */
	while ((n = read(fd, tmp, sizeof tmp)) > 0 && b->len < 1 << 20)
		buf_add(b, tmp, n);
	sodium_memzero(tmp, sizeof tmp);
	close(fd);
	if (n < 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

/* The fixed-length text of an epoch key file. */
void
keyfile_epoch_format(char *out, size_t size, uint32_t epoch,
    const uint8_t seed[CHAIN_SEED])
{
	char	 b64[sodium_base64_ENCODED_LEN(CHAIN_SEED,
		    sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(b64, sizeof b64, seed, CHAIN_SEED,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, size, KEYFILE_EPOCH_MAGIC "\n%010" PRIu32 "\n%s\n",
	    epoch, b64);
	sodium_memzero(b64, sizeof b64);
}

/* Load the current epoch and its seed. */
int
keyfile_epoch_load(const char *path, uint32_t *epoch,
    uint8_t seed[CHAIN_SEED], char **cause)
{
	struct buf	 b;
	char		 want[KEYFILE_EPOCH_LEN + 1];
	unsigned long	 e;
	int		 rc = -1;

	buf_init(&b);
	if (keyfile_read(path, 1, &b, cause) != 0)
		return (-1);
	if (b.len == KEYFILE_EPOCH_LEN && memcmp(b.data, KEYFILE_EPOCH_MAGIC
	    "\n", 21) == 0) {
		e = strtoul((char *)b.data + 21, NULL, 10);
		if (chain_unb64(seed, CHAIN_SEED, (char *)b.data + 32, 44) == 0 &&
		    e > 0 && e <= UINT32_MAX) {
			keyfile_epoch_format(want, sizeof want, e, seed);
			rc = memcmp(want, b.data, b.len) == 0 ? 0 : -1;
			sodium_memzero(want, sizeof want);
			*epoch = (uint32_t)e;
		}
	}
	sodium_memzero(b.data, b.len);
	buf_free(&b);
	if (rc != 0)
		xasprintf(cause, "%s: not an epoch key file", path);
	return (rc);
}

/* Overwrite the epoch key file in place with the next epoch's seed. */
int
keyfile_epoch_store(const char *path, uint32_t epoch,
    const uint8_t seed[CHAIN_SEED], int create, char **cause)
{
	char	 text[KEYFILE_EPOCH_LEN + 1];
	int	 fd, rc;

	keyfile_epoch_format(text, sizeof text, epoch, seed);
	if (create) {
		rc = keyfile_create(path, text, KEYFILE_EPOCH_LEN, 1, cause);
		sodium_memzero(text, sizeof text);
		return (rc);
	}
	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		sodium_memzero(text, sizeof text);
		return (-1);
	}
	rc = keyfile_check(fd, path, 1, cause);
	if (rc == 0)
		rc = keyfile_write_all(fd, text, KEYFILE_EPOCH_LEN, path, cause);
	if (rc == 0 && ftruncate(fd, KEYFILE_EPOCH_LEN) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	close(fd);
	sodium_memzero(text, sizeof text);
	return (rc);
}

/* Load a root verifier key file: origin and public key. */
int
keyfile_root_load(const char *path, char *origin, uint8_t pk[CHAIN_PK],
    char **cause)
{
	struct buf	 b;
	char		*why;
	int		 rc;

	buf_init(&b);
	if (keyfile_read(path, 0, &b, cause) != 0)
		return (-1);
	rc = chain_vkey_parse((char *)b.data, b.len, origin, pk, &why);
	if (rc != 0) {
		xasprintf(cause, "%s: %s", path, why);
		free(why);
	}
	buf_free(&b);
	return (rc);
}

/*
 * Replace a small file atomically and durably: a temporary file beside it
 * (0600), fsync, rename, fsync of the folder. A crash leaves the old or
 * the new contents, never a mix.
 */
int
keyfile_replace(const char *path, const void *p, size_t len, char **cause)
{
	char	*tmp, *dir, *slash;
	int	 fd, rc;

	xasprintf(&tmp, "%s.tmp", path);
	(void)unlink(tmp);
	rc = keyfile_create(tmp, p, len, 1, cause);
	if (rc == 0 && rename(tmp, path) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		(void)unlink(tmp);
	free(tmp);
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (rc == 0 && (fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		if (fsync(fd) != 0) {
			xasprintf(cause, "%s: fsync: %s", dir, strerror(errno));
			rc = -1;
		}
		close(fd);
	}
	free(dir);
	return (rc);
}

/* Where keygen puts the root secret by default: beside the key folder. */
char *
keyfile_root_secret_path(const char *keydir)
{
	char	*path;
	size_t	 n = strlen(keydir);

	while (n > 1 && keydir[n - 1] == '/')
		n--;
	xasprintf(&path, "%.*s.root.key", (int)n, keydir);
	return (path);
}

/*
 * Whether a root secret lies in or beside the key folder, where it must
 * not stay: with it, whoever takes the host can start a new log and roll
 * history back undetected. Returns 1 with its path in *found.
 */
int
keyfile_root_secret_near(const char *keydir, char **found)
{
	struct stat	 st;
	char		*path;

	xasprintf(&path, "%s/root.key", keydir);
	if (stat(path, &st) == 0) {
		*found = path;
		return (1);
	}
	free(path);
	path = keyfile_root_secret_path(keydir);
	if (stat(path, &st) == 0) {
		*found = path;
		return (1);
	}
	free(path);
	return (0);
}

/* Create a secret key file: its magic line, then len random bytes in hex. */
static int
keyfile_secret_create(const char *path, const char *magic, size_t len,
    char **cause)
{
	uint8_t	*key;
	char	*text;
	size_t	 m = strlen(magic), size = m + 2 * len + 3;
	int	 rc;

	if ((key = sodium_malloc(len)) == NULL ||
	    (text = sodium_malloc(size)) == NULL)
		abort();
	randombytes_buf(key, len);
	memcpy(text, magic, m);
	text[m] = '\n';
	sodium_bin2hex(text + m + 1, 2 * len + 1, key, len);
	strcpy(text + m + 1 + 2 * len, "\n");
	rc = keyfile_create(path, text, strlen(text), 1, cause);
	sodium_free(key);
	sodium_free(text);
	return (rc);
}

/*
 * Load a secret key file (a magic line, then the key in hex; 0600, owned
 * by the running user) into key, creating it first when there is none;
 * *created says whether it was.
 */
int
keyfile_secret_load(const char *path, const char *magic, uint8_t *key,
    size_t len, int *created, char **cause)
{
	struct buf	 b;
	size_t		 m = strlen(magic), n = 0;
	int		 rc = 0;

	*created = 0;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		if ((rc = keyfile_secret_create(path, magic, len, cause)) != 0)
			return (rc);
		*created = 1;
	}
	buf_init(&b);
	buf_reserve(&b, 256);	/* no realloc leaving copies */
	if ((rc = keyfile_read(path, 1, &b, cause)) == 0 &&
	    (b.len != m + 2 * len + 2 || memcmp(b.data, magic, m) != 0 ||
	    b.data[m] != '\n' || b.data[b.len - 1] != '\n' ||
	    sodium_hex2bin(key, len, (const char *)b.data + m + 1, 2 * len,
	    NULL, &n, NULL) != 0 || n != len)) {
		xasprintf(cause, "%s: not a %s file", path, magic);
		rc = -1;
	}
	sodium_memzero(b.data, b.cap);
	buf_free(&b);
	return (rc);
}
