/*
 * pipeline.c: at-least-once consumption of Suricata's EVE list.
 *
 * Reliable queue (list mode):
 *   - input.batch LMOVEs, pipelined in one write, move the oldest events
 *     of the input list into this consumer's processing list; when they
 *     find the input empty, one BLMOVE waits for the next event, so an idle
 *     pipeline answers at once and never polls;
 *   - the batch is enriched, and one MULTI/EXEC on the output link stores
 *     each enriched alert (XADD), publishes it, dead-letters what cannot be
 *     enriched, and LREMs each event from the processing list.  Storing and
 *     removing happen together or not at all (a refused command, e.g. OOM,
 *     aborts the whole transaction);
 *   - after a (re)start, and whenever a link came back, the processing list
 *     is finished first (recovery), oldest first, before new input is taken.
 *     When the input is idle and nothing is in flight, the processing list
 *     must be empty; if it is not, recovery runs again (an event moved by a
 *     command whose reply was lost is never stranded).
 * A link that fails bumps the generation: replies of the old generation are
 * ignored (their events are still in the processing list and get redone).
 *
 * Publishing: every 500 ms PUBSUB NUMSUB and NUMPAT say which channels have
 * subscribers; an alert is published only where someone listens (on every
 * channel while any pattern subscription exists, or before the first
 * answer).  The stream is the record; channels are for live consumers.
 */

#define _GNU_SOURCE /* asprintf */

#include <sys/time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "enrich.h"
#include "link.h"
#include "log.h"
#include "pipeline.h"
#include "xmalloc.h"

#define TICK_MS 500
#define GAUGE_EVERY 4 /* ticks */

enum pl_state { PL_WAIT, PL_RECOVER, PL_RUN };

/* One event taken from Redis, copied out of the reply. */
struct item {
	char *s;
	size_t len;
};

/* Subscriber counts of the channels sankakud publishes on. */
struct subs {
	char **names; /* full channel names */
	long *count;
	size_t n;
	long numpat;
	int known;	       /* an answer has arrived */
	unsigned long version; /* bumped when the list changes */
};

struct pipeline {
	struct event_base *base;
	struct cfg *cfg;
	struct idx *idx;
	struct enrich_tables *tables; /* fragments of cfg */
	struct metrics *m;
	struct link *in, *out;

	/* fixed at start: changing these needs a restart */
	char *input_key;
	char *proc_key;
	char *consumer;
	int rpush;
	long batch_max;
	long block_ms;

	enum pl_state state;
	unsigned long gen;
	int fetching;  /* LMOVEs or BLMOVE pending on the input link */
	long inflight; /* output transactions pending */
	int draining;
	int ready_sent;
	unsigned long ticks;
	struct subs subs;
	struct event *retry; /* restart after a refused transaction */
	struct event *tick;  /* subscribers and gauges */
	void (*on_ready)(void *);
	void (*on_drained)(void *);
	void *arg;
};

/* An output transaction in flight. */
struct batch {
	struct pipeline *pl;
	unsigned long gen;
	int recovery;
	size_t n, alerts, published;
	double t0;
};

/* A fetch in flight: input.batch LMOVEs, or one BLMOVE. */
struct fetch {
	struct pipeline *pl;
	unsigned long gen;
	size_t expected, answered;
	struct item *items;
	size_t nitems;
	int empty, failed, lost;
	double t0;
	char err[128];
};

/* A tag for single commands whose reply needs pl and gen. */
struct tag {
	struct pipeline *pl;
	unsigned long gen;
	unsigned long version;
};

static void pl_kick(struct pipeline *);
static void pl_recover(struct pipeline *);
static void subs_refresh(struct pipeline *);

/* Seconds since an arbitrary origin, monotonic. */
static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A tag for pl's current generation. */
static struct tag *
tag_new(struct pipeline *pl)
{
	struct tag *t = xcalloc(1, sizeof(*t));

	t->pl = pl;
	t->gen = pl->gen;
	t->version = pl->subs.version;
	return t;
}

/* Both links ready. */
static int
pl_links_up(const struct pipeline *pl)
{
	return link_state(pl->in) == LINK_READY &&
	    link_state(pl->out) == LINK_READY;
}

/* Done draining? */
static void
pl_check_drained(struct pipeline *pl)
{
	if (pl->draining && !pl->fetching && pl->inflight == 0 &&
	    pl->on_drained != NULL) {
		void (*cb)(void *) = pl->on_drained;

		pl->on_drained = NULL;
		cb(pl->arg);
	}
}

/* Start (or restart) consuming if everything is in place. */
static void
pl_maybe_start(struct pipeline *pl)
{
	pl->m->redis_up = pl_links_up(pl);
	if (pl->state != PL_WAIT || !pl_links_up(pl) || pl->inflight != 0 ||
	    evtimer_pending(pl->retry, NULL))
		return;
	pl_recover(pl);
}

/* Forget everything in flight: its events stay in the processing list. */
static void
pl_restart(struct pipeline *pl, int delay_ms)
{
	pl->gen++;
	pl->state = PL_WAIT;
	pl->fetching = 0;
	pl->m->redis_up = pl_links_up(pl);
	if (delay_ms > 0) {
		struct timeval tv = {delay_ms / 1000, (delay_ms % 1000) * 1000};

		evtimer_add(pl->retry, &tv);
	} else
		pl_maybe_start(pl);
	pl_check_drained(pl);
}

/* Retry timer fired. */
static void
pl_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pl_maybe_start(arg);
}

/* A link came up. */
static void
pl_link_up(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	pl->m->reconnects = link_reconnects(pl->in) + link_reconnects(pl->out);
	pl->subs.known = 0; /* publish everywhere until asked again */
	if (l == pl->out && pl->cfg->publish)
		subs_refresh(pl); /* answered before any batch is stored */
	pl_maybe_start(pl);
}

/* A link went down. */
static void
pl_link_down(struct link *l, void *arg)
{
	struct pipeline *pl = arg;

	(void)l;
	pl_restart(pl, 0);
}

/* (Re)build the list of channels from the config. */
static void
subs_build(struct pipeline *pl)
{
	struct subs *s = &pl->subs;
	const struct cfg *c = pl->cfg;
	size_t i, n = 0, cap = 1 + isog_nphases() + isog_nroles() + c->nsources;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->count);
	s->names = xcalloc(cap, sizeof(*s->names));
	s->count = xcalloc(cap, sizeof(*s->count));
	if (asprintf(&s->names[n++], "%salerts", c->prefix) < 0)
		fatalx("asprintf");
	for (i = 0; i < isog_nphases(); i++)
		if (asprintf(&s->names[n++], "%sphase:%s", c->prefix,
			isog_phase_at(i)->id) < 0)
			fatalx("asprintf");
	for (i = 0; i < isog_nroles(); i++)
		if (asprintf(&s->names[n++], "%srole:%s", c->prefix,
			isog_role_at(i)->code) < 0)
			fatalx("asprintf");
	for (i = 0; i < c->nsources; i++)
		if (asprintf(&s->names[n++], "%ssource:%s", c->prefix,
			c->sources[i].id) < 0)
			fatalx("asprintf");
	s->n = n;
	s->known = 0;
	s->version++;
}

/* Whether anybody can receive a message on channel i. */
static int
subs_listening(const struct pipeline *pl, size_t i)
{
	const struct subs *s = &pl->subs;

	return !s->known || s->numpat > 0 || s->count[i] > 0;
}

/* PUBSUB NUMSUB answered: name, count, name, count... */
static void
pl_numsub_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct subs *s = &t->pl->subs;
	size_t i;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_ARRAY &&
	    t->version == s->version && reply->elements == 2 * s->n) {
		for (i = 0; i < s->n; i++)
			if (reply->element[2 * i + 1]->type ==
			    REDIS_REPLY_INTEGER)
				s->count[i] =
				    (long)reply->element[2 * i + 1]->integer;
	}
	free(t);
}

/* PUBSUB NUMPAT answered: after NUMSUB, so both are fresh now. */
static void
pl_numpat_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct subs *s = &t->pl->subs;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
	    t->version == s->version) {
		s->numpat = (long)reply->integer;
		s->known = 1;
	}
	free(t);
}

/* Ask who listens. */
static void
subs_refresh(struct pipeline *pl)
{
	struct subs *s = &pl->subs;
	const char **argv = xcalloc(s->n + 2, sizeof(*argv));
	size_t *lens = xcalloc(s->n + 2, sizeof(*lens)), i;
	struct tag *t = tag_new(pl);

	argv[0] = "PUBSUB";
	lens[0] = 6;
	argv[1] = "NUMSUB";
	lens[1] = 6;
	for (i = 0; i < s->n; i++) {
		argv[i + 2] = s->names[i];
		lens[i + 2] = strlen(s->names[i]);
	}
	if (link_cmd(pl->out, pl_numsub_cb, t, (int)s->n + 2, argv, lens) != 0)
		free(t);
	t = tag_new(pl);
	if (link_cmdf(pl->out, pl_numpat_cb, t, "PUBSUB NUMPAT") != 0)
		free(t);
	free(argv);
	free(lens);
}

/* The output transaction of a batch answered. */
static void
pl_exec_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct batch *b = priv;
	struct pipeline *pl = b->pl;

	(void)ac;
	pl->inflight--;
	if (reply == NULL) {
		/* The link died; the disconnect handler restarts. */
	} else if (reply->type != REDIS_REPLY_ARRAY) {
		/* EXECABORT (a command refused while queued, e.g. OOM) or
		 * nil: nothing of it ran; its events are still in the
		 * processing list and are redone after a pause. */
		pl->m->batch_failed++;
		log_error("output batch refused events=%zu err=\"%s\"", b->n,
		    reply->type == REDIS_REPLY_ERROR ? reply->str : "aborted");
		if (b->gen == pl->gen)
			pl_restart(pl, 1000);
	} else {
		size_t i;

		/* A command failing while it runs (wrong key type) does not
		 * stop the others: say so, keep going. */
		for (i = 0; i < reply->elements; i++) {
			if (reply->element[i]->type == REDIS_REPLY_ERROR) {
				log_error("output command failed err=\"%s\"",
				    reply->element[i]->str);
				pl->m->batch_failed++;
				break;
			}
		}
		pl->m->stored += b->alerts;
		pl->m->published += b->published;
		if (b->recovery)
			pl->m->recovered += b->n;
		metrics_observe_latency(pl->m, now_mono() - b->t0);
		if (b->gen == pl->gen) {
			if (b->recovery)
				pl_recover(pl);
			else
				pl_kick(pl);
		}
	}
	if (pl->state == PL_WAIT)
		pl_maybe_start(pl);
	pl_check_drained(pl);
	free(b);
}

/* Argv of one command, up to 12 arguments. */
struct cmd {
	const char *argv[12];
	size_t lens[12];
	int argc;
};

/* Add an argument. */
static void
arg(struct cmd *c, const char *s, size_t n)
{
	c->argv[c->argc] = s;
	c->lens[c->argc] = n;
	c->argc++;
}

/* Add a NUL-terminated argument. */
static void
args(struct cmd *c, const char *s)
{
	arg(c, s, strlen(s));
}

/* PUBLISH the alert on channel i if anybody listens. */
static void
publish(
    struct pipeline *pl, size_t i, const char *msg, size_t len, struct batch *b)
{
	struct cmd c = {.argc = 0};

	if (!subs_listening(pl, i))
		return;
	args(&c, "PUBLISH");
	args(&c, pl->subs.names[i]);
	arg(&c, msg, len);
	link_cmd(pl->out, NULL, NULL, c.argc, c.argv, c.lens);
	b->published++;
}

/* Index of a source in the config, for its channel. */
static size_t
source_index(const struct pipeline *pl, const struct cfg_source *s)
{
	return (size_t)(s - pl->cfg->sources);
}

/* Queue the output of one event inside the open transaction. */
static void
pl_event(struct pipeline *pl, struct batch *b, const char *raw, size_t len)
{
	struct enrich_ctx ctx = {pl->cfg, pl->idx, pl->tables};
	struct enrich_out out;
	struct cmd c = {.argc = 0};
	char maxlen[32];
	size_t i, base_role = 1 + isog_nphases(),
		  base_src = base_role + isog_nroles();

	pl->m->consumed++;
	switch (enrich_event(&ctx, raw, len, &out)) {
	case ENRICH_OK:
		pl->m->enriched++;
		b->alerts++;
		metrics_inc(pl->m->phases, 8, out.phase->id, 1);
		for (i = 0; i < out.nsources; i++)
			metrics_inc(pl->m->sources, METRICS_MAX_LABELS,
			    out.sources[i]->id, 1);
		log_debug("alert enriched id=%s phase=%s sources=%zu", out.id,
		    out.phase->id, out.nsources);
		args(&c, "XADD");
		args(&c, pl->cfg->stream);
		if (pl->cfg->stream_maxlen > 0) {
			snprintf(maxlen, sizeof(maxlen), "%ld",
			    pl->cfg->stream_maxlen);
			args(&c, "MAXLEN");
			args(&c, "~");
			args(&c, maxlen);
		}
		args(&c, "*");
		args(&c, "alert");
		arg(&c, out.json, out.len);
		link_cmd(pl->out, NULL, NULL, c.argc, c.argv, c.lens);
		if (pl->cfg->publish) {
			publish(pl, 0, out.json, out.len, b);
			publish(pl, 1 + cfg_phase_index(out.phase), out.json,
			    out.len, b);
			for (i = 0; i < out.nroles; i++)
				publish(pl,
				    base_role + isog_role_index(out.roles[i]),
				    out.json, out.len, b);
			for (i = 0; i < out.nsources; i++)
				publish(pl,
				    base_src + source_index(pl, out.sources[i]),
				    out.json, out.len, b);
		}
		break;
	case ENRICH_SKIPPED:
		pl->m->skipped++;
		metrics_inc(pl->m->events, 32, out.event_type, 1);
		break;
	case ENRICH_REJECTED: {
		size_t dlen;
		char *dl = enrich_deadletter(out.reason, out.detail, raw, len,
		    pl->consumer, time(NULL), &dlen);

		if (dl == NULL)
			fatalx("dead letter: out of memory");
		metrics_inc(pl->m->deadletter, 16, out.reason, 1);
		log_warnx("event dead-lettered id=%s reason=%s detail=\"%s\"",
		    out.id, out.reason, out.detail);
		args(&c, "LPUSH");
		args(&c, pl->cfg->deadletter);
		arg(&c, dl, dlen);
		link_cmd(pl->out, NULL, NULL, c.argc, c.argv, c.lens);
		free(dl);
		break;
	}
	}
	enrich_out_free(&out);

	/* Acknowledge: the event leaves the processing list in the same
	 * transaction that stored its result. */
	c.argc = 0;
	args(&c, "LREM");
	args(&c, pl->proc_key);
	args(&c, "-1");
	arg(&c, raw, len);
	link_cmd(pl->out, NULL, NULL, c.argc, c.argv, c.lens);
}

/* Enrich and store events given oldest first; frees the items. */
static void
pl_batch(
    struct pipeline *pl, struct item *items, size_t n, int recovery, double t0)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	size_t i;

	b->pl = pl;
	b->gen = pl->gen;
	b->recovery = recovery;
	b->n = n;
	b->t0 = t0;
	/* Nothing else is sent on the output link until EXEC: all of this
	 * runs without returning to the event loop. */
	link_cmdf(pl->out, NULL, NULL, "MULTI");
	for (i = 0; i < n; i++)
		pl_event(pl, b, items[i].s, items[i].len);
	if (link_cmdf(pl->out, pl_exec_cb, b, "EXEC") != 0)
		free(b); /* link gone: its events stay in processing */
	else
		pl->inflight++;
	for (i = 0; i < n; i++)
		free(items[i].s);
}

/* Copy a string reply into an item. */
static int
item_copy(struct item *it, const redisReply *r)
{
	if (r == NULL || r->type != REDIS_REPLY_STRING)
		return -1;
	it->s = xmalloc(r->len + 1);
	memcpy(it->s, r->str, r->len);
	it->s[r->len] = '\0';
	it->len = r->len;
	return 0;
}

/* Reply to LRANGE of the processing list. */
static void
pl_range_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct pipeline *pl = t->pl;
	unsigned long gen = t->gen;
	struct item *items;
	size_t i, n;

	(void)ac;
	free(t);
	if (reply == NULL || gen != pl->gen)
		return;
	if (reply->type != REDIS_REPLY_ARRAY) {
		log_error("recovery read failed err=\"%s\"",
		    reply->type == REDIS_REPLY_ERROR ? reply->str : "?");
		pl_restart(pl, 1000);
		return;
	}
	if (reply->elements == 0) {
		if (pl->state == PL_RECOVER)
			log_info("consuming input=%s processing=%s consumer=%s",
			    pl->input_key, pl->proc_key, pl->consumer);
		pl->state = PL_RUN;
		if (!pl->ready_sent && pl->on_ready != NULL) {
			pl->ready_sent = 1;
			pl->on_ready(pl->arg);
		}
		pl_kick(pl);
		pl_check_drained(pl);
		return;
	}
	log_info("recovering events=%zu processing=%s", reply->elements,
	    pl->proc_key);
	/* LRANGE lists head to tail; the tail is the oldest. */
	n = reply->elements;
	items = xcalloc(n, sizeof(*items));
	for (i = 0; i < n; i++)
		if (item_copy(&items[i], reply->element[n - 1 - i]) != 0)
			fatalx("recovery: a list element is not a string");
	pl_batch(pl, items, n, 1, now_mono());
	free(items);
}

/* Read the oldest events still in the processing list. */
static void
pl_recover(struct pipeline *pl)
{
	struct tag *t = tag_new(pl);
	char start[32];

	pl->state = PL_RECOVER;
	snprintf(start, sizeof(start), "%ld", -pl->batch_max);
	/* On the output link: ordered after every transaction sent before. */
	if (link_cmdf(pl->out, pl_range_cb, t, "LRANGE %s %s -1", pl->proc_key,
		start) != 0)
		free(t);
}

/* Reply to LLEN of the processing list while idle. */
static void
pl_idle_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct tag *t = priv;
	struct pipeline *pl = t->pl;
	unsigned long gen = t->gen;

	(void)ac;
	free(t);
	if (reply == NULL || gen != pl->gen ||
	    reply->type != REDIS_REPLY_INTEGER)
		return;
	pl->m->processing = (long)reply->integer;
	if (reply->integer > 0 && pl->inflight == 0 && !pl->fetching &&
	    pl->state == PL_RUN) {
		log_warnx("stranded events in processing list=%lld, recovering",
		    reply->integer);
		pl_recover(pl);
	}
}

/* The input was found empty: wait for one event. */
static void pl_block(struct pipeline *);

/* A fetch finished: all its replies are in. */
static void
pl_fetch_done(struct fetch *f)
{
	struct pipeline *pl = f->pl;
	size_t i;

	if (f->gen != pl->gen || f->lost) {
		/* stale or cut off: its events are in the processing list and
		 * are recovered; the restart comes from elsewhere */
		if (f->gen == pl->gen)
			pl->fetching = 0;
		for (i = 0; i < f->nitems; i++)
			free(f->items[i].s);
		goto done;
	}
	pl->fetching = 0;
	if (f->failed) {
		log_error("fetch failed err=\"%s\"", f->err);
		for (i = 0; i < f->nitems; i++)
			free(f->items[i].s);
		pl_restart(pl, 1000); /* e.g. OOM: back off, then recover */
		goto done;
	}
	if (f->nitems > 0)
		pl_batch(pl, f->items, f->nitems, 0, f->t0);
	if (f->empty) {
		/* the input is empty: wait in BLMOVE, do not poll */
		pl->m->backlog = 0;
		pl_block(pl);
	} else
		pl_kick(pl);
	pl_check_drained(pl);
done:
	free(f->items);
	free(f);
}

/* One LMOVE (or the BLMOVE) answered. */
static void
pl_move_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	struct fetch *f = priv;

	(void)ac;
	f->answered++;
	if (reply == NULL)
		f->lost = 1; /* the disconnect handler restarts */
	else if (reply->type == REDIS_REPLY_STRING)
		item_copy(&f->items[f->nitems++], reply);
	else if (reply->type == REDIS_REPLY_NIL)
		f->empty = 1;
	else if (reply->type == REDIS_REPLY_ERROR && !f->failed) {
		f->failed = 1;
		snprintf(f->err, sizeof(f->err), "%s", reply->str);
	}
	if (f->answered == f->expected)
		pl_fetch_done(f);
}

/* A new fetch of n moves. */
static struct fetch *
fetch_new(struct pipeline *pl, size_t n)
{
	struct fetch *f = xcalloc(1, sizeof(*f));

	f->pl = pl;
	f->gen = pl->gen;
	f->expected = n;
	f->items = xcalloc(n, sizeof(*f->items));
	f->t0 = now_mono();
	return f;
}

/* Take more input if there is room: input.batch LMOVEs in one write. */
static void
pl_kick(struct pipeline *pl)
{
	const char *dir = pl->rpush ? "LEFT" : "RIGHT";
	struct fetch *f;
	long i;

	if (pl->state != PL_RUN || pl->fetching || pl->draining ||
	    pl->inflight >= pl->cfg->inflight || !pl_links_up(pl))
		return;
	f = fetch_new(pl, (size_t)pl->batch_max);
	pl->fetching = 1;
	for (i = 0; i < pl->batch_max; i++) {
		if (link_cmdf(pl->in, pl_move_cb, f, "LMOVE %s %s %s LEFT",
			pl->input_key, pl->proc_key, dir) != 0) {
			/* the link is gone: the disconnect restarts */
			f->expected = (size_t)i;
			if (i == 0) {
				pl->fetching = 0;
				free(f->items);
				free(f);
			}
			return;
		}
	}
}

/* Block until one event arrives, for at most input.block_ms. */
static void
pl_block(struct pipeline *pl)
{
	struct fetch *f;
	char timeout[32];

	if (pl->draining || pl->fetching || pl->inflight >= pl->cfg->inflight ||
	    !pl_links_up(pl))
		return; /* a finished transaction kicks again */
	f = fetch_new(pl, 1);
	snprintf(
	    timeout, sizeof(timeout), "%.3f", (double)pl->block_ms / 1000.0);
	if (link_cmdf(pl->in, pl_move_cb, f, "BLMOVE %s %s %s LEFT %s",
		pl->input_key, pl->proc_key, pl->rpush ? "LEFT" : "RIGHT",
		timeout) != 0) {
		free(f->items);
		free(f);
		return;
	}
	pl->fetching = 1;
	/* idle: the processing list must be empty unless work is in flight */
	if (pl->inflight == 0) {
		struct tag *t = tag_new(pl);

		if (link_cmdf(
			pl->out, pl_idle_cb, t, "LLEN %s", pl->proc_key) != 0)
			free(t);
	}
}

/* Gauges: a long from an integer reply. */
static void
pl_gauge_cb(redisAsyncContext *ac, void *r, void *priv)
{
	redisReply *reply = r;
	long *gauge = priv;

	(void)ac;
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER)
		*gauge = (long)reply->integer;
}

/* Periodic tick: who listens; now and then the gauges. */
static void
pl_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pipeline *pl = arg;
	static int warned;

	(void)fd;
	(void)what;
	pl->m->reconnects = link_reconnects(pl->in) + link_reconnects(pl->out);
	pl->m->redis_up = pl_links_up(pl);
	if (link_state(pl->out) != LINK_READY)
		return;
	if (pl->cfg->publish)
		subs_refresh(pl);
	if (pl->ticks++ % GAUGE_EVERY != 0)
		return;
	link_cmdf(
	    pl->out, pl_gauge_cb, &pl->m->backlog, "LLEN %s", pl->input_key);
	link_cmdf(pl->out, pl_gauge_cb, &pl->m->deadletter_len, "LLEN %s",
	    pl->cfg->deadletter);
	if (pl->m->deadletter_len >= pl->cfg->deadletter_max) {
		if (!warned)
			log_warnx("dead-letter list is long key=%s length=%ld "
				  "warn_at=%ld: read and replay or trim it",
			    pl->cfg->deadletter, pl->m->deadletter_len,
			    pl->cfg->deadletter_max);
		warned = 1;
	} else
		warned = 0;
}

/* Create the pipeline. */
struct pipeline *
pl_new(struct event_base *base, struct cfg *cfg, struct idx *idx,
    const struct redis_url *url, struct metrics *m, void (*on_ready)(void *),
    void (*on_drained)(void *), void *arg)
{
	struct pipeline *pl = xcalloc(1, sizeof(*pl));

	pl->base = base;
	pl->cfg = cfg;
	pl->idx = idx;
	if ((pl->tables = enrich_prepare(cfg)) == NULL)
		fatalx("enrich_prepare: out of memory");
	pl->m = m;
	pl->on_ready = on_ready;
	pl->on_drained = on_drained;
	pl->arg = arg;
	pl->input_key = xstrdup(cfg->input_key);
	pl->consumer = xstrdup(cfg->consumer);
	if (asprintf(&pl->proc_key, "%sprocessing:%s", cfg->prefix,
		cfg->consumer) < 0)
		fatalx("asprintf");
	pl->rpush = cfg->input_rpush;
	pl->batch_max = cfg->batch;
	pl->block_ms = cfg->block_ms;
	pl->m->backlog = -1;
	subs_build(pl);
	pl->in = link_new(base, "input", url, pl_link_up, pl_link_down, pl);
	pl->out = link_new(base, "output", url, pl_link_up, pl_link_down, pl);
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

	link_start(pl->in);
	link_start(pl->out);
	event_add(pl->tick, &tv);
}

/* SIGTERM: finish what is in flight, take nothing new. */
void
pl_drain(struct pipeline *pl)
{
	pl->draining = 1;
	log_info(
	    "draining inflight=%ld fetching=%d", pl->inflight, pl->fetching);
	pl_check_drained(pl);
}

/* Reload: a fresh config and index replace the old between batches. */
void
pl_swap_config(struct pipeline *pl, struct cfg *cfg, struct idx *idx)
{
	struct enrich_tables *t = enrich_prepare(cfg);

	if (t == NULL) {
		log_error("reload refused: out of memory");
		cfg_free(cfg);
		idx_free(idx);
		return;
	}
	if (strcmp(cfg->input_key, pl->input_key) != 0 ||
	    strcmp(cfg->consumer, pl->consumer) != 0 ||
	    cfg->input_rpush != pl->rpush || cfg->batch != pl->batch_max)
		log_warnx("reload: input, consumer and batch changes take "
			  "effect at the next restart");
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	enrich_tables_free(pl->tables);
	pl->cfg = cfg;
	pl->idx = idx;
	pl->tables = t;
	subs_build(pl);
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
	static const char *const names[] = {
	    "waiting for Redis", "recovering", "consuming"};

	snprintf(buf, len, "%s; %lu alerts enriched, %lu stored, backlog %ld",
	    names[pl->state], pl->m->enriched, pl->m->stored, pl->m->backlog);
}

/* Tear down. */
void
pl_free(struct pipeline *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	link_free(pl->in);
	link_free(pl->out);
	event_free(pl->retry);
	event_free(pl->tick);
	cfg_free(pl->cfg);
	idx_free(pl->idx);
	enrich_tables_free(pl->tables);
	for (i = 0; i < pl->subs.n; i++)
		free(pl->subs.names[i]);
	free(pl->subs.names);
	free(pl->subs.count);
	free(pl->input_key);
	free(pl->proc_key);
	free(pl->consumer);
	free(pl);
}
