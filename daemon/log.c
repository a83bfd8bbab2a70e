/*
 * log.c: logging for wachterd and wachter. Lines go to stderr with a
 * "<N>" syslog priority prefix so that journald keeps the level when the
 * daemon runs under systemd. log_warn appends strerror(errno), log_warnx
 * does not; fatal/fatalx exit. Text from logs (untrusted) must go through
 * log_escape first.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"
#include "util/buf.h"

static const char	*log_procname = "wachter";
static int		 log_debugging;

/* Set the program name and whether debug messages are shown. */
void
log_init(const char *name, int debug)
{
	log_procname = name;
	log_debugging = debug;
}

/* Turn debug messages on or off. */
void
log_set_debug(int debug)
{
	log_debugging = debug;
}

/* Write one line at a priority, optionally with an errno text. */
static void
log_vwrite(int pri, const char *errstr, const char *fmt, va_list ap)
{
	char	 msg[2048];
	int	 saved = errno;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (errstr != NULL)
		fprintf(stderr, "<%d>%s: %s: %s\n", pri, log_procname, msg,
		    errstr);
	else
		fprintf(stderr, "<%d>%s: %s\n", pri, log_procname, msg);
	fflush(stderr);
	errno = saved;
}

/* Warn with the text of errno. */
void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	*e = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, e, fmt, ap);
	va_end(ap);
}

/* Warn without errno. */
void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

/* Informational message. */
void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

/* Debug message, shown only with -d. */
void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_debugging)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

/* Log an error with errno and exit. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	*e = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, e, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Log an error and exit. */
void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * Return a printable copy of untrusted bytes: control characters, quotes
 * and non-ASCII bytes become \xNN so a log line cannot be forged or broken.
 */
char *
log_escape(const char *s, size_t len)
{
	struct buf	 b;
	size_t		 i;
	unsigned char	 c;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\\' || c == '"')
			buf_printf(&b, "\\x%02x", c);
		else
			buf_addc(&b, c);
	}
	buf_cstr(&b);
	return ((char *)b.data);
}

/* Log a condition an operator must act on (LOG_CRIT), without exiting. */
void
log_crit(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
}
