/*
 * http.c: the daemons' HTTP listener (see http.h).
 *
 * Two gates on evhttp's listener:
 *   - the connection cap.  File descriptors are handed out lowest first,
 *     so when the lowest free one is N, 0 .. N-1 are all open.  Each new
 *     connection (evhttp's bufferevent callback) looks at the lowest free
 *     descriptor; at or above (lowest free at start + max_conns) the
 *     listener is paused until connections have closed, and the ones
 *     beyond wait in the kernel's backlog.  That bounds the process's open
 *     descriptors without tracking any connection, and leaves room below
 *     RLIMIT_NOFILE for the Redis links to reconnect;
 *   - running out of descriptors (EMFILE, ENFILE) pauses accepting for a
 *     second instead of spinning on a listener that stays readable, and
 *     says so at most once a minute.
 * Sizes and the idle timeout are evhttp's own limits.
 */

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "http.h"
#include "log.h"

#define PAUSE_MS 1000 /* out of descriptors */
#define CAP_MS 250    /* over the cap: look again */
#define WARN_EVERY_S 60

struct http {
	struct evhttp *evh;
	struct evconnlistener *lev;
	struct event *resume;
	const struct http_route *routes;
	size_t nroutes;
	void *arg;
	int max_fd;	       /* pause accepting from here */
	unsigned long refused; /* pauses */
	time_t warned_at;
};

/* Log at most once a minute. */
static void
http_warn(struct http *h, const char *what)
{
	time_t now = time(NULL);

	if (now - h->warned_at < WARN_EVERY_S)
		return;
	h->warned_at = now;
	log_warnx("http: %s (%lu refused so far)", what, h->refused);
}

/* The lowest free descriptor now; -1 if there is none. */
static int
http_lowest_free(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* Stop accepting for ms. */
static void
http_pause(struct http *h, long ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	h->refused++;
	evconnlistener_disable(h->lev);
	evtimer_add(h->resume, &tv);
}

/* A new connection: evhttp asks for its bufferevent.  Over the cap,
 * accept no more until some have closed (this one is served). */
static struct bufferevent *
http_bev_cb(struct event_base *base, void *arg)
{
	struct http *h = arg;

	int low = http_lowest_free();

	(void)base;
	if (low < 0) {
		http_pause(h, PAUSE_MS);
		http_warn(
		    h, "out of file descriptors, accepting paused for 1 s");
	} else if (low >= h->max_fd) {
		http_pause(h, CAP_MS);
		http_warn(h, "connection cap reached, accepting paused");
	}
	return NULL; /* evhttp makes its own */
}

/* A pause is over, unless the connections are still over the cap. */
static void
http_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http *h = arg;
	struct timeval tv = {0, CAP_MS * 1000};
	int low = http_lowest_free();

	(void)fd;
	(void)what;
	if (low < 0 || low >= h->max_fd)
		evtimer_add(h->resume, &tv);
	else
		evconnlistener_enable(h->lev);
}

/* accept() failed: out of descriptors (or memory) pauses accepting. */
static void
http_error_cb(struct evconnlistener *lev, void *arg)
{
	struct http *h = arg;
	int e = EVUTIL_SOCKET_ERROR();

	(void)lev;
	if (e != EMFILE && e != ENFILE && e != ENOBUFS && e != ENOMEM)
		return;
	http_pause(h, PAUSE_MS);
	http_warn(h, "out of file descriptors, accepting paused for 1 s");
}

/* Send a body with a status. */
void
http_reply(
    struct evhttp_request *req, int code, const char *ctype, const char *body)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	evbuffer_add(b, body, strlen(body));
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Content-Type", ctype);
	evhttp_send_reply(req, code, code < 400 ? "OK" : "Error", b);
	evbuffer_free(b);
}

void
http_reply_metrics(struct evhttp_request *req, char *text)
{
	if (text == NULL) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	http_reply(req, 200, "text/plain; version=0.0.4; charset=utf-8", text);
	free(text);
}

void
http_reply_health(struct evhttp_request *req, int redis_up, const char *health)
{
	char body[256];
	const char *why = !redis_up		  ? "redis down"
	    : health != NULL && health[0] != '\0' ? health
						  : NULL;

	snprintf(body, sizeof(body), "%s\n", why != NULL ? why : "ok");
	http_reply(
	    req, why != NULL ? 503 : 200, "text/plain; charset=utf-8", body);
}

/* Dispatch through the route table: 404 for no path, 405 for a method
 * the path does not take (GET implies HEAD). */
static void
http_dispatch(struct evhttp_request *req, void *arg)
{
	struct http *h = arg;
	const char *uri = evhttp_request_get_uri(req);
	int method = evhttp_request_get_command(req);
	size_t i, plen = strcspn(uri, "?#");

	if (method == EVHTTP_REQ_HEAD)
		method = EVHTTP_REQ_GET;
	for (i = 0; i < h->nroutes; i++) {
		const struct http_route *r = &h->routes[i];
		size_t n = strlen(r->path);
		int match = n == 0 ? 1 /* any path: the last resort */
		    : r->path[n - 1] == '/' && n > 1
		    ? plen >= n && strncmp(uri, r->path, n) == 0
		    : plen == n && strncmp(uri, r->path, n) == 0;

		if (!match)
			continue;
		if (!(r->methods & method)) {
			evhttp_add_header(
			    evhttp_request_get_output_headers(req), "Allow",
			    r->methods & EVHTTP_REQ_POST ? "GET, HEAD, POST"
							 : "GET, HEAD");
			http_reply(req, 405, "text/plain; charset=utf-8",
			    "method not allowed\n");
			return;
		}
		r->fn(req, h->arg);
		return;
	}
	http_reply(req, 404, "text/plain; charset=utf-8", "not found\n");
}

/* Split "host:port" or "[v6]:port"; -1 if it is neither. */
static int
http_split(const char *listen, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(listen, ':');
	size_t n;
	long p;
	char *end;

	if (colon == NULL || (n = (size_t)(colon - listen)) == 0 ||
	    n >= hostlen)
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || p <= 0 || p > 65535)
		return -1;
	memcpy(host, listen, n);
	host[n] = '\0';
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	*port = (int)p;
	return 0;
}

/* Listen. */
struct http *
http_start(struct event_base *base, const char *listen,
    const struct http_limits *lim, const struct http_route *routes,
    size_t nroutes, void *arg, char *err, size_t errlen)
{
	struct evhttp_bound_socket *bound;
	struct http *h;
	char host[256];
	int port;

	if (http_split(listen, host, sizeof(host), &port) != 0) {
		snprintf(err, errlen, "'%s' is not host:port", listen);
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->evh = evhttp_new(base)) == NULL ||
	    (h->resume = evtimer_new(base, http_resume_cb, h)) == NULL) {
		snprintf(err, errlen, "out of memory");
		http_stop(h);
		return NULL;
	}
	h->routes = routes;
	h->nroutes = nroutes;
	h->arg = arg;
	errno = 0;
	if ((bound = evhttp_bind_socket_with_handle(
		 h->evh, host, (ev_uint16_t)port)) == NULL) {
		snprintf(err, errlen, "cannot listen on %s: %s", listen,
		    errno != 0 ? strerror(errno) : "not an address");
		http_stop(h);
		return NULL;
	}
	/* the listener is the lowest descriptor it will ever take */
	h->lev = evhttp_bound_socket_get_listener(bound);
	h->max_fd =
	    (int)evconnlistener_get_fd(h->lev) + 1 + (int)lim->max_conns;
	evconnlistener_set_error_cb(h->lev, http_error_cb);
	evhttp_set_bevcb(h->evh, http_bev_cb, h);
	evhttp_set_max_headers_size(h->evh, lim->max_headers);
	evhttp_set_max_body_size(h->evh, lim->max_body);
	evhttp_set_timeout(h->evh, (int)lim->timeout_s);
	evhttp_set_allowed_methods(h->evh,
	    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
		EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(h->evh, http_dispatch, h);
	return h;
}

/* Stop listening and close every connection. */
void
http_stop(struct http *h)
{
	if (h == NULL)
		return;
	if (h->evh != NULL) /* frees the listener too */
		evhttp_free(h->evh);
	if (h->resume != NULL)
		event_free(h->resume);
	free(h);
}

/* Connections refused so far. */
unsigned long
http_refused(const struct http *h)
{
	return h->refused;
}
