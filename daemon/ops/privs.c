/*
 * privs.c: privilege checks for wachterd. Under systemd the unit's User=
 * has already made the daemon unprivileged; started by hand as root it
 * must be told a user ("user:" in wachter.conf) and becomes that user for
 * good before it opens anything. Secret files (epoch keys, signing keys)
 * must be private to the running user: mode 0600 or stricter, owned by it.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/privs.h"
#include "util/xmalloc.h"

/* Check that root cannot be regained once dropped. */
static int
privs_verify(const struct passwd *pw, const char *user, char **cause)
{
	uid_t	 ruid, euid, suid;
	gid_t	 rgid, egid, sgid;

	if (getresuid(&ruid, &euid, &suid) != 0 ||
	    getresgid(&rgid, &egid, &sgid) != 0 ||
	    ruid != pw->pw_uid || euid != pw->pw_uid || suid != pw->pw_uid ||
	    rgid != pw->pw_gid || egid != pw->pw_gid || sgid != pw->pw_gid) {
		xasprintf(cause, "dropping to user '%s' left other ids", user);
		return (-1);
	}
	if (setuid(0) != -1 || seteuid(0) != -1 ||
	    (pw->pw_gid != 0 && setgid(0) != -1)) {
		xasprintf(cause, "after dropping to user '%s' root could be "
		    "regained", user);
		return (-1);
	}
	return (0);
}

/* Become the user: supplementary groups, then group, then user. */
static int
privs_become(const struct passwd *pw, const char *user, char **cause)
{
	if (initgroups(pw->pw_name, pw->pw_gid) != 0) {
		xasprintf(cause, "initgroups for user '%s': %s", user,
		    strerror(errno));
		return (-1);
	}
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0) {
		xasprintf(cause, "setresgid to group %lu of user '%s': %s",
		    (unsigned long)pw->pw_gid, user, strerror(errno));
		return (-1);
	}
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0) {
		xasprintf(cause, "setresuid to user '%s': %s", user,
		    strerror(errno));
		return (-1);
	}
	return (privs_verify(pw, user, cause));
}

/*
 * Refuse to run as root unless user names an account to drop to, then
 * drop to it for good. Not root: nothing to do (systemd's User= did it).
 */
int
privs_drop(const char *user, char **cause)
{
	struct passwd	*pw;

	if (getuid() != 0 && geteuid() != 0)
		return (0);
	if (user == NULL) {
		*cause = xstrdup("refusing to run as root: set 'user:' in "
		    "the configuration to the account wachterd should become "
		    "(or start it as that user, as the systemd unit does)");
		return (-1);
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		xasprintf(cause, "user '%s' (to drop privileges to): %s", user,
		    errno != 0 ? strerror(errno) : "no such user");
		return (-1);
	}
	if (pw->pw_uid == 0) {
		xasprintf(cause, "user '%s' is root: name an unprivileged "
		    "account", user);
		return (-1);
	}
	return (privs_become(pw, user, cause));
}

/* The name of a user id, or its number. */
static char *
privs_user_name(uid_t uid)
{
	struct passwd	*pw;
	char		*s;

	if ((pw = getpwuid(uid)) != NULL)
		return (xstrdup(pw->pw_name));
	xasprintf(&s, "uid %lu", (unsigned long)uid);
	return (s);
}

/* Check an open secret file: regular, 0600 or stricter, ours. */
int
privs_check_secret_fd(int fd, const char *path, char **cause)
{
	struct stat	 st;
	char		*owner, *me;

	if (fstat(fd, &st) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: a secret file must be a regular file",
		    path);
		return (-1);
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		xasprintf(cause, "%s: mode %04o gives access to group or "
		    "others; a secret file must be 0600 (chmod 600 %s)", path,
		    (unsigned)(st.st_mode & 07777), path);
		return (-1);
	}
	if (st.st_uid != geteuid()) {
		owner = privs_user_name(st.st_uid);
		me = privs_user_name(geteuid());
		xasprintf(cause, "%s: owned by %s, but wachterd runs as %s; a "
		    "secret file must belong to the user that reads it", path,
		    owner, me);
		free(owner);
		free(me);
		return (-1);
	}
	return (0);
}

/* Check a secret file by path (opened, so a symlink's target counts). */
int
privs_check_secret_file(const char *path, char **cause)
{
	int	 fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	r = privs_check_secret_fd(fd, path, cause);
	close(fd);
	return (r);
}
