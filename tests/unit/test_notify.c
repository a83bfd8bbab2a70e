/*
 * test_notify.c: sd_notify messages arrive on a datagram socket named by
 * $NOTIFY_SOCKET, a file path and an abstract one, whether libsystemd or
 * the built-in sender is used; the watchdog interval from the environment.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/notify.h"
#include "tap.h"

/* Bind a datagram socket at path ('@' for abstract); -1 on failure. */
static int
listen_at(const char *path)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strncpy(sun.sun_path, path, sizeof sun.sun_path - 1);
	len = sizeof sun.sun_family + strlen(path) + (path[0] == '/');
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return (-1);
	if (bind(fd, (struct sockaddr *)&sun, len) != 0) {
		close(fd);
		return (-1);
	}
	return (fd);
}

/* Receive one datagram without waiting; "" when none is there. */
static const char *
receive(int fd)
{
	static char	 msg[512];
	ssize_t		 n;

	n = recv(fd, msg, sizeof msg - 1, MSG_DONTWAIT);
	msg[n < 0 ? 0 : n] = '\0';
	return (msg);
}

/* Each call sends exactly its message. */
static void
test_messages(int fd, const char *where)
{
	const char	*got;

	is_int(notify_ready(), 1, "ready sent");
	is_str(receive(fd), "READY=1", where);
	is_int(notify_stopping(), 1, "stopping sent");
	is_str(receive(fd), "STOPPING=1", where);
	is_int(notify_watchdog(), 1, "watchdog sent");
	is_str(receive(fd), "WATCHDOG=1", where);
	is_int(notify_status("reading %d sources\nx", 3), 1, "status sent");
	is_str(receive(fd), "STATUS=reading 3 sources", where);
	is_int(notify_reloading(), 1, "reloading sent");
	got = receive(fd);
	ok(strncmp(got, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0 &&
	    strtoll(got + 27, NULL, 10) > 0, "%s: reloading with a time",
	    where);
	is_str(receive(fd), "", "nothing else sent");
}

/* A socket with a path in a temporary directory. */
static void
test_path(void)
{
	char	 dir[] = "/tmp/notify.XXXXXX", path[64];
	int	 fd;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/notify", dir);
	fd = listen_at(path);
	ok(fd != -1, "bound %s", path);
	setenv("NOTIFY_SOCKET", path, 1);
	test_messages(fd, "path socket");
	close(fd);
	unlink(path);
	rmdir(dir);
}

/* An abstract socket, named with '@'. */
static void
test_abstract(void)
{
	char	 name[64];
	int	 fd;

	snprintf(name, sizeof name, "@wachter-notify-test-%ld", (long)getpid());
	fd = listen_at(name);
	ok(fd != -1, "bound %s", name);
	setenv("NOTIFY_SOCKET", name, 1);
	test_messages(fd, "abstract socket");
	close(fd);
}

/* Outside systemd nothing is sent; a dead socket is an error. */
static void
test_absent(void)
{
	unsetenv("NOTIFY_SOCKET");
	is_int(notify_ready(), 0, "no NOTIFY_SOCKET: nothing sent");
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	is_int(notify_ready(), -1, "missing socket: error");
	unsetenv("NOTIFY_SOCKET");
}

/* The watchdog interval from $WATCHDOG_USEC and $WATCHDOG_PID. */
static void
test_watchdog(void)
{
	static const struct {
		const char	*usec;
		int		 pid;	/* 0 unset, 1 ours, 2 another */
		long long	 want;
	} cases[] = {
		{ NULL, 0, 0 },
		{ "30000000", 0, 30000000 },
		{ "30000000", 1, 30000000 },
		{ "30000000", 2, 0 },
		{ "0", 0, 0 },
		{ "abc", 0, 0 },
		{ "-5", 0, 0 },
		{ "12x", 0, 0 },
	};
	char	 pid[32];
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (cases[i].usec != NULL)
			setenv("WATCHDOG_USEC", cases[i].usec, 1);
		else
			unsetenv("WATCHDOG_USEC");
		snprintf(pid, sizeof pid, "%ld", (long)getpid() +
		    (cases[i].pid == 2));
		if (cases[i].pid != 0)
			setenv("WATCHDOG_PID", pid, 1);
		else
			unsetenv("WATCHDOG_PID");
		printf("# WATCHDOG_USEC=%s WATCHDOG_PID %s\n",
		    cases[i].usec != NULL ? cases[i].usec : "(unset)",
		    cases[i].pid == 0 ? "unset" : cases[i].pid == 1 ? "ours" :
		    "another's");
		is_int(notify_watchdog_usec(), cases[i].want, "watchdog case");
	}
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int
main(void)
{
#ifdef HAVE_SYSTEMD
	diag("sending through libsystemd");
#else
	diag("sending through the built-in sender");
#endif
	test_path();
	test_abstract();
	test_absent();
	test_watchdog();
	return (done_testing());
}
