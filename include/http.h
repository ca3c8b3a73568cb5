/*
 * http.h: the daemons' HTTP listener, on libevent's evhttp, with the
 * limits a listener facing a network needs: header and body sizes, an
 * idle timeout, a cap on connections, and a pause (not a spin) when the
 * process runs out of file descriptors.  Requests are dispatched through
 * a table of (path, methods, handler); GET implies HEAD.
 */
#ifndef SANKAKU_HTTP_H
#define SANKAKU_HTTP_H

#include <stddef.h>

#include <event2/event.h>
#include <event2/http.h>

struct http_limits {
	long max_headers; /* bytes of request line and headers */
	long max_body;	  /* bytes of body (0: none accepted) */
	long timeout_s;	  /* idle or slow connections closed after this */
	long max_conns;	  /* open connections at most */
};

#define HTTP_LIMITS_DEFAULT                                                    \
	{                                                                      \
		8192, 0, 10, 64                                                \
	}

struct http_route {
	const char *path; /* exact, a prefix if it ends in '/', "" any */
	int methods;	  /* EVHTTP_REQ_GET | EVHTTP_REQ_POST ... */
	void (*fn)(struct evhttp_request *, void *arg);
};

struct http;

/* Listen on "host:port" ("[v6]:port"); NULL with err (errno included). */
struct http *http_start(struct event_base *, const char *listen,
    const struct http_limits *, const struct http_route *routes, size_t nroutes,
    void *arg, char *err, size_t errlen);
void http_stop(struct http *);
/* Connections refused: over the cap, or out of file descriptors. */
unsigned long http_refused(const struct http *);
/* Send body (a NUL-terminated string) with a status and content type. */
void http_reply(
    struct evhttp_request *, int code, const char *ctype, const char *body);
/* GET /metrics of every daemon: the Prometheus text (freed here), or 500
 * when it could not be made (NULL). */
void http_reply_metrics(struct evhttp_request *, char *text);
/* GET /healthz of every daemon: 200 "ok" while Redis is up and nothing
 * is wrong, else 503 and why ("redis down", or health). */
void http_reply_health(
    struct evhttp_request *, int redis_up, const char *health);

#endif
