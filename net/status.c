/*
 * status.c: GET /metrics and GET /healthz on their own listener (see
 * status.h): the daemon's counters in Prometheus text, and 200 "ok" or
 * 503 and why.
 */

#include <stdio.h>
#include <stdlib.h>

#include "http.h"
#include "status.h"

struct status_http {
	struct http *http;
	struct status_src src;
};

static void
get_metrics(struct evhttp_request *req, void *arg)
{
	struct status_http *s = arg;

	http_reply_metrics(
	    req, s->src.metrics(s->src.arg, http_refused(s->http)));
}

static void
get_healthz(struct evhttp_request *req, void *arg)
{
	struct status_http *s = arg;
	const char *why = NULL;
	int up = s->src.health(s->src.arg, &why);

	http_reply_health(req, up, why);
}

static const struct http_route routes[] = {
    {"/metrics", EVHTTP_REQ_GET, get_metrics},
    {"/healthz", EVHTTP_REQ_GET, get_healthz},
};

struct status_http *
status_http_start(struct event_base *base, const char *listen, long max_conns,
    const struct status_src *src, const char *key, char *err, size_t errlen)
{
	struct http_limits lim = HTTP_LIMITS_DEFAULT;
	struct status_http *s;
	char why[256];

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", key);
		return NULL;
	}
	s->src = *src;
	if (max_conns > 0)
		lim.max_conns = max_conns;
	if ((s->http = http_start(base, listen, &lim, routes,
		 sizeof(routes) / sizeof(routes[0]), s, why, sizeof(why))) ==
	    NULL) {
		snprintf(err, errlen, "%s: %s", key, why);
		free(s);
		return NULL;
	}
	return s;
}

void
status_http_stop(struct status_http *s)
{
	if (s == NULL)
		return;
	http_stop(s->http);
	free(s);
}
