/* test_config.c: wachter.conf parsing, good and bad, with positions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "util/buf.h"
#include "tap.h"

struct conf_case {
	const char	*name;
	const char	*text;
	const char	*error;	/* expected substring, NULL if valid */
};

static const struct conf_case cases[] = {
	{ "minimal config",
	  "sources:\n  - {name: brp, path: /l/brp.jsonl, format: brp-audit-jsonl}\n",
	  NULL },
	{ "full config",
	  "database:\n  conninfo: host=/tmp dbname=w\n  migrate: true\n"
	  "user: wachter\nrules: /r\nkeys: /k\n"
	  "checkpoint:\n  interval: 30s\n  epoch: 15m\n  sink: /mnt/cp.log\n"
	  "batch: {events: 500, delay: 100ms}\ngrace: 2d\n"
	  "metrics: {listen: '127.0.0.1:9187'}\n"
	  "sources:\n  - {name: brp, path: /l/*.jsonl, format: brp-audit-jsonl}\n"
	  "  - {name: rdw, path: /l/rdw.csv, format: rdw-audit-csv}\n",
	  NULL },
	{ "unknown top-level key",
	  "sourcez: []\n", "test.conf:1:1: unknown key 'sourcez'" },
	{ "unknown nested key with its position",
	  "database:\n  conninfo: x\n  pasword: y\n"
	  "sources:\n  - {name: a, path: /a, format: f}\n",
	  "test.conf:3:3: unknown key 'pasword'" },
	{ "no sources", "user: w\n", "at least one source" },
	{ "bad duration", "grace: soon\nsources:\n  - {name: a, path: /a, format: f}\n",
	  "test.conf:1:8: grace must be a duration" },
	{ "duplicate source", "sources:\n  - {name: a, path: /a, format: f}\n"
	  "  - {name: a, path: /b, format: f}\n", "source name 'a' is used twice" },
	{ "source missing format", "sources:\n  - {name: a, path: /a}\n",
	  "test.conf:2:5: a source needs a name, a path and a format" },
	{ "checkpoint too rare", "checkpoint: {interval: 5m}\n"
	  "sources:\n  - {name: a, path: /a, format: f}\n", "at most 60s" },
	{ "syntax error", "sources: [\n", "YAML syntax error" },
	{ "empty file", "", "the file is empty" },
};

int
main(void)
{
	struct conf	*c;
	char		*cause;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = NULL;
		rc = conf_parse("test.conf", cases[i].text,
		    strlen(cases[i].text), &c, &cause);
		if (cases[i].error == NULL)
			ok(rc == 0 && c != NULL, "%s parses%s%s", cases[i].name,
			    cause ? ": " : "", cause ? cause : "");
		else
			ok(rc != 0 && cause != NULL &&
			    strstr(cause, cases[i].error) != NULL,
			    "%s: '%s' in error", cases[i].name, cases[i].error);
		if (rc != 0 && cause != NULL && cases[i].error != NULL &&
		    strstr(cause, cases[i].error) == NULL)
			diag("got: %s", cause);
		conf_free(c);
		free(cause);
	}
	rc = conf_parse("t", cases[1].text, strlen(cases[1].text), &c, &cause);
	is_int(c->nsources, 2, "two sources");
	is_str(c->sources[1].format, "rdw-audit-csv", "format kept");
	is_int(c->checkpoint_interval, 30000000, "30s in microseconds");
	is_int(c->batch_delay, 100000, "100ms in microseconds");
	is_int(c->grace, 2 * 86400 * 1000000LL, "2d in microseconds");
	ok(c->migrate == 1, "migrate flag");
	ok(conf_find_source(c, "rdw") != NULL, "find source by name");
	conf_free(c);

	/* More sources than one daemon follows: refused, with the reason. */
	{
		struct buf	 b;
		int		 k;

		buf_init(&b);
		buf_adds(&b, "sources:\n");
		for (k = 0; k <= CONF_MAX_SOURCES; k++)
			buf_printf(&b, "  - {name: s%d, path: /l/%d, format: f}\n",
			    k, k);
		cause = NULL;
		rc = conf_parse("t", buf_cstr(&b), b.len, &c, &cause);
		ok(rc != 0 && cause != NULL && strstr(cause, "at most") != NULL,
		    "more than %d sources refused", CONF_MAX_SOURCES);
		free(cause);
		buf_free(&b);
	}
	return (done_testing());
}
