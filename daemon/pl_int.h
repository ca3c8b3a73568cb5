/*
 * pl_int.h: the pipeline's insides, shared by pipeline.c (the state
 * machine and the life of a chunk) and pl_upkeep.c (the periodic tick,
 * a reloaded config, new measured figures).  Nothing else includes it:
 * to the rest of the daemon a pipeline is opaque (pipeline.h).
 */
#ifndef SANKAKU_PL_INT_H
#define SANKAKU_PL_INT_H

#include <event2/event.h>

#include "link.h"
#include "pipeline.h"

enum pl_state { PL_WAIT, PL_CHECK, PL_RECOVER, PL_RUN, PL_DRAIN, PL_CLOSE };

struct pipeline {
	struct event_base *base;
	struct cfg *cfg;
	struct idx *idx;
	struct render *tables; /* fragments of cfg */
	struct metrics *m;
	struct link *wait, *main;
	struct input *in;
	struct store *store;
	struct subs *subs;
	struct events *ev; /* what happens to each event (events.c) */

	enum pl_state state;
	unsigned long gen;
	long inflight; /* chunks not yet freed, of any generation */
	int freeing;   /* pl_free: replies come back NULL, nothing follows */
	int careful;   /* a reply was too large: recover reading carefully */
	long block_ms; /* input.block_ms in force until a restart */
	int dl_warned, stream_warned;
	unsigned long ticks;
	struct event *retry;	   /* recover after a backoff */
	struct event *tick;	   /* subscribers and gauges */
	struct measured *measured; /* the desk's figures (measured.c) */
	void (*on_ready)(void *);
	void (*on_stopped)(void *);
	void *arg;
};

/* pipeline.c: both links ready; a reply passed the links' bound */
int pl_links_up(const struct pipeline *);
void pl_link_big(struct link *, void *arg);
/* pl_upkeep.c: every TICK_MS: who listens; now and then the gauges */
void pl_tick_cb(evutil_socket_t, short, void *arg);

#endif
