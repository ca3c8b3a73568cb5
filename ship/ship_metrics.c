/*
 * ship_metrics.c: sankaku-ship's counters as Prometheus text (names
 * sankaku_ship_*), served on /metrics by status.c.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "ship_metrics.h"

char *
ship_metrics_render(const struct ship_metrics *m, const char *version)
{
	struct prom p;
	size_t i;

	prom_init(&p, "sankaku_ship_");
	prom_family(&p, "build_info", "gauge", "The running version.");
	prom_sample(
	    &p, "build_info", 1, "version", version, (const char *)NULL);
	prom_scalar(&p, "events_total", "counter",
	    "Events pushed and acknowledged by Redis.", (double)m->shipped);
	prom_scalar(&p, "bytes_total", "counter",
	    "Bytes of the events acknowledged by Redis.",
	    (double)m->shipped_bytes);
	prom_scalar(&p, "skipped_total", "counter",
	    "Lines not shipped: event types left out, empty lines.",
	    (double)m->skipped);
	prom_scalar(&p, "pushes_total", "counter",
	    "Pushes acknowledged by Redis.", (double)m->pushes);
	prom_scalar(&p, "push_errors_total", "counter",
	    "Pushes Redis refused (read again after a pause).",
	    (double)m->push_errors);
	prom_family(&p, "deadletter_total", "counter",
	    "Lines dead-lettered, by reason.");
	for (i = 0; i < SHIP_NREASONS; i++)
		if (ship_reasons[i][0] != '\0')
			prom_sample(&p, "deadletter_total", (double)m->dead[i],
			    "reason", ship_reasons[i], (const char *)NULL);
	prom_scalar(&p, "lag_bytes", "gauge",
	    "Bytes of EVE not yet acknowledged by Redis (all files).",
	    (double)m->lag_bytes);
	prom_scalar(&p, "checkpoint_age_seconds", "gauge",
	    "How long the checkpoint has been behind what Redis acknowledged.",
	    m->checkpoint_age_s);
	prom_scalar(&p, "checkpoints_total", "counter", "Checkpoints written.",
	    (double)m->checkpoints);
	prom_scalar(&p, "checkpoint_errors_total", "counter",
	    "Checkpoints that could not be written.",
	    (double)m->checkpoint_errors);
	prom_scalar(&p, "redis_up", "gauge", "1 while the Redis link is up.",
	    m->redis_up);
	prom_scalar(&p, "reconnects_total", "counter", "Redis links lost.",
	    (double)m->reconnects);
	prom_scalar(&p, "backlog", "gauge",
	    "Length of the list, last seen (-1: not yet known).",
	    (double)m->backlog);
	prom_scalar(&p, "waiting", "gauge",
	    "1 while the list is over max_backlog and nothing is read.",
	    m->waiting);
	prom_scalar(&p, "waits_total", "counter",
	    "Times the backlog made it wait.", (double)m->waits);
	prom_scalar(&p, "rotations_total", "counter",
	    "Files finished and left.", (double)m->rotations);
	prom_scalar(&p, "truncations_total", "counter",
	    "Files found truncated (copytruncate).", (double)m->truncations);
	prom_scalar(&p, "truncations_lost_total", "counter",
	    "Truncations with no copy to finish from: lines may be lost.",
	    (double)m->truncations_lost);
	return prom_text(&p);
}
