/*
 * notify.c: sd_notify for wachterd. With libsystemd (HAVE_SYSTEMD) the
 * messages go through sd_notify; without it a few lines do the same:
 * one datagram to the AF_UNIX socket named by $NOTIFY_SOCKET, where a
 * leading '@' means the abstract namespace. Either way the daemon behaves
 * the same, and outside systemd nothing is sent.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "ops/notify.h"
#include "util/xmalloc.h"

#ifndef HAVE_SYSTEMD
/* Fill in the address of $NOTIFY_SOCKET; returns its length or 0. */
static socklen_t
notify_address(const char *path, struct sockaddr_un *sun)
{
	size_t	 len = strlen(path);

	if ((path[0] != '/' && path[0] != '@') || len < 2 ||
	    len >= sizeof sun->sun_path)
		return (0);
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len);
	if (path[0] == '@') {
		sun->sun_path[0] = '\0';
		return (offsetof(struct sockaddr_un, sun_path) + len);
	}
	return (offsetof(struct sockaddr_un, sun_path) + len + 1);
}

/* Send one datagram to $NOTIFY_SOCKET: 1 sent, 0 not asked, -1 failed. */
static int
notify_socket_send(const char *state)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	const char		*path;
	ssize_t			 n;
	int			 fd, saved;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL || *path == '\0')
		return (0);
	if ((len = notify_address(path, &sun)) == 0) {
		errno = EINVAL;
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	saved = errno;
	close(fd);
	errno = saved;
	return (n == (ssize_t)strlen(state) ? 1 : -1);
}
#endif

/*
 * Send newline-separated assignments such as "READY=1": 1 when sent, 0
 * when no service manager asked for them, -1 on error (errno set).
 */
int
notify_send(const char *state)
{
#ifdef HAVE_SYSTEMD
	int	 r;

	if ((r = sd_notify(0, state)) < 0) {
		errno = -r;
		return (-1);
	}
	return (r > 0);
#else
	return (notify_socket_send(state));
#endif
}

/* Startup is done: sources open, database reachable. */
int
notify_ready(void)
{
	return (notify_send("READY=1"));
}

/*
 * A reload has begun; READY=1 ends it. The monotonic time lets newer
 * systemd (Type=notify-reload) match the reload to its request.
 */
int
notify_reloading(void)
{
	struct timespec	 ts;
	char		*s;
	int		 r;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	xasprintf(&s, "RELOADING=1\nMONOTONIC_USEC=%" PRId64,
	    (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	r = notify_send(s);
	free(s);
	return (r);
}

/* Shutdown has begun. */
int
notify_stopping(void)
{
	return (notify_send("STOPPING=1"));
}

/* Keep the watchdog from restarting the daemon. */
int
notify_watchdog(void)
{
	return (notify_send("WATCHDOG=1"));
}

/* A one-line status shown by systemctl status. */
int
notify_status(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256], *s;
	int	 r;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = '\0';
	xasprintf(&s, "STATUS=%s", msg);
	r = notify_send(s);
	free(s);
	return (r);
}

/*
 * The watchdog timeout in microseconds, or 0 when there is none; send
 * WATCHDOG=1 at least every half of it. Only for the process systemd
 * meant ($WATCHDOG_PID, when set, must be ours).
 */
int64_t
notify_watchdog_usec(void)
{
#ifdef HAVE_SYSTEMD
	uint64_t	 usec;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec > INT64_MAX)
		return (0);
	return ((int64_t)usec);
#else
	const char	*s, *pid;
	char		*ep;
	unsigned long long v;

	if ((s = getenv("WATCHDOG_USEC")) == NULL)
		return (0);
	pid = getenv("WATCHDOG_PID");
	if (pid != NULL && strtoll(pid, NULL, 10) != (long long)getpid())
		return (0);
	errno = 0;
	v = strtoull(s, &ep, 10);
	if (*s < '0' || *s > '9' || *ep != '\0' || errno != 0 || v == 0 ||
	    v > INT64_MAX)
		return (0);
	return ((int64_t)v);
#endif
}
