/*
 * metrics_http.c: the HTTP listener for /metrics and /healthz, on libevent's
 * evhttp in the daemon's event loop. Only GET and HEAD are served; any
 * other path is 404. Bound to 127.0.0.1 unless metrics.listen says else.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "metrics.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct metrics_http {
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	struct metrics			*registry;
	metrics_health_cb		 health;
	void				*health_arg;
	int				 port;
};

/* Send a plain text reply. */
static void
metrics_http_reply(struct evhttp_request *req, int code, const char *reason,
    const char *type, const void *body, size_t len)
{
	struct evbuffer	*out = evhttp_request_get_output_buffer(req);

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", type);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-store");
	evbuffer_add(out, body, len);
	evhttp_send_reply(req, code, reason, NULL);
}

/* GET /metrics: the registry in the text exposition format. */
static void
metrics_http_metrics(struct metrics_http *mh, struct evhttp_request *req)
{
	struct buf	 b;

	buf_init(&b);
	metrics_render(mh->registry, &b);
	metrics_http_reply(req, 200, "OK",
	    "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_free(&b);
}

/* GET /healthz: 200 "ok", or 503 with the reason. */
static void
metrics_http_healthz(struct metrics_http *mh, struct evhttp_request *req)
{
	char	*cause = NULL, *body;

	if (mh->health == NULL || mh->health(mh->health_arg, &cause) == 0) {
		metrics_http_reply(req, 200, "OK", "text/plain; charset=utf-8",
		    "ok\n", 3);
		return;
	}
	xasprintf(&body, "%s\n", cause != NULL ? cause : "unhealthy");
	metrics_http_reply(req, 503, "Service Unavailable",
	    "text/plain; charset=utf-8", body, strlen(body));
	free(body);
	free(cause);
}

/* Route a request by its path. */
static void
metrics_http_request(struct evhttp_request *req, void *arg)
{
	struct metrics_http	*mh = arg;
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(req);
	const char		*path = NULL;

	if (uri != NULL)
		path = evhttp_uri_get_path(uri);
	if (path != NULL && strcmp(path, "/metrics") == 0)
		metrics_http_metrics(mh, req);
	else if (path != NULL && strcmp(path, "/healthz") == 0)
		metrics_http_healthz(mh, req);
	else
		metrics_http_reply(req, 404, "Not Found",
		    "text/plain; charset=utf-8", "not found\n", 10);
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
	mh->registry = r;
	mh->health = health;
	mh->health_arg = arg;
	if ((mh->http = evhttp_new(base)) == NULL)
		goto fail;
	evhttp_set_allowed_methods(mh->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_timeout(mh->http, 10);
	evhttp_set_max_headers_size(mh->http, 8192);
	evhttp_set_max_body_size(mh->http, 1024);
	evhttp_set_gencb(mh->http, metrics_http_request, mh);
	mh->bound = evhttp_bind_socket_with_handle(mh->http, host, port);
	if (mh->bound == NULL)
		goto fail;
	mh->port = metrics_http_bound_port(evhttp_bound_socket_get_fd(
	    mh->bound));
	free(host);
	return (mh);
fail:
	xasprintf(cause, "metrics.listen '%s': cannot listen: %s", listen,
	    strerror(errno));
	free(host);
	metrics_http_free(mh);
	return (NULL);
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
	if (mh->http != NULL)
		evhttp_free(mh->http);
	free(mh);
}
