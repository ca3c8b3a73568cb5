/*
 * pipeline.h: the consumer.  It takes EVE events from the input at least
 * once (input.h), enriches them, and has the store (store.h) write and
 * publish the result, over two Redis links: "wait" for the reads that may
 * block, "main" for everything that must stay in order with the stores.
 */
#ifndef SANKAKU_PIPELINE_H
#define SANKAKU_PIPELINE_H

#include <stddef.h>

#include <event2/event.h>
#include <jansson.h>

#include "chunk.h"
#include "config.h"
#include "index.h"
#include "metrics.h"
#include "redisurl.h"

struct pipeline;
struct link;

/* cfg and idx are owned by the pipeline from here on.  on_ready runs once,
 * when it first consumes. */
struct pipeline *pl_new(struct event_base *, struct cfg *, struct idx *,
    const struct redis_url *, struct metrics *, void (*on_ready)(void *),
    void *arg);
void pl_start(struct pipeline *);
/* Take no new input, finish what is in flight, close both links after
 * their last replies; then on_stopped(arg). */
void pl_stop(struct pipeline *, void (*on_stopped)(void *));
/* Swap in a new config and index (ownership passes either way); the old
 * ones are freed.  Takes effect for the next chunk; never within one.
 * -1 with err when the new config cannot work with what stays in force
 * until a restart (the input's settings). */
int pl_swap_config(
    struct pipeline *, struct cfg *, struct idx *, char *err, size_t errlen);
const struct cfg *pl_config(const struct pipeline *);
/* The sources rendered again with the desk's measured figures (m as
 * measured_clean gives them), for the next chunk on; -1 out of memory. */
int pl_set_measured(struct pipeline *, json_t *m);
unsigned long pl_generation(const struct pipeline *);

/* measured.c: the desk's figures, polled on the gauge tick. */
struct measured *measured_new(void);
void measured_free(struct measured *);
void measured_poll(struct measured *, struct pipeline *, struct link *main);
/* The figures in force, or NULL. */
json_t *measured_doc(const struct measured *);
/* One line of what it is doing, for systemd's STATUS=. */
void pl_status(const struct pipeline *, char *buf, size_t len);
void pl_free(struct pipeline *);

/*
 * For the input backends.  A chunk is made with pl_chunk_init, filled
 * between pl_chunk_begin and pl_chunk_end (the store then reports it
 * stored, and the backend is asked to acknowledge it), and ends with
 * pl_chunk_done (acknowledged, or not) or pl_chunk_drop (given up; with
 * err, Redis refused something: back off and recover).  Both free it and
 * take the next step.
 */
void pl_chunk_init(struct pipeline *, struct chunk *, int recovery);
int pl_chunk_stale(const struct chunk *);
void pl_chunk_begin(struct chunk *);
void pl_chunk_item(struct chunk *, const char *raw, size_t len);
struct careful_big;
void pl_chunk_item_big(struct chunk *, const struct careful_big *);
void pl_chunk_end(struct chunk *);
void pl_chunk_done(struct chunk *, int ok);
void pl_chunk_drop(struct chunk *, const char *err);
/* Recovery is over: consume. */
void pl_recovered(struct pipeline *);
/* Forget everything in flight (its events wait in Redis) and recover,
 * after delay_ms. */
void pl_restart(struct pipeline *, long delay_ms);
/* Decide what to do next; called after every completion. */
void pl_step(struct pipeline *);
unsigned long pl_gen(const struct pipeline *);
/* Read carefully (careful.h): a reply passed the bound. */
int pl_careful(const struct pipeline *);
size_t pl_max_reply(const struct cfg *);
/* Chunks in flight, and how many more may be taken. */
long pl_inflight(const struct pipeline *);
long pl_room(const struct pipeline *);

#endif
