/*
 * pipeline.c: the consumer's state machine, and the life of a chunk
 * (what happens to each of its events is events.c's).
 *
 *          links up, nothing in flight     keys and policy fit
 *   WAIT ───────────────────────────► CHECK ──────────────► RECOVER ──► RUN
 *     ▲  ◄──── unfit: again in 5 s ─────┘                     │         │
 *     └──── a link failed, a store refused ──────────────────┴─────────┘
 *   any of the above ──(pl_stop)──► DRAIN ──(nothing in flight)──► CLOSE
 *
 *   WAIT     links down, a backoff pending, or chunks of the last
 *            generation still out
 *   CHECK    the keys are of the types needed, Redis does not evict keys
 *            (preflight.c); unfit at the first connect: refuse to start
 *   RECOVER  the input finishes what this consumer had taken
 *   RUN      consuming
 *   DRAIN    stopping: finish what is taken, take nothing new
 *   CLOSE    both links close after their last replies
 *
 * pl_step is the one step function: every completion (a reply, a chunk
 * done, a link up or down, a timer) ends by calling it, and it asks the
 * input for what the state calls for.  A failure bumps the generation:
 * replies of the old one are ignored, and their events, still in Redis,
 * are recovered.  Duplicates are possible (a chunk stored but not yet
 * acknowledged when the daemon died); every enriched alert carries
 * sankaku.id for that.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "careful.h"
#include "clock.h"
#include "enrich.h"
#include "events.h"
#include "input.h"
#include "link.h"
#include "log.h"
#include "pipeline.h"
#include "pl_int.h"
#include "preflight.h"
#include "store.h"
#include "subs.h"
#include "xmalloc.h"

#define TICK_MS 500
#define UNFIT_RETRY_MS 5000

static const char *const pl_state_names[] = {"waiting for Redis",
    "checking keys", "recovering", "consuming", "draining", "closing"};

/* Both links ready. */
int
pl_links_up(const struct pipeline *pl)
{
	return link_state(pl->wait) == LINK_READY &&
	    link_state(pl->main) == LINK_READY;
}

/* Both links closed. */
static int
pl_links_down(const struct pipeline *pl)
{
	return link_state(pl->wait) == LINK_DOWN &&
	    link_state(pl->main) == LINK_DOWN;
}

/* Run a callback at most once. */
static void
pl_call_once(void (**cb)(void *), void *arg)
{
	void (*f)(void *) = *cb;

	*cb = NULL;
	if (f != NULL)
		f(arg);
}

/* Not fit to consume: refuse to start, or say so and look again later. */
static void
pl_unfit(struct pipeline *pl, const char *why)
{
	struct timeval tv = {UNFIT_RETRY_MS / 1000, 0};

	snprintf(pl->m->health, sizeof(pl->m->health), "%s", why);
	if (pl->on_ready != NULL)
		fatalx("refusing to start: %s", why);
	log_error("not consuming: %s; checking again in %d s", why,
	    UNFIT_RETRY_MS / 1000);
	pl->state = PL_WAIT;
	evtimer_add(pl->retry, &tv);
}

/* The preflight answered: consume, or not. */
static void
pl_checked(void *arg, const struct pf_result *res)
{
	struct link_tag *t = arg;
	struct pipeline *pl = t->owner;
	char why[256];

	if (!link_untag(t, res, pl->gen) || pl->state != PL_CHECK)
		return; /* the link went down: a restart follows */
	pl->m->eviction_safe = res->eviction_safe;
	if (!res->keys_ok) {
		pl_unfit(pl, res->why);
		return;
	}
	if (res->eviction_safe == 0) {
		snprintf(why, sizeof(why),
		    "Redis maxmemory-policy is %s: it evicts any key when "
		    "full, stored alerts and taken batches with them (set "
		    "noeviction)",
		    res->policy);
		if (pl->cfg->require_noeviction) {
			pl_unfit(pl, why);
			return;
		}
		log_error("%s", why);
	} else if (res->eviction_safe < 0)
		log_warnx("cannot read Redis maxmemory-policy (INFO refused: "
			  "grant sankakud +info); an allkeys-* policy would "
			  "lose alerts");
	pl->m->health[0] = '\0';
	ev_reference(pl->ev, pl->main);
	pl->state = PL_RECOVER;
	pl->in->be->recover(pl->in);
}

/* The one step function. */
void
pl_step(struct pipeline *pl)
{
	if (pl->freeing)
		return;
	pl->m->redis_up = pl_links_up(pl);
	switch (pl->state) {
	case PL_WAIT:
		if (!pl_links_up(pl) || pl->inflight != 0 ||
		    evtimer_pending(pl->retry, NULL))
			break;
		pl->state = PL_CHECK;
		pf_start(pl->main, pl->cfg, pl->in->be->key_type, pl_checked,
		    link_tag(pl, pl->gen));
		break;
	case PL_CHECK:
		break; /* the answers are awaited */
	case PL_RECOVER:
		if (pl_links_up(pl))
			pl->in->be->kick(pl->in, IN_RECOVER);
		break;
	case PL_RUN:
		if (pl_links_up(pl))
			pl->in->be->kick(pl->in, IN_RUN);
		break;
	case PL_DRAIN:
		if (pl_links_up(pl))
			pl->in->be->kick(pl->in, IN_FINISH);
		if (pl->inflight != 0 || pl->in->be->busy(pl->in))
			break;
		log_info("nothing in flight, closing the links");
		pl->state = PL_CLOSE;
		link_stop(pl->wait);
		link_stop(pl->main);
		pl_step(pl);
		break;
	case PL_CLOSE:
		/* both links closed: every command sent was answered */
		if (pl_links_down(pl))
			pl_call_once(&pl->on_stopped, pl->arg);
		break;
	}
}

/* Forget everything in flight: its events wait in Redis. */
void
pl_restart(struct pipeline *pl, long delay_ms)
{
	pl->gen++;
	pl->in->be->reset(pl->in);
	if (pl->state == PL_CHECK || pl->state == PL_RECOVER ||
	    pl->state == PL_RUN)
		pl->state = PL_WAIT;
	if (delay_ms > 0) {
		struct timeval tv = {delay_ms / 1000, (delay_ms % 1000) * 1000};

		evtimer_add(pl->retry, &tv);
	}
	pl_step(pl);
}

/* Recovery is over: consume. */
void
pl_recovered(struct pipeline *pl)
{
	if (pl->state != PL_RECOVER)
		return;
	log_info("consuming input=%s mode=%s consumer=%s", pl->cfg->input_key,
	    pl->in->be->name, pl->cfg->consumer);
	pl->careful = 0;
	pl->state = PL_RUN;
	pl_call_once(&pl->on_ready, pl->arg);
	pl_step(pl);
}

/* Read carefully: a reply was too large (careful.h). */
int
pl_careful(const struct pipeline *pl)
{
	return pl->careful;
}

/* The bound on one reply: a few hundred events of a normal size, never
 * less than eight of the largest allowed. */
size_t
pl_max_reply(const struct cfg *c)
{
	size_t min = 8 << 20, by_event = 8 * (size_t)c->max_event_bytes;

	return by_event > min ? by_event : min;
}

unsigned long
pl_gen(const struct pipeline *pl)
{
	return pl->gen;
}

long
pl_inflight(const struct pipeline *pl)
{
	return pl->inflight;
}

long
pl_room(const struct pipeline *pl)
{
	return pl->cfg->inflight - pl->inflight;
}

/* A chunk taken now. */
void
pl_chunk_init(struct pipeline *pl, struct chunk *c, int recovery)
{
	c->pl = pl;
	c->gen = pl->gen;
	c->recovery = recovery;
	c->t0 = clock_mono();
	pl->inflight++;
}

/* Read before the last failure: its replies do not count. */
int
pl_chunk_stale(const struct chunk *c)
{
	return c->gen != c->pl->gen;
}

/* Free a chunk; the caller takes the next step. */
static void
pl_chunk_free(struct chunk *c)
{
	struct pipeline *pl = c->pl;

	store_forget(c);
	pl->in->be->chunk_free(c);
	pl->inflight--;
}

/* The chunk's events are about to come. */
void
pl_chunk_begin(struct chunk *c)
{
	store_open(c->pl->store, c);
}

/* One event of a chunk: enrich it and send its stores (events.c). */
void
pl_chunk_item(struct chunk *c, const char *raw, size_t len)
{
	c->nitems++;
	ev_item(c->pl->ev, c, raw, len);
}

/* An event a careful read replaced: far too large, known by its head. */
void
pl_chunk_item_big(struct chunk *c, const struct careful_big *big)
{
	c->nitems++;
	ev_item_big(c->pl->ev, c, big);
}

/* Every event of the chunk is sent; the store says when it is in. */
void
pl_chunk_end(struct chunk *c)
{
	store_close(c->pl->store, c);
}

/* The store's callback: every store of the chunk ran, or failed. */
static void
pl_chunk_stored(struct chunk *c)
{
	struct pipeline *pl = c->pl;

	if (pl_chunk_stale(c) || c->lost) {
		pl_chunk_drop(c, NULL); /* its events wait in Redis */
		return;
	}
	if (c->failed) {
		pl_chunk_drop(c, c->err); /* Redis full or failing */
		return;
	}
	pl->in->be->ack(pl->in, c);
}

/* Acknowledged (ok) or not: count it, free it, go on. */
void
pl_chunk_done(struct chunk *c, int ok)
{
	struct pipeline *pl = c->pl;

	if (ok) {
		pl->m->stored += c->alerts;
		pl->m->published += c->published;
		if (c->recovery)
			pl->m->recovered += c->nitems;
		metrics_observe_latency(pl->m, clock_mono() - c->t0);
	}
	pl_chunk_free(c);
	pl_step(pl);
}

/* Give a chunk up; with err, Redis refused something: back off. */
void
pl_chunk_drop(struct chunk *c, const char *err)
{
	struct pipeline *pl = c->pl;

	if (err != NULL && !pl_chunk_stale(c)) {
		pl->m->batch_failed++;
		log_error("chunk kept for later events=%zu err=\"%s\"",
		    c->nitems, err);
		pl_chunk_free(c);
		pl_restart(pl, 1000);
		return;
	}
	pl_chunk_free(c);
	pl_step(pl);
}

/* Retry timer fired. */
static void
pl_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pl_step(arg);
}

/* A link came up. */
static void
pl_link_up(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	pl->m->reconnects =
	    link_reconnects(pl->wait) + link_reconnects(pl->main);
	if (l == pl->main) {
		subs_unknown(pl->subs);
		if (pl->cfg->publish)
			subs_refresh(pl->subs); /* answered before any store */
		store_link_up(pl->store);
	}
	pl_step(pl);
}

/* A reply passed the links' bound: recover carefully (careful.h). */
void
pl_link_big(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	(void)l;
	if (!pl->careful)
		log_warnx("an input reply passed %zu bytes: recovering with "
			  "careful reads (events over input.max_event_bytes "
			  "are dead-lettered by their head)",
		    pl_max_reply(pl->cfg));
	pl->careful = 1;
}

/* A link went down. */
static void
pl_link_down(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	if (l == pl->main)
		store_link_down(pl->store);
	if (pl->state == PL_CLOSE)
		pl_step(pl);
	else
		pl_restart(pl, 0);
}

/* Create the pipeline. */
struct pipeline *
pl_new(struct event_base *base, struct cfg *cfg, struct idx *idx,
    const struct redis_url *url, struct metrics *m, void (*on_ready)(void *),
    void *arg)
{
	struct pipeline *pl = xcalloc(1, sizeof(*pl));
	const struct input_backend *be = cfg->input_mode == INPUT_STREAM
	    ? &in_stream_backend
	    : &in_list_backend;

	pl->base = base;
	pl->cfg = cfg;
	pl->idx = idx;
	if ((pl->tables = render_new(cfg)) == NULL)
		fatalx("render_new: out of memory");
	pl->m = m;
	pl->on_ready = on_ready;
	pl->arg = arg;
	pl->m->backlog = -1;
	pl->m->eviction_safe = -1;
	pl->block_ms = cfg->block_ms;
	pl->wait = link_new(base, "wait", url, pl_link_up, pl_link_down, pl);
	pl->main = link_new(base, "main", url, pl_link_up, pl_link_down, pl);
	link_set_timeout(pl->wait, cfg->redis_timeout_ms);
	link_set_timeout(pl->main, cfg->redis_timeout_ms);
	link_set_max_reply(pl->wait, pl_max_reply(cfg), pl_link_big);
	link_set_max_reply(pl->main, pl_max_reply(cfg), pl_link_big);
	pl->in = be->create(pl, pl->wait, pl->main, cfg, m);
	pl->store = store_new(pl->main, cfg, m, pl_chunk_stored);
	pl->subs = subs_new(pl->main, cfg);
	pl->ev = ev_new(m, pl->store, pl->subs);
	ev_config(pl->ev, cfg, idx, pl->tables);
	pl->measured = measured_new();
	pl->retry = evtimer_new(base, pl_retry_cb, pl);
	pl->tick = event_new(base, -1, EV_PERSIST, pl_tick_cb, pl);
	if (pl->retry == NULL || pl->tick == NULL)
		fatalx("event_new failed");
	return pl;
}

/* Connect and start. */
void
pl_start(struct pipeline *pl)
{
	struct timeval tv = {0, TICK_MS * 1000};

	link_start(pl->wait);
	link_start(pl->main);
	event_add(pl->tick, &tv);
}

/* SIGTERM: finish what is in flight, take nothing new, close. */
void
pl_stop(struct pipeline *pl, void (*on_stopped)(void *))
{
	log_info("draining inflight=%ld state=%s", pl->inflight,
	    pl_state_names[pl->state]);
	pl->on_stopped = on_stopped;
	if (pl->state != PL_CLOSE)
		pl->state = PL_DRAIN;
	pl_step(pl);
}

/* The config in force. */
const struct cfg *
pl_config(const struct pipeline *pl)
{
	return pl->cfg;
}

/* What it is doing, in one line. */
void
pl_status(const struct pipeline *pl, char *buf, size_t len)
{
	snprintf(buf, len, "%s; %lu alerts enriched, %lu stored, backlog %ld",
	    pl_state_names[pl->state], pl->m->enriched, pl->m->stored,
	    pl->m->backlog);
}

unsigned long
pl_generation(const struct pipeline *pl)
{
	return pl->gen;
}

/* Tear down. */
void
pl_free(struct pipeline *pl)
{
	if (pl == NULL)
		return;
	/* pending callbacks run with NULL replies inside link_free: their
	 * chunks are freed and nothing more is started */
	pl->freeing = 1;
	link_free(pl->wait);
	link_free(pl->main);
	pl->in->be->reset(pl->in);
	pl->in->be->destroy(pl->in);
	ev_free(pl->ev);
	store_free(pl->store);
	subs_free(pl->subs);
	event_free(pl->retry);
	event_free(pl->tick);
	measured_free(pl->measured);
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	render_free(pl->tables);
	free(pl);
}
