/*
 * test_privs.c: secret file checks on real files (modes, owners, kinds)
 * and, when run as root, dropping to an unprivileged user for good in a
 * child process.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/privs.h"
#include "tap.h"

static char	 dir[] = "/tmp/privs.XXXXXX";

/* Create a file with a mode; return its path (static). */
static const char *
make_file(const char *name, mode_t mode)
{
	static char	 path[128];
	int		 fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || write(fd, "secret\n", 7) != 7 || close(fd) != 0 ||
	    chmod(path, mode) != 0)
		diag("cannot create %s", path);
	return (path);
}

/* Each mode is accepted or refused with a message naming it. */
static void
test_modes(void)
{
	static const struct {
		mode_t		 mode;
		const char	*want;	/* NULL: accepted */
	} cases[] = {
		{ 0600, NULL },
		{ 0400, NULL },
		{ 0700, NULL },
		{ 0644, "mode 0644 gives access to group or others" },
		{ 0640, "mode 0640" },
		{ 0604, "mode 0604" },
		{ 0660, "mode 0660" },
		{ 0601, "mode 0601" },
	};
	const char	*path;
	char		*cause, name[32];
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(name, sizeof name, "key%04o", (unsigned)cases[i].mode);
		path = make_file(name, cases[i].mode);
		cause = NULL;
		r = privs_check_secret_file(path, &cause);
		if (cases[i].want == NULL)
			ok(r == 0, "mode %04o accepted", (unsigned)cases[i].mode);
		else {
			ok(r == -1 && strstr(cause, cases[i].want) != NULL &&
			    strstr(cause, "chmod 600") != NULL &&
			    strstr(cause, path) != NULL,
			    "mode %04o refused", (unsigned)cases[i].mode);
			diag("%s", cause != NULL ? cause : "(no message)");
		}
		free(cause);
	}
}

/* Missing files, directories and symlinks. */
static void
test_kinds(void)
{
	char	 path[128], link[128], *cause = NULL;

	snprintf(path, sizeof path, "%s/missing", dir);
	ok(privs_check_secret_file(path, &cause) == -1 &&
	    strstr(cause, "No such file") != NULL, "missing file refused");
	free(cause);
	cause = NULL;
	ok(privs_check_secret_file(dir, &cause) == -1 &&
	    strstr(cause, "regular file") != NULL, "directory refused");
	free(cause);
	snprintf(path, sizeof path, "%s/key0600", dir);
	snprintf(link, sizeof link, "%s/link", dir);
	cause = NULL;
	ok(symlink(path, link) == 0 &&
	    privs_check_secret_file(link, &cause) == 0,
	    "symlink to a private file accepted");
	free(cause);
}

/* A file owned by another user is refused (needs root to chown). */
static void
test_owner(const struct passwd *pw)
{
	const char	*path;
	char		*cause = NULL;

	if (pw == NULL) {
		ok(1, "other owner refused # SKIP needs root and user nobody");
		return;
	}
	path = make_file("theirs", 0600);
	ok(chown(path, pw->pw_uid, pw->pw_gid) == 0 &&
	    privs_check_secret_file(path, &cause) == -1 &&
	    strstr(cause, "owned by nobody") != NULL, "other owner refused");
	diag("%s", cause != NULL ? cause : "(no message)");
	free(cause);
}

/* In a child: drop to nobody; exit 0 if root is gone for good. */
static int
drop_child(const struct passwd *pw, const char *rootfile)
{
	char	*cause = NULL;

	if (privs_drop("nobody", &cause) != 0) {
		printf("# drop: %s\n", cause);
		return (1);
	}
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
	    getgid() != pw->pw_gid || getegid() != pw->pw_gid)
		return (2);
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1)
		return (3);
	if (privs_check_secret_file(rootfile, &cause) == 0)
		return (4);
	return (0);
}

/* Dropping privileges, as root only. */
static void
test_drop(const struct passwd *pw)
{
	const char	*rootfile;
	char		*cause = NULL;
	pid_t		 pid;
	int		 status;

	if (pw == NULL) {
		ok(1, "drop to nobody # SKIP needs root and user nobody");
		ok(privs_drop(NULL, &cause) == 0, "not root: nothing to drop");
		return;
	}
	ok(privs_drop(NULL, &cause) == -1 &&
	    strstr(cause, "refusing to run as root") != NULL,
	    "root without user: refused");
	free(cause);
	cause = NULL;
	ok(privs_drop("root", &cause) == -1 && strstr(cause, "is root"),
	    "drop to root refused");
	free(cause);
	cause = NULL;
	ok(privs_drop("no-such-user-wachter", &cause) == -1 &&
	    strstr(cause, "no-such-user-wachter") != NULL,
	    "unknown user refused");
	free(cause);
	rootfile = make_file("rootkey", 0600);
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(drop_child(pw, rootfile));
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "dropped to nobody for good (child status %d)", status);
}

/* Remove the temporary directory and its files. */
static void
cleanup(void)
{
	static const char *const names[] = {
		"key0600", "key0400", "key0700", "key0644", "key0640",
		"key0604", "key0660", "key0601", "link", "theirs", "rootkey"
	};
	char	 path[128];
	size_t	 i;

	for (i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	if (rmdir(dir) != 0)
		diag("cannot remove %s", dir);
}

int
main(void)
{
	struct passwd	*pw = NULL;

	if (mkdtemp(dir) == NULL)
		return (1);
	if (geteuid() == 0)
		pw = getpwnam("nobody");
	test_modes();
	test_kinds();
	test_owner(pw);
	test_drop(pw);
	cleanup();
	return (done_testing());
}
