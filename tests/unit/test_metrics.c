/*
 * test_metrics.c: the metrics registry's text rendering from a table of
 * cases, series identity and the cardinality cap, and the HTTP listener
 * scraped by libevent's HTTP client on an ephemeral port, its output
 * checked line by line by tests/e2e/promcheck.py.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "ops/metrics.h"
#include "tap.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *const l_source[] = { "source", NULL };
static const char *const l_rule[] = { "rule", "severity", NULL };

/* A counter without labels, incremented and added to. */
static void
build_counter(struct metrics *r)
{
	struct metric_series *s;

	s = metric_get(metrics_add(r, METRIC_COUNTER, "x_total", "X.", NULL),
	    NULL);
	metric_inc(s);
	metric_add(s, 2);
	metric_add(s, -5);
	metric_add(s, NAN);
}

/* Label values that need escaping, and invalid UTF-8. */
static void
build_escape(struct metrics *r)
{
	struct metric	*m;

	m = metrics_add(r, METRIC_GAUGE, "g", "G.", l_source);
	metric_set(metric_get1(m, "a\"b\\c\nd"), 0.25);
	metric_set(metric_get1(m, "bad\xff" "byte"), 1);
	metric_set(metric_get1(m, "Zaanstad \xe2\x80\x93 BZ"), 2);
	metric_set(metric_get1(m, "sur\xed\xa0\x80" "over\xc0\xaf"), 3);
}

/* HELP text with a backslash, a newline and a quote. */
static void
build_help(struct metrics *r)
{
	(void)metrics_add(r, METRIC_GAUGE, "h", "one\\two\nthree \"q\"",
	    NULL);
}

/* Values that are not plain integers. */
static void
build_values(struct metrics *r)
{
	struct metric	*m;

	m = metrics_add(r, METRIC_GAUGE, "v", "V.", l_source);
	metric_set(metric_get1(m, "a"), 0.1);
	metric_set(metric_get1(m, "b"), 1e20);
	metric_set(metric_get1(m, "c"), -INFINITY);
	metric_set(metric_get1(m, "d"), NAN);
	metric_set(metric_get1(m, "e"), -3);
	metric_set(metric_get1(m, "f"), 1.0 / 3);
}

/* A labelled histogram. */
static void
build_histogram(struct metrics *r)
{
	static const double	 bounds[] = { 0.1, 1, 10 };
	struct metric		*m;
	struct metric_series	*s;

	m = metrics_add_histogram(r, "lat_seconds", "L.", l_source, bounds, 3);
	s = metric_get1(m, "brp");
	metric_observe(s, 0.05);
	metric_observe(s, 0.5);
	metric_observe(s, 1);
	metric_observe(s, 50);
	metric_observe(s, NAN);
}

/* Two label families, series in creation order, counters only rise. */
static void
build_order(struct metrics *r)
{
	struct metric	*m;

	m = metrics_add(r, METRIC_COUNTER, "alerts_total", "A.", l_rule);
	metric_inc(metric_get2(m, "z-rule", "high"));
	metric_inc(metric_get2(m, "a-rule", "low"));
	metric_inc(metric_get2(m, "z-rule", "high"));
	metric_set(metric_get2(m, "a-rule", "low"), 100);
}

static const struct {
	const char	*name;
	void		(*build)(struct metrics *);
	const char	*want;
} render_cases[] = {
	{ "counter", build_counter,
	  "# HELP x_total X.\n# TYPE x_total counter\nx_total 3\n" },
	{ "escaping", build_escape,
	  "# HELP g G.\n# TYPE g gauge\n"
	  "g{source=\"a\\\"b\\\\c\\nd\"} 0.25\n"
	  "g{source=\"bad\xef\xbf\xbd" "byte\"} 1\n"
	  "g{source=\"Zaanstad \xe2\x80\x93 BZ\"} 2\n"
	  "g{source=\"sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	  "over\xef\xbf\xbd\xef\xbf\xbd\"} 3\n" },
	{ "help", build_help,
	  "# HELP h one\\\\two\\nthree \"q\"\n# TYPE h gauge\nh 0\n" },
	{ "values", build_values,
	  "# HELP v V.\n# TYPE v gauge\nv{source=\"a\"} 0.1\n"
	  "v{source=\"b\"} 1e+20\nv{source=\"c\"} -Inf\n"
	  "v{source=\"d\"} NaN\nv{source=\"e\"} -3\n"
	  "v{source=\"f\"} 0.33333333333333331\n" },
	{ "histogram", build_histogram,
	  "# HELP lat_seconds L.\n# TYPE lat_seconds histogram\n"
	  "lat_seconds_bucket{source=\"brp\",le=\"0.1\"} 1\n"
	  "lat_seconds_bucket{source=\"brp\",le=\"1\"} 3\n"
	  "lat_seconds_bucket{source=\"brp\",le=\"10\"} 3\n"
	  "lat_seconds_bucket{source=\"brp\",le=\"+Inf\"} 4\n"
	  "lat_seconds_sum{source=\"brp\"} 51.55\n"
	  "lat_seconds_count{source=\"brp\"} 4\n" },
	{ "order", build_order,
	  "# HELP alerts_total A.\n# TYPE alerts_total counter\n"
	  "alerts_total{rule=\"z-rule\",severity=\"high\"} 2\n"
	  "alerts_total{rule=\"a-rule\",severity=\"low\"} 1\n" },
};

/* Run a text through promcheck.py; 1 valid, 0 invalid, -1 no python3. */
static int
promcheck(const char *text, size_t len)
{
	const char	*top = getenv("top_srcdir");
	char		*cmd;
	FILE		*f;
	int		 status;

	if (system("python3 -c pass >/dev/null 2>&1") != 0)
		return (-1);
	xasprintf(&cmd, "python3 %s/tests/e2e/promcheck.py 1>&2",
	    top != NULL ? top : ".");
	fflush(stdout);
	if ((f = popen(cmd, "w")) == NULL)
		return (-1);
	fwrite(text, 1, len, f);
	status = pclose(f);
	free(cmd);
	return (status == 0);
}

/* Render each table case and compare the whole text. */
static void
test_render(void)
{
	struct metrics	*r;
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < sizeof render_cases / sizeof *render_cases; i++) {
		r = metrics_new();
		render_cases[i].build(r);
		buf_init(&b);
		metrics_render(r, &b);
		is_str(buf_cstr(&b), render_cases[i].want, render_cases[i].name);
		buf_free(&b);
		metrics_free(r);
	}
}

/* Series are found again without a new one; the cap holds. */
static void
test_series(void)
{
	struct metrics		*r = metrics_new();
	struct metric		*m;
	struct metric_series	*a, *b, *o1, *o2;
	struct buf		 t;
	char			 name[32];
	size_t			 i, lines = 0;

	m = metrics_add(r, METRIC_COUNTER, "s_total", "S.", l_source);
	a = metric_get1(m, "brp");
	b = metric_get1(m, "rdw");
	ok(a != b, "different label values, different series");
	ok(metric_get1(m, "brp") == a, "same label values, same series");
	for (i = 2; i < METRICS_MAX_SERIES; i++) {
		snprintf(name, sizeof name, "src%zu", i);
		metric_inc(metric_get1(m, name));
	}
	o1 = metric_get1(m, "one-too-many");
	o2 = metric_get1(m, "two-too-many");
	ok(o1 == o2, "past the cap new label values share one series");
	metric_inc(o1);
	ok(metric_get1(m, "src7") != o1, "existing series still found");
	buf_init(&t);
	metrics_render(r, &t);
	for (i = 0; i < t.len; i++)
		lines += t.data[i] == '\n';
	is_int(lines, METRICS_MAX_SERIES + 2, "overflow series not exported");
	buf_free(&t);
	metrics_free(r);
}

/* The collect callback runs before each render. */
static void
collect_age(struct metrics *r, void *arg)
{
	int	*calls = arg;

	(*calls)++;
	metric_set(metric_get(metrics_find(r, "age_seconds"), NULL), 42);
}

/* Gauges computed at scrape time through the collect callback. */
static void
test_collect(void)
{
	struct metrics	*r = metrics_new();
	struct buf	 b;
	int		 calls = 0;

	(void)metrics_add(r, METRIC_GAUGE, "age_seconds", "Age.", NULL);
	metrics_set_collect(r, collect_age, &calls);
	buf_init(&b);
	metrics_render(r, &b);
	is_int(calls, 1, "collect called once per render");
	ok(strstr(buf_cstr(&b), "\nage_seconds 42\n") != NULL,
	    "collected value rendered");
	buf_free(&b);
	metrics_free(r);
}

/* wachterd's families are all there and pass the strict checker. */
static void
test_wachter(void)
{
	static const char *const names[] = {
		"wachter_events_read_total", "wachter_events_parsed_total",
		"wachter_events_quarantined_total",
		"wachter_lookups_explained_total", "wachter_alerts_total",
		"wachter_source_lag_seconds", "wachter_source_lag_bytes",
		"wachter_database_up", "wachter_batch_seconds",
		"wachter_checkpoint_age_seconds", "wachter_reloads_total",
		"wachter_last_reload_success"
	};
	struct metrics		*r = metrics_new();
	struct wachter_metrics	 w;
	struct buf		 b;
	char			*want;
	size_t			 i, found = 0;
	int			 pc;

	metrics_define_wachter(r, &w);
	metric_inc(metric_get1(w.events_read, "brp"));
	metric_inc(metric_get2(w.events_quarantined, "brp", "bad json"));
	metric_inc(metric_get3(w.lookups_explained, "brp", "Burgerzaken",
	    "case"));
	metric_inc(metric_get2(w.alerts, "neighbour", "high"));
	metric_observe(metric_get(w.batch_seconds, NULL), 0.042);
	metric_inc(metric_get1(w.reloads, "ok"));
	buf_init(&b);
	metrics_render(r, &b);
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		xasprintf(&want, "# TYPE %s ", names[i]);
		found += strstr(buf_cstr(&b), want) != NULL;
		free(want);
	}
	is_int(found, sizeof names / sizeof *names, "all families present");
	pc = promcheck((const char *)b.data, b.len);
	if (pc < 0)
		ok(1, "wachter families pass promcheck # SKIP no python3");
	else {
		ok(pc == 1, "wachter families pass promcheck");
		ok(promcheck("x 1\n", 4) == 0, "promcheck rejects junk");
	}
	buf_free(&b);
	metrics_free(r);
}

struct scrape {
	struct event_base *base;
	int		 code;
	struct buf	 body;
	char		*type;
};

/* The HTTP client's completion callback: keep the response, stop. */
static void
scrape_done(struct evhttp_request *req, void *arg)
{
	struct scrape	*sc = arg;
	struct evbuffer	*in;
	const char	*t;
	size_t		 len;

	if (req != NULL && (sc->code = evhttp_request_get_response_code(req))) {
		in = evhttp_request_get_input_buffer(req);
		len = evbuffer_get_length(in);
		buf_add(&sc->body, evbuffer_pullup(in, len), len);
		t = evhttp_find_header(evhttp_request_get_input_headers(req),
		    "Content-Type");
		sc->type = t != NULL ? xstrdup(t) : NULL;
	}
	event_base_loopexit(sc->base, NULL);
}

/* One request with a real HTTP client on the same event loop. */
static void
scrape(struct event_base *base, int port, enum evhttp_cmd_type cmd,
    const char *path, struct scrape *sc)
{
	struct evhttp_connection	*conn;
	struct evhttp_request		*req;
	struct timeval			 limit = { 5, 0 };

	memset(sc, 0, sizeof *sc);
	sc->base = base;
	buf_init(&sc->body);
	conn = evhttp_connection_base_new(base, NULL, "127.0.0.1", port);
	req = evhttp_request_new(scrape_done, sc);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    "localhost");
	if (evhttp_make_request(conn, req, cmd, path) != 0)
		return;
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	evhttp_connection_free(conn);
}

/* Release a scrape's response. */
static void
scrape_free(struct scrape *sc)
{
	buf_free(&sc->body);
	free(sc->type);
}

/*
 * Send raw bytes to the listener and read the reply until it closes,
 * running the loop meanwhile (at most about 5 s). Returns the reply.
 */
static char *
raw_request(struct event_base *base, int port, const char *req, size_t len)
{
	struct sockaddr_in	 sin;
	struct buf		 b;
	char			 tmp[4096];
	ssize_t			 n;
	int			 fd, i;

	buf_init(&b);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    write(fd, req, len) != (ssize_t)len)
		return (xstrdup(""));
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 500; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		n = read(fd, tmp, sizeof tmp);
		if (n == 0)
			break;
		if (n > 0)
			buf_add(&b, tmp, (size_t)n);
		else
			usleep(10000);
	}
	close(fd);
	buf_cstr(&b);
	return ((char *)b.data);
}

/* The health callback: healthy unless *arg names a reason. */
static int
health(void *arg, char **cause)
{
	const char	*reason = *(const char **)arg;

	if (reason == NULL)
		return (0);
	*cause = xstrdup(reason);
	return (-1);
}

/* Listener start errors, each with a message. */
static void
test_http_errors(struct event_base *base, int busy)
{
	static const char *const bad[] = {
		"localhost", "127.0.0.1:", ":9187", "[::1]9187", "host:99999",
		"a:b:c", "127.0.0.1:-1", "127.0.0.1:80x", "[]:80"
	};
	struct metrics_http	*mh;
	struct metrics		*r = metrics_new();
	char			*cause, *listen;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		cause = NULL;
		mh = metrics_http_start(base, r, bad[i], NULL, NULL, &cause);
		ok(mh == NULL && cause != NULL &&
		    strstr(cause, "metrics.listen") != NULL,
		    "listen '%s' refused", bad[i]);
		metrics_http_free(mh);
		free(cause);
	}
	cause = NULL;
	xasprintf(&listen, "127.0.0.1:%d", busy);
	mh = metrics_http_start(base, r, listen, NULL, NULL, &cause);
	ok(mh == NULL && cause != NULL && strstr(cause, "cannot listen"),
	    "port in use refused: %s", cause != NULL ? cause : "");
	metrics_http_free(mh);
	free(cause);
	free(listen);
	metrics_free(r);
}

/* Scrape a live listener for each path and method. */
static void
test_http(void)
{
	struct event_base	*base = event_base_new();
	struct metrics		*r = metrics_new();
	struct wachter_metrics	 w;
	struct metrics_http	*mh;
	struct scrape		 sc;
	struct buf		 want;
	const char		*reason = NULL;
	char			*cause = NULL;
	int			 port, pc;

	metrics_define_wachter(r, &w);
	metric_inc(metric_get1(w.events_read, "brp \"audit\""));
	mh = metrics_http_start(base, r, "127.0.0.1:0", health, &reason,
	    &cause);
	if (!ok(mh != NULL, "listener started")) {
		diag("%s", cause);
		return;
	}
	port = metrics_http_port(mh);
	ok(port > 0, "ephemeral port %d", port);

	scrape(base, port, EVHTTP_REQ_GET, "/metrics", &sc);
	is_int(sc.code, 200, "GET /metrics is 200");
	is_str(sc.type, "text/plain; version=0.0.4; charset=utf-8",
	    "exposition content type");
	buf_init(&want);
	metrics_render(r, &want);
	ok(sc.body.len == want.len && memcmp(sc.body.data, want.data,
	    want.len) == 0, "body is the rendered registry");
	pc = promcheck((const char *)sc.body.data, sc.body.len);
	if (pc < 0)
		ok(1, "scraped text passes promcheck # SKIP no python3");
	else
		ok(pc == 1, "scraped text passes promcheck");
	buf_free(&want);
	scrape_free(&sc);

	scrape(base, port, EVHTTP_REQ_GET, "/metrics?x=1", &sc);
	is_int(sc.code, 200, "query string ignored");
	scrape_free(&sc);
	scrape(base, port, EVHTTP_REQ_HEAD, "/metrics", &sc);
	is_int(sc.code, 200, "HEAD /metrics is 200");
	is_int(sc.body.len, 0, "HEAD has no body");
	scrape_free(&sc);
	scrape(base, port, EVHTTP_REQ_GET, "/healthz", &sc);
	is_int(sc.code, 200, "healthy is 200");
	is_str(buf_cstr(&sc.body), "ok\n", "healthy says ok");
	scrape_free(&sc);
	reason = "database unreachable";
	scrape(base, port, EVHTTP_REQ_GET, "/healthz", &sc);
	is_int(sc.code, 503, "unhealthy is 503");
	is_str(buf_cstr(&sc.body), "database unreachable\n", "with reason");
	scrape_free(&sc);
	scrape(base, port, EVHTTP_REQ_GET, "/metricsx", &sc);
	is_int(sc.code, 404, "other path is 404");
	scrape_free(&sc);
	scrape(base, port, EVHTTP_REQ_GET, "/", &sc);
	is_int(sc.code, 404, "root is 404");
	scrape_free(&sc);
	scrape(base, port, EVHTTP_REQ_POST, "/metrics", &sc);
	ok(sc.code >= 400 && sc.code < 600, "POST refused (%d)", sc.code);
	scrape_free(&sc);

	{
		char	*raw, big[9000];

		raw = raw_request(base, port, "NONSENSE\r\n\r\n", 12);
		ok(strncmp(raw, "HTTP/1.1 400 ", 13) == 0, "a malformed request "
		    "line is 400");
		free(raw);
		memset(big, 'a', sizeof big);
		memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 27);
		raw = raw_request(base, port, big, sizeof big);
		ok(strncmp(raw, "HTTP/1.1 431 ", 13) == 0, "a request head over "
		    "8 KiB is 431");
		free(raw);
		raw = raw_request(base, port, "GET /healthz HTTP/1.0\n\n", 23);
		ok(strstr(raw, "\r\n\r\ndatabase unreachable\n") != NULL,
		    "bare newlines are accepted");
		free(raw);
		is_int(metrics_http_open(mh), 0, "every connection closed");
	}
	test_http_errors(base, port);
	metrics_http_free(mh);
	metrics_free(r);
	event_base_free(base);
}

int
main(void)
{
	test_render();
	test_series();
	test_collect();
	test_wachter();
	test_http();
	return (done_testing());
}
