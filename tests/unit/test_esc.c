/* test_esc.c: untrusted text made safe for terminals and logs. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/buf.h"
#include "util/esc.h"

static const struct {
	const char	*in;
	const char	*keep;
	const char	*want;
} cases[] = {
	{ "plain ascii", NULL, "plain ascii" },
	{ "Wi\xc5\x9bniewski", NULL, "Wi\xc5\x9bniewski" },	/* kept */
	{ "a\x1b[31mred", NULL, "a\\x1b[31mred" },		/* CSI */
	{ "\x1b]0;title\x07", NULL, "\\x1b]0;title\\x07" },	/* OSC */
	{ "del\x7f", NULL, "del\\x7f" },
	{ "c1 \xc2\x9b" "31m", NULL, "c1 \\xc2\\x9b31m" },	/* C1 CSI */
	{ "c1 \xc2\x85", NULL, "c1 \\xc2\\x85" },		/* NEL */
	{ "nbsp\xc2\xa0ok", NULL, "nbsp\xc2\xa0ok" },		/* not C1 */
	{ "rlo\xe2\x80\xae" "cba", NULL, "rlo\\xe2\\x80\\xaecba" },
	{ "lri\xe2\x81\xa6x", NULL, "lri\\xe2\\x81\\xa6x" },
	{ "rlm\xe2\x80\x8f", NULL, "rlm\\xe2\\x80\\x8f" },
	{ "alm\xd8\x9c", NULL, "alm\\xd8\\x9c" },
	{ "dash\xe2\x80\x94ok", NULL, "dash\xe2\x80\x94ok" },	/* em dash */
	{ "bad\xff\xc3", NULL, "bad\\xff\\xc3" },		/* invalid */
	{ "back\\slash", NULL, "back\\x5cslash" },
	{ "back\\slash", "\\", "back\\slash" },
	{ "two\nlines\ttab\r", "\n\t", "two\nlines\ttab\\x0d" },
	{ "two\nlines", NULL, "two\\x0alines" },
};

int
main(void)
{
	struct buf	 b;
	char		*s;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = esc_term_str(cases[i].in, cases[i].keep);
		if (!ok(strcmp(s, cases[i].want) == 0, "case %zu", i))
			diag("got '%s'", s);
		free(s);
	}
	buf_init(&b);
	esc_term(&b, "a\0b", 3, "\n");
	is_str(buf_cstr(&b), "a\\x00b", "a NUL is never kept");
	buf_free(&b);
	return (done_testing());
}
