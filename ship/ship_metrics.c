/*
 * ship_metrics.c: sankaku-ship's metrics endpoint (see ship_metrics.h).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "http.h"
#include "ship_metrics.h"

struct ship_http {
	struct http *http;
	struct ship_metrics *m;
	const char *version;
	void (*gauges)(void *);
	void *arg;
};

static void app(struct evbuffer *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
app(struct evbuffer *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	evbuffer_add_vprintf(b, fmt, ap);
	va_end(ap);
}

/* One unlabelled series. */
static void
one(struct evbuffer *b, const char *name, const char *type, const char *help,
    double v)
{
	app(b, "# HELP sankaku_ship_%s %s\n# TYPE sankaku_ship_%s %s\n", name,
	    help, name, type);
	app(b, "sankaku_ship_%s %.17g\n", name, v);
}

char *
ship_metrics_render(const struct ship_metrics *m, const char *version)
{
	struct evbuffer *b = evbuffer_new();
	size_t i, n;
	char *text;

	if (b == NULL)
		return NULL;
	app(b,
	    "# HELP sankaku_ship_build_info The running version.\n"
	    "# TYPE sankaku_ship_build_info gauge\n"
	    "sankaku_ship_build_info{version=\"%s\"} 1\n",
	    version);
	one(b, "events_total", "counter",
	    "Events pushed and acknowledged by Redis.", (double)m->shipped);
	one(b, "bytes_total", "counter",
	    "Bytes of the events acknowledged by Redis.",
	    (double)m->shipped_bytes);
	one(b, "skipped_total", "counter",
	    "Lines not shipped: event types left out, empty lines.",
	    (double)m->skipped);
	one(b, "pushes_total", "counter", "Pushes acknowledged by Redis.",
	    (double)m->pushes);
	one(b, "push_errors_total", "counter",
	    "Pushes Redis refused (read again after a pause).",
	    (double)m->push_errors);
	app(b,
	    "# HELP sankaku_ship_deadletter_total Lines dead-lettered, by "
	    "reason.\n# TYPE sankaku_ship_deadletter_total counter\n");
	for (i = 0; i < SHIP_NREASONS; i++)
		if (ship_reasons[i][0] != '\0')
			app(b,
			    "sankaku_ship_deadletter_total{reason=\"%s\"} "
			    "%lu\n",
			    ship_reasons[i], m->dead[i]);
	one(b, "lag_bytes", "gauge",
	    "Bytes of EVE not yet acknowledged by Redis (all files).",
	    (double)m->lag_bytes);
	one(b, "checkpoint_age_seconds", "gauge",
	    "How long the checkpoint has been behind what Redis acknowledged.",
	    m->checkpoint_age_s);
	one(b, "checkpoints_total", "counter", "Checkpoints written.",
	    (double)m->checkpoints);
	one(b, "checkpoint_errors_total", "counter",
	    "Checkpoints that could not be written.",
	    (double)m->checkpoint_errors);
	one(b, "redis_up", "gauge", "1 while the Redis link is up.",
	    m->redis_up);
	one(b, "reconnects_total", "counter", "Redis links lost.",
	    (double)m->reconnects);
	one(b, "backlog", "gauge",
	    "Length of the list, last seen (-1: not yet known).",
	    (double)m->backlog);
	one(b, "waiting", "gauge",
	    "1 while the list is over max_backlog and nothing is read.",
	    m->waiting);
	one(b, "waits_total", "counter", "Times the backlog made it wait.",
	    (double)m->waits);
	one(b, "rotations_total", "counter", "Files finished and left.",
	    (double)m->rotations);
	one(b, "truncations_total", "counter",
	    "Files found truncated (copytruncate).", (double)m->truncations);
	one(b, "truncations_lost_total", "counter",
	    "Truncations with no copy to finish from: lines may be lost.",
	    (double)m->truncations_lost);
	n = evbuffer_get_length(b);
	if ((text = malloc(n + 1)) != NULL) {
		evbuffer_remove(b, text, n);
		text[n] = '\0';
	}
	evbuffer_free(b);
	return text;
}

static void
http_metrics(struct evhttp_request *req, void *arg)
{
	struct ship_http *h = arg;

	if (h->gauges != NULL)
		h->gauges(h->arg);
	http_reply_metrics(req, ship_metrics_render(h->m, h->version));
}

static void
http_healthz(struct evhttp_request *req, void *arg)
{
	struct ship_http *h = arg;

	http_reply_health(req, h->m->redis_up, h->m->health);
}

static const struct http_route routes[] = {
    {"/metrics", EVHTTP_REQ_GET, http_metrics},
    {"/healthz", EVHTTP_REQ_GET, http_healthz},
};

struct ship_http *
ship_http_start(struct event_base *base, const char *listen,
    struct ship_metrics *m, const char *version, void (*gauges)(void *),
    void *arg, char *err, size_t errlen)
{
	struct http_limits lim = HTTP_LIMITS_DEFAULT;
	struct ship_http *h = calloc(1, sizeof(*h));
	char why[256];

	if (h == NULL) {
		snprintf(err, errlen, "metrics: out of memory");
		return NULL;
	}
	h->m = m;
	h->version = version;
	h->gauges = gauges;
	h->arg = arg;
	if ((h->http = http_start(base, listen, &lim, routes,
		 sizeof(routes) / sizeof(routes[0]), h, why, sizeof(why))) ==
	    NULL) {
		snprintf(err, errlen, "ship.metrics_listen: %s", why);
		free(h);
		return NULL;
	}
	return h;
}

void
ship_http_stop(struct ship_http *h)
{
	if (h == NULL)
		return;
	http_stop(h->http);
	free(h);
}
