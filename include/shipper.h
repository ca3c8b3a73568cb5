/*
 * shipper.h: sankaku-ship's state machine: eve.json (tail.h) to the Redis
 * list, at least once, with the checkpoint (checkpoint.h) written only
 * over what Redis has acknowledged.
 */
#ifndef SANKAKU_SHIPPER_H
#define SANKAKU_SHIPPER_H

#include <stddef.h>

#include <event2/event.h>

#include "ship_cfg.h"

#define SHIP_NREASONS 8

struct ship_metrics {
	unsigned long shipped; /* events acknowledged by Redis */
	unsigned long shipped_bytes;
	unsigned long skipped;	   /* event types not shipped, empty lines */
	unsigned long pushes;	   /* pushes acknowledged */
	unsigned long push_errors; /* pushes Redis refused */
	unsigned long reconnects;
	unsigned long rotations, truncations, truncations_lost;
	unsigned long checkpoints, checkpoint_errors;
	unsigned long waits;		   /* times the backlog made it wait */
	unsigned long dead[SHIP_NREASONS]; /* by ship_reasons[] */
	long long lag_bytes;		   /* not yet acknowledged, all files */
	double checkpoint_age_s; /* 0: all that was read is checkpointed */
	long backlog;		 /* the list's length, last seen; -1 ? */
	int redis_up;
	int waiting;	  /* the backlog is over max_backlog */
	char health[192]; /* "" when all is well */
};

extern const char *const ship_reasons[SHIP_NREASONS];

struct shipper;

/* Read the checkpoint and start following; NULL with err. */
struct shipper *shipper_new(struct event_base *, const struct ship_cfg *,
    struct ship_metrics *, char *err, size_t errlen);
/* Stop reading, wait for what is in flight (at most deadline_s), write
 * the checkpoint, then done(arg). */
void shipper_stop(
    struct shipper *, int deadline_s, void (*done)(void *), void *arg);
/* Refresh the gauges (lag, checkpoint age). */
void shipper_gauges(struct shipper *);
void shipper_free(struct shipper *);

#endif
