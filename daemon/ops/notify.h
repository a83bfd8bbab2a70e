/*
 * notify.h: tell the service manager about the daemon's state (sd_notify).
 * Without $NOTIFY_SOCKET (not started by systemd) every call is a no-op.
 */
#ifndef WACHTER_NOTIFY_H
#define WACHTER_NOTIFY_H

#include <stdint.h>

int	 notify_send(const char *);
int	 notify_ready(void);
int	 notify_reloading(void);
int	 notify_stopping(void);
int	 notify_watchdog(void);
int	 notify_status(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
int64_t	 notify_watchdog_usec(void);

#endif
