/*
 * ship_metrics.h: sankaku-ship's counters as Prometheus text (names
 * sankaku_ship_*), served on /metrics by status.c.
 */
#ifndef SANKAKU_SHIP_METRICS_H
#define SANKAKU_SHIP_METRICS_H

#include "shipper.h"

/* The Prometheus text; new string, or NULL. */
char *ship_metrics_render(const struct ship_metrics *, const char *version);

#endif
