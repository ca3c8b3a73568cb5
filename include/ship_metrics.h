/*
 * ship_metrics.h: sankaku-ship's /metrics (Prometheus text, names
 * sankaku_ship_*) and /healthz (200 while Redis is reachable and the
 * checkpoint is written; 503 and why otherwise).
 */
#ifndef SANKAKU_SHIP_METRICS_H
#define SANKAKU_SHIP_METRICS_H

#include <event2/event.h>

#include "shipper.h"

/* The Prometheus text; new string, or NULL. */
char *ship_metrics_render(const struct ship_metrics *, const char *version);

struct ship_http;
/* Listen on "host:port"; NULL with err.  gauges(arg) runs before each
 * /metrics answer. */
struct ship_http *ship_http_start(struct event_base *, const char *listen,
    struct ship_metrics *, const char *version, void (*gauges)(void *),
    void *arg, char *err, size_t errlen);
void ship_http_stop(struct ship_http *);

#endif
