/*
 * pipeline.h: the consumer.  It takes EVE events from the input at least
 * once, enriches them, and stores and publishes the result, over two Redis
 * links (a blocking input and a non-blocking output).
 */
#ifndef SANKAKU_PIPELINE_H
#define SANKAKU_PIPELINE_H

#include <event2/event.h>

#include "config.h"
#include "index.h"
#include "metrics.h"
#include "redisurl.h"

struct pipeline;

/* cfg and idx are owned by the pipeline from here on. */
struct pipeline *pl_new(struct event_base *, struct cfg *, struct idx *,
    const struct redis_url *, struct metrics *, void (*on_ready)(void *),
    void (*on_drained)(void *), void *arg);
void pl_start(struct pipeline *);
/* Take no new input; on_drained runs once nothing is in flight. */
void pl_drain(struct pipeline *);
/* Close both links after every pending reply; then on_closed(arg). */
void pl_close(struct pipeline *, void (*on_closed)(void *));
/* Swap in a new config and index (ownership passes); the old ones are
 * freed.  Takes effect for the next batch; never within one. */
void pl_swap_config(struct pipeline *, struct cfg *, struct idx *);
const struct cfg *pl_config(const struct pipeline *);
/* One line of what it is doing, for systemd's STATUS=. */
void pl_status(const struct pipeline *, char *buf, size_t len);
void pl_free(struct pipeline *);

#endif
