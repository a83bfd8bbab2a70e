/*
 * tailcat.c: follow a source with daemon/source/tail.c and print each line
 * with its flags, so that shell tests can rotate, truncate and append real
 * files and compare what came out. SIGTERM ends it after a final round.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "log.h"
#include "source/tail.h"

static struct tail	*tc_tail;

/* Print one line: flags, offset, text. */
static int
tc_line(void *arg, const char *line, size_t len, int flags,
    const struct tail_pos *p)
{
	printf("%d\t%llu\t%.*s\n", flags, (unsigned long long)p->off,
	    (int)len, line);
	return (0);
}

/* Print notes to stderr. */
static void
tc_note(void *arg, const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

/* SIGTERM: stop the loop. */
static void
tc_signal(int sig, short what, void *arg)
{
	event_base_loopbreak(arg);
}

int
main(int argc, char **argv)
{
	struct event_base	*base;
	struct event		*sig;

	if (argc != 2) {
		fprintf(stderr, "usage: tailcat PATH|GLOB\n");
		return (2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_init("tailcat", 0);
	base = event_base_new();
	sig = evsignal_new(base, SIGTERM, tc_signal, base);
	evsignal_add(sig, NULL);
	tc_tail = tail_new(base, "test", argv[1], 20000, 4096, tc_line,
	    tc_note, NULL);
	tail_start(tc_tail);
	event_base_dispatch(base);
	tail_free(tc_tail);
	event_free(sig);
	event_base_free(base);
	return (0);
}
