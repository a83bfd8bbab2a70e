/*
 * log.c: logging for wachterd and wachter. Lines go to stderr with a
 * "<N>" syslog priority prefix so that journald keeps the level when the
 * daemon runs under systemd. log_warn appends strerror(errno), log_warnx
 * does not; fatal/fatalx exit. Text from logs (untrusted) must go through
 * log_escape first.
 *
 * A message repeated in a burst (an accept() error in a loop, a sink that
 * stays full) is written LOG_BURST times per LOG_WINDOW and then counted:
 * the next time it comes after the window, one line says how many were
 * suppressed. libevent's own messages come through here too.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <event2/event.h>

#include "log.h"
#include "util/buf.h"
#include "util/esc.h"

#define LOG_SLOTS	16		/* distinct messages tracked */
#define LOG_BURST	5		/* written per window, then counted */
#define LOG_WINDOW	10		/* seconds */

struct log_slot {
	uint32_t	 hash;
	int64_t		 start;		/* of the window, seconds */
	uint64_t	 n;		/* seen in this window */
	uint64_t	 used;		/* for replacing the oldest */
};

static const char	*log_procname = "wachter";
static int		 log_debugging;
static struct log_slot	 log_slots[LOG_SLOTS];
static uint64_t		 log_clock;
static uint64_t		 log_suppressed;

static void	log_libevent(int, const char *);
static void	log_vwrite(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/* Set the program name and whether debug messages are shown. */
void
log_init(const char *name, int debug)
{
	log_procname = name;
	log_debugging = debug;
	event_set_log_callback(log_libevent);
}

/* Messages suppressed so far (for /metrics and tests). */
uint64_t
log_suppressed_total(void)
{
	return (log_suppressed);
}

/* FNV-1a of a message. */
static uint32_t
log_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h);
}

/* Seconds on the monotonic clock. */
static int64_t
log_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec);
}

/*
 * Whether a message may be written now; *before is set to how many like
 * it were suppressed in the window that just ended (to say so).
 */
static int
log_allow(const char *msg, uint64_t *before)
{
	struct log_slot	*sl, *old = &log_slots[0];
	uint32_t	 h = log_hash(msg);
	int64_t		 now = log_now();
	size_t		 i;

	*before = 0;
	for (i = 0; i < LOG_SLOTS; i++) {
		sl = &log_slots[i];
		if (sl->n != 0 && sl->hash == h)
			break;
		if (sl->used < old->used)
			old = sl;
	}
	if (i == LOG_SLOTS) {
		sl = old;
		memset(sl, 0, sizeof *sl);
		sl->hash = h;
	}
	sl->used = ++log_clock;
	if (sl->n == 0 || now - sl->start >= LOG_WINDOW) {
		*before = sl->n > LOG_BURST ? sl->n - LOG_BURST : 0;
		sl->start = now;
		sl->n = 0;
	}
	if (++sl->n <= LOG_BURST)
		return (1);
	log_suppressed++;
	return (0);
}

/* Turn debug messages on or off. */
void
log_set_debug(int debug)
{
	log_debugging = debug;
}

/*
 * Escape what a message must not carry to a terminal or the journal
 * (controls other than newline and tab, C1, bidi overrides; util/esc.c),
 * in place, cut to the buffer. Callers escape log content with log_escape
 * too; this is the net below.
 */
static void
log_sanitize(char *msg, size_t size)
{
	char	*e;

	e = esc_term_str(msg, "\n\t\\");
	if (strcmp(e, msg) != 0)
		snprintf(msg, size, "%s", e);
	free(e);
}

/* Write one line at a priority, optionally with an errno text. */
static void
log_vwrite(int pri, const char *errstr, const char *fmt, va_list ap)
{
	char		 msg[2048];
	int		 saved = errno;
	uint64_t	 before;

	vsnprintf(msg, sizeof msg, fmt, ap);
	log_sanitize(msg, sizeof msg);
	if (pri > LOG_CRIT && !log_allow(msg, &before)) {
		errno = saved;
		return;
	}
	if (pri > LOG_CRIT && before != 0)
		fprintf(stderr, "<%d>%s: the next message came %llu more "
		    "time(s) in %d s, not logged\n", LOG_WARNING, log_procname,
		    (unsigned long long)before, LOG_WINDOW);
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

/* libevent's own warnings, through the same rate limit. */
static void
log_libevent(int severity, const char *msg)
{
	if (severity == EVENT_LOG_DEBUG)
		log_debug("libevent: %s", msg);
	else if (severity == EVENT_LOG_MSG)
		log_info("libevent: %s", msg);
	else
		log_warnx("libevent: %s", msg);
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
