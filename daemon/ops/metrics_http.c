/*
 * metrics_http.c: the HTTP listener for /metrics and /healthz, in the
 * daemon's event loop. Only GET and HEAD are served; any other path is
 * 404. Bound to 127.0.0.1 unless metrics.listen says else.
 *
 * A tiny HTTP/1.0-style server of its own (one request per connection,
 * then close) rather than evhttp, because it must never starve the daemon:
 * evhttp in libevent 2.1 accepts without limit and, when accept() fails
 * for want of descriptors, retries and logs on every loop iteration (a
 * thousand idle local connections once wrote 1.2 GB of warnings and left
 * no descriptor for PostgreSQL, rotated logs or checkpoints). Here at most
 * MH_MAXCONN connections are open (more are closed at once, and counted),
 * each may idle MH_IDLE seconds, and an accept() failure pauses the
 * listener for a second. The descriptor limit is raised to the hard limit
 * when that leaves MH_RESERVE descriptors for the core.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "log.h"
#include "ops/metrics.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define MH_HEAD_MAX	8192	/* bytes of request line and headers */

struct mh_conn {
	struct metrics_http	*mh;
	struct bufferevent	*bev;
	struct mh_conn		*prev, *next;
};

struct metrics_http {
	struct event_base	*base;
	struct evconnlistener	*lev;
	struct event		*ev_resume;
	struct metrics		*registry;
	metrics_health_cb	 health;
	void			*health_arg;
	int			 port;
	struct mh_conn		*conns;
	int			 nconns;
	int			 max;
	uint64_t		 refused;
};

/* Close a connection and forget it. */
static void
mh_conn_free(struct mh_conn *c)
{
	struct metrics_http	*mh = c->mh;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		mh->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	mh->nconns--;
	bufferevent_free(c->bev);
	free(c);
}

/* The reply is written: close. */
static void
mh_written(struct bufferevent *bev, void *arg)
{
	(void)bev;
	mh_conn_free(arg);
}

/* Send a reply and close once it is written. */
static void
mh_reply(struct mh_conn *c, int head, int code, const char *reason,
    const char *type, const void *body, size_t len)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);

	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n"
	    "Connection: close\r\n\r\n", code, reason, type, len);
	if (!head)
		evbuffer_add(out, body, len);
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_setcb(c->bev, NULL, mh_written, NULL, c);
	bufferevent_enable(c->bev, EV_WRITE);
}

/* Send a plain text reply. */
static void
mh_text(struct mh_conn *c, int head, int code, const char *reason,
    const char *text)
{
	mh_reply(c, head, code, reason, "text/plain; charset=utf-8", text,
	    strlen(text));
}

/* GET /metrics: the registry in the text exposition format. */
static void
metrics_http_metrics(struct mh_conn *c, int head)
{
	struct buf	 b;

	buf_init(&b);
	metrics_render(c->mh->registry, &b);
	mh_reply(c, head, 200, "OK", "text/plain; version=0.0.4; "
	    "charset=utf-8", b.data, b.len);
	buf_free(&b);
}

/* GET /healthz: 200 "ok", or 503 with the reason. */
static void
metrics_http_healthz(struct mh_conn *c, int head)
{
	struct metrics_http	*mh = c->mh;
	char			*cause = NULL, *body;

	if (mh->health == NULL || mh->health(mh->health_arg, &cause) == 0) {
		mh_text(c, head, 200, "OK", "ok\n");
		return;
	}
	xasprintf(&body, "%s\n", cause != NULL ? cause : "unhealthy");
	mh_text(c, head, 503, "Service Unavailable", body);
	free(body);
	free(cause);
}

/* Route a request line ("GET /path HTTP/1.1") by method and path. */
static void
metrics_http_request(struct mh_conn *c, char *line)
{
	char	*method, *path, *version, *q;
	int	 head;

	method = strtok(line, " ");
	path = strtok(NULL, " ");
	version = strtok(NULL, " ");
	if (method == NULL || path == NULL || version == NULL ||
	    strncmp(version, "HTTP/1.", 7) != 0) {
		mh_text(c, 0, 400, "Bad Request", "bad request\n");
		return;
	}
	head = strcmp(method, "HEAD") == 0;
	if (!head && strcmp(method, "GET") != 0) {
		mh_text(c, 0, 405, "Method Not Allowed", "GET or HEAD\n");
		return;
	}
	if ((q = strchr(path, '?')) != NULL)
		*q = '\0';
	if (strcmp(path, "/metrics") == 0)
		metrics_http_metrics(c, head);
	else if (strcmp(path, "/healthz") == 0)
		metrics_http_healthz(c, head);
	else
		mh_text(c, head, 404, "Not Found", "not found\n");
}

/* Bytes arrived: answer once the request head is complete. */
static void
mh_read(struct bufferevent *bev, void *arg)
{
	struct mh_conn		*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 end;
	char			*line;
	size_t			 n;

	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos < 0) {
		end = evbuffer_search(in, "\n\n", 2, NULL);
		if (end.pos < 0) {
			if (evbuffer_get_length(in) > MH_HEAD_MAX)
				mh_text(c, 0, 431, "Request Header Fields Too "
				    "Large", "request too large\n");
			return;
		}
	}
	if ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) == NULL) {
		mh_text(c, 0, 400, "Bad Request", "bad request\n");
		return;
	}
	metrics_http_request(c, line);
	free(line);
}

/* End of file, an error or the idle timeout: close. */
static void
mh_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	mh_conn_free(arg);
}

/* A connection arrived: serve it, or close it at once when full. */
static void
mh_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct metrics_http	*mh = arg;
	struct mh_conn		*c;
	struct timeval		 tv = { MH_IDLE, 0 };

	(void)lev;
	(void)sa;
	(void)salen;
	if (mh->nconns >= mh->max) {
		mh->refused++;
		log_warnx("metrics: %d connections open, refusing more",
		    mh->nconns);
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->mh = mh;
	c->bev = bufferevent_socket_new(mh->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		close(fd);
		free(c);
		return;
	}
	if ((c->next = mh->conns) != NULL)
		c->next->prev = c;
	mh->conns = c;
	mh->nconns++;
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_setcb(c->bev, mh_read, NULL, mh_event, c);
	bufferevent_enable(c->bev, EV_READ);
}

/* accept() failed (no descriptors left): pause rather than spin. */
static void
mh_accept_error(struct evconnlistener *lev, void *arg)
{
	struct metrics_http	*mh = arg;
	struct timeval		 tv = { 1, 0 };

	log_warn("metrics: accept");
	evconnlistener_disable(lev);
	evtimer_add(mh->ev_resume, &tv);
}

/* Listen again after a pause. */
static void
mh_resume(evutil_socket_t fd, short what, void *arg)
{
	struct metrics_http	*mh = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(mh->lev);
}

/*
 * How many connections to serve at once: MH_MAXCONN, fewer when the
 * descriptor limit leaves less than MH_RESERVE for the core. The soft
 * limit is raised towards the hard one first.
 */
static int
mh_limit(void)
{
	struct rlimit	 rl;
	rlim_t		 want = MH_RESERVE + 2 * MH_MAXCONN;
	long		 n;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return (MH_MAXCONN);
	if (rl.rlim_cur < want && rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = (long)rl.rlim_cur - MH_RESERVE;
	if (n >= MH_MAXCONN)
		return (MH_MAXCONN);
	log_warnx("metrics: only %ld file descriptors (raise LimitNOFILE); "
	    "serving %ld metrics connection(s) at a time", (long)rl.rlim_cur,
	    n > 1 ? n : 1);
	return (n > 1 ? (int)n : 1);
}

/*
 * Split "host:port" or "[v6]:port" into an allocated host and a port;
 * port 0 asks the kernel for a free one (tests use that).
 */
static int
metrics_http_parse(const char *listen, char **host, int *port, char **cause)
{
	const char	*colon, *start = listen, *end;
	char		*ep;
	long		 n;

	if (*listen == '[') {
		start = listen + 1;
		if ((end = strchr(start, ']')) == NULL || end[1] != ':')
			goto bad;
		colon = end + 1;
	} else {
		if ((colon = strrchr(listen, ':')) == NULL ||
		    strchr(listen, ':') != colon)
			goto bad;
		end = colon;
	}
	if (end == start || colon[1] == '\0')
		goto bad;
	errno = 0;
	n = strtol(colon + 1, &ep, 10);
	if (*ep != '\0' || errno != 0 || n < 0 || n > 65535)
		goto bad;
	*host = xstrndup(start, end - start);
	*port = (int)n;
	return (0);
bad:
	xasprintf(cause, "metrics.listen '%s': expected host:port or "
	    "[address]:port", listen);
	return (-1);
}

/* The port the socket is bound to. */
static int
metrics_http_bound_port(evutil_socket_t fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return (-1);
	if (ss.ss_family == AF_INET)
		return (ntohs(((struct sockaddr_in *)&ss)->sin_port));
	if (ss.ss_family == AF_INET6)
		return (ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
	return (-1);
}

/* Open the listening socket for host:port. */
static struct evconnlistener *
mh_listen(struct metrics_http *mh, const char *host, int port)
{
	struct evutil_addrinfo	 hints, *ai = NULL;
	struct evconnlistener	*lev;
	char			 serv[16];

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_NUMERICSERV;
	snprintf(serv, sizeof serv, "%d", port);
	if (evutil_getaddrinfo(host, serv, &hints, &ai) != 0 || ai == NULL) {
		errno = EADDRNOTAVAIL;
		return (NULL);
	}
	lev = evconnlistener_new_bind(mh->base, mh_accept, mh,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    64, ai->ai_addr, (int)ai->ai_addrlen);
	evutil_freeaddrinfo(ai);
	return (lev);
}

/*
 * Start serving a registry on listen (NULL for the default). health may be
 * NULL (always healthy). On failure returns NULL with *cause set.
 */
struct metrics_http *
metrics_http_start(struct event_base *base, struct metrics *r,
    const char *listen, metrics_health_cb health, void *arg, char **cause)
{
	struct metrics_http	*mh;
	char			*host;
	int			 port;

	if (listen == NULL)
		listen = METRICS_LISTEN_DEFAULT;
	if (metrics_http_parse(listen, &host, &port, cause) != 0)
		return (NULL);
	mh = xcalloc(1, sizeof *mh);
	mh->base = base;
	mh->registry = r;
	mh->health = health;
	mh->health_arg = arg;
	if ((mh->lev = mh_listen(mh, host, port)) == NULL)
		goto fail;
	evconnlistener_set_error_cb(mh->lev, mh_accept_error);
	mh->ev_resume = evtimer_new(base, mh_resume, mh);
	mh->max = mh_limit();
	mh->port = metrics_http_bound_port(evconnlistener_get_fd(mh->lev));
	free(host);
	return (mh);
fail:
	xasprintf(cause, "metrics.listen '%s': cannot listen: %s", listen,
	    strerror(errno));
	free(host);
	metrics_http_free(mh);
	return (NULL);
}

/* Connections closed at once because too many were open. */
uint64_t
metrics_http_refused(const struct metrics_http *mh)
{
	return (mh->refused);
}

/* Connections open now. */
int
metrics_http_open(const struct metrics_http *mh)
{
	return (mh->nconns);
}

/* The bound port (useful when started on port 0). */
int
metrics_http_port(const struct metrics_http *mh)
{
	return (mh->port);
}

/* Stop listening and free the listener. */
void
metrics_http_free(struct metrics_http *mh)
{
	if (mh == NULL)
		return;
	while (mh->conns != NULL)
		mh_conn_free(mh->conns);
	if (mh->lev != NULL)
		evconnlistener_free(mh->lev);
	if (mh->ev_resume != NULL)
		event_free(mh->ev_resume);
	free(mh);
}
